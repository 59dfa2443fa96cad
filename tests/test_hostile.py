"""The hostile-input corpus (built at test time by hostile_corpus.py) through the real CLI.

For every case: a clear finding naming the file (with the rule the case is about), no
traceback, no check crashed (X002), the other files still linted, exit 1, bounded time and
memory, and every draft byte-for-byte unchanged, also under ``--fix`` unless a safe fix
applies. Beside the corpus: runner-level races (a file vanishing or turning into a folder
between listing and reading), the limits that stdin, --fix and folder walks must keep, and
fast unit tests of the media readers. A bug found in a module the hardening helper does not
own is a strict xfail naming the file and cause until it is fixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_corpus import build

ROOT = Path(__file__).resolve().parent.parent
POSTLINT = [sys.executable, "-m", "postlint.cli"]
# Spelling needs a LanguageTool server and adds nothing to input handling: leave it out so
# the corpus stays fast; every other rule runs.
RUN_ARGS = ["check", "--no-color", "--no-cache", "--ignore", "L001,L002,L003"]
# Runs the CLI and writes its peak memory (KiB) to a file at exit. VmHWM, not getrusage:
# Linux keeps ru_maxrss across fork and exec, so a child of a big pytest process would
# report pytest's own peak.
MEASURE = (
    "import atexit, re, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    open(out, 'w').write(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
    "atexit.register(peak)\n"
    "sys.argv[0] = 'postlint'\n"
    "runpy.run_module('postlint.cli', run_name='__main__')\n"
)
SANE = "---\nplatforms: [x]\n---\nBook your #FluJab today.\n"
TIME_LIMIT = 240  # seconds for the whole corpus on a loaded 2-core CI machine
MEMORY_LIMIT_KIB = 1_500_000


def _digest_tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every regular file under ``folder`` (symlinks and pipes not followed)."""
    digests = {}
    for dirpath, _dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode):
                digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "POSTLINT_NO_CACHE": "1", "PYTHONWARNINGS": "default"}
    return subprocess.run(
        [*POSTLINT, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )


def _findings_by_file(report: dict) -> dict[str, list[dict]]:
    by_path: dict[str, list[dict]] = {}
    for post in report["posts"]:
        by_path.setdefault(Path(post["path"]).name, []).extend(post["findings"])
    return by_path


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "drafts"
    cases = build(root)
    # A sane draft beside the hostile ones: it must still be linted.
    (root / "zz-sane.md").write_text(SANE)
    before = _digest_tree(base)
    peak_file = tmp_path_factory.mktemp("measure") / "peak.txt"
    env = {**os.environ, "POSTLINT_NO_CACHE": "1"}
    started = time.perf_counter()
    # --jobs 1: one process, so its peak is the whole run's peak.
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(peak_file),
            *RUN_ARGS,
            "--jobs",
            "1",
            "--output-format",
            "json",
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT + 120,
        cwd=base,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_kib = int(peak_file.read_text()) if peak_file.exists() else 0
    after = _digest_tree(base)
    print(f"\nhostile corpus: {len(cases)} cases, {seconds:.0f} s, peak {peak_kib // 1024} MiB")
    return cases, process, seconds, peak_kib, before, after, root


@pytest.mark.slow
def test_no_traceback_and_clear_exit(corpus_run):
    _, process, *_ = corpus_run
    assert "Traceback" not in process.stdout + process.stderr, process.stderr[-3000:]
    assert process.returncode == 1, process.stderr[-2000:]


@pytest.mark.slow
def test_every_case_is_reported_by_name_with_its_rule(corpus_run):
    cases, process, *_ = corpus_run
    by_file = _findings_by_file(json.loads(process.stdout))
    wrong = []
    for case in cases:
        codes = {f["code"] for f in by_file.get(case.draft.name, [])}
        if not codes or (case.expect and not codes & set(case.expect)):
            wrong.append(f"{case.name}: expected one of {case.expect}, got {sorted(codes)}")
    assert not wrong, "\n".join(wrong)
    assert "zz-sane.md" in by_file, "the sane draft beside the hostile ones was not linted"


@pytest.mark.slow
def test_no_check_crashed(corpus_run):
    """X002 means an exception escaped a check: bad input must become a finding instead."""
    _, process, *_ = corpus_run
    crashed = [
        f"{post['path']}: {f['message']}"
        for post in json.loads(process.stdout)["posts"]
        for f in post["findings"]
        if f["code"] == "X002"
    ]
    assert not crashed, "\n".join(crashed)


@pytest.mark.slow
def test_findings_say_what_is_wrong(corpus_run):
    _, process, *_ = corpus_run
    for post in json.loads(process.stdout)["posts"]:
        for finding in post["findings"]:
            message = finding["message"]
            assert message.strip() and len(message) < 600, message[:200]
            assert "Traceback" not in message and "object at 0x" not in message, message


@pytest.mark.slow
def test_sane_draft_is_still_clean(corpus_run):
    _, process, *_ = corpus_run
    by_file = _findings_by_file(json.loads(process.stdout))
    assert [f["code"] for f in by_file["zz-sane.md"] if f["severity"] != "info"] == []


@pytest.mark.slow
def test_nothing_but_the_report_on_stderr(corpus_run):
    _, process, *_ = corpus_run
    assert "Warning" not in process.stderr, process.stderr[-2000:]


@pytest.mark.slow
def test_bounded_time_and_memory(corpus_run):
    _, _, seconds, peak_kib, *_ = corpus_run
    assert seconds < TIME_LIMIT, f"the corpus took {seconds:.0f} s"
    assert 0 < peak_kib < MEMORY_LIMIT_KIB, f"peak memory {peak_kib / 1024:.0f} MiB"


@pytest.mark.slow
def test_no_file_changed(corpus_run):
    *_, before, after, _root = corpus_run
    assert before == after


# ---------------------------------------------------------------------------------- --fix

TEXT_PREFIXES = ("fm-", "text-", "csv-", "json-", "yaml-")
# Left out of the --fix run: the 100,000-row CSV and the 990 KB draft only cost time (re-linted per
# pass), and the 20 MB draft is a known bug (test_fix_refuses_an_oversized_draft).
NOT_FIXED = {"csv-100k.csv", "text-20mb.md", "text-990kb.md"}


@pytest.mark.slow
def test_fix_changes_only_what_it_fixes(corpus_run, tmp_path):
    """``--fix`` over the text cases (text report, the default): no traceback; a file is
    rewritten only when it had a safe fix, keeps its encoding and BOM, and still reads."""
    cases, process, *_rest, root = corpus_run
    report = json.loads(process.stdout)
    fixable = {
        Path(post["path"]).name
        for post in report["posts"]
        for f in post["findings"]
        if any(fix.get("safe", True) for fix in f.get("fixes", []))
    }
    work = tmp_path / "drafts"
    work.mkdir()
    for case in cases:
        name = case.draft.name
        if name.startswith(TEXT_PREFIXES) and case.draft.parent == root and name not in NOT_FIXED:
            shutil.copyfile(case.draft, work / case.draft.name)
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    fixed = _run([*RUN_ARGS, "--fix", "--jobs", "1", str(work)], tmp_path)
    assert "Traceback" not in fixed.stdout + fixed.stderr, fixed.stderr[-3000:]
    assert fixed.returncode in (0, 1), fixed.stderr[-2000:]
    for name, data in before.items():
        now = (work / name).read_bytes()
        if name not in fixable:
            assert now == data, f"{name} changed but had no safe fix"
        elif now != data:
            for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
                assert now.startswith(bom) == data.startswith(bom), f"{name}: BOM changed"
            assert now.count(b"\r\n") <= data.count(b"\r\n"), name
    again = _run([*RUN_ARGS, "--output-format", "json", "--jobs", "1", str(work)], tmp_path)
    assert "Traceback" not in again.stdout + again.stderr, again.stderr[-3000:]
    assert json.loads(again.stdout)["posts"], "the fixed files no longer read"


# ------------------------------------------------------------------ known bugs elsewhere


def test_named_pipe_in_a_folder_does_not_hang(tmp_path):
    from postlint.config import Config
    from postlint.readers import read_path
    from postlint.readers.fields import ReadOptions
    from postlint.runner import discover

    (tmp_path / "good.md").write_text(SANE)
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    files = list(discover([tmp_path], Config()))
    if pipe not in files:
        return  # skipped while walking: fine
    result: list = []
    reader = threading.Thread(
        target=lambda: result.append(read_path(pipe, ReadOptions())), daemon=True
    )
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the reader so the thread ends, then fail
        with open(pipe, "wb"):
            pass
        reader.join(5)
        pytest.fail("read_path() blocked on a named pipe")
    assert result and result[0].problems


def test_url_pattern_is_linear_on_dotted_runs():
    code = "from postlint.text import special_spans; special_spans('a.' * 10_000 + ' x')"
    try:  # linear matching takes well under a second; today this takes about 35 s
        subprocess.run([sys.executable, "-c", code], timeout=10, check=True, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("special_spans took over 10 s on a 20 KB dotted run")


def test_big_json_schedule_memory_is_bounded(tmp_path):
    posts = [{"text": f"Flu clinic {i} is open today.", "platforms": ["x"]} for i in range(100_000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"posts": posts}))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from postlint.readers import read_path\n"
        "from postlint.readers.fields import ReadOptions\n"
        "def hwm():  # not ru_maxrss: Linux keeps that across fork and exec\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(status.split('VmHWM:')[1].split()[0])\n"
        "base = hwm()\n"
        "result = read_path(Path(sys.argv[1]), ReadOptions())\n"
        "assert result.posts and result.problems\n"
        "print(hwm() - base)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    grown_kib = int(out.stdout.strip())
    assert grown_kib * 1024 < 20 * path.stat().st_size, f"grew {grown_kib // 1024} MiB"


@pytest.mark.slow
def test_draft_symlink_leaving_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "private-notes.md"
    secret.write_text("Private notes: #zzsecretword\n")
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "good.md").write_text(SANE)
    os.symlink(secret, folder / "notes.md")
    process = _run([*RUN_ARGS, "--output-format", "json", "--jobs", "1", str(folder)], tmp_path)
    by_file = _findings_by_file(json.loads(process.stdout))
    assert "zzsecretword" not in process.stdout.lower()
    if "notes.md" in by_file:  # reported, then only as a refusal to read it
        codes = {f["code"] for f in by_file["notes.md"]}
        assert codes == {"X001"}, codes


def _never_lint(monkeypatch):
    from postlint.pipeline import Pipeline

    def refuse(self, post):
        raise AssertionError(f"linted a {len(post.text):,}-character post over the size limit")

    monkeypatch.setattr(Pipeline, "lint_post", refuse)


def _oversized_draft(tmp_path: Path) -> Path:
    from postlint.readers import MAX_TEXT_BYTES

    path = tmp_path / "huge.md"
    path.write_text("Get your flu jab at a pharmacy near you. " * (MAX_TEXT_BYTES // 40 + 10))
    return path


def test_fix_refuses_an_oversized_draft(tmp_path, monkeypatch):
    from postlint import fixes
    from postlint.pipeline import Pipeline
    from postlint.readers.fields import ReadOptions

    path = _oversized_draft(tmp_path)
    pipeline = Pipeline()
    _never_lint(monkeypatch)
    result = fixes.fix_file(path, pipeline, ReadOptions(), write=False)
    assert result.error and not result.changed


def test_standard_input_refuses_an_oversized_draft(tmp_path, monkeypatch):
    from postlint import runner

    data = _oversized_draft(tmp_path).read_bytes()
    factory = runner.PipelineFactory()
    factory.for_folder(tmp_path)
    _never_lint(monkeypatch)
    results = runner.lint_bytes(data, "-.md", factory, tmp_path)
    assert [f.code for r in results for f in r.findings] == ["X001"]


# ----------------------------------------------------- a file vanishing mid-run (runner)


@pytest.mark.parametrize("use_cache", [False, True])
def test_file_disappearing_between_listing_and_reading(tmp_path, monkeypatch, use_cache):
    from postlint import runner

    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a-gone.md").write_text(SANE)
    (folder / "b-kept.md").write_text(SANE)
    listed = runner.discover

    def discover_then_delete(*args, **kwargs):
        files = list(listed(*args, **kwargs))
        (folder / "a-gone.md").unlink()  # between the listing and the read
        yield from files

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    run = runner.lint_paths([folder], use_cache=use_cache, cache_dir=tmp_path / "cache")
    by_name = {Path(r.path).name: r for r in run.posts}
    gone = by_name["a-gone.md"]
    assert [f.code for f in gone.findings] == ["X001"]
    assert "disappeared" in gone.findings[0].message and not gone.passed
    assert by_name["b-kept.md"].passed


def test_file_replaced_by_a_folder_mid_run(tmp_path, monkeypatch):
    from postlint import runner

    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.md").write_text(SANE)
    (folder / "b.md").write_text(SANE)
    listed = runner.discover

    def discover_then_swap(*args, **kwargs):
        files = list(listed(*args, **kwargs))
        (folder / "a.md").unlink()
        (folder / "a.md").mkdir()
        yield from files

    monkeypatch.setattr(runner, "discover", discover_then_swap)
    run = runner.lint_paths([folder])
    by_name = {Path(r.path).name: r for r in run.posts}
    assert [f.code for f in by_name["a.md"].findings] == ["X001"]
    assert by_name["b.md"].passed


# ------------------------------------------------------------ media readers (fast, direct)


def _image_field(path: Path):
    from postlint.model import Image as ImageField

    return ImageField(path=path, alt="A poster.", source=path.name)


def test_media_never_reads_a_pipe_even_if_the_reader_let_it_through(tmp_path):
    """The draft reader refuses non-files; media.py checks again (the file may be swapped)."""
    from postlint_checks import media

    pipe = tmp_path / "pipe.png"
    os.mkfifo(pipe)
    done: list = []
    worker = threading.Thread(
        target=lambda: done.append(media.read_image(0, _image_field(pipe), 10**8, 800)),
        daemon=True,
    )
    worker.start()
    worker.join(10)
    if worker.is_alive():
        with open(pipe, "wb"):
            pass
        pytest.fail("read_image blocked on a named pipe")
    assert "not a regular file" in done[0].problem
    vtt = tmp_path / "pipe.vtt"
    os.mkfifo(vtt)
    assert "not a regular file" in media.parse_captions(vtt).problem
    from postlint.model import Video

    assert "not a regular file" in media.read_video(0, Video(path=pipe, source="p.mp4")).problem


def test_sixteen_bit_and_float_images_are_scaled_not_clipped():
    from PIL import Image
    from postlint_checks.media import flatten_rgb

    for mode, dark, light in (("I;16", 9000, 60000), ("I", 9000, 60000), ("F", 0.1, 0.9)):
        image = Image.new(mode, (4, 1), light)
        image.putpixel((0, 0), dark)
        rgb = flatten_rgb(image)
        assert rgb.mode == "RGB"
        low, high = rgb.getpixel((0, 0))[0], rgb.getpixel((1, 0))[0]
        assert high - low > 150, (mode, low, high)  # Pillow's own convert gives 255 and 255


def test_gif_delays_are_read_without_decoding():
    import io

    from PIL import Image
    from postlint_checks.media import gif_delays

    frames = [Image.new("L", (8, 8), v) for v in (0, 255, 0, 255)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=[30, 0, 70, 120])
    data = out.getvalue()
    image = Image.open(io.BytesIO(data))
    expected = []
    for number in range(image.n_frames):
        image.seek(number)
        expected.append(int(image.info.get("duration", 0) or 0))
    assert gif_delays(data, 100) == expected
    assert gif_delays(data, 2) == expected[:2]
    assert gif_delays(data[: len(data) // 2], 100) is not None  # cut short: what is there
    assert gif_delays(b"GIF89a" + b"\x00" * 7 + b"\x99", 100) == []  # stray bytes skipped
    assert gif_delays(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, 100) is None  # not a GIF


def test_gif_frame_placed_far_outside_the_screen_is_refused():
    """Pillow grows the canvas to fit a frame placed past the logical screen: a 2 KB GIF
    became a 143-megapixel decode (found by the fuzzer). It is refused before decoding."""
    from hostile_corpus import far_frame_gif
    from postlint_checks import media

    from postlint.model import Image as ImageField

    data = far_frame_gif()
    assert media.gif_canvas(data) == (30_008, 20_008)
    info = media.read_image(0, ImageField(path=None, source="x.gif", data=data), 50_000_000, 256)
    assert "30,008 x 20,008" in info.problem and info.preview is None


def test_exotic_pillow_formats_are_never_opened():
    """Only the formats platforms take are handed to Pillow (an ICO decodes on open)."""
    from hostile_corpus import icon_bomb
    from postlint_checks import media

    from postlint.model import Image as ImageField

    source = ImageField(path=None, source="favicon.png", data=icon_bomb())
    before = _peak_kib()
    info = media.read_image(0, source, 50_000_000, 256)
    assert "Export it as a PNG or JPEG" in info.problem
    assert _peak_kib() - before < 40_000  # the 81 MB icon was never decoded


def _peak_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])


def test_caption_cue_of_no_length_and_control_characters(tmp_path):
    from postlint_checks.media import parse_captions

    zero = tmp_path / "zero.srt"
    zero.write_text("1\n00:00:01,000 --> 00:00:01,000\nHello\n")
    assert "never shown" in parse_captions(zero).problem
    nul = tmp_path / "nul.vtt"
    nul.write_bytes(b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nOne\x00two\n")
    result = parse_captions(nul)
    assert "U+0000" in result.problem and result.problem_line == 4


def test_a_picture_named_mp4_is_not_a_video(tmp_path):
    from PIL import Image
    from postlint_checks.media import read_video

    from postlint.model import Video

    path = tmp_path / "clip.mp4"
    Image.new("RGB", (32, 32), "red").save(path, "PNG")
    info = read_video(0, Video(path=path, source="clip.mp4"))
    assert "not a video" in info.problem and "PNG" in info.problem


def test_flash_check_of_huge_frames_stops_and_says_so(tmp_path):
    """Many big frames that do not flash: the pixel budget stops the work, with a note."""
    from PIL import Image
    from postlint_checks import flashing, media

    from postlint.model import Image as ImageField

    frames = [Image.new("L", (1000, 1000), 100 + (i % 3)) for i in range(40)]
    path = tmp_path / "slow.gif"
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    info = media.read_image(0, ImageField(path=path, alt="x", source="slow.gif"), 10**8, 800)
    coverage = flashing.Coverage()
    report = flashing.analyse(flashing.animation_frames(info, 30, 10, coverage))
    assert coverage.cut_at_ms is not None and report.frames == 10
    full = flashing.Coverage()
    flashing.analyse(flashing.animation_frames(info, 30, 1000, full))
    assert full.cut_at_ms is None
