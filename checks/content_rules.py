"""Content rules (policy 6.5.1, 6.7.6, 6.7.9, Appendix B): S040-S046.

Medical advice, political content (an error in a pre-election period), embargoes, legal
matters and complaints, offensive language (better-profanity's list and obfuscation
handling, plus local extra and allow lists), major-incident mode, and big announcements.
Word lists live in ``checks/data/`` (content_terms.yaml, political.yaml,
election_periods.yaml, offensive_extra.txt, offensive_allow.txt).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex
import yaml

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import EMAIL, URL, masked, prose

# libyaml's loader when PyYAML was built with it: about ten times faster than the
# pure-Python SafeLoader, and just as safe.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def _yaml(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER) or {}


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _alternation(items: Iterable[str]) -> str:
    return "|".join(sorted((str(i) for i in items), key=len, reverse=True))


def _phrases(items: Iterable[str], flags: int = regex.I) -> regex.Pattern:
    """Whole-word phrases (regular-expression fragments) as one pattern."""
    return regex.compile(rf"(?<![\w#]){'(?:' + _alternation(items) + ')'}(?!\w)", flags)


SENTENCE_END = regex.compile(r"[.!?](?=\s)|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    found = SENTENCE_END.search(text, end)
    return left, found.end() if found else len(text)


def _snippet(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _extra(opts: dict[str, Any], key: str) -> list[str]:
    value = opts.get(key) or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _zone(ctx: CheckContext) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(ctx.config, "timezone", None) or "Europe/London")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def publication_time(post: Post, ctx: CheckContext) -> datetime:
    """When the post goes out: its schedule, else now (a draft is checked for today)."""
    return post.scheduled or datetime.now(_zone(ctx))


# --------------------------------------------------------------------------- S040


MEDICINE_NOT_DOSE = (
    r"cabinets?|chests?|cupboards?|box(?:es)?|bags?|shel(?:f|ves)|waste|bins?|disposal|"
    r"management|optimisation|reviews?|teams?|safety|guides?|services?"
)


@functools.cache
def _advice_patterns() -> tuple[Any, regex.Pattern]:
    data = _yaml("content_terms.yaml")
    # "Stock up your medicine cabinet" and "our medicines team" are not about a dose.
    medicines = rf"(?:{_alternation(data['medicines'])})(?!\s+(?:{MEDICINE_NOT_DOSE}))"
    patterns = []
    for raw in data["advice_patterns"]:
        patterns.append(
            raw.replace("{units}", data["units"])
            .replace("{counts}", data["counts"])
            .replace("{medicines}", medicines)
        )
    joined = "|".join(f"(?:{p})" for p in patterns)
    try:
        # Python's own engine runs this long alternation 1.5 times as fast as regex (same
        # matches: compared on every fixture and benchmark text); a pattern written in
        # regex's own syntax falls back to regex.
        advice: Any = re.compile(joined, re.I)
    except re.error:
        advice = regex.compile(joined, regex.I)
    public = regex.compile(
        rf"\s+(?:of|for)\s+(?:the\s+|your\s+|a\s+|an\s+)?(?:\w+\s+)?(?:{_alternation(data['public_health'])})\b"
        r"|\s*of\s+(?:fibre|sugar|salt|fat|protein|fruit|veg\w*|exercise|water)\b",
        regex.I,
    )
    return advice, public


# "Don't stop taking your medicines without talking to your GP": the opposite of advice to
# stop, and the signposting the policy asks for.
NOT_WITHOUT_ADVICE = regex.compile(r"\b(?:don'?t|do\s+not|never|please\s+don'?t)\s+$", regex.I)
SIGNPOSTED = regex.compile(
    r"\s*(?:\w+\s+){0,4}?(?:without|until\s+you'?ve|before)\s+(?:first\s+)?"
    r"(?:talking|speaking|checking|asking)",
    regex.I,
)


AS_PRESCRIBED = regex.compile(
    r"[^.!?\n]{0,20}?\bas\s+(?:prescribed|directed|advised|agreed|your\s+(?:GP|doctor|"
    r"pharmacist|nurse|midwife|consultant|care\s+team)\s+(?:has\s+)?(?:told|advised|"
    r"prescribed|said))",
    regex.I,
)


def find_medical_advice(text: str) -> list[tuple[int, int]]:
    advice, public = _advice_patterns()
    spans = []
    for match in advice.finditer(text):
        # "have two doses of the vaccine" is a public-health schedule, not advice.
        if public.match(text, match.end()):
            continue
        if NOT_WITHOUT_ADVICE.search(text, max(0, match.start() - 16), match.start()) and (
            SIGNPOSTED.match(text, match.end())
        ):
            continue
        if AS_PRESCRIBED.match(text, match.end()):
            continue  # "use your inhaler twice a day as prescribed": the prescriber's advice
        spans.append((match.start(), match.end()))
    return spans


class MedicalAdvice(Check):
    code = "S040"
    name = "medical-advice"
    severity = Severity.WARNING
    policy = "6.5.1 we do not provide medical advice on social media"
    summary = "Dosage or treatment instructions: signpost to a GP, pharmacist, NHS 111 or 999."
    explanation = (
        "The ICB does not give medical advice on social media (6.5.1). Telling people how "
        "much of a medicine to take, to stop or change their medication, or that they do not "
        "need a doctor is medical advice, whoever writes it. Signpost instead: their GP or "
        "pharmacist, NHS 111 (online or by phone), or 999 in a life-threatening emergency. "
        "Public-health messages (get your flu jab, book your vaccine, have two doses of the "
        "vaccine) are not medical advice."
    )
    examples = [
        Example(
            bad="Got a temperature? Take two paracetamol and stay in bed.",
            good="Got a temperature? Ask your pharmacist for advice, or use NHS 111 online.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for start, end in find_medical_advice(text):
            yield self.finding(
                post,
                f"{_snippet(post.text[start:end])!r} reads as medical advice: we do not give "
                "medical advice on social media. Signpost to a GP or pharmacist, NHS 111, or "
                "999 in an emergency.",
                start,
                end,
            )


# --------------------------------------------------------------------------- S041


def election_periods(opts: dict[str, Any]) -> list[dict[str, Any]]:
    """Periods from the data file plus the config's ``election-periods``."""
    periods = list(_yaml("election_periods.yaml").get("periods") or [])
    if opts.get("replace-election-periods"):
        periods = []
    periods += list(opts.get("election-periods") or [])
    result = []
    for period in periods:
        try:
            start = _as_date(period["start"])
            end = _as_date(period["end"])
        except (KeyError, TypeError, ValueError):
            continue  # a malformed entry is skipped, not fatal; the docs show the shape
        result.append(
            {"name": str(period.get("name") or "pre-election period"), "start": start, "end": end}
        )
    return result


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def active_election_period(when: datetime, opts: dict[str, Any]) -> str | None:
    if opts.get("pre-election"):
        return "pre-election period (set in the config)"
    day = when.date()
    for period in election_periods(opts):
        if period["start"] <= day <= period["end"]:
            return str(period["name"])
    return None


@functools.cache
def _political_patterns(
    parties: tuple[str, ...], politicians: tuple[str, ...], phrases: tuple[str, ...]
) -> tuple[regex.Pattern, regex.Pattern]:
    names = regex.compile(rf"(?<![\w#@])(?:{_alternation((*parties, *politicians))})(?!\w)")
    return names, _phrases(phrases)


# "Labour" as childbirth: the labour ward, in labour, labour pains.
NOT_PARTY_LABOUR = regex.compile(
    r"Labour\s+(?:ward|suite|unit|pains?|and\s+birth|&\s+birth|line|market|shortage)"
    r"|(?:in|early|active|induced|induce|of|during|premature|preterm)\s+Labour",
    regex.I,
)


def find_political(text: str, opts: dict[str, Any]) -> list[tuple[int, int, str]]:
    data = _yaml("political.yaml")
    parties = tuple(data.get("parties") or []) + tuple(_extra(opts, "extra-parties"))
    politicians = tuple(data.get("politicians") or []) + tuple(_extra(opts, "extra-politicians"))
    phrases = tuple(data.get("phrases") or []) + tuple(_extra(opts, "extra-phrases"))
    names, campaign = _political_patterns(parties, politicians, phrases)
    hits: list[tuple[int, int, str]] = []
    for match in names.finditer(text):
        word = match.group(0)
        around = text[max(0, match.start() - 12) : match.end() + 16]
        if word == "Labour" and NOT_PARTY_LABOUR.search(around):
            continue
        hits.append((match.start(), match.end(), "name"))
    for match in campaign.finditer(text):
        if any(a <= match.start() < b for a, b, _ in hits):
            continue
        if match.group(0).lower().startswith("vote") and _awards_vote(text, match):
            continue
        hits.append((match.start(), match.end(), "phrase"))
    return sorted(hits)


# "Vote for your favourite team in the Health Heroes awards": a public vote, not an election.
AWARDS_VOTE = regex.compile(
    r"\b(?:awards?|nominat\w*|shortlist\w*|finalists?|favourite|competition|photo|"
    r"poll\s+closes|public\s+vote|people'?s\s+choice)\b",
    regex.I,
)


def _awards_vote(text: str, match: regex.Match[str]) -> bool:
    start, end = _sentence(text, match.start(), match.end())
    return bool(AWARDS_VOTE.search(text, start, end))


class PoliticalContent(Check):
    code = "S041"
    name = "political-content"
    severity = Severity.WARNING
    policy = "6.7.9 do not get political; pre-election period restrictions"
    summary = "Party names, politicians or campaign language; an error in a pre-election period."
    explanation = (
        "Staff must not 'get political' (6.7.9), and in a pre-election period public bodies "
        "must not publish anything that could affect support for a party or candidate. Party "
        "names, politicians (a configurable list), 'vote for', manifesto and campaign language "
        "are a warning; when the post is scheduled inside a pre-election period (dates in "
        "checks/data/election_periods.yaml and the config; a post with no schedule is judged "
        "for today) they are an error. 'Labour ward' and 'in labour' are not politics."
    )
    examples = [
        Example(
            bad="Thanks to Wes Streeting for visiting Basildon Hospital. Vote for better care!",
            good="Thanks to everyone who came to our open day at Basildon Hospital.",
        )
    ]
    options = {
        "extra-parties": [],
        "extra-politicians": [],
        "extra-phrases": [],
        "election-periods": [],
        "replace-election-periods": False,
        "pre-election": False,
    }

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        hits = find_political(text, self.opts)
        if not hits:
            return
        when = publication_time(post, ctx)
        period = active_election_period(when, self.opts)
        for start, end, _kind in hits:
            shown = _snippet(post.text[start:end])
            if period:
                yield self.finding(
                    post,
                    f"{shown!r} is political content, and the post goes out on "
                    f"{when:%d %B %Y}, in the {period}: public bodies must not publish it. "
                    "Remove it, or ask the governance team.",
                    start,
                    end,
                    severity=max(Severity.ERROR, self.effective_severity),
                )
            else:
                yield self.finding(
                    post,
                    f"{shown!r} is political: do not get political (6.7.9). Keep to the "
                    "facts of the service, or check with the communications team.",
                    start,
                    end,
                )


# --------------------------------------------------------------------------- S042


# What follows an embargo marker up to where the marker's own words end: a time or date
# ("until 00:01 Tuesday 3 March", "10.30am") then ": ", ". ", " - " or the line end.
EMBARGO_TAIL = regex.compile(
    r"(?:\d{1,2}[:.]\d{2}|\.(?=\S)|[^:.\n–—)])*?"
    r"(?:\s*(?::|\.|\)|\s[-–—])[ \t]*|[ \t]*(?=\n)|\s*$)"
)


@functools.cache
def _embargo_pattern() -> regex.Pattern:
    return _phrases(_yaml("content_terms.yaml")["embargo_markers"])


class Embargo(Check):
    code = "S042"
    name = "embargo"
    severity = Severity.ERROR
    policy = "6.7.9 don't make big announcements early; embargoed material"
    summary = "Embargo markers in the text, or a schedule before the embargo lifts (or none)."
    explanation = (
        "Embargoed news must not go out before its time. postlint reports embargo markers "
        "copied into the post ('EMBARGOED until 00:01', 'not for publication until'), an "
        "embargo field later than the scheduled time, and an embargo with no scheduled time "
        "(nothing then stops the post going out early). Set 'scheduled' after the embargo, and "
        "remove the marker from the text."
    )
    examples = [
        Example(
            bad="EMBARGOED until 00:01 Tuesday: our new community diagnostic centre opens.",
            good="---\nembargo: 2026-03-03 00:01\nscheduled: 2026-03-03 09:00\n---\nOur new "
            "community diagnostic centre in Thurrock is open.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for match in _embargo_pattern().finditer(text):
            yield self.finding(
                post,
                f"embargo marker {_snippet(match.group(0))!r} in the text: this comes from an "
                "embargoed release. Remove the marker, and schedule the post after the embargo "
                "(front matter: embargo: and scheduled:).",
                match.start(),
                match.end(),
                fixes=[self._drop_marker(post.text, match.start(), match.end())],
            )
        embargo = post.embargo
        if embargo is None:
            return
        if embargo.until is None:
            yield self.finding(
                post,
                "the post is under embargo but no embargo time is given: write "
                "'embargo: 2026-03-03 00:01' so the schedule can be checked.",
                field_name="embargo",
            )
            return
        if post.scheduled is None:
            yield self.finding(
                post,
                f"embargoed until {embargo.until:%d %B %Y %H:%M} but not scheduled: set "
                "'scheduled:' to that time or later, so it cannot go out early.",
                field_name="embargo",
            )
        elif post.scheduled < embargo.until:
            yield self.finding(
                post,
                f"scheduled for {post.scheduled:%d %B %Y %H:%M}, before the embargo lifts "
                f"at {embargo.until:%d %B %Y %H:%M}: move the schedule.",
                field_name="scheduled",
            )

    @staticmethod
    def _drop_marker(text: str, start: int, end: int) -> Fix:
        """Remove the marker and the time it names ("until 00:01 Tuesday"), up to the colon,
        full stop, dash or bracket that ends it, or the end of the line. A colon inside a
        time (00:01) or a point inside a number (10.30) does not end it."""
        tail = EMBARGO_TAIL.match(text, end)
        stop = tail.end() if tail else end
        opened = regex.search(r"[ \t]*\(\s*$", text[:start])
        consumed = text[end:stop].rstrip()
        if opened and consumed.endswith(")"):
            # "news (embargoed until Monday) is": the brackets go too, one space stays.
            return Fix(opened.start(), end + len(consumed), "", "remove the embargo marker", False)
        before = text[:start].rstrip(" \t")
        line_start = not before or before[-1] in "\n.!?"
        if not line_start and (stop >= len(text) or text[stop] == "\n"):
            start = len(before)  # the marker ends the line: no space left dangling
        if line_start and text[stop : stop + 1] == "\n" and (not before or before[-1] == "\n"):
            stop += 1  # the marker was a line of its own: remove the line
            while not before and text[stop : stop + 1] == "\n":
                stop += 1  # and the blank lines after it, at the top of the post
        rest = text[stop:]
        if line_start and rest[:1].islower():
            # The words after the marker now start the sentence: capitalise the first one.
            return Fix(start, stop + 1, rest[0].upper(), "remove the embargo marker", safe=False)
        return Fix(start, stop, "", "remove the embargo marker", safe=False)


# --------------------------------------------------------------------------- S043


@functools.cache
def _legal_pattern() -> regex.Pattern:
    return _phrases(_yaml("content_terms.yaml")["legal"])


# Telling people how to complain is the signposting the policy wants, not a comment on a
# complaint: "If you'd like to make a complaint about a service, contact ...", "you can ask
# the Ombudsman to look into it".
SIGNPOSTING = regex.compile(
    r"\b(?:if\s+you(?:'d|\s+would)\s+like\s+to|(?:how|want)\s+to|you\s+can|"
    r"(?:to|can)\s+(?:make|raise)\s+a|not\s+happy\s+with|unhappy\s+with|"
    r"our\s+(?:patient\s+experience|complaints)\s+team|PALS|patient\s+advice\s+and\s+liaison)\b",
    regex.I,
)
SIGNPOSTED_TERMS = regex.compile(r"complain\w*|ombudsman", regex.I)


def _signposting(text: str, match: regex.Match[str]) -> bool:
    """A complaints term in a sentence that tells people how to complain."""
    if not SIGNPOSTED_TERMS.search(match.group(0)):
        return False
    start, end = _sentence(text, match.start(), match.end())
    return bool(SIGNPOSTING.search(text, start, end))


# "Thank you to Sue for 30 years": a name, not a lawsuit. Capitalised "Sue" is the verb only
# when its object follows ("Sue the trust").
SUE_OBJECT = regex.compile(
    r"\s+(?:the|them|us|you|him|her|it|over|a|an|our|their|your|my|NHS|"
    r"for\s+(?:damages|compensation|negligence|libel|defamation|unfair))\b",
    regex.I,
)


def _named_sue(text: str, match: regex.Match[str]) -> bool:
    word = match.group(0)
    return word in ("Sue", "Sues") and not SUE_OBJECT.match(text, match.end())


CLINICAL_TRIAL = regex.compile(r"(?:clinical|vaccine|drug|research)\s+trials?", regex.I)


class LegalMatters(Check):
    code = "S043"
    name = "legal-matters"
    severity = Severity.WARNING
    policy = "6.7.9 never comment on anything related to legal matters or complaints"
    summary = "Tribunals, lawsuits, inquests, investigations or complaints: refer to governance."
    explanation = (
        "Never comment on legal matters or complaints (6.7.9; Appendix B removes posts that "
        "discuss ongoing legal proceedings). Tribunals, inquests, court cases, lawsuits, "
        "negligence claims, ongoing investigations and complaints about named services or staff "
        "must be referred to the governance team / Chief of Staff, not discussed online. "
        "Signposting the complaints process ('to make a complaint, contact ...') is fine."
    )
    examples = [
        Example(
            bad="We're sorry to hear about the inquest into your dad's care.",
            good="We're sorry to hear this. Please e-mail mseicb.complaints@nhs.net so our "
            "patient experience team can help.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for match in _legal_pattern().finditer(text):
            if _signposting(text, match) or _named_sue(text, match):
                continue
            yield self.finding(
                post,
                f"{_snippet(match.group(0))!r} touches a legal matter or complaint: do not "
                "comment online. Refer it to the governance team / Chief of Staff.",
                match.start(),
                match.end(),
            )


# --------------------------------------------------------------------------- S044

LEET = str.maketrans(
    {
        "1": "i",
        "!": "i",
        "|": "i",
        "0": "o",
        "3": "e",
        "4": "a",
        "@": "a",
        "$": "s",
        "5": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
    }
)
TOKEN = regex.compile(r"(?<![\w*@$!+|])[\p{L}\d*@$!+|]*\p{L}[\p{L}\d*@$!+|]*(?![\w*@$+|])")
# Letters spelled out with dots, dashes or spaces: f.u.c.k, s-h-i-t.
SPACED = regex.compile(r"(?<!\w)(?:[\p{L}*@$!][.\-_ ]){2,}[\p{L}*@$!](?!\w)")


class WordMatcher:
    """better-profanity's words and its obfuscation matching (each letter may be written as
    its substitutes: u as *, v; s as $, 5; a as @, 4...), fast.

    ``Profanity.contains_profanity`` compares every word of a text with every listed word
    (about 1 ms a word). Here the listed words (better-profanity's ``VaryingString``
    objects) are indexed by the lengths they can match, and each distinct token is checked
    once.
    """

    def __init__(self, checker: Any) -> None:
        self.by_length: dict[int, list[Any]] = {}
        for variant in checker.CENSOR_WORDSET:
            low = getattr(variant, "_min_len", len(str(variant)))
            high = getattr(variant, "_max_len", len(str(variant)))
            for length in range(low, high + 1):
                self.by_length.setdefault(length, []).append(variant)
        self.matches = functools.lru_cache(maxsize=20_000)(self._matches)

    def _matches(self, token: str) -> bool:
        return any(variant == token for variant in self.by_length.get(len(token), ()))


@functools.cache
def _profanity(
    extra: tuple[str, ...], allow: tuple[str, ...]
) -> tuple[WordMatcher, frozenset[str], regex.Pattern | None]:
    """better-profanity's list plus the extra words, less the allow-list."""
    import better_profanity
    from better_profanity import Profanity
    from better_profanity.utils import read_wordlist

    base = Path(better_profanity.__file__).parent / "profanity_wordlist.txt"
    allowed = frozenset(a.lower() for a in (*_lines("offensive_allow.txt"), *allow))
    singles = [w for w in (*_lines("offensive_extra.txt"), *extra) if " " not in w]
    phrases = [w for w in (*_lines("offensive_extra.txt"), *extra) if " " in w]
    words = [w for w in read_wordlist(str(base)) if w.lower() not in allowed]
    words += [w.lower() for w in singles if w.lower() not in allowed]
    checker = Profanity()
    checker.load_censor_words(custom_words=sorted(set(words)))
    phrase_pattern = _phrases([regex.escape(p) for p in phrases]) if phrases else None
    matcher = WordMatcher(checker)
    matcher.words_by_length = {}
    for word in set(words):
        if word.isalpha():
            matcher.words_by_length.setdefault(len(word), set()).add(word.lower())
    return matcher, allowed, phrase_pattern


@functools.lru_cache(maxsize=4096)
def _starred_pattern(token: str) -> regex.Pattern | None:
    """'f***ing' as a pattern with one letter for each star, or None when the token is not a
    word with letters hidden by stars (4*4, **bold**)."""
    if "*" not in token or not token[:1].isalpha() or len(token) < 4:
        return None
    if sum(c.isalpha() for c in token) < 1 or not regex.fullmatch(r"[a-z*]+", token):
        return None
    return regex.compile("".join("[a-z]" if c == "*" else regex.escape(c) for c in token))


def _starred_swear(token: str, matcher: WordMatcher) -> bool:
    """A word written with stars for some letters that can only be a listed word."""
    pattern = _starred_pattern(token)
    if pattern is None:
        return False
    candidates = getattr(matcher, "words_by_length", {}).get(len(token), ())
    return any(pattern.fullmatch(word) for word in candidates)


_offensive_answers: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, bool]] = {}


def _offensive_word(word: str, matcher: WordMatcher, allowed: frozenset[str]) -> bool:
    lowered = word.lower()
    if lowered in allowed or lowered.translate(LEET) in allowed:
        return False
    if matcher.matches(lowered) or matcher.matches(lowered.translate(LEET)):
        return True
    return _starred_swear(lowered, matcher)  # f***ing, b*****d


def find_offensive(
    text: str, extra: Iterable[str] = (), allow: Iterable[str] = ()
) -> list[tuple[int, int]]:
    lists = (tuple(extra), tuple(allow))
    matcher, allowed, phrase_pattern = _profanity(*lists)
    # Most words of a post are everyday words seen in earlier posts: remember the answers.
    answers = _offensive_answers.setdefault(lists, {})
    if len(answers) > 50_000:
        answers.clear()
    spans: list[tuple[int, int]] = []

    def offensive(word: str) -> bool:
        known = answers.get(word)
        if known is None:
            known = answers[word] = _offensive_word(word, matcher, allowed)
        return known

    for match in TOKEN.finditer(text):
        raw = match.group(0)
        # "**word**" is Markdown bold; "f***" after a letter is a word with letters hidden.
        word = raw.strip("!|*") if raw[:1] in "!|*" else raw.rstrip("!|")
        if len(word) < 2 or word.isdigit():
            continue
        if offensive(word):
            start = match.start() + (len(raw) - len(raw.lstrip("!|*")))
            spans.append((start, start + len(word)))
    for match in SPACED.finditer(text):
        joined = regex.sub(r"[.\-_ ]", "", match.group(0))
        if (
            len(joined) >= 3
            and offensive(joined)
            and not any(a <= match.start() < b for a, b in spans)
        ):
            spans.append((match.start(), match.end()))
    if phrase_pattern is not None:
        for match in phrase_pattern.finditer(text):
            if not any(a <= match.start() < b for a, b in spans):
                spans.append((match.start(), match.end()))
    return sorted(spans)


class OffensiveLanguage(Check):
    code = "S044"
    name = "offensive-language"
    severity = Severity.ERROR
    policy = "6.7.6 and 6.7.9 do not swear or use abusive or discriminatory language; Appendix B"
    summary = "Swearing, abusive or discriminatory words, including obfuscated ones (f*ck, sh1t)."
    explanation = (
        "Do not swear or use aggressive, abusive, discriminatory or antagonistic language "
        "(6.7.9); Appendix B removes profane and discriminatory content. postlint uses "
        "better-profanity's word list and its handling of disguised spellings (f*ck, sh1t, "
        "b1tch, a$$), plus checks/data/offensive_extra.txt (British swearing, slurs, "
        "stigmatising mental-health words). Whole words only, so Scunthorpe, Essex, "
        "assessment and Shell are safe; checks/data/offensive_allow.txt keeps health words "
        "(sexual health, anatomy, drugs services) from being flagged."
    )
    examples = [
        Example(
            bad="Waiting times are sh1t, sorry folks.",
            good="We know waiting times are too long, and we are sorry.",
        )
    ]
    options = {"extra-words": [], "allow-words": []}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        spans = [(m.start(), m.end()) for m in URL.finditer(post.text)]
        spans += [(m.start(), m.end()) for m in EMAIL.finditer(post.text)]
        # Bold and code markers are markup to the reader but "f**k" is a disguised word:
        # blank only the longer markup (comments, link targets).
        markup = [(a, b) for a, b in post.markup_spans if post.text[a:b] not in ("**", "__", "`")]
        text = masked(post.text, markup + spans)
        extra = _extra(self.opts, "extra-words")
        allow = _extra(self.opts, "allow-words")
        for start, end in find_offensive(text, extra, allow):
            shown = post.text[start:end]
            # Quote only the first letter: the report should not repeat the word.
            hidden = shown[:1] + "*" * max(len(shown) - 1, 1) if len(shown) < 20 else "…"
            yield self.finding(
                post,
                f"offensive or discriminatory language ({hidden!r}): do not swear or use "
                "abusive words. Rephrase it.",
                start,
                end,
            )


# --------------------------------------------------------------------------- S045


INCIDENT_PRACTICE = regex.compile(
    r"\s+(?:exercises?|training|drills?|simulations?|plans?|planning|policy|policies|"
    r"scenarios?|tabletop|rehearsals?|awareness)\b",
    regex.I,
)


PRACTICE_WORDS = regex.compile(
    r"\b(?:drills?|exercises?|simulations?|rehearsals?|practis\w+|practic\w+|training)\b",
    regex.I,
)


class MajorIncident(Check):
    code = "S045"
    name = "major-incident"
    severity = Severity.ERROR
    policy = "6.7.9 do not get involved during a crisis (major incidents)"
    summary = "While incident mode is on, posts that touch the incident are errors."
    explanation = (
        "During a major incident there must be one official source of news (6.7.9): staff "
        "must not film or post anything about the incident or its response. Turn on incident "
        "mode in the config ([tool.postlint.options.major-incident] active = true, name = "
        "'...', terms = ['Basildon Hospital fire', ...]) and every post that mentions it, or "
        "the usual incident words, is an error until it is turned off. With incident mode off, "
        "a post from a personal or departmental account that mentions a major or critical "
        "incident, an evacuation or a fire at a hospital (the incident_now list in "
        "checks/data/content_terms.yaml) is a warning; drills and exercises are not."
    )
    examples = [
        Example(
            bad="Crazy scenes at A&E tonight after the major incident, pics below!",
            good="Please follow @MSEICB for official updates.",
            note="With incident mode active.",
        )
    ]
    options = {"active": False, "name": "", "terms": [], "corporate-severity": "error"}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        base_terms = _yaml("content_terms.yaml").get("incident") or []
        active = bool(self.opts.get("active"))
        name = str(self.opts.get("name") or "").strip()
        if active:
            own = [regex.escape(t) for t in _extra(self.opts, "terms")]
            if name:
                own.append(regex.escape(name))
            pattern = _phrases([*own, *base_terms])
            if post.account.kind == "corporate":
                level = Severity.parse(str(self.opts.get("corporate-severity") or "error"))
            else:
                level = self.effective_severity
            label = f"the {name} incident" if name else "the current major incident"
            for match in pattern.finditer(text):
                yield self.finding(
                    post,
                    f"{_snippet(match.group(0))!r}: incident mode is on for {label}. Do not post "
                    "about it; share only the official updates agreed by the incident comms lead.",
                    match.start(),
                    match.end(),
                    severity=level,
                )
            return
        if post.account.kind == "corporate":
            return
        now_terms = _yaml("content_terms.yaml").get("incident_now") or base_terms[:3]
        for match in _phrases(now_terms).finditer(text):
            start, end = _sentence(text, match.start(), match.end())
            if INCIDENT_PRACTICE.match(text, match.end()) or PRACTICE_WORDS.search(
                text, start, end
            ):
                continue  # "major incident exercise", "our fire drill": training, not an incident
            yield self.finding(
                post,
                f"{_snippet(match.group(0))!r}: during an incident leave updates to the official "
                "accounts; do not post about it from this account.",
                match.start(),
                match.end(),
                severity=Severity.WARNING,
            )


# --------------------------------------------------------------------------- S046


@functools.cache
def _announcement_pattern() -> regex.Pattern:
    return _phrases(_yaml("content_terms.yaml")["announcements"])


class BigAnnouncement(Check):
    code = "S046"
    name = "big-announcement"
    severity = Severity.INFO
    policy = "6.7.9 don't make big announcements: let the communications team know first"
    summary = "Awards, launches, new services: agree it with the communications team first."
    explanation = (
        "Big news (an innovation, a new service, an award nomination) should go to the "
        "communications team first (6.7.9): posting too soon can undercut other plans and can "
        "clash with national guidance such as the pre-election period. This is a reminder."
    )
    examples = [
        Example(
            bad="We are proud to announce we've been shortlisted for an HSJ award!",
            good="Our pharmacy team shares five tips for a healthy winter.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        seen = False
        for match in _announcement_pattern().finditer(text):
            if seen:
                break  # one reminder a post is enough
            seen = True
            yield self.finding(
                post,
                f"{_snippet(match.group(0))!r} sounds like a big announcement: agree it with the "
                "communications team first so it fits other plans.",
                match.start(),
                match.end(),
            )


CHECKS = [
    MedicalAdvice,
    PoliticalContent,
    Embargo,
    LegalMatters,
    OffensiveLanguage,
    MajorIncident,
    BigAnnouncement,
]
