"""Builds the hostile-input corpus at test time (nothing big is committed).

``build(root)`` writes every case under ``root`` (a drafts folder) and returns them. Each
case is a draft (or a file a draft points at) that postlint must survive: a clear finding or
error naming the file, no traceback, bounded time and memory, and no byte changed.

A case names the rule codes it must produce (``expect``: at least one of them). Files that
are valid but unusual (a CMYK JPEG, a 16-bit PNG, UTF-16 with a BOM) carry something a rule
must find (text drawn in the image, a run-together hashtag in the post), which shows the
file was really read and checked, not just survived.

``build_bulk(root)`` writes the 100,000-row CSV (postlint lints the first
max-posts-per-file rows and says so).

Run it by hand with ``python tests/hostile_corpus.py OUT_DIR`` to look at the files.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Words OCR must find in the pictures that hold text, and that the alt text leaves out.
POSTER_TEXT = "Book your flu jab today"
ALT = "A nurse at work in a clinic."


@dataclass(frozen=True)
class Case:
    name: str  # what it tests
    draft: Path  # the file postlint reads that must be reported on
    expect: tuple[str, ...] = ()  # at least one of these codes (empty: any finding)


def _draft(root: Path, name: str, front: str, body: str = "A safe post about flu jabs.") -> Path:
    path = root / f"{name}.md"
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return path


def _png_bytes(size=(8, 8), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _font(size: int = 44) -> ImageFont.ImageFont:
    for name in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ):
        if os.path.exists(name):
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size=size)


def poster(mode: str = "RGB", ink=0, paper=255) -> Image.Image:
    """A small poster with POSTER_TEXT on it, in ``mode`` (ink and paper in that mode)."""
    base = Image.new("L", (640, 120), 255)
    ImageDraw.Draw(base).text((20, 30), POSTER_TEXT, fill=0, font=_font())
    mask = base.point(lambda v: 255 if v < 128 else 0)  # where the ink goes
    image = Image.new(mode, base.size, paper)
    image.paste(Image.new(mode, base.size, ink), (0, 0), mask)
    return image


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _bomb_png(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG whose header claims 1.6 gigapixels: Pillow must refuse it, not decode it."""
    raw = _png_bytes((1, 1), "L")
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = raw[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return patched + raw[8 + 25 :]


def _garbage_exif_jpeg(image: Image.Image) -> bytes:
    """A JPEG whose EXIF block is a TIFF header with IFD offsets pointing anywhere."""
    tiff = b"MM\x00*" + struct.pack(">I", 8)
    entries = [
        (0x0112, 3, 1, 99 << 16),  # Orientation 99: no such orientation
        (0x8825, 4, 1, 0xFFFFFF00),  # GPS IFD far past the end
        (0x8769, 4, 1, 8),  # Exif IFD pointing back at the main IFD: a loop
        (0x010F, 2, 0x7FFFFFFF, 40),  # Make: a string of two billion characters
    ]
    ifd = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(">HHII", tag, kind, count, value)
    ifd += struct.pack(">I", 8)  # next IFD: the same one again
    payload = b"Exif\x00\x00" + tiff + ifd + b"\x00" * 16
    jpeg = _encoded(image.convert("RGB"), "JPEG", quality=90)
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def _big_gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = "Flu clinic. " * 5000  # ImageDescription, 60 KB: near the APP1 limit
    exif[0x8825] = {1: "N", 2: (51.0, 34.0, 12.5), 3: "E", 4: (0.0, 28.0, 1.2)}
    return exif


def _image_case(
    root: Path,
    name: str,
    filename: str,
    data: bytes,
    expect: tuple[str, ...],
    alt: str = ALT,
) -> Case:
    media = root / "media"
    media.mkdir(exist_ok=True)
    (media / filename).write_bytes(data)
    front = f"platforms: [facebook]\nimages:\n  - path: media/{filename}\n    alt: {alt}\n"
    return Case(f"image: {name}", _draft(root, f"image-{name}", front), expect)


def _flashing_gif(frames: int = 3000) -> bytes:
    """``frames`` full-frame black/white swaps, 20 ms apart: a strobe, and many frames."""
    black, white = Image.new("L", (16, 16), 0), Image.new("L", (16, 16), 255)
    sequence = [white if i % 2 else black for i in range(frames)]
    return _encoded(
        sequence[0], "GIF", save_all=True, append_images=sequence[1:], duration=20, loop=0
    )


def _srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"


def icon_bomb() -> bytes:
    """An .ico whose directory says 16 x 16 and whose embedded PNG is 9,000 x 9,000: Pillow's
    ICO plugin decodes it on open (81 MB from 79 KB) before any size can be checked."""
    png = _encoded(Image.new("L", (9000, 9000)), "PNG")
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(png), 22)
    return header + entry + png


def far_frame_gif() -> bytes:
    """A 2-frame 8 x 8 GIF whose second frame sits at (30000, 20000): Pillow widens the
    canvas to fit it, 600 megapixels from a file of a few hundred bytes."""
    frames = [Image.new("L", (8, 8), 0), Image.new("L", (8, 8), 255)]
    data = bytearray(_encoded(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    second = data.index(b"\x2c", data.index(b"\x2c") + 1)
    while data[second + 5 : second + 9] != bytes([8, 0, 8, 0]):  # a descriptor: 8 x 8
        second = data.index(b"\x2c", second + 1)
    data[second + 1 : second + 5] = (30_000).to_bytes(2, "little") + (20_000).to_bytes(2, "little")
    return bytes(data)


def _ffmpeg(*args: str) -> bool:
    if shutil.which("ffmpeg") is None:
        return False
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *args], capture_output=True, timeout=120, check=False
    )
    return result.returncode == 0


def build(root: Path) -> list[Case]:
    root.mkdir(parents=True, exist_ok=True)
    media = root / "media"
    media.mkdir(exist_ok=True)
    cases: list[Case] = []

    def add(name: str, path: Path, *expect: str) -> None:
        cases.append(Case(name, path, tuple(expect)))

    # ------------------------------------------------------------------ front matter
    (root / "fm-unclosed.md").write_text("---\nplatforms: [x]\nHello #flujab\n")
    add("front matter: unclosed", root / "fm-unclosed.md", "X001")
    add("front matter: tabs", _draft(root, "fm-tabs", "platforms:\n\t- x\n"), "X001")
    add(
        "front matter: duplicate keys",
        _draft(root, "fm-duplicate", "platforms: [x]\nplatforms: [facebook]\n"),
        "X001",
    )
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}]\n"
        for i in range(8)
    )
    add("front matter: billion laughs", _draft(root, "fm-alias-bomb", bomb), "X001")
    add(
        "front matter: recursive alias",
        _draft(root, "fm-alias-loop", "metadata: &m {self: *m}\nplatforms: &p [x, *p]\n"),
        "X001",
    )
    add(
        "front matter: python tag",
        _draft(
            root, "fm-python-tag", "platforms: !!python/object/apply:os.system ['echo pwned']\n"
        ),
        "X001",
    )
    add(
        "front matter: 5000-deep list",
        _draft(root, "fm-deep", "x: " + "[" * 5000 + "]" * 5000 + "\n"),
        "X001",
    )
    add(
        "front matter: 1000-deep block mapping",
        _draft(root, "fm-deep-block", "".join(" " * i + f"k{i}:\n" for i in range(1000))),
        "X001",
    )
    add(
        "front matter: unknown keys",
        _draft(root, "fm-unknown", "platfroms: [x]\ncolour: red\n"),
        "X001",
    )
    add(
        "front matter: wrong types",
        _draft(
            root,
            "fm-wrong-types",
            "platforms: 5\nimages: {alt: 3}\nscheduled: [1, 2]\nconsent: 7\n"
            "account: [1]\nembargo: soon\n",
        ),
        "X001",
    )
    add(
        "front matter: complex keys and odd scalars",
        _draft(
            root,
            "fm-complex-keys",
            "? [a, b]\n: 1\n? {c: d}\n: 2\nplatforms: [.nan, .inf, ~, 0x1F, 1e400]\n"
            "account: {handle: !!binary aGVsbG8=, kind: 12}\nimages:\n  - path: [1]\n"
            "    alt: {a: b}\n",
        ),
        "X001",
    )
    add(
        "front matter: dates at the ends of time",
        _draft(
            root,
            "fm-extreme-dates",
            "platforms: [x]\nscheduled: 9999-12-31T23:59:59-12:00\n"
            "embargo: {until: 0001-01-01T00:00:00+14:00}\ntimezone: Pacific/Kiritimati\n",
            "Embargoed: new #flujab clinics open next week.",
        ),
        "S042",
        "S043",
        "A001",
    )
    add(
        "front matter: huge numbers",
        _draft(
            root, "fm-huge-number", f"platforms: [x]\nid: {'9' * 5000}\nscheduled: {'1' * 5000}\n"
        ),
        "X001",
    )

    # ------------------------------------------------------------------ text
    (root / "text-invalid-utf8.md").write_bytes(b"Flu jabs \xff\xfe at Basildon\n")
    add("text: invalid UTF-8", root / "text-invalid-utf8.md", "X001")
    (root / "text-utf16-bom.md").write_bytes("Get your #flujab this week.\n".encode("utf-16"))
    add("text: UTF-16 with BOM (read through)", root / "text-utf16-bom.md", "A001")
    (root / "text-utf16be-bom.md").write_bytes(
        "Get your #flujab this week.\n".encode("utf-16-be").join([b"\xfe\xff", b""])
    )
    add("text: UTF-16 big-endian with BOM", root / "text-utf16be-bom.md", "A001")
    (root / "text-utf16-nobom.md").write_bytes("Flu jabs this week.\n".encode("utf-16-le"))
    add("text: UTF-16 without BOM", root / "text-utf16-nobom.md", "X001")
    (root / "text-utf32-bad.md").write_bytes(b"\xff\xfe\x00\x00" + b"\x00\x00\x11\x00" * 3)
    add("text: UTF-32 BOM, invalid code points", root / "text-utf32-bad.md", "X001")
    (root / "text-nul.md").write_bytes(b"Flu\x00 jabs\n")
    add("text: NUL bytes", root / "text-nul.md", "X001")
    (root / "text-nul-late.md").write_bytes(
        b"Get your #flujab at a pharmacy. " * 300 + b"\x00\x00\x00 end\n"
    )
    add("text: NUL bytes after the first 8 KB", root / "text-nul-late.md", "X001")
    (root / "text-binary.md").write_bytes(_png_bytes())
    add("text: binary file named .md", root / "text-binary.md", "X001")
    (root / "text-empty.md").write_bytes(b"")
    add("text: empty file", root / "text-empty.md", "X001")
    (root / "text-bom-only.md").write_bytes(b"\xef\xbb\xbf")
    add("text: a byte-order mark and nothing else", root / "text-bom-only.md", "X001")
    (root / "text-cr-only.md").write_bytes(b"---\rplatforms: [x]\r---\rGet your #flujab.\r")
    add("text: old Mac CR line ends", root / "text-cr-only.md")
    (root / "text-crlf-mixed.md").write_bytes(
        b"---\r\nplatforms: [x]\n---\r\nGet your\r\r\n#flujab\n\r\ntoday.\r\n"
    )
    add("text: mixed CRLF, CR and LF", root / "text-crlf-mixed.md", "A001")
    (root / "text-bidi.md").write_text(
        "---\nplatforms: [x]\n---\nBook \u202egnirht\u202c #flujab \u2066now\u2069 "
        "\u200b\u200b\ufeff\U000e0041 e\u0301\u0301\u0301 \U0001f9d1\u200d\u2695\ufe0f\n",
        encoding="utf-8",
    )
    add("text: bidi controls, zero-width and tag characters", root / "text-bidi.md", "A001")
    (root / "text-json-surrogate.json").write_text(
        '{"text": "Get your #flujab \\ud800 now \\udfff", "platforms": ["x"]}'
    )
    add("text: JSON with lone surrogate escapes", root / "text-json-surrogate.json", "X001")
    (root / "text-yaml-surrogate.yaml").write_text(
        'text: "Get your #flujab \\ud83d now"\nplatforms: [x]\n'
    )
    add("text: YAML with a lone surrogate escape", root / "text-yaml-surrogate.yaml")
    with (root / "text-20mb.md").open("w") as handle:
        line = "Get your flu jab at a pharmacy near you this winter. " * 4 + "\n"
        for _ in range(20_000_000 // len(line)):
            handle.write(line)
    add("text: 20 MB draft", root / "text-20mb.md", "X001")
    (root / "text-long-line.md").write_text(
        "---\nplatforms: [x]\n---\n" + "Flu jabs for all. " * 5_000 + "#flujab\n"
    )
    add("text: a 90 KB post on one line", root / "text-long-line.md", "P001")
    (root / "text-990kb.md").write_text(
        "---\nplatforms: [x]\n---\n"
        + "Flu jabs at Basildon. Call 111 or see www.nhs.uk/flu. " * 18_000
        + "#flujab\n"
    )
    add("text: a 990 KB draft, just under the size limit", root / "text-990kb.md", "P001")
    (root / "json-deep.json").write_text("[" * 5000 + "]" * 5000)
    add("text: JSON nested 5,000 deep", root / "json-deep.json", "X001")
    (root / "json-number.json").write_text('{"text": "Hi", "id": ' + "9" * 100_000 + "}")
    add("text: JSON with a 100,000-digit number", root / "json-number.json", "X001")
    (root / "json-wrong-shape.json").write_text('{"posts": [1, "two", null, [], {"text": 5}]}')
    add("text: JSON posts of the wrong shape", root / "json-wrong-shape.json", "X001")
    (root / "yaml-many-docs.yaml").write_text("text: one\n---\ntext: two\n---\n- [\n")
    add("text: YAML with several documents", root / "yaml-many-docs.yaml", "X001")
    add("text: 100,000-row CSV", build_bulk(root), "X001")
    (root / "csv-ragged.csv").write_text(
        "date,time,message,platform\n2026-12-01,09:00,Hello\n2026-12-01,09:00,A,x,extra,more\n"
    )
    add("text: ragged CSV", root / "csv-ragged.csv", "X001")
    (root / "csv-quoted.csv").write_text(
        'date,message,platform\n2026-12-01,"Line one\nline two #flujab",x\n'
    )
    add("text: CSV quoted newlines", root / "csv-quoted.csv", "A001")
    (root / "csv-unclosed-quote.csv").write_text(
        'date,message,platform\n2026-12-01,"never closed #flujab,x\n2026-12-02,Hi,x\n'
    )
    add("text: CSV with an unclosed quote", root / "csv-unclosed-quote.csv", "X001")
    (root / "csv-injection.csv").write_text(
        'date,message,platform\n2026-12-01,=HYPERLINK("http://evil"),x\n'
        "2026-12-01,+44 1268 524900,x\n2026-12-01,-2+3,x\n2026-12-01,@SUM(1),x\n"
    )
    add("text: CSV injection cells", root / "csv-injection.csv", "X001")
    (root / "csv-header-only.csv").write_text("date,message,platform\n")
    add("text: CSV with a header and no rows", root / "csv-header-only.csv", "X001")
    (root / "csv-no-message.csv").write_text("a,b,c\n1,2,3\n")
    add("text: CSV without a message column", root / "csv-no-message.csv", "X001")
    (root / "csv-wide.csv").write_text(
        ",".join(f"c{i}" for i in range(20_000)) + ",message\n" + "x," * 20_000 + "Hi #flujab\n"
    )
    add("text: CSV with 20,000 columns", root / "csv-wide.csv", "A001")

    # ------------------------------------------------------------------ images
    png = _png_bytes((64, 48))
    text_png = _encoded(poster(), "PNG")
    text_jpeg = _encoded(poster(), "JPEG", quality=90)
    cases.append(
        _image_case(root, "truncated-png", "trunc.png", text_png[: len(text_png) // 2], ("A043",))
    )
    cases.append(_image_case(root, "truncated-jpeg", "trunc.jpg", text_jpeg[:200], ("A043",)))
    cases.append(_image_case(root, "bomb", "bomb.png", _bomb_png(), ("A043",)))
    cases.append(_image_case(root, "gif-3000-frames", "strobe.gif", _flashing_gif(3000), ("A060",)))
    cases.append(_image_case(root, "gif-frame-far-outside", "far.gif", far_frame_gif(), ("A043",)))
    cases.append(_image_case(root, "ico-bomb", "favicon.png", icon_bomb(), ("A043",)))
    cases.append(_image_case(root, "zero-byte", "zero.png", b"", ("A043",)))
    cases.append(_image_case(root, "not-an-image", "notes.png", b"Just some text\n", ("A043",)))
    # Valid files in every mode Pillow hands back: the poster's words must be read by OCR,
    # which shows each mode was decoded and converted correctly (A042: text not in alt).
    for label, image, fmt, ext in (
        ("CMYK", poster("CMYK", (0, 0, 0, 255), (0, 0, 0, 0)), "JPEG", "jpg"),
        ("I16", poster("I;16", 9000, 60000), "PNG", "png"),
        ("I32", poster("I", 9000, 60000), "TIFF", "tif"),
        ("P", poster("RGB").convert("P", palette=Image.Palette.ADAPTIVE), "PNG", "png"),
        ("RGBA", poster("RGBA", (0, 0, 0, 255), (0, 0, 0, 0)), "PNG", "png"),
        ("LA", poster("LA", (0, 255), (0, 0)), "PNG", "png"),
        ("1", poster("1", 0, 1), "PNG", "png"),
        ("RGB-webp", poster("RGB"), "WEBP", "webp"),
        ("RGBA-webp", poster("RGBA", (0, 0, 0, 255), (255, 255, 255, 0)), "WEBP", "webp"),
        ("RGB-tiff", poster("RGB"), "TIFF", "tif"),
        ("RGB-bmp", poster("RGB"), "BMP", "bmp"),
        ("progressive-jpeg", poster("RGB"), "JPEG", "jpeg"),
    ):
        options = {"progressive": True} if label == "progressive-jpeg" else {}
        cases.append(
            _image_case(
                root,
                f"mode-{label}",
                f"mode-{label}.{ext}",
                _encoded(image, fmt, **options),
                ("A042",),
            )
        )
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    cases.append(_image_case(root, "heic", "photo.heic", heic, ("A043", "A044")))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    cases.append(_image_case(root, "svg", "logo.svg", svg, ("A043", "A044")))
    billion = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b']><svg xmlns="http://www.w3.org/2000/svg">&lol9;</svg>'
    )
    cases.append(_image_case(root, "svg-entity-bomb", "lol.svg", billion, ("A043", "A044")))
    cases.append(_image_case(root, "wrong-extension", "actually-png.jpg", png, ("A043",)))
    cases.append(
        _image_case(
            root, "exif-garbage", "exif.jpg", _garbage_exif_jpeg(poster()), ("A042", "A043")
        )
    )
    big_exif = _encoded(poster("RGB"), "JPEG", exif=_big_gps_exif())
    cases.append(_image_case(root, "exif-oversized-gps", "gps.jpg", big_exif, ("S030",)))
    (media / "folder.png").mkdir(exist_ok=True)
    cases.append(
        Case(
            "image: a folder named .png",
            _draft(root, "image-folder", f"images:\n  - path: media/folder.png\n    alt: {ALT}\n"),
            ("X001", "A043"),
        )
    )
    fifo = media / "pipe.png"
    if hasattr(os, "mkfifo") and not fifo.exists():
        os.mkfifo(fifo)
    cases.append(
        Case(
            "image: a named pipe (reading it would wait for ever)",
            _draft(root, "image-fifo", f"images:\n  - path: media/pipe.png\n    alt: {ALT}\n"),
            ("X001", "A043"),
        )
    )
    with (media / "huge.png").open("wb") as handle:  # sparse: takes no disk space
        handle.write(png[:33])
        handle.truncate(300_000_000)
    cases.append(
        Case(
            "image: 300 MB file",
            _draft(root, "image-huge", f"images:\n  - path: media/huge.png\n    alt: {ALT}\n"),
            ("A043", "A044"),
        )
    )

    # ------------------------------------------------------------------ video, captions
    have_video = _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=96x64:rate=10",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=2",
        "-t",
        "2",
        "-pix_fmt",
        "yuv420p",
        "-shortest",
        str(media / "ok.mp4"),
    )
    if have_video:
        data = (media / "ok.mp4").read_bytes()
        (media / "truncated.mp4").write_bytes(data[: len(data) // 3])
        _ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=96x64:rate=10",
            "-t",
            "4",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            str(media / "faststart.mp4"),
        )
        data = (media / "faststart.mp4").read_bytes()
        (media / "truncated-faststart.mp4").write_bytes(data[: len(data) // 2])
        _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(media / "audio.m4a"))
        (media / "mislabelled.mp4").write_bytes(_encoded(poster(), "PNG"))
    (media / "nostreams.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
    (media / "empty.mp4").write_bytes(b"")
    (media / "huge.srt").write_bytes(b"1\n00:00:00,000 --> 00:00:01,000\nHi\n\n" * 40_000)
    (media / "random.mp4").write_bytes(os.urandom(64_000))
    captions = {
        "malformed.vtt": b"WEBVTT\n\nthis is not a cue\n00:00:01.000 --> garbage\nHi\n",
        "malformed.srt": b"1\n00:00:01,000 -> 00:00:02\nHello\n\nx\n",
        "overlap.vtt": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nOne\n\n"
        b"00:00:01.000 --> 00:00:02.000\nTwo\n",
        "past-end.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n"
        b"00:09:00,000 --> 00:09:02,000\nLate\n",
        "cp1252.srt": (
            "1\n00:00:00,000 --> 00:00:01,900\nCaf\u00e9 opening \u2013 flu jabs\n"
        ).encode("cp1252"),
        "utf16.srt": "1\n00:00:00,000 --> 00:00:01,900\nFlu jabs\n".encode("utf-16"),
        "binary.vtt": os.urandom(4_000),
        "empty.srt": b"",
        "backwards.srt": b"1\n00:00:05,000 --> 00:00:01,000\nBackwards\n",
        "huge-times.vtt": b"WEBVTT\n\n999999:59:59.999 --> 9999999:59:59.999\nLate\n",
        "nul.vtt": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nOne\x00two\n",
        "many-cues.srt": "".join(
            f"{n}\n{_srt_time(n * 20)} --> {_srt_time(n * 20 + 10)}\nx\n\n"
            for n in range(1, 25_000)
        ).encode(),
        "captions.txt": b"Not a caption file\n",
    }
    for filename, data in captions.items():
        (media / filename).write_bytes(data)
    os.mkfifo(media / "pipe.vtt") if not (media / "pipe.vtt").exists() else None
    video_cases = [
        ("video-no-streams", "nostreams.mp4", "overlap.vtt", ("A071",)),
        ("video-empty", "empty.mp4", "overlap.vtt", ("A071",)),
        ("video-random-bytes", "random.mp4", "overlap.vtt", ("A071",)),
    ]
    if have_video:
        video_cases += [
            ("video-truncated", "truncated.mp4", "overlap.vtt", ("A071",)),
            ("video-truncated-faststart", "truncated-faststart.mp4", "overlap.vtt", ("A071",)),
            ("video-audio-only", "audio.m4a", "overlap.vtt", ("A071",)),
            ("video-png-named-mp4", "mislabelled.mp4", "overlap.vtt", ("A071",)),
            ("captions-malformed-vtt", "ok.mp4", "malformed.vtt", ("A072",)),
            ("captions-malformed-srt", "ok.mp4", "malformed.srt", ("A072",)),
            ("captions-overlap", "ok.mp4", "overlap.vtt", ("A078",)),
            ("captions-past-end", "ok.mp4", "past-end.srt", ("A073",)),
            ("captions-cp1252", "ok.mp4", "cp1252.srt", ("A072",)),
            ("captions-utf16", "ok.mp4", "utf16.srt", ("A072",)),
            ("captions-binary", "ok.mp4", "binary.vtt", ("A072",)),
            ("captions-empty", "ok.mp4", "empty.srt", ("A072",)),
            ("captions-backwards", "ok.mp4", "backwards.srt", ("A072",)),
            ("captions-huge-times", "ok.mp4", "huge-times.vtt", ("A072", "A073")),
            ("captions-nul", "ok.mp4", "nul.vtt", ("A072", "A073")),
            ("captions-25000-cues", "ok.mp4", "many-cues.srt", ("A072", "A073", "A077")),
            ("captions-1.4-MB", "ok.mp4", "huge.srt", ("A072",)),
            ("captions-not-a-caption-file", "ok.mp4", "captions.txt", ("A072",)),
            ("captions-missing", "ok.mp4", "nope.vtt", ("X001",)),
            ("captions-named-pipe", "ok.mp4", "pipe.vtt", ("X001", "A072")),
        ]
    for name, video, caption, expect in video_cases:
        front = (
            f"platforms: [x]\nvideos:\n  - path: media/{video}\n    captions: [media/{caption}]\n"
        )
        cases.append(Case(name, _draft(root, name, front), expect))

    # ------------------------------------------------------------------ paths
    add(
        "paths: missing media",
        _draft(root, "path-missing", f"images:\n  - path: media/nope.png\n    alt: {ALT}\n"),
        "X001",
    )
    outside = root.parent / f"{root.name}-outside.png"
    outside.write_bytes(png)
    add(
        "paths: ../",
        _draft(root, "path-dotdot", f"images:\n  - path: ../{outside.name}\n    alt: {ALT}\n"),
        "X001",
    )
    add(
        "paths: absolute",
        _draft(root, "path-absolute", f"images:\n  - path: {outside}\n    alt: {ALT}\n"),
        "X001",
    )
    add(
        "paths: home folder",
        _draft(root, "path-home", f"images:\n  - path: ~/.ssh/id_rsa\n    alt: {ALT}\n"),
        "X001",
    )
    add(
        "paths: /dev/zero",
        _draft(root, "path-dev-zero", "videos:\n  - path: /dev/zero\n"),
        "X001",
    )
    link = media / "link-outside.png"
    if not link.is_symlink():
        os.symlink(outside, link)
    add(
        "paths: symlink outside",
        _draft(
            root, "path-symlink", f"images:\n  - path: media/link-outside.png\n    alt: {ALT}\n"
        ),
        "X001",
    )
    add(
        "paths: web address",
        _draft(
            root,
            "path-url",
            f"images:\n  - path: http://169.254.169.254/latest/meta-data\n    alt: {ALT}\n",
        ),
        "X001",
    )
    loop = root / "loop"
    loop.mkdir(exist_ok=True)
    if not (loop / "again").is_symlink():
        os.symlink(loop, loop / "again")
    for link, target in (("loop-a.md", "loop-b.md"), ("loop-b.md", "loop-a.md")):
        if not (loop / link).is_symlink():
            os.symlink(target, loop / link)
    add("paths: draft symlink loop", loop / "loop-a.md", "X001")
    if not (loop / "dangling.md").is_symlink():
        os.symlink("does-not-exist.md", loop / "dangling.md")
    add("paths: dangling draft symlink", loop / "dangling.md", "X001")
    return cases


def build_bulk(root: Path, rows: int = 100_000) -> Path:
    """A CSV schedule with ``rows`` rows (5.8 MB for 100,000)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "csv-100k.csv"
    with path.open("w", newline="") as handle:
        handle.write("date,time,message,platform\n")
        for row in range(rows):
            handle.write(f"2026-12-0{1 + row % 9},09:30,Flu clinic number {row} is open today.,x\n")
    return path


if __name__ == "__main__":  # pragma: no cover
    for case in build(Path(sys.argv[1])):
        print(case.draft, case.expect)
