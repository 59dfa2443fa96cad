"""The Python API: lint a draft from code. The CLI and the HTTP server are thin layers over it.

    >>> import postlint
    >>> result = postlint.lint_text("Get your #flujab at a pharmacy in Basildon.",
    ...                             platforms=["x"])
    >>> result.passed, result.score, [f.code for f in result.findings]

A ``Linter`` holds one pipeline per configuration, so engines (spaCy, the LanguageTool
connection) stay warm between calls; one Linter may be used from many threads at once.
Each call is its own *run*: a missing engine is reported (X003) in every call's results, and
nothing one call leaves in the pipeline's run state is seen by another.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from postlint import config as config_module
from postlint.config import Config
from postlint.findings import Finding, Fix, Severity
from postlint.model import Image, Location, Post, ReadProblem, SourceMap, Video, normalise_platform
from postlint.pipeline import Pipeline, PostResult, RunResult, unknown_selectors
from postlint.readers import replace_lone_surrogates
from postlint.readers.fields import FieldContext, ReadOptions, apply_fields
from postlint.registry import Registry, load_registry

__all__ = [
    "Config",
    "Finding",
    "Fix",
    "Linter",
    "PostDataError",
    "PostResult",
    "RunResult",
    "Severity",
    "lint_paths",
    "lint_post",
    "lint_text",
    "post_from_mapping",
    "posts_from_data",
    "rules",
]

DEFAULT_PATH = "<text>"
MEDIA_KEYS = ("images", "image", "alt", "videos", "video", "captions", "burned_in_captions")
ConfigLike = Config | Mapping[str, Any] | str | os.PathLike[str] | None


class PostDataError(ValueError):
    """A post given as data has the wrong shape. ``field`` names the place, as
    ``posts[1].images[0].alt``, so an HTTP client can be told exactly what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- configuration ------------------------------------------------------------------------


def resolve_config(
    config: ConfigLike = None, start: Path | None = None, registry: Registry | None = None
) -> Config:
    """A Config from a Config, a ``[tool.postlint]``-shaped mapping, or a config file's path;
    None means the nearest config file above ``start`` (the working folder), as the CLI does.
    Raises ``postlint.config.ConfigError`` for a bad file or key."""
    if isinstance(config, Config):
        return config
    if config is None:
        return config_module.load(start=start or Path.cwd())
    if isinstance(config, Mapping):
        return config_module.from_mapping(dict(config), registry=registry)
    return config_module.load(Path(config))


def _selectors(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(part.strip() for item in items for part in str(item).split(",") if part.strip())


def _platforms(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    names = _selectors(value)
    unknown = [n for n in names if normalise_platform(n) is None]
    if unknown:
        from postlint.model import PLATFORMS

        raise ValueError(f"unknown platform {unknown[0]!r}; use one of {', '.join(PLATFORMS)}")
    return list(dict.fromkeys(normalise_platform(n) or n for n in names))


# --- posts from data ----------------------------------------------------------------------


def _decode_data(value: Any, field: str) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if not isinstance(value, str):
        raise PostDataError(field, "must be base64 text (or bytes from Python)")
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value else value
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PostDataError(field, "is not valid base64") from None


def _entries(data: Mapping[str, Any], plural: str, singular: str, where: str) -> list[Any]:
    key = plural if plural in data else singular
    raw = data.get(key)
    if raw is None or raw == "":
        return []
    if isinstance(raw, str | Mapping):
        return [raw]
    if not isinstance(raw, list):
        raise PostDataError(f"{where}{key}", "must be a list")
    return raw


def _text_field(entry: Mapping[str, Any], key: str, field: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostDataError(f"{field}.{key}", f"must be a string, not {type(value).__name__}")
    return value


class _Memory:
    """Media given in memory (uploads or base64): never a path opened, never a URL fetched."""

    def __init__(self, uploads: Mapping[str, bytes], path: str, where: str):
        self.uploads = uploads
        self.path = path
        self.where = where
        self.problems: list[ReadProblem] = []
        self.used: set[str] = set()

    def problem(self, message: str, field: str) -> None:
        self.problems.append(ReadProblem(message, Location(self.path, field=field)))

    def fetch(self, entry: Mapping[str, Any], field: str, kind: str) -> tuple[str, bytes | None]:
        """The name and bytes of one media entry, or a problem saying it was not sent."""
        name = entry.get("name", entry.get("path"))
        if name is not None and not isinstance(name, str):
            raise PostDataError(f"{self.where}{field}.name", "must be a string")
        if "data" in entry and entry["data"] is not None:
            return name or f"{field}", _decode_data(entry["data"], f"{self.where}{field}.data")
        if not name:
            raise PostDataError(f"{self.where}{field}", "needs 'data' or the name of an upload")
        if name in self.uploads:
            self.used.add(name)
            return name, self.uploads[name]
        where = "a URL" if "://" in name else "a path"
        self.problem(
            f"{kind} {name[:80]!r} was not uploaded: the server never opens {where} named in "
            f"a post. Send the file in the request (a multipart part named {name[:80]!r}) or "
            "as base64 in 'data'.",
            field,
        )
        return name, None

    def images(self, data: Mapping[str, Any]) -> list[Image]:
        images = []
        for number, entry in enumerate(_entries(data, "images", "image", self.where)):
            field = f"images[{number}]"
            if isinstance(entry, str):
                entry = {"name": entry, "alt": data.get("alt") if number == 0 else None}
            if not isinstance(entry, Mapping):
                raise PostDataError(f"{self.where}{field}", "must be a name or an object")
            name, blob = self.fetch(entry, field, "image")
            images.append(
                Image(
                    path=None,
                    alt=_text_field(entry, "alt", f"{self.where}{field}"),
                    source=name,
                    data=blob,
                    decorative=bool(entry.get("decorative", False)),
                    location=Location(self.path, field=field),
                    problem=None if blob is not None else "not uploaded",
                )
            )
        return images

    def videos(self, data: Mapping[str, Any]) -> list[Video]:
        videos = []
        for number, entry in enumerate(_entries(data, "videos", "video", self.where)):
            field = f"videos[{number}]"
            if isinstance(entry, str):
                entry = {"name": entry}
                if number == 0:
                    for key in ("captions", "burned_in_captions"):
                        if key in data:
                            entry[key] = data[key]
            if not isinstance(entry, Mapping):
                raise PostDataError(f"{self.where}{field}", "must be a name or an object")
            name, blob = self.fetch(entry, field, "video")
            captions: list[tuple[str, bytes]] = []
            raw = entry.get("captions") or []
            for at, caption in enumerate([raw] if isinstance(raw, str | Mapping) else raw):
                caption_field = f"{field}.captions[{at}]"
                if isinstance(caption, str):
                    caption = {"name": caption}
                if not isinstance(caption, Mapping):
                    raise PostDataError(f"{self.where}{caption_field}", "must be a name or object")
                caption_name, caption_blob = self.fetch(caption, caption_field, "caption file")
                if caption_blob is not None:
                    captions.append((caption_name, caption_blob))
            videos.append(
                Video(
                    path=None,
                    burned_in_captions=bool(entry.get("burned_in_captions", False)),
                    source=name,
                    data=blob,
                    caption_data=captions,
                    location=Location(self.path, field=field),
                    problem=None if blob is not None else "not uploaded",
                )
            )
        return videos


def _has_inline_media(data: Mapping[str, Any]) -> bool:
    for key in ("images", "image", "videos", "video"):
        value = data.get(key)
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, Mapping) and item.get("data") is not None for item in items):
            return True
    return False


def post_from_mapping(
    data: Mapping[str, Any],
    *,
    path: str = DEFAULT_PATH,
    index: int = 0,
    options: ReadOptions | None = None,
    base_dir: Path | None = None,
    uploads: Mapping[str, bytes] | None = None,
    open_files: bool = True,
    where: str = "",
) -> Post:
    """Build a Post from a mapping of post fields (the JSON/YAML reader's shape).

    ``text`` (or ``message``) is required. Media entries may carry their bytes (``data``:
    base64 text, or bytes) or name an upload in ``uploads``. With ``open_files=False`` (the
    server) a media entry that is neither is a finding (X001), and no path is ever opened;
    otherwise paths resolve against ``base_dir``. Wrong shapes raise ``PostDataError``; wrong
    values (an unknown platform, a bad date) become X001 findings, as in a file.
    """
    if not isinstance(data, Mapping):
        raise PostDataError(where.rstrip(".") or "post", "must be an object of post fields")
    key = "text" if "text" in data else "message"
    text = data.get(key)
    has_media = any(data.get(k) for k in ("images", "image", "videos", "video"))
    if text is None and not has_media:
        raise PostDataError(f"{where}text", "is required: the message to publish")
    if text is None:
        text = ""  # a picture or a video on its own is a post
    if not isinstance(text, str):
        raise PostDataError(f"{where}{key}", f"must be a string, not {type(text).__name__}")
    options = options or ReadOptions()
    post = Post(
        text=text,
        path=path,
        source_map=SourceMap.for_text(path, text),
        index=index,
        base_dir=base_dir,
        source_text=text,
    )
    in_memory = not open_files or uploads is not None or _has_inline_media(data)
    fields = {k: v for k, v in data.items() if k not in ("text", "message")}
    if in_memory:
        fields = {k: v for k, v in fields.items() if k not in MEDIA_KEYS}
    context = FieldContext(path, base_dir, options, lambda name: Location(path, field=name))
    apply_fields(post, fields, context)
    if in_memory:
        memory = _Memory(uploads or {}, path, where)
        post.images = memory.images(data)
        post.videos = memory.videos(data)
        post.read_problems.extend(memory.problems)
    # As the JSON/YAML reader says them, so a post means the same from a file and over HTTP.
    if "text" in data and "message" in data:
        post.read_problems.append(
            ReadProblem(
                "both 'text' and 'message' are given: 'text' is used",
                Location(path, field="message"),
                severity="warning",
            )
        )
    if not text.strip() and not post.images and not post.videos:
        post.read_problems.append(
            ReadProblem(
                "the post is empty: give its message in 'text'", Location(path, field="text")
            )
        )
    # JSON can carry half of a surrogate pair (\ud800): not a character, and no check could
    # encode it. As from a file: U+FFFD in its place, and an X001 saying so.
    replace_lone_surrogates(post)
    return post


def posts_from_data(
    data: Any,
    *,
    path: str = DEFAULT_PATH,
    options: ReadOptions | None = None,
    base_dir: Path | None = None,
    uploads: Mapping[str, bytes] | None = None,
    open_files: bool = True,
    max_posts: int | None = None,
) -> list[Post]:
    """Posts from one post, a list of posts, or ``{"posts": [...]}``."""
    where = "posts"
    if isinstance(data, Mapping) and "posts" in data and "text" not in data:
        extra = sorted(set(data) - {"posts"})
        if extra:
            raise PostDataError(extra[0], "unknown key beside 'posts'")
        data = data["posts"]
        if not isinstance(data, list):
            raise PostDataError("posts", "must be a list of posts")
    items = data if isinstance(data, list) else [data]
    if isinstance(data, Mapping):
        where = ""
    if not items:
        raise PostDataError("posts", "is empty: send at least one post")
    if max_posts is not None and len(items) > max_posts:
        raise PostDataError("posts", f"has {len(items)} posts; the limit is {max_posts}")
    return [
        post_from_mapping(
            item,
            path=path,
            index=number,
            options=options,
            base_dir=base_dir,
            uploads=uploads,
            open_files=open_files,
            where=f"{where}[{number}]." if where else "",
        )
        for number, item in enumerate(items)
    ]


# --- the linter -------------------------------------------------------------------------------


class _RunScope(dict):
    """One run's view of a pipeline's shared state: engines the warm pipeline holds are seen,
    while what checks write during the run (notices, per-run state) stays in the run, so a
    call never sees another call's posts and says "engine missing" for itself."""

    PER_RUN = frozenset({"_notices", "spacy_missing"})

    def __init__(self, base: dict[str, Any]):
        super().__init__()
        self._base = base

    def __missing__(self, key: str) -> Any:
        if key not in self.PER_RUN and key in self._base:
            return self._base[key]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or (key not in self.PER_RUN and key in self._base)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        self[key] = default
        return default


class Linter:
    """Lints posts with a configuration, keeping engines warm between calls. Thread-safe.

    ``config``: a Config, a ``[tool.postlint]``-shaped mapping, a config file's path, or
    None for the nearest config file above the working folder.
    """

    def __init__(self, config: ConfigLike = None, *, registry: Registry | None = None):
        self.registry = registry or load_registry()
        self.config = resolve_config(config, registry=self.registry)
        self.explicit = config is not None  # else each file uses its nearest config
        self._pipelines: dict[tuple[str, str], Pipeline] = {}
        self._lock = threading.Lock()  # held only to create a pipeline, never to lint

    def pipeline(
        self,
        *,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
    ) -> Pipeline:
        """The warm pipeline for this config with ``select``/``ignore`` applied."""
        chosen = _selectors(select)
        skipped = _selectors(ignore)
        unknown = unknown_selectors(self.registry, [*chosen, *skipped])
        if unknown:
            raise ValueError(f"no rule matches {unknown[0]!r}; see `postlint rules`")
        config = self.config
        if chosen:
            config = replace(config, select=chosen, extend_select=())
        if skipped:
            config = replace(config, ignore=config.ignore + skipped)
        key = (config.digest(), str(config.path))
        pipeline = self._pipelines.get(key)
        if pipeline is None:
            with self._lock:
                pipeline = self._pipelines.get(key)
                if pipeline is None:
                    if len(self._pipelines) >= 32:  # many ad-hoc selections: forget the oldest
                        self._pipelines.pop(next(iter(self._pipelines)))
                    pipeline = Pipeline(config, self.registry)
                    self._pipelines[key] = pipeline
        return pipeline

    def lint_posts(
        self,
        posts: Sequence[Post | Mapping[str, Any]],
        *,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
    ) -> list[PostResult]:
        """Lint posts as one run (a missing engine is said once, in the first result)."""
        pipeline = self.pipeline(select=select, ignore=ignore)
        run = pipeline.for_run(_RunScope(pipeline.shared))
        built = [
            self._as_post(post, number, where=f"posts[{number}]." if len(posts) > 1 else "")
            for number, post in enumerate(posts)
        ]
        return run.lint_posts(built)  # batch analyses (spaCy nlp.pipe) over many posts

    def lint_post(
        self,
        post: Post | Mapping[str, Any],
        *,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
    ) -> PostResult:
        """Lint one post: a ``Post`` or a mapping of post fields (``text``, ``platforms``,
        ``images``...: the JSON reader's shape)."""
        return self.lint_posts([post], select=select, ignore=ignore)[0]

    def lint_text(
        self,
        text: str,
        *,
        platforms: str | Iterable[str] | None = None,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
        **fields: Any,
    ) -> PostResult:
        """Lint a message. ``fields`` are other post fields: ``images=[{"path": ...,
        "alt": ...}]``, ``account={"kind": "personal"}``, ``scheduled="2026-12-03 09:30"``,
        ``id=...``. ``platforms`` defaults to the config's platforms."""
        data: dict[str, Any] = {"text": text, **fields}
        chosen = _platforms(platforms)
        if chosen is not None:
            data["platforms"] = chosen
        return self.lint_post(data, select=select, ignore=ignore)

    def lint_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        use_cache: bool = False,
        jobs: int | None = 1,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> RunResult:
        """Lint files and folders as ``postlint check`` does (folders are walked).

        With the Linter's config when it was given one, else each file's nearest config.
        """
        from postlint import runner

        explicit = self.config if self.explicit else None
        factory = runner.PipelineFactory(explicit, registry=self.registry)
        return runner.lint_paths(
            [Path(p) for p in paths],
            factory,
            use_cache=use_cache,
            jobs=jobs,
            cache_dir=Path(cache_dir) if cache_dir is not None else None,
        )

    def warm_up(self) -> None:
        """Load the engines now (spaCy, the LanguageTool connection) rather than on the first
        call, by linting a short draft with every enabled check."""
        self.pipeline().warm_up()

    def rules(self) -> list[dict[str, Any]]:
        return rules(self.registry)

    def _as_post(self, post: Post | Mapping[str, Any], index: int, where: str = "") -> Post:
        if isinstance(post, Post):
            return post
        options = ReadOptions(
            default_platforms=self.config.platforms,
            timezone=self.config.timezone,
            allow_media_outside=True,
        )
        return post_from_mapping(
            post, index=index, options=options, base_dir=Path.cwd(), where=where
        )


def rules(registry: Registry | None = None) -> list[dict[str, Any]]:
    """Every installed rule, as ``postlint rules --output-format json`` lists them, with the
    explanation, examples and options that ``postlint explain`` shows."""
    registry = registry or load_registry()
    rows = []
    for code, cls in registry.checks.items():
        rows.append(
            {
                "code": code,
                "name": cls.name,
                "family": cls(options={}).family,
                "severity": str(cls.severity),
                "fixable": cls.fixable,
                "policy": cls.policy,
                "summary": cls.summary,
                "explanation": cls.explanation,
                "examples": [{"bad": e.bad, "good": e.good, "note": e.note} for e in cls.examples],
                "options": {k: _plain(v) for k, v in cls.options.items()},
            }
        )
    return rows


def _plain(value: Any) -> Any:
    """Option defaults as JSON can hold them (tuples and sets become lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --- module-level shortcuts -------------------------------------------------------------------

_linters: dict[Any, Linter] = {}
_linters_lock = threading.Lock()


def _linter(config: ConfigLike) -> Linter:
    """A shared Linter per config, so repeated calls keep engines warm."""
    if isinstance(config, Config):
        key: Any = ("config", config.digest(), str(config.path))
    elif isinstance(config, Mapping):
        key = ("mapping", repr(sorted(config.items(), key=lambda kv: str(kv[0]))))
    elif config is None:
        key = ("nearest", str(Path.cwd()))
    else:
        key = ("file", str(Path(config).resolve()))
    with _linters_lock:
        linter = _linters.get(key)
        if linter is None:
            linter = Linter(config)
            _linters[key] = linter
        return linter


def lint_text(
    text: str,
    *,
    platforms: str | Iterable[str] | None = None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    config: ConfigLike = None,
    **fields: Any,
) -> PostResult:
    """Lint a message; see ``Linter.lint_text``."""
    return _linter(config).lint_text(
        text, platforms=platforms, select=select, ignore=ignore, **fields
    )


def lint_post(
    post: Post | Mapping[str, Any],
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    config: ConfigLike = None,
) -> PostResult:
    """Lint a Post or a mapping of post fields; see ``Linter.lint_post``."""
    return _linter(config).lint_post(post, select=select, ignore=ignore)


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    config: ConfigLike = None,
    use_cache: bool = False,
    jobs: int | None = 1,
    cache_dir: str | os.PathLike[str] | None = None,
) -> RunResult:
    """Lint files and folders; see ``Linter.lint_paths``."""
    return _linter(config).lint_paths(paths, use_cache=use_cache, jobs=jobs, cache_dir=cache_dir)
