"""Every output format over real runs: real readers, the real pipeline, small rules of our own.

The rules below stand in for the real checks so that these tests pin the reporters, not the
wording of other rules. Each format is exercised on a normal run, an empty run, a file that
cannot be read into posts, a CSV row and non-ASCII text, and validated against its schema
where one exists (the vendored official SARIF 2.1.0 schema, postlint's own JSON Schema).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.dom import minidom
from xml.etree import ElementTree

import jsonschema
import pytest
import regex

from postlint import runner
from postlint.check import Check, Example
from postlint.config import Config
from postlint.findings import Finding, Fix, Severity
from postlint.model import Location, Post, Segment, SourceMap
from postlint.pipeline import Pipeline, PostResult, RunResult
from postlint.registry import Registry
from postlint.reporters import FORMATS, ReportOptions, json_report, render, sarif
from postlint.reporters.text import cell_width
from postlint.tool_rules import CHECKS as TOOL_CHECKS

DATA = Path(__file__).parent / "data"


class HashtagCase(Check):
    code = "A990"
    name = "demo-hashtag-case"
    severity = Severity.WARNING
    policy = "Appendix B: CamelCase in hashtags"
    summary = "Multi-word hashtags are written in CamelCase."
    explanation = "Screen readers read #flujab as one word; #FluJab as two."
    examples = [Example(bad="Get your #flujab", good="Get your #FluJab")]
    fixable = True
    FIXED = {"flujab": "#FluJab", "nhs111": "#NHS111", "pharmacyfirst": "#PharmacyFirst"}

    def check(self, post, ctx):
        for match in regex.finditer(r"#(flujab|nhs111|pharmacyfirst)\b", post.text):
            new = self.FIXED[match.group(1)]
            yield self.finding(
                post,
                f"Write {match.group()!r} in CamelCase: {new!r}.",
                match.start(),
                match.end(),
                fixes=[Fix(match.start(), match.end(), new)],
            )


class EmojiNote(Check):
    code = "A991"
    name = "demo-emoji"
    severity = Severity.INFO
    policy = "GCS accessible social media: emoji"
    summary = "Emoji are read aloud by name."

    def check(self, post, ctx):
        for match in regex.finditer(r"\X", post.text):
            if regex.match(r"\p{Extended_Pictographic}", match.group()):
                yield self.finding(
                    post, "Screen readers read this emoji's name aloud.", match.start(), match.end()
                )


class Shouting(Check):
    code = "S990"
    name = "demo-shouting"
    severity = Severity.ERROR
    policy = "6.7.2 tone of voice"
    summary = "No words in capitals for emphasis."

    def check(self, post, ctx):
        for match in regex.finditer(r"\bURGENT\b", post.text):
            yield self.finding(
                post,
                "Do not shout: write 'Important' instead of 'URGENT'.",
                match.start(),
                match.end(),
                fixes=[Fix(match.start(), match.end(), "Important", "write 'Important'", False)],
            )


class PlatformField(Check):
    code = "P990"
    name = "demo-platform-field"
    severity = Severity.WARNING
    policy = "6.5 platforms"
    summary = "Posts for X keep to 280 characters."

    def check(self, post, ctx):
        if "x" in post.platforms and len(post.text) > 100:
            yield self.finding(
                post, "This post is for X: check it fits in 280 characters.", field_name="platforms"
            )


DEMO = (HashtagCase, EmojiNote, Shouting, PlatformField)
RULES = {c.code: c for c in (*TOOL_CHECKS, *DEMO)}
OPTIONS = ReportOptions(rules=RULES)

FLU = """---
platforms: [x, facebook]
---
Get your #flujab at Basildon pharmacy 🎉🎉 today! URGENT: call #nhs111 if you feel unwell.

👩‍⚕️ Our nurses in Southend-on-Sea can help with your #flujab too.
"""
CLEAN = """---
platforms: [facebook]
---
Pharmacy First: your local pharmacist in Thurrock can now treat seven common conditions.
"""


@pytest.fixture
def lint_files(tmp_path, monkeypatch):
    """Write drafts under a temporary folder, run there, and return the RunResult."""
    monkeypatch.chdir(tmp_path)

    def lint(files: dict[str, str | bytes]) -> RunResult:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        registry = Registry(dict(RULES), {}, ())
        factory = runner.PipelineFactory(Config(select=("ALL",)), registry=registry)
        return runner.lint_paths([Path(name) for name in files], factory)

    return lint


def csv_run() -> RunResult:
    """A bulk schedule: row 3's message cell mapped back to its line and column."""
    source = (
        "id,platforms,message\n"
        "p1,facebook,Book your GP appointment online.\n"
        'p2,x,"Get your #flujab at Basildon, URGENT"\n'
    )
    text = "Get your #flujab at Basildon, URGENT"
    cell = source.index(text)
    line_start = source.rindex("\n", 0, cell) + 1
    source_map = SourceMap(
        "schedule.csv", [Segment(0, 3, cell - line_start + 1, cell)], row=3, field="message"
    )
    post = Post(
        text=text,
        path="schedule.csv",
        source_map=source_map,
        platforms=["x"],
        id="p2",
        index=1,
        source_text=source,
    )
    registry = Registry(dict(RULES), {}, ())
    pipeline = Pipeline(Config(select=("A99", "S99")), registry)
    run = RunResult(posts=[pipeline.lint_post(post)], files=1)
    return run


def read_error_run(lint_files) -> RunResult:
    return lint_files({"corrupt.md": b"\x00\x01 not a draft \x00"})


def out(fmt: str, run: RunResult, **options) -> str:
    return render(fmt, run, ReportOptions(rules=RULES, **options))


# --- text ---------------------------------------------------------------------------------


def caret_span(report: str, source_fragment: str) -> tuple[str, int, int]:
    """The shown source line holding ``source_fragment`` and the caret line's cell range."""
    lines = report.splitlines()
    for index, line in enumerate(lines):
        if source_fragment in line and " | " in line:
            caret_line = lines[index + 1]
            first = caret_line.index("^")
            last = caret_line.rindex("^") + 1
            shown = line.split(" | ", 1)[1]
            gutter = len(line) - len(shown)
            return shown, first - gutter, last - gutter
    raise AssertionError(f"no source line with {source_fragment!r} in:\n{report}")


def test_text_points_at_path_line_column_and_underlines_the_span(lint_files):
    report = out("text", lint_files({"flu.md": FLU}))
    assert "flu.md:4:10: A990 [warning] Write '#flujab' in CamelCase: '#FluJab'." in report
    block = report[report.index("flu.md:4:10: A990") :]
    shown, first, last = caret_span(block, "Get your #flujab")
    assert shown.startswith("Get your #flujab")
    assert (first, last) == (9, 16)  # exactly under "#flujab"
    assert "= fix: replace '#flujab' with '#FluJab'" in block.split("\n\n")[0]
    assert "= policy: Appendix B: CamelCase in hashtags" in block.split("\n\n")[0]


def test_text_caret_counts_terminal_cells_after_emoji(lint_files):
    """Two party poppers (two cells each) before URGENT: the carets still sit under it."""
    report = out("text", lint_files({"flu.md": FLU}))
    block = report[report.index("flu.md:4:") + report[report.index("flu.md:4:") :].index("S990") :]
    shown, first, last = caret_span(block, "URGENT")
    start = shown.index("URGENT")
    assert first == cell_width(shown[:start]) == start + 2
    assert last - first == len("URGENT")


def test_text_caret_under_an_emoji_is_two_cells_and_zwj_sequence_is_one_glyph(lint_files):
    report = out("text", lint_files({"flu.md": FLU}))
    blocks = [b for b in report.split("\n\n") if "A991" in b]
    # 🎉 at column 39 is two cells wide; the health-worker ZWJ sequence is one two-cell glyph.
    party = next(b for b in blocks if "flu.md:4:39:" in b)
    _, first, last = caret_span(party, "Basildon")
    assert (first, last) == (38, 40)
    nurse = next(b for b in blocks if "flu.md:6:1:" in b)
    _, first, last = caret_span(nurse, "Southend")
    assert (first, last) == (0, 2)
    assert len([b for b in blocks if "flu.md:6:" in b]) == 1  # one emoji, one finding


def test_cell_width_of_wide_and_zero_width_text():
    assert cell_width("abc") == 3
    assert cell_width("🎉") == 2
    assert cell_width("👩‍⚕️") == 2
    assert cell_width("❤️") == 2  # text-default heart with the emoji selector
    assert cell_width("🇬🇧") == 2
    assert cell_width("e\u0301") == 1  # e + combining acute
    assert cell_width("中文") == 4
    assert cell_width("\u200b") == 0


def test_text_field_finding_underlines_the_field_line(lint_files):
    report = out("text", lint_files({"flu.md": FLU}))
    block = next(b for b in report.split("\n\n") if "P990" in b)
    assert block.startswith("flu.md:2:1: P990 [warning]")
    shown, first, last = caret_span(block, "platforms:")
    assert shown == "platforms: [x, facebook]"
    assert (first, last) == (0, len(shown))


def test_text_marks_unsafe_fixes_and_summarises(lint_files):
    report = out("text", lint_files({"flu.md": FLU, "clean.md": CLEAN}))
    assert "= fix: write 'Important' (unsafe: check the meaning)" in report
    assert "FAIL  " in report and "flu.md  (1 error, 4 warnings, 3 info)" in report
    assert re.search(r"pass 100/100  clean\.md  \(no findings\)", report)
    assert report.rstrip().endswith(
        "Found 8 findings (1 error, 4 warnings, 3 info) in 2 posts from 2 files: 1 pass, 1 fail."
        " 4 have a mechanical fix."
    )


def test_text_colour_only_when_asked(lint_files):
    run = lint_files({"flu.md": FLU})
    plain = out("text", run)
    coloured = out("text", run, color=True)
    assert "\033[" not in plain
    assert "\033[33mwarning\033[0m" in coloured and "\033[31merror\033[0m" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain


def test_text_quiet_shows_only_failing_posts(lint_files):
    run = lint_files({"flu.md": FLU, "note.md": "---\nplatforms: [facebook]\n---\n🎉 Hello\n"})
    quiet = out("text", run, quiet=True)
    assert "flu.md:4:10" in quiet
    assert "note.md" not in quiet.rsplit("\n", 2)[0]  # nothing about the passing post...
    assert "in 2 posts from 2 files: 1 pass, 1 fail." in quiet  # ...but it is counted
    assert "note.md:4:1: A991" in out("text", run)


def test_text_statistics_count_per_rule(lint_files):
    report = out("text", lint_files({"flu.md": FLU}), statistics=True)
    stats = report[report.index("Rule statistics") :].splitlines()
    assert re.match(r"\s+3  A990  \[\*\] demo-hashtag-case\s+warning", stats[1])
    assert re.match(r"\s+3  A991      demo-emoji\s+info", stats[2])
    assert any(re.match(r"\s+1  S990  \[\*\] demo-shouting\s+error", s) for s in stats)


def test_text_csv_row_and_column_name():
    report = out("text", csv_run())
    assert "schedule.csv:3:16 (row 3, column 'message'): A990 [warning]" in report
    block = report[report.index("schedule.csv:3:16") :]
    shown, first, last = caret_span(block, "#flujab")
    assert shown == 'p2,x,"Get your #flujab at Basildon, URGENT"'
    assert shown[first:last] == "#flujab"
    assert "FAIL" in report and "p2  (1 error, 1 warning)" in report


def test_text_read_error_has_no_source_line_and_fails(lint_files):
    report = out("text", read_error_run(lint_files))
    assert re.search(r"^corrupt\.md:1:1: X001 \[error\] binary file", report, re.M)
    assert " | " not in report
    assert "FAIL  80/100  corrupt.md  (1 error, 0 warnings)" in report


def test_text_empty_run():
    report = out("text", RunResult())
    assert report == (
        "Found 0 findings (0 errors, 0 warnings, 0 info) in 0 posts from 0 files: 0 pass, 0 fail.\n"
    )


def test_text_escapes_control_characters(lint_files):
    draft = "---\nplatforms: [facebook]\n---\nBook \x1b[2J now: #flujab\n"
    report = out("text", lint_files({"esc.md": draft}))
    assert "\x1b" not in report
    shown, first, last = caret_span(report, "now: #flujab")
    assert "\u241b" in shown  # the escape shown as a control picture, one cell
    assert shown[first:last] == "#flujab"


def test_text_long_line_shows_a_window_around_the_span(lint_files):
    words = "Flu vaccination clinics run across Mid and South Essex this autumn. " * 6
    draft = f"---\nplatforms: [facebook]\n---\n{words}Ask about your #flujab today. {words}\n"
    report = out("text", lint_files({"long.md": draft}))
    block = next(b for b in report.split("\n\n") if "A990" in b)
    shown, first, last = caret_span(block, "#flujab")
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) < 200
    assert shown[first:last] == "#flujab"


def test_text_long_span_is_cut_too():
    text = "Flu jabs in Basildon. " * 30
    path = "long.md"
    post = Post(text, path, SourceMap.for_text(path, text), source_text=text)
    finding = Finding(
        "S990", "demo-shouting", Severity.ERROR, "Too long.", post.location(100, 600), 100, 600
    )
    report = out("text", RunResult([PostResult(path, path, [finding], 80, False, post)], 1))
    shown, first, last = caret_span(report, "Flu jabs")
    assert len(shown) <= 2 * 110 + 2 and shown.startswith("…") and shown.endswith("…")
    assert first == 31 and last == len(shown)  # underlined from the span's start to the cut


def test_text_many_posts_lists_only_failures():
    results = [PostResult(f"schedule.csv#{n}", "schedule.csv", [], 100, True) for n in range(1, 61)]
    failing = Finding("S990", "demo-shouting", Severity.ERROR, "Do not shout.", Location("s.csv"))
    results[7] = PostResult("schedule.csv#8", "schedule.csv", [failing], 80, False)
    report = out("text", RunResult(results, files=1))
    assert "FAIL  80/100  schedule.csv#8" in report
    assert "schedule.csv#9 " not in report
    assert "... and 59 more posts that pass" in report


# --- json ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postlint_schema():
    schema = json.loads(json_report.schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_schema_ships_in_the_package():
    package_copy = Path(json_report.__file__).parents[1] / "data" / json_report.SCHEMA_FILE
    assert json.loads(package_copy.read_text()) == json.loads(json_report.schema_text())


def test_json_validates_for_every_kind_of_run(lint_files, postlint_schema):
    runs = {
        "mixed": lint_files({"flu.md": FLU, "clean.md": CLEAN}),
        "empty": RunResult(),
        "read error": read_error_run(lint_files),
        "csv": csv_run(),
    }
    for what, run in runs.items():
        document = json.loads(out("json", run))
        errors = [e.message for e in postlint_schema.iter_errors(document)]
        assert not errors, (what, errors)


def test_json_content(lint_files):
    document = json.loads(out("json", lint_files({"flu.md": FLU, "clean.md": CLEAN})))
    assert document["schema"] == "postlint/v1"
    assert document["summary"] == {
        "files": 2,
        "posts": 2,
        "passed": 1,
        "failed": 1,
        "findings": 8,
        "verdict": "fail",
    }
    flu = document["posts"][0]
    hashtag = next(f for f in flu["findings"] if f["code"] == "A990")
    assert hashtag["location"] == {
        "path": "flu.md",
        "line": 4,
        "column": 10,
        "end_line": 4,
        "end_column": 17,
        "row": None,
        "field": None,
    }
    assert hashtag["fixes"][0]["replacement"] == "#FluJab"
    assert hashtag["span"] == {"start": 9, "end": 16}
    field = next(f for f in flu["findings"] if f["code"] == "P990")
    assert field["span"] is None and field["location"]["line"] == 2


def test_json_keeps_non_ascii_and_survives_lone_surrogates(postlint_schema):
    post = Post("Café 🎉 \ud800 #flujab", "x.json", SourceMap("x.json"), source_text=None)
    pipeline = Pipeline(Config(select=("A99",)), Registry(dict(RULES), {}, ()))
    result = pipeline.lint_post(post)
    result.findings[0].message = "Café in Grays 🎉 \ud800"
    text = out("json", RunResult([result], files=1))
    text.encode("utf-8")  # no lone surrogate left: it would not encode
    assert "Café in Grays 🎉 \ufffd" in text  # UTF-8, not \\u escapes
    document = json.loads(text)
    assert not list(postlint_schema.iter_errors(document))


def test_json_schema_rejects_drift(lint_files, postlint_schema):
    """The schema is strict, so a reporter change that breaks v1 fails this test."""
    document = json.loads(out("json", lint_files({"flu.md": FLU})))
    broken = json.loads(json.dumps(document))
    broken["posts"][0]["findings"][0]["severity"] = "fatal"
    assert list(postlint_schema.iter_errors(broken))
    extra = json.loads(json.dumps(document))
    extra["posts"][0]["findings"][0]["new_field"] = 1
    assert list(postlint_schema.iter_errors(extra))
    missing = json.loads(json.dumps(document))
    del missing["summary"]["verdict"]
    assert list(postlint_schema.iter_errors(missing))


# --- sarif --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the official OASIS schema
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif_run(run: RunResult) -> dict:
    return json.loads(out("sarif", run))["runs"][0]


def test_sarif_validates_against_the_official_schema(lint_files, sarif_schema):
    runs = {
        "mixed": lint_files({"flu.md": FLU, "clean.md": CLEAN}),
        "empty": RunResult(),
        "read error": read_error_run(lint_files),
        "csv": csv_run(),
    }
    for what, run in runs.items():
        document = json.loads(out("sarif", run))
        errors = [f"{list(e.path)}: {e.message}" for e in sarif_schema.iter_errors(document)]
        assert not errors, (what, errors)
        assert document["version"] == "2.1.0"


def test_sarif_rules_describe_each_rule(lint_files):
    run = sarif_run(lint_files({"flu.md": FLU}))
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == set(RULES)
    hashtag = rules["A990"]
    assert hashtag["name"] == "demo-hashtag-case"
    assert hashtag["shortDescription"]["text"] == HashtagCase.summary
    assert hashtag["fullDescription"]["text"] == HashtagCase.explanation
    assert "Get your #FluJab" in hashtag["help"]["markdown"]
    assert hashtag["properties"]["policy"] == "Appendix B: CamelCase in hashtags"
    assert hashtag["properties"]["family"] == "accessibility"
    assert hashtag["defaultConfiguration"]["level"] == "warning"
    assert rules["A991"]["defaultConfiguration"]["level"] == "note"
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_results_regions_levels_and_fixes(lint_files):
    run = sarif_run(lint_files({"posts/flu.md": FLU}))
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["ruleId"]: r["level"] for r in results} == {
        "A990": "warning",
        "A991": "note",
        "S990": "error",
        "P990": "warning",
    }
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    hashtag = next(r for r in results if r["ruleId"] == "A990")
    physical = hashtag["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "posts/flu.md"
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert physical["region"] == {"startLine": 4, "startColumn": 10, "endLine": 4, "endColumn": 17}
    replacement = hashtag["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"] == physical["region"]
    assert replacement["insertedContent"] == {"text": "#FluJab"}
    shout = next(r for r in results if r["ruleId"] == "S990")
    assert "unsafe" in shout["fixes"][0]["description"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert run["artifacts"][0]["location"]["uri"] == "posts/flu.md"


def test_sarif_fix_applies_to_the_source_file(lint_files, tmp_path):
    """Applying every SARIF replacement to the file gives the fixed draft."""
    run = sarif_run(lint_files({"flu.md": FLU}))
    lines = (tmp_path / "flu.md").read_text(encoding="utf-8").split("\n")
    replacements = [
        rep
        for result in run["results"]
        for fix in result.get("fixes", [])
        if "unsafe" not in fix["description"]["text"]
        for change in fix["artifactChanges"]
        for rep in change["replacements"]
    ]
    for rep in sorted(replacements, key=lambda r: -r["deletedRegion"]["startColumn"]):
        region = rep["deletedRegion"]
        line = lines[region["startLine"] - 1]
        start, end = region["startColumn"] - 1, region["endColumn"] - 1
        lines[region["startLine"] - 1] = line[:start] + rep["insertedContent"]["text"] + line[end:]
    fixed = "\n".join(lines)
    assert "#FluJab at Basildon" in fixed and "#NHS111 if" in fixed and "#flujab" not in fixed


def test_sarif_csv_row_and_escaped_fix():
    run = sarif_run(csv_run())
    hashtag = next(r for r in run["results"] if r["ruleId"] == "A990")
    assert hashtag["properties"]["row"] == 3 and hashtag["properties"]["column"] == "message"
    assert hashtag["locations"][0]["physicalLocation"]["region"]["startColumn"] == 16
    assert "fixes" in hashtag  # "#FluJab" needs no CSV escaping and the cell is verbatim


def test_sarif_read_error_and_paths_outside_the_folder(lint_files, tmp_path, monkeypatch):
    run = read_error_run(lint_files)
    document = sarif_run(run)
    result = document["results"][0]
    assert result["ruleId"] == "X001" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    moved = sarif_run(run)["results"][0]["locations"][0]["physicalLocation"]
    assert "uriBaseId" in moved["artifactLocation"]  # a relative path stays relative
    absolute = RunResult(
        [
            PostResult(
                str(tmp_path / "my drafts" / "a.md"),
                str(tmp_path / "my drafts" / "a.md"),
                [
                    Finding(
                        "X001",
                        "read-error",
                        Severity.ERROR,
                        "cannot read the file",
                        Location(str(tmp_path / "my drafts" / "a.md")),
                    )
                ],
                80,
                False,
            )
        ],
        files=1,
    )
    location = sarif_run(absolute)["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("file:///")
    assert "my%20drafts/a.md" in location["artifactLocation"]["uri"]
    assert "uriBaseId" not in location["artifactLocation"]


def test_sarif_uris_are_encoded(lint_files):
    run = sarif_run(lint_files({"winter plans/flu #1.md": FLU}))
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "winter%20plans/flu%20%231.md"


def test_sarif_fingerprints_are_stable_and_ignore_line_moves(lint_files, tmp_path):
    first = sarif_run(lint_files({"flu.md": FLU}))
    again = sarif_run(lint_files({"flu.md": FLU}))
    moved_text = FLU.replace("---\nGet", "---\n\nA new opening line.\n\nGet")
    moved = sarif_run(lint_files({"flu.md": moved_text}))

    def prints(run):
        return [
            (r["ruleId"], r["partialFingerprints"]["postlint/v1"])
            for r in run["results"]
            if r["ruleId"] != "P990"
        ]

    assert prints(first) == prints(again)
    assert prints(first) == prints(moved)
    hashtags = [fp for code, fp in prints(first) if code == "A990"]
    assert len(hashtags) == len(set(hashtags)) == 3  # two #flujab, one #nhs111: all distinct


def test_sarif_empty_run_still_lists_rules():
    run = sarif_run(RunResult())
    assert run["results"] == [] and run["artifacts"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)


def test_sarif_module_is_the_sarif_format():
    assert FORMATS["sarif"] == sarif.__name__


# --- github -------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def annotations(report: str) -> list[tuple[str, dict[str, str], str]]:
    parsed = []
    for line in report.splitlines():
        if line.startswith("::"):
            match = COMMAND.match(line)
            assert match, line
            props = dict(part.split("=", 1) for part in match.group(2).split(","))
            parsed.append(
                (match.group(1), {k: unescape(v) for k, v in props.items()}, match.group(3))
            )
    return parsed


def test_github_annotations(lint_files):
    report = out("github", lint_files({"posts/flu.md": FLU, "clean.md": CLEAN}))
    parsed = annotations(report)
    assert len(parsed) == 8
    level, props, message = next(a for a in parsed if a[1]["title"].startswith("A990"))
    assert level == "warning"
    assert props == {
        "file": "posts/flu.md",
        "line": "4",
        "col": "10",
        "endLine": "4",
        "endColumn": "17",
        "title": "A990 demo-hashtag-case",
    }
    assert unescape(message) == (
        "Write '#flujab' in CamelCase: '#FluJab'.\nFix: replace '#flujab' with '#FluJab'\n"
        "Policy: Appendix B: CamelCase in hashtags"
    )
    assert {a[0] for a in parsed} == {"error", "warning", "notice"}
    assert next(a for a in parsed if a[1]["title"].startswith("S990"))[0] == "error"
    assert next(a for a in parsed if a[1]["title"].startswith("A991"))[0] == "notice"
    field = next(a for a in parsed if a[1]["title"].startswith("P990"))
    assert "endLine" not in field[1] and field[1]["line"] == "2"
    assert report.splitlines()[-1] == (
        "postlint: 8 findings (1 error, 4 warnings, 3 info) in 2 posts from 2 files: "
        "1 pass, 1 fail."
    )


def test_github_escapes_what_would_break_a_command():
    sneaky = "50% off,\r\n::error file=x::injected: a, b"
    finding = Finding(
        "S990",
        "demo-shouting",
        Severity.ERROR,
        sneaky,
        Location("drafts/a,b:c %.md", 2, 3, 2, 9),
        policy="6.7.2 tone, voice: 100%",
    )
    result = PostResult("drafts/a,b:c %.md", "drafts/a,b:c %.md", [finding], 80, False)
    report = out("github", RunResult([result], files=1))
    lines = report.splitlines()
    assert len(lines) == 2 and not lines[1].startswith("::")  # no injected command
    _, props, message = annotations(report)[0]
    assert props["file"] == "drafts/a,b:c %.md"
    assert "%2C" in lines[0] and "%3A" in lines[0].split("::")[1]
    assert unescape(message).startswith("50% off,\\x0d\n::error file=x::injected: a, b")
    assert unescape(message).endswith("Policy: 6.7.2 tone, voice: 100%")


def test_github_csv_read_error_empty_and_non_ascii(lint_files):
    _, csv_props, csv_message = annotations(out("github", csv_run()))[0]
    assert csv_props["file"] == "schedule.csv" and csv_props["col"] == "16"
    assert "Row 3, column 'message'" in unescape(csv_message)
    assert "Post: p2" in unescape(csv_message)
    error = annotations(out("github", read_error_run(lint_files)))
    assert error[0][0] == "error" and error[0][1]["title"] == "X001 read-error"
    assert error[0][1]["line"] == "1" and error[0][1]["file"] == "corrupt.md"
    assert out("github", RunResult()) == (
        "postlint: 0 findings (0 errors, 0 warnings, 0 info) in 0 posts from 0 files: "
        "0 pass, 0 fail.\n"
    )
    finding = Finding("A991", "demo-emoji", Severity.INFO, "Émoji 🎉 in Café", Location("é.md"))
    result = PostResult("é.md", "é.md", [finding], 99, True)
    line = out("github", RunResult([result], files=1)).splitlines()[0]
    assert line.startswith("::notice file=é.md,") and "Émoji 🎉 in Café" in line


def test_github_quiet_leaves_out_passing_posts(lint_files):
    run = lint_files({"flu.md": FLU, "note.md": "---\nplatforms: [facebook]\n---\n🎉 Hello\n"})
    assert "note.md" in out("github", run)
    assert "note.md" not in out("github", run, quiet=True)


# --- junit --------------------------------------------------------------------------------


def junit(run: RunResult) -> ElementTree.Element:
    text = out("junit", run)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    minidom.parseString(text.encode("utf-8"))  # a second, stricter parser (expat)
    return ElementTree.fromstring(text.encode("utf-8"))


def test_junit_suites_cases_and_failures(lint_files):
    root = junit(lint_files({"posts/flu.md": FLU, "clean.md": CLEAN}))
    assert root.tag == "testsuites"
    assert root.attrib | {"time": "-"} == {
        "name": "postlint",
        "tests": "2",
        "failures": "1",
        "errors": "0",
        "skipped": "0",
        "time": "-",
    }
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"posts/flu.md", "clean.md"}
    case = suites["posts/flu.md"].find("testcase")
    assert case.get("classname") == "posts/flu.md" and case.get("name") == "posts/flu.md"
    failure = case.find("failure")
    assert failure.get("type") == "S990"
    assert failure.get("message") == "score 57/100: 1 error, 4 warnings, 3 info"
    lines = failure.text.splitlines()
    assert "posts/flu.md:4:10: A990 [warning] Write '#flujab' in CamelCase: '#FluJab'." in lines
    assert "    fix: replace '#flujab' with '#FluJab'" in lines
    assert "    policy: 6.7.2 tone of voice" in lines
    passing = suites["clean.md"].find("testcase")
    assert passing.find("failure") is None and passing.find("system-out") is None


def test_junit_passing_post_with_warnings_keeps_them_in_system_out(lint_files):
    root = junit(lint_files({"note.md": "---\nplatforms: [facebook]\n---\n🎉 Hello Grays\n"}))
    case = root.find("testsuite/testcase")
    assert case.find("failure") is None
    assert "note.md:4:1: A991 [info]" in case.find("system-out").text


def test_junit_read_error_is_an_error_and_empty_run_is_valid(lint_files):
    root = junit(read_error_run(lint_files))
    assert root.get("errors") == "1" and root.get("failures") == "0"
    error = root.find("testsuite/testcase/error")
    assert error.get("type") == "X001" and error.get("message").startswith("binary file")
    empty = junit(RunResult())
    assert empty.get("tests") == "0" and list(empty) == []


def test_junit_csv_posts_are_cases_of_one_suite():
    root = junit(csv_run())
    suite = root.find("testsuite")
    assert suite.get("name") == "schedule.csv"
    case = suite.find("testcase")
    assert case.get("name") == "p2"
    assert "schedule.csv:3:16 (row 3, column 'message'): A990" in case.find("failure").text


def test_junit_is_well_formed_whatever_the_text_says():
    odd = 'Tab\there & <b>bold</b> "quoted" ]]> \x00\x01\x1b[31m \ufffe \ud800 Café 🎉 中文'
    path = "we<ird> & \x07.md"
    finding = Finding("S990", "demo-shouting", Severity.ERROR, odd, Location(path, 1, 1))
    post = Post(odd, path, SourceMap(path))
    failing = PostResult(odd, path, [finding], 80, False, post)
    unreadable = PostResult(path, path, [finding], 80, False)
    root = junit(RunResult([failing, unreadable], files=1))
    suite = root.find("testsuite")
    assert suite.get("name") == "we<ird> & \\x07.md"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")
    for element in (suite.find("testcase/failure"), suite.find("testcase/error")):
        assert '& <b>bold</b> "quoted" ]]>' in element.text
        assert "\\x00\\x01\\x1b[31m" in element.text and "Café 🎉 中文" in element.text
    assert suite.find("testcase").get("name").startswith("Tab\there & <b>")


# --- gitlab -------------------------------------------------------------------------------

# What GitLab reads from a code quality report (its documented required fields and values).
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "type": {"const": "issue"},
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "categories": {
                "type": "array",
                "items": {
                    "enum": [
                        "Bug Risk",
                        "Clarity",
                        "Compatibility",
                        "Complexity",
                        "Duplication",
                        "Performance",
                        "Security",
                        "Style",
                    ]
                },
            },
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "not": {"pattern": "^(/|\\./)"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {"type": "integer", "minimum": 1},
                            "end": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
    },
}


def gitlab(run: RunResult, **options) -> list[dict]:
    issues = json.loads(out("gitlab", run, **options))
    jsonschema.validate(issues, GITLAB_SCHEMA)
    return issues


def test_gitlab_issues(lint_files, tmp_path):
    issues = gitlab(lint_files({"posts/flu.md": FLU, "clean.md": CLEAN}))
    assert len(issues) == 8
    hashtag = next(i for i in issues if i["check_name"] == "A990")
    assert hashtag["description"] == "A990: Write '#flujab' in CamelCase: '#FluJab'."
    assert hashtag["location"] == {"path": "posts/flu.md", "lines": {"begin": 4, "end": 4}}
    assert hashtag["categories"] == ["Clarity"]
    assert "- Fix: replace '#flujab' with '#FluJab'" in hashtag["content"]["body"]
    assert "- Policy: Appendix B: CamelCase in hashtags" in hashtag["content"]["body"]
    by_code = {i["check_name"]: i["severity"] for i in issues}
    assert by_code == {"A990": "major", "A991": "info", "S990": "blocker", "P990": "major"}


def test_gitlab_severity_mapping():
    from postlint.reporters.gitlab import severity

    def sev(code, level):
        return severity(Finding(code, "x", level, "m", Location("a.md")))

    assert sev("S001", Severity.ERROR) == "blocker"
    assert sev("A001", Severity.ERROR) == "critical"
    assert sev("L001", Severity.WARNING) == "major"
    assert sev("P001", Severity.INFO) == "info"
    assert sev("X003", Severity.WARNING) == "minor"
    assert sev("X002", Severity.ERROR) == "minor"
    assert sev("X001", Severity.ERROR) == "critical"  # an unreadable draft is a real problem


def test_gitlab_fingerprints_are_unique_and_survive_edits_elsewhere(lint_files):
    first = gitlab(lint_files({"flu.md": FLU}))
    prints = [i["fingerprint"] for i in first]
    assert len(prints) == len(set(prints))
    assert prints == [i["fingerprint"] for i in gitlab(lint_files({"flu.md": FLU}))]
    moved = FLU.replace("---\nGet", "---\nFlu season is here.\n\nGet")
    again = {(i["check_name"], i["fingerprint"]) for i in gitlab(lint_files({"flu.md": moved}))}
    assert {(i["check_name"], i["fingerprint"]) for i in first} == again
    fixed = gitlab(lint_files({"flu.md": FLU.replace("URGENT: call", "Call")}))
    assert len({i["fingerprint"] for i in fixed} ^ set(prints)) == 1  # only the fixed one


def test_gitlab_csv_read_error_empty_and_non_ascii(lint_files):
    csv_issue = next(i for i in gitlab(csv_run()) if i["check_name"] == "A990")
    assert csv_issue["location"] == {"path": "schedule.csv", "lines": {"begin": 3, "end": 3}}
    assert "- Row 3, column `message`" in csv_issue["content"]["body"]
    assert "- Post: p2" in csv_issue["content"]["body"]
    error = gitlab(read_error_run(lint_files))
    assert error[0]["check_name"] == "X001" and error[0]["severity"] == "critical"
    assert error[0]["location"]["path"] == "corrupt.md"
    assert out("gitlab", RunResult()) == "[]\n"
    finding = Finding("A991", "demo-emoji", Severity.INFO, "Émoji 🎉 \ud800", Location("é.md"))
    text = out("gitlab", RunResult([PostResult("é.md", "é.md", [finding], 99, True)], files=1))
    assert "Émoji 🎉 \ufffd" in text and '"path": "é.md"' in text


def test_gitlab_quiet_leaves_out_passing_posts(lint_files):
    run = lint_files({"flu.md": FLU, "note.md": "---\nplatforms: [facebook]\n---\n🎉 Hello\n"})
    assert {i["location"]["path"] for i in gitlab(run)} == {"flu.md", "note.md"}
    assert {i["location"]["path"] for i in gitlab(run, quiet=True)} == {"flu.md"}


# --- all formats --------------------------------------------------------------------------


def test_every_format_renders_every_kind_of_run(lint_files):
    runs = [
        lint_files({"flu.md": FLU}),
        RunResult(),
        read_error_run(lint_files),
        csv_run(),
    ]
    for name in FORMATS:
        for run in runs:
            text = render(name, run, OPTIONS)
            assert text.endswith("\n")
            text.encode("utf-8")


def test_cli_prints_every_format_and_exits_1_on_a_failing_post(tmp_path, monkeypatch, sarif_schema):
    """The real command line, end to end, with the engine's own read-error rule."""
    from click.testing import CliRunner

    from postlint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "broken.md").write_text("---\nplatforms: [x\n---\nFlu jabs\n")
    (tmp_path / "posts" / "fine.md").write_text(CLEAN)
    outputs = {}
    for name in FORMATS:
        result = CliRunner().invoke(
            main,
            ["check", "--select", "X001", "--no-cache", "--output-format", name, "posts"],
        )
        assert result.exit_code == 1, (name, result.output)
        outputs[name] = result.output
    assert "posts/broken.md:3:" in outputs["text"] and "X001 [error]" in outputs["text"]
    assert json.loads(outputs["json"])["summary"]["failed"] == 1
    assert not list(sarif_schema.iter_errors(json.loads(outputs["sarif"])))
    assert outputs["github"].startswith("::error file=posts/broken.md,line=3,")
    assert ElementTree.fromstring(outputs["junit"].encode()).get("errors") == "1"
    assert json.loads(outputs["gitlab"])[0]["location"]["path"] == "posts/broken.md"
