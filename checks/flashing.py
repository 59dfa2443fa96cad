"""Flashing content: WCAG 2.3.1 Three Flashes or Below Threshold, in animations and videos.

A060 checks animated images (GIF, APNG, animated WebP); A061 checks videos. Both use the
same detector, built from the success criterion's definitions (WCAG 2.2, "general flash and
red flash thresholds"):

* relative luminance: sRGB channels linearised (c <= 0.04045: c / 12.92, else
  ((c + 0.055) / 1.055) ** 2.4), then L = 0.2126 R + 0.7152 G + 0.0722 B;
* a general flash is a pair of opposing changes in relative luminance of 10% or more of
  the maximum (0.1), where the relative luminance of the darker state is below 0.80;
* a red flash is a pair of opposing transitions involving a saturated red: a state where
  R / (R + G + B) >= 0.8, and a change in (R - G - B) x 320 of more than 20 (negative
  values set to zero), with R, G, B linearised as above;
* content fails when there are more than three flashes in any one-second period and the
  combined area of flashes occurring concurrently is at least 25% of any 10 degrees of
  visual field: 341 x 256 pixels of a 1024 x 768 screen, i.e. 11.1% of the frame when the
  frame fills that screen (the 10-degree field being 682 x 512, two thirds of each side).

How (after Electronic Arts' IRIS, src/Flash.cpp and TransitionTrackerByTime.cpp): each
frame is scaled down to a grid of about 64 cells across (each cell the mean of linear
light, so fine patterns average correctly). Per cell, successive changes of one sign are
accumulated into a trend; a trend becomes a transition once its accumulated change reaches
the threshold (and, for a general flash, the darker end of the trend is below 0.8). A trend
counts once, however long it goes on; a change of sign starts a new one. Over the last
second of frames, each cell's transitions are counted: a cell with more than six
transitions (more than three flashes, as IRIS's maxTransitions = 6) is flashing too fast,
and when such cells inside any 10-degree field (a box filter over the grid) add up to the
area threshold, the content fails at that moment. A few flickering spots, or a small
flashing box, stay under it; many spots flashing together inside one field do not.

Timing is what a viewer sees: GIF frame delays of 10 ms or less are shown for 100 ms by
browsers, so they are read that way here; a looping animation is followed through its
wrap-around. Work is capped: frames are scaled down before analysis, and at most
``max-seconds`` of each file are checked (a note says so when a video is longer).
"""

from __future__ import annotations

import logging
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from postlint_checks.media import flatten_rgb

from postlint.check import Check, Example
from postlint.findings import Severity
from postlint.model import Post

log = logging.getLogger("postlint")

# 25% of 10 degrees of visual field: 341 x 256 px on a 1024 x 768 screen (WCAG 2.3.1).
AREA_FRACTION = 341 * 256 / (1024 * 768)
# The 10-degree field itself, 682 x 512 on that screen: two thirds of each side.
FIELD_SIDE = 2 / 3
LUMINANCE_THRESHOLD = 0.10  # 10% of the maximum relative luminance
DARK_THRESHOLD = 0.80  # the darker state must be below this for a general flash
RED_THRESHOLD = 20.0  # change in (R - G - B) x 320
SATURATED_RED = 0.8  # R / (R + G + B)
NOISE = 0.004  # smaller frame-to-frame changes (compression noise) are not a trend
BROWSER_MIN_DELAY_MS = 100  # GIF delays of 0 or 10 ms are shown for 100 ms
GRID_WIDTH = 64
PRESCALE_SIDE = 256  # frames are shrunk to this before the linear-light averaging
# Work bounds, in decoded pixels: a GIF of 300 frames of 9 MP is a 40 KB file that took
# 30 s to check. Past the budget the check stops and says how much it covered.
MAX_ANIMATION_MEGAPIXELS = 2_000
MAX_VIDEO_MEGAPIXELS = 4_000
REPLAY_MS = 1000  # after one pass, a looping animation is followed this long again


def _srgb_to_linear() -> np.ndarray:
    c = np.arange(256, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


LINEAR = _srgb_to_linear()


@dataclass
class FlashBreach:
    kind: str  # "general" or "red"
    window_start: float  # seconds: start of the first failing one-second window
    detected_at: float  # seconds: when the count went over the limit
    transitions: int  # transitions in that window, for the largest area
    area: float  # fraction of the frame flashing together


@dataclass
class FlashReport:
    breach: FlashBreach | None
    frames: int
    seconds: float

    @property
    def failed(self) -> bool:
        return self.breach is not None


class _TrendTracker:
    """Per-cell luminance (or red) trends: IRIS's accumulate-until-it-turns rule."""

    def __init__(self, threshold: float, dark: float | None):
        self.threshold = threshold
        self.dark = dark
        self.prev: np.ndarray | None = None
        self.acc: np.ndarray | None = None
        self.start: np.ndarray | None = None
        self.counted: np.ndarray | None = None

    def step(self, level: np.ndarray) -> np.ndarray:
        """Cells where a transition completes in this frame (bool array)."""
        if self.prev is None or self.prev.shape != level.shape:
            self.prev = level.copy()
            self.acc = np.zeros_like(level)
            self.start = level.copy()
            self.counted = np.zeros(level.shape, dtype=bool)
            return np.zeros(level.shape, dtype=bool)
        assert self.acc is not None and self.start is not None and self.counted is not None
        delta = level - self.prev
        delta[np.abs(delta) < NOISE * max(self.threshold / LUMINANCE_THRESHOLD, 1.0)] = 0.0
        moving = delta != 0
        turning = moving & ((self.acc == 0) | (np.sign(delta) != np.sign(self.acc)))
        # A new trend starts from the previous level; a continuing one keeps its start.
        self.start = np.where(turning, self.prev, self.start)
        self.acc = np.where(turning, delta, self.acc + delta)
        self.counted &= ~turning
        reached = np.abs(self.acc) >= self.threshold - 1e-6
        if self.dark is not None:
            reached &= np.minimum(self.start, level) < self.dark
        transition = reached & ~self.counted
        self.counted |= transition
        self.prev = level
        return transition


class FlashDetector:
    """Feed frames (RGB uint8 arrays) with their display times; ask for the first breach."""

    def __init__(
        self,
        max_flashes: int = 3,
        area_fraction: float = AREA_FRACTION,
        grid_width: int = GRID_WIDTH,
    ):
        self.max_transitions = 2 * max_flashes  # a flash is a pair of opposing transitions
        self.area_fraction = area_fraction
        self.grid_width = grid_width
        self.general = _TrendTracker(LUMINANCE_THRESHOLD, DARK_THRESHOLD)
        self.red = _TrendTracker(RED_THRESHOLD, None)
        self.history: dict[str, deque[tuple[int, np.ndarray]]] = {
            "general": deque(),
            "red": deque(),
        }
        self.breach: FlashBreach | None = None
        self.frames = 0
        self._grid: tuple[int, int] | None = None

    def _grid_for(self, height: int, width: int) -> tuple[int, int]:
        if self._grid is None:
            cells_w = max(min(self.grid_width, width), 1)
            cells_h = max(round(cells_w * height / max(width, 1)), 1)
            self._grid = (cells_w, cells_h)
        return self._grid

    def levels(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(relative luminance, red value) per grid cell, both averaged in linear light."""
        import cv2

        linear = LINEAR[rgb[..., :3]]
        red, green, blue = linear[..., 0], linear[..., 1], linear[..., 2]
        luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
        total = red + green + blue
        saturated = (total > 0) & (red >= SATURATED_RED * total)
        red_value = np.where(saturated, np.maximum(red - green - blue, 0) * 320.0, 0.0)
        cells = self._grid_for(*luminance.shape)
        luminance = cv2.resize(luminance, cells, interpolation=cv2.INTER_AREA)
        red_value = cv2.resize(red_value.astype(np.float32), cells, interpolation=cv2.INTER_AREA)
        return luminance, red_value

    def add(self, rgb: np.ndarray, time_ms: int) -> FlashBreach | None:
        """Add the frame shown from ``time_ms``; returns the breach once one is found."""
        self.frames += 1
        if self.breach is not None:
            return self.breach
        luminance, red_value = self.levels(rgb)
        for kind, tracker, level in (
            ("general", self.general, luminance),
            ("red", self.red, red_value),
        ):
            transitions = tracker.step(level)
            breach = self._count(kind, transitions, time_ms)
            if breach is not None:
                self.breach = breach
                break
        return self.breach

    def _count(self, kind: str, transitions: np.ndarray, time_ms: int) -> FlashBreach | None:
        import cv2

        history = self.history[kind]
        history.append((time_ms, transitions))
        while history and history[0][0] <= time_ms - 1000:  # keep one second: (now-1s, now]
            history.popleft()
        if not transitions.any():
            return None
        counts = np.sum([mask for _, mask in history], axis=0)
        too_many = (counts > self.max_transitions).astype(np.float32)
        if not too_many.any():
            return None
        # Combined area of the cells flashing too fast inside the worst 10-degree field.
        cells_h, cells_w = too_many.shape
        field = (max(1, round(cells_w * FIELD_SIDE)), max(1, round(cells_h * FIELD_SIDE)))
        sums = cv2.boxFilter(too_many, -1, field, normalize=False, borderType=cv2.BORDER_CONSTANT)
        area = float(sums.max()) / too_many.size
        if area < self.area_fraction - 1e-9:
            return None
        row, column = np.unravel_index(int(np.argmax(sums)), sums.shape)
        top, left = max(0, row - field[1] // 2), max(0, column - field[0] // 2)
        region = np.zeros(too_many.shape, dtype=bool)
        region[top : top + field[1], left : left + field[0]] = True
        region &= too_many > 0
        start = next(t for t, mask in history if (mask & region).any())
        worst = int(counts[region].max())
        return FlashBreach(kind, start / 1000, time_ms / 1000, worst, area)


def _rgb_array(frame: Any) -> np.ndarray:
    """A PIL frame as an RGB array, shrunk, with transparency flattened on white."""
    from PIL import Image

    frame = flatten_rgb(frame)  # always a new image: safe to shrink in place
    if max(frame.size) > PRESCALE_SIDE:
        frame.thumbnail((PRESCALE_SIDE, PRESCALE_SIDE), Image.Resampling.BOX)
    return np.asarray(frame)


def display_delay(duration_ms: int | float | None) -> int:
    """How long browsers show a GIF frame: delays of 10 ms or less become 100 ms."""
    delay = int(duration_ms or 0)
    return BROWSER_MIN_DELAY_MS if delay <= 10 else delay


@dataclass
class Coverage:
    """How much of a file the frame readers got through before a work bound stopped them."""

    cut_at_ms: int | None = None  # None: the whole span that was asked for


def animation_frames(
    info: Any,
    max_seconds: float,
    max_megapixels: float = MAX_ANIMATION_MEGAPIXELS,
    coverage: Coverage | None = None,
) -> Iterator[tuple[np.ndarray, int]]:
    """(frame, shown-at ms) for an animated image, through one loop and its wrap-around.

    After one full pass, frames are replayed (if the file loops) for one more second, so a
    flash across the loop point is seen; the pattern then only repeats. Stops at
    ``max_seconds``, or once ``max_megapixels`` have been decoded (``coverage`` says when).
    Only the frames of the first second are kept for the replay, so memory stays small
    however many frames the file has.
    """
    from PIL import Image

    image = info.open()
    frames = min(int(getattr(image, "n_frames", 1) or 1), len(info.durations_ms) or 1)
    delays = [display_delay(d) for d in (info.durations_ms or [0])][:frames]
    loop_ms = sum(delays)
    plays_more = info.loop is not None  # no NETSCAPE loop block: the animation plays once
    limit_ms = int(max_seconds * 1000)
    end_ms = min(loop_ms + (REPLAY_MS if plays_more else 0), limit_ms)
    budget = max_megapixels * 1_000_000
    cache: dict[int, np.ndarray] = {}
    time_ms = 0
    index = 0
    while time_ms < end_ms:
        position = index % frames
        rgb = cache.get(position)
        if rgb is None:
            if index >= frames:  # a replayed frame past the first second: not needed
                break
            with warnings.catch_warnings():
                # Pillow only warns below twice its own limit: make it refuse instead.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.seek(position)  # reads the frame's header: its size, not its pixels
                pixels = image.size[0] * image.size[1]
                if pixels > getattr(info, "max_pixels", pixels):
                    raise ValueError(
                        f"frame {position + 1} is {image.size[0]:,} x {image.size[1]:,} pixels"
                    )
                budget -= pixels
                if budget < 0:
                    if coverage is not None:
                        coverage.cut_at_ms = time_ms
                    break
                rgb = _rgb_array(image)
            if time_ms < REPLAY_MS:
                cache[position] = rgb
        yield rgb, time_ms
        time_ms += delays[position]
        index += 1
        if index >= frames and not plays_more:
            break


def video_frames(
    path: Any,
    max_seconds: float,
    max_fps: float,
    width: int = PRESCALE_SIDE,
    max_megapixels: float = MAX_VIDEO_MEGAPIXELS,
    coverage: Coverage | None = None,
) -> Iterator[tuple[np.ndarray, int]]:
    """Decoded, shrunk RGB frames of a video with their times, at most ``max_fps`` a second.

    Every frame is decoded (skipped ones too), so the work is bounded by decoded pixels:
    past ``max_megapixels`` the reader stops and ``coverage`` says when.
    """
    import av

    budget = max_megapixels * 1_000_000
    with av.open(path if not isinstance(path, Path) else str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        min_gap_ms = 1000 / max_fps
        last_ms: float | None = None
        for frame in container.decode(stream):
            budget -= frame.width * frame.height
            if budget < 0:
                if coverage is not None:
                    coverage.cut_at_ms = round((frame.time or 0) * 1000)
                break
            if frame.time is None:
                continue
            time_ms = round(frame.time * 1000)
            if time_ms > max_seconds * 1000:
                break
            if last_ms is not None and time_ms - last_ms < min_gap_ms - 0.5:
                continue
            last_ms = time_ms
            scale = min(1.0, width / max(frame.width, 1))
            out_w = max(2, int(frame.width * scale) // 2 * 2)
            out_h = max(2, int(frame.height * scale) // 2 * 2)
            yield frame.to_ndarray(format="rgb24", width=out_w, height=out_h), time_ms


def analyse(
    frames: Iterable[tuple[np.ndarray, int]],
    max_flashes: int = 3,
    area_fraction: float = AREA_FRACTION,
) -> FlashReport:
    detector = FlashDetector(max_flashes, area_fraction)
    last_ms = 0
    for rgb, time_ms in frames:
        last_ms = time_ms
        if detector.add(rgb, time_ms) is not None:
            break
    return FlashReport(detector.breach, detector.frames, last_ms / 1000)


def _describe(breach: FlashBreach, what: str) -> str:
    kind = "red flashes (saturated red)" if breach.kind == "red" else "flashes"
    per_second = breach.transitions / 2
    return (
        f"{what} has {kind} faster than three a second over {breach.area:.0%} of the frame, "
        f"from {breach.window_start:.1f} s (about {per_second:g} flashes in one second). This "
        "can cause seizures (WCAG 2.3.1): slow it to three flashes a second or fewer, lower "
        "the contrast, or shrink the flashing area"
    )


class _FlashCheck(Check):
    severity = Severity.ERROR
    policy = "WCAG 2.3.1 Three Flashes or Below Threshold; 6.2.3 GCS accessibility guidelines"
    options = {
        "max-flashes-per-second": 3,
        "area-fraction": round(AREA_FRACTION, 4),
        "max-seconds": 30,
    }

    def _settings(self) -> tuple[int, float, float]:
        return (
            int(self.opts.get("max-flashes-per-second", 3)),
            float(self.opts.get("area-fraction", AREA_FRACTION)),
            float(self.opts.get("max-seconds", 30)),
        )


class FlashingAnimation(_FlashCheck):
    code = "A060"
    name = "flashing-animation"
    summary = "An animated GIF, APNG or WebP flashes more than three times a second."
    explanation = (
        "Content that flashes more than three times in any second, over an area bigger than "
        "a quarter of the central field of vision, can trigger seizures in people with "
        "photosensitive epilepsy. postlint measures the animation as a browser plays it, "
        "with WCAG 2.3.1's general-flash and red-flash thresholds."
    )
    examples = [
        Example(
            bad="images: [{path: strobe.gif, alt: ...}]   # black/white swaps every 100 ms",
            good="images: [{path: calm.gif, alt: ...}]    # a slow fade once a second",
        )
    ]
    requires = ("image_info",)

    options = {**_FlashCheck.options, "max-megapixels": MAX_ANIMATION_MEGAPIXELS}

    def check(self, post: Post, ctx: Any):
        max_flashes, area, max_seconds = self._settings()
        budget = float(self.opts.get("max-megapixels", MAX_ANIMATION_MEGAPIXELS))
        for info in ctx.analysis("image_info"):
            if not info.readable or not info.animated:
                continue
            yield from _flash_findings_for(
                self,
                post,
                info,
                info.image.location,
                lambda coverage, info=info: animation_frames(info, max_seconds, budget, coverage),
                ("image", "animation"),
                "the animation could not be decoded for the flashing check ({error}); "
                "export it again",
                max_flashes,
                area,
            )


def _flash_findings_for(
    check: Check,
    post: Post,
    info: Any,
    location: Any,
    decode: Any,
    kinds: tuple[str, str],
    failure: str,
    max_flashes: int,
    area: float,
) -> list[Any]:
    """The finding for one animation or video: a breach, a file that would not decode, or
    one checked only in part; none when it passed in full. ``decode(coverage)`` gives its
    frames; ``kinds`` names it for the log and for the cut-short message."""
    coverage = Coverage()
    try:
        report = analyse(decode(coverage), max_flashes, area)
    except Exception as exc:  # a frame that fails to decode is a broken file
        log.debug("flash analysis failed for %s %s", kinds[0], info.index, exc_info=True)
        message = f"{info.source}: " + failure.format(error=type(exc).__name__)
        return [
            check.finding(
                post,
                message,
                location=location,
                field_name=info.field_name,
                severity=Severity.WARNING,
            )
        ]
    if report.breach is not None:
        return [
            check.finding(
                post,
                _describe(report.breach, info.source),
                location=location,
                field_name=info.field_name,
            )
        ]
    if coverage.cut_at_ms is not None:
        return [check.finding(post, **_cut_short(check, info, coverage, kinds[1]))]
    return []


def _cut_short(check: Check, info: Any, coverage: Coverage, what: str) -> dict[str, Any]:
    """Finding arguments for a file too big to check for flashing in full."""
    seconds = (coverage.cut_at_ms or 0) / 1000
    location = (getattr(info, "image", None) or getattr(info, "video", None)).location
    return {
        "message": (
            f"{info.source}: only the first {seconds:.1f} s of this {what} were checked for "
            f"flashing: its frames are too large to decode in full (over "
            f"{check.opts.get('max-megapixels')} megapixels). Check the rest yourself, or "
            f"export a smaller {what}"
        ),
        "location": location,
        "field_name": info.field_name,
        "severity": Severity.INFO,
    }


class FlashingVideo(_FlashCheck):
    code = "A061"
    name = "flashing-video"
    summary = "A video flashes more than three times a second."
    explanation = FlashingAnimation.explanation.replace("the animation", "the video") + (
        " Videos are decoded at up to max-fps frames a second for the first max-seconds."
    )
    examples = [
        Example(
            bad="videos: [{path: party-lights.mp4, captions: [party-lights.vtt]}]",
            good="videos: [{path: clinic-tour.mp4, captions: [clinic-tour.vtt]}]",
            note="The bad video alternates black and white frames five times a second.",
        )
    ]
    requires = ("video_info",)
    options = {
        **_FlashCheck.options,
        "max-seconds": 15,
        "max-fps": 25,
        "max-megapixels": MAX_VIDEO_MEGAPIXELS,
    }

    def check(self, post: Post, ctx: Any):
        max_flashes, area, max_seconds = self._settings()
        max_fps = float(self.opts.get("max-fps", 25))
        budget = float(self.opts.get("max-megapixels", MAX_VIDEO_MEGAPIXELS))
        for info in ctx.analysis("video_info"):
            if not info.readable:
                continue
            findings = _flash_findings_for(
                self,
                post,
                info,
                info.video.location,
                lambda coverage, info=info: video_frames(
                    info.media, max_seconds, max_fps, max_megapixels=budget, coverage=coverage
                ),
                ("video", "video"),
                "frames could not be decoded for the flashing check ({error}); "
                "export the video again",
                max_flashes,
                area,
            )
            yield from findings
            if not findings and info.duration and info.duration > max_seconds + 0.5:
                yield self.finding(
                    post,
                    f"{info.source}: only the first {max_seconds:g} s of {info.duration:.0f} s "
                    "were checked for flashing; check the rest yourself, or raise max-seconds "
                    "in [tool.postlint.options.flashing-video]",
                    location=info.video.location,
                    field_name=info.field_name,
                    severity=Severity.INFO,
                )


CHECKS = [FlashingAnimation, FlashingVideo]
