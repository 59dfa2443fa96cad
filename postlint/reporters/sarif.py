"""SARIF 2.1.0, for GitHub code scanning and any other SARIF viewer.

One run; ``tool.driver.rules`` describes every installed rule (summary, explanation,
examples as help, policy clause and family as properties), each result points at a region
of a file relative to ``%SRCROOT%`` (the working directory, normally the repository root)
and carries mechanical fixes as SARIF replacements when the source holds the flagged text
verbatim. Columns count Unicode code points, as ``run.columnKind`` says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postlint.check import Check
from postlint.findings import TOOL_CODES, Finding, Fix
from postlint.pipeline import PostResult, RunResult
from postlint.reporters import ReportOptions
from postlint.reporters.common import (
    clean,
    describe_fix,
    family,
    installed_rules,
    level,
    path_uri,
    with_fingerprints,
    without_surrogates,
)

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "postlint/v1"
# Sources whose text is the post verbatim, where any replacement can be pasted as it is.
# In CSV, JSON and YAML a quote, backslash or newline would need escaping first.
_VERBATIM_SUFFIXES = (".md", ".markdown", ".txt")
_NEEDS_ESCAPING = ('"', "\\", "\n", "\r", "'")


def _rule(code: str, cls: type[Check] | None, finding: Finding | None) -> dict[str, Any]:
    name = cls.name if cls else (finding.name if finding else code.lower())
    policy = cls.policy if cls else (finding.policy if finding else "")
    summary = (cls.summary if cls else "") or f"{code} {name}"
    explanation = (cls.explanation if cls else "") or summary
    severity = cls.severity if cls else (finding.severity if finding else None)
    markdown = [f"**{code} {name}**: {summary}", ""]
    if policy:
        markdown += [f"Policy: {policy}", ""]
    markdown += [explanation]
    text = [f"{code} {name}: {summary}", f"Policy: {policy}" if policy else "", explanation]
    for example in cls.examples if cls else []:
        markdown += ["", "Bad:", "", _fenced(example.bad), "", "Good:", "", _fenced(example.good)]
        text += ["Bad:", example.bad, "Good:", example.good]
        if example.note:
            markdown += ["", example.note]
    markdown += ["", f"Run `postlint explain {code}` for the options."]
    rule: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": clean(summary)},
        "fullDescription": {"text": clean(explanation)},
        "help": {
            "text": clean("\n".join(t for t in text if t)),
            "markdown": clean("\n".join(markdown)),
        },
        "properties": {
            "policy": policy,
            "family": family(code),
            "tags": ["postlint", family(code)],
            "fixable": bool(cls.fixable) if cls else False,
        },
    }
    if severity is not None:
        rule["defaultConfiguration"] = {"level": level(severity)}
    return rule


def _fenced(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}text\n{text}\n{fence}"


def _region(line: int, column: int, end_line: int | None, end_column: int | None) -> dict:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None and end_column is not None:
        region["endLine"] = max(end_line, region["startLine"])
        region["endColumn"] = max(end_column, 1)
        if region["endLine"] == region["startLine"]:
            region["endColumn"] = max(region["endColumn"], region["startColumn"])
    return region


def _fix(result: PostResult, fix: Fix, artifact: dict) -> dict | None:
    """A SARIF fix, or None when the fix cannot be expressed as a plain source edit."""
    post = result.post
    if post is None or post.source_text is None:
        return None
    first, last = post.source_map.source_offset(fix.start), post.source_map.source_offset(fix.end)
    if first is None or last is None or last < first:
        return None
    if post.source_text[first:last] != post.text[fix.start : fix.end]:
        return None  # the source holds the text escaped or split: no byte-true edit exists
    verbatim = Path(post.path).suffix.lower() in _VERBATIM_SUFFIXES
    if not verbatim and any(c in fix.replacement for c in _NEEDS_ESCAPING):
        return None
    where = post.source_map.location(fix.start, fix.end)
    description = describe_fix(result, fix)
    return {
        "description": {"text": description[:1].upper() + description[1:]},
        "artifactChanges": [
            {
                "artifactLocation": dict(artifact),
                "replacements": [
                    {
                        "deletedRegion": _region(
                            where.line, where.column, where.end_line, where.end_column
                        ),
                        "insertedContent": {"text": fix.replacement},
                    }
                ],
            }
        ],
    }


def to_dict(
    run: RunResult, base: Path | None = None, rules: dict[str, type[Check]] | None = None
) -> dict[str, Any]:
    from postlint import __version__

    installed = installed_rules(rules)
    first_seen: dict[str, Finding] = {}
    for finding in run.findings:
        first_seen.setdefault(finding.code, finding)
    codes = sorted(set(installed) | set(first_seen))
    descriptors = [_rule(code, installed.get(code), first_seen.get(code)) for code in codes]
    rule_index = {code: index for index, code in enumerate(codes)}

    artifacts: list[dict] = []
    artifact_index: dict[str, int] = {}
    results: list[dict] = []
    notifications: list[dict] = []
    for result, finding, fingerprint in with_fingerprints(run, base):
        loc = finding.location
        uri, relative = path_uri(loc.path, base)
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            location = {"uri": uri, **({"uriBaseId": SRCROOT} if relative else {})}
            artifacts.append({"location": location, "roles": ["analysisTarget"]})
        artifact = {**artifacts[artifact_index[uri]]["location"], "index": artifact_index[uri]}
        message = clean(finding.message)
        if finding.suggestion:
            message += f" Suggestion: {clean(finding.suggestion)}"
        properties: dict[str, Any] = {"post": clean(result.label), "policy": finding.policy}
        if loc.row is not None:
            properties["row"] = loc.row
        if loc.field is not None:
            properties["column"] = loc.field
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": level(finding.severity),
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": _region(loc.line, loc.column, loc.end_line, loc.end_column),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": properties,
        }
        fixes = [f for f in (_fix(result, fix, artifact) for fix in finding.fixes) if f]
        if fixes:
            entry["fixes"] = fixes
        results.append(entry)
        if finding.code in TOOL_CODES:
            notifications.append(
                {
                    "message": {"text": message},
                    "level": level(finding.severity),
                    "associatedRule": {"id": finding.code, "index": rule_index[finding.code]},
                }
            )

    root = (base or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    invocation: dict[str, Any] = {
        # A crashed check (X002) means the analysis was incomplete, whatever the findings.
        "executionSuccessful": not any(f.code == "X002" for f in run.findings),
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "postlint",
                        "fullName": "postlint social-media draft linter",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {SRCROOT: {"uri": root}},
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "posts": len(run.posts),
                    "passed": sum(1 for p in run.posts if p.passed),
                    "failed": sum(1 for p in run.posts if not p.passed),
                    "verdict": "pass" if run.passed else "fail",
                },
            }
        ],
    }


def render(run: RunResult, options: ReportOptions) -> str:
    text = json.dumps(to_dict(run, rules=options.rules), indent=2, ensure_ascii=False)
    return without_surrogates(text) + "\n"
