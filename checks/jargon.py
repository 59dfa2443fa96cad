"""L021 jargon and L022 plain-words: NHS and management jargon, GOV.UK words to avoid.

Both read an editable list (data/jargon.yaml). Words match on their lemma with spaCy
("delivering" matches "deliver", "drove" matches "drive"), with part-of-speech conditions
where a word is only jargon in one use ("impact" as a verb, "key" as an adjective). Without
spaCy, a built-in inflection table stands in for lemmas, and a word with a part-of-speech
condition is matched only in forms that cannot be anything else ("impacted", "will impact").

Fixes are offered only where the replacement is mechanical ("utilised" -> "used",
"in order to" -> "to"); they keep the original's inflection and capitals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import prose

from . import nlp

# Words, line breaks (a sentence boundary in a post) and single punctuation marks.
TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\n|[^\sA-Za-z]")
MODALS = {
    "to",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "must",
    "should",
    "shall",
    "not",
    "does",
    "do",
    "did",
    "won't",
    "can't",
    "don't",
    "didn't",
    "doesn't",
}
FUNCTION_WORDS = {
    "to",
    "of",
    "is",
    "was",
    "are",
    "were",
    "be",
    "in",
    "for",
    "and",
    "or",
    "the",
    "a",
    "an",
    "that",
    "this",
    "it",
    "with",
    "on",
    "at",
}
DETERMINERS = {"the", "a", "an", "our", "your", "their", "this", "that", "its", "his", "her"}
# Verbs whose final consonant doubles before -ed and -ing (British spelling).
DOUBLING = {"commit", "combat", "refer", "admit", "control", "travel", "cancel", "label", "signal"}
IRREGULAR: dict[str, dict[str, str]] = {
    "drive": {"s": "drives", "ed": "drove", "en": "driven", "ing": "driving"},
    "get": {"s": "gets", "ed": "got", "en": "got", "ing": "getting"},
    "buy": {"s": "buys", "ed": "bought", "en": "bought", "ing": "buying"},
    "make": {"s": "makes", "ed": "made", "en": "made", "ing": "making"},
    "give": {"s": "gives", "ed": "gave", "en": "given", "ing": "giving"},
    "go": {"s": "goes", "ed": "went", "en": "gone", "ing": "going"},
    "stop": {"s": "stops", "ed": "stopped", "en": "stopped", "ing": "stopping"},
    "slim": {"s": "slims", "ed": "slimmed", "en": "slimmed", "ing": "slimming"},
}


@functools.lru_cache(maxsize=4096)
def inflections(base: str) -> dict[str, str]:
    """Regular English forms of ``base``: s (3rd person or plural), ed, en (past
    participle), ing. Good enough for the words in the list and their replacements."""
    if base in IRREGULAR:
        return {"base": base, **IRREGULAR[base]}
    if " " in base or not base.isalpha():
        return {"base": base}
    if re.search(r"(s|x|z|ch|sh)$", base):
        s = base + "es"
    elif re.search(r"[^aeiou]y$", base):
        s = base[:-1] + "ies"
    else:
        s = base + "s"
    stem = base + base[-1] if base in DOUBLING else base
    if base.endswith("e"):
        ed, ing = base + "d", (base[:-1] if not base.endswith(("ee", "ye", "oe")) else base)
        ing += "ing"
    elif re.search(r"[^aeiou]y$", base):
        ed, ing = base[:-1] + "ied", base + "ing"
    else:
        ed, ing = stem + "ed", stem + "ing"
    return {"base": base, "s": s, "ed": ed, "en": ed, "ing": ing}


@dataclass(frozen=True)
class Term:
    kind: str  # "jargon" or "avoid"
    phrases: tuple[tuple[str, ...], ...]  # each spelling, as lower-case tokens
    plain: str
    pos: str | None = None
    objects: frozenset[str] = frozenset()
    except_next: frozenset[str] = frozenset()
    except_prev: frozenset[str] = frozenset()
    fix: str | None = None
    safe: bool = False
    why: str | None = None
    source: str = ""


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).lower() for m in TOKEN.finditer(text))


@functools.cache
def load_terms() -> tuple[Term, ...]:
    """Every entry of data/jargon.yaml, both sections."""
    text = resources.files(__package__).joinpath("data/jargon.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    terms = []
    for kind in ("jargon", "avoid"):
        for raw in data.get(kind) or []:
            spellings = raw["match"] if isinstance(raw["match"], list) else [raw["match"]]
            terms.append(
                Term(
                    kind=kind,
                    phrases=tuple(_tokens(str(s)) for s in spellings),
                    plain=str(raw["plain"]),
                    pos=raw.get("pos"),
                    objects=frozenset(str(w).lower() for w in raw.get("objects") or ()),
                    except_next=frozenset(str(w).lower() for w in raw.get("except_next") or ()),
                    except_prev=frozenset(str(w).lower() for w in raw.get("except_prev") or ()),
                    fix=raw.get("fix"),
                    safe=bool(raw.get("safe", False)),
                    why=raw.get("why"),
                    source=str(raw.get("source", "")),
                )
            )
    return tuple(terms)


@dataclass
class Tok:
    text: str
    lower: str
    start: int
    end: int
    lemma: str | None = None  # from spaCy
    pos: str | None = None
    tag: str | None = None
    spacy_token: Any = None

    @functools.cached_property
    def near(self) -> frozenset[str]:
        """Lemmas of the word's syntactic neighbours (spaCy): its children, their
        conjuncts and objects, and its head when it is an object. Only terms with
        conditions ask, so it is worked out on demand."""
        sp = self.spacy_token
        if sp is None:
            return frozenset()
        near = set()
        for child in sp.children:
            near.add(child.lemma_.lower())
            near.update(c.lemma_.lower() for c in child.children if c.dep_ == "conj")
            near.update(c.lower_ for c in child.children if c.dep_ == "pobj")
        if sp.dep_ in {"dobj", "nsubjpass", "pobj"}:
            near.add(sp.head.lemma_.lower())
        return frozenset(near)


def tokenise(text: str, doc: Any) -> list[Tok]:
    """Word and punctuation tokens of ``text``, with spaCy's lemma, part of speech and
    children where a spaCy token starts at the same place."""
    by_start = {t.idx: t for t in doc} if doc is not None else {}
    toks = []
    for match in TOKEN.finditer(text):
        word = match.group(0)
        tok = Tok(word, word.lower(), match.start(), match.end())
        sp = by_start.get(match.start())
        if sp is not None and sp.text[:1].isalpha():
            tok.lemma = sp.lemma_.lower()
            tok.pos = sp.pos_
            tok.tag = sp.tag_
            tok.spacy_token = sp
        toks.append(tok)
    return toks


@dataclass
class Match:
    term: Term
    start: int
    end: int
    first: Tok
    phrase: tuple[str, ...]


@functools.lru_cache(maxsize=8192)
def _surface_forms(word: str) -> frozenset[str]:
    """Spellings that count as ``word``: itself, and its inflections for longer words."""
    if len(word) < 4:
        return frozenset({word})
    return frozenset({word, *inflections(word).values()})


def _word_matches(tok: Tok, word: str) -> bool:
    return tok.lower in _surface_forms(word) or tok.lemma == word


@functools.cache
def _index(kind: str) -> dict[str, list[tuple[Term, tuple[str, ...]]]]:
    """Phrases of ``kind`` by every spelling of their first word, for a fast scan."""
    index: dict[str, list[tuple[Term, tuple[str, ...]]]] = {}
    for term in load_terms():
        if term.kind == kind:
            for phrase in term.phrases:
                for form in _surface_forms(phrase[0]):
                    index.setdefault(form, []).append((term, phrase))
    return index


def find_terms(text: str, doc: Any, kind: str, toks: list[Tok] | None = None) -> list[Match]:
    """Matches of the list's ``kind`` section in ``text``, longest first, not overlapping.
    ``toks``: ``tokenise(text, doc)``, when the caller has it already."""
    toks = tokenise(text, doc) if toks is None else toks
    index = _index(kind)
    found: list[Match] = []
    for i, tok in enumerate(toks):
        candidates = index.get(tok.lower, [])
        if tok.lemma and tok.lemma != tok.lower:
            candidates = candidates + index.get(tok.lemma, [])
        for term, phrase in candidates:
            if not _phrase_at(toks, i, phrase):
                continue
            if _conditions_hold(term, toks, i, len(phrase), doc is not None):
                end = toks[i + len(phrase) - 1].end
                found.append(Match(term, tok.start, end, tok, phrase))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for match in found:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


def _phrase_at(toks: list[Tok], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` starts at toks[i] as whole words."""
    n = len(phrase)
    if i + n > len(toks):
        return False
    if i > 0 and toks[i - 1].end == toks[i].start and toks[i - 1].text in "-'’":
        return False  # inside a hyphenated word: "self-signpost" is not "signpost"
    if not all(_word_matches(toks[i + k], phrase[k]) for k in range(n)):
        return False
    after = i + n
    # "key-worker": the phrase is part of a longer hyphenated word.
    return not (
        after < len(toks) and toks[after].start == toks[after - 1].end and toks[after].text == "-"
    )


BOUNDARY = {".", "!", "?", ";", ":", "(", ")", "\n"}


def _words_around(toks: list[Tok], i: int, n: int, span: int) -> tuple[list[Tok], list[Tok]]:
    """Up to ``span`` words either side of toks[i:i+n], within the same sentence."""
    before: list[Tok] = []
    for t in reversed(toks[max(0, i - span * 2) : i]):
        if t.text in BOUNDARY:
            break
        if t.text[:1].isalpha():
            before.insert(0, t)
    after: list[Tok] = []
    for t in toks[i + n : i + n + span * 2]:
        if t.text in BOUNDARY:
            break
        if t.text[:1].isalpha():
            after.append(t)
    return before[-span:], after[:span]


def _conditions_hold(term: Term, toks: list[Tok], i: int, n: int, parsed: bool) -> bool:
    before, after = _words_around(toks, i, n, 4)
    following = after[0].lower if after and _adjacent(toks, i + n, after[0]) else None
    previous = before[-1].lower if before else None
    if following in term.except_next or previous in term.except_prev:
        return False
    if term.objects:
        nearby = {t.lower for t in before + after} | {t.lemma or "" for t in before + after}
        nearby |= toks[i].near
        if not nearby & term.objects:
            return False
    if term.pos:
        return _pos_holds(term, toks[i], previous, following, parsed)
    return True


def _adjacent(toks: list[Tok], position: int, word: Tok) -> bool:
    """True when ``word`` follows with nothing but spaces between (no comma or full stop)."""
    return position < len(toks) and toks[position] is word


def _pos_holds(
    term: Term, tok: Tok, previous: str | None, following: str | None, parsed: bool
) -> bool:
    if parsed and tok.pos is not None:
        wanted = {"VERB": {"VERB"}, "NOUN": {"NOUN", "PROPN"}, "ADJ": {"ADJ"}}[term.pos]
        return tok.pos in wanted
    # Without a parse: only forms that cannot be another part of speech.
    base = next(iter(term.phrases))[0]
    forms = inflections(base)
    if term.pos == "VERB":
        if tok.lower in {forms.get("ed"), forms.get("ing"), forms.get("en")} - {base}:
            return True
        return tok.lower == base and previous in MODALS
    if term.pos == "ADJ":
        return (
            tok.lower == base
            and following is not None
            and following.isalpha()
            and following not in FUNCTION_WORDS
        )
    if term.pos == "NOUN":
        return previous in DETERMINERS or tok.lower == forms.get("s")
    return True


# --- Fixes -------------------------------------------------------------------------------------


def _form_of(tok: Tok, base: str) -> str | None:
    """Which inflection of ``base`` the token is (base, s, ed, en, ing), or None."""
    forms = inflections(base)
    for name in ("base", "s", "ing", "ed", "en"):
        if forms.get(name) == tok.lower:
            if name in {"ed", "en"} and tok.tag == "VBN":
                return "en"
            return name
    return None


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def fix_for(match: Match, text: str) -> Fix | None:
    """The mechanical replacement for a match, inflected and capitalised like it."""
    term = match.term
    if not term.fix:
        return None
    replacement = term.fix
    if len(match.phrase) == 1:
        form = _form_of(match.first, match.phrase[0])
        if form is None:
            return None
        if form != "base":
            head, _, rest = replacement.partition(" ")
            forms = inflections(head)
            if form == "ed" and forms["ed"] != forms["en"] and match.first.tag is None:
                return None  # gave or given? without a parse we cannot tell
            replacement = forms[form] + (f" {rest}" if rest else "")
    elif match.first.lower != match.phrase[0]:
        return None
    replacement = _match_case(text[match.start : match.end], replacement)
    original = text[match.start : match.end]
    return Fix(
        match.start,
        match.end,
        replacement,
        f"replace '{original}' with '{replacement}'",
        safe=term.safe,
    )


# --- The checks --------------------------------------------------------------------------------


class _TermCheck(Check):
    kind = "jargon"
    requires = ("spacy_doc",)
    fixable = True

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        doc = ctx.analysis("spacy_doc")
        findings: list[Finding] = []
        if doc is None:
            findings.extend(nlp.unavailable_notice(self, post, ctx))
        text = prose(post.text, post.markup_spans)
        ignore = {w.lower() for w in self.opts.get("ignore") or []}
        # L021 and L022 read the same tokens: worked out once a post.
        toks = ctx.per_post("jargon.tokens", lambda: tokenise(text, doc))
        for match in find_terms(text, doc, self.kind, toks):
            phrase_text = " ".join(match.phrase)
            if phrase_text in ignore or match.phrase[0] in ignore:
                continue
            fix = fix_for(match, text)
            findings.append(
                self.finding(
                    post,
                    self.message(text[match.start : match.end], match.term),
                    match.start,
                    match.end,
                    fixes=[fix] if fix else [],
                    suggestion=match.term.plain,
                )
            )
        return findings

    def message(self, original: str, term: Term) -> str:
        raise NotImplementedError


class Jargon(_TermCheck):
    code = "L021"
    name = "jargon"
    severity = Severity.WARNING
    policy = "6.7.9 abbreviations and jargon"
    summary = "NHS, management or public-sector jargon that many readers will not understand."
    explanation = (
        "Policy 6.7.9: don't assume everyone will understand jargon. Words that are everyday "
        "at work (pathway, cohort, stakeholder, system partners, step-down, care package, "
        "primary care) mean little to the public. Say what you mean in plain words: the "
        "message suggests some. The list is checks/data/jargon.yaml (section `jargon`); "
        "words match in any form (cohorts, signposting), and the option `ignore` turns off "
        "words your audience does know."
    )
    examples = [
        Example(
            bad="We are working with system partners to improve the pathway for frail patients.",
            good="We are working with hospitals, councils and GP practices to improve care for "
            "older people who are frail.",
        ),
        Example(
            bad="Patients will be signposted to a care package.",
            good="We will tell you about care and support you can have at home.",
        ),
    ]
    # spacy-model: the spaCy pipeline for the whole run ("" = en_core_web_sm, else any
    # installed English one); see checks/nlp.py.
    options = {"ignore": [], "spacy-model": ""}
    kind = "jargon"

    def message(self, original: str, term: Term) -> str:
        why = f" ({term.why})" if term.why else ""
        return f"'{original}' is jargon many people won't understand{why}: try {term.plain}"


class PlainWords(_TermCheck):
    code = "L022"
    name = "plain-words"
    severity = Severity.INFO
    policy = "GCS accessible social media: plain words (GOV.UK words to avoid)"
    summary = "A GOV.UK 'word to avoid' or a wordy phrase with a plainer alternative."
    explanation = (
        "The Government Communication Service asks for plain words, and the GOV.UK style "
        "guide lists words to avoid because they are vague or overused: agenda, deliver "
        "(improvements), drive, facilitate, impact (as a verb), key (as in important), "
        "leverage, robust, streamline, tackle, utilise, going forward, in order to. The NHS "
        "'A to Z of health writing' adds wordy words with simpler ones (prior to, commence, "
        "approximately). 'impact' is only flagged as a verb and 'key' only as an adjective. "
        "Fixes are offered where the swap is mechanical ('utilised' becomes 'used', 'in order "
        "to' becomes 'to'). The list is checks/data/jargon.yaml (section `avoid`)."
    )
    examples = [
        Example(
            bad="We will utilise the new clinic in order to tackle waiting lists going forward.",
            good="We will use the new clinic to cut waiting times.",
        ),
        Example(
            bad="This will impact key services.",
            good="This will affect important services.",
            note="'the impact of' (a noun) and 'key workers' are not flagged.",
        ),
    ]
    options = {"ignore": [], "spacy-model": ""}
    kind = "avoid"

    def message(self, original: str, term: Term) -> str:
        why = f" ({term.why})" if term.why else ""
        return f"'{original}': GOV.UK advises plainer words{why}: try {term.plain}"


CHECKS = [Jargon, PlainWords]
