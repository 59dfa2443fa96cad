#!/usr/bin/env python3
"""Rebuilds the media fixtures in fixtures/media/ (images, GIFs, videos, caption files).

The outputs are committed (each under 100 KB) so the tests need neither fonts nor ffmpeg;
this script is how they were made, so anyone can make them again or change them:

    .venv/bin/python scripts/make_media_fixtures.py          # everything
    .venv/bin/python scripts/make_media_fixtures.py --check  # only report sizes

Images and GIFs are drawn with Pillow (DejaVu fonts for the poster text). Videos are made
with the ffmpeg command line from lavfi test sources, with x264 at a low bit rate so each
stays small. Larger files (over platform size limits) are never committed: the tests build
them in a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "media"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_BYTES = 100_000
NHS_BLUE = (0, 94, 184)
NHS_DARK_BLUE = (0, 48, 135)
WHITE = (255, 255, 255)


def font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = FONT_DIR / name
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    print(f"warning: {path} missing; using Pillow's default font", file=sys.stderr)
    return ImageFont.load_default(size)


# ---------------------------------------------------------------- still images


def poster(path: Path, lines: list[str], size: tuple[int, int] = (800, 450)) -> None:
    """A campaign graphic that is mostly text: the case OCR (A042) is for."""
    image = Image.new("RGB", size, NHS_BLUE)
    draw = ImageDraw.Draw(image)
    y = 40
    for number, line in enumerate(lines):
        face = font(44 if number == 0 else 32, bold=number == 0)
        draw.text((40, y), line, fill=WHITE, font=face)
        y += 70 if number == 0 else 50
    draw.rectangle((0, size[1] - 24, size[0], size[1]), fill=NHS_DARK_BLUE)
    image.save(path, optimize=True)


def photo(path: Path, size: tuple[int, int] = (480, 320), quality: int = 70) -> None:
    """A 'photo' with no text: sky, a building, a door and a path, in soft gradients."""
    width, height = size
    image = Image.new("RGB", size)
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            if y < height * 0.55:  # sky
                pixels[x, y] = (120 + y // 4, 170 + y // 6, 230)
            else:  # grass
                pixels[x, y] = (60 + (x * 7 + y * 3) % 20, 140 + (x + y) % 25, 60)
    draw = ImageDraw.Draw(image)
    draw.rectangle((140, 90, 360, 230), fill=(205, 190, 170))  # the pharmacy building
    draw.rectangle((230, 160, 270, 230), fill=NHS_BLUE)  # door
    for x in (160, 300):
        draw.rectangle((x, 115, x + 40, 145), fill=(180, 215, 240))  # windows
    draw.polygon([(235, 230), (265, 230), (300, height), (200, height)], fill=(170, 170, 160))
    image.save(path, quality=quality, optimize=True)


def bomb(path: Path) -> None:
    """A tiny PNG that decodes to 100 megapixels: a decompression bomb (A043)."""
    Image.new("1", (10_000, 10_000), 0).save(path, optimize=True)


def truncated(source: Path, path: Path) -> None:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def svg(path: Path) -> None:
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">'
        '<rect width="200" height="80" fill="#005EB8"/>'
        '<text x="20" y="50" fill="#fff" font-size="32">NHS</text></svg>\n',
        encoding="utf-8",
    )


# ---------------------------------------------------------------- animated GIFs


def gif(path: Path, colours: list[tuple[int, int, int]], durations: list[int], size=(96, 72)):
    frames = [Image.new("RGB", size, colour) for colour in colours]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=durations, loop=0)


def calm_gif(path: Path) -> None:
    """A slow, gentle animation: the NHS blue fading to a lighter blue once a second."""
    blues = [(0, 94, 184), (30, 120, 200), (65, 150, 215), (30, 120, 200)]
    frames = []
    for colour in blues:
        frame = Image.new("RGB", (160, 120), colour)
        ImageDraw.Draw(frame).ellipse((50, 30, 110, 90), fill=WHITE)
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=1000, loop=0)


# ---------------------------------------------------------------- videos and captions


def ffmpeg(*args: str) -> None:
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(command, check=True, timeout=120)


X264 = ["-c:v", "libx264", "-preset", "veryslow", "-crf", "40", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "16k", "-ac", "1", "-ar", "16000"]
BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]


def video(path: Path, seconds: int, size: str = "160x120", rate: int = 5) -> None:
    """A test-card video with a quiet tone: it has sound, so it needs captions."""
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=16000:duration={seconds}",
        *X264, *AAC, *BITEXACT, "-shortest", str(path),
    )  # fmt: skip


def burned_in_video(path: Path, seconds: int) -> None:
    """A still picture with a caption drawn into its lower part, and a quiet tone: the
    words are part of the picture (burned-in captions, A080)."""
    still = path.with_suffix(".png")
    picture = Image.new("RGB", (640, 360), (0, 94, 184))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 280, 600, 340), fill=(0, 0, 0))
    draw.text((60, 290), "Book your flu jab today", font=font(28), fill=(255, 255, 255))
    picture.save(still)
    try:
        ffmpeg(
            "-loop", "1", "-i", str(still),
            "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=16000:duration={seconds}",
            "-t", str(seconds), "-r", "5", *X264, *AAC, *BITEXACT, "-shortest", str(path),
        )  # fmt: skip
    finally:
        still.unlink(missing_ok=True)


def silent_video(path: Path, seconds: int) -> None:
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size=160x120:rate=5:duration={seconds}",
        *X264, *BITEXACT, str(path),
    )  # fmt: skip


def audio_only(path: Path, seconds: int) -> None:
    ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=16000:duration={seconds}",
        *AAC, *BITEXACT, str(path),
    )  # fmt: skip


def flashing_video(path: Path, seconds: int) -> None:
    """Black and white frames alternating at 10 fps: 5 flashes a second (A061)."""
    ffmpeg(
        "-f", "lavfi", "-i", f"color=c=black:size=96x72:rate=10:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=16000:duration={seconds}",
        "-vf", "geq=lum='if(mod(N,2),235,16)':cb=128:cr=128",
        *X264, *AAC, *BITEXACT, "-shortest", str(path),
    )  # fmt: skip


def video_with_subtitles(path: Path, source_video: Path, captions: Path) -> None:
    """The same video with the captions muxed in as an mp4 mov_text subtitle stream."""
    ffmpeg(
        "-i", str(source_video), "-i", str(captions),
        "-map", "0", "-map", "1", "-c:v", "copy", "-c:a", "copy", "-c:s", "mov_text",
        "-metadata:s:s:0", "language=eng", *BITEXACT, str(path),
    )  # fmt: skip


CAPTIONS: dict[str, str] = {
    # 20 s video: cues cover it to the end, at a comfortable reading rate.
    "pharmacy-first.vtt": """WEBVTT

00:00:00.500 --> 00:00:04.400
Pharmacy First means you can get
treatment for seven common conditions

00:00:04.600 --> 00:00:08.000
without a GP appointment.

00:00:08.200 --> 00:00:12.500
Just walk in to a pharmacy in Southend,
Basildon or Thurrock.

00:00:12.700 --> 00:00:16.900
The pharmacist will check your symptoms
and give you advice or medicine.

00:00:17.100 --> 00:00:19.800
[upbeat music]
""",
    "pharmacy-first.en_GB.srt": """1
00:00:00,500 --> 00:00:04,400
Pharmacy First means you can get
treatment for seven common conditions

2
00:00:04,600 --> 00:00:08,000
without a GP appointment.

3
00:00:08,200 --> 00:00:12,500
Just walk in to a pharmacy in Southend,
Basildon or Thurrock.

4
00:00:12,700 --> 00:00:16,900
The pharmacist will check your symptoms
and give you advice or medicine.

5
00:00:17,100 --> 00:00:19,800
[upbeat music]
""",
    # Two cues with far too many words for their time (A074), one of 0.4 s (A077).
    "too-fast.srt": """1
00:00:00,500 --> 00:00:02,000
If you need urgent help for your mental
health you can call NHS 111 and choose

2
00:00:02,000 --> 00:00:03,500
option 2 at any time of day or night,
every day of the year, free of charge.

3
00:00:03,500 --> 00:00:03,900
Call 111.

4
00:00:04,000 --> 00:00:19,800
You can also talk to your GP practice.
""",
    # Lines of more than 42 characters (A076).
    "long-lines.vtt": """WEBVTT

00:00:00.500 --> 00:00:09.500
Flu vaccinations are now available at GP practices across Mid and South Essex

00:00:09.700 --> 00:00:19.800
Book yours today.
""",
    # A cue of three lines on a landscape video (A075).
    "three-lines.srt": """1
00:00:00,500 --> 00:00:09,500
Your child can have
the nasal spray flu vaccine
at school this autumn.

2
00:00:09,700 --> 00:00:19,800
Look out for the consent form.
""",
    # Not valid WebVTT: no header and a broken timing line (A072).
    "malformed.vtt": """00:00:00.500 -> 00:00:04.000
Pharmacy First is here.

00:00:04.200 --> banana
Walk in today.
""",
    # Captions stop after 6 s of a 20 s video, after a 12 s gap (A073).
    "gap.srt": """1
00:00:00,500 --> 00:00:03,000
Welcome to the new health centre.

2
00:00:15,000 --> 00:00:17,000
It opens on Monday.
""",
    # Two cues on screen at once (A078).
    "overlap.srt": """1
00:00:00,500 --> 00:00:09,000
Community diagnostic centres offer
scans closer to home.

2
00:00:08,000 --> 00:00:19,800
Ask your GP for a referral.
""",
    # For the 3 s flashing clip: captions are fine, the picture is not.
    "short-clip.vtt": """WEBVTT

00:00:00.200 --> 00:00:02.900
[dance music]
""",
    # Vertical 6 s clip: three short lines per cue are fine on a narrow screen.
    "vertical-clip.srt": """1
00:00:00,300 --> 00:00:05,800
Walk-in vaccinations
this Saturday at
Southend Pier.
""",
}
# Saved as Windows-1252, not UTF-8 (A072 warns; the cues are still read).
CP1252_SRT = """1
00:00:00,500 --> 00:00:09,500
Prescriptions cost £9.90 an item
in England.

2
00:00:09,700 --> 00:00:19,800
Ask your pharmacist about
a prepayment certificate.
"""


def captions(out: Path) -> None:
    for name, text in CAPTIONS.items():
        (out / name).write_text(text, encoding="utf-8")
    (out / "windows-1252.srt").write_bytes(CP1252_SRT.encode("cp1252"))


# ---------------------------------------------------------------- main


def build(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    poster(
        out / "flu-jab-poster.png",
        [
            "Get your free flu jab",
            "If you are 65 or over, pregnant or",
            "have a long-term health condition,",
            "book at your GP practice or pharmacy.",
        ],
    )
    photo(out / "pharmacy-front.jpg")
    photo(out / "IMG_2041.jpg", size=(360, 240))
    truncated(out / "pharmacy-front.jpg", out / "truncated.jpg")
    (out / "empty.png").write_bytes(b"")
    Image.open(out / "flu-jab-poster.png").convert("RGB").save(
        out / "really-a-jpeg.png", "JPEG", quality=60
    )
    bomb(out / "bomb.png")
    svg(out / "logo.svg")
    calm_gif(out / "calm-wave.gif")
    gif(out / "flashing.gif", [(0, 0, 0), (255, 255, 255)] * 10, [100] * 20)

    captions(out)
    if shutil.which("ffmpeg") is None:
        print("ffmpeg is not installed: videos not rebuilt", file=sys.stderr)
        return
    video(out / "pharmacy-first.mp4", 20)
    video(out / "vertical-clip.mp4", 6, size="90x160")
    silent_video(out / "silent-loop.mp4", 4)
    audio_only(out / "radio-advert.mp4", 4)
    flashing_video(out / "flashing.mp4", 3)
    burned_in_video(out / "burned-in-captions.mp4", 4)
    video_with_subtitles(
        out / "with-subtitles.mp4", out / "pharmacy-first.mp4", out / "pharmacy-first.en_GB.srt"
    )
    whole = (out / "pharmacy-first.mp4").read_bytes()
    (out / "truncated.mp4").write_bytes(whole[: len(whole) // 3])


def report(out: Path) -> int:
    too_big = 0
    for path in sorted(out.iterdir()):
        size = path.stat().st_size
        flag = "  TOO BIG" if size >= MAX_BYTES else ""
        too_big += bool(flag)
        print(f"{size:>8}  {path.name}{flag}")
    return 1 if too_big else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list sizes")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not args.check:
        build(args.out)
    return report(args.out)


if __name__ == "__main__":
    sys.exit(main())
