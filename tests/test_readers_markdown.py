"""The Markdown / plain-text reader: front matter, positions, suppressions, hostile YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postlint.check import Check
from postlint.config import Config
from postlint.findings import Severity
from postlint.pipeline import Pipeline
from postlint.readers import ReadOptions, read_path, read_text
from postlint.registry import Registry
from postlint.tool_rules import CHECKS as TOOL_CHECKS


class WordCheck(Check):
    """Finds the word 'jab' (a stand-in rule, so suppression is tested on real findings)."""

    code = "T901"
    name = "test-jab-word"
    severity = Severity.WARNING
    summary = "test rule"

    def check(self, post, ctx):
        for match in re.finditer(r"\bjab\b", post.text):
            yield self.finding(post, "the word jab", match.start(), match.end())


class OtherWordCheck(WordCheck):
    code = "T902"
    name = "test-flu-word"

    def check(self, post, ctx):
        for match in re.finditer(r"\bflu\b", post.text):
            yield self.finding(post, "the word flu", match.start(), match.end())


REGISTRY = Registry({c.code: c for c in [*TOOL_CHECKS, WordCheck, OtherWordCheck]}, {})


def read(tmp_path: Path, content: str | bytes, name: str = "draft.md", **options):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_path(path, ReadOptions(media_root=tmp_path, **options))


def lint(tmp_path: Path, content: str | bytes, name: str = "draft.md"):
    result = read(tmp_path, content, name)
    pipeline = Pipeline(Config(), REGISTRY)
    return result, [f for post in result.posts for f in pipeline.lint_post(post).findings]


def test_front_matter_and_body(tmp_path):
    result = read(tmp_path, "---\nplatforms: [x, Twitter]\nid: flu-1\n---\nBook your jab.\n")
    post = result.posts[0]
    assert post.text == "Book your jab."
    assert post.platforms == ["x"]
    assert post.id == "flu-1"
    assert post.location(5) == post.source_map.location(5)
    assert (post.location(5).line, post.location(5).column) == (5, 6)
    assert post.field_location("platforms").line == 2


def test_no_front_matter_uses_default_platforms(tmp_path):
    result = read(tmp_path, "Just text.\nSecond line.\n", default_platforms=("linkedin",))
    post = result.posts[0]
    assert post.text == "Just text.\nSecond line."
    assert post.platforms == ["linkedin"]
    assert post.location(11).line == 2


def test_plain_text_file(tmp_path):
    result = read(tmp_path, "Pharmacy First can help.\n", name="draft.txt")
    assert result.posts[0].text == "Pharmacy First can help."


def test_crlf_text_has_no_carriage_returns_and_positions_stay_exact(tmp_path):
    source = "---\r\nplatforms: [x]\r\n---\r\nBook your\r\njab today.\r\n"
    result, findings = lint(tmp_path, source)
    post = result.posts[0]
    assert post.text == "Book your\njab today."
    [finding] = [f for f in findings if f.code == "T901"]
    assert (finding.location.line, finding.location.column) == (5, 1)
    assert (finding.location.end_line, finding.location.end_column) == (5, 4)
    offset = post.source_map.source_offset(finding.start)
    assert post.source_text[offset : offset + 3] == "jab"


def test_bom_is_not_part_of_the_text(tmp_path):
    result = read(tmp_path, b"\xef\xbb\xbf---\nplatforms: [x]\n---\nHello jab\n")
    post = result.posts[0]
    assert post.text == "Hello jab"
    assert post.platforms == ["x"]
    assert post.location(6).line == 4


def test_bom_given_as_text_is_skipped():
    [post] = read_text("x.md", "\ufeffHello", ReadOptions()).posts
    assert post.text == "Hello"
    assert post.location(0).column == 2


def test_empty_body_is_a_read_problem(tmp_path):
    post = read(tmp_path, "---\nplatforms: [x]\n---\n\n").posts[0]
    assert post.text == ""
    assert any("empty" in p.message and p.severity == "error" for p in post.read_problems)


def test_empty_file(tmp_path):
    post = read(tmp_path, "").posts[0]
    assert any("empty" in p.message for p in post.read_problems)


def test_unclosed_front_matter(tmp_path):
    result = read(tmp_path, "---\nplatforms: [x]\nHello #flujab\n")
    assert not result.posts
    [problem] = result.problems
    assert "never closes" in problem.message
    assert problem.location.line == 1


def test_tabs_in_yaml(tmp_path):
    result = read(tmp_path, "---\nplatforms:\n\t- x\n---\nHello\n")
    [problem] = result.problems
    assert "tab" in problem.message and "spaces" in problem.message
    assert problem.location.line == 3


def test_broken_yaml_points_at_the_line(tmp_path):
    result = read(tmp_path, "---\nplatforms: [x\nid: 3\n---\nHello\n")
    [problem] = result.problems
    assert problem.message.startswith("front matter: broken YAML")
    assert problem.location.line >= 2


def test_duplicate_keys_warn_and_the_last_wins(tmp_path):
    post = read(tmp_path, "---\nplatforms: [x]\nplatforms: [facebook]\n---\nHi\n").posts[0]
    assert post.platforms == ["facebook"]
    [problem] = [p for p in post.read_problems if "twice" in p.message]
    assert problem.severity == "warning" and problem.location.line == 3


def test_python_tags_are_refused(tmp_path):
    marker = tmp_path / "pwned"
    source = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\nHi\n"
    result = read(tmp_path, source)
    assert not result.posts
    assert "tag" in result.problems[0].message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    result = read(tmp_path, "---\n" + "\n".join(lines) + "\n---\nHi\n")
    assert not result.posts
    assert "through its aliases (*name), to more than 200,000 values" in result.problems[0].message


@pytest.mark.parametrize("depth", [150, 5000])
def test_deep_nesting_is_refused(tmp_path, depth):
    result = read(tmp_path, "---\nx: " + "[" * depth + "]" * depth + "\n---\nHi\n")
    assert not result.posts
    assert "nested" in result.problems[0].message


def test_front_matter_must_be_a_mapping(tmp_path):
    result = read(tmp_path, "---\n- x\n- y\n---\nHi\n")
    assert "mapping" in result.problems[0].message


def test_unknown_field_warns_with_a_suggestion(tmp_path):
    post = read(tmp_path, "---\nplatfroms: [x]\n---\nHi\n").posts[0]
    [problem] = post.read_problems
    assert "'platforms'" in problem.message and problem.severity == "warning"
    assert problem.location.line == 2


def test_unknown_platform_is_an_error_with_a_suggestion(tmp_path):
    post = read(tmp_path, "---\nplatforms: [facebok]\n---\nHi\n").posts[0]
    [problem] = post.read_problems
    assert "facebook" in problem.message and problem.severity == "error"


def test_inline_disable_and_enable(tmp_path):
    source = (
        "flu jab one\n"
        "<!-- postlint-disable T901 -->\n"
        "flu jab two\n"
        "<!-- postlint-enable T901 -->\n"
        "flu jab three\n"
    )
    _, findings = lint(tmp_path, source)
    jab_lines = sorted(f.location.line for f in findings if f.code == "T901")
    flu_lines = sorted(f.location.line for f in findings if f.code == "T902")
    assert jab_lines == [1, 5]
    assert flu_lines == [1, 3, 5]  # only the named rule is switched off


def test_disable_by_rule_name_and_bare_disable(tmp_path):
    source = (
        "<!-- postlint-disable test-jab-word -->\njab one\n<!-- postlint-enable -->\n"
        "jab two\n<!-- postlint-disable -->\njab flu three\n"
    )
    _, findings = lint(tmp_path, source)
    assert sorted((f.code, f.location.line) for f in findings) == [("T901", 4)]


def test_disable_next_line(tmp_path):
    source = "jab one\n<!-- postlint-disable-next-line T901 -->\njab two\njab three\n"
    _, findings = lint(tmp_path, source)
    assert sorted(f.location.line for f in findings if f.code == "T901") == [1, 4]


def test_front_matter_disable(tmp_path):
    source = "---\npostlint: {disable: [T901]}\n---\njab and flu\n"
    _, findings = lint(tmp_path, source)
    assert {f.code for f in findings} == {"T902"}


def test_front_matter_disable_must_be_a_mapping(tmp_path):
    post = read(tmp_path, "---\npostlint: T901\n---\nHi\n").posts[0]
    assert any("'postlint' must be a mapping" in p.message for p in post.read_problems)


def test_markup_is_marked_not_prose(tmp_path):
    post = read(tmp_path, "Read **more** at [NHS](https://www.nhs.uk) <!-- note -->\n").posts[0]
    spans = [post.text[s:e] for s, e in post.markup_spans]
    assert "**" in spans and "<!-- note -->" in spans
    assert any("(https://www.nhs.uk)" in span for span in spans)


def test_text_field_in_front_matter_warns(tmp_path):
    post = read(tmp_path, "---\ntext: Not this\n---\nThis one\n").posts[0]
    assert post.text == "This one"
    [problem] = post.read_problems
    assert "'text' in front matter is ignored" in problem.message and problem.location.line == 2


def test_platforms_as_a_separated_string(tmp_path):
    post = read(tmp_path, "---\nplatforms: x; Facebook | linkedin\n---\nHi\n").posts[0]
    assert post.platforms == ["x", "facebook", "linkedin"]
