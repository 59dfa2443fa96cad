#!/usr/bin/env python3
"""Coverage-guided fuzzing of postlint's input handling with Atheris (libFuzzer for Python).

Run on demand, not in the test suite, for a fixed time budget:

    .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python scripts/fuzz.py readers -max_total_time=300
    .venv/bin/python scripts/fuzz.py pipeline -max_total_time=300
    .venv/bin/python scripts/fuzz.py all -max_total_time=120      # each target in turn

Targets (each takes raw bytes, as a file on disk would give them):

    readers   bytes -> decode -> every reader (Markdown, JSON, YAML, CSV): no exception, and
              every post's text maps to valid lines and columns
    pipeline  bytes -> decode -> Markdown post -> every check that needs no engine (spaCy,
              LanguageTool, media): no exception, no X002 (a check crashed), every span
              inside the text, and fixing the post twice changes nothing more
    captions  bytes -> SRT and WebVTT parsing (checks/media.py): problems, never exceptions
    images    bytes -> image reading and GIF delays (checks/media.py), flash-check frames

Bugs listed in KNOWN_BUGS (reported, with a regression input) are stepped over so that a
run finds new ones; add --strict to stop on them too. Other options after the target go to
libFuzzer (-max_total_time=N, -runs=N, -timeout=S, -rss_limit_mb=M, -jobs...). postlint's
defaults: -timeout=10 (an input slower than that is a hang), -rss_limit_mb=1500, the seed
corpus built from fixtures/ into build/fuzz/<target>/, crash inputs written to
build/fuzz/artifacts/. Replay one with

    .venv/bin/python scripts/fuzz.py pipeline build/fuzz/artifacts/crash-...

and keep it as a regression: copy it (minimised with -minimize_crash=1 -runs=10000) to
tests/data/fuzz/<target>-<what>.bin; tests/test_fuzz_regressions.py replays every file there
through the same target function.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "fuzz"
TARGETS = ("readers", "pipeline", "captions", "images")
DEFAULT_FLAGS = ("-timeout=10", "-rss_limit_mb=1500")
READER_KINDS = ("post.md", "post.json", "post.yaml", "post.csv")
ENGINES = {"spacy_doc", "languagetool", "image_info", "video_info"}
# Modules whose branches guide the fuzzer (imported under Atheris' instrumentation).
INSTRUMENTED = (
    "postlint.readers",
    "postlint.readers.markdown",
    "postlint.readers.structured",
    "postlint.readers.csv_reader",
    "postlint.readers.jsonscan",
    "postlint.readers.yamlsafe",
    "postlint.readers.yamlscalar",
    "postlint.readers.fields",
    "postlint.readers.textmap",
    "postlint.text",
    "postlint.pipeline",
    "postlint.fixes",
    "postlint_checks.media",
    # Not postlint_checks.flashing: Atheris' comparison tracing leaks on NumPy array
    # comparisons (about 90 KB a run, 1.5 GB in three minutes), which looked like an OOM.
    "postlint_checks.hashtags",
    "postlint_checks.text_style",
    "postlint_checks.platform_limits",
    "postlint_checks.abbreviations",
    "postlint_checks.personal_data",
    "postlint_checks.content_rules",
    "postlint_checks.handles",
)


class FuzzFailure(AssertionError):
    """An invariant broke on this input (libFuzzer reports it as a crash)."""


# Bugs already found and reported (each has an input in tests/data/fuzz/ replayed as a strict
# xfail): while they are open the fuzzer steps over them to look for new ones. --strict
# reports them too. (exception type name, text in its message)
# The first two found (a media path "~name/..." and a 300-character media name aborting the
# run: postlint/readers/fields.py) are fixed; add an entry here while a new one is open.
KNOWN_BUGS: tuple[tuple[str, str], ...] = ()


def _known(exc: BaseException) -> bool:
    return any(type(exc).__name__ == kind and text in str(exc) for kind, text in KNOWN_BUGS)


def step_over_known(function):
    """``function`` with the exceptions of KNOWN_BUGS swallowed."""

    def wrapped(data: bytes) -> None:
        try:
            function(data)
        except Exception as exc:
            if not _known(exc):
                raise

    return wrapped


# ---------------------------------------------------------------------------------- targets


def _check_post(post) -> None:
    text = post.text
    if not isinstance(text, str):
        raise FuzzFailure("post text is not a string")
    probes = {0, len(text)} | set(range(0, len(text), max(1, len(text) // 16)))
    for offset in sorted(probes):
        location = post.location(offset, min(offset + 1, len(text)))
        if location.line < 1 or location.column < 1:
            raise FuzzFailure(f"offset {offset} maps to line {location.line}:{location.column}")
        source = post.source_map.source_offset(offset)
        inside = post.source_text is None or offset >= len(text)
        if source is not None and not inside and not 0 <= source < len(post.source_text):
            raise FuzzFailure(f"offset {offset} maps outside the source ({source})")


def fuzz_readers(data: bytes) -> None:
    from postlint.readers import decode, read_text
    from postlint.readers.fields import ReadOptions

    for name in READER_KINDS:
        text, reason = decode(data, name)
        if (text is None) == (reason is None):
            raise FuzzFailure("decode must give text or a reason")
        if text is None:
            continue
        result = read_text(name, text, ReadOptions(max_posts=50))
        for post in result.posts:
            _check_post(post)


_PIPELINES: dict[str, object] = {}


def _pipeline(kind: str):
    """A pipeline of every check that needs no engine (or of the fixable ones), built once."""
    if kind not in _PIPELINES:
        from postlint.config import Config
        from postlint.pipeline import Pipeline
        from postlint.registry import load_registry

        registry = load_registry()
        codes = tuple(
            code
            for code, cls in registry.checks.items()
            if not set(cls.requires) & ENGINES
            and not code.startswith("X")
            and (kind != "fixable" or cls.fixable)
        )
        _PIPELINES[kind] = Pipeline(Config(select=codes), registry)
    return _PIPELINES[kind]


def fuzz_pipeline(data: bytes) -> None:
    from postlint.fixes import fix_text
    from postlint.readers import decode, read_text
    from postlint.readers.fields import ReadOptions

    text, _reason = decode(data, "post.md")
    if text is None:
        return
    options = ReadOptions(default_platforms=("x", "bluesky", "mastodon", "youtube"))
    pipeline = _pipeline("cheap")
    for post in read_text("post.md", text, options).posts:
        for finding in pipeline.lint_post(post).findings:  # type: ignore[attr-defined]
            if finding.code == "X002":
                raise FuzzFailure(finding.message)
            if finding.start is not None:
                end = finding.end if finding.end is not None else finding.start
                if not 0 <= finding.start <= end <= len(post.text):
                    raise FuzzFailure(f"{finding.code} span {finding.start}..{end} outside")
    once = fix_text("post.md", text, _pipeline("fixable"), options)
    twice = fix_text("post.md", once.fixed, _pipeline("fixable"), options)
    if twice.fixed != once.fixed:
        raise FuzzFailure("fixing a second time changed the draft again")


def fuzz_captions(data: bytes) -> None:
    from postlint_checks.media import parse_captions

    for name in ("captions.srt", "captions.vtt"):
        captions = parse_captions(Path(name), name, data)
        for cue in captions.cues:
            if cue.end < cue.start and captions.problem is None:
                raise FuzzFailure("a cue ending before it starts was not reported")


def fuzz_images(data: bytes) -> None:
    from postlint_checks import flashing, media

    from postlint.model import Image as ImageField

    info = media.read_image(0, ImageField(path=None, source="x.gif", data=data), 4_000_000, 256)
    media.gif_delays(data, 1000)
    if info.readable and info.animated:
        frames = flashing.animation_frames(info, 5, max_megapixels=20)
        # The check reports a frame that fails to decode as a finding: not a crash here.
        with contextlib.suppress(Exception):
            flashing.analyse(frames)


FUNCTIONS = {
    "readers": fuzz_readers,
    "pipeline": fuzz_pipeline,
    "captions": fuzz_captions,
    "images": fuzz_images,
}


# ------------------------------------------------------------------------------ seeds


def seeds(target: str) -> Path:
    """A seed corpus for ``target`` from the repository's fixtures (rebuilt each run)."""
    folder = WORK / target
    folder.mkdir(parents=True, exist_ok=True)
    fixtures = ROOT / "fixtures"
    if target in ("readers", "pipeline"):
        suffixes = {".md", ".json", ".yaml", ".yml", ".csv"} if target == "readers" else {".md"}
        files = [p for p in fixtures.rglob("*") if p.suffix in suffixes]
    elif target == "captions":
        files = [p for p in (fixtures / "media").glob("*") if p.suffix in (".srt", ".vtt")]
    else:
        files = [
            p
            for p in (fixtures / "media").glob("*")
            if p.suffix in (".gif", ".png", ".jpg") and p.stat().st_size < 50_000
        ]
    for path in sorted(files)[:200]:
        (folder / f"seed-{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    return folder


# ------------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in (*TARGETS, "all"):
        print(__doc__)
        return 2
    target, rest = argv[1], argv[2:]
    if target == "all":
        import subprocess

        codes = [subprocess.call([sys.executable, argv[0], name, *rest]) for name in TARGETS]
        return max(codes)
    import atheris

    with atheris.instrument_imports(include=["postlint", "postlint_checks"]):
        for module in INSTRUMENTED:
            importlib.import_module(module)
    strict = "--strict" in rest
    rest = [a for a in rest if a != "--strict"]
    function = FUNCTIONS[target] if strict else step_over_known(FUNCTIONS[target])
    if target == "pipeline":
        _pipeline("cheap")
        _pipeline("fixable")
    replaying = any(Path(a).is_file() for a in rest if not a.startswith("-"))
    flags = [f for f in DEFAULT_FLAGS if f.split("=")[0] not in {a.split("=")[0] for a in rest}]
    artifacts = WORK / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    args = [argv[0], *flags, f"-artifact_prefix={artifacts}/{target}-", *rest]
    if not replaying and not any(not a.startswith("-") for a in rest):
        args.append(str(seeds(target)))
    atheris.Setup(args, function)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
