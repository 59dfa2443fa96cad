"""The engine's own rules: problems with the input or with postlint's tools, not the post.

They are emitted by the engine (readers, pipeline, analyses), not by ``check``; they are
declared here so that ``postlint rules``, ``explain``, ``--select`` and ``--ignore`` treat
them like every other rule. Tool findings do not lower a post's score.
"""

from __future__ import annotations

from postlint.check import Check, Example
from postlint.findings import Severity


class _EngineRule(Check):
    def check(self, post, ctx):  # emitted by the engine, never by a per-post pass
        return ()


class ReadError(_EngineRule):
    code = "X001"
    name = "read-error"
    severity = Severity.ERROR
    policy = "postlint: input must be readable"
    summary = "The file, or a post or media file in it, could not be read."
    explanation = (
        "postlint could not read this input: broken front matter, invalid UTF-8, a binary file, "
        "an unknown platform, a missing or unreadable media file, or an empty post. The message "
        "says what to change. The post fails, because nothing unread can be called safe."
    )
    examples = [
        Example(bad="---\nplatforms: [x\n---\nHello", good="---\nplatforms: [x]\n---\nHello")
    ]


class CheckCrashed(_EngineRule):
    code = "X002"
    name = "check-crashed"
    severity = Severity.ERROR
    policy = "postlint: every check must run"
    summary = "A check or plugin failed; the others still ran."
    explanation = (
        "A check raised an unexpected error or a plugin could not be loaded. The rest of the "
        "pipeline ran. Report it with the rule code; the post text is never included."
    )
    examples = [Example(bad="(a plugin that raises)", good="(a plugin that returns findings)")]


class ToolUnavailable(_EngineRule):
    code = "X003"
    name = "tool-unavailable"
    severity = Severity.WARNING
    policy = "postlint: real engines for real checks"
    summary = "An engine a check needs (LanguageTool, spaCy, Tesseract, ffprobe) is missing."
    explanation = (
        "A check could not use the engine it needs, so it ran in a reduced form or not at all. "
        "It is said once per run. Run scripts/setup.sh, or configure the engine."
    )
    examples = [Example(bad="(LanguageTool not running)", good="postlint languagetool start")]


CHECKS = [ReadError, CheckCrashed, ToolUnavailable]
