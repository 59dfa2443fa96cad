"""Accessible text style (GCS accessible social media): emoji, fancy Unicode "fonts",
ALL CAPS, vague link text, long or tracked URLs, symbols used for words. Codes A020-A027.

Screen readers read every emoji by its name, read "fancy font" letters (𝐅𝐫𝐞𝐞) one by one
or not at all, spell out words in capitals, and let people jump from link to link, so a
link that says "click here" says nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from postlint_checks.hashtags import config_acronyms, domain_words, model

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import Span, prose, spans_of

GCS = "GCS accessible social media"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _in_markup(post: Post, start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in post.markup_spans)


# ---------------------------------------------------------------------------------------
# Emoji
# ---------------------------------------------------------------------------------------

EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
# Symbols the emoji list includes but that are ordinary typography when written without
# the emoji variation selector: © ® ™ ℹ, arrows, and the like.
TEXT_SYMBOLS = regex.compile(r"^[\u00a9\u00ae\u2000-\u218f\u2190-\u21ff\u2300-\u23ff]$")


def is_pictograph(span: Span) -> bool:
    """An emoji that shows as a picture (and is read out by name), not a text symbol."""
    text = span.text
    if len(text) > 1 or EMOJI_PRESENTATION.search(text):
        return True  # sequences (skin tones, ZWJ, flags, keycaps, U+FE0F) and emoji proper
    return not TEXT_SYMBOLS.match(text)


def pictographs(post: Post) -> list[Span]:
    return [
        s
        for s in spans_of(post.text, "emoji")
        if is_pictograph(s) and not _in_markup(post, s.start, s.end)
    ]


@functools.cache
def emoji_name(text: str) -> str:
    import emoji

    name = emoji.demojize(text, delimiters=("", "")).replace("_", " ")
    return name if name != text else "emoji"


def emoji_runs(post: Post, spans: list[Span]) -> list[list[Span]]:
    """Emoji that follow one another with nothing but spaces between them on one line."""
    runs: list[list[Span]] = []
    for span in spans:
        gap = post.text[runs[-1][-1].end : span.start] if runs else "\n"
        if runs and not gap.strip(" \t\u200d\ufe0f"):
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


class EmojiCount(Check):
    code = "A020"
    name = "emoji-count"
    severity = Severity.WARNING
    policy = f"{GCS}: emoji (two or three at most)"
    summary = "Too many emoji in one post."
    explanation = (
        "Screen readers read each emoji's full name ('face with tears of joy'), so a post "
        "full of emoji takes a long time to hear and loses its message. GCS advises two or "
        "three at most, never carrying the meaning. postlint warns above `max` (default 3)."
    )
    examples = [
        Example(
            "🎉🎉 Our new clinic 🏥 is open 🙌 in Basildon 💙 Pop in 👋",
            "Our new clinic is open in Basildon. Pop in 👋",
        )
    ]
    options = {"max": 3}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        limit = int(self.opts.get("max", 3))
        spans = pictographs(post)
        if len(spans) > limit:
            yield self.finding(
                post,
                f"{len(spans)} emoji: use {limit} or fewer. Screen readers read out each "
                "one's name.",
                spans[limit].start,
                spans[-1].end,
            )


class EmojiRun(Check):
    code = "A021"
    name = "emoji-run"
    severity = Severity.WARNING
    policy = f"{GCS}: emoji"
    summary = "Several emoji in a row."
    explanation = (
        "A row of emoji is read out name after name: '👏👏👏' is 'clapping hands, clapping "
        "hands, clapping hands'. Use one emoji where one will do. `run` (default 3) emoji in "
        "a row are reported, and the same emoji twice ('🎉🎉'), which adds nothing but noise "
        "(`repeats`, default true)."
    )
    examples = [Example("Thank you to our nurses 👏👏👏", "Thank you to our nurses 👏")]
    fixable = True
    options = {"run": 3, "repeats": True}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        length = int(self.opts.get("run", 3))
        repeats = bool(self.opts.get("repeats", True))
        for run in emoji_runs(post, pictographs(post)):
            repeated = repeats and len(run) >= 2 and len({s.text for s in run}) == 1
            if len(run) >= length or repeated:
                keep = run[0].text
                fix = Fix(
                    run[0].start,
                    run[-1].end,
                    keep,
                    "keep only the first emoji of the row",
                    safe=False,
                )
                yield self.finding(
                    post,
                    f"{len(run)} emoji in a row: a screen reader reads every name "
                    f"('{emoji_name(run[0].text)}, {emoji_name(run[1].text)}, ...'). Use one.",
                    run[0].start,
                    run[-1].end,
                    fixes=[fix],
                )


SENTENCE_BREAK = re.compile(r"[.!?:;…]|\n")
WORD_CHAR = re.compile(r"[^\W_]")


class EmojiInSentence(Check):
    code = "A022"
    name = "emoji-in-sentence"
    severity = Severity.WARNING
    policy = f"{GCS}: emoji (not in the middle of sentences or in place of words)"
    summary = "An emoji in the middle of a sentence or in place of a word."
    explanation = (
        "An emoji in the middle of a sentence interrupts it with the emoji's name ('Get "
        "your syringe today'), and an emoji in place of a word hides the word from anyone "
        "who cannot see the picture. Write the words; put any emoji at the end."
    )
    examples = [
        Example(
            "Get your 💉 today at your local pharmacy",
            "Get your flu jab today at your local pharmacy 💉",
        ),
        Example(
            "Thank you to our amazing staff 💙 for all their hard work",
            "Thank you to our amazing staff for all their hard work 💙",
        ),
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for run in emoji_runs(post, pictographs(post)):
            start, end = run[0].start, run[-1].end
            before = text[:start]
            after = text[end:]
            # The nearest word before, with no sentence break between it and the emoji.
            tail = SENTENCE_BREAK.split(before)[-1]
            if not WORD_CHAR.search(tail):
                continue
            head = SENTENCE_BREAK.split(after)[0]
            following = re.match(r"\s*(\S+)", head)
            if following is None or not following.group(1)[:1].islower():
                continue  # the sentence ends here, or the next word starts a new one
            name = emoji_name(run[0].text)
            yield self.finding(
                post,
                f"emoji in the middle of a sentence: a screen reader says '{name}' here. "
                "Use words, and put any emoji at the end.",
                start,
                end,
            )


# ---------------------------------------------------------------------------------------
# Fancy Unicode "fonts"
# ---------------------------------------------------------------------------------------

# Letterlike Symbols that fill the gaps of the Mathematical Alphanumeric block (ℎ for the
# missing italic h, ℂ ℍ ℕ ℙ ℚ ℝ ℤ for double-struck capitals, and so on).
LETTERLIKE = frozenset(
    "\u210a\u210b\u210c\u210d\u210e\u210f\u2110\u2111\u2112\u2113\u2115\u2119\u211a\u211b"
    "\u211c\u211d\u2124\u2128\u212c\u212d\u212f\u2130\u2131\u2133\u2134"
)
# Small capitals, which NFKC leaves alone.
SMALL_CAPITALS = {
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ꜰ": "f",
    "ɢ": "g",
    "ʜ": "h",
    "ɪ": "i",
    "ᴊ": "j",
    "ᴋ": "k",
    "ʟ": "l",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ǫ": "q",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
}
# Strike-through and underline "styles" are combining marks after every letter.
OVERLAYS = frozenset("\u0332\u0333\u0334\u0335\u0336\u0337\u0338")


def fancy_plain(ch: str) -> str | None:
    """The plain letter(s) for a "fancy font" character, or None if ``ch`` is not one."""
    cp = ord(ch)
    if 0x1D400 <= cp <= 0x1D7FF or ch in LETTERLIKE:
        plain = unicodedata.normalize("NFKC", ch)
        return plain if plain != ch else None
    if 0x24B6 <= cp <= 0x24E9 or 0x1F130 <= cp <= 0x1F149:  # circled and squared letters
        return unicodedata.normalize("NFKC", ch)
    if 0x1F150 <= cp <= 0x1F169 or 0x1F170 <= cp <= 0x1F189:  # negative circled / squared
        return chr(ord("A") + (cp - 0x1F150) % 0x20)
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return unicodedata.normalize("NFKC", ch)  # full-width letters and digits
    if ch in SMALL_CAPITALS:
        return SMALL_CAPITALS[ch]
    if ch in OVERLAYS:
        return ""
    name = unicodedata.name(ch, "")
    if name.startswith(("MODIFIER LETTER SMALL ", "MODIFIER LETTER CAPITAL ")) or (
        name.startswith(("SUPERSCRIPT LATIN", "LATIN SUBSCRIPT SMALL LETTER"))
    ):
        plain = unicodedata.normalize("NFKC", ch)
        return plain if plain.isascii() and plain.isalpha() else None
    return None


@dataclass(frozen=True)
class FancyRun:
    start: int
    end: int
    plain: str


# Characters that may sit between fancy letters inside one run (spaces, punctuation).
RUN_GLUE = re.compile(r"[ \t\u3000'’!?.,:;&-]")


def fancy_runs(text: str) -> list[FancyRun]:
    if text.isascii():
        return []  # every fancy letter and combining mark is outside ASCII
    runs: list[FancyRun] = []
    i = 0
    n = len(text)
    while i < n:
        if fancy_plain(text[i]) is None and not (i + 1 < n and text[i + 1] in OVERLAYS):
            i += 1
            continue
        start = i
        last = i
        j = i
        while j < n:
            ch = text[j]
            if fancy_plain(ch) is not None or (j + 1 < n and text[j + 1] in OVERLAYS):
                last = j
            elif not RUN_GLUE.match(ch):
                break
            j += 1
        end = last + 1
        plain = "".join(
            text[k] if fancy_plain(text[k]) is None else fancy_plain(text[k]) or ""
            for k in range(start, end)
        ).replace("\u3000", " ")
        runs.append(FancyRun(start, end, plain))
        i = end
    return runs


class FancyText(Check):
    code = "A023"
    name = "fancy-unicode-text"
    severity = Severity.ERROR
    policy = f"{GCS}: fancy Unicode fonts"
    summary = "Text in a fancy Unicode 'font' (𝐛𝐨𝐥𝐝, 𝘪𝘵𝘢𝘭𝘪𝘤, ᴄᴀᴘꜱ, Ⓒⓘⓡⓒⓛⓔⓓ, ｗｉｄｅ)."
    explanation = (
        "Bold, italic or 'fancy' text made with Unicode symbols is not text to a screen "
        "reader: it reads each symbol's name ('mathematical bold capital F...') or skips it, "
        "and search does not find the words. Use plain letters. The fix turns the symbols "
        "back into plain letters (Unicode NFKC normalisation, plus small capitals, which NFKC "
        "leaves alone), so it is safe."
    )
    examples = [
        Example("𝐅𝐫𝐞𝐞 flu jabs this weekend", "Free flu jabs this weekend"),
        Example("ꜰʀᴇᴇ ᴘᴀʀᴋɪɴɢ at the hospital", "Free parking at the hospital"),
    ]
    fixable = True

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        for run in fancy_runs(post.text):
            if _in_markup(post, run.start, run.end):
                continue
            fix = Fix(run.start, run.end, run.plain, "use plain letters")
            yield self.finding(
                post,
                f"text in a fancy Unicode 'font' ('{_short(run.plain)}'): screen readers read "
                "these symbols one by one or not at all. Use plain letters.",
                run.start,
                run.end,
                fixes=[fix],
            )


# ---------------------------------------------------------------------------------------
# ALL CAPS
# ---------------------------------------------------------------------------------------

CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}&])\p{Lu}[\p{Lu}'’&]*\p{Lu}(?![\p{L}\p{N}&])")
CAPS_GAP = regex.compile(r"^[ \t,'’\"&-]*$")


class AllCaps(Check):
    code = "A024"
    name = "all-caps"
    severity = Severity.WARNING
    policy = f"{GCS}: capital letters"
    summary = "Words or sentences in ALL CAPS (acronyms such as NHS and A&E are fine)."
    explanation = (
        "Text in capitals is harder to read, especially for people with dyslexia or low "
        "vision, reads as shouting, and some screen readers spell out words in capitals "
        "letter by letter. Use sentence case; keep capitals for acronyms (NHS, GP, A&E). "
        "postlint knows the acronyms in checks/data/acronyms.txt plus your config's "
        "`acronyms`; short unknown words in capitals (three letters or fewer) are taken as "
        "acronyms unless they run on with other words in capitals or are words that are only "
        "ever shouted (NOW, NEW, YOU). A text service's keyword ('Text SHOUT to 85258') is "
        "left as the service writes it."
    )
    examples = [
        Example(
            "FREE FLU JABS THIS WEEKEND at Basildon pharmacies",
            "Free flu jabs this weekend at Basildon pharmacies",
        ),
        Example("Book NOW", "Book now", "'NHS', 'GP' and 'A&E' are acronyms and are fine"),
    ]
    fixable = True
    options = {"min-word-length": 4}  # a single word in capitals this long is reported

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        known = config_acronyms(ctx)
        text = prose(post.text, post.markup_spans)
        m = model()
        single_min = int(self.opts.get("min-word-length", 4))
        words = list(CAPS_WORD.finditer(text))
        runs: list[list[regex.Match[str]]] = []
        for word in words:
            if runs and CAPS_GAP.match(text[runs[-1][-1].end() : word.start()]):
                runs[-1].append(word)
            else:
                runs.append([word])
        for run in runs:
            ordinary = [w for w in run if _ordinary_caps_word(w.group(0), known, m)]
            if not ordinary:
                continue
            if len(run) == 1:
                # One word in capitals may be an acronym postlint does not know (GCSE):
                # only long, very common words (FREE, URGENT, TODAY) are reported alone,
                # and a few short ones that are only ever shouting (NOW, NEW, YOU).
                word = ordinary[0].group(0)
                shouted = word in SHOUTED_SHORT_WORDS
                if not shouted and (len(word) < single_min or m.zipf(word.lower()) < 4.0):
                    continue
                if TEXT_KEYWORD.match(text, run[0].end()) and TEXT_VERB.search(
                    text, max(0, run[0].start() - 12), run[0].start()
                ):
                    continue  # "Text SHOUT to 85258": the keyword is written as the service says
            start, end = run[0].start(), run[-1].end()
            original = post.text[start:end]
            fixed = _sentence_case(post.text, start, end, known)
            yield self.finding(
                post,
                f"'{_short(original)}' is in capitals: use sentence case, which is easier to "
                "read and is not read out letter by letter. Keep capitals for acronyms.",
                start,
                end,
                fixes=[Fix(start, end, fixed, "use sentence case", safe=False)],
            )


SHOUTED_SHORT_WORDS = frozenset({"NOW", "NEW", "YOU", "GET", "OUT", "OFF", "WIN", "BIG", "HOT"})
TEXT_VERB = regex.compile(r"(?i:\btext(?:ing)?\s+(?:the\s+word\s+)?)$")
TEXT_KEYWORD = regex.compile(r"\s+to\s+\d{4,6}\b")


def _ordinary_caps_word(word: str, known, m) -> bool:
    """An ordinary word written in capitals, not an acronym."""
    key = word.lower().replace("’", "'")
    if key in known.forms or word == "I":
        return False
    if key.endswith("s") and key[:-1] in known.forms:
        return False  # GPS, PCNS: plurals of acronyms
    letters = [c for c in key if c.isalpha()]
    if len(letters) < 2 or not any(c in "aeiouy" for c in key):
        return False  # no vowel: an initialism such as PDF or BMJ
    return m.zipf(key) >= 3.0


def _sentence_case(text: str, start: int, end: int, known) -> str:
    out = []
    at_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?\n:"
    places = domain_words()
    for token in re.split(r"(\W+)", text[start:end]):
        key = token.lower()
        if not token or not token[0].isalpha():
            out.append(token)
            continue
        if key in known.forms or token == "I":
            word = token
        elif key in places or key in {
            "essex",
            "england",
            "london",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        }:
            word = token.capitalize()
        else:
            word = key
        if at_start:
            word = word[:1].upper() + word[1:]
            at_start = False
        out.append(word)
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------

VAGUE_PHRASES = [
    (
        r"\b(?:click|tap|press)\s+(?:on\s+)?(?:here|this\s+link|the\s+link(?:\s+below)?|below)\b",
        "always",
    ),
    (r"\b(?:read|find\s+out|learn|see)\s+more\s+here\b", "always"),
    (r"\bmore\s+(?:info|information|details)\s+here\b", "always"),
    (r"\b(?:follow|use)\s+(?:this|the)\s+link\b", "always"),
    (r"\blink\s+in\s+(?:our\s+|my\s+|the\s+)?bio\b", "bare"),
]
VAGUE = [(re.compile(p, re.I), when) for p, when in VAGUE_PHRASES]
MD_LINK = re.compile(r"\[([^\]\n]{1,80})\]\(([^)\s]+)\)")
VAGUE_LINK_TEXT = re.compile(
    r"^\s*(?:click\s+here|tap\s+here|here|this\s+link|link|read\s+more|more|more\s+info|"
    r"find\s+out\s+more|learn\s+more|this)\s*$",
    re.I,
)


class VagueLinkText(Check):
    code = "A025"
    name = "vague-link-text"
    severity = Severity.WARNING
    policy = f"{GCS}: links (say where the link goes)"
    summary = (
        "'click here', 'read more here' or a bare 'link in bio' instead of saying what the link is."
    )
    explanation = (
        "Screen-reader users often list or jump between links, and everyone skims: 'click "
        "here' or 'read more here' says nothing about where the link goes. Say what people "
        "will find: 'Find your nearest pharmacy on the NHS website: nhs.uk/pharmacy'. On "
        "Instagram, 'link in bio' is fine when the sentence says what the link is for."
    )
    examples = [
        Example(
            "Click here to book: https://www.nhs.uk/flu",
            "Book your flu jab on the NHS website: https://www.nhs.uk/flu",
        ),
        Example("Link in bio!", "Book your flu jab with the link in our bio."),
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for pattern, when in VAGUE:
            for match in pattern.finditer(text):
                if when == "bare" and self._described(text, match):
                    continue
                phrase = " ".join(match.group(0).split())
                yield self.finding(
                    post,
                    f"'{phrase}' does not say where the link goes: say what people will find "
                    "there (for example 'Book your flu jab on the NHS website: <link>').",
                    match.start(),
                    match.end(),
                )
        for match in MD_LINK.finditer(post.text):
            if VAGUE_LINK_TEXT.match(match.group(1)):
                yield self.finding(
                    post,
                    f"link text '{_short(match.group(1))}' does not say where the link goes: "
                    "use words that describe it, such as 'flu jab booking'.",
                    match.start(1),
                    match.end(1),
                )

    @staticmethod
    def _described(text: str, match: re.Match[str]) -> bool:
        """'link in bio' with at least four other words in its sentence says what it is."""
        sentence_start = max(text.rfind(c, 0, match.start()) for c in ".!?\n") + 1
        ends = [i for i in (text.find(c, match.end()) for c in ".!?\n") if i >= 0]
        sentence_end = min(ends) if ends else len(text)
        other = text[sentence_start : match.start()] + " " + text[match.end() : sentence_end]
        return len(re.findall(r"[^\W\d_]{2,}", other)) >= 4


TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|"
    r"_hsenc|_hsmi|mkt_tok|si|ref_src|s_cid)$",
    re.I,
)


def strip_tracking(url: str) -> str | None:
    """The URL without tracking parameters, or None if it has none."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not TRACKING.match(k)]
    if len(kept) == len(query):
        return None
    cleaned = urlunsplit(parts._replace(query=urlencode(kept)))
    return cleaned if "://" in url else cleaned.removeprefix("https://")


class LongUrl(Check):
    code = "A026"
    name = "long-url"
    severity = Severity.INFO
    policy = f"{GCS}: links"
    summary = "A long URL or one with tracking parameters (utm_...) written out in the post."
    explanation = (
        "A screen reader reads a URL character by character, and a long one with tracking "
        "codes ('utm_source=...') is noise to everyone. Use a short, readable address "
        "(nhs.uk/flu, a vanity URL or your scheduling tool's short link). The unsafe fix "
        "removes tracking parameters; keep them only if your campaign reporting needs them."
    )
    examples = [
        Example(
            "Book: https://www.nhs.uk/nhs-services/vaccination-and-booking-services/book-flu-"
            "vaccination/?utm_source=twitter&utm_medium=social",
            "Book your flu jab: nhs.uk/flu",
        )
    ]
    fixable = True
    options = {"max-length": 35}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        limit = int(self.opts.get("max-length", 35))
        for span in spans_of(post.text, "url"):
            if _in_markup(post, span.start, span.end):
                continue  # a Markdown link target is not shown as text
            cleaned = strip_tracking(span.text)
            if cleaned is not None:
                yield self.finding(
                    post,
                    "this link has tracking parameters (utm_...): they make it long and are "
                    "read out character by character. Use a short, readable link.",
                    span.start,
                    span.end,
                    fixes=[Fix(span.start, span.end, cleaned, "remove tracking", safe=False)],
                )
            elif len(span.text) > limit:
                yield self.finding(
                    post,
                    f"a {len(span.text)}-character link: use a short, readable one (at most "
                    f"{limit} characters, such as nhs.uk/flu).",
                    span.start,
                    span.end,
                )


# ---------------------------------------------------------------------------------------
# Symbols and numbers used for words
# ---------------------------------------------------------------------------------------

SYMBOL_PATTERNS = [
    # "flu + COVID", "flu+COVID"; not "LGBTQ+ staff", where + belongs to the word before.
    (regex.compile(r"(?<=\p{L}{2})(?: \+ |\+)(?=\p{L}{2})"), " and ", "'+'"),
    (regex.compile(r"(?<=\p{L}) = (?=\p{L})"), " means ", "'='"),
    (regex.compile(r"(?<![\w/])[Ww]/[Oo](?![\w/])"), "without", "'w/o'"),
    # Not "w/o" (its own pattern), "w/c 8 December" or "w/e" (week commencing, week ending).
    (regex.compile(r"(?<![\w/])[Ww]/(?=\s|\p{L})(?![CcEeOo](?!\p{L}))"), "with", "'w/'"),
    (regex.compile(r"(?<=\s)@(?=\s)"), "at", "'@'"),
    (
        regex.compile(
            r"(?<=\p{L} )2(?= (?:you|your|u|ur|the|us|me|all|be|see|get|go|book|find|help|"
            r"join|talk|do|our|a|an)\b)",
            regex.I,
        ),
        "to",
        "'2'",
    ),
    (
        regex.compile(
            r"(?<=\p{L} )4(?= (?:you|your|u|ur|the|us|me|all|everyone|free|more|life)\b)",
            regex.I,
        ),
        "for",
        "'4'",
    ),
    (regex.compile(r"\b[Bb]4\b"), "before", "'b4'"),
    (regex.compile(r"\b[Gg]r8\b"), "great", "'gr8'"),
    (regex.compile(r"\b2day\b", regex.I), "today", "'2day'"),
    (regex.compile(r"\b2(?:moro|morrow|mrw)\b", regex.I), "tomorrow", "'2morrow'"),
    (regex.compile(r"\b2nite\b", regex.I), "tonight", "'2nite'"),
]


class SymbolsForWords(Check):
    code = "A027"
    name = "symbols-for-words"
    severity = Severity.INFO
    policy = f"{GCS}: plain words, no maths symbols for words"
    summary = "Symbols or numbers used for words ('+' for and, 'w/' for with, '2' for to)."
    explanation = (
        "Screen readers read symbols literally: 'flu + COVID jabs' is 'flu plus COVID jabs', "
        "'w/' is 'w slash', and 'come 2 the clinic' is 'come two the clinic'. Write the word. "
        "'&' is fine. The suggested fixes are unsafe: check the meaning first."
    )
    examples = [
        Example("Flu + COVID jabs w/ your GP", "Flu and COVID jabs with your GP"),
        Example("Come 2 the drop-in b4 Friday", "Come to the drop-in before Friday"),
    ]
    fixable = True

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        text = prose(post.text, post.markup_spans)
        for pattern, word, label in SYMBOL_PATTERNS:
            for match in pattern.finditer(text):
                yield self.finding(
                    post,
                    f"{label} used for a word: write '{word.strip()}'. Screen readers read "
                    "symbols literally.",
                    match.start(),
                    match.end(),
                    fixes=[
                        Fix(match.start(), match.end(), word, f"write '{word.strip()}'", safe=False)
                    ],
                )


CHECKS = [
    EmojiCount,
    EmojiRun,
    EmojiInSentence,
    FancyText,
    AllCaps,
    VagueLinkText,
    LongUrl,
    SymbolsForWords,
]
