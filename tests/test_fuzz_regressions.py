"""Replays every input the fuzzer (scripts/fuzz.py) found, through the same target function.

Files in tests/data/fuzz/ are named ``<target>-<what>.bin``; each once crashed or hung its
target. A file whose bug lives in a module the hardening helper does not own is a strict
xfail naming that bug, so the suite stays green and the bug stays visible; when it is fixed
the xfail turns into a failure that says to remove it here (and from fuzz.KNOWN_BUGS).
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "fuzz"
SECONDS = 20  # a replay slower than this is a hang (the fuzzer's own limit is 10 s)

_spec = importlib.util.spec_from_file_location("postlint_fuzz", ROOT / "scripts" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

# Input file -> the bug it shows, for bugs outside the hardening helper's files.
KNOWN: dict[str, str] = {}  # none open: the two found were fixed in postlint/readers/fields.py


def _cases():
    for path in sorted(DATA.glob("*.bin")):
        marks = []
        if path.name in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[path.name]))
        yield pytest.param(path, id=path.name, marks=marks)


def test_every_input_names_a_target():
    names = [p.name for p in DATA.glob("*.bin")]
    assert names, "no fuzz regression inputs"
    for name in names:
        assert name.split("-", 1)[0] in fuzz.FUNCTIONS, name
        assert (DATA / name).stat().st_size < 10_000, f"{name}: keep regression inputs tiny"
    assert set(KNOWN) <= set(names)


@pytest.mark.parametrize("path", list(_cases()))
def test_fuzz_input_replays_cleanly(path):
    target = fuzz.FUNCTIONS[path.name.split("-", 1)[0]]
    data = path.read_bytes()
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            target(data)
            outcome.append(None)
        except BaseException as exc:  # reported below, in the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(SECONDS)
    assert not worker.is_alive(), f"{path.name} took over {SECONDS} s"
    if outcome[0] is not None:
        raise outcome[0]
