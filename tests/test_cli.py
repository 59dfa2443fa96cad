"""The command line: options, exit codes, standard input, init, explain, and no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from postlint import __version__, cli
from postlint.check import Check, Example
from postlint.findings import Fix, Severity
from postlint.registry import Registry
from postlint.tool_rules import CHECKS as TOOL_CHECKS


class JabWord(Check):
    code = "T930"
    name = "test-jab-word"
    severity = Severity.WARNING
    policy = "test policy 1.2"
    summary = "Says 'jab' where 'vaccination' is plainer."
    explanation = "A test rule for the command line."
    examples = [Example(bad="Get your jab", good="Get your vaccination")]
    fixable = True
    options = {"word": "jab"}

    def check(self, post, ctx):
        word = self.opts["word"]
        for match in re.finditer(rf"\b{re.escape(word)}\b", post.text):
            fix = Fix(match.start(), match.end(), "vaccination", "say vaccination")
            yield self.finding(post, f"'{word}'", match.start(), match.end(), fixes=[fix])


class Shouting(Check):
    code = "T931"
    name = "test-shouting"
    severity = Severity.ERROR
    summary = "Shouting in capitals."

    def check(self, post, ctx):
        for match in re.finditer(r"\b[A-Z]{5,}\b", post.text):
            yield self.finding(post, "shouting", match.start(), match.end())


REGISTRY = Registry({c.code: c for c in [*TOOL_CHECKS, JabWord, Shouting]}, {})


@pytest.fixture(autouse=True)
def test_rules(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "load_registry", lambda: REGISTRY)
    monkeypatch.setattr("postlint.registry.load_registry", lambda: REGISTRY)
    monkeypatch.setenv("POSTLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli.main, list(args), input=input)


def draft(folder: Path, name: str, text: str, front: str = "platforms: [x]\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{text}\n")
    return path


# --- exit codes ---------------------------------------------------------------------------


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_pass_fail_and_exit_zero(tmp_path):
    good = draft(tmp_path, "good.md", "Book your flu vaccination today.")
    bad = draft(tmp_path, "bad.md", "Book your flu jab TODAY.")
    assert run("check", str(good)).exit_code == 0
    result = run("check", str(bad))
    assert result.exit_code == 1
    assert "bad.md:4:19: T931 [error] shouting" in result.stdout
    assert run("check", "--exit-zero", str(bad)).exit_code == 0


def test_warnings_pass_unless_fail_under(tmp_path):
    path = draft(tmp_path, "warn.md", "Book your jab.")
    assert run("check", str(path)).exit_code == 0  # score 95
    assert run("check", "--fail-under", "96", str(path)).exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give at least one file or folder"),
        (["missing.md"], "missing.md: no such file or folder"),
        (["--select", "Q9", "."], "no rule matches 'Q9'"),
        (["--ignore", "nonsense", "."], "no rule matches 'nonsense'"),
        (["--platform", "myspace", "."], "unknown platform 'myspace'"),
        (["--config", "nope.toml", "."], "config file nope.toml does not exist"),
        (["-", "-"], "standard input (-) can be given only once"),
        (["--fail-under", "101", "."], "101 is not in the range"),
        (["--output-format", "pdf", "."], "'pdf' is not one of"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run("check", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_config_exits_2_naming_the_key(tmp_path):
    (tmp_path / "postlint.toml").write_text("fail-undr = 50\n")
    path = draft(tmp_path, "a.md", "Hello")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "unknown key 'fail-undr'" in result.stderr and "Did you mean 'fail-under'?" in (
        result.stderr
    )


def test_bad_option_in_config(tmp_path):
    (tmp_path / "postlint.toml").write_text("[options.test-jab-word]\nwrd = 'x'\n")
    result = run("check", str(draft(tmp_path, "a.md", "Hello")))
    assert result.exit_code == 2 and "Valid options: word." in result.stderr


def test_empty_folder_warns_and_passes(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("check", str(tmp_path / "empty"))
    assert result.exit_code == 0 and "no drafts found" in result.stderr


# --- options ------------------------------------------------------------------------------


def test_select_ignore_extend_select(tmp_path):
    path = draft(tmp_path, "a.md", "Book your jab TODAY.")
    assert "T930" not in run("check", "--select", "T931", str(path)).stdout
    result = run("check", "--select", "T931", "--extend-select", "test-jab-word", str(path))
    assert "T930" in result.stdout and "T931" in result.stdout
    assert run("check", "--ignore", "T931", str(path)).exit_code == 0


def test_config_options_reach_the_rule(tmp_path):
    (tmp_path / "postlint.toml").write_text("[options.test-jab-word]\nword = 'flu'\n")
    result = run("check", str(draft(tmp_path, "a.md", "Book your flu jab.")))
    assert "'flu'" in result.stdout and "'jab'" not in result.stdout


def test_explicit_config_and_per_file_ignores(tmp_path):
    config = tmp_path / "team.toml"
    config.write_text('[per-file-ignores]\n"archive/*" = ["T931"]\n')
    draft(tmp_path, "archive/old.md", "SHOUTING here")
    draft(tmp_path, "new.md", "SHOUTING here")
    result = run("check", "--config", str(config), str(tmp_path))
    assert "new.md:4:1: T931" in result.stdout and "old.md:4:1: T931" not in result.stdout


def test_platform_option_applies_to_posts_without_platforms(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("Hello\n")
    result = run("check", "--platform", "bsky", "--output-format", "json", str(path))
    assert json.loads(result.stdout)["posts"][0]["verdict"] == "pass"


def test_output_formats_and_quiet_statistics_no_color(tmp_path):
    draft(tmp_path, "a.md", "Book your jab.")
    draft(tmp_path, "b.md", "All fine.")
    data = json.loads(run("check", "--output-format", "json", str(tmp_path)).stdout)
    assert {p["label"].rsplit("/", 1)[-1] for p in data["posts"]} == {"a.md", "b.md"}
    quiet = run("check", "--quiet", str(tmp_path)).stdout
    assert "b.md" not in quiet
    stats = run("check", "--statistics", "--no-color", str(tmp_path)).stdout
    assert re.search(r"1\s+T930\s.*test-jab-word", stats)
    assert "\033[" not in stats


def test_include_and_exclude(tmp_path):
    config = tmp_path / "team.toml"
    config.write_text("")
    draft(tmp_path, "drafts/a.md", "TODAY only")
    draft(tmp_path, "drafts/old/b.md", "TODAY only")
    (tmp_path / "drafts" / "c.txt").write_text("TODAY only\n")
    result = run("check", "--config", str(config), "--exclude", "old", str(tmp_path))
    assert "a.md" in result.stdout and "b.md" not in result.stdout and "c.txt" in result.stdout
    result = run("check", "--config", str(config), "--include", "*.txt", str(tmp_path))
    assert "c.txt" in result.stdout and "a.md" not in result.stdout


def test_cache_and_jobs_give_the_same_report(tmp_path):
    for number in range(3):
        draft(tmp_path, f"d{number}.md", f"Post {number} about the jab.")
    first = run("check", str(tmp_path)).stdout
    assert run("check", str(tmp_path)).stdout == first  # from the cache
    assert run("check", "--no-cache", "--jobs", "2", str(tmp_path)).stdout == first
    assert (tmp_path / "cache").is_dir()


# --- standard input ---------------------------------------------------------------------


def test_stdin_markdown():
    result = run("check", "-", input="---\nplatforms: [x]\n---\nGet your jab.\n")
    assert "stdin.md:4:10: T930" in result.stdout and result.exit_code == 0


def test_stdin_filename_picks_the_reader_and_media_folder(tmp_path):
    (tmp_path / "drafts" / "media").mkdir(parents=True)
    (tmp_path / "drafts" / "media" / "a.png").write_bytes(b"png")
    payload = json.dumps(
        {"posts": [{"text": "Get your jab", "images": [{"path": "media/a.png", "alt": "A"}]}]}
    )
    args = ["check", "-", "--stdin-filename", "drafts/post.json", "--platform", "facebook"]
    result = run(*args, "--output-format", "json", input=payload)
    [post] = json.loads(result.stdout)["posts"]
    assert post["path"] == "drafts/post.json"
    assert [f["code"] for f in post["findings"]] == ["T930"]  # the image was found
    assert post["findings"][0]["location"]["column"] == payload.index("jab") + 1
    missing = run("check", "-", "--stdin-filename", "elsewhere/post.json", input=payload)
    assert "media file 'media/a.png' not found" in missing.stdout


def test_stdin_csv_and_bad_bytes():
    result = run("check", "-", "--stdin-filename", "s.csv", input="message\nGet your jab\n")
    assert "s.csv:2:10 (row 2, column 'message'): T930" in result.stdout
    binary = run("check", "-", input=b"\x00\x01\x02binary")
    assert binary.exit_code == 1 and "binary file" in binary.stdout


def test_stdin_with_files(tmp_path):
    path = draft(tmp_path, "a.md", "TODAY")
    result = run("check", str(path), "-", input="Fine\n")
    assert "a.md" in result.stdout and "stdin.md" in result.stdout
    assert result.exit_code == 1


# --- rules, explain, init -----------------------------------------------------------------


def test_rules_and_json():
    assert "T930  test-jab-word" in run("rules").stdout
    rows = json.loads(run("rules", "--output-format", "json").stdout)
    assert {"code": "T931", "name": "test-shouting"}.items() <= rows[-1].items()


@pytest.mark.parametrize("name", ["T930", "t930", "test-jab-word"])
def test_explain_by_code_or_name(name):
    result = run("explain", name)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("T930 test-jab-word")
    assert "Bad:\n    Get your jab" in out and "Good:\n    Get your vaccination" in out
    assert "[tool.postlint.options.test-jab-word]" in out and "word = 'jab'" in out


def test_explain_unknown_rule_suggests():
    result = run("explain", "test-jab-wrd")
    assert result.exit_code == 2 and "Did you mean 'test-jab-word'?" in result.stderr


def test_init_writes_a_loadable_file_and_never_overwrites(tmp_path):
    result = run("init")
    assert result.exit_code == 0
    text = (tmp_path / "postlint.toml").read_text()
    assert "# [options.test-jab-word]" in text and '# word = "jab"' in text
    path = draft(tmp_path, "a.md", "Fine")
    assert run("check", "--config", "postlint.toml", str(path)).exit_code == 0
    (tmp_path / "postlint.toml").write_text("# mine\n")
    again = run("init")
    assert again.exit_code == 2 and "never overwrites" in again.stderr
    assert (tmp_path / "postlint.toml").read_text() == "# mine\n"
    assert run("init", "--path", "other.toml").exit_code == 0


# --- no tracebacks ------------------------------------------------------------------------


def test_unexpected_error_is_one_line_and_exit_2(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("reporter exploded")

    monkeypatch.setattr(cli, "render", broken)
    path = draft(tmp_path, "a.md", "Hello")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "internal error: RuntimeError: reporter exploded" in result.stderr
    assert "Traceback" not in result.output
    debug = run("--debug", "check", str(path))
    assert debug.exit_code == 2 and "Traceback" in debug.stderr


def test_real_entry_point_reports_errors_without_traceback(tmp_path):
    process = subprocess.run(
        [sys.executable, "-m", "postlint.cli", "check", str(tmp_path / "missing.md")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert process.returncode == 2 and "no such file or folder" in process.stderr
    assert "Traceback" not in process.stderr


def test_progress_bar_only_for_long_runs(capsys):
    short = cli._Progress(enabled=True)
    short.update(1, cli.PROGRESS_MIN_FILES)
    assert short.bar is None
    off = cli._Progress(enabled=False)
    off.update(1, 500)
    assert off.bar is None
    progress = cli._Progress(enabled=True)
    for done in range(1, 31):
        progress.update(done, 30)
    assert progress.bar is not None and progress.done == 30
    progress.close()
    assert "Linting" in capsys.readouterr().err
