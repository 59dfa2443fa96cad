"""Readers say plainly what is wrong with odd input (real readers, real files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from postlint.readers import ReadOptions, decode, read_path
from postlint.readers.yamlsafe import MAX_NODES, YamlProblem, load


def _problems(path: Path) -> list[str]:
    result = read_path(path, ReadOptions())
    return [p.message for p in result.problems] + [
        p.message for post in result.posts for p in post.read_problems
    ]


def test_nul_bytes_anywhere_make_a_binary_file():
    data = b"Get your #flujab at a pharmacy.\n" * 400 + b"\x00 end\n"
    text, reason = decode(data, "late.md")
    assert text is None
    assert "binary file" in reason and "byte 12800" in reason and "line 401" in reason


def test_a_big_plain_yaml_file_is_not_called_an_alias_bomb():
    text = "".join(f"- {{text: post {n}}}\n" for n in range(MAX_NODES // 2))
    with pytest.raises(YamlProblem) as problem:
        load(text)
    message = str(problem.value)
    assert "alias" not in message and "holds more than 200,000 values" in message
    assert "split" in message


def test_an_alias_bomb_is_named_as_one():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]")
    with pytest.raises(YamlProblem) as problem:
        load("\n".join(lines) + "\n")
    assert "through its aliases" in str(problem.value)


def test_a_number_of_thousands_of_digits_is_explained(tmp_path):
    draft = tmp_path / "long.yaml"
    draft.write_text("text: Hello\nid: " + "9" * 5000 + "\n")
    (message,) = _problems(draft)
    assert "thousands of digits" in message and "ValueError" not in message


def test_a_list_entry_that_is_a_list_is_an_array_not_a_array(tmp_path):
    draft = tmp_path / "posts.json"
    draft.write_text('[{"text": "Hi"}, [1, 2]]')
    assert any("post 2 is an array," in m for m in _problems(draft))


def test_a_folder_or_a_pipe_as_media_is_named_for_what_it_is(tmp_path):
    (tmp_path / "pictures").mkdir()
    lines = ["---", "images:", "  - path: pictures", "    alt: A nurse giving a flu jab"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.png")
        lines += ["  - path: pipe.png", "    alt: A nurse giving a flu jab"]
    draft = tmp_path / "post.md"
    draft.write_text("\n".join([*lines, "---", "Flu jabs this week."]) + "\n")
    messages = _problems(draft)
    assert any("'pictures' is a folder, not a file" in m for m in messages)
    if hasattr(os, "mkfifo"):
        assert any("'pipe.png' is not a regular file" in m for m in messages)
    assert not any("not found" in m for m in messages)


@pytest.mark.parametrize("wrapped", [False, True])
def test_posts_past_the_limit_are_counted_not_kept(tmp_path, wrapped):
    posts = [{"text": f"Flu clinic {n} is open."} for n in range(1500)]
    lines = ",\n".join(json.dumps(post) for post in posts)
    body = f'{{"posts": [\n{lines}\n]}}' if wrapped else f"[\n{lines}\n]"
    draft = tmp_path / "big.json"
    draft.write_text(body)
    result = read_path(draft, ReadOptions())
    assert len(result.posts) == 1000 and result.posts[-1].text == "Flu clinic 999 is open."
    (problem,) = result.problems
    assert "holds 1,500 posts" in problem.message and "first 1,000" in problem.message
    assert problem.location.line == 1002  # post 1,001, the first left out


def test_a_broken_post_past_the_limit_is_still_reported(tmp_path):
    lines = ",\n".join(json.dumps({"text": f"Post {n}"}) for n in range(1200))
    draft = tmp_path / "broken.json"
    draft.write_text(f"[\n{lines},\n{{'text': 'single quotes'}}\n]")
    (problem,) = read_path(draft, ReadOptions()).problems
    assert "broken JSON" in problem.message and problem.location.line == 1202


def test_yaml_posts_past_the_limit_are_cut_with_their_count(tmp_path):
    draft = tmp_path / "big.yaml"
    draft.write_text("".join(f"- text: Flu clinic {n} is open.\n" for n in range(1200)))
    result = read_path(draft, ReadOptions())
    assert len(result.posts) == 1000
    (problem,) = result.problems
    assert "holds 1,200 posts" in problem.message and problem.location.line == 1001


def test_a_list_entry_that_is_null_is_called_null(tmp_path):
    draft = tmp_path / "posts.json"
    draft.write_text('[{"text": "Hi"}, null, true]')
    messages = _problems(draft)
    assert any("post 2 is null," in m for m in messages)
    assert any("post 3 is true," in m for m in messages)
