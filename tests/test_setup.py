"""scripts/setup.sh and scripts/env.sh: idempotent, quiet, and what they provide is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_second_setup_run_is_quiet_and_succeeds():
    # ./dev ran setup.sh before pytest, so this run only checks (stamp files). Another
    # worktree may have changed pyproject.toml meanwhile: then set-up says one line about
    # it, but never shows pip's or apt's own output.
    result = subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == ""
    assert all(line.startswith("setup: ") for line in result.stderr.splitlines())


def test_env_exports_what_engines_need():
    script = (
        'source scripts/env.sh; printf "%s\\n" "$PATH" "$NLTK_DATA" "$POSTLINT_LANGUAGETOOL_DIR"'
    )
    out = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].split(":")[0] == str(ROOT / ".venv" / "bin")
    assert out[1].split(":")[0] == str(ROOT / ".cache" / "nltk_data")
    assert out[2].endswith("languagetool-6.6")


def test_cmudict_corpus_is_readable_by_nltk():
    corpus = ROOT / ".cache" / "nltk_data"
    code = (
        f"import nltk; nltk.data.path.insert(0, {str(corpus)!r}); from nltk.corpus import cmudict; "
        "d = cmudict.dict(); print(len(d), d['hospital'][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NLTK_DATA": str(corpus)},
    ).stdout
    count, phones = out.split(" ", 1)
    assert int(count) > 100_000 and "HH" in phones


def test_languagetool_jars_are_outside_the_repository():
    from postlint import languagetool as lt

    jars = lt.find_jar_dir()
    assert jars is not None, "run scripts/setup.sh"
    assert not jars.resolve().is_relative_to(ROOT)
    assert (jars / ".complete").exists() or os.environ.get("POSTLINT_LANGUAGETOOL_DIR")
    assert any(jars.glob("language-en-6.6.jar"))
