"""Readers say plainly what is wrong with odd input (real readers, real files)."""

from __future__ import annotations

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
