"""Video and caption rules A070-A079 and the ``video_info`` analysis, on real videos (PyAV)
and real caption files (pysrt, webvtt-py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from postlint_checks import media
from postlint_checks import video as video_checks

from postlint.config import Config
from postlint.findings import Severity
from postlint.model import Video
from postlint.runner import PipelineFactory, lint_paths

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "media"
VIDEO = MEDIA / "pharmacy-first.mp4"  # 20 s, 160 x 120, with a sine tone
GOOD_VTT = MEDIA / "pharmacy-first.vtt"


def lint(tmp_path, videos, select, platforms=("x",), **cfg):
    draft = tmp_path / "draft.md"
    front = {"platforms": list(platforms), "videos": videos}
    text = "Pharmacy First means you can get treatment without a GP appointment."
    draft.write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", encoding="utf-8")
    config = Config(select=tuple(select.split(",")), allow_media_outside=True, **cfg)
    return lint_paths([draft], PipelineFactory(config)).findings


def entry(path=VIDEO, captions=(), **extra):
    return {"path": str(path), "captions": [str(c) for c in captions], **extra}


def captions_file(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def srt(*cues):
    """SRT text from (start, end, text) cues in seconds."""

    def stamp(seconds):
        whole = int(seconds)
        return f"00:{whole // 60:02d}:{whole % 60:02d},{round((seconds - whole) * 1000):03d}"

    blocks = [f"{n}\n{stamp(a)} --> {stamp(b)}\n{text}\n" for n, (a, b, text) in enumerate(cues, 1)]
    return "\n".join(blocks)


EVEN_CUES = [(0.5 + 4 * i, 4.3 + 4 * i, "Walk in to your local pharmacy.") for i in range(5)]


# ------------------------------------------------------------------------- A070


def test_video_with_sound_and_no_captions(tmp_path):
    found = lint(tmp_path, [entry()], "A070")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "pharmacy-first.mp4 has sound but no captions" in found[0].message


@pytest.mark.parametrize(
    "video",
    [
        entry(captions=[GOOD_VTT]),
        entry(burned_in_captions=True),
        entry(MEDIA / "with-subtitles.mp4"),  # embedded mov_text subtitle stream
        entry(MEDIA / "silent-loop.mp4"),  # no sound, nothing to caption
    ],
)
def test_captioned_or_silent_videos_pass(tmp_path, video):
    assert not lint(tmp_path, [video], "A070")


# ------------------------------------------------------------------------- A071


def test_truncated_video_without_index(tmp_path):
    found = lint(tmp_path, [entry(MEDIA / "truncated.mp4")], "A071,A070")
    assert [f.code for f in found] == ["A071"]
    assert found[0].severity is Severity.ERROR and "cannot be opened" in found[0].message


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg command")
def test_truncated_faststart_video_is_caught(tmp_path):
    # With the index at the front the file opens, but its data stops early.
    whole = tmp_path / "whole.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(VIDEO), "-c", "copy",
         "-movflags", "+faststart", str(whole)],
        check=True, timeout=60,
    )  # fmt: skip
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    found = lint(tmp_path, [entry(cut, [GOOD_VTT])], "A071")
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert "truncated" in found[0].message or "damaged" in found[0].message


def test_audio_only_file(tmp_path):
    found = lint(tmp_path, [entry(MEDIA / "radio-advert.mp4", [GOOD_VTT])], "A071")
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "no picture" in found[0].message


@pytest.mark.parametrize(("content", "words"), [(b"", "empty"), (b"not a video" * 50, "opened")])
def test_empty_or_fake_video(tmp_path, content, words):
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    found = lint(tmp_path, [entry(path, [GOOD_VTT])], "A071")
    assert len(found) == 1 and words in found[0].message


def test_good_video_is_readable(tmp_path):
    assert not lint(tmp_path, [entry(captions=[GOOD_VTT])], "A071")


# ------------------------------------------------------------------------- A072


def test_vtt_without_header(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "malformed.vtt"])], "A072")
    assert [(f.severity, f.location.line) for f in found] == [(Severity.ERROR, 1)]
    assert found[0].location.path.endswith("malformed.vtt")


def test_bad_timing_line_is_located(tmp_path):
    path = captions_file(
        tmp_path,
        "clip.vtt",
        "WEBVTT\n\n00:00:00.500 --> 00:00:04.000\nHello.\n\n00:00:04.200 --> banana\nBye.\n",
    )
    found = lint(tmp_path, [entry(captions=[path])], "A072")
    assert [f.location.line for f in found] == [6]
    assert "00:00:01.000 --> 00:00:04.000" in found[0].message


def test_srt_block_without_timing(tmp_path):
    text = srt(*EVEN_CUES[:2]) + "\n3\nno timing here\n"
    found = lint(tmp_path, [entry(captions=[captions_file(tmp_path, "c.srt", text)])], "A072")
    assert len(found) == 1 and found[0].location.line == 9


def test_windows_1252_is_read_with_a_warning(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "windows-1252.srt"])], "A072,A074,A076")
    assert [(f.code, f.severity) for f in found] == [("A072", Severity.WARNING)]
    info = media.parse_captions(MEDIA / "windows-1252.srt")
    assert info.encoding == "cp1252" and "£9.90" in info.cues[0].text


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("clip.txt", "Hello", "not an SRT or WebVTT"),
        ("clip.srt", "", "empty"),
        ("clip.srt", srt((5.0, 4.0, "Backwards.")), "ends (00:04.000) before it starts"),
    ],
)
def test_other_caption_problems(tmp_path, name, text, words):
    path = captions_file(tmp_path, name, text)
    found = lint(tmp_path, [entry(captions=[path])], "A072")
    assert len(found) == 1 and words in found[0].message


def test_good_captions_parse(tmp_path):
    videos = [entry(captions=[GOOD_VTT, MEDIA / "pharmacy-first.en_GB.srt"])]
    assert not lint(tmp_path, videos, "A072")


def test_markup_is_removed_from_cue_lines(tmp_path):
    path = captions_file(
        tmp_path,
        "clip.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Nurse>Roll up <i>your</i> sleeve.\n",
    )
    assert media.parse_captions(path).cues[0].lines == ("Roll up your sleeve.",)
    path = captions_file(tmp_path, "c.srt", srt((1.0, 3.0, "{\\an8}<b>Book</b> today.")))
    assert media.parse_captions(path).cues[0].lines == ("Book today.",)


# ------------------------------------------------------------------------- A073


def test_long_gap(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "gap.srt"])], "A073")
    assert len(found) == 1 and "12 s with no captions from 00:03.000" in found[0].message


def test_captions_that_stop_early(tmp_path):
    cues = EVEN_CUES[:3]  # last cue ends at 12.3 s of a 20 s video
    path = captions_file(tmp_path, "early.srt", srt(*cues))
    found = lint(tmp_path, [entry(captions=[path])], "A073")
    assert (
        len(found) == 1 and "end at 00:12.300 but the video runs to 00:20.000" in found[0].message
    )


def test_cues_past_the_end(tmp_path):
    path = captions_file(tmp_path, "long.srt", srt(*EVEN_CUES, (19.0, 24.0, "The end.")))
    found = lint(tmp_path, [entry(captions=[path])], "A073")
    assert len(found) == 1 and "run past the end" in found[0].message


def test_even_coverage_passes_and_gap_is_configurable(tmp_path):
    path = captions_file(tmp_path, "even.srt", srt(*EVEN_CUES))
    assert not lint(tmp_path, [entry(captions=[path])], "A073")
    videos = [entry(captions=[MEDIA / "gap.srt"])]
    assert not lint(
        tmp_path, videos, "A073", options={"captions-coverage": {"max-gap-seconds": 15}}
    )


# ------------------------------------------------------------------------- A074 - A078


def test_reading_rate(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "too-fast.srt"])], "A074")
    assert [f.location.line for f in found] == [2, 7]
    assert "16 words in 1.5 s is 640 words a minute" in found[0].message
    options = {"captions-reading-rate": {"max-words-per-minute": 700}}
    assert not lint(tmp_path, [entry(captions=[MEDIA / "too-fast.srt"])], "A074", options=options)


def test_reading_rate_at_the_limit_passes(tmp_path):
    # 12 words in 4.0 s is exactly 180 words a minute.
    cue = (1.0, 5.0, "Book your free flu jab at a pharmacy near you this week.")
    path = captions_file(tmp_path, "rate.srt", srt(cue))
    assert not lint(tmp_path, [entry(captions=[path])], "A074")


def test_three_lines_on_landscape_video(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "three-lines.srt"])], "A075")
    assert len(found) == 1 and "3 lines; at most 2" in found[0].message


def test_three_lines_fit_vertical_video_but_four_do_not(tmp_path):
    vertical = MEDIA / "vertical-clip.mp4"
    assert not lint(tmp_path, [entry(vertical, [MEDIA / "vertical-clip.srt"])], "A075")
    four = captions_file(tmp_path, "four.srt", srt((0.3, 5.8, "One\nTwo\nThree\nFour")))
    found = lint(tmp_path, [entry(vertical, [four])], "A075")
    assert len(found) == 1 and "at most 3" in found[0].message


def test_line_length(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "long-lines.vtt"])], "A076")
    assert len(found) == 1 and "77 characters (limit 42)" in found[0].message
    options = {"captions-line-length": {"max-line-length": 80}}
    assert not lint(tmp_path, [entry(captions=[MEDIA / "long-lines.vtt"])], "A076", options=options)


def test_cue_too_short(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "too-fast.srt"])], "A077")
    assert len(found) == 1 and "0.4 s" in found[0].message and found[0].location.line == 12


def test_overlapping_cues(tmp_path):
    found = lint(tmp_path, [entry(captions=[MEDIA / "overlap.srt"])], "A078")
    assert len(found) == 1 and "starts 1.0 s before cue 1 ends" in found[0].message


def test_cue_findings_are_capped_per_file(tmp_path):
    cues = [(i * 1.0, i * 1.0 + 0.9, "x" * 50) for i in range(9)]
    found = lint(tmp_path, [entry(captions=[captions_file(tmp_path, "w.srt", srt(*cues))])], "A076")
    assert len(found) == 6 and "4 more cues" in found[-1].message


def test_same_caption_file_for_two_videos_is_reported_once(tmp_path):
    videos = [entry(captions=[MEDIA / "too-fast.srt"]), entry(captions=[MEDIA / "too-fast.srt"])]
    assert len(lint(tmp_path, videos, "A074")) == 2  # two cues, not four findings


@pytest.mark.parametrize("code", ["A073", "A074", "A075", "A076", "A077", "A078"])
def test_good_captions_pass_every_timing_and_layout_rule(tmp_path, code):
    videos = [entry(captions=[GOOD_VTT, MEDIA / "pharmacy-first.en_GB.srt"])]
    assert not lint(tmp_path, videos, code)


# ------------------------------------------------------------------------- A079


def test_facebook_caption_file_name(tmp_path):
    found = lint(tmp_path, [entry(captions=[GOOD_VTT])], "A079", platforms=["facebook"])
    assert [f.severity for f in found] == [Severity.INFO]
    assert "pharmacy-first.en_GB.srt" in found[0].message
    named = [entry(captions=[MEDIA / "pharmacy-first.en_GB.srt"])]
    assert not lint(tmp_path, named, "A079", platforms=["facebook"])
    assert not lint(tmp_path, [entry(captions=[GOOD_VTT])], "A079", platforms=["x"])


# ------------------------------------------------------------------------- video_info


def test_video_info_structure():
    info = media.read_video(0, Video(path=MEDIA / "with-subtitles.mp4", source="w.mp4"))
    assert info.problem is None and info.has_video and info.has_audio
    assert info.duration == pytest.approx(20.0, abs=0.1)
    assert (info.width, info.height) == (160, 120) and not info.vertical
    assert info.subtitle_streams == [("mov_text", "eng")]
    vertical = media.read_video(0, Video(path=MEDIA / "vertical-clip.mp4"))
    assert vertical.vertical


def test_every_video_rule_is_documented():
    for cls in video_checks.CHECKS:
        assert "A070" <= cls.code <= "A089"
        assert cls.policy and cls.summary and cls.explanation and cls.examples, cls.code


def test_uploaded_video_and_captions_are_read_from_bytes():
    upload = Video(
        path=None,
        source="upload.mp4",
        data=(MEDIA / "with-subtitles.mp4").read_bytes(),
        caption_data=[("upload.en_GB.srt", (MEDIA / "too-fast.srt").read_bytes())],
    )
    info = media.read_video(0, upload)
    assert info.readable and info.duration == pytest.approx(20.0, abs=0.1)
    assert [c.name for c in info.captions] == [
        "upload.en_GB.srt",
        "upload.mp4 subtitle track 1 (eng)",  # the mov_text track inside the upload
    ]
    assert len(info.captions[0].cues) == 4 and info.captions[1].cues


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg command")
def test_a_subtitle_track_inside_the_video_is_checked_like_a_caption_file(tmp_path):
    subtitles = captions_file(
        tmp_path,
        "fast.srt",
        srt((0.5, 2.0, "Hello and welcome to the clinic"),
            (2.5, 3.0, "This cue is far too fast for anyone to read at all")),
    )  # fmt: skip
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=160x120:d=4",
         "-f", "lavfi", "-i", "sine=d=4", "-i", str(subtitles), "-c:v", "libx264", "-c:a", "aac",
         "-c:s", "mov_text", "-shortest", str(clip)],
        check=True, timeout=60,
    )  # fmt: skip
    info = media.read_video(0, Video(path=clip, source="clip.mp4"))
    (track,) = info.captions
    assert track.kind == "embedded" and [c.start for c in track.cues] == [0.5, 2.5]
    findings = lint(tmp_path, [entry(clip)], "A070,A074,A077,A079", platforms=["facebook"])
    by_code = {f.code: f for f in findings}
    assert "A070" not in by_code  # the track is captions
    assert "subtitle track 1" in by_code["A074"].message and "cue 2" in by_code["A074"].message
    assert "A077" in by_code  # on screen for 0.5 s
    # Findings point at the draft's line naming the video, not into the video file.
    assert by_code["A074"].location.path.endswith("draft.md")
    assert "SRT files uploaded with the video" in by_code["A079"].message


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg command")
def test_audio_with_cover_art_is_not_a_video(tmp_path):
    cover = tmp_path / "cover.png"
    from PIL import Image

    Image.new("RGB", (64, 64), (0, 94, 184)).save(cover)
    song = tmp_path / "jingle.m4a"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=2",
         "-i", str(cover), "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "png",
         "-disposition:v", "attached_pic", str(song)],
        check=True, timeout=60,
    )  # fmt: skip
    info = media.read_video(0, Video(path=song, source=song.name))
    assert info.has_audio and not info.has_video


# --- A080 burned-in captions are checked, not trusted ----------------------------------------


def test_burned_in_captions_that_can_be_read_pass():
    video = MEDIA / "burned-in-captions.mp4"  # "Book your flu jab today" in the lower part
    findings = lint_burned(video)
    assert not [f for f in findings if f.code in {"A070", "A080"}]


def test_burned_in_captions_that_cannot_be_seen_are_reported():
    (finding,) = [f for f in lint_burned(VIDEO) if f.code == "A080"]  # a test card, no words
    assert str(finding.severity) == "warning"
    assert "no words could be read in the lower part of 5 frames" in finding.message
    assert finding.location.path.endswith("draft.md") and finding.location.line > 1


def test_burned_in_captions_without_tesseract_say_so_once(monkeypatch):
    from postlint_checks import images

    monkeypatch.setattr(images, "tesseract_available", lambda ctx: False)
    codes = [f.code for f in lint_burned(VIDEO, VIDEO)]
    assert "A080" not in codes and codes.count("X003") == 1


def lint_burned(*videos):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        entries = [{"path": str(v), "burned_in_captions": True} for v in videos]
        return lint(Path(folder), entries, "A070,A080,X003")
