"""Finds the parts of a post that are not ordinary words: hashtags, @handles, URLs, e-mail
addresses, emoji. Checks use it to skip or target them; the spelling check masks them before
the text goes to LanguageTool.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import regex

# A URL with a scheme or a bare www./domain.tld form; stops before closing punctuation.
# The bare-domain branch starts only where no word character, dot or hyphen stands before,
# and its labels are possessive: a run like "a.a.a.a..." is tried once, not from every
# position (which was quadratic: seconds on a few kilobytes).
URL = regex.compile(
    r"(?:(?:https?://|www\.)[^\s<>()\[\]{}\"']+"
    r"|(?<![\w.-])[a-z0-9-]++(?:\.[a-z0-9-]+)++(?<=\.(?:uk|com|org|net|gov|nhs|io|co|info))"
    r"(?:/[^\s<>()\[\]{}\"']*)?)"
    r"(?<![.,;:!?'\")\]])",
    regex.I,
)
EMAIL = regex.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A hashtag: # then letters, digits, underscores; not inside a word (so C# or a URL fragment
# is not one). & is allowed inside, as in #A&E.
HASHTAG = regex.compile(r"(?<![\w/&#])#(?=[\p{L}\p{N}_]*\p{L})([\p{L}\p{N}_]+(?:&[\p{L}\p{N}]+)*)")
# @handle, or a fediverse @name@server.example handle (one mention, not an e-mail address).
MENTION = regex.compile(
    r"(?<![\w@.])@([A-Za-z0-9_]{1,30})(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?\b"
)
# One grapheme that is an emoji (including ZWJ sequences, flags, keycaps and modifiers).
GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Span:
    kind: str  # "url", "email", "hashtag", "mention", "emoji"
    start: int
    end: int
    text: str


def is_emoji(grapheme: str) -> bool:
    import emoji

    return emoji.is_emoji(grapheme) or (
        len(grapheme) > 1 and emoji.is_emoji(grapheme.replace("\ufe0f", ""))
    )


# Characters Unicode lists as emoji but shows as text unless followed by U+FE0F: ©, ®, ™,
# arrows and the like are ordinary punctuation in a post and screen readers treat them so.
TEXT_PRESENTATION = frozenset("©®™ℹ‼⁉↔↕↖↗↘↙↩↪▪▫▶◀◻◼☑✔✖〰〽㊗㊙")


def emoji_spans(text: str) -> list[Span]:
    if text.isascii():  # no emoji is ASCII: skip loading the emoji table
        return []
    import emoji

    spans = []
    for match in emoji.emoji_list(text):
        found = match["emoji"]
        if len(found) == 1 and found in TEXT_PRESENTATION:
            continue
        spans.append(Span("emoji", match["match_start"], match["match_end"], found))
    return spans


# Big enough for a batch of posts (128): spaCy's batch asks for every post's prose first,
# then each check asks again for its own post.
@functools.lru_cache(maxsize=512)
def special_spans(text: str) -> tuple[Span, ...]:
    """Every URL, e-mail address, hashtag, mention and emoji, in order, not overlapping.

    Earlier kinds win an overlap (a URL's #fragment is not a hashtag).
    """
    found: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    # Mentions first: their look-behind never matches inside an e-mail address, and a
    # fediverse handle (@name@server.social) must not be read as "@" plus an address.
    for kind, pattern in (
        ("mention", MENTION),
        ("email", EMAIL),
        ("url", URL),
        ("hashtag", HASHTAG),
    ):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                found.append(Span(kind, match.start(), match.end(), match.group(0)))
                taken.append((match.start(), match.end()))
    for span in emoji_spans(text):
        if free(span.start, span.end):
            found.append(span)
            taken.append((span.start, span.end))
    return tuple(sorted(found, key=lambda s: s.start))


def spans_of(text: str, kind: str) -> list[Span]:
    return [s for s in special_spans(text) if s.kind == kind]


def masked(text: str, spans: Iterable[tuple[int, int]], fill: str = " ") -> str:
    """``text`` with each span replaced by ``fill`` characters of the same length (line
    breaks kept), so offsets in the result are offsets in the original."""
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    for start, end in sorted(spans):
        start, end = max(start, done), min(end, len(text))
        if start >= end:
            continue
        pieces.append(text[done:start])
        pieces.append(_NOT_A_LINE_BREAK.sub(fill.replace("\\", r"\\"), text[start:end]))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


_NOT_A_LINE_BREAK = re.compile(r"[^\n]")


def prose(text: str, markup: Iterable[tuple[int, int]] | None = None) -> str:
    """The text with markup, URLs, e-mails, hashtags, mentions and emoji blanked out."""
    return _prose(text, tuple((start, end) for start, end in markup or ()))


@functools.lru_cache(maxsize=512)
def _prose(text: str, markup: tuple[tuple[int, int], ...]) -> str:
    # Every language rule asks for the same post's prose (25 calls a post): remembered.
    spans = [(s.start, s.end) for s in special_spans(text)] + list(markup)
    return masked(text, spans)
