"""L020: abbreviations a reader may not know, used without being spelled out.

Policy 6.7.9: "Minimise your use of abbreviations where possible". An abbreviation here is a
word of two or more capital letters (ICB, PCN, CAMHS, A&E), or any word listed in
data/abbreviations.yaml (DTaP, ReSPECT). It is fine when it is widely known
(data/widely_known.txt, the config's ``acronyms``, the rule's ``allow`` option), spelled
out somewhere in the same post as "Integrated Care Board (ICB)" or "ICB (Integrated Care
Board)", or explained right after it between commas or dashes ("CAMHS, the children and
young people's mental health service, ..."). The expansion is recognised by its initials,
so the list need not know it.

Not abbreviations: hashtags, handles and URLs (masked), Roman numerals (Type II, Phase III),
capitals used for emphasis on an ordinary word (FREE), whole sentences in capitals (the
text-style ALL CAPS rule reports those), postcodes (SS14 3EZ) and I.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import prose

from .nlp import simple_sentences

POLICY = "6.7.9 abbreviations and jargon"
# A word: letters, digits and the joiners that occur inside abbreviations (A&E, DTaP/IPV,
# COVID-19, H@H). Trailing 's or s is dealt with afterwards.
WORD = re.compile(r"(?<![\w&/@'’+-])[A-Za-z0-9][\w&/@'’+-]*[A-Za-z0-9+]|(?<![\w&])[A-Za-z]\b")
CAPITALS = re.compile(r"[A-Z][A-Z&]*[A-Z](?:-\d+)?")
ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Words before a capital Roman numeral that make it a numeral, not an abbreviation.
NUMBERING_WORDS = {
    "part",
    "phase",
    "type",
    "stage",
    "chapter",
    "section",
    "schedule",
    "class",
    "grade",
    "level",
    "tier",
    "volume",
    "article",
    "annex",
    "appendix",
    "world war",
    "war",
}
# A UK postcode (whole or outward code only) or National Insurance number: not an
# abbreviation (the personal-data rules deal with the second).
POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?\b"
    r"|\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]?\b"
)
# Words that may sit in an expansion without giving a letter: "Department of Health and
# Social Care (DHSC)". They may give one too: "Freedom to Speak Up (FTSU)".
MINOR_WORDS = {"and", "of", "the", "for", "in", "to", "on", "with", "a", "an", "at", "by", "&"}
EXPANSION_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


@dataclass(frozen=True)
class Entry:
    expansion: str
    plain: str | None = None
    also: tuple[str, ...] = ()
    source: str = ""


@functools.cache
def abbreviation_list() -> dict[str, Entry]:
    """The bundled list of abbreviations and what they stand for."""
    text = resources.files(__package__).joinpath("data/abbreviations.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out: dict[str, Entry] = {}
    for key, value in (data.get("abbreviations") or {}).items():
        if isinstance(value, str):
            value = {"expansion": value}
        out[str(key)] = Entry(
            expansion=str(value["expansion"]),
            plain=value.get("plain"),
            also=tuple(value.get("also") or ()),
            source=str(value.get("source", "")),
        )
    return out


@functools.cache
def widely_known() -> frozenset[str]:
    """Abbreviations everyone knows (NHS, GP, A&E...)."""
    text = resources.files(__package__).joinpath("data/widely_known.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w for w in words if w)


@functools.lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    # hashtags.zipf_frequency gives wordfreq's value from a prebuilt store, without loading
    # wordfreq (about 150 ms); without either, no capitalised word counts as emphasis.
    try:
        from postlint_checks.hashtags import zipf_frequency
    except ImportError:
        return 0.0
    return zipf_frequency(word)


@dataclass(frozen=True)
class Use:
    """One use of an abbreviation: the abbreviation as listed, and where it stands."""

    key: str  # the abbreviation, without plural or possessive ending
    start: int
    end: int  # end of the abbreviation itself
    suffix: str  # "", "s", "'s"


def _split_suffix(word: str) -> tuple[str, str]:
    for suffix in ("'s", "’s", "s'", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)], suffix
    return word, ""


class AbbreviationUnexplained(Check):
    code = "L020"
    name = "abbreviation-unexplained"
    severity = Severity.WARNING
    policy = POLICY
    summary = "An abbreviation that not everyone knows is used without being spelled out."
    explanation = (
        "Policy 6.7.9 asks us to minimise abbreviations and not to assume everyone understands "
        "jargon. NHS abbreviations (ICB, PCN, SDEC, CAMHS) mean nothing to most of the public, "
        "and screen readers may read them as words. Spell each one out the first time you use "
        "it, as 'Integrated Care Board (ICB)', or explain it straight after ('CAMHS, the "
        "children and young people's mental health service, ...'), or use plain words "
        "instead. Widely known ones (NHS, GP, A&E, COVID-19, RSV, HPV) are fine. The "
        "message gives the expansion when postlint knows it (checks/data/abbreviations.yaml "
        "lists nearly 400); add your own widely known ones "
        "to the config's `acronyms` list. The fix spells out the first use; it is unsafe "
        "because an abbreviation can have more than one meaning, so check it. Image alt "
        "text is checked too: a screen reader reads an abbreviation letter by letter."
    )
    examples = [
        Example(
            bad="Ask your PCN about a health check.",
            good="Ask your Primary Care Network (PCN), the GP practices near you, about a "
            "health check.",
        ),
        Example(
            bad="SDEC is open from 8am.",
            good="Our same day emergency care (SDEC) unit is open from 8am.",
            note="Spelled out on first use; later uses of SDEC in the post are fine.",
        ),
    ]
    fixable = True
    options = {
        "allow": [],  # more widely known abbreviations, as the config's `acronyms`
        # A capitalised word whose lower-case form is at least this common in English
        # (wordfreq Zipf scale) is emphasis (FREE), not an abbreviation, unless it is listed.
        "common-word-frequency": 3.3,
    }

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        text = prose(post.text, post.markup_spans)
        known = self._known(ctx)
        uses = find_abbreviations(text, known, float(self.opts["common-word-frequency"]))
        findings: list[Finding] = []
        reported: set[str] = set()
        for use in uses:
            if use.key in reported:
                continue
            reported.add(use.key)
            explained = [
                at
                for at in (expanded_at(text, use.key), explained_after_at(text, use.key))
                if at is not None
            ]
            if not explained:
                findings.append(self._finding(post, text, use))
            elif min(explained) > use.start:  # uses are in order: this is the first
                findings.append(self._explained_late(post, use, min(explained)))
        findings.extend(self._alt_text_findings(post, text, known, reported))
        return findings

    def _alt_text_findings(
        self, post: Post, text: str, known: frozenset[str], reported: set[str]
    ) -> list[Finding]:
        """Alt text is read aloud by screen readers, letter by letter for an abbreviation:
        it too must spell them out, unless the post or the alt text already does."""
        findings = []
        common = float(self.opts["common-word-frequency"])
        for number, image in enumerate(post.images):
            if not image.alt:
                continue
            alt = prose(image.alt)
            for use in find_abbreviations(alt, known, common):
                if use.key in reported or any(
                    is_expanded(t, use.key) or is_explained_after(t, use.key) for t in (alt, text)
                ):
                    continue
                reported.add(use.key)
                entry = abbreviation_list().get(use.key)
                spelled = f"'{entry.expansion} ({use.key})'" if entry else "the full words"
                field = f"images[{number}].alt"
                findings.append(
                    self.finding(
                        post,
                        f"The alt text of image {number + 1} uses '{use.key}', which a screen "
                        f"reader reads letter by letter and not everyone knows: write {spelled}",
                        location=image.location or post.field_location(field),
                        field_name=field,
                    )
                )
        return findings

    def _known(self, ctx: CheckContext) -> frozenset[str]:
        extra = list(getattr(ctx.config, "acronyms", ()) or ()) + list(self.opts["allow"] or [])
        return widely_known() | frozenset(extra)

    def _explained_late(self, post: Post, use: Use, explained: int) -> Finding:
        line = post.location(explained).line
        where = f" (line {line})" if line != post.location(use.start).line else ""
        message = (
            f"'{use.key}' is spelled out only later in the post{where}: spell it out here, "
            "where readers first meet it, and use the abbreviation after that"
        )
        return self.finding(post, message, use.start, use.end)

    def _finding(self, post: Post, text: str, use: Use) -> Finding:
        entry = abbreviation_list().get(use.key)
        if entry is None:
            message = (
                f"'{use.key}' is an abbreviation not everyone will know: spell it out the "
                f"first time, as 'full words ({use.key})', or use plain words instead"
            )
            return self.finding(post, message, use.start, use.end)
        expansion = entry.expansion
        message = (
            f"'{use.key}' may not be understood: spell it out the first time, as "
            f"'{expansion} ({use.key})'"
        )
        if entry.plain:
            message += f", or say '{entry.plain}' instead"
        if entry.also:
            message += f" (it can also mean {' or '.join(entry.also)}: check which you mean)"
        fixes = []
        plural = abbreviation_list().get(use.key + "s") if use.suffix == "s" else None
        if not entry.also and (use.suffix == "" or plural):
            written = use.key + use.suffix
            full = plural.expansion if plural else expansion
            replacement = f"{_sentence_case(full, text, use.start)} ({written})"
            fixes.append(
                Fix(
                    use.start, use.end + len(use.suffix), replacement, f"spell out {written}", False
                )
            )
        return self.finding(
            post, message, use.start, use.end, fixes=fixes, suggestion=f"{expansion} ({use.key})"
        )


def _sentence_case(expansion: str, text: str, start: int) -> str:
    """Capitalise the expansion when the abbreviation starts a sentence."""
    before = text[:start].rstrip(" \t\"'“‘(")
    if not before or before[-1] in ".!?\n:":
        return expansion[:1].upper() + expansion[1:]
    return expansion


def find_abbreviations(text: str, known: frozenset[str], common: float = 3.3) -> list[Use]:
    """Every use of an abbreviation in ``text`` (already masked prose) that is not known."""
    listed = abbreviation_list()
    shouting = _shouting_spans(text, listed, known)
    postcodes = [(m.start(), m.end()) for m in POSTCODE.finditer(text)]
    uses: list[Use] = []
    skipped = shouting + postcodes
    for match in WORD.finditer(text):
        if match.group(0).lower() == match.group(0):
            continue  # no capital letter: every listed abbreviation has one, and so must a new one
        if any(a <= match.start() < b for a, b in skipped):
            continue
        for start, word in _parts(match.group(0), match.start(), listed, known):
            key, suffix = _split_suffix(word)
            if word in known or key in known:
                continue
            if word in listed and key not in listed:
                key, suffix = word, ""  # PALS is not the plural of PAL
            if key not in listed:
                if not CAPITALS.fullmatch(key) or _is_numeral(key, text, start):
                    continue
                if _is_word(key, common):
                    continue
            uses.append(Use(key, start, start + len(key), suffix))
    return uses


def _is_word(key: str, common: float) -> bool:
    """An English word written in capitals (FREE, EMBARGOED), not an abbreviation.

    Short abbreviations often appear in word lists too (gp, icu), so a short word must be
    common to count; a long one (abbreviations rarely run past six letters) only needs to
    be a known word at all.
    """
    letters = sum(c.isalpha() for c in key)
    threshold = common if letters <= 4 else common - 0.5 if letters <= 6 else 1.5
    lower = key.lower()
    frequency = _zipf(lower)
    if lower.endswith("s") and len(lower) > 3:
        frequency = max(frequency, _zipf(lower[:-1]))  # JABS: jab
    return frequency >= threshold


def _parts(word: str, start: int, listed: dict[str, Entry], known: frozenset[str]):
    """The word, or its parts when it is a compound like PCN-led or GP/ICB."""
    base = _split_suffix(word)[0]
    if word in listed or word in known or base in listed or base in known:
        return [(start, word)]
    parts = []
    for piece in re.finditer(r"[^/-]+", word):
        if piece.group(0).strip("&'’+"):
            parts.append((start + piece.start(), piece.group(0)))
    return parts


def _is_numeral(word: str, text: str, start: int) -> bool:
    if not ROMAN.fullmatch(word):
        return False
    if set(word) <= set("IVX"):
        return True
    before = text[max(0, start - 20) : start].lower().split()
    return bool(before) and before[-1] in NUMBERING_WORDS


def _shouting_spans(
    text: str, listed: dict[str, Entry], known: frozenset[str]
) -> list[tuple[int, int]]:
    """Sentences written mostly in capitals: shouting, not abbreviations."""
    spans = []
    for start, end in simple_sentences(text):
        words = re.findall(r"[A-Za-z][A-Za-z'’]+", text[start:end])
        capitals = [w for w in words if w.isupper()]
        shouted = [
            w for w in capitals if w not in listed and w not in known and _zipf(w.lower()) >= 3.0
        ]
        # Two shouted words and capitals for at least 40% of the sentence: "FREE FLU JABS
        # THIS WEEKEND at pharmacies" is shouting; "Ask PALS or CAMHS" is not.
        if len(shouted) >= 2 and len(capitals) * 5 >= len(words) * 2:
            spans.append((start, end))
    return spans


# --- Is the abbreviation spelled out? ----------------------------------------------------------


def is_expanded(text: str, key: str) -> bool:
    """True if ``text`` spells ``key`` out as 'words (KEY)' or 'KEY (words)'."""
    return expanded_at(text, key) is not None


def expanded_at(text: str, key: str) -> int | None:
    """Where ``key`` stands in the first place ``text`` spells it out as 'words (KEY)' or
    'KEY (words)' (0 for a key with no letters), or None."""
    letters = [c.lower() for c in key if c.isalpha()]
    if not letters:
        return 0
    escaped = re.escape(key)
    found: list[int] = []
    # "words (KEY)" or "words (KEYs)"
    for match in re.finditer(rf"\(\s*{escaped}(?:s|'s|’s)?\s*\)", text):
        before = text[max(0, match.start() - 200) : match.start()]
        before = re.split(r"[.!?:;\n(]", before)[-1]
        words = _expansion_words(before)
        spelled = any(
            words[first] not in MINOR_WORDS
            and _initials_match(tuple(letters), tuple(words[first:]))
            for first in range(max(0, len(words) - 14), len(words))
        )
        if spelled or _known_expansion_ends(before, key):
            found.append(text.index(key, match.start()))
            break
    # "KEY (words)"
    for match in re.finditer(rf"(?<![\w&]){escaped}(?:s|'s|’s)?\s*\(([^()]{{2,200}})\)", text):
        inner = match.group(1)
        words = _expansion_words(inner)
        entry = abbreviation_list().get(key)
        if (words and _initials_match(tuple(letters), tuple(words))) or (
            entry and _normal(inner).startswith(_normal(entry.expansion))
        ):
            found.append(match.start())
            break
    return min(found) if found else None


# An explanation set off right after the abbreviation, as an appositive: "CAMHS, the
# children and young people's mental health service, now has...", "SDEC - our same day
# emergency care unit - is open". The explanation runs to the next comma, dash, bracket or
# end of sentence.
APPOSITIVE = re.compile(
    r"(?:s|'s|’s)?(?:\s*,|\s+[-–—])\s+"
    r"(?P<body>(?:[^,;:.!?()\n\-–—]|(?<=\w)-(?=\w))+?)"
    r"\s*(?P<end>,|;|\.|!|\?|\)|\s[-–—](?:\s|$)|\n|$)"
)
APPOSITIVE_START = re.compile(
    r"(?:(?:which|that|who) (?:is|are|means?) |meaning |short for |also known as )?"
    r"(?P<det>the|a|an|our|your|their|its|this)\s+(?P<rest>.+)",
    re.IGNORECASE,
)
# The word an explanation ends on (its head noun) says what the abbreviation is.
_EXPLAINING_NOUNS = """service services team teams board boards body bodies organisation
    organisations
    network networks unit units ward wards charity charities programme programmes scheme
    schemes helpline line clinic clinics centre centres hub hubs trust trusts council
    councils department agency regulator partnership partnerships group groups system plan
    campaign vaccine vaccines jab jabs virus infection illness disease condition conditions
    test tests check checks scan scans screening app website register assessment treatment
    therapy therapies coordinator coordinators nurse nurses practitioner practitioners
    worker workers professional professionals doctor doctors therapist therapists teacher
    teachers specialist specialists officer officers lead leads meeting session sessions
    form forms card record"""
EXPLAINING_NOUNS = frozenset(_EXPLAINING_NOUNS.split())
# Words that make the comma a list, not an explanation: "your PCN, the GP or the pharmacy",
# "the ICB, the council and...".
LIST_WORDS = frozenset({"or", "and", "nor"})


def is_explained_after(text: str, key: str) -> bool:
    """True if a use of ``key`` is explained right after it (see ``explained_after_at``)."""
    return explained_after_at(text, key) is not None


def explained_after_at(text: str, key: str) -> int | None:
    """Where ``key`` stands the first time it is followed by an explanation set off by
    commas or dashes (or None):
    its full words ("CAMHS - Child and Adolescent Mental Health Services -"), or "the/our ...
    <service, team, vaccine...>" ("CAMHS, the children and young people's mental health
    service, ..."). A list ("your PCN, the GP practice or the pharmacy") is not one."""
    letters = tuple(c.lower() for c in key if c.isalpha())
    if not letters:
        return 0
    for use in re.finditer(rf"(?<![\w&]){re.escape(key)}(?![\w&])", text):
        match = APPOSITIVE.match(text, use.end())
        if match is None:
            continue
        body = match.group("body").strip()
        words = _expansion_words(body)
        if not 2 <= len(words) <= 16 or _is_list(words):
            continue
        after = text[match.end() : match.end() + 12].split()
        if match.group("end") == "," and after and after[0].lower() in LIST_WORDS:
            continue
        start = APPOSITIVE_START.fullmatch(body)
        bare = _expansion_words(start.group("rest")) if start else words
        if _initials_match(letters, tuple(bare)):
            return use.start()
        # "the group of GP practices near you": names what it is. "the team will help"
        # is a new clause, not an explanation.
        if start and len(bare) >= 2 and EXPLAINING_NOUNS & set(bare) and not FINITE & set(bare):
            return use.start()
        if start and {"that", "who", "which", "where"} & set(bare[1:]):
            return use.start()  # "ICB, the NHS body that plans care, ..."
    return None


def _is_list(words: list[str]) -> bool:
    """'the GP practice or the pharmacy', 'the pharmacy team and the council': a list of
    things, not one thing explained. 'children and young people's' is one thing."""
    if {"or", "nor"} & set(words):
        return True
    return any(a == "and" and b in DETERMINERS for a, b in itertools.pairwise(words))


FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "has",
        "have",
        "had",
        "may",
        "might",
        "should",
        "must",
    ]
)
DETERMINERS = frozenset({"the", "a", "an", "our", "your", "their", "its", "this", "local"})


def _expansion_words(text: str) -> list[str]:
    """Lower-case words of a candidate expansion, hyphenated words split into parts."""
    text = text.replace("&", " & ")
    words = []
    for token in text.split():
        if token == "&":
            words.append("&")
            continue
        words.extend(w.lower() for w in EXPANSION_WORD.findall(token))
    return words


def _known_expansion_ends(before: str, key: str) -> bool:
    entry = abbreviation_list().get(key)
    return bool(entry) and _normal(before).endswith(_normal(entry.expansion))


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@functools.lru_cache(maxsize=4096)
def _initials_match(letters: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether ``words`` can spell ``letters``: each word gives its first letter and maybe
    more letters from inside it in order (CardioPulmonary -> CP); minor words may give none."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j]
        if word in MINOR_WORDS and match(i, j + 1):
            return True
        if i >= len(letters) or word[0] != letters[i]:
            return False
        # Take the first letter, then as many later letters from inside the word as fit.
        positions = [0]
        k = i + 1
        cursor = 1
        while k < len(letters):
            found = word.find(letters[k], cursor)
            if found < 0:
                break
            positions.append(found)
            cursor = found + 1
            k += 1
        return any(match(i + taken, j + 1) for taken in range(len(positions), 0, -1))

    return match(0, 0)


CHECKS = [AbbreviationUnexplained]
