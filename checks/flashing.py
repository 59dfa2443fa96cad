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
from typing import Any

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


# The detector lives in flash_analysis (numpy, OpenCV), imported on first use; its names
# stay readable here (flashing.analyse, flashing.LINEAR...) for callers and tests.
_ENGINE_NAMES = {
    "LINEAR",
    "FlashBreach",
    "FlashReport",
    "FlashDetector",
    "Coverage",
    "display_delay",
    "animation_frames",
    "video_frames",
    "analyse",
}


def _engine() -> Any:
    from . import flash_analysis

    return flash_analysis


def __getattr__(name: str) -> Any:
    if name in _ENGINE_NAMES:
        from . import flash_analysis

        return getattr(flash_analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
                lambda coverage, info=info: _engine().animation_frames(
                    info, max_seconds, budget, coverage
                ),
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
    from .flash_analysis import Coverage, analyse, describe

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
                describe(report.breach, info.source),
                location=location,
                field_name=info.field_name,
            )
        ]
    if coverage.cut_at_ms is not None:
        return [check.finding(post, **_cut_short(check, info, coverage, kinds[1]))]
    return []


def _cut_short(check: Check, info: Any, coverage: Any, what: str) -> dict[str, Any]:
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
                lambda coverage, info=info: _engine().video_frames(
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
