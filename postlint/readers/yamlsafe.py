"""Safe YAML loading with the positions of every key, for front matter and YAML posts.

Only plain data is built (no Python tags), alias bombs and very deep nesting are refused
before anything is expanded, and duplicate keys are reported rather than silently merged.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is much faster on large files; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000  # counted with every alias expanded: stops "billion laughs"
MAX_DEPTH = 100


class YamlProblem(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line = line
        self.column = column


def _walk(
    node: yaml.Node, depth: int, budget: list[int], positions: dict, prefix: str, duplicates: list
) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(
            "the YAML expands to too many values (an alias bomb?): refused",
            node.start_mark.line + 1,
        )
    if depth > MAX_DEPTH:
        raise YamlProblem(
            f"the YAML is nested more than {MAX_DEPTH} levels deep: refused",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            name = f"{prefix}.{key}" if prefix else key
            if depth == 0 and key in seen:
                duplicates.append((key, key_node.start_mark.line + 1))
            seen.add(key)
            positions.setdefault(
                name, (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            )
            _walk(value_node, depth + 1, budget, positions, name, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            name = f"{prefix}[{number}]"
            positions.setdefault(name, (item.start_mark.line + 1, item.start_mark.column + 1))
            _walk(item, depth + 1, budget, positions, name, duplicates)


def load(text: str) -> tuple[Any, dict[str, tuple[int, int]], list[tuple[str, int]]]:
    """Parse ``text``; return the data, key positions (1-based line, column) and duplicates.

    Raises YamlProblem with a clear message and position on anything unsafe or broken.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        raise YamlProblem(f"broken YAML: {exc.problem or exc}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"broken YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("the YAML is nested too deeply to read: refused") from None
    if node is None:
        return None, {}, []
    positions: dict[str, tuple[int, int]] = {}
    duplicates: list[tuple[str, int]] = []
    try:
        _walk(node, 0, [MAX_NODES], positions, "", duplicates)
    except RecursionError:
        raise YamlProblem("the YAML is nested too deeply to read: refused") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlProblem(
            f"the YAML uses a tag postlint will not load ({exc.problem}); use plain values",
            mark.line + 1 if mark else 1,
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise YamlProblem(f"broken YAML: {type(exc).__name__}") from None
    return data, positions, duplicates
