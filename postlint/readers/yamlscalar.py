"""Where each character of a YAML string came from, for every scalar style.

PyYAML gives a scalar's value and the span it was written in, but not which column each
character sits at once quotes, escapes, indentation and folding are taken away. These
functions walk the span the way YAML reads it and return one ``Char`` per character of the
value. Characters that folding makes up (the space that joins two lines of a plain or
``>`` scalar, the newlines of blank lines) have no source of their own (``exact=False``)
but still point at the line break they stand for.

The result is checked against PyYAML's own value; if the two ever differ the caller falls
back to mapping each line's start only, so positions are never silently wrong.
"""

from __future__ import annotations

import re

from postlint.readers.textmap import Char

YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
HEX_WIDTH = {"x": 2, "u": 4, "U": 8}
BLOCK_HEADER = re.compile(r"[|>]([-+]?)([1-9]?)([-+]?)")
SPACE = " \t"


def _lines(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of ``source[start:end]``, without line breaks."""
    lines = []
    position = start
    while True:
        newline = source.find("\n", position, end)
        if newline < 0:
            lines.append((position, end))
            return lines
        stop = newline - 1 if newline > position and source[newline - 1] == "\r" else newline
        lines.append((position, stop))
        position = newline + 1


def _fold(
    chars: list[Char], values: list[str], breaks: int, anchor: int, joined: bool = True
) -> None:
    """Characters for ``breaks`` line breaks between two lines of a flow (or folded) scalar:
    one break joins the lines with a space, n breaks keep n-1 newlines."""
    if breaks == 1:
        if joined:
            chars.append(Char(anchor, 1, False))
            values.append(" ")
        return
    for _ in range(breaks - 1):
        chars.append(Char(anchor, 1, False))
        values.append("\n")


def plain_chars(source: str, start: int, end: int) -> tuple[list[Char], str]:
    """A plain (unquoted) scalar: lines trimmed, single breaks folded to spaces."""
    chars: list[Char] = []
    values: list[str] = []
    pending = 0
    anchor = start
    for number, (line_start, line_end) in enumerate(_lines(source, start, end)):
        first = line_start
        while number and first < line_end and source[first] in SPACE:
            first += 1
        last = line_end
        while last > first and source[last - 1] in SPACE:
            last -= 1
        if first == last:
            pending += 1
            continue
        if number:
            _fold(chars, values, pending + 1, anchor)
        pending = 0
        chars.extend(Char(offset) for offset in range(first, last))
        values.append(source[first:last])
        anchor = last
    return chars, "".join(values)


def single_chars(source: str, start: int, end: int) -> tuple[list[Char], str]:
    """A single-quoted scalar: '' is one quote; lines fold as in plain scalars."""
    inner_start, inner_end = start + 1, end - 1
    chars: list[Char] = []
    values: list[str] = []
    lines = _lines(source, inner_start, inner_end)
    pending = 0
    anchor = inner_start
    for number, (line_start, line_end) in enumerate(lines):
        first, last = line_start, line_end
        if number:
            while first < last and source[first] in SPACE:
                first += 1
        if number < len(lines) - 1:
            while last > first and source[last - 1] in SPACE:
                last -= 1
        if number and first == last and number < len(lines) - 1:
            pending += 1
            continue
        if number:
            _fold(chars, values, pending + 1, anchor)
        pending = 0
        offset = first
        while offset < last:
            if source.startswith("''", offset):
                chars.append(Char(offset, 2))
                values.append("'")
                offset += 2
            else:
                chars.append(Char(offset))
                values.append(source[offset])
                offset += 1
        anchor = last
    return chars, "".join(values)


def _double_line(
    source: str, first: int, last: int, chars: list[Char], values: list[str]
) -> tuple[bool, int]:
    """Decode one line of a double-quoted scalar; returns (ends with an escaped break, the
    offset after its last character kept)."""
    offset = first
    raw_spaces: list[int] = []  # trailing unescaped spaces, dropped if the line folds
    while offset < last:
        char = source[offset]
        if char != "\\":
            chars.append(Char(offset))
            values.append(char)
            raw_spaces = [*raw_spaces, len(chars) - 1] if char in SPACE else []
            offset += 1
            continue
        if offset + 1 >= last:  # a backslash at the end of the line escapes the line break
            return True, offset
        kind = source[offset + 1]
        raw_spaces = []
        if kind in HEX_WIDTH:
            width = 2 + HEX_WIDTH[kind]
            chars.append(Char(offset, width))
            values.append(chr(int(source[offset + 2 : offset + width], 16)))
            offset += width
        else:
            chars.append(Char(offset, 2))
            values.append(YAML_ESCAPES.get(kind, kind))
            offset += 2
    # Unescaped spaces at the end of a line that folds are not part of the value.
    while raw_spaces and raw_spaces[-1] == len(chars) - 1:
        raw_spaces.pop()
        chars.pop()
        values.pop()
    return False, (chars[-1].anchor + chars[-1].width) if chars else first


def double_chars(source: str, start: int, end: int) -> tuple[list[Char], str]:
    """A double-quoted scalar: escapes, folded lines, and backslash-escaped line breaks."""
    inner_start, inner_end = start + 1, end - 1
    chars: list[Char] = []
    values: list[str] = []
    lines = _lines(source, inner_start, inner_end)
    pending = 0
    escaped_break = False
    anchor = inner_start
    for number, (line_start, line_end) in enumerate(lines):
        first, last = line_start, line_end
        if number:
            while first < last and source[first] in SPACE:
                first += 1
        is_last = number == len(lines) - 1
        if number and first == last and not is_last:
            pending += 1
            continue
        if number:
            if escaped_break:
                _fold(chars, values, pending + 1, anchor, joined=False)
            else:
                _fold(chars, values, pending + 1, anchor)
        pending = 0
        mark = len(chars)
        escaped_break, anchor = _double_line(source, first, last, chars, values)
        if is_last and not escaped_break:
            # the last line keeps its trailing spaces: decode it again without trimming
            del chars[mark:]
            del values[mark:]
            _double_last(source, first, last, chars, values)
    return chars, "".join(values)


def _double_last(source: str, first: int, last: int, chars: list[Char], values: list[str]) -> None:
    offset = first
    while offset < last:
        if source[offset] == "\\" and offset + 1 < last:
            kind = source[offset + 1]
            width = 2 + HEX_WIDTH.get(kind, 0)
            chars.append(Char(offset, width))
            if kind in HEX_WIDTH:
                values.append(chr(int(source[offset + 2 : offset + width], 16)))
            else:
                values.append(YAML_ESCAPES.get(kind, kind))
            offset += width
        else:
            chars.append(Char(offset))
            values.append(source[offset])
            offset += 1


def block_chars(source: str, start: int, end: int, parent_indent: int) -> tuple[list[Char], str]:
    """A literal (``|``) or folded (``>``) block scalar, with its chomping indicator."""
    header = BLOCK_HEADER.match(source, start)
    if header is None:
        return [], ""
    folded = source[start] == ">"
    chomp = header.group(1) or header.group(3)
    explicit = int(header.group(2)) if header.group(2) else 0
    newline = source.find("\n", start, end)
    if newline < 0:
        return [], ""
    lines = _lines(source, newline + 1, end)
    if lines and lines[-1][0] == lines[-1][1] and end > 0 and source[end - 1] == "\n":
        lines.pop()  # the span ends just after the last line break
    if explicit:
        indent = parent_indent + explicit
    else:
        indent = 0
        for line_start, line_end in lines:
            text = source[line_start:line_end]
            if text.strip(" "):
                indent = len(text) - len(text.lstrip(" "))
                break
            indent = max(indent, len(text))
    content: list[tuple[int, int] | None] = []  # None for an empty line
    for line_start, line_end in lines:
        if line_end - line_start <= indent and not source[line_start:line_end].strip(" "):
            content.append(None)
        else:
            content.append((line_start + indent, line_end))
    # Trailing empty lines belong to chomping, not to the text.
    last_content = max((i for i, c in enumerate(content) if c is not None), default=-1)
    chars: list[Char] = []
    values: list[str] = []
    previous: tuple[int, int] | None = None
    breaks = 0
    break_anchor = newline
    for item in content[: last_content + 1]:
        if item is None:
            breaks += 1
            continue
        if previous is None:  # leading empty lines are kept as line breaks
            for _ in range(breaks):
                chars.append(Char(break_anchor, 1, False))
                values.append("\n")
        else:
            more = _more_indented(source, previous) or _more_indented(source, item)
            if not folded or more:
                for _ in range(breaks + 1):
                    chars.append(Char(break_anchor, 1, False))
                    values.append("\n")
            else:
                _fold(chars, values, breaks + 1, break_anchor)
        breaks = 0
        chars.extend(Char(offset) for offset in range(item[0], item[1]))
        values.append(source[item[0] : item[1]])
        previous = item
        break_anchor = item[1]
    if last_content < 0 and chomp == "+":  # only empty lines, all kept
        for _ in content:
            chars.append(Char(break_anchor, 1, False))
            values.append("\n")
    elif last_content >= 0 and chomp != "-":
        trailing = 1 + (len(content) - 1 - last_content if chomp == "+" else 0)
        for _ in range(trailing):
            chars.append(Char(break_anchor, 1, False))
            values.append("\n")
    return chars, "".join(values)


def _more_indented(source: str, line: tuple[int, int]) -> bool:
    return line[0] < line[1] and source[line[0]] in SPACE


def scalar_chars(source: str, node: object) -> tuple[list[Char], int] | None:
    """Characters of a scalar node's value and the source offset after the last one, or
    None when the value cannot be mapped exactly (the caller maps line starts instead)."""
    start = node.start_mark.index  # type: ignore[attr-defined]
    end = node.end_mark.index  # type: ignore[attr-defined]
    style = node.style or None  # type: ignore[attr-defined]
    value = node.value  # type: ignore[attr-defined]
    try:
        if style is None:
            chars, decoded = plain_chars(source, start, end)
            stop = chars[-1].anchor + chars[-1].width if chars else start
        elif style == "'":
            chars, decoded = single_chars(source, start, end)
            stop = end - 1
        elif style == '"':
            chars, decoded = double_chars(source, start, end)
            stop = end - 1
        else:
            parent = _parent_indent(source, start)
            chars, decoded = block_chars(source, start, end, parent)
            exact = [c for c in chars if c.exact]
            stop = exact[-1].anchor + 1 if exact else start
    except (ValueError, IndexError):
        return None
    if decoded != value or len(chars) != len(value):
        return None
    return chars, stop


def _parent_indent(source: str, start: int) -> int:
    """Indentation of the line holding a block scalar's header (its parent's indentation)."""
    line_start = source.rfind("\n", 0, start) + 1
    line = source[line_start:start]
    indent = len(line) - len(line.lstrip(" "))
    # "- text: |" inside a list: the key sits after the dash
    stripped = line.lstrip(" ")
    while stripped.startswith("- "):
        indent += 2
        stripped = stripped[2:]
    return indent
