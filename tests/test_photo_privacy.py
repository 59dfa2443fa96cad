"""Photo privacy S030-S032 and ``postlint strip-metadata``: real Pillow, real OpenCV cascades,
a real public-domain face photo (fixtures/safety/media/astronaut.jpg, NASA)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image, ImageDraw
from postlint_checks import photo_privacy as pp

from postlint import strip_metadata
from postlint.config import from_mapping
from postlint.runner import PipelineFactory, lint_paths

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "safety" / "media"
FACE = MEDIA / "astronaut.jpg"
POSTER = MEDIA / "flu-poster.png"
GPS = MEDIA / "ward-gps.jpg"


def lint(tmp_path: Path, images: list[Path], select: str = "S03", front=None):
    entries = []
    for number, source in enumerate(images):
        target = tmp_path / f"img{number}{source.suffix}"
        shutil.copy(source, target)
        entries.append({"path": target.name, "alt": "A picture for the test."})
    data = {"platforms": ["x"], "images": entries, **(front or {})}
    (tmp_path / "post.md").write_text(
        f"---\n{yaml.safe_dump(data)}---\nOur flu clinic is open.\n", encoding="utf-8"
    )
    run = lint_paths([tmp_path], PipelineFactory(from_mapping({"select": [select]})))
    return [(f.code, str(f.severity)) for p in run.posts for f in p.findings]


def with_exif(tmp_path: Path, name: str, **tags) -> Path:
    picture = Image.new("RGB", (200, 120), (200, 220, 240))
    exif = Image.Exif()
    for key, value in tags.items():
        if key == "gps":
            exif.get_ifd(0x8825).update(value)
        elif key == "sub":
            exif.get_ifd(0x8769).update(value)
        else:
            exif[int(key[1:], 16)] = value
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    path = folder / name
    picture.save(path, exif=exif.tobytes())
    return path


# ------------------------------------------------------------------ S030 / S031


def test_gps_is_an_error_and_personal_metadata_info(tmp_path):
    assert lint(tmp_path, [GPS]) == [
        ("S030", "error"),
        ("S031", "info"),
    ]


def test_gps_finding_points_at_the_image_field_and_names_the_fix(tmp_path):
    shutil.copy(GPS, tmp_path / "ward.jpg")
    (tmp_path / "post.md").write_text(
        "---\nplatforms: [x]\nimages:\n  - path: ward.jpg\n    alt: Ward 7 open day.\n---\nHi\n",
        encoding="utf-8",
    )
    run = lint_paths([tmp_path], PipelineFactory(from_mapping({"select": ["S030"]})))
    (finding,) = [f for p in run.posts for f in p.findings]
    assert finding.location.line == 4
    assert "postlint strip-metadata ward.jpg" in finding.message


def test_zero_gps_block_is_not_a_location(tmp_path):
    path = with_exif(tmp_path, "zero.jpg", gps={0: b"\x02\x02\x00\x00"})
    assert lint(tmp_path, [path], "S030") == []


@pytest.mark.parametrize(
    "tags",
    [
        {"x013B": "Jane Example"},
        {"x9C9D": "Jane Example".encode("utf-16-le")},
        {"sub": {0xA431: "SN42"}},
        {"sub": {0x927C: b"maker notes here"}},
    ],
)
def test_personal_tags(tmp_path, tags):
    path = with_exif(tmp_path, "tags.jpg", **tags)
    assert lint(tmp_path, [path], "S031") == [("S031", "info")]


def test_clean_images_have_no_metadata_findings(tmp_path):
    assert lint(tmp_path, [POSTER, FACE], "S030") == []
    assert lint(tmp_path, [POSTER, FACE], "S031") == []


def test_png_text_chunks_are_personal_metadata(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Example")
    path = tmp_path / "author.png"
    Image.new("RGB", (50, 50), "white").save(path, pnginfo=info)
    assert lint(tmp_path, [path], "S031") == [("S031", "info")]


def test_corrupt_and_missing_images_give_no_privacy_finding(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(GPS.read_bytes()[:200])
    assert [c for c in lint(tmp_path, [bad], "S03") if c[0].startswith("S")] == []


# ------------------------------------------------------------------ S032 faces


def test_face_without_consent_is_a_warning(tmp_path):
    assert lint(tmp_path, [FACE], "S032") == [("S032", "warning")]


@pytest.mark.parametrize("consent", [{"photo": True}, True, {"photos": True}])
def test_consent_silences_faces(tmp_path, consent):
    assert lint(tmp_path, [FACE], "S032", {"consent": consent}) == []


def test_people_consent_is_not_photo_consent(tmp_path):
    assert lint(tmp_path, [FACE], "S032", {"consent": {"people": True}}) == [("S032", "warning")]


def test_posters_and_text_are_not_faces(tmp_path):
    picture = Image.new("RGB", (900, 600), "white")
    draw = ImageDraw.Draw(picture)
    for row in range(8):
        draw.text((20, 20 + row * 70), "OO oo 00 (o o) :-) @@ 8-) B-)" * 2, fill="black")
    path = tmp_path / "text.png"
    picture.save(path)
    assert lint(tmp_path, [POSTER, path], "S032") == []


def test_several_faces_are_counted():
    picture = Image.open(FACE).convert("RGB")
    row = Image.new("RGB", (picture.width * 3 + 80, picture.height + 40), "white")
    for i in range(3):
        row.paste(picture, (20 + i * (picture.width + 20), 20))
    assert pp.count_faces(row) == 3


def test_small_face_in_the_background_is_found():
    scene = Image.new("RGB", (1200, 800), (120, 130, 120))
    scene.paste(Image.open(FACE).convert("RGB").resize((160, 160)), (900, 500))
    assert pp.count_faces(scene) == 1


def test_missing_cascades_are_said_once(tmp_path, monkeypatch):
    """Error path: OpenCV without its cascade files (opencv 5 wheels)."""
    monkeypatch.setattr(pp, "_CASCADES", [None])
    (tmp_path / "a.jpg").write_bytes(FACE.read_bytes())
    (tmp_path / "post.md").write_text(
        "---\nimages: [{path: a.jpg, alt: An astronaut.}]\n---\nHi\n", encoding="utf-8"
    )
    run = lint_paths([tmp_path], PipelineFactory(from_mapping({"select": ["S032", "X003"]})))
    assert [f.code for p in run.posts for f in p.findings] == ["X003"]


# ------------------------------------------------------------------ strip-metadata


def test_strip_metadata_writes_a_clean_upright_copy(tmp_path):
    source = tmp_path / "ward.jpg"
    shutil.copy(GPS, source)
    before = source.read_bytes()
    result = CliRunner().invoke(strip_metadata.command, [str(source)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "ward.stripped.jpg"
    assert "wrote" in result.output and "GPS location" in result.output
    assert source.read_bytes() == before  # the original is untouched
    with Image.open(target) as clean:
        exif = clean.getexif()
        assert not exif.get_ifd(0x8825) and len(exif) == 0
        assert "xmp" not in clean.info and "comment" not in clean.info
        # Orientation 6 (rotate 90) was applied to the pixels: 480x360 became 360x480.
        assert clean.size == (360, 480)
    assert pp.read_metadata(Image.open(target)).gps is False
    (tmp_path / "check").mkdir()
    assert lint(tmp_path / "check", [target]) == []


def test_strip_metadata_refuses_to_overwrite(tmp_path):
    source = tmp_path / "ward.jpg"
    shutil.copy(GPS, source)
    runner = CliRunner()
    assert runner.invoke(strip_metadata.command, [str(source)]).exit_code == 0
    again = runner.invoke(strip_metadata.command, [str(source)])
    assert again.exit_code == 2 and "already exists" in again.output
    forced = runner.invoke(strip_metadata.command, [str(source), "--force"])
    assert forced.exit_code == 0
    with pytest.raises(strip_metadata.StripError, match="overwrite the original"):
        strip_metadata.strip_image(source, source, force=True)


def test_strip_metadata_errors_are_clear(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    result = CliRunner().invoke(
        strip_metadata.command, [str(broken), str(tmp_path / "missing.jpg")]
    )
    assert result.exit_code == 2
    assert "not an image Pillow can read" in result.output
    assert "no such file" in result.output
    assert not (tmp_path / "broken.stripped.jpg").exists()


def test_strip_metadata_png_and_output_dir(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Example")
    source = tmp_path / "chart.png"
    Image.new("RGBA", (40, 30), (10, 20, 30, 128)).save(source, pnginfo=info)
    out = tmp_path / "clean"
    result = CliRunner().invoke(strip_metadata.command, [str(source), "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out / "chart.stripped.png") as clean:
        assert "Author" not in clean.info and clean.mode == "RGBA"
        assert clean.getpixel((0, 0)) == (10, 20, 30, 128)


def test_strip_metadata_animated_gif_keeps_frames(tmp_path):
    frames = [Image.new("RGB", (20, 20), (i * 80, 40, 200 - i * 60)) for i in range(3)]
    source = tmp_path / "anim.gif"
    frames[0].save(
        source, save_all=True, append_images=frames[1:], duration=200, loop=0, comment=b"Jane"
    )
    assert CliRunner().invoke(strip_metadata.command, [str(source)]).exit_code == 0
    with Image.open(tmp_path / "anim.stripped.gif") as clean:
        assert clean.n_frames == 3 and not clean.info.get("comment")


# --- S033 people in videos ------------------------------------------------------------------

SAFETY = Path(__file__).resolve().parent.parent / "fixtures" / "safety"


def test_sample_frames_are_spread_over_the_video():
    from postlint_checks import media

    from postlint.model import Video

    info = media.read_video(0, Video(path=SAFETY / "media" / "volunteer-clip.mp4"))
    frames = media.sample_frames(info, 5, 256)
    assert [round(at, 1) for at, _ in frames] == [0.2, 0.6, 1.0, 1.4, 1.8]
    assert all(max(picture.size) <= 256 for _, picture in frames)
    unreadable = media.read_video(0, Video(path=SAFETY / "media" / "astronaut.jpg"))
    assert media.sample_frames(unreadable) == []


def test_a_face_in_a_video_needs_consent(tmp_path):
    from postlint.config import Config
    from postlint.runner import PipelineFactory, lint_paths

    run = lint_paths(
        [SAFETY / "bad_face_in_video_no_consent.md", SAFETY / "good_face_in_video_with_consent.md"],
        PipelineFactory(Config(select=("S033",))),
    )
    bad, good = run.posts
    (finding,) = bad.findings
    assert finding.code == "S033" and "shows a face (at 00:00" in finding.message
    assert finding.location.field == "videos[0]" or finding.location.line == 4
    assert not good.findings


def test_a_video_without_people_is_fine(tmp_path):
    from postlint.config import Config
    from postlint.runner import PipelineFactory, lint_paths

    media_folder = Path(__file__).resolve().parent.parent / "fixtures" / "media"
    draft = tmp_path / "post.md"
    draft.write_text(
        f"---\nvideos: [{{path: {media_folder / 'pharmacy-first.mp4'}}}]\n---\nPharmacy First.\n"
    )
    run = lint_paths([draft], PipelineFactory(Config(select=("S033",), allow_media_outside=True)))
    assert not run.findings
