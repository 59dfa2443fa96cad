"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::error file=posts/a.md,line=4,col=10,endLine=4,endColumn=17,title=A001 hashtag-case::Write

Errors are ``::error``, warnings ``::warning``, info ``::notice``. Values are escaped as
the runner requires (``%``, CR and LF everywhere; ``:`` and ``,`` in properties too), so a
message or a file name cannot end a command early or inject another. The last line is a
plain summary for the job log. GitHub shows at most 10 annotations of each level per step:
upload the SARIF report as well for the full list.
"""

from __future__ import annotations

from postlint.findings import Finding, Severity
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import clean, describe_fix, relative_path, summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(result: PostResult, finding: Finding) -> str:
    lines = [clean(finding.message)]
    if finding.fixes:
        lines.append(f"Fix: {describe_fix(result, finding.fixes[0])}")
    if finding.suggestion:
        lines.append(f"Suggestion: {clean(finding.suggestion)}")
    loc = finding.location
    if loc.row is not None:
        lines.append(f"Row {loc.row}" + (f", column {clean(loc.field)!r}" if loc.field else ""))
    if result.label != loc.path:
        lines.append(f"Post: {clean(result.label)}")
    if finding.policy:
        lines.append(f"Policy: {clean(finding.policy)}")
    return "\n".join(lines)


def annotation(result: PostResult, finding: Finding) -> str:
    loc = finding.location
    properties = [
        ("file", relative_path(loc.path)),
        ("line", str(max(loc.line, 1))),
        ("col", str(max(loc.column, 1))),
    ]
    if loc.end_line is not None and loc.end_column is not None:
        properties += [("endLine", str(loc.end_line)), ("endColumn", str(loc.end_column))]
    properties.append(("title", f"{finding.code} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(clean(value))}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(_message(result, finding))}"


def render(run: RunResult, options: ReportOptions) -> str:
    lines = [
        annotation(result, finding)
        for result in run.posts
        if not (options.quiet and result.passed)
        for finding in result.findings
    ]
    lines.append(f"postlint: {summary(run)}")
    return "\n".join(lines) + "\n"
