"""Bad input never stops a run: each problem is one clear X001 finding for its file, and the
other files are still linted. Media paths resolve from the post's file and stay inside the
drafts folder unless allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postlint.config import from_mapping
from postlint.findings import Severity
from postlint.readers import ReadOptions, read_path
from postlint.runner import PipelineFactory, lint_paths

GOOD = "---\nplatforms: [x]\n---\nBook your flu jab at a local pharmacy.\n"


def run(folder: Path, **config):
    factory = PipelineFactory(from_mapping({"select": ["X001"], **config}))
    return lint_paths([folder], factory, use_cache=False, jobs=1)


def findings_by_file(result) -> dict[str, list]:
    found: dict[str, list] = {}
    for post in result.posts:
        found.setdefault(Path(post.path).name, []).extend(post.findings)
    return found


BAD_FILES = {
    "broken-front-matter.md": ("---\nplatforms: [x\n---\nHi\n", "front matter: broken YAML"),
    "unclosed.md": ("---\nplatforms: [x]\nHi\n", "never closes"),
    "broken.yaml": ("- text: [oops\n", "broken YAML"),
    "broken.json": ('{"text": "a",}', "broken JSON"),
    "invalid-utf8.md": (b"Caf\xe9 opening hours\n", "not valid UTF-8"),
    "utf16-no-bom.md": ("Flu jab clinic\n".encode("utf-16-le"), "UTF-16 without a byte-order"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    "unknown-platform.md": ("---\nplatforms: [myspace]\n---\nHi\n", "unknown platform"),
    "missing-media.md": (
        "---\nimages: [{path: nowhere.png, alt: A nurse}]\n---\nHi\n",
        "not found",
    ),
    "empty.md": ("---\nplatforms: [x]\n---\n", "the post is empty"),
    "empty.json": ("[]", "no posts found"),
    "no-text-column.csv": ("date,platform\n2026-01-01,x\n", "no column holds the post text"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drafts")
    for name, (content, _) in BAD_FILES.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    (folder / "zz-good.md").write_text(GOOD)
    (folder / "utf16-bom.md").write_bytes(GOOD.encode("utf-16"))
    return run(folder)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_one_clear_read_error(bad_run, name):
    findings = findings_by_file(bad_run)[name]
    errors = [f for f in findings if f.code == "X001" and f.severity is Severity.ERROR]
    assert errors, findings
    assert any(BAD_FILES[name][1] in f.message for f in errors), [f.message for f in errors]
    assert all("Traceback" not in f.message for f in findings)


def test_the_good_files_are_still_linted(bad_run):
    by_file = findings_by_file(bad_run)
    assert by_file["zz-good.md"] == []
    assert by_file["utf16-bom.md"] == []  # UTF-16 with a BOM is read like UTF-8
    assert not bad_run.passed


def test_oversized_markdown_is_refused(tmp_path):
    (tmp_path / "huge.md").write_text("flu " * 300_000)
    [finding] = findings_by_file(run(tmp_path))["huge.md"]
    assert "over postlint's limit" in finding.message


# --- media paths ----------------------------------------------------------------------


@pytest.fixture
def drafts(tmp_path):
    root = tmp_path / "drafts"
    (root / "media").mkdir(parents=True)
    (root / "media" / "nurse.png").write_bytes(b"png")
    (root / "posts").mkdir()
    (tmp_path / "outside.png").write_bytes(b"png")
    return root


def media_problems(path: Path, root: Path, **options) -> list[str]:
    result = read_path(path, ReadOptions(media_root=root, **options))
    [post] = result.posts
    return [p.message for p in post.read_problems]


def draft_with_image(path: Path, image: str) -> Path:
    path.write_text(f"---\nimages: [{{path: '{image}', alt: A nurse}}]\n---\nHi\n")
    return path


def test_media_resolves_relative_to_the_post_file(drafts):
    post_file = draft_with_image(drafts / "posts" / "a.md", "../media/nurse.png")
    assert media_problems(post_file, drafts) == []
    [post] = read_path(post_file, ReadOptions(media_root=drafts)).posts
    assert post.images[0].path.resolve() == (drafts / "media" / "nurse.png").resolve()


def test_media_outside_the_drafts_folder_is_refused(drafts):
    post_file = draft_with_image(drafts / "posts" / "a.md", "../../outside.png")
    [message] = media_problems(post_file, drafts)
    assert "leaves the drafts folder" in message and "allow-media-outside" in message


def test_absolute_path_outside_is_refused(drafts):
    post_file = draft_with_image(drafts / "a.md", str(drafts.parent / "outside.png"))
    assert "leaves the drafts folder" in media_problems(post_file, drafts)[0]


def test_allow_media_outside(drafts):
    post_file = draft_with_image(drafts / "posts" / "a.md", "../../outside.png")
    assert media_problems(post_file, drafts, allow_media_outside=True) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_leaving_the_folder_is_refused(drafts):
    os.symlink(drafts.parent / "outside.png", drafts / "media" / "link.png")
    post_file = draft_with_image(drafts / "a.md", "media/link.png")
    assert "leaves the drafts folder" in media_problems(post_file, drafts)[0]
    assert media_problems(post_file, drafts, allow_media_outside=True) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_inside_the_folder_is_fine(drafts):
    os.symlink(drafts / "media" / "nurse.png", drafts / "media" / "alias.png")
    post_file = draft_with_image(drafts / "a.md", "media/alias.png")
    assert media_problems(post_file, drafts) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlinked_folder_leaving_the_drafts_is_refused(drafts):
    elsewhere = drafts.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.png").write_bytes(b"png")
    os.symlink(elsewhere, drafts / "linked")
    post_file = draft_with_image(drafts / "a.md", "linked/x.png")
    assert "leaves the drafts folder" in media_problems(post_file, drafts)[0]


def test_runner_uses_the_linted_folder_as_the_drafts_folder(drafts):
    draft_with_image(drafts / "posts" / "ok.md", "../media/nurse.png")
    draft_with_image(drafts / "posts" / "out.md", "../../outside.png")
    by_file = findings_by_file(run(drafts))
    assert by_file["ok.md"] == []
    assert "leaves the drafts folder" in by_file["out.md"][0].message
    assert findings_by_file(run(drafts, **{"allow-media-outside": True}))["out.md"] == []


def test_media_url_is_a_warning(drafts):
    post_file = draft_with_image(drafts / "a.md", "https://example.org/a.png")
    [post] = read_path(post_file, ReadOptions(media_root=drafts)).posts
    [problem] = post.read_problems
    assert problem.severity == "warning" and "never fetches" in problem.message
