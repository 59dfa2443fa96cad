"""Turns a mapping of post fields (front matter, a JSON or YAML post, a CSV row) into a Post.

Every reader shares this, so a field means the same thing in every format. Problems with a
field become ``ReadProblem``s on the post (reported as X001 findings), never exceptions.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postlint.model import (
    ACCOUNT_KINDS,
    PLATFORM_ALIASES,
    PLATFORMS,
    Account,
    Embargo,
    Image,
    Location,
    Post,
    ReadProblem,
    Video,
    normalise_platform,
)

KNOWN_FIELDS = (
    "text",
    "message",
    "platforms",
    "platform",
    "account",
    "account_kind",
    "handle",
    "scheduled",
    "date",
    "time",
    "timezone",
    "images",
    "image",
    "alt",
    "videos",
    "video",
    "captions",
    "burned_in_captions",
    "links",
    "link",
    "embargo",
    "consent",
    "metadata",
    "id",
    "postlint",
    "title",
)


@dataclass
class ReadOptions:
    """What readers need to know from the run: where media may live, defaults."""

    media_root: Path | None = None  # media must stay inside this folder unless allowed
    allow_media_outside: bool = False
    default_platforms: tuple[str, ...] = ()
    timezone: str = "Europe/London"
    csv_columns: dict[str, str] = field(default_factory=dict)
    # Scheduling tools import a few hundred posts per bulk file (Hootsuite: 350); a file with
    # far more is split, not linted for minutes. Posts past the limit are reported, not read.
    max_posts: int = 1000


def too_many_posts(count: int, options: ReadOptions) -> str:
    return (
        f"the file holds {count:,} posts; postlint checks the first {options.max_posts:,} "
        "(max-posts-per-file): split the schedule into smaller files, or raise the limit"
    )


@dataclass
class FieldContext:
    path: str
    base_dir: Path | None
    options: ReadOptions
    locate: Any  # callable(field_name) -> Location
    problems: list[ReadProblem] = field(default_factory=list)

    def problem(self, message: str, field_name: str, severity: str = "error") -> None:
        self.problems.append(ReadProblem(message, self.locate(field_name), "X001", severity))


def apply_fields(post: Post, data: dict[str, Any], ctx: FieldContext) -> Post:
    """Fill ``post`` from ``data``; ``post.text`` and its source map are set by the reader."""
    for key in data:
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(str(key), KNOWN_FIELDS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else " Put free data under 'metadata'."
            ctx.problem(f"unknown field {key!r} was ignored.{hint}", str(key), "warning")
    post.platforms = _platforms(data, ctx)
    post.account = _account(data, ctx)
    post.scheduled = _scheduled(data, ctx)
    post.images = _images(data, ctx)
    post.videos = _videos(data, ctx)
    post.links = _string_list(data.get("links", data.get("link")), "links", ctx)
    post.embargo = _embargo(data.get("embargo"), ctx)
    post.consent = _consent(data.get("consent"), ctx)
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        ctx.problem("'metadata' must be a mapping of names to values", "metadata", "warning")
        metadata = {}
    post.metadata = metadata
    if "title" in data:
        post.metadata.setdefault("title", data["title"])
    if data.get("id") is not None:
        post.id = str(data["id"])
    post.disabled_rules |= _disabled_rules(data.get("postlint"), ctx)
    post.read_problems.extend(ctx.problems)
    return post


def _string_list(value: Any, name: str, ctx: FieldContext) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if name == "platforms":  # "x, facebook" or "x; facebook" or "x | facebook"
            return [v.strip() for v in re.split(r"[,;|]", value) if v.strip()]
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    ctx.problem(f"{name!r} must be a list of strings, got {type(value).__name__}", name)
    return []


def _platforms(data: dict[str, Any], ctx: FieldContext) -> list[str]:
    raw = data.get("platforms", data.get("platform"))
    name = "platforms" if "platforms" in data else "platform"
    platforms: list[str] = []
    for value in _string_list(raw, "platforms", ctx):
        platform = normalise_platform(value)
        if platform is None:
            close = difflib.get_close_matches(
                value.lower(), [*PLATFORMS, *PLATFORM_ALIASES], n=1, cutoff=0.7
            )
            hint = f" Did you mean {close[0]!r}?" if close else ""
            ctx.problem(
                f"unknown platform {value!r}.{hint} Known platforms: {', '.join(PLATFORMS)}.", name
            )
        elif platform not in platforms:
            platforms.append(platform)
    if raw is None:
        return list(ctx.options.default_platforms)
    return platforms


def _account(data: dict[str, Any], ctx: FieldContext) -> Account:
    raw = data.get("account")
    account = Account()
    if isinstance(raw, dict):
        account.handle = _opt_str(raw.get("handle"))
        account.name = _opt_str(raw.get("name"))
        kind = raw.get("kind", "corporate")
    elif isinstance(raw, str):
        account.handle = raw
        kind = data.get("account_kind", "corporate")
    elif raw is None:
        account.handle = _opt_str(data.get("handle"))
        kind = data.get("account_kind", "corporate")
    else:
        ctx.problem("'account' must be a handle or a mapping with handle and kind", "account")
        return account
    kind = str(kind).strip().lower()
    if kind not in ACCOUNT_KINDS:
        ctx.problem(f"account kind {kind!r} is not one of {', '.join(ACCOUNT_KINDS)}", "account")
        kind = "corporate"
    account.kind = kind
    return account


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _zone(ctx: FieldContext, data: dict[str, Any]) -> ZoneInfo:
    name = data.get("timezone") or ctx.options.timezone
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        ctx.problem(f"unknown time zone {name!r}; using Europe/London", "timezone")
        return ZoneInfo("Europe/London")


def parse_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    """A date-time from YAML (already parsed) or text; naive times are in ``zone``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        moment = None
        for candidate in (text, text.replace(" ", "T", 1)):
            try:
                moment = datetime.fromisoformat(candidate)
                break
            except ValueError:
                pass
        if moment is None:
            for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"):
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    pass
        if moment is None:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _scheduled(data: dict[str, Any], ctx: FieldContext) -> datetime | None:
    zone = _zone(ctx, data)
    value = data.get("scheduled")
    if value is None and data.get("date") is not None:  # CSV style: date and time columns
        value = f"{data['date']} {data.get('time') or '00:00'}".strip()
        name = "date"
    else:
        name = "scheduled"
    if value is None or value == "":
        return None
    moment = parse_datetime(value, zone)
    if moment is None:
        ctx.problem(
            f"cannot read the scheduled time {str(value)[:40]!r}: write it as "
            "2026-12-03 09:30 (Europe/London unless a zone is given)",
            name,
        )
    return moment


def _embargo(value: Any, ctx: FieldContext) -> Embargo | None:
    if value is None or value is False:
        return None
    zone = ZoneInfo(ctx.options.timezone)
    if isinstance(value, dict):
        until = parse_datetime(value.get("until"), zone)
        return Embargo(until, _opt_str(value.get("note")))
    if value is True:
        return Embargo(None, None)
    until = parse_datetime(value, zone)
    if until is None:
        ctx.problem(f"cannot read the embargo time {str(value)[:40]!r}", "embargo")
    return Embargo(until, None)


def _consent(value: Any, ctx: FieldContext) -> dict[str, bool]:
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"all": value}
    if isinstance(value, dict):
        return {str(k): bool(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(v): True for v in value}
    ctx.problem("'consent' must be true/false, a list or a mapping", "consent")
    return {}


def _disabled_rules(value: Any, ctx: FieldContext) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, dict):
        rules = value.get("disable", [])
        if isinstance(rules, str):
            rules = [rules]
        if isinstance(rules, list):
            return {str(r).strip() for r in rules}
    ctx.problem("'postlint' must be a mapping like {disable: [A001, S010]}", "postlint")
    return set()


def resolve_media(raw: Any, ctx: FieldContext, field_name: str) -> tuple[Path | None, str | None]:
    """The media file's path, and a problem when it is missing or outside the drafts folder."""
    text = str(raw).strip()
    if not text:
        return None, "empty media path"
    if "://" in text:
        return None, (
            f"{text[:60]!r} is a web address: postlint never fetches media, so the file itself "
            "is not checked (alt text still is). Give a local copy to check the file."
        )
    try:
        return _resolve_local(text, ctx)
    except (OSError, RuntimeError, ValueError) as exc:  # name too long, unknown ~user, NUL
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return None, f"media path {text[:60]!r} cannot be used ({reason}): give a plain file path"


def _resolve_local(text: str, ctx: FieldContext) -> tuple[Path | None, str | None]:
    candidate = Path(text).expanduser()
    if not candidate.is_absolute():
        candidate = (ctx.base_dir or Path.cwd()) / candidate
    options = ctx.options
    if not options.allow_media_outside and options.media_root is not None:
        try:
            real = Path(os.path.realpath(candidate))
            root = Path(os.path.realpath(options.media_root))
            real.relative_to(root)
        except ValueError:
            return None, (
                f"media path {text!r} leaves the drafts folder {options.media_root}: refused. "
                "Move the file inside it, or set allow-media-outside = true in the config."
            )
    if not candidate.is_file():
        if candidate.is_dir():
            return None, f"media path {text!r} is a folder, not a file: name the file in it"
        if candidate.exists():  # a named pipe, a socket, a device: never opened
            return None, f"media path {text!r} is not a regular file: give an image or video file"
        return None, f"media file {text!r} not found (looked for {candidate})"
    return candidate, None


def _media_severity(raw: Any) -> str:
    """A web address is a warning: bulk schedules often hold image URLs, and the checks that
    need only the alt text still run. A missing or refused local file is an error."""
    return "warning" if "://" in str(raw) else "error"


def _media_entries(data: dict[str, Any], plural: str, singular: str, ctx: FieldContext) -> list:
    raw = data.get(plural, data.get(singular))
    if raw is None or raw == "":
        return []
    if isinstance(raw, str | dict):
        raw = [raw]
    if not isinstance(raw, list):
        ctx.problem(f"{plural!r} must be a list", plural)
        return []
    return raw


def _images(data: dict[str, Any], ctx: FieldContext) -> list[Image]:
    images = []
    name = "images" if "images" in data else "image"
    for number, entry in enumerate(_media_entries(data, "images", "image", ctx)):
        field_name = f"images[{number}]"
        if isinstance(entry, str):
            entry = {"path": entry, "alt": data.get("alt") if number == 0 else None}
        if not isinstance(entry, dict) or "path" not in entry:
            ctx.problem(f"{field_name} must be a path or a mapping with 'path' and 'alt'", name)
            continue
        path, problem = resolve_media(entry["path"], ctx, field_name)
        alt = entry.get("alt")
        image = Image(
            path=path,
            alt=None if alt is None else str(alt),
            source=str(entry["path"]),
            decorative=bool(entry.get("decorative", False)),
            location=ctx.locate(field_name),
            problem=problem,
        )
        if problem:
            ctx.problem(problem, field_name, _media_severity(entry["path"]))
        images.append(image)
    return images


def _videos(data: dict[str, Any], ctx: FieldContext) -> list[Video]:
    videos = []
    for number, entry in enumerate(_media_entries(data, "videos", "video", ctx)):
        field_name = f"videos[{number}]"
        if isinstance(entry, str):
            entry = {"path": entry}
            if number == 0 and "captions" in data:
                entry["captions"] = data["captions"]
            if number == 0 and "burned_in_captions" in data:
                entry["burned_in_captions"] = data["burned_in_captions"]
        if not isinstance(entry, dict) or "path" not in entry:
            ctx.problem(f"{field_name} must be a path or a mapping with 'path'", "videos")
            continue
        path, problem = resolve_media(entry["path"], ctx, field_name)
        if problem:
            ctx.problem(problem, field_name, _media_severity(entry["path"]))
        captions = []
        raw_captions = entry.get("captions") or []
        if isinstance(raw_captions, str):
            raw_captions = [raw_captions]
        for caption in raw_captions if isinstance(raw_captions, list) else []:
            caption_path, caption_problem = resolve_media(caption, ctx, f"{field_name}.captions")
            if caption_problem:
                ctx.problem(caption_problem, field_name)
            elif caption_path:
                captions.append(caption_path)
        videos.append(
            Video(
                path=path,
                captions=captions,
                burned_in_captions=bool(entry.get("burned_in_captions", False)),
                source=str(entry["path"]),
                location=ctx.locate(field_name),
                problem=problem,
            )
        )
    return videos


def fallback_locator(path: str) -> Any:
    def locate(_name: str) -> Location:
        return Location(path)

    return locate
