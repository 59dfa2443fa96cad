"""Personal and patient details (S001-S011): real spaCy, real phonenumbers, no mocks except
for the missing-engine path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from postlint_checks import personal_data as pd

from postlint.check import CheckContext
from postlint.config import from_mapping
from postlint.findings import Severity
from postlint.model import Post, SourceMap
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths


def lint(tmp_path: Path, text: str, select: str = "S0", front=None, options=None):
    """Lint one Markdown draft with the given front matter and per-check options."""
    front = {"platforms": ["x"], **(front or {})}
    (tmp_path / "post.md").write_text(
        f"---\n{yaml.safe_dump(front)}---\n{text}\n", encoding="utf-8"
    )
    config = from_mapping({"select": [select], "options": options or {}})
    run = lint_paths([tmp_path], PipelineFactory(config))
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def codes(findings, severity=None):
    return [f.code for f in findings if severity is None or f.severity == severity]


# ------------------------------------------------------------------ NHS numbers


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9990003637", "4505577104"])
def test_modulus_11_accepts_valid_numbers(number):
    assert pd.nhs_check_digit_ok(number)


@pytest.mark.parametrize(
    "number",
    ["9434765918", "0000000000", "1234567890", "123456789", "94347659190", "abcdefghij"],
)
def test_modulus_11_rejects_invalid_numbers(number):
    assert not pd.nhs_check_digit_ok(number)


def test_check_digit_ten_is_invalid():
    # 100000001: the weighted sum leaves 1, so the check digit would be 10: never valid.
    digits = "100000001"
    total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
    assert 11 - total % 11 == 10
    assert not any(pd.nhs_check_digit_ok(digits + str(d)) for d in range(10))


@pytest.mark.parametrize("written", ["943 476 5919", "9434765919", "943-476-5919"])
def test_valid_nhs_number_is_an_error(tmp_path, written):
    findings = lint(tmp_path, f"Thanks for getting in touch about {written} today.", "S001")
    assert codes(findings, Severity.ERROR) == ["S001"]
    assert findings[0].fixes and not findings[0].fixes[0].safe


def test_invalid_nhs_number_is_a_warning_only_when_labelled(tmp_path):
    labelled = lint(tmp_path, "My NHS number is 943 476 5918, can you check?", "S001")
    assert codes(labelled, Severity.WARNING) == ["S001"]
    unlabelled = lint(tmp_path, "Order 943 476 5918 has been sent.", "S001")
    assert unlabelled == []


def test_nhs_number_not_confused_with_phone_or_dates(tmp_path):
    findings = lint(tmp_path, "Open 09:30-17:00 in 2024-2025. Call 0300 123 4567.", "S001")
    assert findings == []


# ------------------------------------------------------------------ phones


@pytest.mark.parametrize(
    "number",
    ["07700 900123", "07700-900-123", "+44 7700 900123", "0044 7700 900 123", "07700900123"],
)
def test_drama_mobile_numbers_are_errors(tmp_path, number):
    findings = lint(tmp_path, f"Text Sam on {number} for a lift.", "S002")
    assert codes(findings, Severity.ERROR) == ["S002"], findings


def test_landline_is_a_warning_and_service_number_info(tmp_path):
    findings = lint(tmp_path, "Ring 01632 960001 or 0300 123 4567.", "S002")
    assert [(f.code, f.severity) for f in findings] == [
        ("S002", Severity.WARNING),
        ("S002", Severity.INFO),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Need to speak to us? Call the surgery on 01702 460000, Monday to Friday.",
        "Basildon Hospital's switchboard number is 01268 524900.",
        "Call us on 01632 960001 to book.",
    ],
)
def test_a_landline_given_as_a_place_or_team_number_is_info(tmp_path, text):
    assert [(f.code, f.severity) for f in lint(tmp_path, text, "S002")] == [("S002", Severity.INFO)]


def test_a_landline_after_a_persons_name_stays_a_warning(tmp_path):
    text = "Call our practice manager Debbie on 01632 960001."
    assert [(f.code, f.severity) for f in lint(tmp_path, text, "S002")] == [
        ("S002", Severity.WARNING)
    ]


def test_emergency_and_nhs_numbers_never_flagged(tmp_path):
    text = "Call 999 in an emergency, NHS 111 for advice, or 119 for vaccines."
    assert lint(tmp_path, text, "S002") == []


def test_allowed_contacts_extend_from_config(tmp_path):
    text = "Call the Basildon switchboard on 01268 524900."
    assert codes(lint(tmp_path, text, "S002")) == ["S002"]
    options = {"phone-number": {"extend-allowed-contacts": ["01268524900"]}}
    assert lint(tmp_path, text, "S002", options=options) == []
    shared = {"email-address": {"extend-allowed-contacts": ["+44 1268 524900"]}}
    assert lint(tmp_path, text, "S002", options=shared) == []


def test_years_and_times_are_not_phone_numbers(tmp_path):
    text = "Our 2024-2025 winter plan: clinics 09:30-17:00, ref 12345678."
    assert lint(tmp_path, text, "S002") == []


def test_digits_inside_a_code_are_not_a_phone_number(tmp_path):
    assert lint(tmp_path, "Camera serial SN0123456789, batch B-07700900123.", "S002") == []


def test_phone_in_url_is_not_flagged(tmp_path):
    text = "Read more: https://example.com/status/07700900123"
    assert lint(tmp_path, text, "S002") == []


def test_region_option_parses_other_countries(tmp_path):
    text = "Call 06 12 34 56 78 before you travel."
    assert lint(tmp_path, text, "S002") == []
    found = lint(tmp_path, text, "S002", options={"phone-number": {"region": "FR"}})
    assert codes(found) == ["S002"]


# ------------------------------------------------------------------ e-mail


def test_personal_email_error_role_mailbox_info_policy_mailbox_allowed(tmp_path):
    # A team mailbox is not a person's: a note to confirm it is public, not a warning
    # (seen on the clean-posts benchmark: mse.engagement@nhs.net, kingswood.surgery@nhs.net).
    text = (
        "E-mail jane.smith@nhs.net, flu.team@nhs.net or comms.msepartnership@nhs.net, "
        "or mseicb.complaints@nhs.net."
    )
    findings = lint(tmp_path, text, "S003")
    assert [(f.code, f.severity) for f in findings] == [
        ("S003", Severity.ERROR),
        ("S003", Severity.INFO),
    ]


def test_email_allow_list_accepts_wildcards(tmp_path):
    options = {"email-address": {"extend-allowed-contacts": ["*@example.nhs.uk"]}}
    text = "Questions to flu.clinic@example.nhs.uk or j.bloggs@example.nhs.uk."
    assert lint(tmp_path, text, "S003", options=options) == []


# ------------------------------------------------------------------ addresses, DOB, NI, MRN


def test_home_address_error_venue_address_clean(tmp_path):
    home = lint(tmp_path, "Get well soon to Mrs Jones at 14 Elm Close, Wickford SS12 9ZZ.", "S004")
    assert codes(home, Severity.ERROR) == ["S004"]
    venue = "Flu clinic at Wickford Health Centre, Market Road, Wickford SS12 0AG."
    assert lint(tmp_path, venue, "S004") == []


def test_postcode_alone_is_info_and_lives_at_is_error(tmp_path):
    assert codes(lint(tmp_path, "Come along to SS1 2AB.", "S004"), Severity.INFO) == ["S004"]
    found = lint(tmp_path, "She lives at 22 Acacia Avenue, Rayleigh.", "S004")
    assert codes(found, Severity.ERROR) == ["S004"]


def test_date_of_birth(tmp_path):
    assert codes(lint(tmp_path, "Happy birthday Doris, born 2 December 1926!", "S005")) == ["S005"]
    assert codes(lint(tmp_path, "DOB: 12/03/1950", "S005"), Severity.ERROR) == ["S005"]
    with_age = lint(tmp_path, "He was aged 42 when he came in on 03/05/2024.", "S005")
    assert codes(with_age, Severity.WARNING) == ["S005"]
    cohort = "Everyone aged 65 and over can get a jab from 1 October 2026."
    assert lint(tmp_path, cohort, "S005") == []


@pytest.mark.parametrize(
    "text",
    [
        "You can still get your RSV vaccine if you had your 80th birthday after 1 September 2024.",
        "Babies born on or after 1 September 2024 can have the vaccine.",
        "People born between 1 September 1942 and 31 August 1945 can get it.",
    ],
)
def test_eligibility_cut_off_dates_are_not_dates_of_birth(tmp_path, text):
    assert codes(lint(tmp_path, text, "S005")) == []


@pytest.mark.parametrize(
    "text",
    [
        "The NHS was born on 5 July 1948. Today we celebrate 78 years of care.",
        "Florence Nightingale was born on 12 May 1820.",  # history, not personal data
    ],
)
def test_organisations_and_history_have_no_dates_of_birth(tmp_path, text):
    assert codes(lint(tmp_path, text, "S005")) == []


def test_age_alone_is_not_a_date_of_birth(tmp_path):
    assert lint(tmp_path, "Everyone aged 65 and over can book a free flu jab.", "S005") == []


@pytest.mark.parametrize("written", ["QQ123456C", "QQ 12 34 56 C", "AB123456D"])
def test_national_insurance_numbers(tmp_path, written):
    assert codes(lint(tmp_path, f"My NI is {written} thanks", "S006")) == ["S006"]


def test_not_national_insurance(tmp_path):
    assert lint(tmp_path, "Ward GB123456A and BG 12 34 56 A are not NI numbers.", "S006") == []


@pytest.mark.parametrize(
    "text",
    [
        "MRN: RAJ1234567",
        "hospital number 1234567",
        "Patient ID #A12345",
        "case ref 2024/0042",
    ],
)
def test_record_numbers(tmp_path, text):
    assert codes(lint(tmp_path, f"About {text}, please call.", "S007")) == ["S007"]


def test_record_label_without_number_is_clean(tmp_path):
    assert lint(tmp_path, "Bring your hospital number letter with you.", "S007") == []


# ------------------------------------------------------------------ names


def test_patient_named_with_clinical_details_is_error(tmp_path):
    text = "Margaret Smith, 84, was admitted to Basildon Hospital after a fall."
    findings = lint(tmp_path, text, "S01")
    assert codes(findings) == ["S010"]
    assert findings[0].severity is Severity.ERROR
    assert text[findings[0].start : findings[0].end] == "Margaret Smith"


@pytest.mark.parametrize(
    "text",
    [
        "My patient John was discharged from Broomfield today.",
        "Mrs Okafor on Stock Ward is recovering well after surgery.",
        "Kevin came in on Monday. He was diagnosed with diabetes.",
        "Thanks Priya Shah for sharing your chemotherapy journey.",
    ],
)
def test_patient_recall_rules(tmp_path, text):
    assert "S010" in codes(lint(tmp_path, text, "S01"))


@pytest.mark.parametrize(
    "text",
    [
        "Get well soon Aoife, the whole ward is rooting for you.",
        "We've been caring for Tomasz Murphy since the stroke in March.",
        "Zofia, 9, was so brave during her blood test today.",
        "Grandad Reg was rushed to Broomfield with chest pains.",
    ],
)
def test_names_the_small_model_misses_are_found_by_frames(tmp_path, text):
    assert "S010" in codes(lint(tmp_path, text, "S01"))


@pytest.mark.parametrize(
    "text",
    [
        "St Luke's Hospice and Jubilee Clinic need volunteers.",
        "Florence Nightingale Ward reopens after the refurbishment.",
        "Winter was hard. Thanks to Southend and Thurrock for your patience.",
        "Gloucester Park in Basildon hosts the parkrun.",
    ],
)
def test_places_named_like_people_are_not_people(tmp_path, text):
    assert lint(tmp_path, text, "S01") == []


def test_fancy_text_and_symbols_are_not_names(tmp_path):
    assert lint(tmp_path, "𝐅𝐫𝐞𝐞 flu jabs and ꜰʀᴇᴇ ᴘᴀʀᴋɪɴɢ. Flu + COVID jabs.", "S01") == []


def test_a_styled_word_next_to_a_name_is_trimmed_not_taken_as_the_name(tmp_path):
    text = "𝐍𝐄𝐖 Margaret Smith was admitted to hospital after a fall."
    found = [(f.code, text[f.start : f.end]) for f in lint(tmp_path, text, "S01")]
    assert found == [("S010", "Margaret Smith")]


@pytest.mark.parametrize(
    "text",
    [
        "Our vaccination bus will be at Southend Victoria shopping centre on Wednesday.",
        "Are you a veteran? Op Courage is the NHS mental health service for veterans.",
        "Ramadan Mubarak to everyone observing in Mid and South Essex.",
        "Thank you to Essex Police and Essex County Fire and Rescue Service for their help.",
    ],
)
def test_venues_services_and_greetings_are_not_people(tmp_path, text):
    assert codes(lint(tmp_path, text, "S01")) == []


def test_a_person_before_a_job_with_a_venue_word_is_still_a_person(tmp_path):
    assert codes(lint(tmp_path, "Meet Priya Shah, our pharmacy lead.", "S01")) == ["S011"]
    assert codes(lint(tmp_path, "Meet Priya Shah pharmacy lead", "S01")) == ["S011"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Huge thanks to Karen and all the staff on the cardiac ward for their hard work.",
            "Karen",
        ),
        ("Well done to Amir and the whole diabetes team for winning a national award.", "Amir"),
        ("Meet Raj, one of our A&E receptionists, who has worked here for 20 years.", "Raj"),
        ("Thank you to Jackie and everyone on the stroke unit for their care this year.", "Jackie"),
    ],
)
def test_people_thanked_with_their_team_are_staff_not_patients(tmp_path, text, name):
    found = [(f.code, text[f.start : f.end]) for f in lint(tmp_path, text, "S01")]
    assert found == [("S011", name)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Sending love to Ray Collins and everyone at the dialysis unit who looked after him.",
            "Ray Collins",
        ),
        ("Thanks to Mary Jones and the ward team for her care after her fall.", "Mary Jones"),
        ("Our patient Alan and the team on Ward 7 after his surgery.", "Alan"),
    ],
)
def test_patients_named_with_the_team_that_cared_for_them_are_still_patients(tmp_path, text, name):
    found = [(f.code, text[f.start : f.end]) for f in lint(tmp_path, text, "S01")]
    assert found == [("S010", name)]


def test_a_colleague_thanked_for_years_of_service_is_staff(tmp_path):
    text = "Thank you to Sue for 30 years of service on our children's ward."
    assert codes(lint(tmp_path, text, "S01")) == ["S011"]


def test_a_patient_whose_surname_is_a_place_word_is_still_a_patient(tmp_path):
    # Seen on the fresh benchmark posts: "Hall" made "Brenda Hall" a place.
    text = "Wishing a speedy recovery to our patient Brenda Hall, who had her knee replacement."
    found = [(f.code, text[f.start : f.end]) for f in lint(tmp_path, text, "S01")]
    assert found == [("S010", "Brenda Hall")]
    assert codes(lint(tmp_path, "The Memorial Hall is open for the flu clinic.", "S01")) == []


def test_a_meeting_venue_address_is_public(tmp_path):
    text = (
        "Our board meeting in public is at Phoenix Court, Christopher Martin Road, "
        "Basildon SS14 3HG, on Thursday 22 January at 10am."
    )
    assert codes(lint(tmp_path, text, "S004")) == []


def test_home_address_after_a_venue_address_is_still_found(tmp_path):
    text = (
        "The clinic is at 1 High Street, Rayleigh SS6 7ED, and if you can't come, Jean will "
        "visit your house at 5 Hockley Road, Rayleigh SS6 8EB."
    )
    found = [(f.code, text[f.start : f.end]) for f in lint(tmp_path, text, "S004")]
    assert found == [("S004", "5 Hockley Road, Rayleigh SS6 8EB")]
    assert codes(lint(tmp_path, "Thank you to Maria de Souza for the cakes.", "S01")) == ["S011"]


def test_phone_with_trunk_prefix_is_not_an_nhs_number(tmp_path):
    text = "WhatsApp +44 (0)161 496 0518 for the rota."
    assert codes(lint(tmp_path, text, "S00")) == ["S002"]


def test_staff_in_role_are_not_patients(tmp_path):
    text = "Priya Shah, consultant at Southend Hospital, explains the treatment options."
    findings = lint(tmp_path, text, "S01")
    assert codes(findings) == ["S011"]
    assert codes(lint(tmp_path, "Dr Ahmed explains the treatment of diabetes.", "S01")) == ["S011"]
    quote = 'Claire Bell, Head of Nursing, said: "Please only come to A&E in an emergency."'
    assert codes(lint(tmp_path, quote, "S01")) == ["S011"]  # a job title is not a patient


def test_places_and_organisations_are_not_people(tmp_path):
    text = (
        "Get your flu jab in Chelmsford, Rochford, Maldon, Braintree or Basildon. Pharmacy "
        "First is at Boots. Mid and South Essex ICB and Princess Alexandra Hospital say hello."
    )
    assert lint(tmp_path, text, "S01") == []


def test_name_alone_is_info_and_consent_silences_it(tmp_path):
    text = "Thank you to Priya and the team at Orsett Hospital!"
    assert [(f.code, f.severity) for f in lint(tmp_path, text, "S01")] == [("S011", Severity.INFO)]
    assert lint(tmp_path, text, "S01", front={"consent": {"people": True}}) == []
    assert lint(tmp_path, text, "S01", front={"consent": True}) == []


def test_patient_consent_downgrades_to_info(tmp_path):
    text = "Margaret Smith shares her story of being treated for breast cancer."
    findings = lint(tmp_path, text, "S01", front={"consent": {"patient": True}})
    assert [(f.code, f.severity) for f in findings] == [("S010", Severity.INFO)]
    # Consent to be named is not consent to publish health details.
    findings = lint(tmp_path, text, "S01", front={"consent": {"people": True}})
    assert codes(findings, Severity.ERROR) == ["S010"]


def test_names_without_spacy_fall_back_to_rules_and_say_so():
    """Error path: no spaCy pipeline. The rules still find titled and given names."""
    text = "Mrs Okafor was admitted to the ward."
    post = Post(text=text, path="x.md", source_map=SourceMap.for_text("x.md", text))
    ctx = CheckContext(post, from_mapping({}), {"spacy_doc": lambda p, c: None}, {})
    findings = list(pd.PatientDetails().check(post, ctx))
    assert [f.code for f in findings] == ["X003", "S010"]
    again = list(pd.PatientDetails().check(post, ctx))
    assert [f.code for f in again] == ["S010"]  # said once per run


def test_every_personal_rule_is_registered_and_explained():
    registry = load_registry()
    for cls in pd.CHECKS:
        assert registry.checks[cls.code] is cls
        assert cls.examples and cls.explanation and cls.policy
        assert cls.code.startswith("S0") and int(cls.code[1:]) <= 29


def test_bad_examples_are_found_and_good_examples_clean(tmp_path):
    """Each rule's own explain examples: the bad one fires the rule, the good one does not."""
    for cls in pd.CHECKS:
        for example in cls.examples:
            bad = lint(tmp_path, example.bad, cls.code)
            assert cls.code in codes(bad), (cls.code, example.bad)
            good_text = example.good
            front = None
            if good_text.startswith("---\n"):
                _, head, good_text = good_text.split("---\n", 2)
                front = yaml.safe_load(head)
            assert lint(tmp_path, good_text.strip(), cls.code, front=front) == [], cls.code


def test_a_family_word_alone_is_not_a_name():
    from postlint_checks import nlp as nlp_module
    from postlint_checks import personal_data as pd

    text = "Grandma Ivy turned 100 on the dementia ward yesterday and the staff threw her a party."
    model, _name = nlp_module.load_pipeline()
    names = [hit.text for hit in pd.find_names(text, nlp_module.parse(model, text))]
    assert "Ivy" in names and "Grandma" not in names
