"""Parallel runs: worker processes give the same results, in the same order, as one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postlint.check import Check
from postlint.config import Config
from postlint.findings import Fix, Severity
from postlint.registry import Registry, load_registry
from postlint.reporters.json_report import to_dict
from postlint.runner import PARALLEL_MIN_POSTS, PipelineFactory, lint_paths, resolve_jobs

PARENT = os.getpid()
TOWNS = ["Basildon", "Southend-on-Sea", "Thurrock", "Chelmsford", "Brentwood", "Rochford"]


class FindsUtilise(Check):
    code = "Z201"
    name = "finds-utilise-parallel"
    severity = Severity.WARNING

    def check(self, post, ctx):
        pids = os.environ.get("POSTLINT_TEST_PIDS")
        if pids:
            with open(pids, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()}\n")
        start = post.text.find("utilise")
        if start >= 0:
            yield self.finding(
                post, "Say 'use'.", start, start + 7, fixes=[Fix(start, start + 7, "use")]
            )


class MissingEngine(Check):
    code = "Z202"
    name = "missing-engine-parallel"
    severity = Severity.WARNING

    def check(self, post, ctx):
        return self.tool_unavailable(post, ctx, "imaginary", "the imaginary engine is missing")


class DiesInWorkers(Check):
    code = "Z203"
    name = "dies-in-workers"
    severity = Severity.INFO

    def check(self, post, ctx):
        if os.getpid() != PARENT:
            os._exit(3)  # a worker killed mid-run (out of memory, say)
        return ()


def make_registry(*classes: type[Check]) -> Registry:
    base = load_registry()
    tool = {code: cls for code, cls in base.checks.items() if code.startswith("X")}
    return Registry({**tool, **{c.code: c for c in classes}}, base.analyses)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in range(PARALLEL_MIN_POSTS + 12):
        town = TOWNS[number % len(TOWNS)]
        verb = "utilise" if number % 3 == 0 else "use"
        (folder / f"post-{number:03d}.md").write_text(
            f"---\nplatforms: [x]\n---\nYou can {verb} NHS 111 online if you need help in "
            f"{town} tonight. #NHS111\n",
            encoding="utf-8",
        )
    return folder


def lint(folder: Path, registry: Registry, jobs: int | None, **kwargs):
    return lint_paths([folder], PipelineFactory(Config(), registry=registry), jobs=jobs, **kwargs)


def test_workers_give_the_same_results_in_the_same_order(corpus, tmp_path, monkeypatch):
    registry = make_registry(FindsUtilise)
    one = lint(corpus, registry, 1)
    pids = tmp_path / "pids.txt"
    monkeypatch.setenv("POSTLINT_TEST_PIDS", str(pids))
    two = lint(corpus, registry, 2)
    assert to_dict(two) == to_dict(one)
    assert [r.path for r in two.posts] == sorted(str(p) for p in corpus.glob("*.md"))
    assert all(r.post is not None and r.post.text for r in two.posts)
    # The parent lints the first batch (loading the engines the workers inherit), then two
    # workers share the rest.
    workers = set(pids.read_text().split()) - {str(PARENT)}
    assert len(workers) == 2
    assert len([f for f in two.findings if f.code == "Z201"]) == 20


def test_a_missing_engine_is_reported_once_for_the_run(corpus):
    registry = make_registry(FindsUtilise, MissingEngine)
    run = lint(corpus, registry, 2)
    assert [f.code for f in run.findings].count("X003") == 1


def test_a_dead_worker_does_not_lose_posts(corpus):
    registry = make_registry(FindsUtilise, DiesInWorkers)
    run = lint(corpus, registry, 2)
    assert len(run.posts) == PARALLEL_MIN_POSTS + 12
    assert to_dict(run) == to_dict(lint(corpus, registry, 1))


def test_parallel_results_are_cached(corpus, tmp_path):
    registry = make_registry(FindsUtilise)
    cache_dir = tmp_path / "cache"
    first = lint(corpus, registry, 2, use_cache=True, cache_dir=cache_dir)
    second = lint(corpus, registry, 2, use_cache=True, cache_dir=cache_dir)
    assert to_dict(second) == to_dict(first)
    assert sum(1 for p in cache_dir.rglob("*") if p.is_file()) == len(first.posts) + 2


def test_automatic_jobs_stay_in_one_process_for_small_runs():
    assert resolve_jobs(None, 1) == 1
    assert resolve_jobs(0, PARALLEL_MIN_POSTS - 1) == 1
    assert resolve_jobs(0, 1000) >= 1
    assert resolve_jobs(8, 3) == 3
    with pytest.raises(ValueError):
        resolve_jobs(-1, 10)


def test_the_real_rules_agree_across_processes(corpus, tmp_path):
    """With every installed rule (spaCy and all), two processes match one."""
    few = tmp_path / "few"
    few.mkdir()
    for path in sorted(corpus.glob("*.md"))[:8]:
        (few / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    config = Config(ignore=("L001", "L002", "L003"))  # LanguageTool has its own tests
    one = lint_paths([few], PipelineFactory(config), jobs=1)
    two = lint_paths([few], PipelineFactory(config), jobs=2)
    assert len(two.posts) == 8
    for a, b in zip(one.posts, two.posts, strict=True):
        a_codes = [(f.code, f.start, f.message) for f in a.findings if f.code != "X003"]
        b_codes = [(f.code, f.start, f.message) for f in b.findings if f.code != "X003"]
        assert a_codes == b_codes


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_file(corpus, tmp_path, jobs):
    registry = make_registry(FindsUtilise)
    cache_dir = tmp_path / "cache"
    (corpus / "empty.md").write_text("", encoding="utf-8")
    total = len(list(corpus.glob("*.md")))
    calls: list[tuple[int, int]] = []
    lint(
        corpus,
        registry,
        jobs,
        use_cache=True,
        cache_dir=cache_dir,
        progress=lambda *a: calls.append(a),
    )
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    calls.clear()
    lint(
        corpus,
        registry,
        jobs,
        use_cache=True,
        cache_dir=cache_dir,
        progress=lambda *a: calls.append(a),
    )
    assert calls[-1] == (total, total)
