"""P001-P006 platform limits: the real table, real pipeline, real media files."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from postlint_checks import platform_limits as pl

from postlint.config import from_mapping
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths

TABLE = Path(pl.__file__).parent / "data" / "platforms.yaml"


def lint(tmp_path: Path, text: str, select: str = "P001", config=None, front=None):
    front = {"platforms": ["x"], **(front or {})}
    (tmp_path / "post.md").write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", "utf-8")
    run = lint_paths(
        [tmp_path], PipelineFactory(from_mapping({"select": [select], **(config or {})}))
    )
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def png(tmp_path: Path, name: str) -> str:
    from PIL import Image

    Image.new("RGB", (8, 8), "white").save(tmp_path / name)
    return name


def test_registered_with_explanations():
    checks = load_registry().checks
    for cls in pl.CHECKS:
        assert checks[cls.code] is cls
        assert cls.examples and cls.explanation and cls.policy and cls.summary


# --- the table -------------------------------------------------------------------------


def test_every_limit_has_a_source_and_a_date():
    table = pl.load_table()
    assert set(table) == {
        "x",
        "bluesky",
        "mastodon",
        "threads",
        "linkedin",
        "facebook",
        "instagram",
        "tiktok",
        "youtube",
    }
    for platform in table.values():
        assert "text_limit" in platform.limits, platform.key
        for limit in platform.limits.values():
            assert limit.source, (platform.key, limit.key)
            dt.date.fromisoformat(limit.checked)


def test_table_values_match_the_guidance():
    table = pl.load_table()
    expected = {
        "x": 280,
        "bluesky": 300,
        "mastodon": 500,
        "threads": 500,
        "linkedin": 3000,
        "facebook": 63206,
        "instagram": 2200,
        "tiktok": 2200,
    }
    for key, value in expected.items():
        assert table[key].get("text_limit").value == value
    assert table["instagram"].get("max_hashtags").value == 5
    assert table["threads"].get("max_links").value == 5
    assert table["threads"].get("max_topic_tags").value == 1
    assert table["x"].get("alt_text_limit").value == 1000


def test_a_malformed_table_is_a_clear_error(tmp_path):
    bad = tmp_path / "platforms.yaml"
    bad.write_text("platforms:\n  x:\n    text_limit: {value: lots, source: s, checked: x}\n")
    with pytest.raises(pl.TableError, match=r"x\.text_limit"):
        pl.load_table(bad)
    bad.write_text("platforms:\n  x:\n    text_limit: {value: 9, counting: words}\n")
    with pytest.raises(pl.TableError, match="counting"):
        pl.load_table(bad)


# --- counting --------------------------------------------------------------------------


def limit(platform: str) -> pl.Limit:
    return pl.load_table()[platform].get("text_limit")


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("hello", 5),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC first: e + combining accent is one character
        ("😀", 2),
        ("👨‍👩‍👧‍👦", 2),  # a ZWJ sequence is one emoji
        ("👍🏽", 2),
        ("中文", 4),
        ("“quoted”", 8),  # U+2010-201F weigh 1
        ("—", 1),
        ("→", 2),
    ],
)
def test_x_weighting(text, weight):
    units = [pl.Unit(0, g, "text") for g in pl.GRAPHEME.findall(text)]
    assert sum(pl.weigh(u, limit("x")) for u in units) == weight


def test_x_counts_every_url_as_23(tmp_path):
    text = "a" * 256 + " https://www.nhs.uk/" + "x" * 200  # 256 + 1 + 23 = 280
    assert lint(tmp_path, text) == []
    over = "a" * 257 + " nhs.uk/flu"  # bare domains are links on X too: 257 + 1 + 23
    findings = lint(tmp_path, over)
    assert [f.code for f in findings] == ["P001"]
    assert "281 of 280" in findings[0].message


def test_finding_points_at_the_first_character_past_the_limit(tmp_path):
    text = "Book your flu jab. " + "a" * 300
    findings = lint(tmp_path, text)
    finding = findings[0]
    assert finding.start == 280 and finding.end == len(text)
    assert str(finding.severity) == "error"
    assert "319 of 280" in finding.message and "39 over" in finding.message


def test_emoji_count_two_on_x_one_on_bluesky(tmp_path):
    text = "😀" * 150  # X: 300; Bluesky: 150 graphemes
    findings = lint(tmp_path, text, front={"platforms": ["x", "bluesky"]})
    assert len(findings) == 1 and "X" in findings[0].message
    assert findings[0].start == 140  # the 141st emoji takes X to 282


def test_bluesky_counts_graphemes_and_shortened_links(tmp_path):
    url = "https://www.nhs.uk/nhs-services/vaccination-and-booking-services/book-flu/"
    short = pl.bluesky_short_url(url)
    assert short == "www.nhs.uk/nhs-services..."
    text = "a" * (300 - len(short) - 1) + " " + url
    assert lint(tmp_path, text, front={"platforms": ["bluesky"]}) == []
    findings = lint(tmp_path, text + "!", front={"platforms": ["bluesky"]})
    assert [f.code for f in findings] == ["P001"]
    assert "301 of 300" in findings[0].message


def test_mastodon_counts_links_as_23_and_remote_mentions_by_name(tmp_path):
    text = "@nhsengland@mastodon.example " + "a" * 446 + " https://www.nhs.uk/" + "x" * 99
    # "@nhsengland" 11 + space 1 + 446 + space 1 + 23 = 482
    assert lint(tmp_path, text, front={"platforms": ["mastodon"]}) == []
    findings = lint(tmp_path, text + " " + "b" * 18, front={"platforms": ["mastodon"]})
    assert "501 of 500" in findings[0].message


def test_markup_and_postlint_comments_do_not_count(tmp_path):
    text = "<!-- postlint-disable A001 -->\n**" + "a" * 279 + "**"
    assert len(text) > 280
    assert lint(tmp_path, text) == []


def test_youtube_counts_utf8_bytes():
    units = [pl.Unit(0, "é", "text")]
    assert pl.weigh(units[0], limit("youtube")) == 2


def test_limits_option_overrides_the_table(tmp_path):
    text = "a" * 600
    front = {"platforms": ["mastodon"]}
    assert [f.code for f in lint(tmp_path, text, front=front)] == ["P001"]
    config = {"options": {"platform-text-length": {"limits": {"mastodon": 1000}}}}
    assert lint(tmp_path, text, front=front, config=config) == []


def test_default_platforms_come_from_config(tmp_path):
    (tmp_path / "post.md").write_text("a" * 400 + "\n", "utf-8")
    config = from_mapping({"select": ["P001"], "platforms": ["bluesky", "linkedin"]})
    run = lint_paths([tmp_path], PipelineFactory(config))
    messages = [f.message for f in run.findings if f.code == "P001"]
    assert len(messages) == 1 and "Bluesky" in messages[0]


# --- media -----------------------------------------------------------------------------


def test_p002_too_many_images(tmp_path):
    images = [{"path": png(tmp_path, f"{i}.png"), "alt": f"Photo {i}"} for i in range(5)]
    findings = lint(tmp_path, "Photos", "P002", front={"platforms": ["x"], "images": images})
    assert [f.code for f in findings] == ["P002"]
    assert "X takes 4" in findings[0].message
    instagram = {"platforms": ["instagram"], "images": images}
    assert lint(tmp_path, "Photos", "P002", front=instagram) == []


def test_p003_alt_text_too_long(tmp_path):
    alt = "A poster for flu clinics in Basildon. " * 30  # about 1,140 characters
    front = {
        "platforms": ["x", "mastodon"],
        "images": [{"path": png(tmp_path, "poster.png"), "alt": alt}],
    }
    findings = lint(tmp_path, "Flu clinics", "P003", front=front)
    assert [f.code for f in findings] == ["P003"]
    assert "X 1,000" in findings[0].message and "Mastodon" not in findings[0].message
    assert findings[0].location.line == 3  # images[0] in the front matter


def test_p003_disputed_limit_is_a_warning(tmp_path):
    alt = "x" * 4100
    front = {"platforms": ["linkedin"], "images": [{"path": png(tmp_path, "a.png"), "alt": alt}]}
    findings = lint(tmp_path, "Flu clinics", "P003", front=front)
    assert [str(f.severity) for f in findings] == ["warning"]


# --- hashtags, links, topic tags -------------------------------------------------------


def test_p004_instagram_five_hashtags(tmp_path):
    text = "Flu jabs #FluJab #NHS #Essex #Winter #StayWell #Basildon"
    findings = lint(tmp_path, text, "P004", front={"platforms": ["instagram"]})
    assert [f.code for f in findings] == ["P004"]
    assert text[findings[0].start : findings[0].end] == "#Basildon"
    assert lint(tmp_path, text, "P004", front={"platforms": ["x"]}) == []


def test_p004_uses_the_old_limit_before_december_2025(tmp_path):
    text = "Flu jabs #FluJab #NHS #Essex #Winter #StayWell #Basildon"
    front = {"platforms": ["instagram"], "scheduled": "2025-10-01 09:00"}
    assert lint(tmp_path, text, "P004", front=front) == []


def test_p005_threads_links_and_topic_tags(tmp_path):
    text = "Flu jabs are here #FluJab #StayWell"
    findings = lint(tmp_path, text, "P005", front={"platforms": ["threads"]})
    assert [f.code for f in findings] == ["P005"]
    assert text[findings[0].start : findings[0].end] == "#StayWell"
    links = " ".join(f"https://www.nhs.uk/page{i}" for i in range(6))
    findings = lint(tmp_path, "Pages: " + links, "P005", front={"platforms": ["threads"]})
    assert "6 links" in findings[0].message
    assert (
        lint(tmp_path, "Flu jabs are here #FluJab", "P005", front={"platforms": ["threads"]}) == []
    )


# --- video -----------------------------------------------------------------------------


def make_video(path: Path, seconds: int) -> None:
    """A tiny real video: 16x16 pixels, one frame a second."""
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=1)
        stream.width = stream.height = 16
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, 1)
        for i in range(seconds):
            frame = av.VideoFrame.from_ndarray(
                np.full((16, 16, 3), i % 255, dtype=np.uint8), format="rgb24"
            )
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_p006_video_too_long_for_x_not_threads(tmp_path):
    make_video(tmp_path / "talk.mp4", 150)
    front = {"platforms": ["x", "threads"], "videos": ["talk.mp4"]}
    findings = lint(tmp_path, "Watch our talk", "P006", front=front)
    assert [f.code for f in findings] == ["P006"]
    assert "X takes up to 2 min 20 s" in findings[0].message


def test_p006_short_video_is_fine(tmp_path):
    make_video(tmp_path / "clip.mp4", 20)
    front = {"platforms": ["x", "bluesky"], "videos": ["clip.mp4"]}
    assert lint(tmp_path, "Watch our clip", "P006", front=front) == []


# --- properties ------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from postlint.check import CheckContext  # noqa: E402
from postlint.config import Config  # noqa: E402
from postlint.model import Post, SourceMap  # noqa: E402

PIECES = [*"ab é中😀🇬🇧\u0301“ \n#@", "👨\u200d👩\u200d👧", " https://www.nhs.uk/flu "]
PIECES += [" nhs.uk/x ", " @a@b.example ", "**", "<!-- c -->"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_counts_never_exceed_the_fast_bound(text):
    post = Post(text=text, path="p.md", source_map=SourceMap("p.md"))
    post_units = pl.units(post)
    for platform in pl.load_table().values():
        limit = platform.get("text_limit")
        assert pl.count(post_units, limit, 10**9).total <= pl._upper_bound(post, limit)


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_platform_checks_never_raise(text):
    post = Post(
        text=text, path="p.md", source_map=SourceMap("p.md"), platforms=list(pl.load_table())
    )
    ctx = CheckContext(post, Config(), {}, {})
    for cls in pl.CHECKS:
        for finding in cls().check(post, ctx):
            assert finding.start is None or 0 <= finding.start <= len(text)
