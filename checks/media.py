"""Shared media analyses: ``image_info`` and ``video_info``, computed once per post.

Each image and each video of a post is read once, here, and every media check (alt text,
OCR, flashing, captions, platform formats, photo privacy) works from the result.

``image_info(post, ctx) -> list[ImageInfo]``, one per ``post.images`` entry, same order:

    index          position in post.images
    image          the postlint.model.Image (source, alt, decorative, location)
    size_bytes     file size, or None when the file could not be read
    format         what the bytes are: Pillow's name (JPEG, PNG, GIF, WEBP, MPO...) or a
                   sniffed one Pillow cannot decode (SVG, HEIF); None when unknown
    declared       the format the file name's extension claims (None for no extension)
    width, height  pixels (0 when unknown); mode: Pillow mode ("RGB", "P", "1"...)
    frames         number of frames (1 for a still image)
    durations_ms   each frame's delay as stored in the file (animated images)
    loop           GIF/PNG/WebP loop count: None plays once, 0 loops forever
    exif           {tag name: value} from the main IFD and the Exif sub-IFD; bytes longer
                   than 256 are dropped, IFDRational values become floats
    gps            {GPS tag name: value}, e.g. {"GPSLatitude": (51.0, 34.0, 12.5),
                   "GPSLatitudeRef": "N", ...}; {} when there is none
    preview        an RGB copy (EXIF orientation applied, transparency flattened on
                   white), longest side at most PREVIEW_MAX_SIDE; None when unreadable
    problem        why the image cannot be checked (missing, corrupt, bomb, unsupported)
    problem_severity  "error" or "warning" for that problem
    notes          damage that still lets the image be checked (a GIF cut short after some
                   frames, a PNG with a bad checksum), reported as warnings
    info.open()    a fresh PIL image over the same bytes (for iterating frames)

``video_info(post, ctx) -> list[VideoInfo]``, one per ``post.videos`` entry:

    duration       seconds (None when unknown); width/height as displayed (rotation
                   applied); rotation in degrees; fps; has_video, has_audio;
    subtitle_streams  [(codec, language)] embedded in the container
    vertical       True when taller than wide (3 caption lines are then allowed)
    captions       [CaptionFile] for the sidecar files (SRT, WebVTT), parsed once: cues
                   (start, end, lines, line number), encoding, problem and its line
    problem        unreadable, truncated, no streams... with problem_severity

Readers never raise for a bad file: every problem is a string on the info, and the
checks turn it into a finding. Work is bounded: files over MAX_READ_BYTES are not read,
images over the pixel limit are not decoded (decompression bombs), frames are capped.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from postlint.model import Image as ImageField
from postlint.model import Post
from postlint.model import Video as VideoField

log = logging.getLogger("postlint")

DATA_DIR = Path(__file__).parent / "data"
PREVIEW_MAX_SIDE = 1600  # enough for OCR of social graphics and for face detection
MAX_READ_BYTES = 200_000_000  # no platform takes a bigger post image; no need to read it
DEFAULT_MAX_PIXELS = 50_000_000  # decompression-bomb guard (Pillow's own is 89 MP)
MAX_FRAMES_LISTED = 5_000  # frames whose delays are read from an animated image
# Reading a frame's delay through Pillow decodes the frame: a GIF of 300 frames of 9 MP
# took 15 s. GIF delays are read from the file's blocks instead; for other formats,
# frames stop being listed once this many pixels have been decoded.
MAX_LISTING_PIXELS = 500_000_000
# A four-hour film's SRT is about 400 KB; parsing costs ~5 KB of memory a cue (pysrt), so
# a file near this size already takes ~150 MB.
MAX_CAPTION_BYTES = 1_000_000

# What the file name says the image is, by extension.
EXTENSION_FORMATS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".png": "PNG",
    ".apng": "PNG",
    ".gif": "GIF",
    ".webp": "WEBP",
    ".bmp": "BMP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".heic": "HEIF",
    ".heif": "HEIF",
    ".avif": "AVIF",
    ".svg": "SVG",
}
# The only formats Pillow is asked to open: what platforms take, and what cameras and
# design tools export. Pillow's other plugins (ICO, ICNS, PSD, TGA...) are never tried: an
# ICO decodes its largest icon on open, so a 79 KB file held 81 MB before any size check.
PILLOW_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "BMP", "TIFF", "AVIF")


def pillow_formats() -> tuple[str, ...]:
    """PILLOW_FORMATS that this Pillow can open (it wants its plugins loaded first)."""
    from PIL import Image

    Image.init()  # loads every plugin once; a no-op afterwards
    return tuple(name for name in PILLOW_FORMATS if name in Image.OPEN)


# Pillow names that are the same thing for people and platforms (a phone's JPEG with a
# depth map is an MPO).
SAME_FORMAT = {"MPO": "JPEG"}


def media_options(ctx: Any) -> dict[str, Any]:
    """``[tool.postlint.options.media]``: max-pixels, preview-max-side."""
    if ctx is None or not hasattr(ctx, "options_for"):
        return {}
    return ctx.options_for("media")


# ---------------------------------------------------------------------------- images


@dataclass
class ImageInfo:
    index: int
    image: ImageField
    size_bytes: int | None = None
    format: str | None = None
    declared: str | None = None
    width: int = 0
    height: int = 0
    mode: str = ""
    frames: int = 1
    durations_ms: list[int] = field(default_factory=list)
    loop: int | None = None
    exif: dict[str, Any] = field(default_factory=dict)
    gps: dict[str, Any] = field(default_factory=dict)
    preview: Any = None  # PIL.Image.Image in RGB, or None
    problem: str | None = None
    problem_severity: str = "error"
    notes: list[str] = field(default_factory=list)  # damage that still lets it be checked
    max_pixels: int = DEFAULT_MAX_PIXELS  # frames bigger than this are not decoded
    _data: bytes | None = field(default=None, repr=False)

    @property
    def source(self) -> str:
        return self.image.source or (self.image.path.name if self.image.path else "upload")

    @property
    def field_name(self) -> str:
        return f"images[{self.index}]"

    @property
    def readable(self) -> bool:
        return self.problem is None and self._data is not None

    @property
    def animated(self) -> bool:
        return self.frames > 1

    @property
    def normalised_format(self) -> str | None:
        return SAME_FORMAT.get(self.format or "", self.format)

    def open(self) -> Any:
        """A fresh PIL image over the file's bytes (the caller iterates frames)."""
        from PIL import Image

        if self._data is None:
            raise ValueError("image has no data")
        with warnings.catch_warnings():  # damaged EXIF: read_image already said what matters
            warnings.simplefilter("ignore", UserWarning)
            return Image.open(io.BytesIO(self._data), formats=pillow_formats())


def sniff_format(data: bytes) -> str | None:
    """The format from the first bytes, for files Pillow cannot (or should not) open."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
            return "HEIF"
    if head.startswith(b"BM"):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "SVG"
    return None


def _read_bytes(image: ImageField) -> tuple[bytes | None, int | None, str | None]:
    """(data, size, problem): the image's bytes, read once, with a size cap."""
    if image.data is not None:
        return image.data, len(image.data), None
    if image.path is None:
        return None, None, image.problem or "no file was given for this image"
    try:
        info = image.path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A named pipe would block the read for ever, a device never ends.
            return None, None, "this is not a regular file (a folder, pipe or device)"
        size = info.st_size
        if size > MAX_READ_BYTES:
            return (
                None,
                size,
                (
                    f"the file is {size / 1e6:.0f} MB: too large for postlint to open, and for "
                    "any platform to accept"
                ),
            )
        return _read_regular(image.path, MAX_READ_BYTES), size, None
    except OSError as exc:
        return None, None, f"cannot read the file: {exc.strerror or exc}"


def _read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, never blocking on a pipe or device (the
    file may have been swapped for one since it was checked)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(limit + 1)[:limit]


def _exif_value(value: Any) -> Any:
    from PIL.TiffImagePlugin import IFDRational

    if isinstance(value, IFDRational):
        return float(value) if value.denominator else 0.0
    if isinstance(value, tuple):
        return tuple(_exif_value(v) for v in value)
    if isinstance(value, bytes):
        if len(value) > 256:
            return None
        return value.rstrip(b"\x00").decode("latin-1")
    if isinstance(value, str):
        return value.rstrip("\x00")
    return value


def _read_exif(img: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from PIL import ExifTags

    # Pillow warns on stderr about damaged EXIF ("Corrupt EXIF data"): the user would see
    # the warning with no file name, so it is silenced; the tags that can be read are kept.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exif = img.getexif()
        except Exception:  # a broken EXIF block must not make the image unreadable
            return {}, {}
        names: dict[str, Any] = {}
        for tag, value in exif.items():
            names[ExifTags.TAGS.get(tag, str(tag))] = _exif_value(value)
        try:
            for tag, value in exif.get_ifd(ExifTags.IFD.Exif).items():
                names.setdefault(ExifTags.TAGS.get(tag, str(tag)), _exif_value(value))
            gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        except Exception:
            gps_ifd = {}
    gps = {ExifTags.GPSTAGS.get(tag, str(tag)): _exif_value(v) for tag, v in gps_ifd.items()}
    names = {k: v for k, v in names.items() if v is not None}
    names.pop("GPSInfo", None)  # the IFD offset; the values are in ``gps``
    return names, {k: v for k, v in gps.items() if v is not None}


def _make_preview(img: Any, max_side: int) -> Any:
    """RGB copy, upright, transparency flattened on white, longest side <= max_side."""
    from PIL import Image, ImageOps

    if img.format == "JPEG":
        img.draft("RGB", (max_side, max_side))  # decode at a reduced scale: much faster
    img.load()
    frame = img
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = ImageOps.exif_transpose(img) or img
    except Exception:
        frame = img
    preview = flatten_rgb(frame)
    preview.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return preview


def flatten_rgb(frame: Any) -> Any:
    """An RGB copy of a PIL frame, transparent parts shown on white (as most apps do)."""
    from PIL import Image

    if frame.mode.startswith(("I", "F")):
        return to_8bit(frame).convert("RGB")
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return frame.convert("RGB")


def to_8bit(frame: Any) -> Any:
    """An "L" copy of a 16-bit, 32-bit or float greyscale frame, scaled, not clipped.

    Pillow's convert() clips these modes to 0..255, so a 16-bit PNG (0..65535) turns white
    wherever it is brighter than 0.4% and its text vanishes. The value range is read from
    the mode and the data: 16-bit modes are scaled down by 257; a 32-bit or float image is
    scaled by the largest range its values fit (1.0 for float images in 0..1).
    """
    import numpy as np
    from PIL import Image

    values = np.asarray(frame, dtype=np.float64)
    if values.size == 0:
        return Image.new("L", frame.size)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    if frame.mode.startswith("I;16"):
        top = 65535.0
    elif frame.mode == "F" and low >= 0.0 and high <= 1.0:
        top = 1.0
    else:
        top = next((t for t in (255.0, 65535.0) if low >= 0.0 and high <= t), 0.0)
        if top == 0.0:  # values beyond 16 bits or negative: stretch what is there
            values = values - low
            top = max(high - low, 1.0)
    scaled = np.nan_to_num(values * (255.0 / top), nan=0.0)
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8), "L")


def _describe_decode_error(exc: BaseException, fmt: str | None) -> str:
    text = str(exc).replace("\n", " ")[:100]
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return f"the {fmt or 'image'} file is truncated (cut short): export or download it again"
    if isinstance(exc, SyntaxError | ValueError | OSError):
        return f"the {fmt or 'image'} file is corrupt ({text}): export it again"
    return f"the image cannot be decoded ({type(exc).__name__}: {text})"


def read_image(index: int, image: ImageField, max_pixels: int, preview_side: int) -> ImageInfo:
    """Read one image; every problem becomes ``info.problem``, never an exception."""
    from PIL import Image, UnidentifiedImageError

    suffix = Path(image.source or (image.path.name if image.path else "")).suffix.lower()
    info = ImageInfo(index, image, declared=EXTENSION_FORMATS.get(suffix))
    if image.problem and image.data is None:
        info.problem = image.problem
        return info
    data, info.size_bytes, problem = _read_bytes(image)
    if problem or data is None:
        info.problem = problem or "no data"
        return info
    if not data:
        info.problem = "the file is empty (0 bytes): export the image again"
        return info
    info._data = data
    sniffed = sniff_format(data)
    info.format = sniffed
    if sniffed in ("SVG", "HEIF"):
        # Pillow decodes neither without plugins: say what is and is not checked.
        what = "an SVG vector graphic" if sniffed == "SVG" else "a HEIC/HEIF photo"
        info.problem = (
            f"this is {what}, which postlint cannot decode: its text, flashing and metadata "
            "are not checked. Export it as a PNG or JPEG to have it checked"
        )
        info.problem_severity = "warning"
        return info
    try:
        with warnings.catch_warnings():
            # Opening a JPEG reads its EXIF (for the DPI), and Pillow warns on stderr about a
            # damaged block with no file named: quiet, but a bomb warning is an error.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=pillow_formats())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        info.problem = (
            "the image is a decompression bomb (far more pixels than its file size suggests): "
            "postlint refused to decode it"
        )
        return info
    except UnidentifiedImageError:
        info.problem = (
            "the file is not an image postlint can read (JPEG, PNG, GIF, WebP, BMP or TIFF): "
            "it is another format, or damaged. Export it as a PNG or JPEG"
        )
        return info
    except Exception as exc:  # Pillow raises many kinds for damaged headers
        info.problem = _describe_decode_error(exc, sniffed)
        return info
    info.format = img.format or sniffed
    info.width, info.height = img.size
    info.mode = img.mode
    if info.width * info.height > max_pixels:
        info.problem = (
            f"the image is {info.width:,} x {info.height:,} pixels "
            f"({info.width * info.height / 1e6:.0f} megapixels), over the "
            f"{max_pixels / 1e6:.0f} MP limit: postlint refused to decode it (a possible "
            "decompression bomb). Platforms shrink big images anyway: export a smaller one"
        )
        return info
    canvas = gif_canvas(data) if info.format == "GIF" else None
    if canvas is not None and canvas[0] * canvas[1] > max_pixels:
        info.problem = (
            f"a frame of this GIF is placed so far out that the picture grows to "
            f"{canvas[0]:,} x {canvas[1]:,} pixels ({canvas[0] * canvas[1] / 1e6:.0f} "
            "megapixels) when played: postlint refused to decode it (a possible "
            "decompression bomb). Export the animation again"
        )
        return info
    info.max_pixels = max_pixels
    info.notes = _integrity_notes(data, info.format)
    info.exif, info.gps = _read_exif(img)
    info.loop = img.info.get("loop")
    try:
        info.frames = int(getattr(img, "n_frames", 1) or 1)
        info.preview = _make_preview(img, preview_side)
        if info.frames > 1:
            info.durations_ms = _frame_durations(img, info.frames, data, max_pixels)
    except Exception as exc:
        info.preview = None
        info.problem = _describe_decode_error(exc, info.format)
    return info


def _integrity_notes(data: bytes, fmt: str | None) -> list[str]:
    """Damage Pillow decodes around: a GIF without its end marker, a PNG checksum error."""
    from PIL import Image

    notes = []
    if fmt == "GIF" and not data.rstrip(b"\x00").endswith(b";"):
        notes.append(
            "the GIF file has no end marker: it was cut short, and its last frames may be "
            "missing. Export or download it again"
        )
    if fmt == "PNG":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # chunk checksums, no pixel decoding
                Image.open(io.BytesIO(data), formats=("PNG",)).verify()
        except Exception as exc:
            reason = str(exc).replace("\n", " ")[:60]
            notes.append(f"the PNG file is damaged ({reason}): export it again")
    return notes


def _frame_durations(
    img: Any, frames: int, data: bytes | None = None, max_pixels: int = DEFAULT_MAX_PIXELS
) -> list[int]:
    """Each frame's delay in ms, as Pillow reports it, for at most MAX_FRAMES_LISTED frames.

    GIF delays come from the file's blocks (no frame is decoded); other formats are seeked
    frame by frame until MAX_LISTING_PIXELS pixels have been decoded, or a frame would be
    larger than ``max_pixels``.
    """
    from PIL import Image

    wanted = min(frames, MAX_FRAMES_LISTED)
    if img.format == "GIF" and data is not None:
        delays = gif_delays(data, wanted)
        if delays is not None and len(delays) == wanted:
            return delays
    budget = MAX_LISTING_PIXELS
    durations = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        for number in range(wanted):
            img.seek(number)  # decodes the frame before; sets this frame's size
            pixels = img.size[0] * img.size[1]
            budget -= pixels
            if pixels > max_pixels or (budget < 0 and number >= 2):
                break  # the next seek would decode this frame: stop listing here
            durations.append(int(img.info.get("duration", 0) or 0))
    img.seek(0)
    return durations


def gif_delays(data: bytes, limit: int) -> list[int] | None:
    """Frame delays (ms) of a GIF read from its block structure, decoding nothing.

    Pillow's rules: a frame's delay is the one in the Graphic Control Extension before it
    (hundredths of a second x 10), and 0 when the frame has none; stray bytes between
    blocks are skipped. None when the file is not a GIF (the caller then asks Pillow).
    """
    frames = gif_frames(data, limit)
    return None if frames is None else [delay for delay, _, _ in frames]


def gif_canvas(data: bytes, limit: int = MAX_FRAMES_LISTED) -> tuple[int, int] | None:
    """The size a GIF grows to when its frames are drawn: Pillow widens the canvas to fit a
    frame placed past the logical screen, so one descriptor can make a 96 x 72 file decode
    at 142 megapixels. None when the blocks cannot be followed."""
    frames = gif_frames(data, limit)
    if frames is None or len(data) < 10:
        return None
    width = int.from_bytes(data[6:8], "little")
    height = int.from_bytes(data[8:10], "little")
    for _, right, bottom in frames:
        width, height = max(width, right), max(height, bottom)
    return width, height


def gif_frames(data: bytes, limit: int) -> list[tuple[int, int, int]] | None:
    """(delay ms, right edge, bottom edge) of each frame, from the GIF's blocks.

    The walk is Pillow's own (GifImagePlugin._seek), step for step, so that it finds the
    frames Pillow will decode: stray bytes between blocks are skipped, an extension whose
    first sub-block is empty goes on to the next chain, and a Graphic Control Extension too
    short to read makes the file unreadable (None), as it does for Pillow.
    """
    size = len(data)
    if size < 13 or data[:6] not in (b"GIF87a", b"GIF89a"):
        return None
    position = 13
    if data[10] & 0x80:  # global colour table
        position += 3 << ((data[10] & 7) + 1)
    frames: list[tuple[int, int, int]] = []
    delay: int | None = None
    while position < size and len(frames) < limit:
        kind = data[position]
        position += 1
        if kind == 0x3B:  # trailer
            break
        if kind == 0x21:  # extension
            if position >= size:
                break
            label = data[position]
            block, position = _sub_block(data, position + 1)
            if label == 0xF9 and block is not None:
                if len(block) < 3 or (block[0] & 1 and len(block) < 4):
                    return None
                delay = int.from_bytes(block[1:3], "little") * 10
            elif label == 0xFE:  # comment: its chain, and nothing more
                while block:
                    block, position = _sub_block(data, position)
                continue
            elif label == 0xFF and not frames and block and block.startswith(b"NETSCAPE2.0"):
                block, position = _sub_block(data, position)
            while True:
                block, position = _sub_block(data, position)
                if not block:
                    break
        elif kind == 0x2C:  # image descriptor: a frame
            if position + 10 > size:
                break
            left, top, width, height = (
                int.from_bytes(data[position + i : position + i + 2], "little")
                for i in (0, 2, 4, 6)
            )
            flags = data[position + 8]
            position += 9
            if flags & 0x80:  # local colour table
                position += 3 << ((flags & 7) + 1)
            frames.append((delay or 0, left + width, top + height))
            delay = None
            position += 1  # the LZW code size; then the image data's chain
            while True:
                block, position = _sub_block(data, position)
                if not block:
                    break
        # any other byte between blocks is skipped, as Pillow does
    return frames


def _sub_block(data: bytes, position: int) -> tuple[bytes | None, int]:
    """One GIF data sub-block (a length byte, then data), as Pillow's ``data()`` reads it:
    None for a zero length or the end of the file."""
    if position >= len(data):
        return None, position
    length = data[position]
    if length == 0:
        return None, position + 1
    return data[position + 1 : position + 1 + length], position + 1 + length


def image_info(post: Post, ctx: Any) -> list[ImageInfo]:
    """Every image of the post, read once (see the module docstring for the fields)."""
    options = media_options(ctx)
    max_pixels = int(options.get("max-pixels", DEFAULT_MAX_PIXELS))
    preview_side = int(options.get("preview-max-side", PREVIEW_MAX_SIDE))
    return [
        read_image(index, image, max_pixels, preview_side)
        for index, image in enumerate(post.images)
    ]


def load_limits() -> dict[str, Any]:
    """The platform media table (checks/data/media_limits.yaml)."""
    import yaml

    path = DATA_DIR / "media_limits.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return data


# ---------------------------------------------------------------------------- captions


@dataclass(frozen=True)
class Cue:
    number: int  # 1-based position in the file
    start: float  # seconds
    end: float
    lines: tuple[str, ...]  # display lines, markup removed
    line: int  # line of the file where the cue's timing is

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def words(self) -> int:
        return len(WORD.findall(self.text))


@dataclass
class CaptionFile:
    path: Path
    name: str
    kind: str  # "srt", "vtt" or the unknown suffix
    cues: list[Cue] = field(default_factory=list)
    encoding: str = "utf-8"
    encoding_note: str | None = None  # set when the file was not UTF-8
    problem: str | None = None
    problem_line: int | None = None
    # Where findings about the cues point: the caption file itself (None), or, for a
    # subtitle track inside a video, the draft's line naming the video.
    location: Any = None


WORD = re.compile(r"[\w'’-]+")
TOO_BIG_CAPTIONS = (
    f"the caption file is over {MAX_CAPTION_BYTES // 1_000_000} MB: far more than the captions "
    "of any social media video. Check that this is the right file"
)
# Characters no caption holds: C0 controls other than tab and line ends, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # VTT/SRT tags (<i>, <v Name>, <c.x>) and ASS {\an8}
VTT_TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{1,2}:\d{2}\.\d{3}(?:\s+.*)?$"
)
SRT_TIMING = re.compile(
    r"^\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s+-->\s+\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}(?:\s+.*)?$"
)
TIMESTAMP = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})")


def _seconds(stamp: str) -> float:
    match = TIMESTAMP.search(stamp)
    if not match:
        raise ValueError(stamp)
    hours, minutes, seconds, fraction = match.groups()
    return (
        int(hours or 0) * 3600
        + int(minutes) * 60
        + int(seconds)
        + int(fraction.ljust(3, "0")[:3]) / 1000
    )


def decode_captions(data: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, note): UTF-8 (with or without BOM), else Windows-1252 with a note."""
    try:
        return data.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", "the file is UTF-16: save it as UTF-8"
        except UnicodeDecodeError:
            pass
    text = data.decode("cp1252", errors="replace")
    note = (
        f"the file is not UTF-8 (first bad byte on line {line}); it was read as Windows-1252. "
        "Save it as UTF-8, or characters such as £ and é may show wrongly on the platform"
    )
    return text, "cp1252", note


def _first_bad_timing(text: str, kind: str) -> int | None:
    pattern = VTT_TIMING if kind == "vtt" else SRT_TIMING
    for number, line in enumerate(text.splitlines(), 1):
        if "-->" in line and not pattern.match(line):
            return number
    return None


def _timing_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if "-->" in line]


def _clean_lines(raw: str) -> tuple[str, ...]:
    lines = [TAG.sub("", line).strip() for line in raw.replace("\r", "").split("\n")]
    return tuple(line for line in lines if line)


def parse_captions(path: Path, name: str | None = None, data: bytes | None = None) -> CaptionFile:
    """Parse an SRT or WebVTT file with pysrt / webvtt-py; problems are recorded, not raised."""
    name = name or path.name
    kind = Path(name).suffix.lower().lstrip(".")
    captions = CaptionFile(path, name, kind)
    if kind not in ("srt", "vtt"):
        captions.problem = (
            f"'{name}' is not an SRT or WebVTT file: postlint checks .srt and .vtt captions, "
            "which every platform accepts"
        )
        return captions
    try:
        if data is None:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                captions.problem = "this is not a regular file (a folder, pipe or device)"
                return captions
            if info.st_size > MAX_CAPTION_BYTES:
                captions.problem = TOO_BIG_CAPTIONS
                return captions
            data = _read_regular(path, MAX_CAPTION_BYTES + 1)
    except OSError as exc:
        captions.problem = f"cannot read the caption file: {exc.strerror or exc}"
        return captions
    if len(data) > MAX_CAPTION_BYTES:  # an upload, or a file that grew since it was listed
        captions.problem = TOO_BIG_CAPTIONS
        return captions
    text, captions.encoding, captions.encoding_note = decode_captions(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        captions.problem = "the caption file is empty"
        captions.problem_line = 1
        return captions
    if kind == "vtt" and not text.lstrip("\ufeff").startswith("WEBVTT"):
        captions.problem = "a WebVTT file must start with a line 'WEBVTT'"
        captions.problem_line = 1
        return captions
    control = CONTROL.search(text)
    if control is not None:
        captions.problem = (
            f"the file holds a control character (U+{ord(control.group()):04X}) that is not "
            "text: it is damaged or was saved by the wrong tool. Save it again as plain UTF-8"
        )
        captions.problem_line = text.count("\n", 0, control.start()) + 1
        return captions
    bad = _first_bad_timing(text, kind)
    if bad is not None:
        captions.problem = "this timing line is malformed: write it as " + (
            "00:00:01.000 --> 00:00:04.000" if kind == "vtt" else "00:00:01,000 --> 00:00:04,000"
        )
        captions.problem_line = bad
        return captions
    try:
        raw_cues = _parse_vtt(text) if kind == "vtt" else _parse_srt(text)
    except CaptionError as exc:
        captions.problem, captions.problem_line = exc.message, exc.line
        return captions
    timing_lines = _timing_lines(text)
    for number, (start, end, raw) in enumerate(raw_cues, 1):
        line = timing_lines[number - 1] if number - 1 < len(timing_lines) else 1
        captions.cues.append(Cue(number, start, end, _clean_lines(raw), line))
    if not captions.cues:
        captions.problem = "the caption file holds no cues"
        captions.problem_line = 1
        return captions
    for cue in captions.cues:
        if cue.end < cue.start:
            captions.problem = (
                f"cue {cue.number} ends ({clock(cue.end)}) before it starts ({clock(cue.start)})"
            )
        elif cue.end == cue.start:
            captions.problem = (
                f"cue {cue.number} starts and ends at {clock(cue.start)}: it is never shown. "
                "Give it an end time after its start"
            )
        else:
            continue
        captions.problem_line = cue.line
        break
    return captions


class CaptionError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _parse_vtt(text: str) -> list[tuple[float, float, str]]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        document = webvtt.from_string(text, strict=True)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise CaptionError(f"not valid WebVTT: {str(exc)[:80]}", None) from None
    return [(_seconds(c.start), _seconds(c.end), c.text) for c in document.captions]


def _parse_srt(text: str) -> list[tuple[float, float, str]]:
    import pysrt

    try:
        items = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    except pysrt.Error:
        bad = _srt_bad_block_line(text)
        raise CaptionError(
            "not valid SRT: each cue needs a number, a timing line and text", bad
        ) from None
    except Exception as exc:  # pysrt raises ValueError and friends on odd input
        raise CaptionError(f"not valid SRT ({type(exc).__name__})", None) from None
    return [(i.start.ordinal / 1000, i.end.ordinal / 1000, i.text) for i in items]


def _srt_bad_block_line(text: str) -> int | None:
    """The first line of the first block that has no timing line, for the message."""
    line_number = 1
    for block in re.split(r"\n[ \t]*\n", text):
        stripped = block.strip("\n")
        if stripped and "-->" not in stripped:
            offset = len(block) - len(block.lstrip("\n"))
            return line_number + offset
        line_number += block.count("\n") + 2
    return None


def clock(seconds: float) -> str:
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes):02d}:{rest:06.3f}"


# ---------------------------------------------------------------------------- videos


@dataclass
class VideoInfo:
    index: int
    video: VideoField
    size_bytes: int | None = None
    container: str | None = None
    duration: float | None = None
    width: int = 0
    height: int = 0
    rotation: int = 0
    fps: float | None = None
    has_video: bool = False
    has_audio: bool = False
    video_codec: str | None = None
    subtitle_streams: list[tuple[str, str]] = field(default_factory=list)
    captions: list[CaptionFile] = field(default_factory=list)
    problem: str | None = None
    problem_severity: str = "error"

    @property
    def source(self) -> str:
        return self.video.source or (self.video.path.name if self.video.path else "upload")

    @property
    def field_name(self) -> str:
        return f"videos[{self.index}]"

    @property
    def vertical(self) -> bool:
        return self.height > self.width > 0

    @property
    def readable(self) -> bool:
        return self.problem is None and self.has_video and self.media is not None

    @property
    def media(self) -> str | io.BytesIO | None:
        """What PyAV opens: the file's path, or the uploaded bytes (server uploads)."""
        if self.video.data is not None:
            return io.BytesIO(self.video.data)
        return str(self.video.path) if self.video.path is not None else None


MAX_DEMUX_PACKETS = 500_000


def probe_video(path: str | io.BytesIO) -> dict[str, Any]:
    """Container facts with PyAV (FFmpeg's libraries): streams, duration, truncation.

    Every packet is demuxed (not decoded) to find files cut short: a truncated file either
    fails to open (no index) or ends its packets well before its stated duration.
    """
    import av

    facts: dict[str, Any] = {"streams": [], "problem": None}
    try:
        container = av.open(path, timeout=10)
    except av.error.FFmpegError as exc:
        reason = str(exc).split(":")[0].split("]")[-1].strip()
        facts["problem"] = (
            f"the video cannot be opened ({reason}): it is damaged, truncated (the upload or "
            "copy stopped early) or not a video. Export it again"
        )
        return facts
    with container:
        facts["container"] = container.format.name
        if container.duration is not None:
            facts["duration"] = container.duration / 1_000_000
        for stream in container.streams:
            entry: dict[str, Any] = {"type": stream.type, "language": stream.language or "und"}
            context = stream.codec_context
            entry["codec"] = getattr(context, "name", None) or "unknown"
            if stream.type == "video":
                entry["width"], entry["height"] = context.width, context.height
                rate = stream.average_rate or stream.guessed_rate
                entry["fps"] = float(rate) if rate else None
                # An MP3 or M4A's cover picture shows up as a one-frame video stream.
                entry["cover_art"] = bool(stream.disposition & av.stream.Disposition.attached_pic)
            if stream.duration is not None and stream.time_base is not None:
                entry["duration"] = float(stream.duration * stream.time_base)
            facts["streams"].append(entry)
        last_end = 0.0
        try:
            for count, packet in enumerate(container.demux()):
                if count >= MAX_DEMUX_PACKETS:
                    last_end = None
                    break
                if packet.pts is None or packet.time_base is None:
                    continue
                end = float((packet.pts + (packet.duration or 0)) * Fraction(packet.time_base))
                last_end = max(last_end, end)
        except av.error.FFmpegError as exc:
            facts["problem"] = (
                f"the video is damaged part way through ({str(exc)[:60]}): export it again"
            )
        facts["last_packet_end"] = last_end
        facts["rotation"] = _rotation(container)
    return facts


ROTATION_PACKETS = 300  # a stream that yields no frame in this many packets is not decoded


def _rotation(container: Any) -> int:
    """Display rotation from the first decoded frame (phones record portrait this way)."""
    try:
        stream = container.streams.video[0]
    except IndexError:
        return 0
    try:
        container.seek(0)
        for count, packet in enumerate(container.demux(stream)):
            if count >= ROTATION_PACKETS:
                break
            for frame in packet.decode():
                return int(getattr(frame, "rotation", 0) or 0) % 360
    except Exception:
        return 0
    return 0


# FFmpeg demuxers for single pictures: a PNG or JPEG named .mp4 opens as a one-frame "video".
IMAGE_DEMUXERS = ("image2", "image2pipe", "gif", "apng")


def _still_image(container: str | None, codec: str | None) -> bool:
    if not container:
        return False
    names = container.split(",")
    return any(n in IMAGE_DEMUXERS or n.endswith("_pipe") for n in names)


# Subtitle codecs that hold text; DVD and Blu-ray tracks (dvd_subtitle, hdmv_pgs_subtitle)
# hold pictures, which cannot be read as captions.
TEXT_SUBTITLE_CODECS = frozenset({"mov_text", "subrip", "srt", "webvtt", "ass", "ssa", "text"})
MAX_EMBEDDED_CUES = 20_000  # per track: more than any social media video has


def embedded_captions(info: VideoInfo) -> list[CaptionFile]:
    """The video's text subtitle tracks, read like caption files (one per track), so the
    caption rules (coverage, reading rate, lines, overlaps...) check them too. Only the
    subtitle packets are decoded; a track that cannot be read is left out."""
    import av

    media = info.media
    if media is None:
        return []
    path = info.video.path or Path(info.source)
    tracks: dict[int, CaptionFile] = {}
    try:
        with av.open(media, timeout=10) as container:
            streams = [
                s
                for s in container.streams.subtitles
                if getattr(s.codec_context, "name", None) in TEXT_SUBTITLE_CODECS
            ]
            for number, stream in enumerate(streams, 1):
                language = stream.language or "und"
                name = f"{info.source} subtitle track {number} ({language})"
                track = CaptionFile(path, name, "embedded", location=info.video.location)
                tracks[stream.index] = track
            for packet in container.demux(streams) if streams else ():
                track = tracks[packet.stream.index]
                if packet.pts is None or len(track.cues) >= MAX_EMBEDDED_CUES:
                    continue
                base = packet.stream.time_base
                start = float(packet.pts * base)
                end = start + float((packet.duration or 0) * base)
                for subtitle in packet.decode():
                    raw = getattr(subtitle, "dialogue", None) or b""
                    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                    lines = _clean_lines(text)
                    if lines:
                        track.cues.append(Cue(len(track.cues) + 1, start, end, lines, 0))
    except Exception:  # a damaged track: the video checks report the file itself
        log.debug("embedded subtitles of a video unreadable", exc_info=True)
        return []
    return [track for track in tracks.values() if track.cues]


def read_video(index: int, video: VideoField) -> VideoInfo:
    info = VideoInfo(index, video)
    for caption_path in video.captions:
        info.captions.append(parse_captions(caption_path))
    for name, data in video.caption_data:
        info.captions.append(parse_captions(Path(name), name, data))
    if video.data is not None:
        info.size_bytes = len(video.data)
    elif video.path is None:
        info.problem = video.problem or "no video file was given"
        return info
    else:
        try:
            status = video.path.stat()
        except OSError as exc:
            info.problem = f"cannot read the video: {exc.strerror or exc}"
            return info
        if not stat.S_ISREG(status.st_mode):  # FFmpeg would wait on a pipe for ever
            info.problem = "this is not a regular file (a folder, pipe or device)"
            return info
        info.size_bytes = status.st_size
    if info.size_bytes == 0:
        info.problem = "the video file is empty (0 bytes): export it again"
        return info
    facts = probe_video(info.media)  # type: ignore[arg-type]
    info.container = facts.get("container")
    info.duration = facts.get("duration")
    streams = facts["streams"]
    videos = [s for s in streams if s["type"] == "video" and not s.get("cover_art")]
    info.has_video = bool(videos)
    info.has_audio = any(s["type"] == "audio" for s in streams)
    info.subtitle_streams = [
        (s["codec"], s["language"]) for s in streams if s["type"] == "subtitle"
    ]
    info.rotation = int(facts.get("rotation") or 0)
    if videos:
        first = videos[0]
        width, height = first.get("width") or 0, first.get("height") or 0
        if info.rotation in (90, 270):
            width, height = height, width
        info.width, info.height = width, height
        info.fps = first.get("fps")
        info.video_codec = first.get("codec")
    if facts["problem"]:
        info.problem = facts["problem"]
        return info
    if _still_image(info.container, info.video_codec):
        picture = " ".join(filter(None, ("a still", (info.video_codec or "").upper(), "picture")))
        info.problem = (
            f"this is {picture}, not a video: post it as an image (images:), or export the "
            "video again"
        )
        info.has_video = False
        return info
    if not streams:
        info.problem = "the file holds no audio or video streams: it is not a usable video"
        return info
    last_end = facts.get("last_packet_end")
    if info.duration and last_end is not None and last_end > 0:
        missing = info.duration - last_end
        if missing > max(1.0, 0.05 * info.duration):
            info.problem = (
                f"the video is truncated: its data stops at {last_end:.1f} s of "
                f"{info.duration:.1f} s. The file was cut short; export or copy it again"
            )
    if info.problem is None and any(c in TEXT_SUBTITLE_CODECS for c, _ in info.subtitle_streams):
        info.captions.extend(embedded_captions(info))
    return info


MAX_SEEK_FRAMES = 120  # frames decoded after a seek to reach the moment asked for


def sample_frames(info: VideoInfo, count: int = 5, side: int = 1024) -> list[tuple[float, Any]]:
    """(seconds, RGB PIL image) for ``count`` moments spread over a readable video (the
    middles of equal parts), each at most ``side`` pixels on its longer side. Seeks to each
    moment, so a long video costs no more than a short one; [] if nothing can be decoded."""
    import av

    if not info.readable or not info.duration:
        return []
    moments = [info.duration * (n + 0.5) / count for n in range(count)]
    frames: list[tuple[float, Any]] = []
    try:
        with av.open(info.media, timeout=10) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            base = stream.time_base
            for moment in moments:
                container.seek(int(moment / base), stream=stream, backward=True, any_frame=False)
                for decoded, frame in enumerate(container.decode(stream)):
                    at = float(frame.pts * base) if frame.pts is not None else moment
                    if at + 0.05 >= moment or decoded >= MAX_SEEK_FRAMES:
                        picture = frame.to_image()
                        picture.thumbnail((side, side))
                        frames.append((at, picture))
                        break
    except Exception:  # a file that decodes badly: the video checks report it
        log.debug("video frames could not be sampled", exc_info=True)
    return frames


FRAME_SIDE = 1280  # sampled frames: enough for OCR of captions and for face detection


def shared_frames(ctx: Any, info: VideoInfo, count: int) -> list[tuple[float, Any]]:
    """``sample_frames(info, count)``, decoded once a post for every rule that asks (the
    people and burned-in caption checks look at the same frames)."""
    key = f"media.frames.{info.index}.{count}"
    if ctx is None or not hasattr(ctx, "per_post"):
        return sample_frames(info, count, FRAME_SIDE)
    return ctx.per_post(key, lambda: sample_frames(info, count, FRAME_SIDE))


def video_info(post: Post, ctx: Any) -> list[VideoInfo]:
    """Every video of the post, probed once, with its caption files parsed."""
    return [read_video(index, video) for index, video in enumerate(post.videos)]
