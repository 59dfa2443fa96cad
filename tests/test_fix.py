"""--fix and --diff: exact placement in every format, overlaps, passes to a fixed point,
atomic writes that keep encoding, BOM, line ends and front matter byte for byte."""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from postlint import cli, fixes
from postlint.check import Check
from postlint.config import Config
from postlint.findings import Fix, Severity
from postlint.pipeline import Pipeline
from postlint.readers import ReadOptions
from postlint.registry import Registry
from postlint.tool_rules import CHECKS as TOOL_CHECKS

ROOT = Path(__file__).resolve().parent.parent


class _Regex(Check):
    pattern = ""
    replacement = ""
    safe = True
    severity = Severity.WARNING
    summary = "test rule"

    def check(self, post, ctx):
        for match in re.finditer(self.pattern, post.text):
            fix = Fix(match.start(), match.end(), self.replacement, "test fix", self.safe)
            yield self.finding(post, "test", match.start(), match.end(), fixes=[fix])


class DoubleSpace(_Regex):
    code, name, pattern, replacement = "T920", "test-double-space", "  ", " "


class Hashtag(_Regex):
    code, name, pattern, replacement = "T921", "test-flujab", "#flujab", "#FluJab"


class Shouting(_Regex):
    code, name, pattern, replacement, safe = "T922", "test-shouting", "!!+", "!", False


class FluJab(_Regex):  # overlaps Jab: the first (earlier) fix wins, the other waits
    code, name, pattern, replacement = "T923", "test-flu-jab", r"\bflu jab\b", "flu vaccine"


class Jab(_Regex):
    code, name, pattern, replacement = "T924", "test-jab", r"\bjab\b", "vaccination"


class Quote(_Regex):  # a replacement that needs escaping in JSON, YAML and CSV
    code, name, pattern, replacement = "T925", "test-quote", "QUOTE", '"é"'


class Flip(_Regex):  # never settles: the pass limit must stop it
    code, name, pattern, replacement = "T926", "test-flip", "[xy]yz", "?"

    def check(self, post, ctx):
        for match in re.finditer(r"\b[xy]yz\b", post.text):
            other = "yyz" if match.group(0) == "xyz" else "xyz"
            fix = Fix(match.start(), match.end(), other, "flip")
            yield self.finding(post, "flip", match.start(), match.end(), fixes=[fix])


class Insert(Check):  # two insertions at one place conflict; one waits for the next pass
    code, name, summary = "T927", "test-insert", "test rule"

    def check(self, post, ctx):
        if post.text.startswith("INSERT"):
            yield self.finding(post, "a", 0, 0, fixes=[Fix(0, 0, "A")])
            yield self.finding(post, "b", 0, 0, fixes=[Fix(0, 0, "B")])


RULES = [DoubleSpace, Hashtag, Shouting, FluJab, Jab, Quote, Flip, Insert]
REGISTRY = Registry({c.code: c for c in [*TOOL_CHECKS, *RULES]}, {})


def pipeline(select=("T920", "T921", "T922", "T923", "T924", "T925")) -> Pipeline:
    return Pipeline(Config(select=tuple(select)), REGISTRY)


def fix_file(path: Path, unsafe=False, write=True, select=None) -> fixes.FixResult:
    chosen = pipeline(select) if select else pipeline()
    return fixes.fix_file(
        path, chosen, ReadOptions(media_root=path.parent), unsafe=unsafe, write=write
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_fix_keeps_front_matter_byte_for_byte(tmp_path):
    front = "---\nplatforms: [x]   # keep  this  comment\nid:   flu-1\n---\n"
    path = write(tmp_path, "a.md", front + "Get your  #flujab  today.\n")
    result = fix_file(path)
    assert result.written and result.applied == 3
    assert path.read_text() == front + "Get your #FluJab today.\n"


def test_crlf_bom_and_no_final_newline_are_kept(tmp_path):
    source = "\ufeff---\r\nplatforms: [x]\r\n---\r\nLine  one\r\n#flujab  two"
    path = write(tmp_path, "a.md", source.encode("utf-8"))
    fix_file(path)
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\r\nplatforms: [x]\r\n---\r\nLine one\r\n#FluJab two"
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_file_is_written_back_in_utf16(tmp_path, codec):
    text = "---\nplatforms: [x]\n---\nBook  your #flujab\n"
    data = text.encode(codec) if codec == "utf-16" else codecs.BOM_UTF16_BE + text.encode(codec)
    path = write(tmp_path, "a.md", data)
    fix_file(path)
    fixed = path.read_bytes()
    assert fixed[:2] == data[:2]
    assert fixed.decode("utf-16") == "---\nplatforms: [x]\n---\nBook your #FluJab\n"


def test_several_passes_reach_a_fixed_point(tmp_path):
    path = write(tmp_path, "a.md", "Hello        world\n")  # 8 spaces: 4, then 2, then 1
    result = fix_file(path)
    assert path.read_text() == "Hello world\n"
    assert result.applied == 4 + 2 + 1


def test_overlapping_fixes_first_wins_then_relint(tmp_path):
    path = write(tmp_path, "a.md", "Get a flu jab. Any jab helps.\n")
    fix_file(path)
    assert path.read_text() == "Get a flu vaccine. Any vaccination helps.\n"


def test_two_insertions_at_one_place_wait_for_separate_passes(tmp_path):
    path = write(tmp_path, "a.md", "INSERT here\n")
    result = fix_file(path, select=["T927"])
    assert result.applied == 1 and path.read_text() == "AINSERT here\n"


def test_pass_limit_stops_a_rule_that_never_settles(tmp_path):
    path = write(tmp_path, "a.md", "xyz\n")
    result = fix_file(path, select=["T926"])
    assert result.applied == fixes.MAX_PASSES
    assert path.read_text() == "yyz\n"  # five flips


def test_unsafe_fixes_only_when_asked(tmp_path):
    path = write(tmp_path, "a.md", "Book now!!!\n")
    assert not fix_file(path).changed
    assert path.read_text() == "Book now!!!\n"
    fix_file(path, unsafe=True)
    assert path.read_text() == "Book now!\n"


def test_second_fix_changes_nothing(tmp_path):
    path = write(tmp_path, "a.md", "Get  your #flujab  flu jab!!\n")
    fix_file(path, unsafe=True)
    once = path.read_bytes()
    stat = path.stat()
    result = fix_file(path, unsafe=True)
    assert not result.changed and not result.written and result.applied == 0
    assert path.read_bytes() == once and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_suppressed_findings_are_not_fixed(tmp_path):
    source = "<!-- postlint-disable T921 -->\n#flujab  here\n"
    path = write(tmp_path, "a.md", source)
    fix_file(path)
    assert path.read_text() == "<!-- postlint-disable T921 -->\n#flujab here\n"


# --- JSON, YAML, CSV ----------------------------------------------------------------------


def test_json_fix_reencodes_the_replacement(tmp_path):
    data = {"posts": [{"text": "Caf\u00e9  QUOTE\n#flujab", "platforms": ["x"]}]}
    source = json.dumps(data, indent=2)  # ASCII escapes: \u00e9 and \n in the file
    path = write(tmp_path, "a.json", source)
    fix_file(path)
    fixed = path.read_text()
    assert json.loads(fixed)["posts"][0]["text"] == 'Café "é"\n#FluJab'
    assert '\\u00e9 \\"\u00e9\\"\\n#FluJab' in fixed  # untouched escapes stay as they were
    assert fixed.count("\n") == source.count("\n")


def test_yaml_fixes_in_each_scalar_style(tmp_path):
    source = (
        "- text: plain  words\n"
        "- text: 'single  QUOTE'\n"
        '- text: "double  QUOTE \\u00e9"\n'
        "- text: |\n    literal  block\n    #flujab\n"
        "- text: >\n    folded  one\n    folded two\n"
    )
    path = write(tmp_path, "a.yaml", source)
    fix_file(path)
    import yaml

    texts = [post["text"] for post in yaml.safe_load(path.read_text())]
    assert texts == [
        "plain words",
        'single "é"',
        'double "é" é',
        "literal block\n#FluJab\n",
        "folded one folded two\n",
    ]
    assert path.read_text().startswith("- text: plain words\n")


def test_a_fix_that_would_break_the_file_is_dropped_and_the_others_kept(tmp_path):
    # '"é" and more' in a plain scalar would turn it into a broken quoted one.
    path = write(tmp_path, "a.yaml", "- text: QUOTE and more\n- text: 'a  #flujab'\n")
    result = fix_file(path)
    assert path.read_text() == "- text: QUOTE and more\n- text: 'a #FluJab'\n"
    assert result.applied == 2


def test_csv_quoted_and_plain_cells(tmp_path):
    source = 'message,platform\n"Quoted  QUOTE, cell",x\nPlain  #flujab,x\nPlain QUOTE,x\n'
    path = write(tmp_path, "a.csv", source)
    fix_file(path)
    assert path.read_text() == (
        'message,platform\n"Quoted ""é"", cell",x\nPlain #FluJab,x\nPlain QUOTE,x\n'
    )


def test_fix_across_a_folded_line_is_skipped(tmp_path):
    class JoinWords(_Regex):
        code, name, pattern, replacement = "T928", "test-join", "one two", "one-two"

    registry = Registry({c.code: c for c in [*TOOL_CHECKS, JoinWords]}, {})
    path = write(tmp_path, "a.yaml", "text: >\n  one\n  two\n")
    result = fixes.fix_file(
        path, Pipeline(Config(select=("T928",)), registry), ReadOptions(media_root=tmp_path)
    )
    assert not result.changed and result.skipped == 1


# --- writing ------------------------------------------------------------------------------


def test_diff_mode_writes_nothing(tmp_path):
    path = write(tmp_path, "a.md", "Get your  #flujab\n")
    result = fix_file(path, write=False)
    assert result.changed and not result.written
    assert path.read_text() == "Get your  #flujab\n"
    diff = result.diff()
    assert "-Get your  #flujab\n" in diff and "+Get your #FluJab\n" in diff


def test_refuses_to_write_a_file_changed_on_disk(tmp_path):
    class Sneaky(_Regex):
        """Edits the file while it is being fixed, as an editor saving at that moment would."""

        code, name, pattern, replacement = "T929", "test-sneaky", "#flujab", "#FluJab"

        def check(self, post, ctx):
            Path(post.path).write_text("Someone else's edit\n")
            yield from super().check(post, ctx)

    registry = Registry({c.code: c for c in [*TOOL_CHECKS, Sneaky]}, {})
    path = write(tmp_path, "a.md", "#flujab\n")
    result = fixes.fix_file(
        path, Pipeline(Config(select=("T929",)), registry), ReadOptions(media_root=tmp_path)
    )
    assert result.error and "changed on disk" in result.error and not result.written
    assert path.read_text() == "Someone else's edit\n"


def test_atomic_write_keeps_mode_and_symlink_and_leaves_no_temp_file(tmp_path):
    target = write(tmp_path, "real.md", "#flujab\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    os.symlink(target, link)
    fix_file(link)
    assert link.is_symlink() and target.read_text() == "#FluJab\n"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_read_only_folder_is_an_error_not_a_crash(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = write(folder, "a.md", "#flujab\n")
    folder.chmod(0o555)
    try:
        result = fix_file(path)
    finally:
        folder.chmod(0o755)
    assert result.error and "cannot write" in result.error
    assert path.read_text() == "#flujab\n"


def test_write_error_is_reported(tmp_path):
    path = write(tmp_path, "a.md", "old\n")
    data = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    missing_folder = tmp_path / "gone" / "a.md"
    assert "cannot read the file again" in fixes.write_atomically(
        missing_folder, b"new", data, mtime
    )
    path.write_text("edited\n")
    assert "changed on disk" in fixes.write_atomically(path, b"new", data, mtime)


def test_unreadable_file_is_reported_not_raised(tmp_path):
    path = write(tmp_path, "a.md", b"\xff\xfe\x00")
    result = fix_file(path)
    assert result.error and not result.changed


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def test_rules(monkeypatch):
    """The CLI with this file's rules installed (as a plugin would install them)."""
    monkeypatch.setattr(cli, "load_registry", lambda: REGISTRY)
    monkeypatch.setattr("postlint.registry.load_registry", lambda: REGISTRY)
    monkeypatch.setenv("POSTLINT_CACHE_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))))


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli.main, ["check", "--no-cache", *args], input=input)


def test_cli_fix_then_report_the_rest(tmp_path, test_rules):
    path = write(tmp_path, "a.md", "---\nplatforms: [x]\n---\nGet your  #flujab!!\n")
    result = invoke("--select", "T92", "--fix", str(path))
    assert path.read_text() == "---\nplatforms: [x]\n---\nGet your #FluJab!!\n"
    assert "fixed 2 findings in 1 files" in result.stderr
    assert "T922" in result.stdout and "T921" not in result.stdout
    assert result.exit_code == 0  # a warning is left: the post still passes


def test_cli_diff_exit_codes_and_no_write(tmp_path, test_rules):
    path = write(tmp_path, "a.md", "Get your  #flujab\n")
    result = invoke("--select", "T92", "--diff", str(tmp_path))
    assert result.exit_code == 1 and "+Get your #FluJab" in result.stdout
    assert path.read_text() == "Get your  #flujab\n"
    path.write_text("All good\n")
    result = invoke("--select", "T92", "--diff", str(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""


def test_cli_unsafe_fixes_need_fix_or_diff(tmp_path, test_rules):
    path = write(tmp_path, "a.md", "Now!!\n")
    assert invoke("--unsafe-fixes", str(path)).exit_code == 2
    invoke("--select", "T92", "--fix", "--unsafe-fixes", str(path))
    assert path.read_text() == "Now!\n"


def test_cli_fix_from_stdin_prints_the_fixed_draft(test_rules):
    result = invoke(
        "--select", "T92", "--fix", "-", "--stdin-filename", "draft.md", input=b"A  #flujab\n"
    )
    assert result.stdout == "A #FluJab\n"
    assert result.exit_code == 0


def test_cli_diff_from_stdin(test_rules):
    result = invoke("--select", "T92", "--diff", "-", input=b"A  b\n")
    assert result.exit_code == 1 and "-A  b" in result.stdout and "+A b" in result.stdout


FIX_ME = [
    ("fixme.md", "---\nplatforms: [x]\n---\nGet  your #flujab!!\n"),
    ("fixme.json", '{"text": "Get  your #flujab"}'),
    ("fixme.csv", "message\nGet  your #flujab\n"),
    ("fixme.yaml", "text: 'Get  your #flujab'\n"),
]


def test_no_file_changes_without_fix(tmp_path, test_rules):
    """Checking and --diff change no byte and add no file; --fix changes only drafts."""
    copy = tmp_path / "drafts"
    shutil.copytree(ROOT / "fixtures" / "formats", copy, symlinks=True)
    for name, content in FIX_ME:
        write(copy, name, content)
    before = _snapshot(copy)
    for args in (["--select", "ALL"], ["--select", "ALL", "--diff", "--unsafe-fixes"]):
        result = invoke(*args, str(copy))
        assert "Traceback" not in result.output
        assert _snapshot(copy) == before
    assert invoke("--select", "ALL", "--diff", str(copy)).exit_code == 1
    # The fixtures have no double spaces or lower-case #flujab: only the fix-me drafts change.
    invoke("--select", "T920,T921", "--fix", str(copy))
    after = _snapshot(copy)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed == sorted(name for name, _ in FIX_ME)
    assert set(after) == set(before)


@pytest.mark.slow
def test_no_bundled_fixture_changes_without_fix(tmp_path):
    """Every bundled fixture, every installed rule (but LanguageTool's): not one byte."""
    copy = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", copy, symlinks=True)
    before = _snapshot(copy)
    for extra in ([], ["--diff", "--unsafe-fixes"]):
        result = invoke("--ignore", "L001,L002,L003", *extra, str(copy))
        assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
        assert _snapshot(copy) == before


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }
