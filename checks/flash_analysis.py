"""The flash detector behind A060 and A061 (see ``flashing`` for how it works), apart from
the checks so that numpy and OpenCV load only when a post has an animation or a video.
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

from .flashing import (
    AREA_FRACTION,
    BROWSER_MIN_DELAY_MS,
    DARK_THRESHOLD,
    FIELD_SIDE,
    GRID_WIDTH,
    LUMINANCE_THRESHOLD,
    MAX_ANIMATION_MEGAPIXELS,
    MAX_VIDEO_MEGAPIXELS,
    NOISE,
    PRESCALE_SIDE,
    RED_THRESHOLD,
    REPLAY_MS,
    SATURATED_RED,
)

log = logging.getLogger("postlint")


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


def describe(breach: FlashBreach, what: str) -> str:
    kind = "red flashes (saturated red)" if breach.kind == "red" else "flashes"
    per_second = breach.transitions / 2
    return (
        f"{what} has {kind} faster than three a second over {breach.area:.0%} of the frame, "
        f"from {breach.window_start:.1f} s (about {per_second:g} flashes in one second). This "
        "can cause seizures (WCAG 2.3.1): slow it to three flashes a second or fewer, lower "
        "the contrast, or shrink the flashing area"
    )
