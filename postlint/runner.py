"""Finds the files to lint, reads them and runs the pipeline: what the CLI and API share."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from postlint import config as config_module
from postlint.config import Config
from postlint.findings import Finding, Severity
from postlint.model import Location, Post, ReadProblem
from postlint.pipeline import READ_ERROR, Pipeline, PostResult, RunResult
from postlint.readers import ReadOptions, ReadResult, decode, read_path, read_text, reader_for
from postlint.registry import Registry


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in patterns)


def discover(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """Files to lint: given files always; folders walked for included, non-excluded files.

    Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    seen: set[Path] = set()
    for root in paths:
        if root.is_file() or not root.is_dir():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not _excluded(Path(d), config.exclude))
            for filename in sorted(filenames):
                file = Path(folder) / filename
                if _excluded(Path(filename), config.exclude):
                    continue
                if not any(fnmatch.fnmatch(filename, p) for p in config.include):
                    continue
                if reader_for(filename) is None or file in seen:
                    continue
                seen.add(file)
                yield file


def read_options(config: Config, media_root: Path | None) -> ReadOptions:
    return ReadOptions(
        media_root=media_root,
        allow_media_outside=config.allow_media_outside,
        default_platforms=config.platforms,
        timezone=config.timezone,
        csv_columns=dict(config.csv_columns),
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
    results.extend(pipeline.lint_post(post) for post in read.posts)
    return results


def media_root_for(file: Path, roots: list[Path], config: Config) -> Path:
    """Media must stay inside the linted folder (or the config's folder) holding the file."""
    resolved = file.resolve()
    candidates = [r.resolve() for r in roots if r.is_dir()]
    if config.path is not None:
        candidates.append(config.path.parent.resolve())
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


def lint_paths(paths: Iterable[Path], factory: PipelineFactory | None = None) -> RunResult:
    """Lint files and folders (walked for drafts)."""
    factory = factory or PipelineFactory()
    roots = list(paths)
    run = RunResult()
    for file in discover(roots, factory.config or Config()):
        run.files += 1
        run.posts.extend(lint_file(file, factory, roots))
    return run


def lint_bytes(
    data: bytes, name: str, factory: PipelineFactory, base_dir: Path | None = None
) -> list[PostResult]:
    """Lint a draft held in memory (standard input): ``name``'s suffix picks the format."""
    base_dir = base_dir or Path.cwd()
    pipeline = factory.for_folder(base_dir)
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
