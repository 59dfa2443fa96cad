"""Shared test fixtures."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

import pytest

# --- LanguageTool: one local server per test session, never an orphan -------------------
# The session points postlint at a state folder of its own under the session's tmp folder,
# so tests never touch (or stop) a developer's warm server. The server starts lazily, the
# first time a check needs it (or eagerly through the `languagetool_server` fixture), and
# is stopped at the end of the session, also after a failure or Ctrl-C (fixture teardown,
# plus atexit). If pytest itself is killed, the server's watchdog sees that its owner
# process is gone and stops it within 30 seconds.
_LT_ENV = (
    "POSTLINT_LANGUAGETOOL_STATE_DIR",
    "POSTLINT_LANGUAGETOOL_OWNER_PID",
    "POSTLINT_LANGUAGETOOL_URL",
    "POSTLINT_LANGUAGETOOL_IDLE_MINUTES",
)


@pytest.fixture(scope="session", autouse=True)
def languagetool_state(tmp_path_factory: pytest.TempPathFactory):
    from postlint import languagetool as lt

    state_dir = tmp_path_factory.mktemp("languagetool-state")
    saved = {name: os.environ.get(name) for name in _LT_ENV}
    os.environ.pop("POSTLINT_LANGUAGETOOL_URL", None)  # never a developer's shared server
    os.environ["POSTLINT_LANGUAGETOOL_STATE_DIR"] = str(state_dir)
    os.environ["POSTLINT_LANGUAGETOOL_OWNER_PID"] = str(os.getpid())
    os.environ["POSTLINT_LANGUAGETOOL_IDLE_MINUTES"] = "20"
    atexit.register(lt.stop_server, state_dir)
    try:
        yield state_dir
    finally:
        lt.stop_server(state_dir)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def languagetool_server(languagetool_state: Path):
    """A running LanguageTool for this session (its state), started now. Fails in CI when
    LanguageTool is not installed; skips elsewhere with the command that installs it."""
    from postlint import languagetool as lt

    if lt.find_jar_dir() is None:
        message = "LanguageTool is not installed: run scripts/setup.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return lt.start_server(state_dir=languagetool_state, owner_pid=os.getpid())


# --- lint: write a draft with front matter, lint it, return the findings -----------------


@pytest.fixture
def lint(tmp_path: Path):
    """``lint(text, select="A001", config={...}, platforms=[...], images=[...], **front)``
    writes ``post.md`` (YAML front matter + text) in a fresh folder under ``tmp_path`` and
    returns the findings of the selected rules (X findings only when selected)."""
    import yaml

    from postlint.config import from_mapping
    from postlint.runner import PipelineFactory, lint_paths

    counter = {"n": 0}

    def run(text, select="ALL", config=None, platforms=("x",), images=None, **front):
        counter["n"] += 1
        folder = tmp_path / f"lint{counter['n']}"
        folder.mkdir()
        data = {"platforms": list(platforms), **front}
        if images is not None:
            data["images"] = images
        body = f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\n{text}\n"
        (folder / "post.md").write_text(body, encoding="utf-8")
        selection = [select] if isinstance(select, str) else list(select)
        settings = {"select": selection, **(config or {})}
        result = lint_paths([folder], PipelineFactory(from_mapping(settings)))
        return [f for post in result.posts for f in post.findings]

    return run


# --- python_json: run a script in a fresh Python, read the JSON it prints last ----------


@pytest.fixture
def python_json():
    """``python_json(script, env)``: run ``script`` with this Python in a new process (a
    fresh import state: caches, lazy loads) and return the JSON of its last output line."""
    import json
    import subprocess
    import sys

    def run(script: str, env: dict[str, str]):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
        )
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    return run
