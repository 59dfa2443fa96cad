"""Hypothesis properties of the parts every finding depends on.

* Readers and source maps: for random text ``t`` written through each format (Markdown with
  LF and CRLF, JSON with and without ASCII escapes, YAML in each scalar style PyYAML writes,
  a quoted CSV cell), ``post.text == t`` and ``post.location(i)`` points at the source
  character of ``t[i]``, computed here independently of the reader.
* Findings of the text checks: every span lies inside the text, and its location is the
  source map's.
* ``postlint.text.prose`` keeps the length and every newline.
* Platform length counting: monotone when text is added, URLs weighed as each platform does.
* A001's CamelCase suggestion lower-cases back to the hashtag.
* Fixes (``postlint.fixes``): non-overlapping edits applied at once equal edits applied one
  by one from the end; ``choose`` never returns overlaps; fixing twice changes nothing more.
* ``gif_delays`` (checks/media.py) agrees with Pillow frame by frame.

The examples are few (fast in the main suite); HYPOTHESIS_PROFILE=long runs many more.
"""

from __future__ import annotations

import io
import itertools
import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from postlint.config import Config
from postlint.fixes import Edit, apply_edits, choose, decode_source, fix_text
from postlint.model import Post, SourceMap
from postlint.pipeline import Pipeline
from postlint.readers import decode, read_text
from postlint.readers.fields import ReadOptions
from postlint.readers.textmap import LineIndex
from postlint.text import prose

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# ---------------------------------------------------------------------------- strategies

# Pieces people write in posts, and pieces that break naive offset arithmetic: emoji (outside
# the BMP: one code point, two UTF-16 units), ZWJ sequences, skin tones, flags, keycaps,
# combining marks, right-to-left scripts and controls, zero-width characters, CJK.
SPECIALS = [
    "\U0001f489",
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f44d\U0001f3fd",
    "\U0001f1ec\U0001f1e7",
    "1\ufe0f\u20e3",
    "e\u0301",
    "a\u0308\u0323",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\u202e\u202c",
    "\u200b",
    "\u2066x\u2069",
    "\u4f60\u597d",
    "\t",
    "\n",
    "\n\n",
    '"',
    "'",
    "\\",
    "#flujab",
    "#FluJab",
    "@NHSEngland",
    "www.nhs.uk/flu",
    "https://example.org/a?b=c",
    "NHS 111",
    "£5",
    "&",
    "<>",
    "---",
    "<!-- postlint-disable A001 -->",
    "**bold**",
]
PLAIN = st.characters(
    blacklist_categories=("Cs",),  # lone surrogates cannot be written to a file
    blacklist_characters="\r",  # CRLF is tested on its own; a lone CR is not a line end
)
piece = st.one_of(st.sampled_from(SPECIALS), st.text(PLAIN, min_size=1, max_size=12))
post_text = st.lists(piece, max_size=12).map("".join)


def _position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting only \\n as a line end."""
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _check_map(post: Post, source: str, offsets: list[int]) -> None:
    """The post's map sends text offset i to source offset offsets[i], line and column."""
    assert len(offsets) == len(post.text)
    for i, offset in enumerate(offsets):
        assert post.source_map.source_offset(i) == offset, (i, post.text[i])
        location = post.location(i)
        assert (location.line, location.column) == _position(source, offset), i


def _read_one(name: str, source: str) -> Post:
    result = read_text(name, source, ReadOptions(default_platforms=("x",)))
    assert not result.problems, [p.message for p in result.problems]
    assert len(result.posts) == 1
    return result.posts[0]


# ------------------------------------------------------------------- readers, source maps

FRONT = "---\nplatforms: [x]\n---\n"


@given(post_text)
@example("Book your #flujab \U0001f469\u200d\U0001f4bb \u05e9\u05dc\u05d5\u05dd")
def test_markdown_text_and_positions(text):
    assume(not text.endswith("\n"))  # a final newline is not part of the message
    source = FRONT + text
    post = _read_one("post.md", source)
    assert post.text == text
    _check_map(post, source, [len(FRONT) + i for i in range(len(text))])


@given(post_text)
@example("Line one\nline two\n\n#flujab")
def test_markdown_crlf_text_and_positions(text):
    assume(not text.endswith("\n"))
    source = FRONT.replace("\n", "\r\n") + text.replace("\n", "\r\n")
    post = _read_one("post.md", source)
    assert post.text == text
    offsets, offset = [], len(FRONT.replace("\n", "\r\n"))
    for char in text:
        offsets.append(offset)
        offset += 2 if char == "\n" else 1
    _check_map(post, source, offsets)


@given(post_text, st.booleans())
@example('Say "hi" \\ \U0001f489\n\ttab', True)
def test_json_text_and_positions(text, ascii_only):
    head = '{"platforms": ["x"],\n "text": "'
    pieces = [json.dumps(char, ensure_ascii=ascii_only)[1:-1] for char in text]
    source = head + "".join(pieces) + '"}\n'
    post = _read_one("post.json", source)
    assert post.text == text
    offsets, offset = [], len(head)
    for written in pieces:
        offsets.append(offset)
        offset += len(written)
    _check_map(post, source, offsets)
    for i, written in enumerate(pieces):  # each character's span decodes to that character
        assert decode_source("json", written) == text[i]


@given(post_text, st.sampled_from(['"', "'", "|", None]))
@example("Caf\u00e9 \U0001f469\u200d\U0001f4bb #flujab\n\"q\" 'x' \\ end", "'")
def test_yaml_text_and_positions(text, style):
    source = yaml.safe_dump(
        {"platforms": ["x"], "text": text}, default_style=style, allow_unicode=True, width=60
    )
    assume(yaml.safe_load(source)["text"] == text)  # PyYAML itself round-trips it
    post = _read_one("post.yaml", source)
    assert post.text == text
    lines = LineIndex(source)
    escape = post.source_map.escape
    for i, char in enumerate(text):
        offset = post.source_map.source_offset(i)
        if offset is None:
            # Only characters YAML makes from line folding have no source of their own.
            assert char in " \n", (i, char, escape)
            continue
        location = post.location(i)
        assert (location.line, location.column) == lines.position(offset)
        written = source[offset]
        if escape == "yaml-double":
            assert written in (char, "\\"), (i, char, written)
        elif escape == "yaml-single":
            assert written == char or (char == "\n" and written == "\n"), (i, char, written)
        else:
            assert written == char, (i, char, written, escape)


@given(post_text)
@example('Line one\nline "two" #flujab')
def test_csv_quoted_cell_text_and_positions(text):
    head = 'date,message,platform\n2026-12-01,"'
    pieces = ['""' if char == '"' else char for char in text]
    source = head + "".join(pieces) + '",x\n'
    post = _read_one("schedule.csv", source)
    assert post.text == text
    offsets, offset = [], len(head)
    for written in pieces:
        offsets.append(offset)
        offset += len(written)
    _check_map(post, source, offsets)
    if text:
        assert (
            post.location(0).row == 2 and post.location(0).field == "message"
        )  # as a spreadsheet numbers it


@given(st.binary(max_size=300))
def test_decoding_never_raises(data):
    text, reason = decode(data, "x.md")
    assert (text is None) != (reason is None)


@given(post_text, st.sampled_from(["a.md", "a.json", "a.yaml", "a.csv"]))
def test_readers_never_raise_on_any_text(text, name):
    result = read_text(name, text, ReadOptions())
    for post in result.posts:
        assert isinstance(post.text, str)
        post.location(0, len(post.text))


# ----------------------------------------------------------------------- finding spans

# Every check that needs no engine (spaCy, LanguageTool, media decoding): fast, and the
# ones whose spans come from regular expressions over the text.
ENGINES = {"spacy_doc", "languagetool", "image_info", "video_info"}


@pytest.fixture(scope="module")
def text_pipeline():
    from postlint.registry import load_registry

    registry = load_registry()
    codes = tuple(
        code
        for code, cls in registry.checks.items()
        if not set(cls.requires) & ENGINES and not code.startswith("X")
    )
    return Pipeline(Config(select=codes), registry)


@given(text=post_text)
@example(text="Call 01268 524900 or email jo@example.com #flujab \U0001f489\U0001f489\U0001f489")
def test_finding_spans_lie_inside_the_text_and_map_to_the_source(text_pipeline, text):
    assume(not text.endswith("\n"))
    source = FRONT.replace("\n", "\r\n") + text.replace("\n", "\r\n")
    post = _read_one("post.md", source)
    lines = LineIndex(source)
    for finding in text_pipeline.lint_post(post).findings:
        if finding.code.startswith("X") or finding.start is None:
            continue
        start, end = finding.start, finding.end if finding.end is not None else finding.start
        assert 0 <= start <= end <= len(post.text), finding
        location = finding.location
        expected = lines.position(post.source_map.source_offset(start))
        assert (location.line, location.column) == expected, finding
        for fix in finding.fixes:
            assert 0 <= fix.start <= fix.end <= len(post.text), (finding.code, fix)


# ------------------------------------------------------------------------------ prose


@given(post_text, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=4))
def test_prose_keeps_length_and_newlines(text, markup):
    masked = prose(text, [(min(a, b), max(a, b)) for a, b in markup])
    assert len(masked) == len(text)
    for original, kept in zip(text, masked, strict=True):
        assert (original == "\n") == (kept == "\n")
        assert kept in (original, " ")


# ---------------------------------------------------------------- platform length counts


def _post(text: str) -> Post:
    return Post(text=text, path="p.md", source_map=SourceMap.for_text("p.md", text))


@pytest.fixture(scope="module")
def text_limits():
    from postlint_checks.platform_limits import load_table

    return [p.get("text_limit") for p in load_table().values() if p.get("text_limit")]


def _count(text: str, limit) -> int:
    from postlint_checks.platform_limits import count, units

    return count(units(_post(text)), limit, 10**9).total


words = st.lists(piece.filter(lambda s: not s.isspace()), max_size=6).map(" ".join)


@given(words, words)
def test_length_count_is_monotone(text_limits, first, second):
    """Adding a word never makes a post count less, on any platform."""
    for limit in text_limits:
        alone = _count(first, limit)
        assert _count(first + " " + second, limit) >= alone, limit.platform
        assert alone >= 0


URLS = st.sampled_from(
    [
        "https://www.nhs.uk/conditions/flu/",
        "https://example.org/" + "a" * 80,
        "www.nhs.uk/flu",
        "http://midandsouthessex.ics.nhs.uk/a/b/c/d/e/f/g/h",
    ]
)


@given(URLS, st.text(st.characters(whitelist_categories=("Ll",)), min_size=1, max_size=20))
def test_urls_are_weighed_as_each_platform_does(text_limits, url, word):
    from postlint_checks.platform_limits import bluesky_short_url

    text = f"{word} {url} {word}"
    for limit in text_limits:
        words_only = _count(f"{word}  {word}", limit)
        weight = _count(text, limit) - words_only
        if limit.counting == "x":
            assert weight == 23, url
        elif limit.urls == "23" and url.startswith("http"):
            assert weight == 23, (limit.platform, url)
        elif limit.urls == "bluesky":
            assert weight == len(bluesky_short_url(url)), url
        elif limit.counting == "utf8-bytes":
            assert weight == len(url.encode()), url
        else:
            assert weight == len(url), (limit.platform, url)


@given(
    st.lists(
        st.one_of(piece, st.sampled_from(["\r\n", "e\u0301", "\U0001f489\ufe0f"])), max_size=12
    ).map("".join)
)
def test_ascii_runs_count_as_their_graphemes_would(text_limits, text):
    """Runs of ASCII are counted whole: the totals and the first character over any limit
    are those of counting the same text a grapheme at a time."""
    from postlint_checks.platform_limits import GRAPHEME, Unit, count, units

    post_units = units(_post(text))
    one_by_one = []
    for unit in post_units:
        if unit.kind == "ascii":
            assert "\r" not in unit.text and unit.text.isascii()
            assert GRAPHEME.findall(text, unit.start, unit.start + len(unit.text) + 1)[
                : len(unit.text)
            ] == list(unit.text)
            one_by_one += [Unit(unit.start + k, ch, "text") for k, ch in enumerate(unit.text)]
        else:
            one_by_one.append(unit)
    for limit in text_limits:
        total = count(one_by_one, limit, 10**9).total
        for maximum in range(0, total + 2):
            assert count(post_units, limit, maximum) == count(one_by_one, limit, maximum)


# --------------------------------------------------------------------- A001 CamelCase

hashtag_body = st.one_of(
    st.lists(
        st.sampled_from(
            ["flu", "jab", "mental", "health", "nhs", "essex", "pharmacy", "first", "ß", "i"]
        ),
        min_size=1,
        max_size=4,
    ).map("".join),
    st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=5, max_size=20),
)


@given(hashtag_body, st.sampled_from(["lower", "upper", "same"]))
@example("mentalhealthawareness", "lower")
@example("NHSJOBS", "same")
def test_camel_case_suggestion_lowercases_back_to_the_hashtag(text_pipeline, body, case):
    body = {"lower": body.lower(), "upper": body.upper(), "same": body}[case]
    assume(body and not body.isdigit())
    post = _read_one("post.md", FRONT + f"Book now #{body} today")
    for finding in text_pipeline.lint_post(post).findings:
        if finding.code != "A001":
            continue
        for fix in finding.fixes:
            original = post.text[fix.start : fix.end]
            assert fix.replacement.lower() == original.lower(), (original, fix.replacement)
            assert fix.replacement != original


# ------------------------------------------------------------------------------- fixes


@st.composite
def text_and_edits(draw):
    """A text and non-overlapping edits in it (insertions at distinct places)."""
    text = draw(st.text(PLAIN, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    edits = []
    for start, end in zip(cuts[0::2], cuts[1::2], strict=False):
        if edits and start == edits[-1].source_end == edits[-1].source_start == end:
            continue
        replacement = draw(st.text(PLAIN, max_size=5))
        edits.append(Edit(0, start, end, replacement, start, end, replacement))
    return text, edits


@given(text_and_edits(), st.randoms())
def test_edits_at_once_equal_edits_one_by_one_from_the_end(data, shuffler):
    text, edits = data
    chosen, waiting = choose(edits)
    assert waiting == 0 or len(chosen) < len(edits)
    shuffled = list(chosen)
    shuffler.shuffle(shuffled)  # the order they come in does not matter
    at_once = apply_edits(text, shuffled)
    one_by_one = text
    for edit in sorted(chosen, key=lambda e: (e.source_start, e.source_end), reverse=True):
        one_by_one = (
            one_by_one[: edit.source_start] + edit.source_text + one_by_one[edit.source_end :]
        )
    assert at_once == one_by_one
    assert apply_edits(text, shuffled, source=False) == one_by_one  # the same in text offsets


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12))
def test_choose_never_returns_overlapping_edits(spans):
    edits = [Edit(0, min(a, b), max(a, b), "x", min(a, b), max(a, b), "x") for a, b in spans]
    chosen, waiting = choose(edits)
    assert len(chosen) + waiting == len(edits)
    ordered = sorted(chosen, key=lambda e: (e.source_start, e.source_end))
    for before, after in itertools.pairwise(ordered):
        assert before.source_end <= after.source_start
        insertion_twice = before.source_start == before.source_end == after.source_start
        assert not (insertion_twice and after.source_start == after.source_end)
    assert choose(chosen) == (ordered, 0)  # choosing again keeps them all


@pytest.fixture(scope="module")
def fix_pipeline():
    from postlint.registry import load_registry

    registry = load_registry()
    fixable = tuple(
        code
        for code, cls in registry.checks.items()
        if cls.fixable and not set(cls.requires) & ENGINES
    )
    return Pipeline(Config(select=fixable), registry)


fixable_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "#flujab",
                "#mentalhealthawareness",
                "#NHSJOBS",
                "  ",
                "!!",
                "\U0001f489\U0001f489\U0001f489\U0001f489",
                "BOOK NOW",
                "click here",
                "\n",
                "e.g.",
                "&",
                "£5",
            ]
        ),
        st.text(PLAIN, min_size=1, max_size=8),
    ),
    max_size=10,
).map(" ".join)


@given(fixable_text, st.sampled_from(["post.md", "post.json", "post.yaml", "post.csv"]))
@example("Get your #flujab now!! #mentalhealthawareness", "post.json")
def test_fixing_twice_changes_nothing_more(fix_pipeline, text, name):
    source = {
        "post.md": FRONT + text,
        "post.json": json.dumps({"platforms": ["x"], "text": text}),
        "post.yaml": yaml.safe_dump({"platforms": ["x"], "text": text}, allow_unicode=True),
        "post.csv": "message,platform\n" + '"' + text.replace('"', '""') + '",x\n',
    }[name]
    options = ReadOptions(default_platforms=("x",))
    once = fix_text(name, source, fix_pipeline, options)
    twice = fix_text(name, once.fixed, fix_pipeline, options)
    assert twice.fixed == once.fixed
    if once.changed:  # a fixed file still reads, with as many posts
        again = read_text(name, once.fixed, options)
        assert len(again.posts) == len(read_text(name, source, options).posts)


# ------------------------------------------------------------------- GIF delays (media)


@given(
    st.lists(st.integers(0, 700), min_size=2, max_size=12),
    st.booleans(),
)
def test_gif_delays_agree_with_pillow(durations, local_palette):
    from PIL import Image
    from postlint_checks.media import gif_delays

    frames = []
    for number, _ in enumerate(durations):
        frame = Image.new("RGB" if local_palette else "L", (6, 5), (number * 37) % 256)
        frames.append(frame if not local_palette else frame.quantize(4))
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations)
    data = out.getvalue()
    image = Image.open(io.BytesIO(data))
    expected = []
    for number in range(image.n_frames):
        image.seek(number)
        expected.append(int(image.info.get("duration", 0) or 0))
    assert gif_delays(data, 10_000) == expected
