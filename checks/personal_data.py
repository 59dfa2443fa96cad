"""Personal and patient details (policy 6.5.2, 6.7.6, 6.7.8): S001-S029.

Finds what identifies a person in a draft: NHS numbers (with the modulus 11 check digit),
phone numbers (phonenumbers, lenient enough for Ofcom's drama ranges), e-mail addresses,
home addresses, dates of birth, National Insurance numbers, hospital record numbers, and
people named next to health or care details.

The detectors are plain functions over text so that ``benchmarks/pii_eval.py`` measures the
very code the checks run. The word lists live in ``checks/data/`` (safety_terms.yaml,
places.yaml, given_names.txt) so the comms team can edit them without Python.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import regex
import yaml
from postlint_checks.hashtags import zipf_frequency

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import EMAIL, masked, prose

# libyaml's loader when PyYAML was built with it: about ten times faster than the
# pure-Python SafeLoader, and just as safe.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).resolve().parent / "data"
POLICY_PERSONAL = "6.7.6 and 6.7.8 confidential and identifiable information"
# The two contact rules share their allow-lists: a contact added under either table
# ([tool.postlint.options.phone-number] or [...email-address]) is allowed by both.
CONTACT_TABLES = ("phone-number", "email-address")

# The organisation's own public contacts (policy 6.2.4 and Appendix B) and the emergency
# and NHS numbers: never personal data.
DEFAULT_ALLOWED_CONTACTS = [
    "999",
    "111",
    "119",
    "112",
    "comms.msepartnership@nhs.net",
    "msepartnership.comms@nhs.net",
    "mseicb.complaints@nhs.net",
]
EMERGENCY_NUMBERS = frozenset({"999", "111", "119", "112"})


# --------------------------------------------------------------------------- word lists


@functools.cache
def terms() -> dict[str, Any]:
    with open(DATA / "safety_terms.yaml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER) or {}


@functools.cache
def gazetteer() -> dict[str, Any]:
    with open(DATA / "places.yaml", encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=YAML_LOADER) or {}
    names = {
        str(n).casefold()
        for key in ("places", "organisations", "campaigns")
        for n in data.get(key) or []
    }
    words = {w for n in names for w in regex.split(r"[\s-]+", n) if w}
    suffixes = {str(s) for s in data.get("name_suffixes") or []}
    return {"names": names, "words": words, "suffixes": suffixes}


@functools.cache
def given_names() -> frozenset[str]:
    lines = (DATA / "given_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(n.strip() for n in lines if n.strip() and not n.startswith("#"))


@functools.cache
def surnames() -> frozenset[str]:
    lines = (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(n.strip() for n in lines if n.strip() and not n.startswith("#"))


def _common_word(word: str, threshold: float) -> bool:
    """True for an ordinary English word ("Winter", "Thanks"), which a capital at the start
    of a sentence does not make a name. Known given names are never ordinary words here."""
    if word in given_names():
        return False
    return zipf_frequency(word.lower()) >= threshold


def _alternation(items: Iterable[str]) -> str:
    # Longest first, so "patient ID" wins over "patient".
    return "|".join(sorted((str(i) for i in items), key=len, reverse=True))


@functools.cache
def _clinical_pattern() -> regex.Pattern:
    return regex.compile(rf"\b(?:{_alternation(terms()['clinical_terms'])})\b", regex.I)


@functools.cache
def _staff_role_pattern() -> regex.Pattern:
    return regex.compile(rf"\b(?:{_alternation(terms()['staff_roles'])})\b", regex.I)


@functools.cache
def _venue_pattern() -> regex.Pattern:
    return regex.compile(rf"\b(?:{_alternation(terms()['venue_words'])})\b", regex.I)


# --------------------------------------------------------------------------- NHS numbers

NHS_CANDIDATE = regex.compile(r"(?<![\d.,/-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d/-]|[.,]\d)")
PHONE_PREFIX = regex.compile(r"(?:\+\d{1,3}|\(0\)|\+\d{1,3}\s*\(0\))\s*$")
NHS_LABEL = regex.compile(r"\b(?:NHS|CHI)\s*(?:number|no\.?|num|#)|\bNHS\s*:", regex.I)


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number modulus 11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit() or digits == "0000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    text: str
    detail: str = ""  # what kind of number, which term, ...
    level: str = "error"  # error, warning or info: the finding's severity


def find_nhs_numbers(text: str) -> list[Hit]:
    hits = []
    for match in NHS_CANDIDATE.finditer(text):
        if PHONE_PREFIX.search(text, max(0, match.start() - 8), match.start()):
            continue  # "+44 (0)161 496 0518": the national part of a phone number
        digits = match.group(1) + match.group(3) + match.group(4)
        near = (
            text[max(0, match.start() - 40) : match.start()] + text[match.end() : match.end() + 15]
        )
        labelled = bool(NHS_LABEL.search(near))
        if nhs_check_digit_ok(digits):
            # A number written with a leading 0 is far more often a phone number: only a
            # label makes it an NHS (or Scottish CHI) number.
            if digits[0] != "0" or labelled:
                hits.append(Hit("nhs", match.start(), match.end(), match.group(0), "valid"))
        elif labelled and len(set(digits)) > 1:
            hits.append(
                Hit("nhs", match.start(), match.end(), match.group(0), "bad-check", "warning")
            )
    return hits


# --------------------------------------------------------------------------- other numbers

# HMRC's published format; QQ is the prefix HMRC uses in examples (QQ123456C), which people
# copy into drafts, so it is caught too.
NI_NUMBER = regex.compile(
    r"\b(?:QQ|(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)


def find_ni_numbers(text: str) -> list[Hit]:
    return [Hit("ni", m.start(), m.end(), m.group(0)) for m in NI_NUMBER.finditer(text)]


@functools.cache
def _record_pattern() -> regex.Pattern:
    labels = _alternation(terms()["record_labels"])
    return regex.compile(
        rf"\b(?P<label>{labels})(?:\s*(?:[:#=]|is|was|no\.?)\s*|\s+)"
        r"(?P<number>(?=[A-Z0-9/-]*\d[A-Z0-9/-]*\d[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{2,}[A-Z0-9])\b",
        regex.I,
    )


def find_record_numbers(text: str) -> list[Hit]:
    return [
        Hit("record", m.start("number"), m.end("number"), m.group("number"), m.group("label"))
        for m in _record_pattern().finditer(text)
    ]


# --------------------------------------------------------------------------- phone numbers


def _phone_kind(national: str) -> str:
    """What a UK number is, from its national significant number's prefix (Ofcom's plan).

    Works for numbers phonenumbers calls merely possible (the drama ranges), which have no
    number type of their own.
    """
    if national.startswith("70"):
        return "personal"
    if national.startswith("76"):
        return "pager"
    if national.startswith("7"):
        return "mobile"
    if national[:1] in {"1", "2"}:
        return "landline"
    if national[:1] == "3" or national[:2] in {"80", "84", "87", "55", "56"}:
        return "service"
    if national.startswith("9"):
        return "premium"
    return "other"


PHONE_LEVEL = {
    "mobile": "error",
    "personal": "error",
    "pager": "error",
    "landline": "warning",
    "organisation": "info",
    "international": "warning",
    "other": "warning",
    "service": "info",
    "premium": "info",
}


def find_phone_numbers(text: str, region: str = "GB") -> list[Hit]:
    """Phone numbers with phonenumbers' POSSIBLE leniency, so Ofcom drama numbers count.

    POSSIBLE also matches years and times ("2024-2025"), so a match must be written the
    way people write phone numbers: with a leading 0 or an international prefix, and of a
    possible length for its country.
    """
    if "0" not in text and "+" not in text:
        return []  # every match below starts with one: skip loading phonenumbers (~20 ms)
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    hits: list[Hit] = []
    for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        before = text[max(0, match.start - 2) : match.start]
        if regex.search(r"(?:[\w/]|\w-)$", before):
            continue  # inside a code such as "SN0123456789", "B-07700900123" or a path
        lead = raw.lstrip("(").lstrip()
        if not lead.startswith(("0", "+")):
            continue
        number = match.number
        national = phonenumbers.national_significant_number(number)
        if national in EMERGENCY_NUMBERS or len(set(national)) == 1:
            continue
        home = phonenumbers.region_code_for_country_code(number.country_code)
        if home == "GB" or number.country_code == 44:
            if len(national) not in (9, 10):
                continue
            kind = _phone_kind(national)
            if kind == "other":
                continue  # no UK number starts 04 or 06: not a phone number
        else:
            if not phonenumbers.is_possible_number(number):
                continue
            kind = "international"
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if kind == "landline" and _organisation_line(text, match.start):
            kind = "organisation"
        hits.append(Hit("phone", match.start, match.end, raw, f"{kind}:{e164}", PHONE_LEVEL[kind]))
    return hits


# "Call the surgery on 01702 ...", "the switchboard number is 01268 ...": a landline given as
# a place's or a team's number, with no person named between the cue and the number.
ORGANISATION_LINE = regex.compile(
    r"\b(?:surgery|practice|hospital|hospice|switchboard|reception|helpline|advice\s+line|"
    r"contact\s+centre|call\s+centre|booking\s+line|centre|clinic|pharmacy|team|service|"
    r"office|department|unit|ward|hub|us)\b(?:(?!\s[A-Z])[^.!?\n\d]){0,30}$"
)


def _organisation_line(text: str, start: int) -> bool:
    return bool(ORGANISATION_LINE.search(text, max(0, start - 60), start))


# --------------------------------------------------------------------------- e-mail


def find_emails(text: str) -> list[Hit]:
    role_words = {str(w).lower() for w in terms()["role_mailbox_words"]}
    hits = []
    for match in EMAIL.finditer(text):
        address = match.group(0)
        local = address.split("@", 1)[0].lower()
        parts = [p for p in regex.split(r"[._+\-\d]+", local) if p]
        role = any(p in role_words for p in parts)
        hits.append(
            Hit(
                "email",
                match.start(),
                match.end(),
                address,
                "role" if role else "person",
                "info" if role else "error",
            )
        )
    return hits


def contact_allowed(hit: Hit, allowed: Iterable[str], region: str = "GB") -> bool:
    """True when an e-mail or phone hit is one of the organisation's public contacts.

    E-mail entries may use shell wildcards (``*.team@nhs.net``); phone entries are
    compared as numbers, so any spacing matches.
    """
    import phonenumbers

    if hit.kind == "email":
        address = hit.text.lower()
        return any(fnmatch.fnmatchcase(address, str(a).lower()) for a in allowed if "@" in a)
    if hit.kind == "phone":
        e164 = hit.detail.split(":", 1)[1]
        for entry in allowed:
            if "@" in entry:
                continue
            digits = regex.sub(r"\D", "", entry)
            if e164.endswith(digits) and len(digits) <= 4:
                continue  # a short code such as 111 only allows itself
            try:
                parsed = phonenumbers.parse(entry, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164:
                return True
    return False


# --------------------------------------------------------------------------- addresses

POSTCODE = regex.compile(
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Grove|Place|Court|"
    "Terrace|Hill|Rise|Walk|Row|Mews|Green|Square|Chase|View|Parade|Boulevard|Vale|Gate|"
    "Wharf|Broadway|Meadows?|Fields|End|Park"
)
STREET = regex.compile(rf"\b(?:[A-Z][\w'’-]+\s+){{1,3}}(?:{STREET_TYPES})\b")
HOUSE_STREET = regex.compile(
    rf"(?:\bFlat\s+\d+\w?,?\s+|\b\d{{1,4}}[A-Za-z]?,?\s+)(?:[A-Z][\w'’-]+\s+){{1,3}}"
    rf"(?:{STREET_TYPES})\b"
)
HOME_CUE = regex.compile(
    r"\b(?:lives? at|living at|home address|(?:his|her|their|my) address|address is|"
    r"resides at|staying at|home in|(?:your|his|her|their|my) (?:house|home|flat))\b",
    regex.I,
)


def find_addresses(text: str) -> list[Hit]:
    """Postcodes with a street nearby are addresses; venues' addresses are public."""
    hits: list[Hit] = []
    covered: list[tuple[int, int]] = []
    previous_end = 0
    for match in POSTCODE.finditer(text):
        # The words before an earlier postcode belong to that address, not to this one.
        sentence_start = max(_sentence_span(text, match.start(), match.end())[0], previous_end)
        previous_end = match.end()
        before_start = max(sentence_start, match.start() - 90)
        window = text[before_start : match.start()]
        street = HOUSE_STREET.search(window) or STREET.search(window)
        context = text[max(sentence_start, match.start() - 160) : match.end()]
        venue = bool(_venue_pattern().search(context)) or _names_known_place(context)
        home = bool(HOME_CUE.search(context))
        if street:
            start = before_start + street.start()
            if venue and not home:
                level, detail = "none", "venue"
            else:
                level, detail = "error", "address"
        else:
            start = match.start()
            level, detail = ("error", "address") if home else ("info", "postcode")
            if venue and not home:
                level = "none"
        covered.append((start, match.end()))
        if level != "none":
            hits.append(
                Hit("address", start, match.end(), text[start : match.end()], detail, level)
            )
    for match in HOUSE_STREET.finditer(text):
        if any(a <= match.start() < b for a, b in covered):
            continue
        cue = HOME_CUE.search(text[max(0, match.start() - 40) : match.start()])
        if cue:
            hits.append(
                Hit("address", match.start(), match.end(), match.group(0), "address", "error")
            )
    return hits


@functools.cache
def _known_place_pattern() -> regex.Pattern:
    """Multi-word gazetteer names (Basildon Hospital, Thurrock Council): venues. The area
    names (Mid and South Essex) say nothing about a venue and are left out."""
    names = [
        regex.escape(name)
        for name in gazetteer()["names"]
        if " " in name
        and len(name) > 4
        and name not in {"mid essex", "south essex", "mid and south essex"}
    ]
    return regex.compile(rf"\b(?:{_alternation(names)})\b")


def _names_known_place(context: str) -> bool:
    return bool(_known_place_pattern().search(context.casefold()))


# --------------------------------------------------------------------------- dates of birth

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE = regex.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\.?,?\s+\d{{4}}"
    rf"|{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    regex.I,
)
BIRTH_CUE = regex.compile(
    r"\b(?:born|DOB|D\.O\.B\.?|date of birth|birth\s?date|birthday)\b", regex.I
)
BORN_YEAR = regex.compile(
    r"\bborn\s+(?:on\s+|in\s+)?(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d{2}\b", regex.I
)
# One person's age. "Aged 65 and over", "aged 18 to 25" describe a group, not a person.
AGE = regex.compile(
    r"\b(?:aged?\s+\d{1,3}(?!\d)(?!\s*(?:and|or|to|-|–|\+|plus|years?\s+(?:and|or)))"
    r"|\d{1,3}[- ]years?[- ]old|\d{1,3}-year-old|,\s*\d{1,3}\s*,)",
    regex.I,
)


# A date after one of these is a cut-off for a group, not one person's birthday: "babies
# born on or after 1 September 2024", "if your 80th birthday was after 1 September 2024".
THRESHOLD = regex.compile(
    r"(?:\b(?:after|before|since|from|until|till|by|between|on\s+or\s+(?:after|before))"
    r"|\bbetween\s[^.!?\n]{4,40}\band)\s+(?:the\s+)?$",
    regex.I,
)


# "The NHS was born on 5 July 1948": an organisation's birthday, not a person's.
ORGANISATION_BORN = regex.compile(
    r"\b(?:NHS|service|hospital|hospice|charity|trust|practice|surgery|clinic|centre|unit|"
    r"team|campaign|idea|network)\s+(?:was|were)\s+born\b[^.!?\n]*$",
    regex.I,
)
HISTORY_YEARS = 110  # a birth date this long ago is history (Florence Nightingale), not data
YEAR = regex.compile(r"(?:19|20|18|17)\d{2}(?!\d)")


def _not_a_persons_birth(text: str, start: int, end: int) -> bool:
    if THRESHOLD.search(text, max(0, start - 60), start):
        return True
    if ORGANISATION_BORN.search(text, max(0, start - 60), end):
        return True
    year = YEAR.search(text, start, end)
    return bool(year) and int(year.group(0)) < date.today().year - HISTORY_YEARS


def find_dates_of_birth(text: str) -> list[Hit]:
    hits: list[Hit] = []
    for match in DATE.finditer(text):
        if _not_a_persons_birth(text, match.start(), match.end()):
            continue
        near = text[max(0, match.start() - 35) : match.end() + 12]
        sentence = _sentence_span(text, match.start(), match.end())
        if BIRTH_CUE.search(near):
            hits.append(Hit("dob", match.start(), match.end(), match.group(0), "birth"))
        elif AGE.search(text[sentence[0] : sentence[1]]):
            hits.append(Hit("dob", match.start(), match.end(), match.group(0), "age", "warning"))
    for match in BORN_YEAR.finditer(text):
        if _not_a_persons_birth(text, match.start(), match.end()):
            continue
        if not any(h.start >= match.start() and h.end <= match.end() + 1 for h in hits):
            hits.append(Hit("dob", match.start(), match.end(), match.group(0), "birth"))
    return hits


# --------------------------------------------------------------------------- names


@dataclass
class NameHit:
    start: int
    end: int
    text: str
    source: str  # spacy, title, given, patient
    staff: bool = False
    patient_cue: bool = False


SENTENCE_END = regex.compile(r"[.!?](?=\s)|\n")
CAP_WORD = r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*"


@functools.cache
def _title_pattern() -> regex.Pattern:
    titles = _alternation([*terms()["person_titles"], *terms()["staff_titles"]])
    return regex.compile(rf"\b(?P<title>{titles})\.?\s+(?P<name>{CAP_WORD}(?:\s+{CAP_WORD})?)")


PATIENT_NAME = regex.compile(
    rf"\b(?:my|our|a|the)?\s*patients?,?\s+(?P<name>{CAP_WORD}(?:\s+{CAP_WORD})?)"
)


# A name-shaped phrase: one or two capitalised words, double-barrelled allowed.
NAME_SHAPE = rf"{CAP_WORD}(?:-{CAP_WORD})?(?:\s+{CAP_WORD}(?:-{CAP_WORD})?)?"
# Phrases that are followed by a person: thanks, greetings, get-well wishes, "caring for".
ADDRESS_FRAME = regex.compile(
    r"(?i:\b(?:thanks?(?:\s+you)?(?:\s+to)?|congratulations(?:\s+to)?|well\s+done(?:\s+to)?|"
    r"welcome(?:\s+to)?|meet|shout[- ]?out\s+to|sending\s+(?:love|best\s+wishes|hugs)\s+to|"
    r"love\s+to|get\s+well\s+soon|caring\s+for|cared\s+for|thinking\s+of|praying\s+for|"
    r"(?:goodbye|farewell)\s+to|happy\s+(?:birthday|retirement|anniversary)(?:\s+to)?|"
    r"remember|photo\s+of|fundraiser\s+for|visiting|to\s+see|wishing|wish)\s+"
    r"(?:(?:little|baby|brave|our|lovely|dear)\s+)?)"
    rf"(?P<name>{NAME_SHAPE})"
)
# "call Mohsin on 07700 900461", "ask for Bev at reception".
CONTACT_FRAME = regex.compile(
    r"(?i:\b(?:call|ring|text|phone|contact|message|ask\s+for|speak\s+to|talk\s+to)\s+)"
    rf"(?P<name>{NAME_SHAPE})(?=\s+(?:on|at)\b)"
)
# A second person joined to the first: "Thank you Tegan and Harriet".
AND_NAME = regex.compile(rf"\s+(?:and|&)\s+(?P<name>{NAME_SHAPE})")
# A person as the subject of what happens to patients: "Lucja, 9, was...", "Zofia was rushed".
SUBJECT_FRAME = regex.compile(
    r"(?:\b(?:Little|Baby|Young|Brave|Dear|Lovely)\s+)?"
    rf"(?P<name>{NAME_SHAPE})(?:,\s*(?:\d{{1,3}}|aged\s+\d{{1,3}}),)?\s+"
    r"(?:is|was|has|had|has\s+been|have\s+been|came|went|got|finally|beat|needs|needed|"
    r"spent|shares|shared|underwent|remains|passed)\b"
)
FAMILY_WORDS = (
    "Grandad", "Grandpa", "Grandma", "Granny", "Nan", "Nanna", "Nanny", "Auntie", "Aunty",
    "Uncle", "Baby",
)  # fmt: skip
FAMILY_TITLE = regex.compile(rf"\b(?:{'|'.join(FAMILY_WORDS)})\s+(?P<name>{NAME_SHAPE})")
FAMILY_FOLDED = frozenset(word.casefold() for word in FAMILY_WORDS)


@functools.cache
def _surname_pattern() -> regex.Pattern:
    names = _alternation(regex.escape(n) for n in surnames())
    return regex.compile(rf"\b(?P<name>{CAP_WORD}(?:-{CAP_WORD})?\s+(?:{names}))\b")


@functools.cache
def _given_pattern() -> regex.Pattern:
    names = _alternation(given_names())
    return regex.compile(rf"\b(?P<name>(?:{names})(?:\s+{CAP_WORD}){{0,2}})\b")


@functools.lru_cache(maxsize=16)
def _sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets just after each sentence end, once per text (long posts have many hits)."""
    return tuple(m.end() for m in SENTENCE_END.finditer(text))


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start``..``end``: from the last sentence end at or before
    ``start`` to the first one after ``end``."""
    ends = _sentence_ends(text)
    index = bisect.bisect_right(ends, start) - 1
    left = ends[index] if index >= 0 else 0
    # The first sentence end whose punctuation lies at or after ``end``.
    after = bisect.bisect_right(ends, end)
    right = ends[after] if after < len(ends) else len(text)
    return left, right


def find_names(text: str, doc: Any = None) -> list[NameHit]:
    """People named in ``text`` (offsets into it): spaCy's PERSON entities plus cheap rules
    (titles, "my patient X", common given names), less places and organisations."""
    raw: list[NameHit] = []
    if doc is not None:
        for ent in doc.ents:
            # "Grandma" alone is who someone is to the writer, not a name ("Grandma Ivy":
            # the family frame below finds Ivy).
            if ent.label_ == "PERSON" and ent.text.strip().casefold() not in FAMILY_FOLDED:
                raw.append(NameHit(ent.start_char, ent.end_char, ent.text, "spacy"))
    staff_titles = {t.lower() for t in terms()["staff_titles"]}
    for match in _title_pattern().finditer(text):
        staff = match.group("title").lower() in staff_titles
        raw.append(NameHit(match.start(), match.end(), match.group(0), "title", staff))
    for match in PATIENT_NAME.finditer(text):
        raw.append(
            NameHit(
                match.start("name"),
                match.end("name"),
                match.group("name"),
                "patient",
                patient_cue=True,
            )
        )
    for match in _given_pattern().finditer(text):
        raw.append(NameHit(match.start("name"), match.end("name"), match.group("name"), "given"))
    for match in _surname_pattern().finditer(text):
        first = match.group("name").split()[0]
        if not _common_word(first, 4.3):
            raw.append(NameHit(match.start(), match.end(), match.group(0), "surname"))
    # Frames: the word after "thanks", "get well soon"... or before "was admitted" is a
    # person when it is not an ordinary English word. Stricter for subjects: a sentence
    # often starts with a capitalised ordinary word.
    frames = (
        (ADDRESS_FRAME, 4.3),
        (CONTACT_FRAME, 4.3),
        (FAMILY_TITLE, 9.0),
        (SUBJECT_FRAME, 3.5),
    )
    for pattern, threshold in frames:
        for match in pattern.finditer(text):
            name = match.group("name")
            if _common_word(name.split()[0].split("-")[0], threshold):
                continue
            raw.append(NameHit(match.start("name"), match.end("name"), name, "frame"))
            joined = AND_NAME.match(text, match.end("name"))
            if joined and not _common_word(joined.group("name").split()[0], threshold):
                raw.append(
                    NameHit(joined.start("name"), joined.end("name"), joined.group("name"), "frame")
                )
    hits = [h for h in (_unstyled(h, text) for h in _merge(raw, text)) if h is not None]
    return [h for h in hits if _is_person(h, text)]


STYLED_WORD = regex.compile(r"\S+")


# Greetings and frame words spaCy sometimes takes into a name ("Meet Raj", "Thanks Jo").
LEADING_NOT_NAME = frozenset(
    [
        "Meet",
        "Thanks",
        "Thank",
        "Welcome",
        "Congratulations",
        "Congrats",
        "Hi",
        "Hello",
        "Dear",
        "Happy",
        "Introducing",
        "Say",
        "Wishing",
        "Cheers",
        "Goodbye",
        "Farewell",
    ]
)


def _unstyled(hit: NameHit, text: str) -> NameHit | None:
    """The hit without the fancy-Unicode words at its ends (𝐍𝐄𝐖 Margaret Smith ->
    Margaret Smith): spaCy reads a styled word as part of the name next to it, and styled
    text is never a name to check (A023 reports it). A greeting at the start ("Meet Raj")
    goes too. None when nothing plain is left."""
    words = [
        (m.start(), m.end())
        for m in STYLED_WORD.finditer(text, hit.start, hit.end)
        if unicodedata.normalize("NFKC", m.group(0)) == m.group(0)
    ]
    while len(words) > 1 and text[words[0][0] : words[0][1]] in LEADING_NOT_NAME:
        words = words[1:]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    if (start, end) == (hit.start, hit.end):
        return hit
    return NameHit(start, end, text[start:end], hit.source, hit.staff, hit.patient_cue)


def _merge(hits: list[NameHit], text: str) -> list[NameHit]:
    hits.sort(key=lambda h: (h.start, -h.end))
    merged: list[NameHit] = []
    for hit in hits:
        # Trailing possessives and punctuation are not part of a name.
        end = hit.end
        while end > hit.start and text[end - 1] in " '’s.,":
            if text[end - 2 : end] in ("'s", "’s"):
                end -= 2
            elif text[end - 1] in " '’.,":
                end -= 1
            else:
                break
        hit = NameHit(hit.start, end, text[hit.start : end], hit.source, hit.staff, hit.patient_cue)
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            if hit.end > last.end and hit.source != "spacy":
                last.end = hit.end
                last.text = text[last.start : last.end]
            last.staff |= hit.staff
            last.patient_cue |= hit.patient_cue
            if hit.source in ("title", "patient"):
                last.source = hit.source
            continue
        merged.append(hit)
    return merged


def _is_person(hit: NameHit, text: str) -> bool:
    gaz = gazetteer()
    name = hit.text.strip()
    words = [w for w in regex.split(r"[\s]+", name) if w]
    if not words or any(ch.isdigit() for ch in name) or name.isupper():
        return False
    # Names are letters: not "Flu + COVID", not fancy Unicode letters (𝐅𝐫𝐞𝐞, ꜰʀᴇᴇ).
    if not regex.fullmatch(r"[\p{L}\s.'’-]+", name) or unicodedata.normalize("NFKC", name) != name:
        return False
    if not (words[0][0].isupper() and words[-1][0].isupper()):  # "Maria de Souza" is fine
        return False
    titles = {t.lower() for t in (*terms()["person_titles"], *terms()["staff_titles"])}
    bare = [w for w in words if w.rstrip(".").lower() not in titles]
    if not bare:
        return False
    if " ".join(bare).casefold() in gaz["names"]:
        return False
    # A job title, not a person: "Head of Nursing", "Chief Executive", "Lead Pharmacist".
    if any(_staff_role_pattern().fullmatch(w) for w in bare) or "of" in bare:
        return False
    if all(w.casefold().strip("'’") in gaz["words"] for w in bare):
        return False
    # "Florence Nightingale Ward", "St Luke's Hospice", "Jubilee Clinic": a place.
    following = regex.match(r"(?:['’]s)?\s*([A-Z][a-z]+)", text[hit.end :])
    if following and following.group(1) in gaz["suffixes"]:
        return False
    # "our patient Brenda Hall", "Mrs Jean Wood": a cue or a title says person, so a last
    # word that is also a place word (Hall, Wood, Lane) is a surname.
    person_cue = hit.patient_cue or hit.source == "title"
    if (bare[-1] in gaz["suffixes"] and not person_cue) or bare[0] in ("St", "St.", "Saint"):
        return False
    # "Southend Victoria shopping centre", "Queensway car park": a name before a venue word.
    if _venue_after(text, hit.end):
        return False
    if regex.search(r"\b(?:St\.?|Saint)\s+$", text[max(0, hit.start - 7) : hit.start]):
        return False  # "St Peter's": a church, hospital or school named after a saint
    # "in Lynn", "at Kirby": a single unknown word after a place preposition is a place.
    if (
        len(bare) == 1
        and hit.source in ("spacy", "frame")
        and regex.search(
            r"\b(?:in|at|near|from|around)\s+$", text[max(0, hit.start - 8) : hit.start]
        )
    ):
        return False
    # spaCy's small model calls some capitalised ordinary words people ("Book").
    if (
        hit.source == "spacy"
        and len(bare) == 1
        and bare[0] not in given_names()
        and zipf_frequency(bare[0].lower()) >= 4.8
    ):
        return False
    return not (hit.source == "given" and len(bare) == 1 and _starts_org(text, hit))


@functools.cache
def _venue_after_pattern() -> regex.Pattern:
    venues = _alternation([*terms()["venue_words"], "car park", "shopping centre"])
    roles = _alternation(terms()["staff_roles"])
    # ...but not a job: "Priya Shah pharmacy lead" is a person.
    return regex.compile(rf"\s+(?:[a-z]+\s+)?(?:{venues})\b(?!\s+(?i:{roles})\b)")


def _venue_after(text: str, end: int) -> bool:
    """A lower-case venue word right after the name (one word may come between)."""
    return bool(_venue_after_pattern().match(text, end))


def _starts_org(text: str, hit: NameHit) -> bool:
    """'John Lewis' style: a given name that is part of a known place or organisation."""
    window = text[hit.start : hit.end + 30].casefold()
    return any(window.startswith(name) for name in gazetteer()["names"])


def is_staff(hit: NameHit, text: str) -> bool:
    if hit.staff:
        return True
    if hit.patient_cue:
        return False  # "our patient Alan and the team on Ward 7"
    after = text[hit.end : hit.end + 45]
    sentence_end = SENTENCE_END.search(after)
    after = after[: sentence_end.start()] if sentence_end else after
    role = _staff_role_pattern()
    if regex.match(r"\s*[,(–-]\s*(?:(?:our|the|a|an|lead|senior|chief|deputy)\s+)?", after):
        head = regex.sub(r"^\s*[,(–-]\s*", "", after)
        if role.match(head) or regex.match(
            r"(?:our|the|a|an|lead|senior|chief|deputy|associate)\s+", head
        ):
            first = head.split(" ", 2)
            rest = " ".join(first[1:]) if len(first) > 1 else ""
            if role.match(head) or role.match(rest):
                return True
    start, end = _sentence_span(text, hit.start, hit.end)
    colleague = (
        SERVICE_YEARS.search(text, start, end)  # "Sue, for 30 years of service on our ward"
        or WITH_COLLEAGUES.match(after)  # "Karen and all the staff on the cardiac ward"
        or ONE_OF_OUR.match(after)  # "Raj, one of our receptionists"
    )
    # "...Ray Collins and everyone at the dialysis unit who looked after him": cared for.
    if colleague and not CARED_FOR.search(text, start, end):
        return True
    before = text[max(0, hit.start - 30) : hit.start]
    return bool(regex.search(rf"(?:{role.pattern})\s*$", before, flags=regex.I))


# "Thanks to Karen and all the staff on the cardiac ward", "Amir and the whole diabetes
# team": a person thanked with their colleagues works there; the ward is theirs.
WITH_COLLEAGUES = regex.compile(
    r"\s+(?:and|&)\s+(?:(?:all|the|whole|our|her|his|their|rest\s+of\s+the|of)\s+)*"
    r"(?:[\w&-]+\s+){0,2}?(?:team|teams|staff|colleagues|crew|everyone|everybody|nurses|"
    r"doctors|volunteers|department|squad)\b",
    regex.I,
)
SERVICE_YEARS = regex.compile(
    r"\b(?:years?\s+of\s+(?:service|nursing|caring|working)|years'\s+service|long\s+service|"
    r"retires?\s+after\s+\d+\s+years|happy\s+retirement)\b",
    regex.I,
)
CARED_FOR = regex.compile(
    r"\b(?:looked\s+after|look\s+after|cared\s+for|caring\s+for|care\s+of|treated|treating|"
    r"get\s+well|sending\s+(?:love|best\s+wishes)|thinking\s+of|recover\w*|"
    r"for\s+(?:his|her)\s+(?:care|treatment))\b",  # not "their": the team's own care
    regex.I,
)
# "Raj, one of our A&E receptionists": staff, whatever the job is called.
ONE_OF_OUR = regex.compile(
    r"\s*,\s*(?:one\s+of\s+(?:our|the)|a\s+member\s+of\s+(?:our|the))\s+"
    r"(?:[\w&'’-]+\s+){0,3}?(?:staff|team|[\w-]+(?:ists?|ers?|ors?|ses|ians?|ants?|ics?))\b",
    regex.I,
)


def clinical_term(hit: NameHit, text: str) -> str | None:
    """The health or care word that makes this named person a patient, if any."""
    start, end = _sentence_span(text, hit.start, hit.end)
    # "Margaret came in on Monday. She was admitted..." carries on into the next sentence.
    follow = regex.match(r"\s*(?:He|She|They|His|Her|Their)\b", text[end:])
    if follow:
        end = _sentence_span(text, end + follow.end(), end + follow.end())[1]
    pattern = _clinical_pattern()
    for match in pattern.finditer(text, start, end):
        if hit.start <= match.start() < hit.end:
            continue
        return match.group(0)
    return None


# --------------------------------------------------------------------------- the checks


def _snippet(text: str, limit: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scan_text(post: Post) -> str:
    """The prose to scan for numbers and names: markup, URLs, hashtags and @handles blanked
    (so a tweet ID in a link is not a phone number), offsets kept."""
    return prose(post.text, post.markup_spans)


def email_text(post: Post) -> str:
    """The text with only markup blanked: for e-mail addresses (which ``prose`` blanks) and
    record numbers (which people write as "#A12345", a hashtag to ``prose``)."""
    return masked(post.text, post.markup_spans)


def claimed_numbers(text: str) -> list[tuple[int, int]]:
    """Spans taken by the more specific detectors, so no phone or date is found inside."""
    spans = [(h.start, h.end) for h in find_nhs_numbers(text)]
    spans += [(h.start, h.end) for h in find_ni_numbers(text)]
    spans += [(h.start, h.end) for h in find_record_numbers(text)]
    return spans


def redact(hit_start: int, hit_end: int, what: str) -> Fix:
    return Fix(hit_start, hit_end, f"[{what} removed]", f"remove the {what}", safe=False)


class PersonalDataCheck(Check):
    """Shared helpers: severity from a hit's level, shared options."""

    policy = POLICY_PERSONAL

    def level(self, hit: Hit) -> Severity:
        if hit.level == "error":
            return self.effective_severity
        return Severity.parse(hit.level)

    def allowed_contacts(self, ctx: CheckContext) -> list[str]:
        allowed = list(self.opts.get("allowed-contacts") or DEFAULT_ALLOWED_CONTACTS)
        allowed += list(self.opts.get("extend-allowed-contacts") or [])
        for table in CONTACT_TABLES:
            if table != self.name:
                allowed += list(ctx.options_for(table).get("extend-allowed-contacts") or [])
        return [str(a) for a in allowed]


class NhsNumber(PersonalDataCheck):
    code = "S001"
    name = "nhs-number"
    severity = Severity.ERROR
    policy = "6.7.6 confidential information about patients; 6.5.2 personal details"
    summary = "An NHS number (valid under the modulus 11 check) is in the post."
    explanation = (
        "An NHS number identifies one patient for life. It must never be published: remove it. "
        "postlint checks the modulus 11 check digit, so ordinary ten-digit numbers are not "
        "flagged. A number that fails the check but is labelled 'NHS number' is a warning: "
        "it is probably a mistyped NHS number, and still a patient's."
    )
    examples = [
        Example(
            bad="Thanks for your message. Your NHS number 943 476 5919 is on your letter.",
            good="Thanks for your message. Please send us a private message and we will "
            "pass it to the right team.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for hit in find_nhs_numbers(scan_text(post)):
            if hit.detail == "valid":
                message = (
                    f"NHS number {hit.text!r}: a patient's NHS number must never be posted. "
                    "Remove it and handle the enquiry by private message or e-mail."
                )
            else:
                message = (
                    f"{hit.text!r} is labelled as an NHS number but fails the check digit: if it "
                    "is a mistyped NHS number it is still a patient's. Remove it."
                )
            yield self.finding(
                post,
                message,
                hit.start,
                hit.end,
                severity=self.level(hit),
                fixes=[redact(hit.start, hit.end, "NHS number")],
            )


class PhoneNumber(PersonalDataCheck):
    code = "S002"
    name = "phone-number"
    severity = Severity.ERROR
    policy = "6.7.6 and 6.7.8 identifiable information; 6.5.2 personal details"
    summary = "A phone number that is not one of the organisation's public contacts."
    explanation = (
        "Mobile and personal numbers identify a person: they are errors. A landline may be a "
        "person's direct line, so it is a warning, unless the words just before it give it as "
        "a place's or a team's number ('call the surgery on ...', 'our switchboard is ...'); "
        "that, and a service number (0300, 0800, 084, 087), is an organisation's, so it is "
        "info. Numbers on the allow-list (the organisation's "
        "public contacts) and 999, 111, 119 and 112 are never flagged. Numbers are parsed "
        "with phonenumbers at POSSIBLE leniency, so Ofcom's drama numbers (07700 900xxx, "
        "01632 960xxx) count too."
    )
    examples = [
        Example(
            bad="Any questions? Text Sam on 07700 900123.",
            good="Any questions? Call NHS 111 or e-mail comms.msepartnership@nhs.net.",
        )
    ]
    options = {
        "region": "GB",
        "allowed-contacts": DEFAULT_ALLOWED_CONTACTS,
        "extend-allowed-contacts": [],
    }

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = scan_text(post)
        text = masked(text, claimed_numbers(text))
        region = str(self.opts.get("region") or "GB").upper()
        allowed = self.allowed_contacts(ctx)
        for hit in find_phone_numbers(text, region):
            if contact_allowed(hit, allowed, region):
                continue
            kind = hit.detail.split(":", 1)[0]
            shown = _snippet(hit.text)
            if kind in ("mobile", "personal", "pager"):
                message = (
                    f"{kind} phone number {shown!r}: a person's number must not be posted. "
                    "Remove it, or give a public team number instead."
                )
            elif kind in ("service", "organisation"):
                what = "service number" if kind == "service" else "number"
                message = (
                    f"{what} {shown!r}: fine if it is an organisation's public line; "
                    "add it to allowed-contacts to stop this note."
                )
            else:
                message = (
                    f"phone number {shown!r}: if it is a person's direct line, remove it; if it "
                    "is a public service number, add it to allowed-contacts in the config."
                )
            yield self.finding(
                post,
                message,
                hit.start,
                hit.end,
                severity=self.level(hit),
                fixes=[redact(hit.start, hit.end, "phone number")],
            )


class EmailAddress(PersonalDataCheck):
    code = "S003"
    name = "email-address"
    severity = Severity.ERROR
    policy = "6.7.6 and 6.7.8 identifiable information; 6.5.2 personal details"
    summary = "An e-mail address that is not one of the organisation's public mailboxes."
    explanation = (
        "A named person's e-mail address (jane.smith@nhs.net) is personal data: an error. A "
        "team or role mailbox (enquiries@, comms@) is not a person's, so it is info: confirm "
        "it is public and add it to allowed-contacts. The policy's own shared mailboxes "
        "(comms.msepartnership@nhs.net, mseicb.complaints@nhs.net) are allowed by default; "
        "entries may use wildcards (*@example.nhs.uk)."
    )
    examples = [
        Example(
            bad="E-mail jane.bloggs@nhs.net to book.",
            good="E-mail comms.msepartnership@nhs.net to book.",
        )
    ]
    options = {"allowed-contacts": DEFAULT_ALLOWED_CONTACTS, "extend-allowed-contacts": []}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        allowed = self.allowed_contacts(ctx)
        for hit in find_emails(email_text(post)):
            if contact_allowed(hit, allowed):
                continue
            shown = _snippet(hit.text, 48)
            if hit.detail == "person":
                message = (
                    f"e-mail address {shown!r} looks like a person's: remove it and give a "
                    "shared team mailbox instead."
                )
            else:
                message = (
                    f"e-mail address {shown!r} looks like a team mailbox: fine if it is public; "
                    "add it to allowed-contacts in the config to stop this note."
                )
            yield self.finding(
                post,
                message,
                hit.start,
                hit.end,
                severity=self.level(hit),
                fixes=[redact(hit.start, hit.end, "e-mail address")],
            )


class HomeAddress(PersonalDataCheck):
    code = "S004"
    name = "home-address"
    severity = Severity.ERROR
    policy = "6.7.8 individually identifiable information about residents and patients"
    summary = "A street address with a full postcode (or 'lives at ...'), not a public venue."
    explanation = (
        "A house number or street next to a full UK postcode is an address: an error, unless "
        "the words around it name a public venue (hospital, surgery, pharmacy, library, hall, "
        "a place in the gazetteer), which is fine to publish. A postcode on its own is info: "
        "fine for a venue, not for where someone lives. 'Lives at 12 Acacia Avenue' is an "
        "error even without a postcode."
    )
    examples = [
        Example(
            bad="Get well soon to Mrs Jones at 14 Elm Close, Wickford SS12 9ZZ.",
            good="Flu clinic at Wickford Health Centre, Market Road, Wickford SS12 0AG.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for hit in find_addresses(scan_text(post)):
            if hit.detail == "postcode":
                message = (
                    f"postcode {hit.text!r}: fine for a public venue; if it is where someone "
                    "lives, remove it."
                )
            else:
                message = (
                    f"address {_snippet(hit.text)!r} looks like where someone lives: remove it. "
                    "If it is a public venue, name the venue before the address."
                )
            yield self.finding(post, message, hit.start, hit.end, severity=self.level(hit))


class DateOfBirth(PersonalDataCheck):
    code = "S005"
    name = "date-of-birth"
    severity = Severity.ERROR
    policy = "6.7.8 individually identifiable information about residents and patients"
    summary = "A date of birth ('born 3 March 1950', 'DOB 03/03/1950'), or a date with an age."
    explanation = (
        "A date of birth, with a name or a place, identifies a person. A date next to "
        "'born', 'DOB', 'date of birth' or 'birthday' is an error; a date in the same sentence "
        "as someone's age ('aged 42') is a warning. Ages alone ('everyone aged 65 and over') "
        "are public-health wording and never flagged."
    )
    examples = [
        Example(
            bad="Happy 100th birthday to Doris, born 2 December 1926!",
            good="Everyone aged 65 and over can get a free flu jab.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = scan_text(post)
        text = masked(text, claimed_numbers(text))
        for hit in find_dates_of_birth(text):
            if hit.detail == "birth":
                message = f"date of birth {hit.text!r}: remove it; it identifies the person."
            else:
                message = (
                    f"a date ({hit.text!r}) with a person's age can reveal their date of birth: "
                    "drop one of them."
                )
            yield self.finding(post, message, hit.start, hit.end, severity=self.level(hit))


class NationalInsuranceNumber(PersonalDataCheck):
    code = "S006"
    name = "national-insurance-number"
    severity = Severity.ERROR
    policy = "6.7.6 confidential information; 6.5.2 personal details"
    summary = "A National Insurance number (HMRC format, e.g. QQ 12 34 56 C)."
    explanation = (
        "National Insurance numbers identify a person and are used for fraud: never post one. "
        "postlint uses HMRC's published format (two prefix letters, six digits, A-D)."
    )
    examples = [
        Example(
            bad="New starters: bring your NI number (e.g. QQ123456C) on day one.",
            good="New starters: bring your National Insurance number on day one.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for hit in find_ni_numbers(scan_text(post)):
            yield self.finding(
                post,
                f"National Insurance number {hit.text!r}: remove it.",
                hit.start,
                hit.end,
                fixes=[redact(hit.start, hit.end, "National Insurance number")],
            )


class RecordNumber(PersonalDataCheck):
    code = "S007"
    name = "patient-record-number"
    severity = Severity.ERROR
    policy = "6.7.6 confidential information about patients"
    summary = "A hospital or record number after its label (MRN, hospital number, case ref...)."
    explanation = (
        "A hospital number, medical record number (MRN), patient ID or case reference points "
        "at one patient's records. Remove it; handle the enquiry privately."
    )
    examples = [
        Example(
            bad="Can the ward call about hospital number RAJ1234567?",
            good="Please send us a private message so we can pass your query on.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for hit in find_record_numbers(email_text(post)):
            yield self.finding(
                post,
                f"{hit.detail} {hit.text!r}: a patient's record number must not be posted. "
                "Remove it.",
                hit.start,
                hit.end,
                fixes=[redact(hit.start, hit.end, "record number")],
            )


def _consent(post: Post, *kinds: str) -> bool:
    return any(post.has_consent(kind) for kind in kinds)


PATIENT_CONSENT = ("patient", "patients", "patient_story", "patient-story")
PEOPLE_CONSENT = ("people", "person", "names", "name", "staff")


def _names_for(post: Post, ctx: CheckContext) -> tuple[list[NameHit], str, bool]:
    """Named people in the post, with whether spaCy was available."""
    if "personal_data:names" not in ctx._cache:  # S010 and S011 share one search
        doc = ctx.analysis("spacy_doc") if "spacy_doc" in ctx.analyses else None
        text = scan_text(post)
        ctx._cache["personal_data:names"] = (find_names(text, doc), text, doc is not None)
    return ctx._cache["personal_data:names"]


class PatientDetails(PersonalDataCheck):
    code = "S010"
    name = "patient-details"
    severity = Severity.ERROR
    policy = "6.7.6 confidential information about patients; 6.7.9 do not discuss patients"
    summary = "A person named next to health or care details: patient-identifiable information."
    explanation = (
        "A name in the same sentence as a diagnosis, an admission, a ward, a treatment or a "
        "condition tells the world that this person is a patient. Remove the name or the "
        "clinical details. Staff named in their role (Dr Patel, 'Priya Shah, consultant') are "
        "not patients. For a patient story with the patient's written consent, record it in "
        "the front matter (consent: {patient: true}); the finding then becomes a reminder. "
        "Names come from spaCy plus rules (titles, 'my patient X', common given names); "
        "places and organisations in checks/data/places.yaml are never names."
    )
    examples = [
        Example(
            bad="Margaret Smith, 84, was admitted to Basildon Hospital after a fall.",
            good="An 84-year-old resident was admitted after a fall: here is how to stay "
            "steady on your feet this winter.",
        )
    ]
    requires = ("spacy_doc",)

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        names, text, has_model = _names_for(post, ctx)
        if not has_model:
            yield from self.tool_unavailable(
                post,
                ctx,
                "spacy",
                "spaCy has no English pipeline: names are found by rules only (titles, given "
                "names), so S010 and S011 may miss people. Run scripts/setup.sh.",
            )
        consented = _consent(post, *PATIENT_CONSENT)
        for hit in names:
            if is_staff(hit, text):
                continue
            term = "patient" if hit.patient_cue else clinical_term(hit, text)
            if term is None:
                continue
            name = _snippet(hit.text, 30)
            if consented:
                yield self.finding(
                    post,
                    f"{name!r} is named with health details ({_snippet(term, 20)!r}); consent is "
                    "recorded: make sure it is written and covers these details.",
                    hit.start,
                    hit.end,
                    severity=Severity.INFO,
                )
                continue
            yield self.finding(
                post,
                f"{name!r} is named next to health or care details ({_snippet(term, 20)!r}): "
                "that identifies a patient. Remove the name or the clinical details, or record "
                "written consent (consent: {patient: true}).",
                hit.start,
                hit.end,
            )


class PersonName(PersonalDataCheck):
    code = "S011"
    name = "person-name-consent"
    severity = Severity.INFO
    policy = "6.7.6 and 6.7.8 identifiable information: consent to be named"
    summary = "A person is named: confirm they agreed to be named."
    explanation = (
        "Naming a colleague, a resident or a patient needs their agreement. This is a reminder, "
        "not a fault. Record consent in the front matter (consent: {people: true}, or "
        "consent: true for everything) and the reminder goes."
    )
    examples = [
        Example(
            bad="Thank you to Priya and the team at Orsett Hospital!",
            good="---\nconsent: {people: true}\n---\nThank you to Priya and the team at "
            "Orsett Hospital!",
        )
    ]
    requires = ("spacy_doc",)

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        if _consent(post, *PEOPLE_CONSENT):
            return
        names, text, _ = _names_for(post, ctx)
        for hit in names:
            staff = is_staff(hit, text)
            if not staff and (hit.patient_cue or clinical_term(hit, text)):
                continue  # S010 reports it
            yield self.finding(
                post,
                f"{_snippet(hit.text, 30)!r} is named: check they agreed to be named, then "
                "record it (consent: {people: true}).",
                hit.start,
                hit.end,
            )


CHECKS = [
    NhsNumber,
    PhoneNumber,
    EmailAddress,
    HomeAddress,
    DateOfBirth,
    NationalInsuranceNumber,
    RecordNumber,
    PatientDetails,
    PersonName,
]
