"""CSV bulk schedules: headers, rows, positions inside quoted cells, hostile cells, speed."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from postlint.config import ConfigError, from_mapping
from postlint.readers import ReadOptions, read_path
from postlint.readers.csv_reader import scan, sniff_delimiter


def read(tmp_path: Path, content: str | bytes, name: str = "schedule.csv", **options):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_path(path, ReadOptions(media_root=tmp_path, **options))


HOOTSUITE = (
    "Date,Time,Message,Link,Image,Alt text,Platform,Account,ID\n"
    "03/12/2026,09:30,Flu jabs are free for over 65s.,https://www.nhs.uk/flu,,,x,@MSEICB,w1\n"
    '04/12/2026,10:00,"Pharmacy First can help with\nsore throats, earache and more.",,,,'
    '"facebook, linkedin",@MSEICB,w2\n'
)


def test_one_post_per_row_with_the_usual_headers(tmp_path):
    result = read(tmp_path, HOOTSUITE)
    assert not result.problems
    first, second = result.posts
    assert first.text == "Flu jabs are free for over 65s."
    assert first.platforms == ["x"] and first.links == ["https://www.nhs.uk/flu"]
    assert first.scheduled.isoformat() == "2026-12-03T09:30:00+00:00"
    assert first.account.handle == "@MSEICB" and first.id == "w1"
    assert second.text == "Pharmacy First can help with\nsore throats, earache and more."
    assert second.platforms == ["facebook", "linkedin"]
    assert not first.read_problems and not second.read_problems


def test_locations_carry_row_header_line_and_column(tmp_path):
    second = read(tmp_path, HOOTSUITE).posts[1]
    location = second.location(second.text.index("sore"))
    assert (location.row, location.field) == (3, "Message")
    assert (location.line, location.column) == (4, 1)  # the quoted line break moves to line 4
    start = second.location(0)
    assert (start.line, start.column) == (3, 19)  # just inside the opening quote
    assert second.field_location("platforms").field == "Platform"
    assert second.field_location("platforms").row == 3


def test_header_names_are_case_and_spacing_insensitive(tmp_path):
    content = "POSTING TIME;Post Text;Image_URL;ALT-TEXT;Social Network\n"
    content += "2026-12-03 09:30;Hello;;;LinkedIn\n"
    [post] = read(tmp_path, content).posts
    assert post.text == "Hello" and post.platforms == ["linkedin"]
    assert post.scheduled is not None


def test_configured_column_map(tmp_path):
    content = "When,Copy,Where\n2026-12-03 09:30,Hello there,x\n"
    options = {"text": "copy", "scheduled": "When", "platforms": "where"}
    [post] = read(tmp_path, content, csv_columns=options).posts
    assert post.text == "Hello there" and post.platforms == ["x"] and post.scheduled


def test_column_map_naming_a_missing_header(tmp_path):
    result = read(tmp_path, "message\nHi\n", csv_columns={"alt": "Alt words"})
    assert any("'Alt words'" in p.message for p in result.problems)


def test_csv_columns_config_is_validated():
    assert from_mapping({"csv-columns": {"text": "Copy"}}).csv_columns == {"text": "Copy"}
    with pytest.raises(ConfigError, match=r"unknown post field 'txt'.*'text'"):
        from_mapping({"csv-columns": {"txt": "Copy"}})


def test_missing_text_column_is_a_clear_file_problem(tmp_path):
    result = read(tmp_path, "date,mesage,platform\n2026-12-03,Hi,x\n")
    assert not result.posts
    [problem] = result.problems
    assert "no column holds the post text" in problem.message
    assert "mesage" in problem.message and "csv-columns" in problem.message
    assert problem.location.row == 1


def test_semicolon_and_tab_delimiters_are_sniffed(tmp_path):
    assert sniff_delimiter('a;b;"c,d"\n') == ";"
    assert sniff_delimiter("a\tb\n") == "\t"
    assert sniff_delimiter("message\n") == ","
    [post] = read(tmp_path, "message;platform\nHello, world;x\n").posts
    assert post.text == "Hello, world" and post.source_map.escape == "csv-plain:;"


def test_bom_and_crlf(tmp_path):
    content = b'\xef\xbb\xbfmessage,platform\r\n"Two\r\nlines",x\r\n'
    [post] = read(tmp_path, content).posts
    assert post.text == "Two\nlines"
    assert post.location(4).line == 3 and post.location(4).column == 1


def test_doubled_quotes_map_to_their_columns(tmp_path):
    content = 'message\n"Say ""yes"" to your jab"\n'
    [post] = read(tmp_path, content).posts
    assert post.text == 'Say "yes" to your jab'
    assert post.location(post.text.index("to")).column == content.split("\n")[1].index("to") + 1
    start = post.source_map.source_offset(post.text.index('"yes"'))
    end = post.source_map.source_offset(post.text.index(" to"))
    assert post.source_text[start:end] == '""yes""'


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    content = "\nmessage,platform\n,\nFirst,x\n\nSecond,x\n"
    posts = read(tmp_path, content).posts
    assert [p.text for p in posts] == ["First", "Second"]
    assert [p.location(0).row for p in posts] == [4, 6]
    assert posts[0].label.endswith("schedule.csv#4")


def test_ragged_rows_warn(tmp_path):
    content = "message,platform,id\nShort row\nLong row,x,3,extra\nTrailing empty,x,4,\n"
    short, long, trailing = read(tmp_path, content).posts
    assert any("missing cells" in p.message for p in short.read_problems)
    assert short.platforms == []  # no default platforms given
    assert any("extra cells are ignored" in p.message for p in long.read_problems)
    assert not trailing.read_problems


def test_empty_message_cell_is_an_empty_post(tmp_path):
    [post] = read(tmp_path, "message,platform\n,x\n").posts
    assert any("post is empty" in p.message for p in post.read_problems)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_cells_warn_and_are_never_evaluated(tmp_path, start):
    content = f'message,link\n"{start}HYPERLINK(""http://evil"")",x\n'
    [post] = read(tmp_path, content).posts
    [problem] = [p for p in post.read_problems if "formula" in p.message]
    assert problem.severity == "warning"
    assert problem.location.field == "message" and problem.location.row == 2
    assert post.text.startswith(start)


@pytest.mark.parametrize("cell", ["-12", "@MSEICB", "+44 1268 123456", "- Book now", "-"])
def test_handles_numbers_and_list_items_are_not_formulas(tmp_path, cell):
    [post] = read(tmp_path, f'message,id\n"{cell} is fine",{cell}\n').posts
    assert not post.read_problems


def test_tab_and_equals_cells_always_warn(tmp_path):
    for post in read(tmp_path, 'message,id\n"=1+1",x\n"\tHi",y\n').posts:
        assert any("formula" in p.message for p in post.read_problems)


def test_unknown_columns_become_metadata_and_metadata_cell_is_yaml(tmp_path):
    content = 'message,Campaign,metadata\nHi,Winter,"{expect: [X001]}"\n'
    [post] = read(tmp_path, content).posts
    assert post.metadata == {"expect": ["X001"], "Campaign": "Winter"}


def test_bad_metadata_cell_warns(tmp_path):
    [post] = read(tmp_path, 'message,metadata\nHi,"[1, 2]"\n').posts
    assert any("metadata cell must be a mapping" in p.message for p in post.read_problems)


def test_image_url_is_a_warning_and_alt_text_is_kept(tmp_path):
    content = "message,image_url,alt_text\nHi,https://cdn.example/a.png,A nurse smiling\n"
    [post] = read(tmp_path, content).posts
    assert post.images[0].alt == "A nurse smiling" and post.images[0].path is None
    [problem] = post.read_problems
    assert problem.severity == "warning" and "web address" in problem.message
    assert problem.location.field == "image_url"


def test_local_image_resolves_from_the_csv_folder(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"x")
    [post] = read(tmp_path, "message,image,alt\nHi,img/a.png,Alt\n").posts
    assert post.images[0].path == tmp_path / "img" / "a.png"


def test_unclosed_quote_and_stray_quote(tmp_path):
    posts = read(tmp_path, 'message\nbad"quote\n"never closed\nmore\n').posts
    assert any("stray double quote" in p.message for p in posts[0].read_problems)
    assert any("never closed" in p.message for p in posts[1].read_problems)


def test_empty_file(tmp_path):
    result = read(tmp_path, "\n\n")
    assert not result.posts and "empty" in result.problems[0].message


def test_scanner_agrees_with_the_csv_module():
    rows = [
        ["plain", "with,comma", 'with "quotes"', "multi\nline", "", "é😀"],
        ["a", "", "b", "", "c", ""],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    scanned = [[cell[0] for cell in cells] for cells, _ in scan(out.getvalue(), ",")]
    assert scanned == rows


def test_100000_rows_are_quick(tmp_path):
    lines = ["date,time,message,link,platform,account,id"]
    for number in range(100_000):
        lines.append(
            f'2026-12-{number % 28 + 1:02d},09:30,"Book your flu jab, row {number}. '
            f'Call NHS 111 for help.",https://www.nhs.uk/flu,"x, facebook",@MSEICB,p{number}'
        )
    content = "\n".join(lines) + "\n"
    started = time.perf_counter()
    result = read(tmp_path, content, max_posts=100_000)
    seconds = time.perf_counter() - started
    assert len(result.posts) == 100_000
    assert result.posts[-1].location(0).row == 100_001
    # About 3 s on one free core; the bound only catches quadratic slips on a busy machine.
    assert seconds < 60, f"{seconds:.1f}s"
