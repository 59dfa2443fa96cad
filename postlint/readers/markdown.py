"""Markdown or plain-text drafts: optional YAML front matter, then the post's text."""

from __future__ import annotations

import re
from pathlib import Path

from postlint.model import Location, Post, ReadProblem
from postlint.readers import yamlsafe
from postlint.readers.fields import FieldContext, ReadOptions, apply_fields
from postlint.readers.textmap import LineIndex, map_lines

FRONT_MATTER_OPEN = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n")
FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
DIRECTIVE = re.compile(r"<!--\s*postlint-(disable-next-line|disable|enable)\b([^>]*?)-->", re.I)
# Markdown syntax that is not prose: comments, link targets, emphasis markers, code marks,
# heading and quote markers. Hashtags at a line start (no space after #) are prose.
MARKUP = re.compile(
    r"<!--.*?-->"
    r"|\]\([^)\s]*\)"
    r"|(?<!\w)\[(?=[^\]\n]*\]\()"
    r"|\*\*|__|`"
    r"|^\#{1,6}[ \t]"
    r"|^>[ \t]?",
    re.S | re.M,
)


def read(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    data: object = {}
    positions: dict[str, tuple[int, int]] = {}
    body_start = 0
    problems: list[ReadProblem] = []
    opened = FRONT_MATTER_OPEN.match(text)
    if opened:
        close = FRONT_MATTER_CLOSE.search(text, opened.end())
        if close is None:
            return [], [
                ReadProblem(
                    "front matter starts with '---' but never closes: add a '---' line after it",
                    Location(path, 1, 1),
                )
            ]
        front = text[opened.end() : close.start()]
        body_start = close.end() + 1 if close.end() < len(text) else close.end()
        front_line = 2
        try:
            data, positions, duplicates = yamlsafe.load(front)
        except yamlsafe.YamlProblem as exc:
            return [], [
                ReadProblem(
                    f"front matter: {exc}", Location(path, front_line + exc.line - 1, exc.column)
                )
            ]
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return [], [
                ReadProblem(
                    "front matter must be a mapping of fields (platforms:, images:, ...)",
                    Location(path, front_line, 1),
                )
            ]
        for key, line in duplicates:
            problems.append(
                ReadProblem(
                    f"front matter: {key!r} is given twice; the last one is used",
                    Location(path, front_line + line - 1, 1),
                    severity="warning",
                )
            )
        positions = {k: (front_line + line - 1, col) for k, (line, col) in positions.items()}
        for name in ("text", "message"):
            if name in data:
                line, column = positions.get(name, (front_line, 1))
                problems.append(
                    ReadProblem(
                        f"{name!r} in front matter is ignored: in a Markdown draft the post is "
                        "the text below the front matter",
                        Location(path, line, column),
                        severity="warning",
                    )
                )
    elif text.startswith("\ufeff"):  # a BOM the decoder left (text given directly)
        body_start = 1
    body = text[body_start:]
    # A final newline is not part of the message.
    stripped_source = body.rstrip("\r\n")
    stripped, source_map = map_lines(
        path, text, body_start, body_start + len(stripped_source), LineIndex(text)
    )

    def locate(name: str) -> Location:
        line, column = positions.get(name, (1, 1))
        return Location(path, line, column)

    post = Post(
        text=stripped,
        path=path,
        source_map=source_map,
        source_text=text,
        base_dir=Path(path).parent,
    )
    ctx = FieldContext(path, post.base_dir, options, locate)
    apply_fields(post, dict(data), ctx)  # type: ignore[arg-type]
    post.field_locations = {k: locate(k) for k in positions}
    post.markup_spans = [(m.start(), m.end()) for m in MARKUP.finditer(stripped)]
    post.suppressed_ranges = suppressed_ranges(stripped)
    post.read_problems[:0] = problems
    if not stripped.strip() and not post.images and not post.videos:
        post.read_problems.append(
            ReadProblem(
                "the post is empty: write the message below the front matter",
                source_map.location(0),
            )
        )
    return [post], []


def suppressed_ranges(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Ranges switched off by ``<!-- postlint-disable CODE -->`` ... ``-enable`` comments."""
    ranges: list[tuple[int, int, frozenset[str]]] = []
    open_ranges: dict[frozenset[str], int] = {}
    for match in DIRECTIVE.finditer(text):
        kind = match.group(1).lower()
        codes = frozenset(c.strip() for c in re.split(r"[\s,]+", match.group(2)) if c.strip())
        if kind == "disable-next-line":
            line_end = text.find("\n", match.end())
            next_end = text.find("\n", line_end + 1) if line_end >= 0 else -1
            ranges.append((match.end(), len(text) if next_end < 0 else next_end, codes))
        elif kind == "disable":
            open_ranges.setdefault(codes, match.start())
        else:
            start = open_ranges.pop(codes, None)
            if start is None and not codes:
                for key, value in list(open_ranges.items()):  # a bare enable closes them all
                    ranges.append((value, match.end(), key))
                open_ranges.clear()
            elif start is not None:
                ranges.append((start, match.end(), codes))
    ranges.extend((start, len(text), codes) for codes, start in open_ranges.items())
    return ranges
