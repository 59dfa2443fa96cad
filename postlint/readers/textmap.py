"""Building source maps: which line, column and file offset each character of a post came from.

Readers decode a post's text from its source (a Markdown body, a YAML scalar, a JSON string,
a CSV cell). Each decoded character is described by a ``Char`` = (anchor, width, exact):
``anchor`` is its offset in the decoded source file, ``width`` how many source characters
it came from (2 for ``\\n`` in JSON, 1 for a plain copy), and ``exact`` whether it has a
source of its own at all (a space that YAML folding made out of a line break does not).
``build_map`` turns that list into the few segments a ``SourceMap`` needs.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

from postlint.model import Segment, SourceMap


class Char(NamedTuple):
    anchor: int  # offset in the source where the character comes from
    width: int = 1  # source characters it was decoded from
    exact: bool = True  # False for characters made up by folding (no source of their own)


class LineIndex:
    """Line and column (1-based, counted in characters) of offsets in a decoded file."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and column (clamped to the file)."""
        line = min(max(line, 1), len(self.starts))
        return min(self.starts[line - 1] + max(column, 1) - 1, len(self.text))


def build_map(
    path: str,
    chars: list[Char],
    end: int,
    lines: LineIndex,
    **extra: object,
) -> SourceMap:
    """A SourceMap for text whose characters are ``chars``; ``end`` is the source offset just
    after the last character (so fixes that end at the end of the text map too)."""
    source = lines.text
    segments: list[Segment] = []
    follows = -1  # source offset a plain copy of the next character would have
    for index, (anchor, width, exact) in enumerate(chars):
        if exact and width == 1 and anchor == follows:
            follows = -1 if source[anchor] == "\n" else anchor + 1
            continue
        line, column = lines.position(anchor)
        segments.append(Segment(index, line, column, anchor if exact else -1))
        plain = exact and width == 1 and source[anchor] != "\n"
        follows = anchor + 1 if plain else -1
    if end != follows or not chars:
        line, column = lines.position(min(end, len(source)))
        segments.append(Segment(len(chars), line, column, end))
    return SourceMap(path, segments, **extra)


def map_lines(
    path: str, source: str, start: int, stop: int, lines: LineIndex, **extra: object
) -> tuple[str, SourceMap]:
    """Text copied verbatim from ``source[start:stop]``, with CRLF line ends made LF.

    Checks see one ``\\n`` per line break, as the post will be published; each line gets its
    own segment, so lines, columns and offsets stay exact on CRLF files.
    """
    body = source[start:stop]
    if "\r\n" not in body:
        text = body
        offsets = [0]
        position = body.find("\n")
        while position >= 0:
            offsets.append(position + 1)
            position = body.find("\n", position + 1)
        segments = []
        for text_start in offsets:
            line, column = lines.position(start + text_start)
            segments.append(Segment(text_start, line, column, start + text_start))
        return text, SourceMap(path, segments, **extra)
    parts = body.split("\n")
    segments = []
    pieces = []
    text_offset = 0
    source_offset = start
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        content = part[:-1] if part.endswith("\r") and not last else part
        line, column = lines.position(source_offset)
        segments.append(Segment(text_offset, line, column, source_offset))
        pieces.append(content)
        if not last:
            # The "\n" of the text stands for the "\r\n" of the source: its own segment, so the
            # character after it maps to the next line's start.
            line, column = lines.position(source_offset + len(content))
            segments.append(
                Segment(text_offset + len(content), line, column, source_offset + len(content))
            )
        text_offset += len(content) + 1
        source_offset += len(part) + 1
    return "\n".join(pieces), SourceMap(path, segments, **extra)
