"""L020 abbreviation-unexplained: real data files, real pipeline, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from postlint_checks import abbreviations as ab

from postlint.config import from_mapping
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths


def lint(tmp_path: Path, text: str, select: str = "L020", config=None, front=None):
    front = {"platforms": ["x"], **(front or {})}
    (tmp_path / "post.md").write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", "utf-8")
    run = lint_paths(
        [tmp_path], PipelineFactory(from_mapping({"select": [select], **(config or {})}))
    )
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def flagged(tmp_path, text, **kwargs):
    return [f.message.split("'")[1] for f in lint(tmp_path, text, **kwargs)]


def test_registered():
    assert load_registry().checks["L020"] is ab.AbbreviationUnexplained


def test_bundled_list_is_large_and_sourced():
    listed = ab.abbreviation_list()
    assert len(listed) >= 200
    sources = yaml.safe_load(
        (Path(ab.__file__).parent / "data" / "abbreviations.yaml").read_text("utf-8")
    )["sources"]
    for key in ("ICB", "PCN", "CAMHS", "IAPT", "SDEC", "DNACPR", "UKHSA", "QOF", "SENCO", "DTaP"):
        assert key in listed, key
    assert all(entry.source in sources for entry in listed.values())
    # Every entry is a well-formed mapping: an unquoted comma in a flow mapping would
    # silently cut an expansion short ("measles" for MMR).
    raw = yaml.safe_load(
        (Path(ab.__file__).parent / "data" / "abbreviations.yaml").read_text("utf-8")
    )["abbreviations"]
    for key, value in raw.items():
        assert set(value) <= {"expansion", "plain", "also", "source"}, key
    assert listed["MMR"].expansion == "measles, mumps and rubella"
    assert not set(listed) & ab.widely_known()


def test_unexplained_abbreviation_is_a_warning_with_expansion(tmp_path):
    findings = lint(tmp_path, "Ask your PCN about a health check this winter.")
    assert [f.code for f in findings] == ["L020"]
    assert str(findings[0].severity) == "warning"
    assert "Primary Care Network (PCN)" in findings[0].message
    assert findings[0].location.column == 10


def test_unknown_abbreviation_still_flagged(tmp_path):
    assert flagged(tmp_path, "The QZRT team meets on Monday.") == ["QZRT"]


@pytest.mark.parametrize(
    "text",
    [
        "Our Integrated Care Board (ICB) is listening. The ICB meets in public.",
        "The ICB (Integrated Care Board) is listening.",
        "Talk to Child and Adolescent Mental Health Services (CAMHS) today.",
        "Ask about a do not attempt cardiopulmonary resuscitation (DNACPR) form.",
        "Freedom to Speak Up (FTSU) guardians are here for you.",
        "Visit the Patient Advice and Liaison Service (PALS) desk.",
        "Mid and South Essex (MSE) has three hospitals.",
        "Department of Health and Social Care (DHSC) figures show this.",
    ],
)
def test_expanded_abbreviations_are_fine(tmp_path, text):
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Call NHS 111 or see your GP. In an emergency go to A&E.",
        "COVID-19 and HIV tests are free. Our GPs can help.",
        "Type II diabetes is common. Phase III trials start soon. World War II.",
        "Flu jabs are FREE for over-65s.",
        "GET YOUR FLU JAB AT YOUR LOCAL PHARMACY TODAY.",
        "Drop in at SS14 3EZ or CM1 1ET.",
        "Get your #FluJab via https://www.nhs.uk/ICB or @MSEHealth.",
        "OK, I will be there at 9 AM.",
        "EMBARGOED until Tuesday. URGENT reminder for staff.",
        "FREE FLU JABS THIS WEEKEND at pharmacies in Basildon.",
        "Get your JABS here.",
        "Bring your National Insurance number, for example QQ 12 34 56 C.",
    ],
)
def test_not_abbreviations_or_widely_known(tmp_path, text):
    assert lint(tmp_path, text) == []


def test_known_abbreviations_are_not_shouting(tmp_path):
    text = "MSE ICS and NHS England (NHSE) with the UK's GP-led LGBTQ service."
    assert flagged(tmp_path, text) == ["MSE", "ICS"]


def test_each_abbreviation_reported_once(tmp_path):
    assert flagged(tmp_path, "The PCN said PCN teams and PCNs will help.") == ["PCN"]


def test_plural_possessive_and_compounds(tmp_path):
    assert flagged(tmp_path, "Two ICBs joined. A PCN-led clinic. The CQC's report.") == [
        "ICB",
        "PCN",
        "CQC",
    ]


def test_mixed_case_listed_abbreviations(tmp_path):
    assert flagged(tmp_path, "Talk to us about ReSPECT and DTaP.") == ["ReSPECT", "DTaP"]


def test_config_acronyms_and_allow_option(tmp_path):
    text = "Ask your PCN or the MSK team."
    assert flagged(tmp_path, text, config={"acronyms": ["PCN"]}) == ["MSK"]
    options = {"options": {"abbreviation-unexplained": {"allow": ["MSK", "PCN"]}}}
    assert flagged(tmp_path, text, config=options) == []


def test_ambiguous_abbreviation_says_so_and_offers_no_fix(tmp_path):
    (finding,) = lint(tmp_path, "Waits in ED are long tonight.")
    assert "eating disorder" in finding.message
    assert finding.fixes == []


def test_fix_spells_out_first_use(tmp_path):
    text = "SDEC is open from 8am. SDEC can see you the same day."
    (finding,) = lint(tmp_path, text)
    (fix,) = finding.fixes
    assert not fix.safe
    fixed = text[: fix.start] + fix.replacement + text[fix.end :]
    assert fixed.startswith("Same day emergency care (SDEC) is open")
    # Round trip: the fixed text has nothing left to report.
    assert lint(tmp_path, fixed) == []


def test_initials_matching():
    assert ab._initials_match(tuple("ukhsa"), ("uk", "health", "security", "agency"))
    assert ab._initials_match(tuple("ae"), ("accident", "and", "emergency"))
    assert not ab._initials_match(tuple("icb"), ("integrated", "care"))
    assert not ab._initials_match(tuple("pcn"), ("please", "call", "us", "now"))


def test_plural_fix_uses_plural_expansion(tmp_path):
    text = "Local ICBs are working together."
    (finding,) = lint(tmp_path, text)
    (fix,) = finding.fixes
    fixed = text[: fix.start] + fix.replacement + text[fix.end :]
    assert fixed == "Local Integrated Care Boards (ICBs) are working together."
    assert lint(tmp_path, fixed) == []


def test_alt_text_abbreviations(tmp_path):
    from PIL import Image

    Image.new("RGB", (40, 30), "white").save(tmp_path / "poster.png")
    front = {"images": [{"path": "poster.png", "alt": "Poster: ask your PCN about the PCV jab"}]}
    findings = lint(tmp_path, "Protect yourself this winter.", front=front)
    assert [f.code for f in findings] == ["L020", "L020"]
    assert all(f.start is None and "alt text of image 1" in f.message for f in findings)
    assert "pneumococcal conjugate vaccine (PCV)" in findings[1].message
    # Spelled out in the post itself: the alt text may use the short form.
    text = "Ask your Primary Care Network (PCN) about the pneumococcal conjugate vaccine (PCV)."
    assert lint(tmp_path, text, front=front) == []
    # Explained right after it, between commas, in the post: fine too.
    text = "Ask your PCN, the group of GP practices near you, about the PCV jab."
    assert flagged(tmp_path, text, front=front) == ["PCV"]


# Regressions from the clean-posts benchmark (benchmarks/clean_posts_eval.py).
@pytest.mark.parametrize(
    "text",
    [
        # Used unexplained by NHS campaigns and the NHS website: widely known.
        "If you're pregnant, you can get the RSV vaccine from 28 weeks.",
        "Did your child miss their HPV vaccine at school?",
        "I'm still so proud of my colleagues in the Southend ICU.",
        "You can ask our board questions in our live Q&A from 2pm.",
        # Explained by an appositive right after the abbreviation.
        "CAMHS, the children and young people's mental health service, now has one phone line.",
        "SDEC - our same day emergency care unit - is open from 8am.",
        "SDEC \u2013 the same day emergency care unit \u2013 is open from 8am.",
        "Talk to CAMHS, Child and Adolescent Mental Health Services, today.",
        "Our ICB, the NHS body that plans care in Mid and South Essex, meets today.",
        "Contact SDEC, the same day emergency care unit.",
    ],
)
def test_widely_known_and_explained_in_apposition(tmp_path, text):
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # A list after a comma explains nothing.
        ("Ask your PCN, the GP practice or the pharmacy.", "PCN"),
        ("Ask your PCN, the GP practice, or the pharmacy team.", "PCN"),
        ("Ask your PCN, the local pharmacy team and the council.", "PCN"),
        ("Our ICB, our hospitals and our councils work together.", "ICB"),
        ("Talk to CAMHS, then book a check.", "CAMHS"),
        ("Ask your PCN, the team will help.", "PCN"),
        # Not widely known: still reported, with the expansion.
        ("Happy Pride Month from all of us at Mid and South Essex ICB!", "ICB"),
        ("Ask your school's SENCO for details.", "SENCO"),
    ],
)
def test_lists_and_unknown_abbreviations_are_still_reported(tmp_path, text, key):
    assert flagged(tmp_path, text) == [key]


def test_senco_message_spells_it_out(tmp_path):
    [finding] = lint(tmp_path, "Ask your school's SENCO for details.")
    assert "special educational needs coordinator (SENCO)" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Contact PALS today. The Patient Advice and Liaison Service (PALS) can help you.",
        "Ask about SDEC at the front desk. SDEC (same day emergency care) sees you fast.",
        "Your PCN can help.\n\nCAMHS and your PCN, the group of GP practices near you, work "
        "together.",
    ],
)
def test_an_abbreviation_spelled_out_only_later_is_reported_at_its_first_use(tmp_path, text):
    (finding,) = [f for f in lint(tmp_path, text) if "only later" in f.message]
    key = finding.message.split("'")[1]
    assert text.index(key) == finding.start  # the first use, not the explanation
    assert not finding.fixes  # moving the explanation is the writer's call
    if "\n" in text:
        assert "(line " in finding.message  # the explanation is on another line


def test_spelled_out_at_first_use_then_abbreviated_is_fine(tmp_path):
    text = "The Patient Advice and Liaison Service (PALS) can help. Contact PALS today."
    assert lint(tmp_path, text) == []
    assert ab.expanded_at(text, "PALS") == text.index("PALS")
    assert ab.explained_after_at(text, "PALS") is None
