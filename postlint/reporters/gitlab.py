"""GitLab code quality: a Code Climate JSON array, one issue per finding.

GitLab compares the report of a merge request with its target branch by ``fingerprint``,
so the fingerprint hashes what the problem is (file, rule, post id, flagged text), never
its line: adding a paragraph above a draft does not turn its old findings into new ones.
Paths are relative to the working directory, which is the repository root in a CI job.

Severities: errors of the safety family (personal data, embargoes, legal matters) are
``blocker``, other errors ``critical``, warnings ``major``, info ``info``, and findings
about postlint's own tools (X002 a check crashed, X003 an engine is missing) ``minor``.
"""

from __future__ import annotations

import json
from typing import Any

from postlint.findings import TOOL_CODES, Finding, Severity
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import (
    clean,
    describe_fix,
    family,
    relative_path,
    with_fingerprints,
    without_surrogates,
)

# Code Climate's fixed list of categories, by rule family.
CATEGORIES = {
    "accessibility": "Clarity",
    "language": "Style",
    "safety": "Security",
    "platform": "Compatibility",
    "tool": "Bug Risk",
    "plugin": "Style",
}


def severity(finding: Finding) -> str:
    if finding.code in TOOL_CODES:
        return "minor"
    if finding.severity is Severity.ERROR:
        return "blocker" if family(finding.code) == "safety" else "critical"
    return "major" if finding.severity is Severity.WARNING else "info"


def _body(result: PostResult, finding: Finding) -> str:
    """Markdown GitLab shows when the issue is opened: where, the fix, the policy clause."""
    items = []
    loc = finding.location
    if loc.row is not None:
        items.append(f"Row {loc.row}" + (f", column `{loc.field}`" if loc.field else ""))
    if result.label != loc.path:
        items.append(f"Post: {result.label}")
    for fix in finding.fixes[:1]:
        items.append(f"Fix: {describe_fix(result, fix)}")
    if finding.suggestion:
        items.append(f"Suggestion: {finding.suggestion}")
    if finding.policy:
        items.append(f"Policy: {finding.policy}")
    lines = [f"**{finding.code} {finding.name}** ({finding.severity}): {finding.message}", ""]
    lines += [f"- {item}" for item in items]
    lines += ["", f"Run `postlint explain {finding.code}` to learn more."]
    return clean("\n".join(lines))


def to_list(run: RunResult, quiet: bool = False) -> list[dict[str, Any]]:
    issues = []
    for result, finding, fingerprint in with_fingerprints(run):
        if quiet and result.passed:
            continue
        loc = finding.location
        begin = max(loc.line, 1)
        issues.append(
            {
                "type": "issue",
                "engine_name": "postlint",
                "check_name": finding.code,
                "description": clean(f"{finding.code}: {finding.message}"),
                "content": {"body": _body(result, finding)},
                "categories": [CATEGORIES[family(finding.code)]],
                "severity": severity(finding),
                "fingerprint": fingerprint,
                "location": {
                    "path": clean(relative_path(loc.path)),
                    "lines": {"begin": begin, "end": max(loc.end_line or begin, begin)},
                },
            }
        )
    return issues


def render(run: RunResult, options: ReportOptions) -> str:
    return (
        without_surrogates(json.dumps(to_list(run, options.quiet), indent=2, ensure_ascii=False))
        + "\n"
    )
