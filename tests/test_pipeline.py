"""The engine: rule selection, severities, suppression, scoring, crash isolation."""

from __future__ import annotations

from dataclasses import replace

from postlint.check import Check, Example
from postlint.config import Config
from postlint.findings import Finding, Fix, Severity, score
from postlint.model import Location, Post, SourceMap
from postlint.pipeline import Pipeline, rule_matches, selected_codes, unknown_selectors
from postlint.readers.markdown import suppressed_ranges
from postlint.registry import Registry, load_registry


class FindsWordTest(Check):
    code = "Z001"
    name = "finds-word-test"
    severity = Severity.WARNING
    policy = "test"
    summary = "Finds the word 'test'."
    examples = [Example("a test", "an exam")]

    def check(self, post, ctx):
        start = post.text.find("test")
        if start >= 0:
            yield self.finding(
                post, "found 'test'", start, start + 4, fixes=[Fix(start, start + 4, "exam")]
            )


class Crashes(Check):
    code = "Z002"
    name = "crashes"
    severity = Severity.ERROR

    def check(self, post, ctx):
        raise RuntimeError("boom " + "x" * 500)


class UsesAnalysis(Check):
    code = "Z003"
    name = "uses-analysis"
    severity = Severity.INFO
    requires = ("count",)

    def check(self, post, ctx):
        ctx.analysis("count")
        ctx.analysis("count")
        yield self.finding(post, f"calls {ctx.shared['calls']}", 0, 1)


def count(post, ctx):
    ctx.shared["calls"] = ctx.shared.get("calls", 0) + 1
    return len(post.text)


def registry(*classes) -> Registry:
    base = load_registry()
    checks = {c.code: c for c in classes}
    checks.update({code: cls for code, cls in base.checks.items() if code.startswith("X")})
    return Registry(checks, {"count": count})


def post(text: str, **kwargs) -> Post:
    return Post(text=text, path="p.md", source_map=SourceMap.for_text("p.md", text), **kwargs)


def test_finding_located_and_fixable():
    pipeline = Pipeline(Config(), registry(FindsWordTest))
    result = pipeline.lint_post(post("hello\na test here"))
    (finding,) = result.findings
    assert (finding.location.line, finding.location.column) == (2, 3)
    assert finding.fixes[0].replacement == "exam"
    assert result.score == 95 and result.passed


def test_selection_and_ignore():
    reg = registry(FindsWordTest, UsesAnalysis)
    assert selected_codes(reg, replace(Config(), select=("Z001",))) >= {"Z001"}
    assert "Z003" not in selected_codes(reg, replace(Config(), select=("Z001",)))
    assert "Z001" not in selected_codes(reg, replace(Config(), ignore=("finds-word-test",)))
    assert rule_matches("Z", FindsWordTest) and rule_matches("ALL", FindsWordTest)
    assert rule_matches("z0", FindsWordTest)  # prefixes are case-insensitive
    assert unknown_selectors(reg, ["Q123", "Z00"]) == ["Q123"]


def test_per_file_ignores(tmp_path):
    reg = registry(FindsWordTest)
    config = replace(Config(), per_file_ignores={"drafts/*.md": ("Z001",)}, path=tmp_path / "x")
    assert "Z001" not in selected_codes(reg, config, str(tmp_path / "drafts" / "a.md"))
    assert "Z001" in selected_codes(reg, config, str(tmp_path / "other" / "a.md"))


def test_severity_override_changes_verdict():
    config = replace(Config(), severity={"Z001": "error"})
    result = Pipeline(config, registry(FindsWordTest)).lint_post(post("a test"))
    assert result.findings[0].severity is Severity.ERROR
    assert not result.passed


def test_crashing_check_is_isolated_and_message_is_short():
    result = Pipeline(Config(), registry(FindsWordTest, Crashes)).lint_post(post("a test"))
    codes = sorted(f.code for f in result.findings)
    assert codes == ["X002", "Z001"]
    crash = next(f for f in result.findings if f.code == "X002")
    assert len(crash.message) < 300


def test_analysis_computed_once_per_post():
    pipeline = Pipeline(Config(), registry(UsesAnalysis))
    result = pipeline.lint_post(post("abc"))
    assert result.findings[0].message == "calls 1"
    pipeline.lint_post(post("def"))
    assert pipeline.shared["calls"] == 2


def test_inline_suppression_ranges():
    text = "a test\n<!-- postlint-disable Z001 -->\nthe test\n<!-- postlint-enable Z001 -->\ntest"
    ranges = suppressed_ranges(text)
    p = post(text, suppressed_ranges=ranges)
    pipeline = Pipeline(Config(), registry(FindsWordTest))

    class FindsAll(FindsWordTest):
        def check(self, post, ctx):
            start = 0
            while (start := post.text.find("test", start)) >= 0:
                yield self.finding(post, "t", start, start + 4)
                start += 4

    pipeline._instances["Z001"] = FindsAll()
    lines = [f.location.line for f in pipeline.lint_post(p).findings]
    assert lines == [1, 5]


def test_disable_next_line_and_front_matter_disable():
    text = "<!-- postlint-disable-next-line Z001 -->\na test"
    p = post(text, suppressed_ranges=suppressed_ranges(text))
    assert Pipeline(Config(), registry(FindsWordTest)).lint_post(p).findings == []
    p = post("a test", disabled_rules={"Z001"})
    assert Pipeline(Config(), registry(FindsWordTest)).lint_post(p).findings == []


def test_score_formula_and_tool_findings_do_not_count():
    loc = Location("p.md")

    def f(code, severity):
        return Finding(code, "n", severity, "m", loc)

    findings = [
        f("A001", Severity.ERROR),
        f("A002", Severity.WARNING),
        f("A003", Severity.INFO),
        f("X003", Severity.WARNING),
    ]
    assert score(findings) == 100 - 20 - 5 - 1
    assert score([f("A001", Severity.ERROR)] * 6) == 0


def test_fail_under():
    config = replace(Config(), fail_under=96)
    result = Pipeline(config, registry(FindsWordTest)).lint_post(post("a test"))
    assert result.score == 95 and not result.passed


def test_builtin_rules_are_well_declared():
    reg = load_registry()
    assert not [e for e in reg.errors if "failed to load" not in e], reg.errors
    for code, cls in reg.checks.items():
        assert cls.policy, f"{code} names no policy clause"
        assert cls.summary, f"{code} has no summary"
        assert cls.examples, f"{code} has no examples for explain"


def test_tool_findings_show_under_select_unless_ignored():
    from postlint.model import ReadProblem

    problem = ReadProblem("media file 'x.png' not found", Location("p.md"))
    reg = registry(FindsWordTest)
    selected = replace(Config(), select=("Z001",))
    result = Pipeline(selected, reg).lint_post(post("a test", read_problems=[problem]))
    assert sorted(f.code for f in result.findings) == ["X001", "Z001"]
    ignored = replace(selected, ignore=("X001",))
    result = Pipeline(ignored, reg).lint_post(post("a test", read_problems=[problem]))
    assert [f.code for f in result.findings] == ["Z001"]


class SharesMemo(Check):
    code = "Z004"
    name = "shares-memo"
    severity = Severity.INFO

    def check(self, post, ctx):
        def compute():
            ctx.shared["computed"] = ctx.shared.get("computed", 0) + 1
            return post.text.upper()

        yield self.finding(post, ctx.per_post("test.upper", compute), 0, 1)


class SharesMemoToo(SharesMemo):
    code = "Z005"
    name = "shares-memo-too"


def test_per_post_memo_is_computed_once_a_post_for_all_checks():
    pipeline = Pipeline(Config(), registry(SharesMemo, SharesMemoToo))
    results = pipeline.lint_posts([post("one"), post("two")])
    assert [[f.message for f in r.findings] for r in results] == [["ONE", "ONE"], ["TWO", "TWO"]]
    assert pipeline.shared["computed"] == 2


class SaysEngineMissing(Check):
    code = "Z006"
    name = "says-engine-missing"
    severity = Severity.INFO

    def check(self, post, ctx):
        ctx.shared["seen"] = ctx.shared.get("seen", 0) + 1
        return self.tool_unavailable(post, ctx, "engine", "the engine is missing")


def test_warm_up_runs_the_checks_but_leaves_the_runs_state_alone():
    pipeline = Pipeline(Config(), registry(SaysEngineMissing, Crashes))
    pipeline.warm_up()  # Crashes raises inside: the warm-up says nothing
    assert "seen" not in pipeline.shared and "_notices" not in pipeline.shared
    # The first real post still gets the once-a-run notice the warm-up would have used up.
    result = pipeline.lint_post(post("hello"))
    assert [f.code for f in result.findings].count("X003") == 1
