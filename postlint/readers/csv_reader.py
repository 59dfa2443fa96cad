"""CSV bulk schedules: one post per row, as scheduling tools (Hootsuite, Buffer, Orlo) import
and export them.

Headers are matched case-insensitively against common names (``message``, ``Image URL``,
``Alt text``, ``Posting time``...), or through the ``csv-columns`` config table (post field
-> header). Findings point at the row (the header is row 1, as a spreadsheet shows it), the
column's header and the line and column inside the file, quoted line breaks included.
The delimiter is sniffed from the header (``,``, ``;``, tab or ``|``). Cells that a
spreadsheet would run as a formula are reported, never evaluated.
"""

from __future__ import annotations

import difflib
import gc
import re
from pathlib import Path
from typing import Any

from postlint.model import Location, Post, ReadProblem, Segment, SourceMap
from postlint.readers import yamlsafe
from postlint.readers.fields import FieldContext, ReadOptions, apply_fields, too_many_posts
from postlint.readers.textmap import Char, LineIndex, build_map

# Post field -> header names tools use, normalised (lower case, runs of space, - and _ as _).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "message",
        "text",
        "content",
        "post",
        "body",
        "post_text",
        "post_content",
        "caption",
        "copy",
        "tweet",
        "status",
    ),
    "scheduled": (
        "scheduled",
        "scheduled_at",
        "schedule",
        "date_time",
        "datetime",
        "scheduled_time",
        "posting_time",
        "publish_at",
        "publish_date_time",
        "send_at",
        "send_time_and_date",
    ),
    "date": ("date", "publish_date", "post_date", "posting_date", "scheduled_date", "send_date"),
    "time": ("time", "publish_time", "post_time", "send_time"),
    "timezone": ("timezone", "time_zone", "tz"),
    "link": ("link", "url", "link_url", "links", "link_address"),
    "image": (
        "image",
        "image_url",
        "image_path",
        "images",
        "media",
        "media_url",
        "photo",
        "picture",
        "image_file",
    ),
    "alt": (
        "alt",
        "alt_text",
        "image_alt",
        "image_alt_text",
        "image_description",
        "alternative_text",
    ),
    "video": ("video", "video_url", "video_path", "videos", "video_file"),
    "captions": ("captions", "caption_file", "captions_file", "subtitles", "subtitle_file"),
    "burned_in_captions": ("burned_in_captions", "open_captions"),
    "platforms": (
        "platform",
        "platforms",
        "network",
        "networks",
        "channel",
        "channels",
        "social_network",
        "social_networks",
    ),
    "account": ("account", "handle", "profile", "social_profile", "account_handle"),
    "account_kind": ("account_kind", "account_type"),
    "embargo": ("embargo", "embargo_until", "embargoed_until"),
    "consent": ("consent",),
    "id": ("id", "post_id", "ref", "reference"),
    "title": ("title",),
    "metadata": ("metadata",),
}
CSV_FIELDS = tuple(DEFAULT_COLUMNS)
SOURCE_TEXT_LIMIT = 2_000_000  # characters
DELIMITERS = (",", ";", "\t", "|")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_MARKS = ("(", "!", "|")
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?\Z")
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0", ""}


def normalise_header(header: str) -> str:
    return re.sub(r"[\s_\-]+", "_", header.strip().lower()).strip("_")


def sniff_delimiter(text: str) -> str:
    """The delimiter used in the header line: the most frequent of , ; tab | outside quotes."""
    header = text[: text.find("\n")] if "\n" in text else text
    header = re.sub(r'"(?:[^"]|"")*"', "", header[:20_000])
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell_pattern(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    return re.compile(rf'(?:"((?:[^"]|"")*)"|([^{d}"\r\n]*))({d}|\r\n|\n|\r|\Z)')


def scan(text: str, delimiter: str):
    """Records of the file: (cells, problem) where each cell is (value, start, end, quoted)
    with ``start``/``end`` the offsets of its contents (inside the quotes, if any)."""
    strict = _cell_pattern(delimiter)
    d = re.escape(delimiter)
    lenient = re.compile(rf"([^{d}\r\n]*)({d}|\r\n|\n|\r|\Z)")
    position = 0
    size = len(text)
    cells: list[tuple[str, int, int, bool]] = []
    problem = None
    while position <= size:
        match = strict.match(text, position)
        if match is not None:
            quoted = match.group(1)
            if quoted is not None:
                value = quoted.replace('""', '"') if '"' in quoted else quoted
                cells.append((value, match.start(1), match.end(1), True))
            else:
                cells.append((match.group(2), match.start(2), match.end(2), False))
            terminator = match.group(3)
            position = match.end()
        else:
            if text.startswith('"', position) and text.find('"', position + 1) < 0:
                problem = "a quoted cell is never closed: the rest of the file is one cell"
                cells.append((text[position + 1 :], position + 1, size, True))
                yield cells, problem
                return
            match = lenient.match(text, position)
            assert match is not None  # the lenient pattern always matches
            problem = 'a cell has a stray double quote (") outside quoting: check the row'
            cells.append((match.group(1), match.start(1), match.end(1), False))
            terminator = match.group(2)
            position = match.end()
        if terminator != delimiter:
            yield cells, problem
            cells, problem = [], None
            if position >= size:
                return


class _Columns:
    """Which column holds which post field, from the header row and the config."""

    def __init__(self, headers: list[str], mapping: dict[str, str]):
        self.headers = headers
        normalised = [normalise_header(h) for h in headers]
        self.field_of: dict[int, str] = {}
        self.problems: list[str] = []
        self.duplicates: list[str] = []
        taken: set[str] = set()
        for field_name, header in mapping.items():
            wanted = normalise_header(header)
            if wanted in normalised:
                self.field_of[normalised.index(wanted)] = field_name
                taken.add(field_name)
            else:
                self.problems.append(
                    f"csv-columns maps {field_name!r} to the column {header!r}, which the file "
                    f"does not have (headers: {', '.join(headers)})"
                )
        seen: set[str] = set()
        for index, name in enumerate(normalised):
            if name in seen and name:
                self.duplicates.append(headers[index])
            seen.add(name)
            if index in self.field_of:
                continue
            for field_name, aliases in DEFAULT_COLUMNS.items():
                if field_name not in taken and name in aliases:
                    self.field_of[index] = field_name
                    taken.add(field_name)
                    break
        self.text_index = next((i for i, f in self.field_of.items() if f == "text"), None)


def read(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    # A bulk file makes hundreds of thousands of small objects and no reference cycles: the
    # cycle collector would only re-scan them again and again (it doubled the reading time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(path, text, options)
    finally:
        if enabled:
            gc.enable()


def _read(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    text_start = 1 if text.startswith("\ufeff") else 0
    delimiter = sniff_delimiter(text[text_start:])
    lines = LineIndex(text)
    records = scan(text, delimiter)
    problems: list[ReadProblem] = []
    row = 0
    header_cells = None
    for cells, problem in records:
        row += 1
        if problem:
            problems.append(_problem(path, lines, cells[-1][1], problem, row, None))
        if any(c[0].strip() for c in cells):
            header_cells = cells
            break
    if header_cells is None:
        return [], [ReadProblem("the CSV file is empty: it needs a header row", Location(path))]
    headers = [c[0].strip() for c in header_cells]
    columns = _Columns(headers, options.csv_columns)
    header_row = row
    for message in columns.problems:
        problems.append(ReadProblem(message, Location(path, 1, 1, row=header_row)))
    for header in columns.duplicates:
        problems.append(
            ReadProblem(
                f"the column {header!r} appears twice: the first one is used",
                Location(path, 1, 1, row=header_row),
                severity="warning",
            )
        )
    if columns.text_index is None:
        close = difflib.get_close_matches(
            normalise_header(" ".join(headers[:1])) if len(headers) == 1 else "message",
            [normalise_header(h) for h in headers],
            n=1,
        )
        hint = f" Is {close[0]!r} the message? " if close else " "
        problems.append(
            ReadProblem(
                "no column holds the post text: name it one of "
                f"{', '.join(DEFAULT_COLUMNS['text'][:6])}.{hint}Or map it in the config: "
                f'csv-columns = {{text = "<header>"}}. Headers found: {", ".join(headers)}',
                Location(path, *lines.position(header_cells[0][1]), row=header_row),
            )
        )
        return [], problems
    posts = []
    base_dir = Path(path).parent
    # Posts keep the file's text for reports that quote the source line; a bulk file is
    # not copied into each worker process or cache entry (see SOURCE_TEXT_LIMIT).
    shared = text if len(text) <= SOURCE_TEXT_LIMIT else None
    width = len(headers)
    for cells, problem in records:
        row += 1
        if not any(c[0].strip() for c in cells):
            continue  # an empty row: spreadsheets leave them; nothing to check
        if len(posts) >= options.max_posts:
            rest = 1 + sum(1 for more, _ in records if any(c[0].strip() for c in more))
            problems.append(
                _problem(
                    path, lines, cells[0][1], too_many_posts(len(posts) + rest, options), row, None
                )
            )
            break
        post = _row_post(path, text, lines, row, cells, columns, options, base_dir, delimiter)
        post.source_text = shared
        if problem:
            post.read_problems.append(_problem(path, lines, cells[-1][1], problem, row, None))
        if len(cells) < width:
            post.read_problems.append(
                _problem(
                    path,
                    lines,
                    cells[-1][2],
                    f"the row has {len(cells)} cells but the header has {width}: the missing "
                    "cells are read as empty",
                    row,
                    None,
                    "warning",
                )
            )
        elif len(cells) > width and any(c[0].strip() for c in cells[width:]):
            post.read_problems.append(
                _problem(
                    path,
                    lines,
                    cells[width][1],
                    f"the row has {len(cells)} cells but the header has {width}: the extra "
                    "cells are ignored",
                    row,
                    None,
                    "warning",
                )
            )
        posts.append(post)
    return posts, problems


def _problem(
    path: str,
    lines: LineIndex,
    offset: int,
    message: str,
    row: int,
    header: str | None,
    severity: str = "error",
) -> ReadProblem:
    line, column = lines.position(offset)
    return ReadProblem(
        message, Location(path, line, column, row=row, field=header), "X001", severity
    )


def _row_post(
    path: str,
    source: str,
    lines: LineIndex,
    row: int,
    cells: list[tuple[str, int, int, bool]],
    columns: _Columns,
    options: ReadOptions,
    base_dir: Path,
    delimiter: str,
) -> Post:
    headers = columns.headers
    data: dict[str, Any] = {}
    extra: dict[str, str] = {}
    locations: dict[str, tuple[int, str]] = {}  # field -> (offset, header)
    formula_cells: list[tuple[int, str, str]] = []
    for index, (value, start, _end, _quoted) in enumerate(cells[: len(headers)]):
        field_name = columns.field_of.get(index)
        if value[:1] in FORMULA_START and _formula_like(value):
            formula_cells.append((start, headers[index], value[:1]))
        if field_name is None:
            if value.strip() and headers[index]:
                extra[headers[index]] = value
            continue
        if field_name == "text":
            locations[field_name] = (start, headers[index])
            continue
        cleaned = value.strip()
        if cleaned:
            data[field_name] = cleaned
            locations[field_name] = (start, headers[index])
    text_index: int = columns.text_index  # type: ignore[assignment]
    text_header = headers[text_index]
    if text_index < len(cells):
        value, start, end, quoted = cells[text_index]
        text, source_map = _cell_text(path, source, lines, value, start, end, quoted)
        source_map.row, source_map.field = row, text_header
        source_map.escape = "csv-quoted" if quoted else f"csv-plain:{delimiter}"
    else:
        start = cells[-1][2]
        line, column = lines.position(start)
        text = ""
        source_map = SourceMap(path, [Segment(0, line, column, -1)], row=row, field=text_header)
        locations["text"] = (start, text_header)

    def locate(name: str) -> Location:
        head = name.split("[", 1)[0].split(".", 1)[0]
        head = {"images": "image", "videos": "video", "platform": "platforms", "links": "link"}.get(
            head, head
        )
        offset, header = locations.get(head, locations.get("text", (cells[0][1], headers[0])))
        line, column = lines.position(offset)
        return Location(path, line, column, row=row, field=header)

    post = Post(
        text=text,
        path=path,
        source_map=source_map,
        source_text=source,
        base_dir=base_dir,
        index=row - 1,  # so the post's label reads "schedule.csv#<row>"
    )
    ctx = FieldContext(path, base_dir, options, locate)
    _convert(data, ctx)
    if extra:
        metadata = data.setdefault("metadata", {})
        for header, value in extra.items():
            metadata.setdefault(header, value)
    apply_fields(post, data, ctx)
    post.field_locations = {
        name: Location(path, *lines.position(offset), row=row, field=header)
        for name, (offset, header) in locations.items()
    }
    for offset, header, first in formula_cells:
        shown = "a tab" if first == "\t" else "a carriage return" if first == "\r" else repr(first)
        line, column = lines.position(offset)
        post.read_problems.append(
            ReadProblem(
                f"the cell starts with {shown}: a spreadsheet may run it as a formula (CSV "
                "injection). postlint never evaluates it; open this file in a spreadsheet only "
                "with formulas switched off, or start the cell with a letter",
                Location(path, line, column, row=row, field=header),
                "X001",
                "warning",
            )
        )
    if not post.text.strip() and not post.images and not post.videos:
        post.read_problems.append(
            ReadProblem(
                f"the post is empty: the {text_header!r} cell of row {row} has no text",
                post.location(0),
            )
        )
    return post


def _formula_like(value: str) -> bool:
    """A cell a spreadsheet would run as a formula. Every ``=`` cell counts; ``+ - @`` only
    when a formula could follow (a bracket, a sheet reference or a pipe), so that handles
    (@MSEICB), phone numbers (+44...) and list items (- Book now) do not drown the real ones.
    """
    if value[0] in "=\t\r":
        return True
    if NUMBER.match(value):
        return False
    return any(mark in value for mark in FORMULA_MARKS)


def _convert(data: dict[str, Any], ctx: FieldContext) -> None:
    """Cells are text: turn yes/no, lists and YAML mappings into what the fields expect."""
    for name in ("burned_in_captions",):
        if name in data:
            data[name] = data[name].lower() in TRUE
    if "consent" in data:
        lowered = data["consent"].lower()
        if lowered in TRUE | FALSE:
            data["consent"] = lowered in TRUE
        else:
            data["consent"] = [v.strip() for v in re.split(r"[,;|]", data["consent"]) if v.strip()]
    if "embargo" in data:
        lowered = data["embargo"].lower()
        if lowered in TRUE | FALSE:
            data["embargo"] = lowered in TRUE
    if "captions" in data:
        data["captions"] = [v.strip() for v in re.split(r"[|;\n]", data["captions"]) if v.strip()]
    if "metadata" in data:
        raw = data["metadata"]
        try:
            parsed, _, _ = yamlsafe.load(raw)
        except yamlsafe.YamlProblem as exc:
            ctx.problem(f"the metadata cell is not a YAML mapping: {exc}", "metadata", "warning")
            parsed = {}
        if not isinstance(parsed, dict):
            ctx.problem(
                "the metadata cell must be a mapping such as {campaign: flu}", "metadata", "warning"
            )
            parsed = {}
        data["metadata"] = parsed


def _cell_text(
    path: str, source: str, lines: LineIndex, value: str, start: int, end: int, quoted: bool
) -> tuple[str, SourceMap]:
    """A cell's text and its map; quoted cells may hold "" escapes and line breaks."""
    if not quoted or ('"' not in value and "\n" not in value and "\r" not in value):
        line, column = lines.position(start)
        return value, SourceMap(path, [Segment(0, line, column, start)])
    chars: list[Char] = []
    pieces: list[str] = []
    offset = start
    while offset < end:
        char = source[offset]
        if char == '"':  # always doubled inside quotes
            chars.append(Char(offset, 2))
            pieces.append('"')
            offset += 2
        elif char == "\r" and source.startswith("\r\n", offset):
            chars.append(Char(offset, 2))  # the text gets one "\n" for the "\r\n"
            pieces.append("\n")
            offset += 2
        else:
            chars.append(Char(offset))
            pieces.append(char)
            offset += 1
    return "".join(pieces), build_map(path, chars, end, lines)
