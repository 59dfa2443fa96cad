"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per file, one ``<testcase>`` per post. A failing post has a
``<failure>`` whose text lists its findings; a file that could not be read into posts has
an ``<error>`` instead (the test could not run). Findings of passing posts (warnings, info)
go to ``<system-out>`` so they are still visible. Control characters that XML 1.0 forbids
are escaped as ``\\xNN`` text first, so the document is well formed whatever the drafts say.
"""

from __future__ import annotations

from collections import Counter
from xml.etree import ElementTree as ET

from postlint.findings import Finding, Severity
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import clean, describe_fix, plural


def _line(result: PostResult, finding: Finding) -> str:
    loc = finding.location
    where = f"{loc.path}:{loc.line}:{loc.column}"
    if loc.row is not None:
        where += f" (row {loc.row}" + (f", column {loc.field!r})" if loc.field else ")")
    text = f"{where}: {finding.code} [{finding.severity}] {finding.message}"
    if finding.fixes:
        text += f"\n    fix: {describe_fix(result, finding.fixes[0])}"
    if finding.suggestion:
        text += f"\n    suggestion: {finding.suggestion}"
    if finding.policy:
        text += f"\n    policy: {finding.policy}"
    return clean(text)


def _counts(result: PostResult) -> str:
    counts = result.counts
    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(f"{counts['info']} info")
    return ", ".join(parts)


def _testcase(result: PostResult) -> tuple[ET.Element, str]:
    """The testcase for one post and its outcome: 'passed', 'failure' or 'error'."""
    case = ET.Element(
        "testcase",
        {
            "classname": clean(result.path),
            "name": clean(result.label),
            "time": f"{result.seconds:.3f}",
        },
    )
    findings = "\n".join(_line(result, f) for f in result.findings)
    if result.post is None and not result.passed:  # the file never became posts
        first = result.findings[0] if result.findings else None
        element = ET.SubElement(
            case,
            "error",
            {
                "type": first.code if first else "X001",
                "message": clean(first.message if first else "the file could not be read"),
            },
        )
        element.text = findings
        return case, "error"
    summary = f"score {result.score}/100: {_counts(result)}"
    if not result.passed:
        worst = max(result.findings, key=lambda f: f.severity, default=None)
        element = ET.SubElement(
            case,
            "failure",
            {
                "type": worst.code if worst and worst.severity is Severity.ERROR else "score",
                "message": clean(summary),
            },
        )
        element.text = findings
        return case, "failure"
    if findings:
        ET.SubElement(case, "system-out").text = f"{summary}\n{findings}"
    return case, "passed"


def to_element(run: RunResult) -> ET.Element:
    suites: dict[str, list[PostResult]] = {}
    for result in run.posts:
        suites.setdefault(result.path, []).append(result)
    root = ET.Element("testsuites", {"name": "postlint"})
    totals: Counter[str] = Counter()
    seconds = 0.0
    for path, results in suites.items():
        suite = ET.SubElement(root, "testsuite", {"name": clean(path)})
        outcomes: Counter[str] = Counter()
        suite_seconds = 0.0
        for result in results:
            case, outcome = _testcase(result)
            suite.append(case)
            outcomes[outcome] += 1
            suite_seconds += result.seconds
        suite.attrib.update(
            {
                "tests": str(len(results)),
                "failures": str(outcomes["failure"]),
                "errors": str(outcomes["error"]),
                "skipped": "0",
                "time": f"{suite_seconds:.3f}",
            }
        )
        totals.update(outcomes)
        seconds += suite_seconds
    root.attrib.update(
        {
            "tests": str(len(run.posts)),
            "failures": str(totals["failure"]),
            "errors": str(totals["error"]),
            "skipped": "0",
            "time": f"{seconds:.3f}",
        }
    )
    return root


def render(run: RunResult, options: ReportOptions) -> str:
    root = to_element(run)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
