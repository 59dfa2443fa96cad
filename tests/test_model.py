"""The post model: source maps, locations and the small helpers every check leans on."""

from __future__ import annotations

from postlint.model import (
    Location,
    Post,
    Segment,
    SourceMap,
    normalise_platform,
)
from postlint.readers.textmap import Char, LineIndex, build_map, map_lines


def test_for_text_maps_lines_columns_and_offsets():
    source_map = SourceMap.for_text("a.md", "one\ntwo", line=4, column=1, source_offset=20)
    assert source_map.position(0) == (4, 1)
    assert source_map.position(5) == (5, 2)
    assert source_map.source_offset(5) == 25
    assert source_map.escape is None


def test_segments_are_sorted_and_unknown_offsets_are_none():
    source_map = SourceMap("a.json", [Segment(3, 1, 20, -1), Segment(0, 1, 10, 9)])
    assert source_map.position(1) == (1, 11)
    assert source_map.source_offset(1) == 10
    assert source_map.position(4) == (1, 21)
    assert source_map.source_offset(4) is None


def test_negative_offsets_clamp_to_the_start():
    source_map = SourceMap.for_text("a.md", "abc")
    assert source_map.position(-5) == (1, 1)


def test_location_carries_row_field_and_end():
    source_map = SourceMap("s.csv", [Segment(0, 3, 5, 40)], row=3, field="Message", escape="csv")
    location = source_map.location(2, 4)
    assert location == Location("s.csv", 3, 7, 3, 9, row=3, field="Message")
    assert source_map.escape == "csv"


def test_build_map_merges_plain_runs_and_splits_at_escapes():
    source = '{"text": "a\\nbc"}'
    lines = LineIndex(source)
    chars = [Char(10), Char(11, 2), Char(13), Char(14)]  # a, \n, b, c
    source_map = build_map("x.json", chars, 15, lines, escape="json")
    assert [s.text_start for s in source_map.segments] == [0, 1, 2]
    assert source_map.source_offset(2) == 13 and source_map.source_offset(4) == 15
    assert source_map.position(3) == (1, 15)


def test_build_map_for_empty_text_points_at_its_place():
    lines = LineIndex("text: ''\n")
    source_map = build_map("x.yaml", [], 7, lines)
    assert source_map.position(0) == (1, 8) and source_map.source_offset(0) == 7


def test_map_lines_drops_carriage_returns_but_keeps_offsets():
    source = "---\r\nx: 1\r\n---\r\nab\r\ncd"
    text, source_map = map_lines("a.md", source, source.index("ab"), len(source), LineIndex(source))
    assert text == "ab\ncd"
    assert source_map.position(3) == (5, 1)
    assert source_map.source_offset(3) == source.index("cd")
    assert source_map.source_offset(2) == source.index("\r\ncd")


def test_line_index():
    lines = LineIndex("ab\ncd\n")
    assert lines.position(0) == (1, 1) and lines.position(4) == (2, 2)
    assert lines.position(6) == (3, 1)
    assert lines.offset(2, 2) == 4 and lines.offset(99, 1) == 6


def _post(**fields) -> Post:
    return Post(text="Hello", path="a.md", source_map=SourceMap.for_text("a.md", "Hello"), **fields)


def test_field_location_falls_back_to_the_field_then_the_post():
    images = Location("a.md", 3, 1)
    post = _post(field_locations={"images": images, "images[0].alt": Location("a.md", 4, 5)})
    assert post.field_location("images[0].alt").line == 4
    assert post.field_location("images[1]") == images
    assert post.field_location("videos[0]") == Location("a.md", 1, 1)


def test_labels():
    assert _post().label == "a.md"
    assert _post(index=2).label == "a.md#3"
    assert _post(index=2, id="winter-1").label == "winter-1"


def test_consent():
    assert _post(consent={"photo": True}).has_consent("photo")
    assert _post(consent={"all": True}).has_consent("video")
    assert not _post(consent={"photo": False}).has_consent("photo")


def test_platform_names():
    assert normalise_platform(" Twitter ") == "x"
    assert normalise_platform("IG") == "instagram"
    assert normalise_platform("bsky") == "bluesky"
    assert normalise_platform("myspace") is None
