"""Image rules A040-A044 and the shared ``image_info`` analysis, on real files with real
Pillow and real Tesseract (fixtures/media, plus files made here in tmp_path)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from PIL import ExifTags, Image
from postlint_checks import images as image_checks
from postlint_checks import media

from postlint.config import Config
from postlint.findings import Severity
from postlint.model import Image as ImageField
from postlint.runner import PipelineFactory, lint_paths

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "media"
POSTER = MEDIA / "flu-jab-poster.png"
PHOTO = MEDIA / "pharmacy-front.jpg"
POSTER_ALT = (
    "Poster: Get your free flu jab. If you are 65 or over, pregnant or have a long-term "
    "health condition, book at your GP practice or pharmacy."
)
PHOTO_ALT = "The front of a community pharmacy with a blue door and a path up to it."


def lint(tmp_path, front, select, text="Flu jabs are free for people aged 65 or over.", **cfg):
    draft = tmp_path / "draft.md"
    draft.write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", encoding="utf-8")
    config = Config(select=tuple(select.split(",")), allow_media_outside=True, **cfg)
    return lint_paths([draft], PipelineFactory(config)).findings


def codes(findings, code=None):
    return [f for f in findings if code is None or f.code == code]


def image(path, alt=None, **extra):
    entry = {"path": str(path), **extra}
    if alt is not None:
        entry["alt"] = alt
    return entry


# ------------------------------------------------------------------------- A040


def test_missing_alt_is_an_error(tmp_path):
    found = lint(tmp_path, {"images": [image(PHOTO)]}, "A040")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "pharmacy-front.jpg has no alt text" in found[0].message
    assert found[0].location.line == 3  # points at the image entry in the front matter


def test_blank_alt_is_missing(tmp_path):
    assert codes(lint(tmp_path, {"images": [image(PHOTO, "   ")]}, "A040"), "A040")


def test_decorative_image_gets_only_a_reminder(tmp_path):
    found = lint(tmp_path, {"images": [image(PHOTO, decorative=True)]}, "A040")
    assert [f.severity for f in found] == [Severity.INFO]


def test_described_image_passes(tmp_path):
    assert not lint(tmp_path, {"images": [image(PHOTO, PHOTO_ALT)]}, "A040")


# ------------------------------------------------------------------------- A041


@pytest.mark.parametrize(
    ("alt", "reason"),
    [
        ("pharmacy-front.jpg", "file name"),
        ("pharmacy-front", "file name"),
        ("IMG_2041.JPG", "file name"),
        ("DSC0001", "file name"),
        ("20231005_142311", "file name"),
        ("Image", "what kind of thing"),
        ("The logo", "what kind of thing"),
        ("banner", "what kind of thing"),
        ("Image of a pharmacy with a blue door", "starts with 'Image of'"),
        ("A photo of the pharmacy on Leigh Road", "starts with 'A photo of'"),
        ("Pharmacy", "too short"),
        ("#FluJab 💉 @NHSEngland", "only hashtags"),
    ],
)
def test_weak_alt_reasons(alt, reason):
    reasons = image_checks.weak_alt_reasons(alt, "pharmacy-front.jpg", 10)
    assert any(reason in r for r in reasons), reasons


@pytest.mark.parametrize(
    "alt",
    [
        PHOTO_ALT,
        "NHS 111 logo.",  # short but specific: 13 characters
        "Photographer Sam Lee takes a picture of a nurse.",  # 'photo...' not as a prefix
    ],
)
def test_good_alt_has_no_reasons(alt):
    assert image_checks.weak_alt_reasons(alt, "pharmacy-front.jpg", 10) == []


def test_weak_alt_is_a_warning_with_the_reason(tmp_path):
    found = lint(tmp_path, {"images": [image(MEDIA / "IMG_2041.jpg", "IMG_2041.jpg")]}, "A041")
    assert [f.code for f in found] == ["A041"]
    assert found[0].severity is Severity.WARNING
    assert "file name" in found[0].message


def test_same_alt_on_two_different_images(tmp_path):
    alt = "Nurses at the Basildon flu clinic."
    front = {"images": [image(PHOTO, alt), image(POSTER, alt)]}
    found = lint(tmp_path, front, "A041")
    assert len(found) == 1 and "image 1 has the same alt text" in found[0].message


def test_same_file_twice_with_same_alt_is_not_a_duplicate(tmp_path):
    front = {"images": [image(PHOTO, PHOTO_ALT), image(PHOTO, PHOTO_ALT)]}
    assert not lint(tmp_path, front, "A041")


def test_min_length_and_final_punctuation_options(tmp_path):
    front = {"images": [image(PHOTO, "Pharmacy door")]}
    assert not lint(tmp_path, front, "A041")
    options = {"image-alt-weak": {"min-length": 20, "require-final-punctuation": True}}
    found = lint(tmp_path, front, "A041", options=options)
    assert "too short" in found[0].message and "punctuation" in found[0].message


# ------------------------------------------------------------------------- A042 (OCR)


def test_text_in_image_missing_from_alt(tmp_path):
    front = {"images": [image(POSTER, "NHS flu campaign graphic in blue and white.")]}
    found = lint(tmp_path, front, "A042,X003")
    assert [f.code for f in found] == ["A042"], [f.message for f in found]
    assert "Get your free flu jab" in found[0].message
    assert len(found[0].message) < 330  # quotes briefly, not the whole image


def test_alt_that_carries_the_text_passes(tmp_path):
    assert not lint(tmp_path, {"images": [image(POSTER, POSTER_ALT)]}, "A042,X003")


def test_paraphrase_with_most_words_passes(tmp_path):
    alt = (
        "Get your free flu jab if you are 65 or over, pregnant, or have a long term "
        "condition: book with your GP practice or a pharmacy."
    )
    assert not lint(tmp_path, {"images": [image(POSTER, alt)]}, "A042")


def test_photo_without_text_passes(tmp_path):
    assert not lint(tmp_path, {"images": [image(PHOTO, "A pharmacy.")]}, "A042,X003")


def test_ocr_is_fast_per_image():
    info = media.read_image(0, ImageField(path=POSTER, source=POSTER.name), 50_000_000, 1600)
    started = time.perf_counter()
    words = image_checks.ocr_words(info.preview, 70, 10, 1600)
    elapsed = time.perf_counter() - started
    assert "flu" in [w.lower() for w in words]
    assert elapsed < 3.0, f"OCR took {elapsed:.2f} s"


def test_large_image_is_downscaled_before_ocr(tmp_path):
    big = Image.open(POSTER).resize((4000, 2250))
    path = tmp_path / "big-poster.png"
    big.save(path)
    front = {"images": [image(path, "A blue graphic.")]}
    started = time.perf_counter()
    found = lint(tmp_path, front, "A042")
    assert time.perf_counter() - started < 6.0
    assert [f.code for f in found] == ["A042"]


def test_missing_tesseract_is_said_once(tmp_path, monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    front = {"images": [image(POSTER, "A blue graphic."), image(PHOTO, PHOTO_ALT)]}
    found = lint(tmp_path, front, "A042,X003")
    assert [f.code for f in found] == ["X003"]
    assert "Tesseract" in found[0].message


def test_coverage_tolerates_ocr_slips():
    assert image_checks.coverage(["pharmacy", "Basildon"], "Basildun pharmacy") == 1.0
    assert image_checks.coverage(["free", "flu", "jab"], "a jab") == pytest.approx(1 / 3)


# ------------------------------------------------------------------------- A043


@pytest.mark.parametrize(
    ("name", "severity", "words"),
    [
        ("truncated.jpg", Severity.ERROR, "truncated"),
        ("empty.png", Severity.ERROR, "empty"),
        ("bomb.png", Severity.ERROR, "decompression bomb"),
        ("really-a-jpeg.png", Severity.WARNING, "really a JPEG"),
        ("logo.svg", Severity.WARNING, "SVG"),
    ],
)
def test_unreadable_images(tmp_path, name, severity, words):
    found = lint(tmp_path, {"images": [image(MEDIA / name, PHOTO_ALT)]}, "A043")
    assert [f.severity for f in found] == [severity], [f.message for f in found]
    assert words in found[0].message


def test_not_an_image_at_all(tmp_path):
    path = tmp_path / "poster.png"
    path.write_bytes(b"this is a text file, not a picture\n" * 10)
    found = lint(tmp_path, {"images": [image(path, PHOTO_ALT)]}, "A043")
    assert "not an image" in found[0].message


def test_own_pixel_limit_refuses_big_images(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("1", (8000, 7000)).save(path)  # 56 MP: under Pillow's limit, over ours
    found = lint(tmp_path, {"images": [image(path, PHOTO_ALT)]}, "A043")
    assert "8,000 x 7,000" in found[0].message
    options = {"media": {"max-pixels": 60_000_000}}
    assert not lint(tmp_path, {"images": [image(path, PHOTO_ALT)]}, "A043", options=options)


def test_missing_file_is_left_to_the_reader(tmp_path):
    found = lint(tmp_path, {"images": [image(tmp_path / "gone.jpg", PHOTO_ALT)]}, "A043,X001")
    assert [f.code for f in found] == ["X001"]


def test_good_images_are_readable(tmp_path):
    front = {"images": [image(PHOTO, PHOTO_ALT), image(POSTER, POSTER_ALT)]}
    assert not lint(tmp_path, front, "A043")


# ------------------------------------------------------------------------- A044


def test_gif_refused_by_instagram(tmp_path):
    front = {"platforms": ["instagram"], "images": [image(MEDIA / "calm-wave.gif", PHOTO_ALT)]}
    found = lint(tmp_path, front, "A044")
    assert len(found) == 1 and "Instagram does not accept" in found[0].message
    front["platforms"] = ["x"]
    assert not lint(tmp_path, front, "A044")


def test_svg_refused_everywhere(tmp_path):
    front = {"platforms": ["x", "bluesky"], "images": [image(MEDIA / "logo.svg", PHOTO_ALT)]}
    found = lint(tmp_path, front, "A044")
    assert "X and Bluesky do not accept" in found[0].message


def test_file_size_over_bluesky_limit(tmp_path):
    path = tmp_path / "noisy.png"
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(path)
    assert path.stat().st_size > 1_000_000
    front = {"platforms": ["bluesky", "x"], "images": [image(path, PHOTO_ALT)]}
    found = lint(tmp_path, front, "A044")
    assert len(found) == 1 and "Bluesky (1 MB)" in found[0].message
    front["platforms"] = ["x"]
    assert not lint(tmp_path, front, "A044")


def test_limits_table_has_sources():
    table = media.load_limits()
    assert table["checked"]
    for platform, rule in table["platforms"].items():
        assert rule.get("source"), platform
        assert rule.get("formats") and rule.get("max_bytes"), platform


# ------------------------------------------------------------------------- image_info


def test_image_info_structure_and_exif_gps(tmp_path):
    path = tmp_path / "clinic.jpg"
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Orientation] = 6  # rotated: the preview must come out upright
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 34.0, 12.5)
    Image.new("RGB", (300, 200), (200, 30, 30)).save(path, exif=exif)
    info = media.read_image(0, ImageField(path=path, source="clinic.jpg"), 50_000_000, 1600)
    assert (
        info.problem is None
        and info.format == "JPEG"
        and (info.width, info.height)
        == (
            300,
            200,
        )
    )
    assert info.exif["Make"] == "Phone"
    assert info.gps["GPSLatitudeRef"] == "N"
    assert info.gps["GPSLatitude"] == pytest.approx((51.0, 34.0, 12.5))
    assert info.preview.mode == "RGB" and info.preview.size == (200, 300)


def test_image_info_for_animation():
    path = MEDIA / "calm-wave.gif"
    info = media.read_image(0, ImageField(path=path, source=path.name), 50_000_000, 1600)
    assert info.animated and info.frames == 4 and info.durations_ms == [1000] * 4
    assert info.loop == 0


def test_uploaded_bytes_are_read_without_a_path():
    upload = ImageField(path=None, source="upload.png", data=POSTER.read_bytes())
    info = media.read_image(0, upload, 50_000_000, 800)
    assert info.format == "PNG" and max(info.preview.size) == 800


def test_every_image_rule_is_documented():
    for cls in image_checks.CHECKS:
        assert "A040" <= cls.code <= "A059"
        assert cls.policy and cls.summary and cls.explanation and cls.examples, cls.code


def test_damage_that_still_decodes_is_a_warning(tmp_path):
    gif = MEDIA / "flashing.gif"
    cut = tmp_path / "cut.gif"
    cut.write_bytes(gif.read_bytes()[: gif.stat().st_size // 2])
    broken = bytearray(POSTER.read_bytes())
    broken[100] ^= 0xFF  # inside the first IDAT chunk: its checksum no longer matches
    bad_png = tmp_path / "bad.png"
    bad_png.write_bytes(bytes(broken))
    front = {"images": [image(cut, PHOTO_ALT), image(bad_png, POSTER_ALT)]}
    found = lint(tmp_path, front, "A043")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.WARNING]
    assert "no end marker" in found[0].message and "PNG file is damaged" in found[1].message
