"""YAML and JSON drafts: the three shapes, exact positions through escapes and folding,
per-post problems, and hostile input."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from postlint.readers import ReadOptions, read_path, read_text
from postlint.readers.jsonscan import JsonProblem, parse
from postlint.readers.yamlscalar import scalar_chars


def read(tmp_path: Path, content: str | bytes, name: str = "posts.json", **options):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_path(path, ReadOptions(media_root=tmp_path, **options))


def source_of(post, start: int, end: int) -> str:
    """The piece of the file that text offsets start..end came from."""
    a = post.source_map.source_offset(start)
    b = post.source_map.source_offset(end)
    return post.source_text[a:b]


def line_col(post, offset: int) -> tuple[int, int]:
    loc = post.location(offset)
    return loc.line, loc.column


# --- shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("one.json", '{"text": "Hello", "platforms": ["x"]}'),
        ("list.json", '[{"text": "Hello", "platforms": ["x"]}]'),
        ("wrapped.json", '{"posts": [{"text": "Hello", "platforms": ["x"]}]}'),
        ("one.yaml", "text: Hello\nplatforms: [x]\n"),
        ("list.yaml", "- text: Hello\n  platforms: [x]\n"),
        ("wrapped.yml", "posts:\n  - text: Hello\n    platforms: [x]\n"),
    ],
)
def test_three_shapes(tmp_path, name, content):
    result = read(tmp_path, content, name)
    assert not result.problems
    [post] = result.posts
    assert post.text == "Hello" and post.platforms == ["x"]
    assert post.source_text == content


def test_every_field(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "nurse.png").write_bytes(b"png")
    (tmp_path / "media" / "clip.mp4").write_bytes(b"mp4")
    (tmp_path / "media" / "clip.vtt").write_text("WEBVTT\n")
    data = {
        "id": "winter-1",
        "message": "Flu jabs are free for over 65s.",
        "platforms": ["facebook", "LinkedIn"],
        "account": {"handle": "@MSEICB", "kind": "corporate"},
        "scheduled": "2026-12-03 09:30",
        "images": [{"path": "media/nurse.png", "alt": "A nurse gives a flu jab."}],
        "videos": [
            {"path": "media/clip.mp4", "captions": ["media/clip.vtt"], "burned_in_captions": True}
        ],
        "links": ["https://www.nhs.uk/flu"],
        "embargo": {"until": "2026-12-01 00:01", "note": "press release"},
        "consent": {"photo": True},
        "metadata": {"campaign": "winter"},
    }
    [post] = read(tmp_path, json.dumps(data, indent=2)).posts
    assert not post.read_problems, post.read_problems
    assert post.id == "winter-1" and post.label == "winter-1"
    assert post.text == data["message"]
    assert post.platforms == ["facebook", "linkedin"]
    assert post.account.handle == "@MSEICB"
    assert post.scheduled.isoformat() == "2026-12-03T09:30:00+00:00"
    assert post.images[0].path == tmp_path / "media" / "nurse.png"
    assert post.images[0].alt == "A nurse gives a flu jab."
    assert post.videos[0].captions == [tmp_path / "media" / "clip.vtt"]
    assert post.videos[0].burned_in_captions is True
    assert post.embargo.until is not None and post.consent == {"photo": True}
    assert post.metadata == {"campaign": "winter"}
    assert post.field_location("images[0]").line == data_line(post, '"images"') + 1


def data_line(post, needle: str) -> int:
    return post.source_text[: post.source_text.index(needle)].count("\n") + 1


def test_posts_are_numbered_and_labelled(tmp_path):
    content = '[{"text": "One"}, {"text": "Two", "id": "b"}, {"text": "Three"}]'
    posts = read(tmp_path, content).posts
    assert [p.index for p in posts] == [0, 1, 2]
    assert [p.label for p in posts] == [f"{tmp_path / 'posts.json'}", "b", f"{posts[2].path}#3"]


# --- JSON positions ---------------------------------------------------------------------


def test_json_escapes_map_to_their_columns(tmp_path):
    content = '{"text": "Caf\\u00e9 now\\nopen \\ud83d\\ude00 \\"yes\\" \\\\ end"}'
    [post] = read(tmp_path, content).posts
    assert post.text == 'Café now\nopen 😀 "yes" \\ end'
    assert post.source_map.escape == "json"
    for offset, char in enumerate(post.text):
        piece = source_of(post, offset, offset + 1)
        assert json.loads(f'"{piece}"') == char, (offset, char, piece)
    assert line_col(post, 0) == (1, 11)
    assert line_col(post, post.text.index("now")) == (1, 21)  # after the 6-character \u00e9
    assert line_col(post, post.text.index("end")) == (1, len(content) - 4)


def test_json_multiline_file_positions(tmp_path):
    content = '{\n  "platforms": ["x"],\n  "text": "Line \\"two\\" here"\n}\n'
    [post] = read(tmp_path, content).posts
    assert line_col(post, post.text.index("here")) == (3, content.split("\n")[2].index("here") + 1)


def test_json_duplicate_keys_warn(tmp_path):
    [post] = read(tmp_path, '{"text": "a", "text": "b"}').posts
    assert post.text == "b"
    assert any("twice" in p.message and p.severity == "warning" for p in post.read_problems)


def test_text_and_message_both_given(tmp_path):
    [post] = read(tmp_path, '{"text": "a", "message": "b"}').posts
    assert post.text == "a"
    assert any("'text' is used" in p.message for p in post.read_problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"text": 5}', "got number"),
        ('{"text": ["a"]}', "got array"),
        ('{"text": true}', "got true/false"),
        ('{"text": "hi", "platforms": {"x": 1}}', "'platforms' must be a list"),
        ('{"text": "hi", "images": 7}', "'images' must be a list"),
        ('{"text": "hi", "account": 7}', "'account' must be a handle"),
        ('{"text": "hi", "scheduled": "next tuesday"}', "cannot read the scheduled time"),
        ('{"text": "hi", "metadata": [1]}', "'metadata' must be a mapping"),
    ],
)
def test_wrong_types_are_clear_problems(tmp_path, content, expected):
    [post] = read(tmp_path, content).posts
    assert any(expected in p.message for p in post.read_problems), post.read_problems


def test_problem_points_at_its_own_post(tmp_path):
    content = (
        '[\n  {"text": "ok", "platforms": ["x"]},\n  {"text": "bad", "platforms": ["myspace"]}\n]'
    )
    first, second = read(tmp_path, content).posts
    assert not first.read_problems
    [problem] = second.read_problems
    assert problem.location.line == 3 and "myspace" in problem.message


def test_non_mapping_entries_are_skipped_with_a_problem(tmp_path):
    result = read(tmp_path, '{"posts": [{"text": "ok"}, "oops", 3]}')
    assert len(result.posts) == 1
    assert [p.message.split(" is ")[0] for p in result.problems] == ["post 2", "post 3"]


def test_posts_must_be_a_list(tmp_path):
    result = read(tmp_path, '{"posts": {"text": "x"}}')
    assert not result.posts and "'posts' must be a list" in result.problems[0].message


def test_other_top_level_keys_warn(tmp_path):
    result = read(tmp_path, '{"posts": [{"text": "ok"}], "tool": "hootsuite"}')
    assert result.problems[0].severity == "warning" and "'tool'" in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected", "line", "column"),
    [
        ('{"text": "a",}', "trailing commas", 1, 14),
        ('{"text": "a"', "expected ',' or '}'", 1, 13),
        ("{'text': 'a'}", "double quotes", 1, 2),
        ('{"text": "a\nb"}', "line break", 1, 12),
        ('{"text": NaN}', "NaN is not allowed", 1, 10),
        ('{"text": "a"} {"text": "b"}', "one value per file", 1, 15),
        ('{"text": "unterminated', "never closed", 1, 10),
        ("", "ends where a value was expected", 1, 1),
        ('{"n": ' + "9" * 5000 + "}", "refused", 1, 7),
    ],
)
def test_broken_json_is_one_clear_problem(tmp_path, content, expected, line, column):
    result = read(tmp_path, content)
    assert not result.posts
    [problem] = result.problems
    assert expected in problem.message and problem.message.startswith("broken JSON")
    assert (problem.location.line, problem.location.column) == (line, column)


def test_json_nested_5000_deep(tmp_path):
    result = read(tmp_path, '{"text": "a", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    assert "nested more than 100 levels" in result.problems[0].message


def test_json_parser_matches_the_standard_library():
    rng = random.Random(7)
    for _ in range(300):
        value = _random_json(rng, 3)
        text = json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
        assert parse(text).to_python() == json.loads(text)


def _random_json(rng: random.Random, depth: int):
    kind = rng.randrange(7 if depth else 4)
    if kind == 0:
        return "".join(rng.choice('ab é😀"\\\n\t/') for _ in range(rng.randrange(8)))
    if kind == 1:
        return rng.choice([0, -1, 12345678901234567890, 1.5, -2e-3])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return ""
    if kind in (4, 5):
        return [_random_json(rng, depth - 1) for _ in range(rng.randrange(4))]
    return {f"k{i}": _random_json(rng, depth - 1) for i in range(rng.randrange(4))}


def test_json_parser_refuses_what_json_refuses():
    for bad in ["[1,]", "[01]", "{1: 2}", "tru", "[1 2]", '"\\x41"', "-", "1.", ".5"]:
        with pytest.raises(JsonProblem):
            parse(bad)


# --- YAML positions ---------------------------------------------------------------------


def test_yaml_plain_multiline_folds_and_maps_each_line(tmp_path):
    content = "text: Flu jabs are\n  free this winter.\n\n  Book now\nplatforms: [x]\n"
    [post] = read(tmp_path, content, "post.yaml").posts
    assert post.text == "Flu jabs are free this winter.\nBook now"
    assert line_col(post, 0) == (1, 7)
    assert line_col(post, post.text.index("free")) == (2, 3)
    assert line_col(post, post.text.index("Book")) == (4, 3)
    assert post.source_map.source_offset(post.text.index(" free")) is None  # folded break
    assert source_of(post, post.text.index("free"), post.text.index(" this")) == "free"


@pytest.mark.parametrize(
    "content",
    [
        "text: 'It''s flu\n  season'\n",
        'text: "Caf\\u00e9 \\"open\\"\\tnow\n  and \\\n  joined"\n',
        "text: |\n  Book your jab\n    indented\n\n  #FluJab\n",
        "text: |-\n  one\n  two\n\n\nplatforms: [x]\n",
        "text: >\n  folded one\n  folded two\n\n  para\n    more\n  back\n",
        "- text: >-\n    in a list\n    folded\n  platforms: [x]\n",
        "text: |\r\n  crlf one\r\n  crlf two\r\n",
        'text: "é€😀 \\U0001F600 \\x41"\n',
    ],
)
def test_yaml_scalar_styles_map_every_character(tmp_path, content):
    [post] = read(tmp_path, content, "post.yaml").posts
    data = yaml.safe_load(content)
    assert post.text == (data[0] if isinstance(data, list) else data)["text"]
    for offset, char in enumerate(post.text):
        start = post.source_map.source_offset(offset)
        if start is None:
            assert char in " \n"  # only folding makes characters without a source
            continue
        line, column = line_col(post, offset)
        lines = content.split("\n")
        assert lines[line - 1][column - 1] == content[start]
        if content[start] not in "\\'":
            assert content[start] == char, (offset, char)


def test_yaml_random_scalars_round_trip():
    """Whatever style PyYAML writes a string in, every character maps exactly."""
    rng = random.Random(3)
    alphabet = list("ab cdé€😀\n\n  '\"\\#:-\t")
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        style = rng.choice([None, "'", '"', "|", ">"])
        source = yaml.dump(
            {"text": text}, default_style=style, allow_unicode=True, width=rng.choice([10, 80])
        )
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        scalar = node.value[0][1]
        if scalar.value != text:
            continue
        mapped = scalar_chars(source, scalar)
        assert mapped is not None, (style, source)
        for char, value in zip(mapped[0], text, strict=True):
            if char.exact and char.width == 1:
                assert source[char.anchor] == value


def test_yaml_text_must_be_a_string(tmp_path):
    [post] = read(tmp_path, "text: 123\n", "post.yaml").posts
    assert any("got int" in p.message for p in post.read_problems)


def test_yaml_broken_file(tmp_path):
    result = read(tmp_path, "text: [unclosed\n", "post.yaml")
    assert not result.posts and "broken YAML" in result.problems[0].message


def test_yaml_python_tag_anywhere_is_refused(tmp_path):
    result = read(tmp_path, "- text: hi\n- text: !!python/name:os.system\n", "post.yaml")
    assert not result.posts and "tag" in result.problems[0].message


def test_yaml_scalar_file_is_not_a_post(tmp_path):
    result = read(tmp_path, "just words\n", "post.yaml")
    assert "must hold a post" in result.problems[0].message


def test_yaml_empty_file(tmp_path):
    result = read(tmp_path, "# nothing\n", "post.yaml")
    assert "empty" in result.problems[0].message


def test_yaml_dates_and_duplicate_keys(tmp_path):
    content = "- text: hi\n  scheduled: 2026-12-03 09:30:00\n  id: 7\n  id: 8\n"
    [post] = read(tmp_path, content, "post.yaml").posts
    assert post.scheduled.hour == 9 and post.id == "8"
    assert any("'id' is given twice" in p.message for p in post.read_problems)


def test_read_text_picks_the_format_by_suffix():
    [post] = read_text("api.json", '{"posts": [{"text": "via API"}]}', ReadOptions()).posts
    assert post.text == "via API"


def test_hashtag_lost_to_a_yaml_comment_is_an_error(tmp_path):
    [post] = read(tmp_path, "text: Get your jab #FluJab\n", "post.yaml").posts
    assert post.text == "Get your jab"
    [problem] = post.read_problems
    assert "'#FluJab' after a space starts a YAML comment" in problem.message
    assert (problem.location.line, problem.location.column) == (1, 20)
    [quoted] = read(tmp_path, "text: 'Get your jab #FluJab'  # a comment\n", "q.yaml").posts
    assert quoted.text.endswith("#FluJab") and not quoted.read_problems


def test_json_segments_agree_with_character_map():
    from postlint.model import Segment, SourceMap
    from postlint.readers.jsonscan import string_chars, string_segments
    from postlint.readers.textmap import LineIndex, build_map

    rng = random.Random(11)
    for _ in range(400):
        value = "".join(rng.choice('ab é😀"\\\n\t/\x01') for _ in range(rng.randrange(12)))
        source = "[1,\n " + json.dumps(value, ensure_ascii=rng.random() < 0.5) + "]"
        node = parse(source).items[1]
        lines = LineIndex(source)
        by_char = build_map("x", string_chars(source, node), node.end - 1, lines)
        points = string_segments(source, node)
        fast = SourceMap("x", [Segment(t, *lines.position(o), o) for t, o in points])
        for offset in range(len(value) + 1):
            assert fast.source_offset(offset) == by_char.source_offset(offset), (value, offset)
            assert fast.position(offset) == by_char.position(offset)
