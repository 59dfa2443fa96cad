"""Discovers checks and analyses through entry points; the engine knows no check by name."""

from __future__ import annotations

import functools
import importlib.metadata
import re
from dataclasses import dataclass
from typing import Any

from postlint.check import AnalysisFunction, Check

CHECK_GROUP = "postlint.checks"
ANALYSIS_GROUP = "postlint.analyses"
CODE_PATTERN = re.compile(r"^[A-Z][0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class PluginError(Exception):
    """A plugin could not be loaded or declares a check badly."""


@dataclass(frozen=True)
class Registry:
    checks: dict[str, type[Check]]  # by code
    analyses: dict[str, AnalysisFunction]
    errors: tuple[str, ...] = ()  # plugins that failed to load, said once per run

    def by_name(self) -> dict[str, type[Check]]:
        return {cls.name: cls for cls in self.checks.values()}

    def resolve(self, code_or_name: str) -> type[Check] | None:
        key = code_or_name.strip()
        return self.checks.get(key.upper()) or self.by_name().get(key.lower())


def _checks_from(obj: Any) -> list[type[Check]]:
    if isinstance(obj, type) and issubclass(obj, Check):
        return [obj]
    if hasattr(obj, "CHECKS"):
        return list(obj.CHECKS)
    if isinstance(obj, list | tuple):
        return list(obj)
    raise PluginError(f"{obj!r} is neither a Check class nor a module with CHECKS")


@functools.cache
def load_registry() -> Registry:
    checks: dict[str, type[Check]] = {}
    errors: list[str] = []
    for entry_point in importlib.metadata.entry_points(group=CHECK_GROUP):
        try:
            found = _checks_from(entry_point.load())
        except Exception as exc:  # a broken plugin must not stop the run
            errors.append(f"plugin {entry_point.name!r} failed to load: {exc}")
            continue
        for cls in found:
            problem = _declaration_problem(cls)
            if problem:
                errors.append(f"plugin {entry_point.name!r}: {problem}")
            elif cls.code in checks and checks[cls.code] is not cls:
                errors.append(
                    f"plugin {entry_point.name!r}: code {cls.code} is already used by "
                    f"{checks[cls.code].name}"
                )
            else:
                checks[cls.code] = cls
    analyses: dict[str, AnalysisFunction] = {}
    for entry_point in importlib.metadata.entry_points(group=ANALYSIS_GROUP):
        analyses[entry_point.name] = _lazy_analysis(entry_point)
    return Registry(dict(sorted(checks.items())), analyses, tuple(errors))


def _lazy_analysis(entry_point: importlib.metadata.EntryPoint) -> AnalysisFunction:
    """Import an analysis only when a check first asks for it (keeps start-up fast)."""
    loaded: list[AnalysisFunction] = []

    def run(post, ctx):
        if not loaded:
            loaded.append(entry_point.load())
        return loaded[0](post, ctx)

    def batch(posts, contexts):
        if not loaded:
            loaded.append(entry_point.load())
        many = getattr(loaded[0], "batch", None)
        # None: no batch form, so the analysis runs per post, lazily, only if asked for.
        return None if many is None else many(posts, contexts)

    run.__name__ = entry_point.name
    run.batch = batch  # type: ignore[attr-defined]
    return run


def _declaration_problem(cls: Any) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, Check)):
        return f"{cls!r} is not a Check subclass"
    if not CODE_PATTERN.match(cls.code or ""):
        return f"{cls.__name__} has code {cls.code!r}: a capital letter and three digits"
    if not NAME_PATTERN.match(cls.name or ""):
        return f"{cls.__name__} has name {cls.name!r}: kebab-case expected"
    return None
