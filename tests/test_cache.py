"""The results cache: unchanged drafts are not linted again; anything that could change a
result (content, config, rules, media, the clock) makes them lint again."""

from __future__ import annotations

import os
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postlint import cache as cache_module
from postlint.check import Check, Example
from postlint.config import Config
from postlint.findings import Fix, Severity
from postlint.model import Embargo, Post, SourceMap
from postlint.registry import Registry, load_registry
from postlint.reporters.json_report import to_dict
from postlint.runner import PipelineFactory, lint_paths

linted: list[str] = []


class FindsUtilise(Check):
    code = "Z101"
    name = "finds-utilise"
    severity = Severity.WARNING
    policy = "test: plain English"
    summary = "Finds 'utilise'."
    examples = [Example("utilise", "use")]

    def check(self, post, ctx):
        linted.append(post.label)
        start = post.text.find("utilise")
        if start >= 0:
            yield self.finding(
                post,
                "Say 'use', not 'utilise'.",
                start,
                start + 7,
                fixes=[Fix(start, start + 7, "use", "replace with 'use'")],
            )


class NeedsMissingEngine(Check):
    code = "Z102"
    name = "needs-missing-engine"
    severity = Severity.WARNING

    def check(self, post, ctx):
        return self.tool_unavailable(post, ctx, "imaginary", "the imaginary engine is missing")


def make_registry(*classes: type[Check]) -> Registry:
    base = load_registry()
    tool = {code: cls for code, cls in base.checks.items() if code.startswith("X")}
    return Registry({**tool, **{c.code: c for c in classes}}, base.analyses)


REGISTRY = make_registry(FindsUtilise)

DRAFT = """---
platforms: [x, facebook]
images:
  - path: clinic.png
    alt: A pharmacist talking to a patient at the counter of a Basildon pharmacy.
---
Pharmacy First: you can utilise your local pharmacy for seven common conditions, including
sore throats and earache. No GP appointment needed. #PharmacyFirst
"""
CLEAN = """---
platforms: [x]
---
Flu jabs are free for everyone aged 65 and over. Book yours at your GP practice or a
pharmacy in Southend-on-Sea, Thurrock or Basildon. #FluJab
"""


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "pharmacy.md").write_text(DRAFT, encoding="utf-8")
    (folder / "flu.md").write_text(CLEAN, encoding="utf-8")
    (folder / "clinic.png").write_bytes(b"\x89PNG not really")
    linted.clear()
    return folder


def run(folder: Path, cache_dir: Path, registry: Registry = REGISTRY, **config):
    factory = PipelineFactory(Config(**config), registry=registry)
    return lint_paths([folder], factory, use_cache=True, cache_dir=cache_dir)


def report(result) -> dict:
    return to_dict(result)


def test_unchanged_files_are_not_linted_again(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    first = run(drafts, cache_dir)
    assert sorted(linted) == sorted(str(p) for p in drafts.glob("*.md"))
    linted.clear()
    second = run(drafts, cache_dir)
    assert linted == []
    assert report(second) == report(first)
    codes = [f.code for f in second.findings]
    assert codes == ["Z101"]
    fix = second.findings[0].fixes[0]
    assert (fix.replacement, fix.safe) == ("use", True)


def test_cached_results_read_the_post_again_only_when_asked(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    (drafts / "flu.md").write_text(CLEAN.replace("---\n", "---\nid: flu-65\n", 1), "utf-8")
    first = run(drafts, cache_dir)
    second = run(drafts, cache_dir)
    assert to_dict(second) == to_dict(first)  # the JSON report names posts by id...
    flu = next(r for r in second.posts if r.path.endswith("flu.md"))
    assert flu.post.id == "flu-65" and flu.label == "flu-65"
    assert flu.post._real is None  # ...without reading the draft again
    result = next(r for r in second.posts if r.path.endswith("pharmacy.md"))
    post = result.post
    assert post.platforms == ["x", "facebook"]
    assert "utilise" in post.source_text and "utilise" in post.text


def test_changed_content_is_linted_again(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    run(drafts, cache_dir)
    linted.clear()
    target = drafts / "pharmacy.md"
    target.write_text(DRAFT.replace("utilise", "use"), encoding="utf-8")
    result = run(drafts, cache_dir)
    assert linted == [str(target)]
    assert result.findings == []


def test_changed_config_is_linted_again(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    run(drafts, cache_dir)
    linted.clear()
    run(drafts, cache_dir, fail_under=90)
    assert len(linted) == 2


def test_changed_or_added_media_is_linted_again(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    run(drafts, cache_dir)
    linted.clear()
    image = drafts / "clinic.png"
    image.write_bytes(b"\x89PNG a different picture")
    os.utime(image, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    run(drafts, cache_dir)
    assert linted == [str(drafts / "pharmacy.md")]
    # A missing file is a dependency too: adding it must re-lint the draft.
    image.unlink()
    linted.clear()
    missing = run(drafts, cache_dir)
    assert linted == [str(drafts / "pharmacy.md")]
    assert "X001" in [f.code for f in missing.findings]
    linted.clear()
    run(drafts, cache_dir)
    assert linted == []
    image.write_bytes(b"\x89PNG back again")
    linted.clear()
    run(drafts, cache_dir)
    assert linted == [str(drafts / "pharmacy.md")]


def test_entries_hold_no_post_text_and_the_folder_is_ignored(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    run(drafts, cache_dir)
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    entries = [p for p in cache_dir.rglob("*") if p.is_file() and p.parent != cache_dir]
    assert len(entries) == 2
    for entry in entries:
        raw = entry.read_bytes()
        plain = zlib.decompress(raw).decode()
        assert b"Pharmacy" not in raw and b"Southend" not in raw  # compressed
        assert "seven common conditions" not in plain  # and findings only
        assert "Southend-on-Sea" not in plain
        assert str(drafts / "flu.md") not in entry.name  # slots are hashes


def test_no_cache_means_no_folder(drafts, tmp_path):
    factory = PipelineFactory(Config(), registry=REGISTRY)
    lint_paths([drafts], factory, use_cache=False, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_results_with_a_missing_engine_are_not_stored(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    registry = make_registry(FindsUtilise, NeedsMissingEngine)
    first = run(drafts, cache_dir, registry)
    assert [f.code for f in first.findings].count("X003") == 1
    linted.clear()
    run(drafts, cache_dir, registry)
    assert len(linted) == 2


def test_a_damaged_entry_is_linted_again(drafts, tmp_path):
    cache_dir = tmp_path / "cache"
    first = run(drafts, cache_dir)
    for entry in cache_dir.rglob("*"):
        if entry.is_file() and entry.parent != cache_dir:
            entry.write_bytes(b"not zlib")
    linted.clear()
    second = run(drafts, cache_dir)
    assert len(linted) == 2
    assert report(second) == report(first)


def test_dated_drafts_expire_when_a_date_passes():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    post = Post("Flu clinic today", "a.md", SourceMap("a.md"))
    assert cache_module.expiry([post], now.timestamp()) is None
    post.scheduled = now + timedelta(minutes=10)
    assert cache_module.expiry([post], now.timestamp()) == post.scheduled.timestamp()
    post.scheduled = now - timedelta(days=2)  # in the past: re-check within the hour
    assert cache_module.expiry([post], now.timestamp()) == now.timestamp() + 3600
    post.embargo = Embargo(until=now + timedelta(minutes=5))
    assert cache_module.expiry([post], now.timestamp()) == post.embargo.until.timestamp()


def test_an_expired_entry_is_linted_again(drafts, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    soon = datetime.now(UTC) + timedelta(hours=5)
    (drafts / "flu.md").write_text(
        CLEAN.replace("platforms: [x]", f"platforms: [x]\nscheduled: {soon.isoformat()}"),
        encoding="utf-8",
    )
    run(drafts, cache_dir)
    linted.clear()
    run(drafts, cache_dir)
    assert linted == []
    later = cache_module.time.time() + 2 * 3600
    monkeypatch.setattr(cache_module.time, "time", lambda: later)
    run(drafts, cache_dir)
    assert linted == [str(drafts / "flu.md")]


def test_the_default_folder_is_in_the_project_root(tmp_path, monkeypatch):
    monkeypatch.delenv("POSTLINT_CACHE_DIR", raising=False)
    project = tmp_path / "project"
    (project / "drafts").mkdir(parents=True)
    (project / "postlint.toml").write_text("fail-under = 70\n", encoding="utf-8")
    assert cache_module.default_folder(project / "drafts") == project / ".postlint_cache"
    monkeypatch.setenv("POSTLINT_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_module.default_folder(project) == tmp_path / "elsewhere"


def test_the_fingerprint_names_the_rules():
    one = cache_module.fingerprint(make_registry(FindsUtilise))
    two = cache_module.fingerprint(make_registry(FindsUtilise, NeedsMissingEngine))
    assert one != two
    assert one == cache_module.fingerprint(make_registry(FindsUtilise))
