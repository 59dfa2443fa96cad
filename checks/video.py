"""Video and caption checks (Appendix B: "Adding subtitles to videos").

A070 a video with sound has no captions; A071 the video file is unreadable, truncated or
has no picture; A072 a caption file does not parse (or is not UTF-8); A073 captions that
stop early, leave long silences or run past the end; A074 cues too fast to read; A075 too
many lines; A076 lines too long; A077 cues too short to read; A078 overlapping cues; A079
caption file names and formats Facebook expects. Timing and layout limits follow the BBC
subtitle guidelines (160-180 words a minute, two lines, 3 for vertical video).

Everything is read once by the ``video_info`` analysis (checks/media.py): PyAV for the
container, pysrt and webvtt-py for the caption files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from postlint_checks.media import CaptionFile, Cue, VideoInfo, clock

from postlint.check import Check, Example
from postlint.findings import Finding, Severity
from postlint.model import Location, Post

POLICY = "Appendix B: adding subtitles to videos; BBC subtitle guidelines"
MAX_PER_FILE = 5  # cue-level findings reported per caption file and rule, then a summary


def _videos(ctx: Any) -> list[VideoInfo]:
    return ctx.analysis("video_info")


def _cue_location(captions: CaptionFile, line: int | None) -> Location:
    if captions.location is not None:  # a subtitle track inside the video
        return captions.location
    return Location(str(captions.path), line or 1, 1)


class _CaptionCheck(Check):
    severity = Severity.WARNING
    policy = POLICY
    requires = ("video_info",)

    def parsed_captions(
        self, ctx: Any, per_video: bool = False
    ) -> Iterator[tuple[VideoInfo, CaptionFile]]:
        """Caption files that parsed. A file given for two videos is checked once, unless
        the check depends on the video (``per_video``: coverage, line limits)."""
        seen: set[tuple[str, int | None]] = set()
        for info in _videos(ctx):
            for captions in info.captions:
                # The name too: a video's subtitle tracks share its path.
                key = (
                    str(captions.path.resolve()),
                    captions.name,
                    info.index if per_video else None,
                )
                if captions.problem is None and captions.cues and key not in seen:
                    seen.add(key)
                    yield info, captions

    def cue_findings(
        self, post: Post, captions: CaptionFile, problems: list[tuple[Cue, str]]
    ) -> Iterator[Finding]:
        for cue, message in problems[:MAX_PER_FILE]:
            yield self.finding(
                post,
                f"{captions.name} cue {cue.number} ({clock(cue.start)}): {message}",
                location=_cue_location(captions, cue.line),
            )
        if len(problems) > MAX_PER_FILE:
            yield self.finding(
                post,
                f"{captions.name}: {len(problems) - MAX_PER_FILE} more cues have the same problem",
                location=_cue_location(captions, problems[MAX_PER_FILE][0].line),
            )


class VideoCaptionsMissing(Check):
    code = "A070"
    name = "video-captions-missing"
    severity = Severity.ERROR
    policy = POLICY
    summary = "A video with sound has no captions (no caption file, no subtitle stream)."
    explanation = (
        "The ICB promises subtitles on every video. Most people scroll with the sound off, "
        "and deaf and hard of hearing people need the words. Give a caption file (SRT or "
        "WebVTT) with `captions:`, use a video with an embedded subtitle track, or, if the "
        "words are part of the picture, say `burned_in_captions: true`. A video with no "
        "sound track needs no captions."
    )
    examples = [
        Example(
            bad="videos:\n  - path: pharmacy-first.mp4",
            good="videos:\n  - path: pharmacy-first.mp4\n    captions: [pharmacy-first.vtt]",
        )
    ]
    requires = ("video_info",)

    def check(self, post: Post, ctx: Any):
        for info in _videos(ctx):
            video = info.video
            if (video.path is None and video.data is None) or info.problem:
                continue  # unreadable (A071) or missing (X001): nothing is known of its streams
            if not info.has_audio:
                continue  # a silent video has nothing to caption
            if video.burned_in_captions or info.captions or info.subtitle_streams:
                continue
            yield self.finding(
                post,
                f"{info.source} has sound but no captions: add `captions: [file.srt]` (or a "
                ".vtt) to the video, embed a subtitle track, or set `burned_in_captions: true` "
                "if the words are already in the picture",
                location=video.location,
                field_name=info.field_name,
            )


class VideoUnreadable(Check):
    code = "A071"
    name = "video-unreadable"
    severity = Severity.ERROR
    policy = "6.2.3 use of videos; the video must be checkable"
    summary = "A video file is empty, truncated, damaged, or has no picture."
    explanation = (
        "A damaged or truncated video fails to upload or stops part way through, and "
        "postlint cannot check its captions or flashing. An audio-only file is not a video: "
        "platforms refuse it or show a blank frame."
    )
    examples = [
        Example(
            bad="videos: [{path: clinic-tour.mp4}]   # copy stopped at 30%",
            good="videos: [{path: clinic-tour.mp4}]   # exported again, plays to the end",
        )
    ]
    requires = ("video_info",)

    def check(self, post: Post, ctx: Any):
        for info in _videos(ctx):
            if info.video.path is None and info.video.data is None:
                continue  # the reader reported the missing file (X001)
            if info.problem:
                yield self.finding(
                    post,
                    f"{info.source}: {info.problem}.",
                    location=info.video.location,
                    field_name=info.field_name,
                    severity=Severity.parse(info.problem_severity),
                )
            elif not info.has_video:
                yield self.finding(
                    post,
                    f"{info.source} has sound but no picture (audio only): platforms need a "
                    "video track. Add a still image or a waveform and export it as a video",
                    location=info.video.location,
                    field_name=info.field_name,
                    severity=Severity.WARNING,
                )


class CaptionsMalformed(Check):
    code = "A072"
    name = "captions-malformed"
    severity = Severity.ERROR
    policy = POLICY
    summary = "A caption file cannot be read as SRT or WebVTT, or is not UTF-8."
    explanation = (
        "A caption file that does not parse is rejected at upload, or shows nothing. "
        "Timing lines must read 00:00:01,000 --> 00:00:04,000 (SRT) or "
        "00:00:01.000 --> 00:00:04.000 (WebVTT, after a first line 'WEBVTT'). Files saved in "
        "a Windows code page instead of UTF-8 show £, é and curly quotes wrongly."
    )
    examples = [
        Example(
            bad="00:00:04.200 --> banana\nWalk in today.",
            good="00:00:04.200 --> 00:00:07.000\nWalk in today.",
        )
    ]
    requires = ("video_info",)

    def check(self, post: Post, ctx: Any):
        for info in _videos(ctx):
            for captions in info.captions:
                if captions.problem:
                    yield self.finding(
                        post,
                        f"{captions.name}: {captions.problem}",
                        location=_cue_location(captions, captions.problem_line),
                    )
                if captions.encoding_note:
                    yield self.finding(
                        post,
                        f"{captions.name}: {captions.encoding_note}",
                        location=_cue_location(captions, 1),
                        severity=Severity.WARNING,
                    )


class CaptionsCoverage(_CaptionCheck):
    code = "A073"
    name = "captions-coverage"
    summary = "Captions stop long before the video ends, leave long gaps, or run past the end."
    explanation = (
        "Captions have to follow the whole video. Cues that stop early usually mean a "
        "caption file for an older cut; a long stretch with no caption leaves viewers "
        "wondering whether they are missing speech (caption music and sounds too, e.g. "
        "[upbeat music]); cues after the end belong to another edit."
    )
    examples = [
        Example(
            bad="20 s video; cues at 0.5-3 s and 15-17 s",
            good="20 s video; cues every few seconds to 19.8 s, [music] where nobody speaks",
        )
    ]
    options = {"max-gap-seconds": 10, "tail-seconds": 5, "tail-fraction": 0.10}

    def check(self, post: Post, ctx: Any):
        max_gap = float(self.opts["max-gap-seconds"])
        for info, captions in self.parsed_captions(ctx, per_video=True):
            cues = sorted(captions.cues, key=lambda c: c.start)
            issues: list[str] = []
            line = cues[0].line
            previous_end = 0.0
            for cue in cues:
                gap = cue.start - previous_end
                if gap > max_gap:
                    where = "before the first cue" if previous_end == 0 else "with no captions"
                    issues.append(
                        f"{gap:.0f} s {where} from {clock(previous_end)} to {clock(cue.start)}"
                    )
                    line = cue.line
                previous_end = max(previous_end, cue.end)
            duration = info.duration
            if duration:
                tail = duration - previous_end
                allowed = max(float(self.opts["tail-seconds"]),
                              float(self.opts["tail-fraction"]) * duration)  # fmt: skip
                if tail > allowed:
                    issues.append(
                        f"the captions end at {clock(previous_end)} but the video runs to "
                        f"{clock(duration)}"
                    )
                late = [c for c in cues if c.end > duration + 1.0]
                if late:
                    issues.append(
                        f"{len(late)} cue(s) run past the end of the video "
                        f"({clock(duration)}), from cue {late[0].number}: is this the caption "
                        "file of another edit"
                    )
                    line = late[0].line
            if issues:
                yield self.finding(
                    post,
                    f"{captions.name} for {info.source}: " + "; ".join(issues[:3]) + ".",
                    location=_cue_location(captions, line),
                )


class CaptionsReadingRate(_CaptionCheck):
    code = "A074"
    name = "captions-reading-rate"
    summary = "Caption cues go faster than people can read (words per minute)."
    explanation = (
        "The BBC subtitle guidelines aim at 160 to 180 words a minute. Faster captions "
        "disappear before people finish reading them. Give the cue more time, split it, or "
        "edit the words down."
    )
    examples = [
        Example(
            bad="00:00:02,000 --> 00:00:03,500\noption 2 at any time of day or night,\n"
            "every day of the year, free of charge.",
            good="00:00:02,000 --> 00:00:06,500\nChoose option 2, day or night.",
        )
    ]
    options = {"max-words-per-minute": 180, "min-words": 3}

    def check(self, post: Post, ctx: Any):
        limit = float(self.opts["max-words-per-minute"])
        min_words = int(self.opts["min-words"])
        for _info, captions in self.parsed_captions(ctx):
            problems = []
            for cue in captions.cues:
                if cue.words < min_words or cue.duration <= 0:
                    continue
                rate = cue.words / cue.duration * 60
                if rate > limit:
                    needed = cue.words / limit * 60
                    problems.append(
                        (
                            cue,
                            f"{cue.words} words in {cue.duration:.1f} s is {rate:.0f} words a "
                            f"minute, over {limit:g}: show it for at least {needed:.1f} s or "
                            "use fewer words",
                        )
                    )
            yield from self.cue_findings(post, captions, problems)


class CaptionsTooManyLines(_CaptionCheck):
    code = "A075"
    name = "captions-too-many-lines"
    summary = "A caption cue has more than two lines (three on vertical video)."
    explanation = (
        "More than two lines of captions cover the picture and are hard to read in time "
        "(BBC guidelines); vertical video, being narrow, may use three."
    )
    examples = [
        Example(
            bad="Your child can have\nthe nasal spray flu vaccine\nat school this autumn.",
            good="Your child can have the nasal spray\nflu vaccine at school this autumn.",
        )
    ]
    options = {"max-lines": 2, "max-lines-vertical": 3}

    def check(self, post: Post, ctx: Any):
        for info, captions in self.parsed_captions(ctx, per_video=True):
            key = "max-lines-vertical" if info.vertical else "max-lines"  # per video
            limit = int(self.opts[key])
            problems = [
                (cue, f"{len(cue.lines)} lines; at most {limit} fit: split the cue in two")
                for cue in captions.cues
                if len(cue.lines) > limit
            ]
            yield from self.cue_findings(post, captions, problems)


class CaptionsLineLength(_CaptionCheck):
    code = "A076"
    name = "captions-line-length"
    summary = "A caption line is longer than the configured number of characters."
    explanation = (
        "Long caption lines run off small screens or get wrapped by the player into extra "
        "lines. Keep lines to about 42 characters (37 on broadcast) and break them at "
        "natural phrases."
    )
    examples = [
        Example(
            bad="Flu vaccinations are now available at GP practices across Mid and South Essex",
            good="Flu vaccinations are now available\nat GP practices across Mid and South Essex",
        )
    ]
    options = {"max-line-length": 42}

    def check(self, post: Post, ctx: Any):
        limit = int(self.opts["max-line-length"])
        for _info, captions in self.parsed_captions(ctx):
            problems = []
            for cue in captions.cues:
                longest = max(cue.lines, key=len, default="")
                if len(longest) > limit:
                    problems.append(
                        (
                            cue,
                            f"a line of {len(longest)} characters (limit {limit}): break it "
                            "into two lines at a natural phrase",
                        )
                    )
            yield from self.cue_findings(post, captions, problems)


class CaptionsCueTooShort(_CaptionCheck):
    code = "A077"
    name = "captions-cue-too-short"
    summary = "A caption cue is on screen too briefly to be read."
    explanation = (
        "A cue that flashes up for a fraction of a second cannot be read, however short. "
        "The BBC guidelines allow at least about 0.3 s a word; postlint also asks for a "
        "minimum time for any cue. Longer cues that are too fast are A074's business."
    )
    examples = [
        Example(
            bad="00:00:03,500 --> 00:00:03,900\nCall 111.",
            good="00:00:03,500 --> 00:00:04,700\nCall 111.",
        )
    ]
    options = {"min-seconds": 0.8, "seconds-per-word": 0.3}

    def check(self, post: Post, ctx: Any):
        minimum = float(self.opts["min-seconds"])
        per_word = float(self.opts["seconds-per-word"])
        for _info, captions in self.parsed_captions(ctx):
            problems = []
            for cue in captions.cues:
                needed = max(minimum, per_word * cue.words if cue.words < 3 else 0.0)
                if 0 < cue.duration < needed:
                    problems.append(
                        (
                            cue,
                            f"on screen for {cue.duration:.1f} s; give it at least {needed:.1f} s",
                        )
                    )
            yield from self.cue_findings(post, captions, problems)


class CaptionsOverlap(_CaptionCheck):
    code = "A078"
    name = "captions-overlap"
    summary = "Two caption cues are on screen at the same time."
    explanation = (
        "Overlapping cues stack on top of each other, or some players drop one of them. "
        "End each cue before the next one starts."
    )
    examples = [
        Example(
            bad="00:00:00,500 --> 00:00:09,000 ...\n00:00:08,000 --> 00:00:19,800 ...",
            good="00:00:00,500 --> 00:00:08,000 ...\n00:00:08,000 --> 00:00:19,800 ...",
        )
    ]
    options = {"tolerance-seconds": 0.05}

    def check(self, post: Post, ctx: Any):
        tolerance = float(self.opts["tolerance-seconds"])
        for _info, captions in self.parsed_captions(ctx):
            problems = []
            cues = sorted(captions.cues, key=lambda c: (c.start, c.number))
            for previous, cue in pairwise(cues):
                if cue.start < previous.end - tolerance:
                    problems.append(
                        (
                            cue,
                            f"starts {previous.end - cue.start:.1f} s before cue "
                            f"{previous.number} ends ({clock(previous.end)}): end cue "
                            f"{previous.number} first",
                        )
                    )
            yield from self.cue_findings(post, captions, problems)


FACEBOOK_NAME = re.compile(r"\.[a-z]{2}_[A-Z]{2}\.srt$")


class CaptionsFacebookName(Check):
    code = "A079"
    name = "captions-facebook-file-name"
    severity = Severity.INFO
    policy = "Facebook captions: SRT files named name.en_GB.srt"
    summary = "Facebook reads captions only from SRT files named like video.en_GB.srt."
    explanation = (
        "Facebook takes caption files in SubRip (.srt) format and reads their language from "
        "the file name: filename.[language code]_[country code].srt, e.g. "
        "pharmacy-first.en_GB.srt. Other names have to be set by hand at upload."
    )
    examples = [
        Example(
            bad="platforms: [facebook]\ncaptions: [pharmacy-first.srt]",
            good="platforms: [facebook]\ncaptions: [pharmacy-first.en_GB.srt]",
        )
    ]
    requires = ("video_info",)

    def check(self, post: Post, ctx: Any):
        if "facebook" not in post.platforms:
            return
        for info in _videos(ctx):
            files = [c for c in info.captions if c.kind != "embedded"]
            if not info.captions or any(FACEBOOK_NAME.search(c.name) for c in files):
                continue
            if files:
                stem = files[0].name.split(".")[0]
                note = f"{files[0].name} will need its language set by hand"
            else:  # only subtitle tracks inside the video
                stem = Path(info.source).name.split(".")[0]
                note = "Facebook takes captions from SRT files uploaded with the video"
            yield self.finding(
                post,
                f"for Facebook, give {info.source} an SRT caption file named "
                f"{stem}.en_GB.srt ({note})",
                location=info.video.location,
                field_name=info.field_name,
            )


class BurnedInCaptionsNotSeen(Check):
    code = "A080"
    name = "burned-in-captions-not-seen"
    severity = Severity.WARNING
    policy = POLICY
    summary = "burned_in_captions is set, but no words can be read in the lower part of the video."
    explanation = (
        "`burned_in_captions: true` tells postlint the words are part of the picture, so A070 "
        "asks for no caption file. postlint checks the claim: it reads (OCR, Tesseract) the "
        "lower part of frames spread over the video, where captions sit (the lower half, or "
        "the lower two thirds of a vertical video). When no frame shows two or more words, "
        "the captions may be missing from this export, too small or too faint to read: "
        "check the video, or give a caption file."
    )
    examples = [
        Example(
            bad="videos:\n  - path: clinic-tour.mp4\n    burned_in_captions: true  # no words",
            good="videos:\n  - path: clinic-tour.mp4\n    captions: [clinic-tour.en_GB.srt]",
        )
    ]
    requires = ("video_info",)
    options = {"frames": 5, "min-confidence": 60, "timeout-seconds": 10}

    def check(self, post: Post, ctx: Any):
        videos = [
            info
            for info in _videos(ctx)
            if info.video.burned_in_captions and info.readable and info.has_audio
            and not info.captions and not info.subtitle_streams
        ]  # fmt: skip
        if not videos:
            return
        from postlint_checks.images import tesseract_available
        from postlint_checks.media import shared_frames

        if not tesseract_available(ctx):
            yield from self.tool_unavailable(
                post,
                ctx,
                "tesseract",
                "Tesseract OCR is not installed, so burned-in captions (A080) are not "
                "checked: run scripts/setup.sh (apt-get install tesseract-ocr tesseract-ocr-eng)",
            )
            return
        count = max(1, min(int(self.opts["frames"]), 30))
        for info in videos:
            frames = shared_frames(ctx, info, count)
            if not frames or any(self._has_words(picture, info.vertical) for _, picture in frames):
                continue
            yield self.finding(
                post,
                f"{info.source}: burned_in_captions is set, but no words could be read in the "
                f"lower part of {len(frames)} frames spread over the video. Check that this "
                "export really shows the captions, large and clear enough to read, or give a "
                "caption file (captions:)",
                location=info.video.location,
                field_name=info.field_name,
            )

    def _has_words(self, picture: Any, vertical: bool) -> bool:
        from postlint_checks.images import ocr_words, real_words

        width, height = picture.size
        top = int(height * (1 / 3 if vertical else 1 / 2))
        lower = picture.crop((0, top, width, height))
        try:
            words = ocr_words(
                lower,
                float(self.opts["min-confidence"]),
                float(self.opts["timeout-seconds"]),
                1280,
            )
        except RuntimeError:  # OCR timed out: do not claim the captions are missing
            return True
        return len(real_words(words)) >= 2


CHECKS = [
    VideoCaptionsMissing,
    VideoUnreadable,
    CaptionsMalformed,
    CaptionsCoverage,
    CaptionsReadingRate,
    CaptionsTooManyLines,
    CaptionsLineLength,
    CaptionsCueTooShort,
    CaptionsOverlap,
    CaptionsFacebookName,
    BurnedInCaptionsNotSeen,
]
