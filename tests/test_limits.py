"""Bulk files past max-posts-per-file are reported and cut, so a run stays bounded."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from postlint.config import Config, ConfigError, from_mapping
from postlint.readers import ReadOptions, read_path
from postlint.runner import read_options


def test_csv_stops_at_the_limit_and_counts_the_rest(tmp_path):
    path = tmp_path / "schedule.csv"
    rows = "".join(f"2026-12-01,09:30,Flu clinic {i} is open today.,x\n" for i in range(25))
    path.write_text("date,time,message,platform\n" + rows + "\n\n")
    read = read_path(path, ReadOptions(media_root=tmp_path, max_posts=10))
    assert len(read.posts) == 10
    (problem,) = read.problems
    assert "holds 25 posts" in problem.message and "first 10" in problem.message
    assert problem.location.row == 12  # the first row not linted (the header is row 1)


def test_json_list_is_cut_with_a_problem_at_the_first_post_left_out(tmp_path):
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"text": f"Post {i}", "platforms": ["x"]} for i in range(6)]))
    read = read_path(path, ReadOptions(media_root=tmp_path, max_posts=4))
    assert [p.text for p in read.posts] == ["Post 0", "Post 1", "Post 2", "Post 3"]
    assert "holds 6 posts" in read.problems[0].message


def test_limit_comes_from_config():
    config = from_mapping({"max-posts-per-file": 50})
    assert read_options(config, None).max_posts == 50
    assert read_options(replace(Config()), None).max_posts == 1000
    with pytest.raises(ConfigError, match="max-posts-per-file"):
        from_mapping({"max-posts-per-file": 0})


def test_json_and_yaml_have_a_lower_size_limit_than_csv(tmp_path):
    from postlint.readers import MAX_DATA_BYTES, MAX_STRUCTURED_BYTES, size_limit

    assert size_limit("a.json") == size_limit("a.yaml") == MAX_STRUCTURED_BYTES
    assert size_limit("a.csv") == MAX_DATA_BYTES > MAX_STRUCTURED_BYTES
    path = tmp_path / "huge.json"
    with path.open("w") as handle:
        handle.write('{"posts": [')
        handle.write(",".join(['{"text": "Flu clinic open."}'] * (MAX_STRUCTURED_BYTES // 25)))
        handle.write("]}")
    read = read_path(path, ReadOptions(media_root=tmp_path))
    assert not read.posts and "over postlint's limit" in read.problems[0].message
