"""A small JSON parser that remembers where every value and key came from.

``json.loads`` gives values but no positions, so a finding in a post's text could not point
at its line and column. This parser builds ``JNode``s with source offsets; strings keep
their raw span, and ``string_chars`` decodes one string character by character, so that
``\\n``, ``\\u00e9`` and surrogate pairs each map to the columns they were written in.

It is strict JSON (no comments, NaN or trailing commas) with limits on depth and number
size, and it never recurses deeper than ``MAX_DEPTH``: a file nested 5,000 deep is a clear
problem, not a RecursionError.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any

from postlint.readers.textmap import Char

MAX_DEPTH = 100
MAX_NUMBER_CHARS = 100  # no post field needs a longer number; int() of huge ones is slow

WHITESPACE = re.compile(r"[ \t\n\r]*")
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class JsonProblem(Exception):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(slots=True)
class JNode:
    kind: str  # object, array, string, number, literal
    start: int  # offset of the first character (the quote of a string)
    end: int  # offset just after the last character
    value: Any = None  # for scalars; for strings the decoded text
    items: list = field(default_factory=list)  # array: [JNode]; object: [(key, key_start, JNode)]
    dropped: int = 0  # a list of posts: items read (and checked) past ``keep_items``, not kept

    def to_python(self) -> Any:
        if self.kind == "object":
            return {key: node.to_python() for key, _, node in self.items}
        if self.kind == "array":
            return [node.to_python() for node in self.items]
        return self.value

    def get(self, key: str) -> JNode | None:
        """The last value given for ``key`` (as json.loads keeps the last duplicate)."""
        found = None
        for name, _, node in self.items:
            if name == key:
                found = node
        return found


class _Parser:
    def __init__(self, text: str, keep_items: int | None = None):
        self.text = text
        self.keep_items = keep_items

    def skip(self, index: int) -> int:
        return WHITESPACE.match(self.text, index).end()  # type: ignore[union-attr]

    def value(self, index: int, depth: int, posts: bool = False) -> JNode:
        text = self.text
        if index >= len(text):
            raise JsonProblem("the JSON ends where a value was expected", index)
        char = text[index]
        if char == '"':
            return self.string(index)
        if char in "{[":
            if depth >= MAX_DEPTH:
                raise JsonProblem(
                    f"the JSON is nested more than {MAX_DEPTH} levels deep: refused", index
                )
            return self.obj(index, depth) if char == "{" else self.array(index, depth, posts)
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, index):
                return JNode("literal", index, index + len(word), literal)
        match = NUMBER.match(text, index)
        if match and match.end() > index:
            return self.number(match)
        for word in ("NaN", "Infinity", "-Infinity"):
            if text.startswith(word, index):
                raise JsonProblem(f"{word} is not allowed in JSON: use a number or null", index)
        if char in "'":
            raise JsonProblem('JSON strings need double quotes ("), not single quotes', index)
        raise JsonProblem(f"unexpected character {char!r} where a value was expected", index)

    def number(self, match: re.Match) -> JNode:
        raw = match.group(0)
        if len(raw) > MAX_NUMBER_CHARS:
            raise JsonProblem(
                f"a number {len(raw):,} characters long: no post field needs one; refused",
                match.start(),
            )
        value: int | float = float(raw) if match.group(1) or match.group(2) else int(raw)
        return JNode("number", match.start(), match.end(), value)

    def string(self, index: int) -> JNode:
        try:
            value, end = scanstring(self.text, index + 1, True)
        except json.JSONDecodeError as exc:
            message = exc.msg
            if "Invalid control character" in message:
                message = "a line break or control character inside a string: write it as \\n"
            elif "Unterminated string" in message:
                message = "a string is never closed with a double quote"
            raise JsonProblem(message, exc.pos) from None
        return JNode("string", index, end, value)

    def obj(self, start: int, depth: int) -> JNode:
        text = self.text
        node = JNode("object", start, start)
        index = self.skip(start + 1)
        if text.startswith("}", index):
            node.end = index + 1
            return node
        while True:
            if not text.startswith('"', index):
                raise JsonProblem("expected a field name in double quotes", index)
            key = self.string(index)
            index = self.skip(key.end)
            if not text.startswith(":", index):
                raise JsonProblem("expected ':' after the field name", index)
            # {"posts": [...]} at the top: that list is the posts.
            value = self.value(self.skip(index + 1), depth + 1, depth == 0 and key.value == "posts")
            node.items.append((key.value, key.start, value))
            index = self.skip(value.end)
            if text.startswith(",", index):
                index = self.skip(index + 1)
                if text.startswith("}", index):
                    raise JsonProblem(
                        "a comma before '}': remove it (JSON has no trailing commas)", index
                    )
                continue
            if text.startswith("}", index):
                node.end = index + 1
                return node
            raise JsonProblem("expected ',' or '}' after a field", index)

    def array(self, start: int, depth: int, posts: bool = False) -> JNode:
        text = self.text
        node = JNode("array", start, start)
        index = self.skip(start + 1)
        if text.startswith("]", index):
            node.end = index + 1
            return node
        keep = self.keep_items if posts or depth == 0 else None
        while True:
            value = self.value(index, depth + 1)
            if keep is not None and len(node.items) >= keep:
                node.dropped += 1  # checked, counted, let go: memory stays that of ``keep``
            else:
                node.items.append(value)
            index = self.skip(value.end)
            if text.startswith(",", index):
                index = self.skip(index + 1)
                if text.startswith("]", index):
                    raise JsonProblem(
                        "a comma before ']': remove it (JSON has no trailing commas)", index
                    )
                continue
            if text.startswith("]", index):
                node.end = index + 1
                return node
            raise JsonProblem("expected ',' or ']' after a value", index)


def parse(text: str, keep_items: int | None = None) -> JNode:
    """Parse a whole JSON document; JsonProblem (with an offset) on anything wrong.

    ``keep_items``: of a list of posts (the top-level list, or the top-level "posts"
    field's), keep only the first so many items; the rest are parsed (so errors in them
    are still reported) and counted in ``dropped``, but not kept."""
    parser = _Parser(text, keep_items)
    node = parser.value(parser.skip(0), 0)
    rest = parser.skip(node.end)
    if rest < len(text):
        raise JsonProblem("more data after the JSON value: one value per file", rest)
    return node


def positions(node: JNode, prefix: str = "") -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Offsets of every field below ``node`` by dotted name, and the duplicated keys."""
    found: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    stack = [(node, prefix)]
    while stack:
        current, name = stack.pop()
        if current.kind == "object":
            seen: set[str] = set()
            for key, key_start, value in current.items:
                child = f"{name}.{key}" if name else key
                if key in seen:
                    duplicates.append((child, key_start))
                seen.add(key)
                found.setdefault(child, key_start)
                stack.append((value, child))
        elif current.kind == "array":
            for number, value in enumerate(current.items):
                child = f"{name}[{number}]"
                found.setdefault(child, value.start)
                stack.append((value, child))
    return found, sorted(duplicates, key=lambda d: d[1])


def string_chars(text: str, node: JNode) -> list[Char]:
    """Where each character of a string node's value was written: escapes are wider."""
    raw_start, raw_end = node.start + 1, node.end - 1
    if text.find("\\", raw_start, raw_end) < 0:
        return [Char(offset) for offset in range(raw_start, raw_end)]
    chars: list[Char] = []
    index = raw_start
    while index < raw_end:
        if text[index] != "\\":
            chars.append(Char(index))
            index += 1
            continue
        kind = text[index + 1]
        if kind != "u":
            chars.append(Char(index, 2))
            index += 2
            continue
        code = int(text[index + 2 : index + 6], 16)
        width = 6
        if 0xD800 <= code < 0xDC00 and text.startswith("\\u", index + 6):
            low = int(text[index + 8 : index + 12], 16)
            if 0xDC00 <= low < 0xE000:
                width = 12  # a surrogate pair decodes to one character
        chars.append(Char(index, width))
        index += width
    return chars


def string_segments(text: str, node: JNode) -> list[tuple[int, int]]:
    """The same as ``string_chars`` but only where the mapping changes: (text offset,
    source offset) at the start of the string, at each escape and just after it. A JSON
    string holds no raw line break, so every piece stays on one line."""
    raw_start, raw_end = node.start + 1, node.end - 1
    points = [(0, raw_start)]
    index = text.find("\\", raw_start, raw_end)
    text_offset = index - raw_start if index >= 0 else 0
    while index >= 0:
        if points[-1] != (text_offset, index):
            points.append((text_offset, index))
        width = 2
        if text[index + 1] == "u":
            width = 6
            code = int(text[index + 2 : index + 6], 16)
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", index + 6):
                low = int(text[index + 8 : index + 12], 16)
                if 0xDC00 <= low < 0xE000:
                    width = 12
        after = index + width
        text_offset += 1
        points.append((text_offset, after))
        following = text.find("\\", after, raw_end)
        if following < 0:
            break
        text_offset += following - after
        index = following
    return points


def encode(replacement: str) -> str:
    """A replacement as it must be written inside a JSON string."""
    return json.dumps(replacement, ensure_ascii=False)[1:-1]


def decode(raw: str) -> str | None:
    """The text of a piece of a JSON string's source, or None if it is not one."""
    try:
        return json.loads(f'"{raw}"')
    except ValueError:
        return None
