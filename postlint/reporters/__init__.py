"""Reporters turn a run's results into text for people or data for machines.

Each module has ``render(run: RunResult, options: ReportOptions) -> str``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from postlint.pipeline import RunResult

FORMATS = {
    "text": "postlint.reporters.text",
    "json": "postlint.reporters.json_report",
    "sarif": "postlint.reporters.sarif",
    "github": "postlint.reporters.github",
    "junit": "postlint.reporters.junit",
    "gitlab": "postlint.reporters.gitlab",
}


@dataclass
class ReportOptions:
    color: bool = False
    show_source: bool = True
    statistics: bool = False
    quiet: bool = False
    # Installed rules by code (a Registry's ``checks``), for the rule descriptions SARIF
    # carries; None means the entry-point registry.
    rules: dict[str, Any] | None = None


def render(name: str, run: RunResult, options: ReportOptions | None = None) -> str:
    module = importlib.import_module(FORMATS[name])
    return module.render(run, options or ReportOptions())
