"""WCAG 2.3.1 flash detection (A060 animations, A061 video), proved on GIFs generated here
just above and just below each threshold, and on real video decoded with PyAV."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from postlint_checks import flashing, media

from postlint.config import Config
from postlint.findings import Severity
from postlint.model import Image as ImageField
from postlint.runner import PipelineFactory, lint_paths

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "media"
BLACK, WHITE = (0, 0, 0), (255, 255, 255)
ALT = "A square that changes colour."


def make_gif(path, first, second, delays, size=(200, 150), box=None, loop=0):
    """Frames alternate ``first`` and ``second`` (inside ``box``, on grey, when given)."""
    frames = []
    for number in range(len(delays)):
        colour = first if number % 2 == 0 else second
        frame = Image.new("RGB", size, (128, 128, 128) if box else colour)
        if box:
            frame.paste(colour, box)
        frames.append(frame)
    extra = {} if loop is None else {"loop": loop}
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=delays, **extra)
    return path


def analyse_gif(path):
    info = media.read_image(0, ImageField(path=path, source=path.name), 50_000_000, 1600)
    assert info.readable and info.animated
    return flashing.analyse(flashing.animation_frames(info, 30)).breach


# Three flashes a second exactly: six transitions a second, frames of 170/160/170 ms
# (GIF delays are in hundredths) so every second holds exactly six.
THREE_PER_SECOND = [170, 160, 170] * 8
FOUR_PER_SECOND = [120, 130] * 12  # eight transitions a second


def test_three_flashes_a_second_passes(tmp_path):
    assert analyse_gif(make_gif(tmp_path / "3.gif", BLACK, WHITE, THREE_PER_SECOND)) is None


def test_four_flashes_a_second_fails(tmp_path):
    breach = analyse_gif(make_gif(tmp_path / "4.gif", BLACK, WHITE, FOUR_PER_SECOND))
    assert breach is not None and breach.kind == "general"
    assert breach.transitions == 7  # more than six transitions: more than three flashes
    assert breach.window_start == pytest.approx(0.12)  # the first transition
    assert breach.detected_at < 1.0


def test_small_flashing_area_passes(tmp_path):
    # 40 x 40 of 200 x 150 is 5% of the frame, under the 11.1% (341 x 256 of 1024 x 768).
    path = make_gif(tmp_path / "small.gif", BLACK, WHITE, [100] * 30, box=(20, 20, 60, 60))
    assert analyse_gif(path) is None


def test_area_just_above_threshold_fails(tmp_path):
    # 70 x 40 = 9.3% passes; 80 x 50 = 13.3% fails.
    below = make_gif(tmp_path / "below.gif", BLACK, WHITE, [100] * 30, box=(10, 10, 80, 50))
    above = make_gif(tmp_path / "above.gif", BLACK, WHITE, [100] * 30, box=(10, 10, 90, 60))
    assert analyse_gif(below) is None
    breach = analyse_gif(above)
    assert breach is not None and 0.111 <= breach.area < 0.2


def spots_detector(count, side, seed=7):
    """Frames with ``count`` separate squares flashing black/white on grey, 5 a second."""
    rng = np.random.default_rng(seed)
    spots = [(rng.integers(0, 200 - side), rng.integers(0, 150 - side)) for _ in range(count)]
    detector = flashing.FlashDetector()
    for number in range(30):
        frame = np.full((150, 200, 3), 128, dtype=np.uint8)
        for x, y in spots:
            frame[y : y + side, x : x + side] = 255 if number % 2 else 0
        if detector.add(frame, number * 100) is not None:
            break
    return detector.breach


def test_a_few_scattered_spots_pass():
    # Six 6 x 6 spots: about 0.7% of the frame, however they are spread.
    assert spots_detector(6, 6) is None


def test_many_spots_flashing_together_combine():
    # WCAG counts the combined area of concurrent flashes within a 10-degree field: 120
    # separate 10 x 10 spots flashing in step cover about a third of the frame, more than
    # 25% of any 10-degree field, though no one spot is big.
    breach = spots_detector(120, 10)
    assert breach is not None and breach.area >= flashing.AREA_FRACTION


def test_low_contrast_flash_passes(tmp_path):
    # Grey 110 <-> 130: a change in relative luminance of about 0.05, under 0.1.
    assert analyse_gif(make_gif(tmp_path / "low.gif", (110,) * 3, (130,) * 3, [100] * 30)) is None


def test_contrast_just_over_the_luminance_threshold_fails(tmp_path):
    # Grey 100 (L 0.127) <-> 140 (L 0.262): a change of 0.135.
    assert analyse_gif(make_gif(tmp_path / "mid.gif", (100,) * 3, (140,) * 3, [100] * 30))


def test_flash_between_bright_states_passes(tmp_path):
    # Darker state 235 has relative luminance 0.83: not below 0.80, so not a general flash.
    assert analyse_gif(make_gif(tmp_path / "bright.gif", (235,) * 3, WHITE, [100] * 30)) is None


def test_red_flash_fails_even_without_a_luminance_change(tmp_path):
    # Saturated red and a grey of the same relative luminance (0.2126 ~ sRGB 127).
    breach = analyse_gif(make_gif(tmp_path / "red.gif", (255, 0, 0), (127, 127, 127), [100] * 30))
    assert breach is not None and breach.kind == "red"


def test_red_threshold_boundary(tmp_path):
    # (R - G - B) x 320 with R linearised: sRGB 70 gives 19.6 (under 20), sRGB 75 gives 22.5.
    assert analyse_gif(make_gif(tmp_path / "r70.gif", (70, 0, 0), BLACK, [100] * 30)) is None
    breach = analyse_gif(make_gif(tmp_path / "r75.gif", (75, 0, 0), BLACK, [100] * 30))
    assert breach is not None and breach.kind == "red"


def test_zero_delays_are_played_at_100_ms(tmp_path):
    # Browsers show 0 and 10 ms frames for 100 ms: five flashes a second, which fails;
    # read literally as 0 ms, all frames would fall at one instant.
    assert flashing.display_delay(0) == 100 and flashing.display_delay(10) == 100
    assert flashing.display_delay(20) == 20
    assert analyse_gif(make_gif(tmp_path / "zero.gif", BLACK, WHITE, [0] * 12))


def test_looping_two_frame_gif_is_followed_round_the_loop(tmp_path):
    assert analyse_gif(make_gif(tmp_path / "loop.gif", BLACK, WHITE, [100, 100]))
    assert analyse_gif(make_gif(tmp_path / "once.gif", BLACK, WHITE, [100, 100], loop=None)) is None


def test_slow_fade_passes():
    detector = flashing.FlashDetector()
    for number in range(100):  # black to white and back, twice over 10 s
        level = int(255 * abs(((number / 25) % 2) - 1))
        assert detector.add(np.full((60, 80, 3), level, dtype=np.uint8), number * 100) is None


def test_relative_luminance_linearisation():
    assert flashing.LINEAR[0] == 0 and flashing.LINEAR[255] == pytest.approx(1.0)
    assert flashing.LINEAR[10] == pytest.approx(10 / 255 / 12.92)
    assert flashing.LINEAR[128] == pytest.approx(0.2158, abs=1e-4)


# ------------------------------------------------------------------------- the rules


def lint(tmp_path, front, select, **cfg):
    draft = tmp_path / "draft.md"
    draft.write_text(f"---\n{yaml.safe_dump(front)}---\nOur new video.\n", encoding="utf-8")
    config = Config(select=tuple(select.split(",")), allow_media_outside=True, **cfg)
    return lint_paths([draft], PipelineFactory(config)).findings


def test_a060_reports_the_time_of_the_breach(tmp_path):
    path = make_gif(tmp_path / "strobe.gif", BLACK, WHITE, [100] * 30)
    found = lint(tmp_path, {"images": [{"path": str(path), "alt": ALT}]}, "A060")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "from 0.1 s" in found[0].message and "WCAG 2.3.1" in found[0].message


def test_a060_passes_a_calm_animation_and_still_images(tmp_path):
    front = {
        "images": [
            {"path": str(MEDIA / "calm-wave.gif"), "alt": ALT},
            {"path": str(MEDIA / "pharmacy-front.jpg"), "alt": ALT},
        ]
    }
    assert not lint(tmp_path, front, "A060")


def test_a060_options_change_the_limit(tmp_path):
    path = make_gif(tmp_path / "4.gif", BLACK, WHITE, FOUR_PER_SECOND)
    front = {"images": [{"path": str(path), "alt": ALT}]}
    assert lint(tmp_path, front, "A060")
    options = {"flashing-animation": {"max-flashes-per-second": 4}}
    assert not lint(tmp_path, front, "A060", options=options)


def test_a060_checks_animated_png(tmp_path):
    path = tmp_path / "strobe.png"
    frames = [Image.new("RGB", (120, 90), c) for c in (BLACK, WHITE) * 6]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert lint(tmp_path, {"images": [{"path": str(path), "alt": ALT}]}, "A060")


def test_a061_flashing_video_fails(tmp_path):
    front = {"videos": [{"path": str(MEDIA / "flashing.mp4")}]}
    found = lint(tmp_path, front, "A061")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "flashing.mp4" in found[0].message


def test_a061_ordinary_video_passes_and_says_what_it_skipped(tmp_path):
    front = {"videos": [{"path": str(MEDIA / "pharmacy-first.mp4")}]}
    found = lint(tmp_path, front, "A061")  # 20 s video, 15 s checked by default
    assert [f.severity for f in found] == [Severity.INFO]
    options = {"flashing-video": {"max-seconds": 30}}
    assert not lint(tmp_path, front, "A061", options=options)


def test_a061_skips_unreadable_video(tmp_path):
    front = {"videos": [{"path": str(MEDIA / "truncated.mp4")}]}
    assert not lint(tmp_path, front, "A061")


def test_video_frames_are_capped_and_downscaled():
    frames = list(flashing.video_frames(MEDIA / "pharmacy-first.mp4", 2, 2))
    times = [t for _, t in frames]
    assert times[-1] <= 2000 and len(frames) <= 5
    assert min(b - a for a, b in pairwise(times)) >= 499  # at most max_fps frames a second
    assert frames[0][0].shape[1] <= flashing.PRESCALE_SIDE
