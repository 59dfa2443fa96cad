"""The Python API: lint_text, lint_post, lint_paths and a reusable, thread-safe Linter."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import postlint
from postlint.api import Linter, PostDataError, post_from_mapping, posts_from_data, rules
from postlint.check import Check, Example
from postlint.config import Config, ConfigError
from postlint.findings import Fix, Severity
from postlint.registry import Registry, load_registry


class FindsUtilise(Check):
    code = "Z301"
    name = "finds-utilise-api"
    severity = Severity.WARNING
    policy = "test: plain English"
    summary = "Finds 'utilise'."
    examples = [Example("utilise", "use")]
    options = {"words": ("utilise",)}

    def check(self, post, ctx):
        for word in self.opts["words"]:
            start = post.text.find(word)
            if start >= 0:
                yield self.finding(
                    post,
                    f"Say 'use', not {word!r}.",
                    start,
                    start + len(word),
                    fixes=[Fix(start, start + len(word), "use")],
                )


class CountsPostsInRun(Check):
    code = "Z302"
    name = "counts-posts-in-run"
    severity = Severity.INFO

    def check(self, post, ctx):
        seen = ctx.shared.setdefault("posts-in-run", [])
        seen.append(post.text)
        yield self.finding(post, f"post {len(seen)} of this run", 0, 1)


class NeedsMissingEngine(Check):
    code = "Z303"
    name = "needs-missing-engine-api"
    severity = Severity.WARNING

    def check(self, post, ctx):
        return self.tool_unavailable(post, ctx, "imaginary", "the imaginary engine is missing")


class DescribesMedia(Check):
    code = "Z304"
    name = "describes-media"
    severity = Severity.INFO

    def check(self, post, ctx):
        for number, image in enumerate(post.images):
            size = len(image.data) if image.data is not None else None
            yield self.finding(
                post,
                f"image {image.source} bytes={size} path={image.path}",
                field_name=f"images[{number}]",
            )
        for video in post.videos:
            names = [name for name, _ in video.caption_data]
            yield self.finding(post, f"video {video.source} captions={names}", field_name="videos")


def make_registry(*classes: type[Check]) -> Registry:
    base = load_registry()
    tool = {code: cls for code, cls in base.checks.items() if code.startswith("X")}
    return Registry({**tool, **{c.code: c for c in classes}}, base.analyses)


REGISTRY = make_registry(FindsUtilise, CountsPostsInRun, DescribesMedia)
DRAFT = "You can utilise NHS 111 online for urgent help in Thurrock. #NHS111"


@pytest.fixture
def linter() -> Linter:
    return Linter(Config(platforms=("x",)), registry=REGISTRY)


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_lint_text_finds_and_fixes(linter):
    result = linter.lint_text(DRAFT, select=["Z301"])
    assert codes(result) == ["Z301"]
    finding = result.findings[0]
    assert DRAFT[finding.start : finding.end] == "utilise"
    assert (finding.location.line, finding.location.column) == (1, 9)
    assert finding.fixes[0].replacement == "use"
    assert result.score == 95 and result.passed
    assert result.post.platforms == ["x"]


def test_fields_and_platforms_reach_the_post(linter):
    result = linter.lint_text(
        DRAFT,
        platforms="twitter, LinkedIn",
        id="nhs111-2026-12",
        scheduled="2026-12-03 09:30",
        account={"handle": "@MSEICB", "kind": "corporate"},
        select="Z301",
    )
    post = result.post
    assert post.platforms == ["x", "linkedin"]
    assert post.id == "nhs111-2026-12" and result.label == "nhs111-2026-12"
    assert post.scheduled.isoformat() == "2026-12-03T09:30:00+00:00"
    assert post.account.handle == "@MSEICB"
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        linter.lint_text(DRAFT, platforms=["myspace"])


def test_bad_field_values_are_findings_not_exceptions(linter):
    result = linter.lint_post({"text": DRAFT, "platforms": ["x", "frendster"]}, select="Z301,X")
    read_errors = [f for f in result.findings if f.code == "X001"]
    assert read_errors and "frendster" in read_errors[0].message
    assert read_errors[0].location.field == "platforms"
    assert not result.passed


def test_bad_shapes_raise_and_name_the_field():
    with pytest.raises(PostDataError) as missing:
        post_from_mapping({"platforms": ["x"]})
    assert missing.value.field == "text"
    with pytest.raises(PostDataError) as wrong:
        posts_from_data({"posts": [{"text": "ok"}, {"text": 3}]})
    assert wrong.value.field == "posts[1].text"
    with pytest.raises(PostDataError) as data:
        posts_from_data([{"text": "ok", "images": [{"name": "a.png", "data": "@@@", "alt": "x"}]}])
    assert data.value.field == "posts[0].images[0].data"
    with pytest.raises(PostDataError, match="limit is 2"):
        posts_from_data([{"text": "a"}] * 3, max_posts=2)
    with pytest.raises(PostDataError, match="empty"):
        posts_from_data([])


def test_media_in_memory_is_used_and_named_paths_are_never_opened(linter, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.png").write_bytes(b"never read me")
    poster = base64.b64encode(b"PNGDATA").decode()
    data = {
        "text": DRAFT,
        "images": [
            {"name": "poster.png", "data": poster, "alt": "NHS 111 poster"},
            {"name": "upload.png", "alt": "Pharmacist at the counter"},
            {"path": "secret.png", "alt": "A file on the server"},
            {"path": "https://example.org/a.png", "alt": "A URL"},
        ],
        "video": "clip.mp4",
        "captions": ["clip.en.vtt"],
    }
    uploads = {"upload.png": b"UPLOADED", "clip.mp4": b"MP4", "clip.en.vtt": b"WEBVTT\n"}
    post = post_from_mapping(data, uploads=uploads, open_files=False)
    assert [(i.source, i.data, i.path) for i in post.images] == [
        ("poster.png", b"PNGDATA", None),
        ("upload.png", b"UPLOADED", None),
        ("secret.png", None, None),
        ("https://example.org/a.png", None, None),
    ]
    assert post.videos[0].data == b"MP4"
    assert post.videos[0].caption_data == [("clip.en.vtt", b"WEBVTT\n")]
    problems = [p.message for p in post.read_problems]
    assert len(problems) == 2
    assert "'secret.png' was not uploaded" in problems[0] and "never opens a path" in problems[0]
    assert "never opens a URL" in problems[1]
    result = linter.lint_post(post)
    assert codes(result).count("X001") == 2 and not result.passed


def test_the_library_reads_media_paths_and_bytes(linter, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clinic.png").write_bytes(b"x" * 10)
    result = linter.lint_text(
        DRAFT, images=[{"path": "clinic.png", "alt": "A GP surgery waiting room"}]
    )
    describe = [f.message for f in result.findings if f.code == "Z304"]
    assert describe == [f"image clinic.png bytes=None path={tmp_path / 'clinic.png'}"]
    result = linter.lint_text(DRAFT, images=[{"data": b"123", "alt": "A chart"}])
    assert "bytes=3" in next(f.message for f in result.findings if f.code == "Z304")


def test_each_call_is_its_own_run():
    linter = Linter(Config(), registry=make_registry(CountsPostsInRun, NeedsMissingEngine))
    first = linter.lint_posts([{"text": "one"}, {"text": "two"}])
    assert [f.message for r in first for f in r.findings if f.code == "Z302"] == [
        "post 1 of this run",
        "post 2 of this run",
    ]
    assert [c for r in first for c in codes(r)].count("X003") == 1
    second = linter.lint_text("three")
    assert "post 1 of this run" in [f.message for f in second.findings]
    assert "X003" in codes(second)  # said again: this call is a new run


def test_one_linter_serves_many_threads(linter):
    drafts = [
        f"Post {n}: you can utilise the pharmacy in {town}. #PharmacyFirst"
        for n, town in enumerate(["Basildon", "Thurrock", "Southend-on-Sea", "Billericay"] * 10)
    ]
    serial = [linter.lint_text(d, select="Z301,Z302") for d in drafts]
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(lambda d: linter.lint_text(d, select="Z301,Z302"), drafts))
    for one, other in zip(serial, threaded, strict=True):
        assert [(f.code, f.start, f.message) for f in one.findings] == [
            (f.code, f.start, f.message) for f in other.findings
        ]
    assert len(linter._pipelines) == 1


def test_selection_and_unknown_rules(linter):
    assert codes(linter.lint_text(DRAFT, ignore="Z301,Z304")) == ["Z302"]
    assert codes(linter.lint_text(DRAFT, select="Z3", ignore="counts-posts-in-run")) == ["Z301"]
    with pytest.raises(ValueError, match="no rule matches 'Q999'"):
        linter.lint_text(DRAFT, select="Q999")


def test_options_come_from_the_config():
    config = {"options": {"finds-utilise-api": {"words": ["leverage"]}}, "platforms": ["x"]}
    linter = Linter(config, registry=REGISTRY)
    result = linter.lint_text("We leverage NHS 111 and utilise pharmacies.", select="Z301")
    assert [f.message for f in result.findings] == ["Say 'use', not 'leverage'."]
    with pytest.raises(ConfigError, match="unknown key 'selec'"):
        Linter({"selec": ["A"]})


def test_lint_paths_lints_files(tmp_path):
    (tmp_path / "a.md").write_text("---\nplatforms: [x]\n---\n" + DRAFT + "\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nplatforms: [x]\n---\nAll good here.\n", encoding="utf-8")
    linter = Linter(Config(), registry=REGISTRY)
    run = linter.lint_paths([tmp_path], use_cache=True, cache_dir=tmp_path / ".cache")
    assert run.files == 2
    assert [r.path for r in run.posts] == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    assert "Z301" in codes(run.posts[0]) and "Z301" not in codes(run.posts[1])
    assert (tmp_path / ".cache" / ".gitignore").exists()


def test_module_functions_use_the_nearest_config(tmp_path, monkeypatch):
    (tmp_path / "postlint.toml").write_text('platforms = ["bluesky"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = postlint.lint_text("Flu jabs in Basildon this weekend.", select="X")
    assert result.post.platforms == ["bluesky"]
    result = postlint.lint_text("Flu jabs.", select="X", config={"platforms": ["threads"]})
    assert result.post.platforms == ["threads"]
    result = postlint.lint_post({"text": "Flu jabs.", "platforms": "x"}, select="X")
    assert result.post.platforms == ["x"]


def test_rules_are_plain_data():
    listed = rules(REGISTRY)
    assert {"X001", "Z301"} <= {r["code"] for r in listed}
    z301 = next(r for r in listed if r["code"] == "Z301")
    assert z301["options"] == {"words": ["utilise"]}
    assert z301["examples"] == [{"bad": "utilise", "good": "use", "note": ""}]
    json.dumps(listed)


def test_importing_postlint_stays_cheap():
    code = (
        "import sys, postlint; "
        "print(sorted(m for m in sys.modules if m.startswith(('postlint', 'spacy', 'click'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['postlint']"
    code = "import sys, postlint; postlint.Linter; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_real_rule_through_the_api():
    """The installed hashtag rule, end to end, when it is installed."""
    registry = load_registry()
    if "A001" not in registry.checks:
        pytest.skip("A001 (hashtag-camel-case) is not installed yet")
    result = postlint.lint_text("Book your #flujab today in Basildon.", select="A001")
    assert codes(result) == ["A001"]
    fix = result.findings[0].fixes[0]
    text = "Book your #flujab today in Basildon."
    assert text[: fix.start] + fix.replacement + text[fix.end :] == (
        "Book your #FluJab today in Basildon."
    )


def test_a_broken_plugin_is_reported_in_every_run():
    base = make_registry(FindsUtilise)
    broken = Registry(base.checks, base.analyses, ("plugin 'lost' failed to load: gone",))
    linter = Linter(Config(), registry=broken)
    for _ in range(2):
        result = linter.lint_text(DRAFT)
        assert [f.message for f in result.findings if f.code == "X002"] == [
            "plugin 'lost' failed to load: gone"
        ]


def test_posts_read_as_the_json_reader_reads_them(linter):
    empty = linter.lint_post({"text": "   "}, select="X")
    assert [f.message for f in empty.findings] == ["the post is empty: give its message in 'text'"]
    both = linter.lint_post({"text": "Flu jabs", "message": "Flu"}, select="X")
    assert both.post.text == "Flu jabs"
    assert "both 'text' and 'message'" in both.findings[0].message
    picture = post_from_mapping({"images": [{"data": b"x", "alt": "A poster"}]})
    assert picture.text == "" and picture.read_problems == []
