"""Helpers the machine-readable reporters share: paths, rule metadata, fingerprints.

CI systems want paths relative to the repository root (the working directory of the job),
rule descriptions for their rule pages, and a fingerprint per finding that survives
unrelated edits, so that "new" and "fixed" findings can be told apart between runs.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from postlint.check import Check
from postlint.findings import Finding, Fix, Severity
from postlint.pipeline import PostResult, RunResult

FAMILIES = {
    "A": "accessibility",
    "L": "language",
    "S": "safety",
    "P": "platform",
    "X": "tool",
}
# C0 and C1 control characters but tab and newline (carriage return included), and the two
# non-characters XML forbids: terminals obey them and XML rejects them, so reports escape them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def family(code: str) -> str:
    return FAMILIES.get(code[:1], "plugin")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary(run: RunResult) -> str:
    """'8 findings (1 error, 4 warnings, 3 info) in 2 posts from 2 files: 1 pass, 1 fail.'"""
    total = Counter(f.severity for f in run.findings)
    failed = sum(1 for p in run.posts if not p.passed)
    return (
        f"{plural(len(run.findings), 'finding')} ({plural(total[Severity.ERROR], 'error')}, "
        f"{plural(total[Severity.WARNING], 'warning')}, {total[Severity.INFO]} info) in "
        f"{plural(len(run.posts), 'post')} from {plural(run.files, 'file')}: "
        f"{len(run.posts) - failed} pass, {failed} fail."
    )


def installed_rules(rules: dict[str, type[Check]] | None = None) -> dict[str, type[Check]]:
    """Rules by code: those given, else the entry-point registry's (never an exception)."""
    if rules is not None:
        return dict(rules)
    try:
        from postlint.registry import load_registry

        return dict(load_registry().checks)
    except Exception:  # the report must still be written; X002 says what broke
        return {}


def relative_path(path: str, base: Path | None = None) -> str:
    """``path`` as a POSIX path relative to ``base`` (the working directory) when inside it.

    CI annotations and code-quality reports are matched against repository paths, so
    ``/home/ci/repo/posts/a.md`` run from ``/home/ci/repo`` must become ``posts/a.md``.
    Paths outside the base stay absolute; names without a file (stdin) stay as they are.
    """
    base = base or Path.cwd()
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            return candidate.as_posix()
    posix = PurePosixPath(path.replace(os.sep, "/"))
    return str(posix) if str(posix) != "." else path


def path_uri(path: str, base: Path | None = None) -> tuple[str, bool]:
    """A URI reference for ``path``: (relative URI, True) inside base, else (file URI, False)."""
    relative = relative_path(path, base)
    if Path(relative).is_absolute():
        return Path(relative).as_uri(), False
    return quote(relative, safe="/-._~!$&'()*+,;=:@"), True


def clean(text: str) -> str:
    """Text safe for any report: no control characters, no lone surrogates."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", without_surrogates(text))


def without_surrogates(text: str) -> str:
    """Lone surrogates (from JSON ``\\ud800`` escapes) cannot be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def shorten(text: str, limit: int = 40) -> str:
    """A short quotation: reports never copy more than a snippet of a post."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_fix(result: PostResult, fix: Fix) -> str:
    """The fix in words: its own description, else what it replaces with what."""
    if fix.description:
        what = clean(fix.description)
    else:
        old = result.post.text[fix.start : fix.end] if result.post is not None else ""
        if old and fix.replacement:
            what = f"replace {shorten(old)!r} with {shorten(fix.replacement)!r}"
        elif old:
            what = f"remove {shorten(old)!r}"
        else:
            what = f"insert {shorten(fix.replacement)!r}"
    return what if fix.safe else what + " (unsafe: check the meaning)"


def flagged_text(result: PostResult, finding: Finding) -> str | None:
    """The exact text a finding points at, when it points at text of a post."""
    post = result.post
    if post is None or finding.start is None:
        return None
    end = finding.end if finding.end is not None else finding.start
    return post.text[finding.start : end]


def level(severity: Severity) -> str:
    """SARIF-style level names: error, warning, note."""
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[severity]


def with_fingerprints(
    run: RunResult, base: Path | None = None
) -> Iterator[tuple[PostResult, Finding, str]]:
    """Every (post result, finding, fingerprint) of the run, in report order.

    The fingerprint hashes what identifies a problem, not where it sits: the file, the rule,
    the post's id when it has one, the field, and the flagged text (or the message, for a
    finding about a field or a file). Line numbers are left out, so adding a line above a
    draft does not make every finding below it look new. Identical problems in one file are
    numbered in order, so each keeps its own fingerprint.
    """
    seen: Counter[str] = Counter()
    for result in run.posts:
        for finding in result.findings:
            text = flagged_text(result, finding)
            key = "\x1f".join(
                [
                    relative_path(finding.location.path, base),
                    finding.code,
                    result.post.id if result.post is not None and result.post.id else "",
                    finding.location.field or "",
                    text if text is not None else finding.message,
                ]
            )
            seen[key] += 1
            digest = hashlib.sha256(
                f"{key}\x1f{seen[key]}".encode("utf-8", "surrogatepass")
            ).hexdigest()
            yield result, finding, digest
