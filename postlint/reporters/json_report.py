"""JSON report, schema ``postlint/v1``: the same document the HTTP API returns.

The JSON Schema is shipped as ``postlint/data/report-schema-v1.json`` (``schema_text()``)
and documented in docs/output-formats.md. Within v1 fields are never removed, renamed or
given a new meaning, so scripts written against it keep working.

{"schema": "postlint/v1", "version": "...", "summary": {...}, "posts": [
  {"label", "path", "score", "verdict": "pass"|"fail", "counts", "findings": [
    {"code", "name", "severity", "message", "policy", "suggestion",
     "location": {"path", "line", "column", "end_line", "end_column", "row", "field"},
     "span": {"start", "end"} | null,
     "fixes": [{"start", "end", "replacement", "description", "safe"}]}]}]}
"""

from __future__ import annotations

import json
from importlib import resources

from postlint.findings import Finding
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import without_surrogates

SCHEMA = "postlint/v1"
SCHEMA_FILE = "report-schema-v1.json"


def schema_text() -> str:
    """The JSON Schema of this report, from the installed package."""
    return resources.files("postlint").joinpath("data", SCHEMA_FILE).read_text("utf-8")


def finding_to_dict(finding: Finding) -> dict:
    loc = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "policy": finding.policy,
        "suggestion": finding.suggestion,
        "location": {
            "path": loc.path,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "row": loc.row,
            "field": loc.field,
        },
        "span": None if finding.start is None else {"start": finding.start, "end": finding.end},
        "fixes": [
            {
                "start": f.start,
                "end": f.end,
                "replacement": f.replacement,
                "description": f.description,
                "safe": f.safe,
            }
            for f in finding.fixes
        ],
    }


def post_to_dict(result: PostResult) -> dict:
    return {
        "label": result.label,
        "path": result.path,
        "id": result.post.id if result.post else None,
        "score": result.score,
        "verdict": "pass" if result.passed else "fail",
        "counts": result.counts,
        "findings": [finding_to_dict(f) for f in result.findings],
    }


def to_dict(run: RunResult) -> dict:
    from postlint import __version__

    findings = run.findings
    return {
        "schema": SCHEMA,
        "version": __version__,
        "summary": {
            "files": run.files,
            "posts": len(run.posts),
            "passed": sum(1 for p in run.posts if p.passed),
            "failed": sum(1 for p in run.posts if not p.passed),
            "findings": len(findings),
            "verdict": "pass" if run.passed else "fail",
        },
        "posts": [post_to_dict(p) for p in run.posts],
    }


def render(run: RunResult, options: ReportOptions) -> str:
    return without_surrogates(json.dumps(to_dict(run), indent=2, ensure_ascii=False)) + "\n"
