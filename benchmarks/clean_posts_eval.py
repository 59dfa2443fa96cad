"""False alarms on good posts and catches on bad ones, for every rule.

    .venv/bin/python benchmarks/clean_posts_eval.py [--split dev|held-out|fresh|all]
        [--no-languagetool] [--show] [--json]

benchmarks/data/clean_posts.jsonl holds good social posts in the style of NHS
organisations (an ICB, trusts, GP practices, pharmacies, mental health services);
benchmarks/data/bad_posts.jsonl holds bad ones, each with the codes it must raise
(``expect``). Every line is a post as the JSON reader takes it (``text``, ``platforms``,
``account``, ``images``, ``consent``, ``scheduled``...) plus ``split``: half of each of the
first three batches is ``dev`` (looked at while fixing rules) and half ``held-out`` (scored
once, then looked at: docs/quality.md gives both figures); a last batch, ``fresh``, was
written after the fixes and scored once, so its figures are the unseen ones.

Every installed rule runs through postlint's Python API with the default configuration,
so the figures are those a comms team gets out of the box. LanguageTool (L001-L003) is
started through postlint's own managed service (``postlint languagetool start``), or
skipped with ``--no-languagetool``.

Printed per rule: false alarms on clean posts (posts with an error or warning from the
rule; info findings counted apart, as they are reminders), and recall on the bad posts
labelled with the rule. Overall: the share of clean posts with no error or warning at all,
the share of clean posts that pass (postlint's verdict), and the share of bad posts that
fail or at least get a warning.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
LANGUAGETOOL_RULES = ("L001", "L002", "L003")
TOOL_CODES = ("X002", "X003")  # about postlint's engines, not the post
BENCH_KEYS = ("split", "expect", "note")  # keys of the data file that are not post fields


def load(name: str, split: str) -> list[dict[str, Any]]:
    rows = []
    path = DATA / name
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        row["_line"] = number
        if split == "all" or row.get("split") == split:
            rows.append(row)
    return rows


def as_post(row: dict[str, Any]) -> dict[str, Any]:
    """The post fields of a data row, media paths made absolute (they are written relative
    to the repository root)."""
    post = {k: v for k, v in row.items() if k not in BENCH_KEYS and not k.startswith("_")}
    for key in ("images", "videos"):
        entries = []
        for entry in post.get(key) or []:
            entry = dict(entry)
            if entry.get("path"):
                entry["path"] = str(ROOT / entry["path"])
            entries.append(entry)
        if entries:
            post[key] = entries
    post.setdefault("id", f"line {row['_line']}")
    return post


@dataclass
class RuleFigures:
    clean_posts: int = 0  # clean posts with an error or warning from the rule
    clean_findings: int = 0
    clean_info: int = 0
    labelled: int = 0  # bad posts labelled with the rule
    caught: int = 0
    bad_findings: int = 0


@dataclass
class Report:
    split: str
    languagetool: bool
    clean: int = 0
    clean_quiet: int = 0  # no error or warning from any rule
    clean_passed: int = 0  # postlint's verdict
    bad: int = 0
    bad_failed: int = 0
    bad_flagged: int = 0  # at least a warning
    bad_all_codes: int = 0  # every labelled code raised
    seconds: float = 0.0
    rules: dict[str, RuleFigures] = field(default_factory=lambda: defaultdict(RuleFigures))
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    tool_notes: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "languagetool": self.languagetool,
            "clean_posts": self.clean,
            "clean_without_warning": self.clean_quiet,
            "clean_passed": self.clean_passed,
            "bad_posts": self.bad,
            "bad_failed": self.bad_failed,
            "bad_flagged": self.bad_flagged,
            "bad_all_codes": self.bad_all_codes,
            "seconds": round(self.seconds, 1),
            "rules": {code: vars(f) for code, f in sorted(self.rules.items())},
            "tool_notes": dict(self.tool_notes),
        }


def start_languagetool() -> None:
    """Start (or reuse) postlint's managed LanguageTool server, as
    ``postlint languagetool start`` does, so the first post does not pay for the start."""
    from postlint import languagetool

    try:
        state = languagetool.start_server()
    except languagetool.LanguageToolError as exc:
        raise SystemExit(f"LanguageTool could not start ({exc}); use --no-languagetool") from None
    print(f"LanguageTool: {state.url}", file=sys.stderr)


def serious(finding: Any) -> bool:
    from postlint.findings import Severity

    return finding.severity >= Severity.WARNING and finding.code not in TOOL_CODES


def evaluate(split: str, use_languagetool: bool) -> Report:
    import postlint

    if use_languagetool:
        start_languagetool()
    ignore = [] if use_languagetool else list(LANGUAGETOOL_RULES)
    linter = postlint.Linter({"select": ["ALL"], "ignore": ignore})
    report = Report(split, use_languagetool)
    clean_rows = load("clean_posts.jsonl", split)
    bad_rows = load("bad_posts.jsonl", split)
    linter.warm_up()
    started = time.perf_counter()
    clean_results = linter.lint_posts([as_post(r) for r in clean_rows])
    bad_results = linter.lint_posts([as_post(r) for r in bad_rows])
    report.seconds = time.perf_counter() - started

    for row, result in zip(clean_rows, clean_results, strict=True):
        report.clean += 1
        report.clean_passed += result.passed
        loud = [f for f in result.findings if serious(f)]
        report.clean_quiet += not loud
        for finding in result.findings:
            if finding.code in TOOL_CODES:
                report.tool_notes[finding.code] += 1
            elif not serious(finding):
                report.rules[finding.code].clean_info += 1
        for code in sorted({f.code for f in loud}):
            report.rules[code].clean_posts += 1
        for finding in loud:
            report.rules[finding.code].clean_findings += 1
            report.false_alarms.append(_describe(row, finding))

    for row, result in zip(bad_rows, bad_results, strict=True):
        report.bad += 1
        report.bad_failed += not result.passed
        report.bad_flagged += any(serious(f) for f in result.findings)
        raised = {f.code for f in result.findings if f.code not in TOOL_CODES}
        for finding in result.findings:
            if finding.code not in TOOL_CODES:
                report.rules[finding.code].bad_findings += 1
        expected = [c for c in row["expect"] if use_languagetool or c not in LANGUAGETOOL_RULES]
        report.bad_all_codes += all(c in raised for c in expected)
        for code in expected:
            report.rules[code].labelled += 1
            if code in raised:
                report.rules[code].caught += 1
            else:
                report.misses.append(
                    {
                        "line": row["_line"],
                        "code": code,
                        "text": row["text"][:100],
                        "raised": sorted(raised),
                    }
                )
    return report


def _describe(row: dict[str, Any], finding: Any) -> dict[str, Any]:
    text = row["text"]
    snippet = text[finding.start : finding.end] if finding.start is not None else ""
    return {
        "line": row["_line"],
        "code": finding.code,
        "severity": str(finding.severity),
        "snippet": snippet[:60],
        "message": finding.message[:160],
    }


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_report(report: Report, show: bool) -> None:
    from postlint.registry import load_registry

    names = {code: cls.name for code, cls in load_registry().checks.items()}
    lt = "with LanguageTool" if report.languagetool else "without LanguageTool"
    print(
        f"\n== split: {report.split} ({lt}); {report.clean} clean, {report.bad} bad posts, "
        f"{report.seconds:.1f} s =="
    )
    print(
        f"clean posts with no error or warning: {report.clean_quiet}/{report.clean} "
        f"{_pct(report.clean_quiet, report.clean)}"
    )
    print(
        f"clean posts that pass:                {report.clean_passed}/{report.clean} "
        f"{_pct(report.clean_passed, report.clean)}"
    )
    print(
        f"bad posts that fail:                  {report.bad_failed}/{report.bad} "
        f"{_pct(report.bad_failed, report.bad)}"
    )
    print(
        f"bad posts with a warning or error:    {report.bad_flagged}/{report.bad} "
        f"{_pct(report.bad_flagged, report.bad)}"
    )
    print(
        f"bad posts with every labelled code:   {report.bad_all_codes}/{report.bad} "
        f"{_pct(report.bad_all_codes, report.bad)}"
    )
    if report.tool_notes:
        print(f"tool notes (not counted): {dict(report.tool_notes)}")
    print()
    print(f"{'rule':5} {'name':38} {'FA posts':>8} {'FA':>4} {'info':>5}   {'recall':>13}")
    for code in sorted(report.rules):
        f = report.rules[code]
        recall = f"{f.caught}/{f.labelled} {_pct(f.caught, f.labelled)}" if f.labelled else ""
        print(
            f"{code:5} {names.get(code, '?')[:38]:38} {f.clean_posts:8} {f.clean_findings:4} "
            f"{f.clean_info:5}   {recall:>13}"
        )
    if show:
        print("\nfalse alarms (clean posts):")
        for item in report.false_alarms:
            print(
                f"  line {item['line']:3} {item['code']} {item['severity']:7} "
                f"{item['snippet']!r}: {item['message']}"
            )
        print("\nmisses (bad posts):")
        for item in report.misses:
            print(
                f"  line {item['line']:3} {item['code']} not raised (raised {item['raised']}): "
                f"{item['text']!r}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "held-out", "fresh", "all"), default="dev")
    parser.add_argument("--no-languagetool", action="store_true", help="skip L001-L003")
    parser.add_argument("--show", action="store_true", help="list false alarms and misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.split, not args.no_languagetool)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
