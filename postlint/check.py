"""The plugin interface: how a check is written, declared and run.

A check is a class with a few class attributes and a ``check`` method that yields findings::

    class CamelCaseHashtags(Check):
        code = "A001"
        name = "hashtag-camel-case"
        severity = Severity.WARNING
        policy = "Appendix B: CamelCase in hashtags"
        summary = "Multi-word hashtags must be written in CamelCase."
        requires = ()                      # shared analyses, by name

        def check(self, post, ctx):
            yield self.finding(post, "message", start, end, fixes=[...])

A package exposes its checks through the ``postlint.checks`` entry-point group: the entry
point names a module (or object) with a ``CHECKS`` list, or a single Check class.
Shared analyses (a spaCy doc, LanguageTool matches...) are registered under
``postlint.analyses`` as functions ``analysis(post, ctx) -> object``; a check asks for one
with ``ctx.analysis("name")`` and the engine computes it once per post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from postlint.findings import Finding, Fix, Severity
from postlint.model import Location, Post


@dataclass
class Example:
    """A bad and a good example for ``postlint explain``."""

    bad: str
    good: str
    note: str = ""


class Check:
    """Base class of every check. Subclasses set the class attributes and ``check``."""

    code: ClassVar[str] = ""  # family letter + number: A accessibility, L language, S safety,
    # P platform, X tool errors
    name: ClassVar[str] = ""  # kebab-case
    severity: ClassVar[Severity] = Severity.WARNING
    policy: ClassVar[str] = ""  # clause or guidance reference
    summary: ClassVar[str] = ""  # one line: what it finds
    explanation: ClassVar[str] = ""  # why it matters, for ``postlint explain``
    examples: ClassVar[list[Example]] = []
    requires: ClassVar[tuple[str, ...]] = ()  # names of shared analyses it needs
    fixable: ClassVar[bool] = False
    # Default options; the config's ``[tool.postlint.options.<name>]`` table overrides them.
    options: ClassVar[dict[str, Any]] = {}

    def __init__(self, options: dict[str, Any] | None = None, severity: Severity | None = None):
        merged = dict(type(self).options)
        merged.update(options or {})
        self.opts: dict[str, Any] = merged
        self.effective_severity: Severity = severity or type(self).severity

    @property
    def family(self) -> str:
        return {
            "A": "accessibility",
            "L": "language",
            "S": "safety",
            "P": "platform",
            "X": "tool",
        }.get(self.code[:1], "plugin")

    def check(self, post: Post, ctx: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        post: Post,
        message: str,
        start: int | None = None,
        end: int | None = None,
        *,
        fixes: Iterable[Fix] = (),
        location: Location | None = None,
        field_name: str | None = None,
        severity: Severity | None = None,
        suggestion: str | None = None,
    ) -> Finding:
        """Build a finding about text ``start``..``end``, or about a field of the post."""
        if location is None:
            if start is not None:
                location = post.location(start, end if end is not None else start)
            else:
                location = post.field_location(field_name or "text")
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.effective_severity,
            message=message,
            location=location,
            start=start,
            end=end,
            fixes=list(fixes),
            policy=self.policy,
            post_label=post.label,
            suggestion=suggestion,
        )

    def tool_unavailable(
        self, post: Post, ctx: CheckContext, tool: str, message: str
    ) -> list[Finding]:
        """An X003 finding the first time ``tool`` is missing in this run, else nothing."""
        if not ctx.notice_once(f"tool-unavailable:{tool}"):
            return []
        return [
            Finding(
                code="X003",
                name="tool-unavailable",
                severity=Severity.WARNING,
                message=message,
                location=post.location(0),
                policy="postlint: real engines for real checks",
                post_label=post.label,
            )
        ]


AnalysisFunction = Callable[[Post, "CheckContext"], Any]


@dataclass
class CheckContext:
    """What a check sees besides the post: config, shared analyses, and run-wide state.

    ``analysis(name)`` computes a registered analysis at most once per post, and
    ``per_post(key, compute)`` any other value several checks need. ``shared`` is a
    dict that lives for the whole run (a loaded model, a server connection), and ``notices``
    collects tool messages that should be reported once per run, not once per post.
    """

    post: Post
    config: Any  # postlint.config.Config; Any to keep this module free of imports
    analyses: dict[str, AnalysisFunction]
    shared: dict[str, Any]
    _cache: dict[str, Any] = field(default_factory=dict)

    def analysis(self, name: str) -> Any:
        if name not in self._cache:
            if name not in self.analyses:
                raise KeyError(f"no analysis named {name!r} is installed")
            self._cache[name] = self.analyses[name](self.post, self)
        return self._cache[name]

    def per_post(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out once per post under ``key`` and shared by every check
        that asks: for a helper several of a plugin's rules use (its own tokens, say).
        Prefix ``key`` with the plugin's name; analyses' names are taken."""
        memo_key = "per-post:" + key
        if memo_key not in self._cache:
            self._cache[memo_key] = compute()
        return self._cache[memo_key]

    def notice_once(self, key: str) -> bool:
        """True the first time ``key`` is seen in this run: for say-it-once tool messages."""
        seen: set[str] = self.shared.setdefault("_notices", set())
        if key in seen:
            return False
        seen.add(key)
        return True

    def options_for(self, check_name: str) -> dict[str, Any]:
        return dict(getattr(self.config, "options", {}).get(check_name, {}))


def iter_masked_prose(post: Post) -> Iterator[tuple[int, int]]:
    """Spans of the text that are not markup, for checks of wording."""
    position = 0
    for start, end in sorted(post.markup_spans):
        if start > position:
            yield position, start
        position = max(position, end)
    if position < len(post.text):
        yield position, len(post.text)
