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


def _reused(node: yaml.Node, budget: list[int]) -> bool:
    ids = budget[1:]
    return len(set(ids)) < len(ids) or id(node) in ids


def _walk(
    node: yaml.Node, depth: int, budget: list[int], positions: dict, prefix: str, duplicates: list
) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        # An alias makes PyYAML reuse a node: a node met twice means aliases multiply.
        if _reused(node, budget):
            message = (
                "the YAML expands, through its aliases (*name), to more than "
                f"{MAX_NODES:,} values: refused"
            )
        else:
            message = (
                f"the YAML holds more than {MAX_NODES:,} values: refused (split a big "
                "schedule into several files)"
            )
        raise YamlProblem(message, node.start_mark.line + 1)
    budget.append(id(node))
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
            if key in seen:
                duplicates.append((name, key_node.start_mark.line + 1))
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


def _broken(problem: str) -> str:
    """A clearer message for the YAML mistakes people make most."""
    if problem == "tab" or "'\\t'" in problem:
        return "a tab is used for indentation or spacing: YAML needs spaces"
    if "mapping values are not allowed" in problem:
        return f"{problem} (a value holding ': ' must be quoted, for example text: \"Time: 9am\")"
    if "maximum nesting depth" in problem:
        return "the YAML is nested too deeply to read: refused"
    return problem


def compose(text: str) -> tuple[yaml.Node | None, dict[str, tuple[int, int]], list]:
    """Parse ``text`` into a node tree, refusing alias bombs and deep nesting.

    Returns the root node (None for an empty document), the key positions (1-based line,
    column) by dotted name (``images[0].alt``) and the duplicated keys (name, line).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = str(exc.problem or exc)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            problem = "tab"  # libyaml does not say the character it stopped at is a tab
        raise YamlProblem(f"broken YAML: {_broken(problem)}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"broken YAML: {_broken(str(exc))}") from None
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
    return node, positions, duplicates


def key_positions(node: yaml.Node) -> tuple[dict[str, tuple[int, int]], list[tuple[str, int]]]:
    """Positions and duplicated keys below ``node`` (already checked by ``compose``)."""
    positions: dict[str, tuple[int, int]] = {}
    duplicates: list[tuple[str, int]] = []
    _walk(node, 0, [MAX_NODES], positions, "", duplicates)
    return positions, duplicates


def construct(node: yaml.Node) -> Any:
    """Plain Python data from a composed node: no Python tags, shared aliases not copied."""
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlProblem(
            f"the YAML uses a tag postlint will not load ({exc.problem}); use plain values",
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
        ) from None
    except ValueError as exc:
        if "digits" in str(exc):  # Python refuses integers of more than 4,300 digits
            raise YamlProblem(
                "a number in the YAML has thousands of digits: refused (quote it if it is "
                "meant as text)"
            ) from None
        raise YamlProblem(f"broken YAML: {type(exc).__name__}") from None
    except (yaml.YAMLError, RecursionError, TypeError, OverflowError) as exc:
        raise YamlProblem(f"broken YAML: {type(exc).__name__}") from None
    finally:
        loader.dispose()


def load(text: str) -> tuple[Any, dict[str, tuple[int, int]], list[tuple[str, int]]]:
    """Parse ``text``; return the data, key positions (1-based line, column) and duplicates.

    Raises YamlProblem with a clear message and position on anything unsafe or broken.
    """
    node, positions, duplicates = compose(text)
    if node is None:
        return None, {}, []
    return construct(node), positions, duplicates
