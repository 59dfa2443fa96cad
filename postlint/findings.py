"""Findings, fixes and severities: what every check emits and every reporter prints."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from postlint.model import Location


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r}: use one of error, warning, info"
            ) from None

    def __str__(self) -> str:  # "error", as people write it in config and read it in reports
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace text offsets ``start``..``end`` of the post's text with ``replacement``.

    ``safe`` fixes are applied by ``--fix``; unsafe ones only with ``--unsafe-fixes``
    (they may change meaning, as a spelling suggestion can).
    """

    start: int
    end: int
    replacement: str
    description: str = ""
    safe: bool = True


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    start: int | None = None  # offsets in the post's text, None for findings about fields
    end: int | None = None
    fixes: list[Fix] = field(default_factory=list)
    policy: str = ""  # the clause or guidance the rule enforces
    post_label: str = ""
    suggestion: str | None = None  # a human suggestion when no mechanical fix exists

    @property
    def fixable(self) -> bool:
        return bool(self.fixes)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.row or 0, loc.line, loc.column, self.code)


TOOL_CODES = frozenset({"X002", "X003"})


def score(findings: list[Finding]) -> int:
    """Score a post from 0 to 100: 100 minus 20 per error, 5 per warning, 1 per info.

    The weights make one error cost as much as four warnings: an error is something the
    policy forbids, a warning something it advises against, info something to look at.
    Findings about postlint's own tools (X002 a check crashed, X003 an engine is missing)
    do not count: they are about postlint, not the post. Read errors (X001) do.
    """
    weights = {Severity.ERROR: 20, Severity.WARNING: 5, Severity.INFO: 1}
    penalty = sum(weights[f.severity] for f in findings if f.code not in TOOL_CODES)
    return max(0, 100 - penalty)
