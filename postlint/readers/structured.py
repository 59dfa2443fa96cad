"""YAML and JSON drafts: one post (a mapping), a list of posts, or ``{"posts": [...]}``.

The last shape is what a scheduling tool sends to the HTTP API as well. Field names are the
ones every reader shares (``fields.py``). Every character of a post's text maps to its line
and column in the file: YAML through the scalar's marks (``yamlscalar``), JSON through a
position-aware scanner (``jsonscan``), so escapes such as ``\\u00e9`` point at the column
they were written in.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from postlint.model import Location, Post, ReadProblem, Segment, SourceMap
from postlint.readers import jsonscan, yamlsafe, yamlscalar
from postlint.readers.fields import FieldContext, ReadOptions, apply_fields, too_many_posts
from postlint.readers.textmap import LineIndex, build_map

TEXT_FIELDS = ("text", "message")
HASHTAG_COMMENT = re.compile(r"[ \t]+(#\w+)")
SOURCE_TEXT_LIMIT = 2_000_000  # characters
SHAPE = 'a post (a mapping of fields), a list of posts, or {"posts": [...]}'
YAML_STYLES = {
    None: "yaml-plain",
    "": "yaml-plain",
    "'": "yaml-single",
    '"': "yaml-double",
    "|": "yaml-literal",
    ">": "yaml-folded",
}


def read(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    # A bulk file makes many small objects and no cycles: pause the cycle collector, which
    # would otherwise re-scan them again and again (see csv_reader).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(path, text, options)
    finally:
        if enabled:
            gc.enable()


def _read(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    suffix = Path(path).suffix.lower()
    if suffix == ".json" or (suffix not in {".yaml", ".yml"} and text.lstrip()[:1] in "{["):
        return _read_json(path, text, options)
    return _read_yaml(path, text, options)


class _Entry:
    """One post as found in the file, before it becomes a Post."""

    def __init__(
        self,
        index: int,
        data: dict[str, Any],
        start: tuple[int, int],
        positions: dict[str, tuple[int, int]],
        duplicates: list[tuple[str, int]],
    ):
        self.index = index
        self.data = data
        self.start = start  # line, column of the post's first character
        self.positions = positions
        self.duplicates = duplicates
        self.text = ""
        self.source_map: SourceMap | None = None
        self.problems: list[tuple[str, str, str]] = []  # (message, field, severity)
        self.located: list[ReadProblem] = []  # problems with a place of their own


def _build_post(path: str, source: str, entry: _Entry, options: ReadOptions) -> Post:
    line, column = entry.start

    def locate(name: str) -> Location:
        found = entry.positions.get(name)
        if found is None:
            head = name.split("[", 1)[0].split(".", 1)[0]
            found = entry.positions.get(head, entry.start)
        return Location(path, found[0], found[1])

    source_map = entry.source_map or SourceMap(path, [Segment(0, line, column, -1)])
    post = Post(
        text=entry.text,
        path=path,
        source_map=source_map,
        # A bulk file is not copied into every post sent to a worker or the cache.
        source_text=source if len(source) <= SOURCE_TEXT_LIMIT else None,
        base_dir=Path(path).parent,
        index=entry.index,
    )
    ctx = FieldContext(path, post.base_dir, options, locate)
    for key, dup_line in entry.duplicates:
        ctx.problems.append(
            ReadProblem(
                f"{key!r} is given twice in this post; the last one is used",
                Location(path, dup_line, 1),
                severity="warning",
            )
        )
    for message, field_name, severity in entry.problems:
        ctx.problem(message, field_name, severity)
    ctx.problems.extend(entry.located)
    apply_fields(post, entry.data, ctx)
    post.field_locations = {name: locate(name) for name in entry.positions}
    post.field_locations.setdefault("text", Location(path, line, column))
    if not post.text.strip() and not post.images and not post.videos:
        post.read_problems.append(
            ReadProblem(
                "the post is empty: give its message in 'text'",
                locate("text") if "text" in entry.positions else Location(path, line, column),
            )
        )
    return post


def _text_field(entry: _Entry) -> str | None:
    present = [name for name in TEXT_FIELDS if name in entry.data]
    if len(present) == 2:
        entry.problems.append(
            ("both 'text' and 'message' are given: 'text' is used", "message", "warning")
        )
    return present[0] if present else None


def _cut(
    path: str,
    nodes: list,
    options: ReadOptions,
    position: Callable[[Any], tuple[int, int]],
    dropped: int = 0,
) -> tuple[list, list[ReadProblem]]:
    """The first ``max-posts-per-file`` entries, and the problem saying the rest were left
    out. Posts (with their source maps, tens of bytes a character) are built only for the
    entries that are kept: a file of 100,000 posts costs the memory of 1,000."""
    if len(nodes) <= options.max_posts:
        return nodes, []
    first_left_out = nodes[options.max_posts][1]
    problem = ReadProblem(
        too_many_posts(len(nodes) + dropped, options), Location(path, *position(first_left_out))
    )
    return nodes[: options.max_posts], [problem]


# --- JSON -------------------------------------------------------------------------------


def _read_json(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    lines = LineIndex(text)
    try:
        # One past the limit, so the first post left out can be pointed at.
        root = jsonscan.parse(text, keep_items=options.max_posts + 1)
    except jsonscan.JsonProblem as exc:
        line, column = lines.position(min(exc.offset, len(text)))
        return [], [ReadProblem(f"broken JSON: {exc}", Location(path, line, column))]
    nodes, problems, dropped = _json_entries(path, root, lines)
    nodes, cut = _cut(path, nodes, options, lambda node: lines.position(node.start), dropped)
    problems += cut
    posts = []
    for index, node in nodes:
        positions, duplicates = jsonscan.positions(node)
        entry = _Entry(
            index,
            node.to_python(),
            lines.position(node.start),
            {name: lines.position(offset) for name, offset in positions.items()},
            [(name, lines.position(offset)[0]) for name, offset in duplicates],
        )
        name = _text_field(entry)
        value = node.get(name) if name else None
        if value is not None and value.kind == "string":
            entry.text = value.value
            segments = [
                Segment(text_offset, *lines.position(offset), offset)
                for text_offset, offset in jsonscan.string_segments(text, value)
            ]
            entry.source_map = SourceMap(path, segments, escape="json")
        elif value is not None and not (value.kind == "literal" and value.value is None):
            kind = "true/false" if value.kind == "literal" else value.kind
            entry.problems.append((f"{name!r} must be a string, got {kind}", name, "error"))
        posts.append(_build_post(path, text, entry, options))
    return posts, problems


def _json_entries(path: str, root: jsonscan.JNode, lines: LineIndex) -> tuple[list, list, int]:
    """The posts' (index, node) pairs, problems, and how many posts the parser let go."""
    problems: list[ReadProblem] = []

    def where(node: jsonscan.JNode) -> Location:
        return Location(path, *lines.position(node.start))

    if root.kind == "object" and root.get("posts") is not None:
        for key, key_start, _ in root.items:
            if key != "posts":
                problems.append(
                    ReadProblem(
                        f"top-level field {key!r} was ignored: only 'posts' is read here",
                        Location(path, *lines.position(key_start)),
                        severity="warning",
                    )
                )
        container = root.get("posts")
        if container is None or container.kind != "array":
            return [], [ReadProblem("'posts' must be a list of posts", where(root))], 0
        items, dropped = container.items, container.dropped
    elif root.kind == "array":
        items, dropped = root.items, root.dropped
    elif root.kind == "object":
        items, dropped = [root], 0
    else:
        return [], [ReadProblem(f"the file must hold {SHAPE}", where(root))], 0
    entries = []
    for index, node in enumerate(items):
        if node.kind != "object":
            problems.append(
                ReadProblem(
                    f"post {index + 1} is {_json_kind(node)}, not a mapping of fields "
                    "(text, platforms, images...): skipped",
                    where(node),
                )
            )
            continue
        entries.append((index, node))
    return entries, problems, dropped


# --- YAML -------------------------------------------------------------------------------


def _read_yaml(path: str, text: str, options: ReadOptions) -> tuple[list[Post], list[ReadProblem]]:
    try:
        root, _, _ = yamlsafe.compose(text)
        if root is None:
            return [], [ReadProblem(f"the file is empty: it must hold {SHAPE}", Location(path))]
        yamlsafe.construct(root)  # refuses Python tags anywhere in the file
    except yamlsafe.YamlProblem as exc:
        return [], [ReadProblem(f"{exc}", Location(path, exc.line, exc.column))]
    lines = LineIndex(text)
    nodes, problems = _yaml_entries(path, root)
    nodes, cut = _cut(
        path, nodes, options, lambda node: (node.start_mark.line + 1, node.start_mark.column + 1)
    )
    problems += cut
    posts = []
    for index, node in nodes:
        positions, duplicates = yamlsafe.key_positions(node)
        data = yamlsafe.construct(node)
        entry = _Entry(
            index,
            data,
            (node.start_mark.line + 1, node.start_mark.column + 1),
            positions,
            duplicates,
        )
        name = _text_field(entry)
        value = _mapping_value(node, name) if name else None
        if isinstance(value, yaml.ScalarNode) and isinstance(entry.data.get(name), str):
            entry.text = value.value
            entry.source_map = _yaml_text_map(path, text, value, lines)
            lost = _hashtag_comment(path, text, value, lines)
            if lost:
                entry.located.append(lost)
        elif value is not None and entry.data.get(name) is not None:
            kind = type(entry.data.get(name)).__name__
            entry.problems.append((f"{name!r} must be a string, got {kind}", name, "error"))
        posts.append(_build_post(path, text, entry, options))
    return posts, problems


def _hashtag_comment(
    path: str, source: str, node: yaml.ScalarNode, lines: LineIndex
) -> ReadProblem | None:
    """In an unquoted YAML value, " #FluJab" starts a comment: the hashtag silently drops
    out of the post. Say so, as the draft's author surely meant it to be published."""
    if node.style not in (None, ""):
        return None
    line_end = source.find("\n", node.end_mark.index)
    rest = source[node.end_mark.index : line_end if line_end >= 0 else len(source)]
    match = HASHTAG_COMMENT.match(rest)
    if match is None:
        return None
    line, column = lines.position(node.end_mark.index + match.start(1))
    return ReadProblem(
        f"{match.group(1)!r} after a space starts a YAML comment, so it is not in the post: "
        "put the text in quotes or use a block (text: |)",
        Location(path, line, column),
    )


def _mapping_value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = value_node
    return found


def _yaml_entries(path: str, root: yaml.Node) -> tuple[list, list]:
    problems: list[ReadProblem] = []

    def where(node: yaml.Node) -> Location:
        return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)

    if isinstance(root, yaml.MappingNode) and _mapping_value(root, "posts") is not None:
        for key_node, _ in root.value:
            if key_node.value != "posts":
                problems.append(
                    ReadProblem(
                        f"top-level field {key_node.value!r} was ignored: only 'posts' is read",
                        where(key_node),
                        severity="warning",
                    )
                )
        container = _mapping_value(root, "posts")
        if not isinstance(container, yaml.SequenceNode):
            return [], [ReadProblem("'posts' must be a list of posts", where(root))]
        items = container.value
    elif isinstance(root, yaml.SequenceNode):
        items = root.value
    elif isinstance(root, yaml.MappingNode):
        items = [root]
    else:
        return [], [ReadProblem(f"the file must hold {SHAPE}", where(root))]
    entries = []
    for index, node in enumerate(items):
        if not isinstance(node, yaml.MappingNode):
            kind = "list" if isinstance(node, yaml.SequenceNode) else "single value"
            problems.append(
                ReadProblem(
                    f"post {index + 1} is {_a(kind)}, not a mapping of fields "
                    "(text, platforms, images...): skipped",
                    where(node),
                )
            )
            continue
        entries.append((index, node))
    return entries, problems


def _yaml_text_map(path: str, source: str, node: yaml.ScalarNode, lines: LineIndex) -> SourceMap:
    escape = YAML_STYLES.get(node.style, "yaml-plain")
    mapped = yamlscalar.scalar_chars(source, node)
    if mapped is not None:
        chars, stop = mapped
        return build_map(path, chars, stop, lines, escape=escape)
    return _line_starts_map(path, source, node, escape)


def _line_starts_map(path: str, source: str, node: yaml.ScalarNode, escape: str) -> SourceMap:
    """When folding hides where characters came from, map the start of each line of the
    value to the source line it begins on; offsets are then unknown (no fixes there)."""
    start = node.start_mark
    segments = [Segment(0, start.line + 1, start.column + 1, -1)]
    region_end = node.end_mark.index
    search = start.index
    text_offset = 0
    for number, line in enumerate(node.value.split("\n")):
        if number:
            probe = line.strip()[:20]
            found = source.find(probe, search, region_end) if probe else -1
            if found >= 0:
                line_no = source.count("\n", 0, found) + 1
                column = found - source.rfind("\n", 0, found)
                segments.append(Segment(text_offset, line_no, column, -1))
                search = found + len(probe)
        text_offset += len(line) + 1
    return SourceMap(path, segments, escape=escape)


def _a(noun: str) -> str:
    """'an array', 'a string'."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _json_kind(node: jsonscan.JNode) -> str:
    """'an array', 'a string', 'null', 'true'."""
    if node.kind == "literal":
        return {True: "true", False: "false", None: "null"}.get(node.value, "a value")
    return _a(node.kind)
