"""The post model: what a draft is, wherever it was read from.

Every character of ``Post.text`` maps back to a line and column of its source file through
``SourceMap``, so a finding found in the text can point at the exact place in the file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

PLATFORMS: tuple[str, ...] = (
    "x",
    "facebook",
    "instagram",
    "linkedin",
    "tiktok",
    "youtube",
    "threads",
    "bluesky",
    "mastodon",
)
# Names people actually write, mapped to the canonical platform name.
PLATFORM_ALIASES: dict[str, str] = {
    "twitter": "x",
    "x.com": "x",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "yt": "youtube",
    "bsky": "bluesky",
}
ACCOUNT_KINDS: tuple[str, ...] = ("corporate", "departmental", "personal")
DEFAULT_TIMEZONE = "Europe/London"


def normalise_platform(name: str) -> str | None:
    """Return the canonical platform name, or None when the name is unknown."""
    key = name.strip().lower()
    key = PLATFORM_ALIASES.get(key, key)
    return key if key in PLATFORMS else None


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file. Lines and columns are 1-based; columns count characters."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    # For tabular sources (CSV): the 1-based row and the column's header name.
    row: int | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text characters that sit one after another on one source line."""

    text_start: int
    line: int
    column: int
    source_offset: int = -1  # character offset in the decoded source file, -1 if not known


class SourceMap:
    """Maps offsets in a post's text to lines and columns in its source file.

    The map is a sorted list of segments. Character ``i`` of the text lies in the last
    segment whose ``text_start <= i`` and sits ``i - text_start`` columns to the right of
    that segment's start. A reader adds a segment at every place where the text stops
    being a straight copy of the source (a new line, an escape sequence, a CSV cell).
    """

    def __init__(self, path: str, segments: list[Segment] | None = None, **extra: Any) -> None:
        self.path = path
        self.segments: list[Segment] = sorted(segments or [Segment(0, 1, 1)], key=_start)
        self._starts = [s.text_start for s in self.segments]
        self.row: int | None = extra.get("row")
        self.field: str | None = extra.get("field")
        # How the text is written in the source, so --fix can write a replacement back:
        # None for a verbatim copy (Markdown, plain text), else "json", "yaml-plain",
        # "yaml-single", "yaml-double", "yaml-literal", "yaml-folded", "csv-quoted" or
        # "csv-plain:<delimiter>". Offsets are still exact only where source_offset says so.
        self.escape: str | None = extra.get("escape")

    @classmethod
    def for_text(
        cls, path: str, text: str, line: int = 1, column: int = 1, source_offset: int = 0
    ) -> SourceMap:
        """A map for text copied verbatim from the source starting at ``line``/``column``.

        Only ``\\n`` starts a new line, as in the files postlint reads (``\\r\\n`` is kept as
        two characters of the text, so columns stay right on CRLF files).
        """
        segments = [Segment(0, line, column, source_offset)]
        offset = 0
        for part in text.split("\n")[:-1]:
            offset += len(part) + 1
            line += 1
            segments.append(Segment(offset, line, 1, source_offset + offset))
        return cls(path, segments)

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column (1-based) of the text character at ``offset``."""
        index = max(bisect.bisect_right(self._starts, max(offset, 0)) - 1, 0)
        segment = self.segments[index]
        return segment.line, segment.column + (max(offset, 0) - segment.text_start)

    def source_offset(self, offset: int) -> int | None:
        """Character offset in the source file of text offset ``offset``, if known."""
        index = max(bisect.bisect_right(self._starts, max(offset, 0)) - 1, 0)
        segment = self.segments[index]
        if segment.source_offset < 0:
            return None
        return segment.source_offset + (offset - segment.text_start)

    def location(self, start: int, end: int | None = None) -> Location:
        line, column = self.position(start)
        end_line, end_column = self.position(end) if end is not None else (None, None)
        return Location(self.path, line, column, end_line, end_column, self.row, self.field)


def _start(segment: Segment) -> int:
    return segment.text_start


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something a reader could not make sense of, reported as a finding with ``code``."""

    message: str
    location: Location
    code: str = "X001"
    severity: str = "error"


@dataclass(slots=True)
class Account:
    handle: str | None = None
    kind: str = "corporate"  # corporate, departmental or personal
    name: str | None = None


@dataclass(slots=True)
class Image:
    path: Path | None  # resolved path on disk; None for an upload held in memory
    alt: str | None = None
    source: str = ""  # the path as written in the draft, for messages
    data: bytes | None = None  # uploaded bytes (server), never a path the server opens
    decorative: bool = False
    location: Location | None = None
    problem: str | None = None  # set by the reader when the file is missing or refused


@dataclass(slots=True)
class Video:
    path: Path | None
    captions: list[Path] = field(default_factory=list)
    burned_in_captions: bool = False
    source: str = ""
    data: bytes | None = None
    caption_data: list[tuple[str, bytes]] = field(default_factory=list)  # (name, bytes)
    location: Location | None = None
    problem: str | None = None


@dataclass(slots=True)
class Embargo:
    until: datetime | None = None
    note: str | None = None


@dataclass(slots=True)
class Post:
    """One draft post.

    ``text`` is the message as it will be published. ``source_map`` maps it back to the
    file. ``field_locations`` gives the place of front-matter or column fields (for example
    ``"images[0].alt"`` or ``"platforms"``) so findings about them point at the right line.
    """

    text: str
    path: str
    source_map: SourceMap
    platforms: list[str] = field(default_factory=list)
    account: Account = field(default_factory=Account)
    scheduled: datetime | None = None
    images: list[Image] = field(default_factory=list)
    videos: list[Video] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    embargo: Embargo | None = None
    consent: dict[str, bool] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    field_locations: dict[str, Location] = field(default_factory=dict)
    # Rule codes suppressed for the whole post (front matter ``postlint: {disable: [...]}``).
    disabled_rules: set[str] = field(default_factory=set)
    # Ranges of text offsets where rules are suppressed by inline comments: (start, end, codes)
    # where an empty set of codes means every rule.
    suppressed_ranges: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    # Spans of text that are markup, not prose (Markdown syntax, HTML comments): checks of
    # wording skip them, and they are masked before text is sent to LanguageTool.
    markup_spans: list[tuple[int, int]] = field(default_factory=list)
    id: str | None = None  # a caller's identifier, echoed in reports
    index: int = 0  # position of the post in its file (0 for one-post files)
    base_dir: Path | None = None  # folder media paths resolve against
    source_text: str | None = None  # the whole decoded source file, for --fix
    # Problems the reader met in this post (bad field, missing media): reported as findings.
    read_problems: list[ReadProblem] = field(default_factory=list)

    def location(self, start: int, end: int | None = None) -> Location:
        return self.source_map.location(start, end)

    def field_location(self, name: str) -> Location:
        """Where the field ``name`` was written, else where the post starts."""
        if name in self.field_locations:
            return self.field_locations[name]
        head = name.split("[", 1)[0].split(".", 1)[0]
        for key, location in self.field_locations.items():
            if key.split("[", 1)[0].split(".", 1)[0] == head:
                return location
        return self.source_map.location(0)

    @property
    def label(self) -> str:
        """How reports name the post: its id, else path and index for multi-post files."""
        if self.id:
            return self.id
        return self.path if self.index == 0 else f"{self.path}#{self.index + 1}"

    def has_consent(self, kind: str) -> bool:
        return bool(self.consent.get(kind) or self.consent.get("all"))
