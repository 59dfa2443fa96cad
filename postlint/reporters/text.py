"""The report for people: each finding with its place, the source line underlined, the fix.

    posts/flu.md:5:10: A001 [warning] Write "#flujab" in CamelCase: "#FluJab".
       5 | Get your #flujab at Basildon pharmacy today!
         |          ^^^^^^^
         = fix: replace "#flujab" with "#FluJab"
         = policy: Appendix B: CamelCase in hashtags

then one line per post (verdict and score) and a summary. CSV findings also name the row
and column header. Underlines are measured in terminal cells, so an emoji or a CJK
character (two cells wide) before the span does not push the carets off the word.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

import regex

from postlint.findings import TOOL_CODES, Finding, Severity
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import clean, describe_fix, plural, summary

COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
BOLD, DIM, BLUE, GREEN, RED, RESET = (
    "\033[1m",
    "\033[2m",
    "\033[34m",
    "\033[32m",
    "\033[31m",
    "\033[0m",
)
WINDOW = 110  # cells of a long source line shown around the span
MAX_POST_LINES = 50  # beyond this many posts, the per-post list shows failing posts only
ELLIPSIS = "…"


def _paint(text: str, code: str, options: ReportOptions) -> str:
    return f"{code}{text}{RESET}" if options.color else text


# --- terminal cell widths ------------------------------------------------------------------


GRAPHEME = regex.compile(r"\X")


@functools.lru_cache(maxsize=4096)
def _cluster_width(cluster: str) -> int:
    """Cells a grapheme cluster takes in a terminal: 0, 1 or 2.

    Emoji presentation (VS16), regional-indicator flags, and East Asian wide or full-width
    characters take two cells; a lone combining mark or format character (ZWJ, zero-width
    space) takes none. ZWJ sequences such as a health worker emoji are one cluster, drawn as
    one two-cell glyph by current terminals.
    """
    first = cluster[0]
    if len(cluster) == 1 and unicodedata.category(first) in {"Mn", "Me", "Cf"}:
        return 0
    if "\ufe0f" in cluster:
        return 2
    if any(unicodedata.east_asian_width(c) in {"W", "F"} for c in cluster):
        return 2
    if "\U0001f1e6" <= first <= "\U0001f1ff":  # a regional-indicator flag
        return 2
    return 1


def cell_width(text: str) -> int:
    if text.isascii():
        # Each ASCII character is one cell and a cluster of its own, but CR LF is one cluster.
        return len(text) - text.count("\r\n")
    return sum(_cluster_width(c) for c in GRAPHEME.findall(text))


def _wider_than(text: str, cells: int) -> bool:
    """``cell_width(text) > cells``, measuring no further than it must: source lines can be
    whole paragraphs, and only a window of a long one is shown."""
    if text.isascii():
        return cell_width(text) > cells
    if 2 * len(text) <= cells:  # no cluster is wider than two cells
        return False
    width = 0
    for match in GRAPHEME.finditer(text):
        width += _cluster_width(match.group())
        if width > cells:
            return True
    return False


# Tabs as one space, control characters as their visible symbols (U+2400...), DEL as U+2421.
_DISPLAY = {c: 0x2400 + c for c in range(0x20)} | {ord("\t"): ord(" "), 0x7F: 0x2421}


def _display(text: str) -> str:
    """A source line as it can be printed: tabs as one space, control characters visible.

    Both keep one character per character, so columns still line up with the text.
    """
    return text.translate(_DISPLAY)


_split_memo: list[tuple[str, list[str]]] = []


def _lines_of(source: str) -> list[str]:
    """``source`` split into lines, kept for the next finding: a CSV file's posts share one
    source text, and splitting it again for each of thousands of findings is quadratic."""
    memo = _split_memo[:1]
    if memo and memo[0][0] is source:
        return memo[0][1]
    lines = source.split("\n")
    _split_memo[:] = [(source, lines)]
    return lines


# --- one finding --------------------------------------------------------------------------


def _where(finding: Finding) -> str:
    loc = finding.location
    where = f"{clean(loc.path)}:{loc.line}:{loc.column}"
    if loc.row is not None:
        where += f" (row {loc.row}" + (f", column {clean(loc.field)!r})" if loc.field else ")")
    return where


def _source_lines(result: PostResult, finding: Finding, options: ReportOptions) -> list[str]:
    """The source line of a finding with its span underlined, or nothing when unknown."""
    post = result.post
    loc = finding.location
    if post is None or post.source_text is None or finding.code in TOOL_CODES or loc.line < 1:
        return []
    lines = _lines_of(post.source_text)
    if loc.line > len(lines):
        return []
    line = _display(lines[loc.line - 1].rstrip("\r"))
    start = min(max(loc.column - 1, 0), len(line))
    suffix = ""
    if loc.end_line == loc.line and loc.end_column is not None:
        end = min(max(loc.end_column - 1, start), len(line))
    elif loc.end_line is not None and loc.end_line > loc.line:
        end = len(line.rstrip()) if len(line.rstrip()) > start else len(line)
        suffix = f" (to line {loc.end_line})"
    elif finding.start is None:  # about a field: underline the field's whole line
        end = max(len(line.rstrip()), start + 1)
    else:
        end = start + 1
    end = max(end, start + 1)
    shown, offset = line, 0
    if _wider_than(line, WINDOW + 40):  # a long line: show a window around the span
        left = max(start - 30, 0)
        # Up to 30 characters of context each side, two windows at most for a long span.
        right = min(max(end + 30, left + WINDOW), left + 2 * WINDOW, len(line))
        shown = (
            (ELLIPSIS if left else "") + line[left:right] + (ELLIPSIS if right < len(line) else "")
        )
        offset = left - (1 if left else 0)
    caret_start = cell_width(shown[: start - offset])
    caret_width = max(cell_width(shown[start - offset : end - offset]), 1)
    number = str(loc.line)
    gutter = " " * (len(number) + 1)
    carets = _paint("^" * caret_width, COLOURS[finding.severity], options)
    return [
        _paint(f"  {number} |", BLUE, options) + f" {shown}",
        _paint(f"  {gutter}|", BLUE, options) + " " + " " * caret_start + carets + suffix,
    ]


def _fix_lines(result: PostResult, finding: Finding) -> list[str]:
    lines = [
        f"{'fix' if number == 0 else ' or'}: {describe_fix(result, fix)}"
        for number, fix in enumerate(finding.fixes[:3])
    ]
    if len(finding.fixes) > 3:
        lines.append(f" or: one of {len(finding.fixes) - 3} more")
    return lines


def render_finding(result: PostResult, finding: Finding, options: ReportOptions) -> list[str]:
    severity = _paint(str(finding.severity), COLOURS[finding.severity], options)
    code = _paint(finding.code, BOLD, options)
    lines = [f"{_where(finding)}: {code} [{severity}] {clean(finding.message)}"]
    if options.show_source:
        lines.extend(_source_lines(result, finding, options))
    notes = _fix_lines(result, finding)
    if finding.suggestion:
        notes.append(f"suggestion: {clean(finding.suggestion)}")
    if finding.policy:
        notes.append(_paint(f"policy: {clean(finding.policy)}", DIM, options))
    indent = "  " + " " * (len(str(finding.location.line)) + 1)
    lines.extend(f"{indent}= {note}" for note in notes)
    return lines


# --- the whole run ------------------------------------------------------------------------


def _verdict(result: PostResult, options: ReportOptions) -> str:
    counts = result.counts
    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(f"{counts['info']} info")
    if result.passed:
        verdict = _paint("pass", GREEN, options)
        why = ""
    else:
        verdict = _paint("FAIL", RED + BOLD, options)
        why = "" if counts["error"] else "; score under the pass mark"
    found = ", ".join(parts) if result.findings else "no findings"
    return f"{verdict} {result.score:3d}/100  {clean(result.label)}  ({found}{why})"


def _statistics(run: RunResult) -> list[str]:
    tally: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    severity: dict[str, Severity] = {}
    for finding in run.findings:
        tally[(finding.code, finding.name)] += 1
        fixable[finding.code] += bool(finding.fixes)
        severity[finding.code] = max(severity.get(finding.code, finding.severity), finding.severity)
    if not tally:
        return ["Rule statistics: no findings."]
    lines = ["Rule statistics ([*] has a mechanical fix):"]
    for (code, name), count in sorted(tally.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if fixable[code] else "   "
        lines.append(f"{count:6d}  {code}  {mark} {name:<32} {severity[code]}")
    return lines


def render(run: RunResult, options: ReportOptions) -> str:
    out: list[str] = []
    shown = [r for r in run.posts if not (options.quiet and r.passed)]
    for result in shown:
        for finding in result.findings:
            out.extend(render_finding(result, finding, options))
            out.append("")
    listed = [r for r in shown if not r.passed] if len(shown) > MAX_POST_LINES else shown
    for result in listed:
        out.append(_verdict(result, options))
    if len(listed) < len(shown):
        out.append(f"... and {len(shown) - len(listed)} more posts that pass")
    if listed:
        out.append("")
    if options.statistics:
        out.extend(_statistics(run))
        out.append("")
    fixable = sum(1 for f in run.findings if f.fixes)
    line = f"Found {summary(run)}"
    if fixable:
        line += f" {fixable} {'has' if fixable == 1 else 'have'} a mechanical fix."
    out.append(_paint(line, BOLD, options))
    return "\n".join(out) + "\n"
