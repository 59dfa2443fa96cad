"""The default report: ``path:line:col: CODE message``, the source line, a caret, a summary."""

from __future__ import annotations

from collections import Counter

from postlint.findings import Finding, Severity
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions

COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _paint(text: str, code: str, options: ReportOptions) -> str:
    return f"{code}{text}{RESET}" if options.color else text


def _where(finding: Finding) -> str:
    loc = finding.location
    where = f"{loc.path}:{loc.line}:{loc.column}"
    if loc.row is not None:
        where += f" (row {loc.row}" + (f", column {loc.field!r})" if loc.field else ")")
    return where


def _source_line(result: PostResult, finding: Finding) -> list[str]:
    post = result.post
    if post is None or post.source_text is None or finding.location.line < 1:
        return []
    lines = post.source_text.split("\n")
    index = finding.location.line - 1
    if index >= len(lines):
        return []
    line = lines[index].rstrip("\r")
    column = max(finding.location.column - 1, 0)
    width = 1
    if finding.location.end_line == finding.location.line and finding.location.end_column:
        width = max(finding.location.end_column - finding.location.column, 1)
    if len(line) > 200:  # keep the view short: show the part around the finding
        left = max(column - 60, 0)
        line, column = line[left : left + 160], column - left
    return [f"    {line}", "    " + " " * column + "^" * min(width, max(len(line) - column, 1))]


def render_finding(result: PostResult, finding: Finding, options: ReportOptions) -> list[str]:
    severity = _paint(str(finding.severity), COLOURS[finding.severity], options)
    code = _paint(finding.code, BOLD, options)
    lines = [f"{_where(finding)}: {code} [{severity}] {finding.message}"]
    if options.show_source:
        lines.extend(_source_line(result, finding))
    for fix in finding.fixes[:1]:
        lines.append(f"    fix: {fix.description or repr(fix.replacement)}")
    if finding.suggestion:
        lines.append(f"    suggestion: {finding.suggestion}")
    if finding.policy:
        lines.append(_paint(f"    policy: {finding.policy}", DIM, options))
    return lines


def render(run: RunResult, options: ReportOptions) -> str:
    out: list[str] = []
    for result in run.posts:
        if options.quiet and result.passed:
            continue
        for finding in result.findings:
            out.extend(render_finding(result, finding, options))
    out.append("")
    if not options.quiet:
        for result in run.posts:
            verdict = "pass" if result.passed else "FAIL"
            colour = "\033[32m" if result.passed else "\033[31m"
            counts = result.counts
            out.append(
                f"{_paint(verdict, colour, options)} {result.score:3d}/100  {result.label}  "
                f"({counts['error']} errors, {counts['warning']} warnings, {counts['info']} info)"
            )
    if options.statistics:
        out.append("")
        tally = Counter((f.code, f.name) for f in run.findings)
        for (code, name), count in tally.most_common():
            out.append(f"{count:5d}  {code}  {name}")
    total = Counter(str(f.severity) for f in run.findings)
    failed = sum(1 for p in run.posts if not p.passed)
    out.append(
        f"Found {len(run.findings)} findings ({total['error']} errors, {total['warning']} "
        f"warnings, {total['info']} info) in {len(run.posts)} posts from {run.files} files; "
        f"{len(run.posts) - failed} pass, {failed} fail."
    )
    return "\n".join(out) + "\n"
