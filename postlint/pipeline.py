"""The check pipeline: picks the enabled checks, runs them over each post, scores the post."""

from __future__ import annotations

import copy
import logging
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postlint.check import Check, CheckContext
from postlint.config import Config
from postlint.findings import Finding, Severity, score
from postlint.model import Location, Post, SourceMap
from postlint.registry import Registry, load_registry

log = logging.getLogger("postlint")

# Tool findings the engine itself emits. They are real rules (listed, explainable,
# selectable) registered through the same entry point as any other check.
READ_ERROR = "X001"
CHECK_CRASHED = "X002"
TOOL_UNAVAILABLE = "X003"


@dataclass
class PostResult:
    label: str
    path: str
    findings: list[Finding]
    score: int
    passed: bool
    post: Post | None = None  # None when the file could not be read into posts
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts


@dataclass
class RunResult:
    posts: list[PostResult] = field(default_factory=list)
    files: int = 0

    @property
    def passed(self) -> bool:
        return all(p.passed for p in self.posts)

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.posts for f in p.findings]


def rule_matches(selector: str, cls: type[Check]) -> bool:
    """ruff-style selectors: ALL, a family letter, a code prefix, a code, or a rule name."""
    key = selector.strip()
    if key.upper() == "ALL" or key.lower() == cls.name:
        return True
    return key[:1].isalpha() and cls.code.startswith(key.upper())


def selected_codes(
    registry: Registry,
    config: Config,
    path: str | None = None,
    ignores: tuple[str, ...] | None = None,
) -> set[str]:
    """Codes the config selects for ``path`` (or, given ``ignores``, with those ignored)."""
    if ignores is None:
        ignores = config.ignores_for(path) if path else config.ignore
    chosen = set()
    for code, cls in registry.checks.items():
        if not any(rule_matches(s, cls) for s in (*config.select, *config.extend_select)):
            continue
        if any(rule_matches(s, cls) for s in ignores):
            continue
        chosen.add(code)
    return chosen


def unknown_selectors(registry: Registry, selectors: Iterable[str]) -> list[str]:
    """Selectors that match no installed rule, for a clear usage error."""
    return [
        s for s in selectors if not any(rule_matches(s, cls) for cls in registry.checks.values())
    ]


# A made-up post that goes through most of the checks' code: a name, a number, a hashtag, a
# link, an emoji and everyday words (postlint's own text: no user's post is ever used).
WARM_UP_PATH = "<warm-up>"
WARM_UP_TEXT = (
    "Warm up: Dr Jones at the Basildon clinic says book your flu jab today on 01234 567890 "
    "or at https://www.nhs.uk/flu. It's free for over-65s and carers. #FluJab 💉"
)


class Pipeline:
    """Runs the enabled checks over posts. Reuse one Pipeline to keep engines warm."""

    def __init__(self, config: Config | None = None, registry: Registry | None = None):
        self.config = config or Config()
        self.registry = registry or load_registry()
        self.shared: dict[str, Any] = {}
        self._instances: dict[str, Check] = {}
        overrides = {
            k.upper() if k[:1].isupper() else k: v for k, v in self.config.severity.items()
        }
        for code, cls in self.registry.checks.items():
            level = overrides.get(code) or overrides.get(cls.name)
            self._instances[code] = cls(
                options=self.config.options.get(cls.name, {}),
                severity=Severity.parse(level) if level else None,
            )
        self._plugin_errors_reported = False
        self._checks_by_ignores: dict[tuple[str, ...], list[Check]] = {}
        self._prefetched: dict[tuple[int, str], Any] = {}

    def for_run(self, shared: dict[str, Any] | None = None) -> Pipeline:
        """A view of this pipeline for one run (one API call, one server request): it shares
        the loaded checks and engines, but has its own run state, so a broken plugin is
        reported in each run and batch analyses of one thread's posts stay its own."""
        run = copy.copy(self)
        run.shared = self.shared if shared is None else shared
        run._plugin_errors_reported = False
        run._prefetched = {}
        return run

    def checks_for(self, path: str | None) -> list[Check]:
        # Only per-file ignores make the selection depend on the path, and the selection
        # depends on them only through the ignore list: work it out once per list, not once
        # per path (a run of 1,000 one-post files has one list; matching 70 rules against
        # the selectors took 0.7 ms a post).
        config = self.config
        ignores = config.ignores_for(path) if path and config.per_file_ignores else config.ignore
        checks = self._checks_by_ignores.get(ignores)
        if checks is None:  # (runs in server threads share this: no check-then-read)
            if len(self._checks_by_ignores) > 4096:
                self._checks_by_ignores.clear()
            codes = selected_codes(self.registry, config, ignores=ignores)
            checks = [self._instances[c] for c in sorted(codes)]
            self._checks_by_ignores[ignores] = checks
        return checks

    def _tool_ignored(self, finding: Finding, post: Post) -> bool:
        """Tool findings (unreadable input, a crashed check, a missing engine) show even when
        --select names other rules: only an explicit ignore hides them."""
        cls = self.registry.checks.get(finding.code)
        if cls is None:
            return False
        return any(rule_matches(s, cls) for s in self.config.ignores_for(post.path))

    def tool_finding(
        self,
        post: Post | None,
        code: str,
        message: str,
        path: str,
        location: Location | None = None,
    ) -> Finding:
        cls = self.registry.checks.get(code)
        return Finding(
            code=code,
            name=cls.name if cls else "tool-error",
            severity=cls.severity if cls else Severity.ERROR,
            message=message,
            location=location or Location(path),
            policy=cls.policy if cls else "",
            post_label=post.label if post else path,
        )

    def lint_post(self, post: Post) -> PostResult:
        started = time.perf_counter()
        findings: list[Finding] = []
        if self.registry.errors and not self._plugin_errors_reported:
            self._plugin_errors_reported = True
            for message in self.registry.errors:
                findings.append(self.tool_finding(post, CHECK_CRASHED, message, post.path))
        for problem in post.read_problems:
            finding = self.tool_finding(
                post, problem.code, problem.message, post.path, problem.location
            )
            finding.severity = Severity.parse(problem.severity)
            findings.append(finding)
        ctx = CheckContext(post, self.config, self.registry.analyses, self.shared)
        for (post_id, name), value in list(self._prefetched.items()):
            if post_id == id(post):
                ctx._cache[name] = value
        checks = self.checks_for(post.path)
        enabled = {check.code for check in checks}
        for check in checks:
            try:
                findings.extend(check.check(post, ctx) or ())
            except Exception as exc:  # one broken check must not stop the others
                # Never the message or the traceback text: either may quote the post.
                log.debug(
                    "check %s crashed: %s at %s", check.code, type(exc).__name__, _frames(exc)
                )
                findings.append(
                    self.tool_finding(
                        post,
                        CHECK_CRASHED,
                        f"check {check.code} ({check.name}) failed: {type(exc).__name__}: "
                        f"{_safe_reason(exc)}. The other checks ran; please report this.",
                        post.path,
                        post.location(0),
                    )
                )
        findings = [
            f
            for f in findings
            if not _suppressed(f, post)
            and (f.code in enabled or (f.code.startswith("X") and not self._tool_ignored(f, post)))
        ]
        findings.sort(key=Finding.sort_key)
        return self.result_for(post.label, post.path, findings, post, time.perf_counter() - started)

    def result_for(
        self,
        label: str,
        path: str,
        findings: list[Finding],
        post: Post | None = None,
        seconds: float = 0.0,
    ) -> PostResult:
        post_score = score(findings)
        failed = any(f.severity is Severity.ERROR and f.code != TOOL_UNAVAILABLE for f in findings)
        passed = not failed and post_score >= self.config.fail_under
        return PostResult(label, path, findings, post_score, passed, post, seconds)

    def warm_up(self) -> None:
        """Load what the enabled checks use (spaCy, word lists, patterns) by linting a short
        made-up post in a run of its own, so a worker process is ready before its first
        posts arrive. The results are thrown away; this pipeline's run state (tool
        notices said once a run) is untouched."""
        post = Post(
            text=WARM_UP_TEXT,
            path=WARM_UP_PATH,
            source_map=SourceMap.for_text(WARM_UP_PATH, WARM_UP_TEXT),
        )
        try:
            self.for_run(shared={}).lint_posts([post, post])
        except Exception:  # a broken check is reported on the real posts, not here
            log.debug("warm-up failed", exc_info=True)

    def lint_posts(self, posts: Iterable[Post], chunk: int = 128) -> list[PostResult]:
        """Lint many posts; analyses that can work in batches (spaCy's ``nlp.pipe``) are
        computed a chunk of posts at a time first, which is several times faster."""
        results: list[PostResult] = []
        batch: list[Post] = []
        for post in posts:
            batch.append(post)
            if len(batch) == chunk:
                results.extend(self._lint_batch(batch))
                batch = []
        if batch:
            results.extend(self._lint_batch(batch))
        return results

    def _lint_batch(self, posts: list[Post]) -> list[PostResult]:
        if len(posts) > 1:
            self._prefetch(posts)
        try:
            return [self.lint_post(post) for post in posts]
        finally:
            self._prefetched.clear()

    def _prefetch(self, posts: list[Post]) -> None:
        needed = {name for post in posts for c in self.checks_for(post.path) for name in c.requires}
        for name in sorted(needed):
            function = self.registry.analyses.get(name)
            batch = getattr(function, "batch", None)
            if batch is None:
                continue
            contexts = [
                CheckContext(p, self.config, self.registry.analyses, self.shared) for p in posts
            ]
            try:
                values = batch(posts, contexts)
            except Exception as exc:  # the per-post path will run (and report) it again
                log.debug("batch analysis %s failed: %s", name, type(exc).__name__)
                continue
            if values is None:
                continue
            for post, value in zip(posts, values, strict=True):
                self._prefetched[(id(post), name)] = value


def _frames(exc: BaseException) -> str:
    """Where an exception was raised, as file:line places only (no message, no locals)."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))


def _safe_reason(exc: Exception) -> str:
    """The exception's message, cut short: it must not carry a whole post into a report."""
    text = str(exc).replace("\n", " ")
    return text[:120] + ("…" if len(text) > 120 else "")


def _suppressed(finding: Finding, post: Post) -> bool:
    if finding.code in post.disabled_rules or finding.name in post.disabled_rules:
        return True
    if "ALL" in post.disabled_rules and not finding.code.startswith("X"):
        return True
    if finding.start is None:
        return False
    for start, end, codes in post.suppressed_ranges:
        if start <= finding.start < end and (
            not codes or finding.code in codes or finding.name in codes
        ):
            return True
    return False
