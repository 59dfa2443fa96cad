"""A faster matcher for spaCy's attribute ruler, with the same results.

The English pipelines' ``attribute_ruler`` maps fine-grained tags to parts of speech and
morphology and fixes a few words' lemmas, through about 180 patterns run by spaCy's general
``Matcher``, which tries every pattern at every token: 0.9 ms of the ~5 ms spaCy spends on a
post. Those patterns are plain: one or two tokens, each a condition on LOWER, ORTH, TAG, DEP
or IS_SPACE (a value, IN or NOT_IN a list, or a REGEX). ``speed_up(nlp)`` files each pattern
under a value it needs (a word, a tag), so each token meets only the patterns that can match
it (0.1 ms a post instead of 0.9), and hands the ruler's own ``set_annotations`` the same
matches in the same order (by pattern number, later patterns winning): tags, parts of
speech, morphology and lemmas are unchanged, and tests compare every token's annotations
with the unmodified pipeline.

A pipeline whose ruler uses anything else (quantifiers, other attributes or operators,
extension attributes, longer patterns) keeps spaCy's matcher: ``speed_up`` leaves it alone.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

log = logging.getLogger("postlint")

# Token attributes this matcher understands, in the order a pattern is filed by them.
_ATTRIBUTES = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")
_MAX_PATTERN_TOKENS = 4

# One condition on a token: (attribute, operator, value), where the operator is "==", "IN",
# "NOT_IN" or "REGEX" (the Matcher's own meanings); a token of a pattern is a tuple of them.
Condition = tuple[str, str, Any]
Spec = tuple[Condition, ...]


class IndexedMatcher:
    """The ruler's matches, found through an index. Called as ``ruler.match(doc)``.

    It compares what spaCy's Matcher compares: the string-store IDs of the tokens'
    attributes (read for the whole Doc at once with ``Doc.to_array``) with those of the
    patterns' values; a REGEX looks the string up."""

    def __init__(self, ruler: Any, patterns: list[tuple[int, list[Spec]]]) -> None:
        from spacy.attrs import IDS
        from spacy.strings import get_string_id

        self.strings = ruler.vocab.strings
        self.attribute_ids = [IDS[name] for name in _ATTRIBUTES]
        self.match_ids = {number: self.strings[str(number)] for number, _ in patterns}

        def as_id(value: Any) -> int:
            return int(value) if isinstance(value, bool) else get_string_id(value)

        def hashed(spec: Spec) -> Spec:
            out = []
            for name, operator, value in spec:
                if operator == "==":
                    value = as_id(value)
                elif operator in {"IN", "NOT_IN"}:
                    value = frozenset(as_id(v) for v in value)
                out.append((_ATTRIBUTES.index(name), operator, value))
            return tuple(out)

        # Each pattern is filed under one value one of its tokens must have (the first of
        # word, tag, dependency, space in that order): (attribute, value) -> (pattern
        # number, pattern, position of that token). A token then meets only the patterns
        # filed under its own values; the few with no such value are tried everywhere.
        self.index: dict[tuple[int, int], list[tuple[int, list[Spec], int]]] = defaultdict(list)
        self.anywhere: list[tuple[int, list[Spec]]] = []
        for number, pattern in patterns:
            filed = _filing(pattern)
            ready = [hashed(spec) for spec in pattern]
            if filed is None:
                self.anywhere.append((number, ready))
                continue
            attribute, values, position = filed
            for value in values:
                key = (_ATTRIBUTES.index(attribute), as_id(value))
                self.index[key].append((number, ready, position))
        self.columns_filed = sorted({column for column, _ in self.index})

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        length = len(doc)
        if length == 0:
            return []
        columns = doc.to_array(self.attribute_ids).T.tolist()
        found: set[tuple[int, int, int]] = set()
        index, strings = self.index, self.strings
        for column in self.columns_filed:
            for i, value in enumerate(columns[column]):
                for number, pattern, position in index.get((column, value), ()):
                    start = i - position
                    end = start + len(pattern)
                    if (
                        start >= 0
                        and end <= length
                        and _sequence_fits(columns, strings, start, pattern)
                    ):
                        found.add((number, start, end))
        for number, pattern in self.anywhere:
            for start in range(length - len(pattern) + 1):
                if _sequence_fits(columns, strings, start, pattern):
                    found.add((number, start, start + len(pattern)))
        return sorted((number, self.match_ids[number], s, e) for number, s, e in found)


def _filing(pattern: list[Spec]) -> tuple[str, list[Any], int] | None:
    for attribute in _ATTRIBUTES:
        for position, spec in enumerate(pattern):
            values = _index_values(spec, attribute)
            if values:
                return attribute, values, position
    return None


def _sequence_fits(columns: list[list[int]], strings: Any, start: int, pattern: list[Spec]) -> bool:
    for offset, spec in enumerate(pattern):
        for column, operator, value in spec:
            actual = columns[column][start + offset]
            if operator == "==":
                if actual != value:
                    return False
            elif operator == "IN":
                if actual not in value:
                    return False
            elif operator == "NOT_IN":
                if actual in value:
                    return False
            elif not value.search(strings[actual]):  # REGEX
                return False
    return True


def _index_values(spec: Spec, attribute: str) -> list[Any]:
    """The values ``attribute`` must have for ``spec`` to match (one, or an IN list), or []
    when the spec does not pin it down."""
    for name, operator, value in spec:
        if name == attribute and operator == "==":
            return [value]
        if name == attribute and operator == "IN":
            return sorted(value)
    return []


def _conditions(name: str, value: Any) -> list[Condition] | None:
    """A pattern token's entry as conditions, or None if it is not one reproduced exactly:
    a plain value, or a dict of IN, NOT_IN and REGEX (strings only, for string attributes)."""
    if name not in _ATTRIBUTES:
        return None
    if name == "IS_SPACE":
        return [(name, "==", value)] if isinstance(value, bool) else None
    if isinstance(value, str):
        return [(name, "==", value)]
    if not isinstance(value, dict) or not value:
        return None
    found: list[Condition] = []
    for operator, argument in value.items():
        if operator in {"IN", "NOT_IN"}:
            if not isinstance(argument, list) or not all(isinstance(v, str) for v in argument):
                return None
            found.append((name, operator, frozenset(argument)))
        elif operator == "REGEX" and isinstance(argument, str):
            found.append((name, operator, re.compile(argument)))
        else:
            return None
    return found


def _plain_patterns(ruler: Any) -> list[tuple[int, list[Spec]]] | None:
    """The ruler's patterns as (pattern number, [token specs]), or None if any pattern is
    not one this matcher reproduces exactly."""
    if len(ruler.attrs) != len(ruler.indices) or any("_" in attrs for attrs in ruler.attrs):
        return None
    plain: list[tuple[int, list[Spec]]] = []
    for number, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            if not isinstance(pattern, list) or not 0 < len(pattern) <= _MAX_PATTERN_TOKENS:
                return None
            specs: list[Spec] = []
            for token in pattern:
                if not isinstance(token, dict) or not token:
                    return None
                spec: list[Condition] = []
                for name, value in token.items():
                    conditions = _conditions(name, value)
                    if conditions is None:
                        return None
                    spec.extend(conditions)
                specs.append(tuple(spec))
            index = ruler.indices[number]
            if not -len(pattern) <= index < len(pattern):
                return None
            plain.append((number, specs))
    return plain


def speed_up(nlp: Any) -> bool:
    """Give each of the pipeline's attribute rulers the indexed matcher; True if any got
    it. A ruler it cannot reproduce exactly is left as it is."""
    changed = False
    for name, component in getattr(nlp, "pipeline", []):
        if type(component).__name__ != "AttributeRuler" or not hasattr(component, "match"):
            continue
        try:
            patterns = _plain_patterns(component)
        except Exception:  # an unexpected ruler layout: keep spaCy's matcher
            log.debug("attribute ruler %s left as it is", name, exc_info=True)
            continue
        if patterns is None:
            continue
        component.match = IndexedMatcher(component, patterns)
        changed = True
    return changed
