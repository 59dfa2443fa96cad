"""Platform limits (P001-P006): text length as each platform counts it, media counts, alt
text length, hashtags, Threads links and topic tags, video length.

Every number lives in checks/data/platforms.yaml with its source and the date it was
checked, so the comms team can update a limit without touching code. A post names its
platforms in front matter (``platforms: [x, instagram]``); otherwise config ``platforms``.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import regex
import yaml

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Severity
from postlint.model import Post
from postlint.text import is_emoji, spans_of, special_spans

TABLE = Path(__file__).resolve().parent / "data" / "platforms.yaml"
# libyaml's loader when PyYAML was built with it: about ten times faster than the
# pure-Python SafeLoader, and just as safe.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
COUNTINGS = {"x", "graphemes", "characters", "utf8-bytes"}
URL_MODES = {"as-written", "23", "bluesky"}


class TableError(ValueError):
    """platforms.yaml is malformed: the message names the platform and key."""


@dataclass(frozen=True)
class Limit:
    platform: str
    key: str
    value: int
    source: str = ""
    checked: str = ""
    note: str = ""
    disputed: bool = False
    since: dt.date | None = None
    previous: int | None = None
    severity: str | None = None
    counting: str = "characters"
    urls: str = "as-written"
    mentions: str = "full"

    def value_on(self, when: dt.datetime | None) -> int:
        """The limit for a post published at ``when`` (now if not scheduled)."""
        if self.since is None or self.previous is None or when is None:
            return self.value
        return self.previous if when.date() < self.since else self.value


@dataclass(frozen=True)
class Platform:
    key: str
    name: str
    limits: dict[str, Limit]

    def get(self, key: str) -> Limit | None:
        return self.limits.get(key)


@functools.cache
def load_table(path: Path = TABLE) -> dict[str, Platform]:
    """The platform table, validated: a bad entry is a TableError naming it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise TableError(f"{path.name}: cannot read it: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("platforms"), dict):
        raise TableError(f"{path.name}: expected a 'platforms:' mapping")
    table: dict[str, Platform] = {}
    for key, entry in data["platforms"].items():
        if not isinstance(entry, dict):
            raise TableError(f"{path.name}: platform {key!r} must be a mapping")
        limits = {}
        for name, raw in entry.items():
            if name == "name" or raw is None:
                continue
            limits[name] = _limit(path.name, key, name, raw)
        table[key] = Platform(key, str(entry.get("name", key)), limits)
    return table


def _limit(file: str, platform: str, key: str, raw: Any) -> Limit:
    where = f"{file}: {platform}.{key}"
    if not isinstance(raw, dict):
        raise TableError(f"{where} must be a mapping with value, source and checked")
    value = raw.get("value")
    if key.startswith("mix_"):
        if not isinstance(value, bool):
            raise TableError(f"{where}: value must be true or false, got {value!r}")
        value = int(value)
    elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TableError(f"{where}: value must be a whole number, got {value!r}")
    counting = str(raw.get("counting", "characters"))
    urls = str(raw.get("urls", "as-written"))
    if counting not in COUNTINGS:
        raise TableError(f"{where}: counting must be one of {sorted(COUNTINGS)}")
    if urls not in URL_MODES:
        raise TableError(f"{where}: urls must be one of {sorted(URL_MODES)}")
    since = raw.get("since")
    if since is not None and not isinstance(since, dt.date):
        raise TableError(f"{where}: since must be a date (YYYY-MM-DD)")
    return Limit(
        platform=platform,
        key=key,
        value=value,
        source=str(raw.get("source", "")),
        checked=str(raw.get("checked", "")),
        note=str(raw.get("note", "")),
        disputed=bool(raw.get("disputed", False)),
        since=since,
        previous=raw.get("previous"),
        severity=raw.get("severity"),
        counting=counting,
        urls=urls,
        mentions=str(raw.get("mentions", "full")),
    )


def platforms_of(post: Post) -> list[Platform]:
    table = load_table()
    return [table[p] for p in post.platforms if p in table]


# ---------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------

GRAPHEME = regex.compile(r"\X")
FEDI_MENTION = regex.compile(r"(?<![\w@])@(\w{1,30})@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Unit:
    """A piece of the post a platform counts as a whole: one grapheme, a URL or a
    fediverse mention; or a run of ASCII characters (kind "ascii"), each of which is one
    grapheme counting 1 however any platform counts. ``start`` is its offset in the
    post's text."""

    start: int
    text: str
    kind: str  # "text", "url", "mention", "ascii"


# ASCII that is one grapheme a character: every ASCII character but CR (CR LF is one).
ASCII_RUN = regex.compile(r"[\x00-\x0c\x0e-\x7f]+")


def units(post: Post) -> list[Unit]:
    """The post as published: Markdown markup and postlint comments dropped, URLs whole
    (a Markdown link's target is posted as its URL)."""
    text = post.text
    markup = sorted(post.markup_spans)
    urls = {s.start: s for s in special_spans(text) if s.kind == "url"}
    mentions = {m.start(): m for m in FEDI_MENTION.finditer(text)}
    # Where a run of plain ASCII must stop: something else starts there.
    stops = sorted({*urls, *mentions, *(start for start, _end in markup)})
    out: list[Unit] = []
    i = 0
    m = 0  # index into markup
    next_stop = 0  # index into stops
    while i < len(text):
        while m < len(markup) and markup[m][1] <= i:
            m += 1
        if i in urls:
            span = urls[i]
            out.append(Unit(i, span.text, "url"))
            i = span.end
            continue
        if m < len(markup) and markup[m][0] <= i < markup[m][1]:
            # Skip markup, but a URL inside it (a link target) still gets posted.
            inner = [s for s in urls.values() if markup[m][0] <= s.start < markup[m][1]]
            ahead = [s for s in inner if s.start > i]
            i = min(ahead, key=lambda s: s.start).start if ahead else markup[m][1]
            continue
        if i in mentions:
            match = mentions[i]
            out.append(Unit(i, match.group(0), "mention"))
            i = match.end()
            continue
        while next_stop < len(stops) and stops[next_stop] <= i:
            next_stop += 1
        stop = stops[next_stop] if next_stop < len(stops) else len(text)
        run = ASCII_RUN.match(text, i, stop)
        if run is not None:
            end = run.end()
            if end < len(text) and text[end] >= "\x80":
                end -= 1  # a combining mark or variation selector may join the last one
            if end > i:
                out.append(Unit(i, text[i:end], "ascii"))
                i = end
                continue
        grapheme = GRAPHEME.match(text, i)
        assert grapheme is not None
        out.append(Unit(i, grapheme.group(0), "text"))
        i = grapheme.end()
    return out


def _x_weight(grapheme: str) -> int:
    text = unicodedata.normalize("NFC", grapheme)
    if (len(text) > 1 or ord(text[0]) > 0x10FF) and is_emoji(text):
        return 2  # an emoji sequence, however many code points
    total = 0
    for ch in text:
        cp = ord(ch)
        light = (
            cp <= 0x10FF
            or 0x2000 <= cp <= 0x200D
            or 0x2010 <= cp <= 0x201F
            or 0x2032 <= cp <= 0x2037
        )
        total += 1 if light else 2
    return total


def bluesky_short_url(url: str) -> str:
    """How the Bluesky app shows (and counts) a link: host, then at most 13 characters of
    the path and '...' when the path is longer than 15."""
    full = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(full)
    except ValueError:
        return url
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return url
    path = (
        (parts.path if parts.path != "/" else "")
        + ("?" + parts.query if parts.query else "")
        + ("#" + parts.fragment if parts.fragment else "")
    )
    if len(path) > 15:
        return parts.netloc + path[:13] + "..."
    return parts.netloc + path


def _size(text: str, counting: str) -> int:
    if len(text) == 1 and text < "\x80":
        return 1  # one ASCII character counts 1 however a platform counts
    if counting == "graphemes":
        return len(GRAPHEME.findall(text))
    if counting == "utf8-bytes":
        return len(text.encode("utf-8"))
    if counting == "x":
        return sum(_x_weight(g) for g in GRAPHEME.findall(text))
    return len(text)


def weigh(unit: Unit, limit: Limit) -> int:
    """What ``unit`` counts for under ``limit``'s counting rules."""
    counting = limit.counting
    if unit.kind == "ascii":
        return len(unit.text)
    if unit.kind == "url":
        if counting == "x":
            return 23  # twitter-text links bare domains too
        has_scheme = unit.text.lower().startswith(("http://", "https://"))
        if limit.urls == "23" and has_scheme:
            return 23
        if limit.urls == "bluesky":
            return _size(bluesky_short_url(unit.text), counting)
        return _size(unit.text, counting)
    if unit.kind == "mention" and limit.mentions == "local":
        return _size(unit.text[: unit.text.index("@", 1)], counting)
    return _size(unit.text, counting)


@dataclass(frozen=True)
class Count:
    total: int
    first_over: int | None  # text offset of the first unit past the limit


def count(post_units: list[Unit], limit: Limit, maximum: int) -> Count:
    total = 0
    first_over = None
    for unit in post_units:
        weight = weigh(unit, limit)
        if first_over is None and total + weight > maximum:
            # In an ASCII run, the character that goes over; else the unit's start.
            first_over = unit.start + (maximum - total if unit.kind == "ascii" else 0)
        total += weight
    return Count(total, first_over)


def _upper_bound(post: Post, limit: Limit) -> int:
    """The most the post could count under ``limit``: each code point weighs at most 2 on
    X and 4 bytes in UTF-8, and a URL at most 23 more than its own length."""
    per_char = {"x": 2, "utf8-bytes": 4}.get(limit.counting, 1)
    return per_char * len(post.text) + 23 * len(spans_of(post.text, "url"))


def count_text(text: str, limit: Limit) -> int:
    """The size of a plain string (alt text) under ``limit``'s counting."""
    return _size(text, limit.counting)


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def _severity(check: Check, limit: Limit) -> Severity:
    level = check.effective_severity
    if limit.disputed or limit.severity == "warning":
        level = min(level, Severity.WARNING)
    return level


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


UNIT_WORDS = {
    "x": "characters as X counts them (most emoji and some scripts count 2, links 23)",
    "graphemes": "characters",
    "characters": "characters",
    "utf8-bytes": "bytes of text (accented letters and emoji take 2 to 4)",
}


class TextTooLong(Check):
    code = "P001"
    name = "platform-text-length"
    severity = Severity.ERROR
    policy = "Platform limits (core issue item 9): post length"
    summary = "The post is longer than a target platform allows, counted as that platform counts."
    explanation = (
        "Each platform counts a post its own way: X weighs most emoji and CJK characters as "
        "2 and every link as 23; Bluesky counts graphemes (an emoji is one) and shortens "
        "links; Mastodon counts every link as 23. A post over the limit is refused or cut "
        "off. The finding points at the first character past the limit. Limits, sources "
        "and dates are in checks/data/platforms.yaml; override one with the `limits` option "
        "(for a Mastodon server with a higher limit, say)."
    )
    examples = [
        Example(
            "platforms: [x]\n(a 300-character post)",
            "platforms: [x]\n(the same message in 280 or fewer, or a thread)",
        )
    ]
    options = {"limits": {}}  # platform -> text limit, overriding the table

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        overrides = {str(k).lower(): int(v) for k, v in (self.opts.get("limits") or {}).items()}
        post_units: list[Unit] | None = None
        for platform in platforms_of(post):
            limit = platform.get("text_limit")
            if limit is None:
                continue
            maximum = overrides.get(platform.key, limit.value_on(post.scheduled))
            if _upper_bound(post, limit) <= maximum:
                continue  # cannot be over, however it is counted: skip the count
            post_units = post_units if post_units is not None else units(post)
            result = count(post_units, limit, maximum)
            if result.first_over is None:
                continue
            over = result.total - maximum
            unit_word = UNIT_WORDS[limit.counting]
            yield self.finding(
                post,
                f"too long for {platform.name}: {result.total:,} of {maximum:,} {unit_word}, "
                f"{over:,} over. {platform.name} would refuse or cut the post from here: "
                "shorten it or split it into a thread.",
                result.first_over,
                len(post.text),
                severity=_severity(self, limit),
            )


class TooManyMedia(Check):
    code = "P002"
    name = "platform-media-count"
    severity = Severity.ERROR
    policy = "Platform limits (core issue item 9): images and videos per post"
    summary = "More images or videos than a target platform takes in one post."
    explanation = (
        "X, Bluesky and Mastodon take 4 images a post, Threads, Instagram and LinkedIn more; "
        "Bluesky and Mastodon take either images or one video, not both. Extra media are refused "
        "or dropped when the post is published. Split the post or choose the best images."
    )
    examples = [
        Example(
            "platforms: [x]\nimages: [1.jpg, 2.jpg, 3.jpg, 4.jpg, 5.jpg]",
            "platforms: [x]\nimages: [1.jpg, 2.jpg, 3.jpg, 4.jpg]",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        images, videos = len(post.images), len(post.videos)
        for platform in platforms_of(post):
            limit = platform.get("max_media")
            if limit is not None and images + videos > limit.value:
                yield self.finding(
                    post,
                    f"{images + videos} images and videos: {platform.name} takes "
                    f"{limit.value} in one post. Choose the best ones or split the post.",
                    field_name="videos" if videos else "images",
                    severity=_severity(self, limit),
                )
            limit = platform.get("max_images")
            if limit is not None and images > limit.value:
                yield self.finding(
                    post,
                    f"{images} images: {platform.name} takes {limit.value} in one post. "
                    "Choose the best ones or split the post.",
                    field_name=f"images[{limit.value}]",
                    severity=_severity(self, limit),
                )
            limit = platform.get("max_videos")
            if limit is not None and videos > limit.value:
                yield self.finding(
                    post,
                    f"{videos} videos: {platform.name} takes {limit.value} in one post.",
                    field_name="videos",
                    severity=_severity(self, limit),
                )
            limit = platform.get("mix_images_and_video")
            if limit is not None and not limit.value and images and videos:
                yield self.finding(
                    post,
                    f"images and a video together: {platform.name} takes one or the other in "
                    "a post. Post the video on its own.",
                    field_name="videos",
                    severity=_severity(self, limit),
                )


class AltTextTooLong(Check):
    code = "P003"
    name = "platform-alt-text-length"
    severity = Severity.ERROR
    policy = "Platform limits (core issue item 9): alt text length"
    summary = "An image's alt text is longer than a target platform's alt text field."
    explanation = (
        "Alt text fields have limits (X 1,000 characters, Mastodon 1,500, Bluesky 2,000). "
        "Text past the limit is cut off or refused, so a screen-reader user hears half a "
        "description. Keep alt text short: say what matters in the image, and put long "
        "text (a poster's small print) in the post or on a web page."
    )
    examples = [
        Example(
            "platforms: [x]\nimages: [{path: poster.png, alt: (1,200 characters)}]",
            "platforms: [x]\nimages: [{path: poster.png, alt: Poster: flu jab clinics at "
            "Basildon, 1 to 5 October}]",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        targets = [(p, p.get("alt_text_limit")) for p in platforms_of(post)]
        for index, image in enumerate(post.images):
            if not image.alt:
                continue
            over = []
            level = Severity.INFO
            for platform, limit in targets:
                if limit is None:
                    continue
                size = count_text(image.alt, limit)
                if size > limit.value:
                    over.append((limit.value, size, platform.name))
                    level = max(level, _severity(self, limit))
            if not over:
                continue
            over.sort()
            names = ", ".join(f"{name} {value:,}" for value, _size, name in over)
            yield self.finding(
                post,
                f"alt text of image {index + 1} is {over[0][1]:,} characters, over the limit "
                f"for {names}: it would be cut off. Shorten it to {over[0][0]:,} or fewer.",
                field_name=f"images[{index}].alt",
                severity=level,
            )


class TooManyHashtagsForPlatform(Check):
    code = "P004"
    name = "platform-hashtag-limit"
    severity = Severity.ERROR
    policy = "Platform limits (core issue item 9): hashtags per post"
    summary = "More hashtags than a target platform allows (Instagram 5 since December 2025)."
    explanation = (
        "Instagram allows 5 hashtags a post since December 2025 (30 before), and YouTube "
        "ignores every hashtag on a video that has more than 60. The accessibility advice "
        "(rule A002) is fewer still."
    )
    examples = [
        Example(
            "platforms: [instagram]\nFlu jabs #FluJab #NHS #Essex #Winter #StayWell #Basildon",
            "platforms: [instagram]\nFlu jabs at your pharmacy. #FluJab #StayWell",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        tags = spans_of(post.text, "hashtag")
        for platform in platforms_of(post):
            limit = platform.get("max_hashtags")
            if limit is None:
                continue
            maximum = limit.value_on(post.scheduled)
            if len(tags) <= maximum:
                continue
            effect = "ignores them all" if limit.severity == "warning" else "will not take the post"
            yield self.finding(
                post,
                f"{len(tags)} hashtags: {platform.name} allows {maximum} and {effect}. "
                f"Keep the {maximum} that matter most.",
                tags[maximum].start,
                tags[-1].end,
                severity=_severity(self, limit),
            )


class LinksAndTopicTags(Check):
    code = "P005"
    name = "platform-links-and-tags"
    severity = Severity.WARNING
    policy = "Platform limits (core issue item 9): Threads links and topic tags"
    summary = "Threads: more than 5 links, or more than 1 topic tag, in a post."
    explanation = (
        "A Threads post may hold at most 5 links, and only one topic tag: Threads turns the "
        "first hashtag into the post's topic and leaves the others as plain text (read out "
        "with their '#'). Keep one tag and fewer links."
    )
    examples = [
        Example(
            "platforms: [threads]\nFlu jabs are here #FluJab #StayWell",
            "platforms: [threads]\nFlu jabs are here #FluJab",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        links = spans_of(post.text, "url")
        tags = spans_of(post.text, "hashtag")
        for platform in platforms_of(post):
            limit = platform.get("max_links")
            if limit is not None and len(links) > limit.value:
                yield self.finding(
                    post,
                    f"{len(links)} links: {platform.name} allows {limit.value} in a post.",
                    links[limit.value].start,
                    links[-1].end,
                    severity=_severity(self, limit),
                )
            limit = platform.get("max_topic_tags")
            if limit is not None and len(tags) > limit.value:
                yield self.finding(
                    post,
                    f"{len(tags)} hashtags: {platform.name} uses only {limit.value} as the "
                    "post's topic tag and shows the rest as plain text. Keep one.",
                    tags[limit.value].start,
                    tags[-1].end,
                    severity=_severity(self, limit),
                )


class VideoTooLong(Check):
    code = "P006"
    name = "platform-video-length"
    severity = Severity.ERROR
    policy = "Platform limits (core issue item 9): video length"
    summary = "A video is longer than a target platform accepts."
    explanation = (
        "Platforms cap video length: X 2 minutes 20 seconds for standard accounts, Bluesky "
        "3 minutes, Threads 5 minutes. A longer video is refused or trimmed. Edit a shorter "
        "cut, or post a link to the full video."
    )
    examples = [
        Example(
            "platforms: [x]\nvideos: [{path: four-minute-talk.mp4, captions: [...]}]",
            "platforms: [x]\nvideos: [{path: two-minute-cut.mp4, captions: [...]}]",
        )
    ]
    requires = ("video_info",)

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        targets = [(p, p.get("max_video_seconds")) for p in platforms_of(post)]
        targets = [(p, limit) for p, limit in targets if limit is not None]
        if not post.videos or not targets:
            return
        try:
            infos = ctx.analysis("video_info")
        except KeyError:
            yield from self.tool_unavailable(
                post,
                ctx,
                "video_info",
                "video length is not checked: no video analysis "
                "is installed (postlint_checks.media)",
            )
            return
        for info in infos:
            duration = getattr(info, "duration", None)
            if not duration:
                continue
            for platform, limit in targets:
                if duration > limit.value:
                    yield self.finding(
                        post,
                        f"video {info.index + 1} is {_clock(duration)} long: {platform.name} "
                        f"takes up to {_clock(limit.value)}"
                        + (f" ({limit.note})" if limit.note else "")
                        + ". Edit a shorter cut or link to the full video.",
                        field_name=f"videos[{info.index}]",
                        location=info.video.location,
                        severity=_severity(self, limit),
                    )


def _clock(seconds: float) -> str:
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


CHECKS = [
    TextTooLong,
    TooManyMedia,
    AltTextTooLong,
    TooManyHashtagsForPlatform,
    LinksAndTopicTags,
    VideoTooLong,
]
