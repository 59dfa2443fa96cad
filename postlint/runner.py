"""Finds the files to lint, reads them and runs the pipeline: what the CLI and API share."""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postlint import config as config_module
from postlint.config import Config
from postlint.findings import Finding, Severity
from postlint.model import Location, Post, ReadProblem
from postlint.pipeline import READ_ERROR, Pipeline, PostResult, RunResult
from postlint.readers import (
    ReadOptions,
    ReadResult,
    decode,
    read_path,
    read_text,
    reader_for,
    size_limit,
)
from postlint.registry import Registry, load_registry


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in patterns)


def discover(
    paths: Iterable[Path], config: Config | None = None, factory: PipelineFactory | None = None
) -> Iterator[Path]:
    """Files to lint: given files always; folders walked for included, non-excluded files.

    ``include`` and ``exclude`` come from ``config`` when given, else from the config that
    governs each folder walked (the nearest one above it, with command-line overrides).
    Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    seen: set[Path] = set()
    for root in paths:
        if root.is_file() or not root.is_dir():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        walk = config
        if walk is None:
            walk = factory.for_folder(root).config if factory is not None else Config()
        for folder, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not _excluded(Path(d), walk.exclude))
            for filename in sorted(filenames):
                file = Path(folder) / filename
                if _excluded(Path(filename), walk.exclude):
                    continue
                if not any(fnmatch.fnmatch(filename, p) for p in walk.include):
                    continue
                if reader_for(filename) is None or file in seen:
                    continue
                if not _regular_file_inside(file, root):
                    continue
                seen.add(file)
                yield file


def _regular_file_inside(file: Path, root: Path) -> bool:
    """A walk lints regular files only (a named pipe would block the read for ever), and
    not a symlink that leads out of the folder it was asked to lint. A dangling or looping
    link is kept: reading it reports the problem for that file."""
    try:
        info = file.stat()
    except (OSError, RuntimeError):
        return True
    if not stat.S_ISREG(info.st_mode):
        return False
    if file.is_symlink():
        try:
            Path(os.path.realpath(file)).relative_to(os.path.realpath(root))
        except (OSError, ValueError):
            return False
    return True


def read_options(config: Config, media_root: Path | None) -> ReadOptions:
    return ReadOptions(
        media_root=media_root,
        allow_media_outside=config.allow_media_outside,
        default_platforms=config.platforms,
        timezone=config.timezone,
        csv_columns=dict(config.csv_columns),
        max_posts=config.max_posts_per_file,
    )


def file_failure(pipeline: Pipeline, read: ReadResult) -> PostResult:
    """A result for a file that could not be read into posts at all."""
    findings: list[Finding] = []
    for problem in read.problems:
        finding = pipeline.tool_finding(
            None, READ_ERROR, problem.message, read.path, problem.location
        )
        finding.severity = Severity.parse(problem.severity)
        findings.append(finding)
    result = pipeline.result_for(read.path, read.path, findings)
    if any(f.severity is Severity.ERROR for f in findings):
        result.passed = False
    return result


def lint_read_result(pipeline: Pipeline, read: ReadResult) -> list[PostResult]:
    results = []
    if read.problems or not read.posts:
        if not read.problems:
            read.problems.append(ReadProblem("no posts found in the file", Location(read.path)))
        results.append(file_failure(pipeline, read))
    results.extend(pipeline.lint_posts(read.posts))
    return results


def media_root_for(file: Path, roots: list[Path], config: Config) -> Path:
    """Media must stay inside the linted folder (or the config's folder) holding the file."""
    return _media_root(file, _root_candidates(roots, config.path))


def _root_candidates(roots: Iterable[Path], config_path: Path | None) -> list[Path]:
    candidates = [r.resolve() for r in roots if r.is_dir()]
    if config_path is not None:
        candidates.append(config_path.parent.resolve())
    return candidates


def _media_root(file: Path, candidates: list[Path]) -> Path:
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it will report the problem
        return file.parent.absolute()
    inside = [c for c in candidates if resolved.is_relative_to(c)]
    return max(inside, key=lambda c: len(c.parts)) if inside else resolved.parent


class PipelineFactory:
    """One Pipeline per config file: each linted file uses its nearest config, unless an
    explicit config is given. ``configure`` applies command-line overrides to every config."""

    def __init__(
        self,
        config: Config | None = None,
        configure: Callable[[Config], Config] | None = None,
        registry: Registry | None = None,
    ):
        self.config = config
        self.configure = configure or (lambda c: c)
        self.registry = registry
        self._pipelines: dict[Path | None, Pipeline] = {}

    def for_folder(self, folder: Path) -> Pipeline:
        config = self.config or config_module.load(start=folder.resolve())
        key = config.path
        if key not in self._pipelines:
            self._pipelines[key] = Pipeline(self.configure(config), self.registry)
        return self._pipelines[key]


def lint_file(file: Path, factory: PipelineFactory, roots: list[Path]) -> list[PostResult]:
    pipeline = factory.for_folder(file.parent)
    options = read_options(pipeline.config, media_root_for(file, roots, pipeline.config))
    return lint_read_result(pipeline, read_path(file, options))


def lint_paths(
    paths: Iterable[Path],
    factory: PipelineFactory | None = None,
    *,
    use_cache: bool = False,
    jobs: int | None = 1,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Lint files and folders (walked for drafts), in a deterministic order.

    ``use_cache``: reuse the results of unchanged files (see ``postlint.cache``), stored in
    ``cache_dir`` (default: ``.postlint_cache`` in the project root). ``jobs``: worker
    processes for the files that must be linted; 1 lints here, None or 0 picks one per CPU
    when there is enough work to repay starting them. ``progress(done, total)`` is called
    as files finish (cached files count as done at once).
    """
    factory = factory or PipelineFactory()
    roots = list(paths)
    files = list(discover(roots, factory.config, factory))
    store = None
    if use_cache:
        from postlint.cache import ResultCache, default_folder

        registry = factory.registry or load_registry()
        store = ResultCache(cache_dir or default_folder(), registry)
    slots: list[list[PostResult]] = [[] for _ in files]
    pending: list[tuple[int, Path, Pipeline, ReadOptions, Any]] = []
    digests: dict[int, str] = {}
    candidates: dict[Path | None, list[Path]] = {}  # resolved once per run, not per file
    for number, file in enumerate(files):
        pipeline = factory.for_folder(file.parent)
        config_path = pipeline.config.path
        if config_path not in candidates:
            candidates[config_path] = _root_candidates(roots, config_path)
        options = read_options(pipeline.config, _media_root(file, candidates[config_path]))
        lookup = None
        if store is not None:
            if id(pipeline) not in digests:
                digests[id(pipeline)] = pipeline.config.digest()
            lookup = store.lookup(file, digests[id(pipeline)], options)
            if lookup.results is not None:
                slots[number] = lookup.results
                continue
        pending.append((number, file, pipeline, options, lookup))
    tally = _Tally(progress, len(files))
    tally.add(len(files) - len(pending))
    # Enough files for worker processes: start them now, so they load their engines while
    # the drafts are read here (reading 1,000 drafts takes 0.2 s, loading spaCy 0.8 s).
    pool = _start_workers(factory, jobs, len(pending), pending[0][1].parent) if pending else None
    work = [
        _FileWork(number, file, pipeline, read_path(file, options), lookup)
        for number, file, pipeline, options, lookup in pending
    ]
    _lint_work(work, factory, jobs, tally, pool)
    for item in work:
        slots[item.number] = item.results
        if store is not None and item.lookup is not None:
            store.store(item.lookup, item.results, item.read.posts, item.degraded)
    run = RunResult(files=len(files))
    for results in slots:
        run.posts.extend(results)
    return run


@dataclass
class _FileWork:
    """A file to lint: its read posts, and then its results."""

    number: int
    file: Path
    pipeline: Pipeline
    read: ReadResult
    lookup: Any = None  # postlint.cache.Lookup when caching
    results: list[PostResult] = field(default_factory=list)
    degraded: bool = False  # an engine was missing: do not cache


# Below this many posts, starting worker processes (each loads its own engines) costs more
# than it saves, unless the caller asked for a number of jobs.
PARALLEL_MIN_POSTS = 48
MAX_CHUNK = 128  # posts linted in one go (and spaCy parses in one nlp.pipe)
# The smallest batch sent to a worker: the last batches are this small, so that no CPU
# waits long for the others at the end.
PARALLEL_CHUNK_MIN = 16


def resolve_jobs(jobs: int | None, posts: int) -> int:
    """How many worker processes to use for ``posts`` posts."""
    if jobs is not None and jobs < 0:
        raise ValueError("jobs must be 0 (automatic) or more")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not jobs:  # automatic
        if posts < PARALLEL_MIN_POSTS:
            return 1
        jobs = cpus or 1
    return max(1, min(jobs, posts))


class _Tally:
    """Counts finished files for a progress callback."""

    def __init__(self, callback: Callable[[int, int], None] | None, total: int):
        self.callback = callback
        self.total = total
        self.done = 0

    def add(self, files: int = 1) -> None:
        self.done += files
        if self.callback is not None and files:
            self.callback(self.done, self.total)


def _lint_work(
    work: list[_FileWork],
    factory: PipelineFactory,
    jobs: int | None,
    tally: _Tally,
    pool: Any = None,
) -> None:
    total = sum(len(item.read.posts) for item in work)
    workers = resolve_jobs(jobs, total)
    if pool is None and workers > 1:
        pool = _start_workers(factory, jobs, total, None)
    if pool is None or workers == 1:  # (no posts at all: resolve_jobs says 1)
        if pool is not None:  # fewer posts than the files promised: no need for workers
            pool.shutdown(wait=False, cancel_futures=True)
        _lint_here(work, tally)
    else:
        _lint_in_processes(work, workers, pool, tally)
    for item in work:  # a file that did not become posts is a result of its own, first
        if item.read.problems or not item.read.posts:
            failed = ReadResult(item.read.path, [], list(item.read.problems))
            item.results[:0] = lint_read_result(item.pipeline, failed)


def _batches(
    work: list[_FileWork], size: int | Callable[[int], int]
) -> Iterator[list[tuple[_FileWork, int]]]:
    """Posts in order, in batches of up to ``size`` (or ``size(posts left)``) that share a
    pipeline. Batches cross file boundaries: most drafts are one-post files, and batch
    analyses (spaCy's nlp.pipe) and worker round trips pay off only over many posts."""
    left = sum(len(item.read.posts) for item in work)
    limit_for = size if callable(size) else (lambda _left: size)
    batch: list[tuple[_FileWork, int]] = []
    limit = limit_for(left)
    for item in work:
        for number in range(len(item.read.posts)):
            if batch and (len(batch) == limit or batch[0][0].pipeline is not item.pipeline):
                yield batch
                left -= len(batch)
                batch = []
                limit = limit_for(left)
            batch.append((item, number))
    if batch:
        yield batch


def _lint_here(work: list[_FileWork], tally: _Tally) -> None:
    waiting = {id(item): len(item.read.posts) for item in work}
    tally.add(sum(1 for item in work if not item.read.posts))
    for batch in _batches(work, MAX_CHUNK):
        pipeline = batch[0][0].pipeline
        results = pipeline.lint_posts([item.read.posts[number] for item, number in batch])
        for (item, _number), result in zip(batch, results, strict=True):
            item.results.append(result)
            item.degraded = item.degraded or _degraded(pipeline)
            waiting[id(item)] -= 1
            if waiting[id(item)] == 0:
                tally.add()


def _degraded(pipeline: Pipeline) -> bool:
    from postlint.cache import degraded

    return degraded(pipeline.shared)


def _fork_context() -> Any:
    """Worker processes are forked, so they inherit the factory (its configure callback and
    registry cannot be pickled) and the already-imported modules. Without fork: one process."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _start_workers(
    factory: PipelineFactory, jobs: int | None, posts: int, warm_folder: Path | None
) -> Any:
    """A pool of worker processes for ``posts`` posts, or None when one process will do.

    Given ``warm_folder``, each worker is asked at once to load the engines of that
    folder's pipeline (``Pipeline.warm_up``), while the caller goes on reading drafts."""
    workers = resolve_jobs(jobs, posts)
    context = _fork_context() if workers > 1 else None
    if context is None:
        return None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, context, _worker_start, (factory,))
    if warm_folder is not None:
        for _ in range(workers):
            pool.submit(_worker_warm_up, str(warm_folder))
    return pool


_WORKER_FACTORY: PipelineFactory | None = None


def _worker_start(factory: PipelineFactory) -> None:
    global _WORKER_FACTORY
    _WORKER_FACTORY = factory
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the parent dies (killed by a CI time-out, say), so
    no orphan goes on linting a big file for nobody. Elsewhere the pool's own pipes do it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() == 1:  # the parent died before the call: go now
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _worker_warm_up(folder: str) -> None:
    assert _WORKER_FACTORY is not None
    _WORKER_FACTORY.for_folder(Path(folder)).warm_up()


def _worker_lint(folder: str, posts: list[Post]) -> tuple[list[PostResult], bool]:
    """Lint a chunk of posts in a worker, with the worker's own pipeline for the folder."""
    assert _WORKER_FACTORY is not None
    pipeline = _WORKER_FACTORY.for_folder(Path(folder))
    results = pipeline.lint_posts(posts)
    for result in results:
        result.post = None  # the parent has the post: do not send it back
    return results, _degraded(pipeline)


def _lint_in_processes(work: list[_FileWork], workers: int, pool: Any, tally: _Tally) -> None:
    from concurrent.futures.process import BrokenProcessPool

    # Guided scheduling: big batches first (spaCy parses a batch of 128 posts 6% faster
    # than 32), then smaller ones as the posts run out, so that when one worker takes the
    # last batch the others have little left to finish: each batch is a share of what is
    # left, between PARALLEL_CHUNK_MIN and MAX_CHUNK posts.
    def size(left: int) -> int:
        return max(PARALLEL_CHUNK_MIN, min(MAX_CHUNK, left // (workers * 3)))

    batches = list(_batches(work, size))
    found: dict[tuple[int, int], PostResult] = {}
    waiting = {id(item): len(item.read.posts) for item in work}
    tally.add(sum(1 for item in work if not item.read.posts))

    def done(item: _FileWork) -> None:
        waiting[id(item)] -= 1
        if waiting[id(item)] == 0:
            tally.add()

    try:
        with pool:
            outputs = pool.map(
                _worker_lint,
                # Any folder of the batch finds the batch's config: they share a pipeline.
                [str(batch[0][0].file.parent) for batch in batches],
                [[item.read.posts[number] for item, number in batch] for batch in batches],
            )
            for batch, (outcome, degraded) in zip(batches, outputs, strict=True):
                for (item, number), result in zip(batch, outcome, strict=True):
                    result.post = item.read.posts[number]
                    found[id(item), number] = result
                    item.degraded = item.degraded or degraded
                    done(item)
    except BrokenProcessPool:
        pass  # a worker died (killed, out of memory): lint what is missing here instead
    for item in work:
        for number, post in enumerate(item.read.posts):
            result = found.get((id(item), number))
            if result is None:
                result = item.pipeline.lint_post(post)
                item.degraded = item.degraded or _degraded(item.pipeline)
                done(item)
            item.results.append(result)
    _say_once(work)


def _say_once(work: list[_FileWork]) -> None:
    """Each worker reports a missing engine (X003) or a broken plugin once: keep the first."""
    seen: set[tuple[str, str]] = set()
    for item in work:
        for number, result in enumerate(item.results):
            kept = []
            for finding in result.findings:
                once = finding.code == "X003" or (
                    finding.code == "X002" and finding.message in item.pipeline.registry.errors
                )
                key = (finding.code, finding.message)
                if once and key in seen:
                    continue
                seen.add(key)
                kept.append(finding)
            if len(kept) != len(result.findings):
                item.results[number] = item.pipeline.result_for(
                    result.label, result.path, kept, result.post, result.seconds
                )


def lint_bytes(
    data: bytes, name: str, factory: PipelineFactory, base_dir: Path | None = None
) -> list[PostResult]:
    """Lint a draft held in memory (standard input): ``name``'s suffix picks the format."""
    base_dir = base_dir or Path.cwd()
    pipeline = factory.for_folder(base_dir)
    limit = size_limit(name)
    if len(data) > limit:
        problem = ReadProblem(
            f"the draft is {len(data):,} bytes, over postlint's limit of {limit:,} for this "
            "kind of file: split it",
            Location(name),
        )
        return lint_read_result(pipeline, ReadResult(name, [], [problem]))
    text, reason = decode(data, name)
    if text is None:
        read = ReadResult(name, [], [ReadProblem(reason or "unreadable", Location(name))])
    else:
        read = read_text(name, text, read_options(pipeline.config, base_dir))
        for post in read.posts:
            post.base_dir = base_dir
    return lint_read_result(pipeline, read)


def lint_posts(posts: Iterable[Post], pipeline: Pipeline) -> RunResult:
    run = RunResult()
    for post in posts:
        run.posts.append(pipeline.lint_post(post))
    return run
