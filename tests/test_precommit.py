"""The pre-commit hook, end to end: the real pre-commit installs this repository's hook.

A temporary content repository uses the hook from this checkout's HEAD commit (``repo:`` is
the checkout's path, ``rev:`` the commit). pre-commit builds the hook's environment by
pip-installing postlint from that commit, which takes a minute or more the first time. The
environment is kept under the user's cache (PRE_COMMIT_HOME), so later runs at the same
commit reuse it, and ``pre-commit gc`` drops those of older commits. The test commits a
draft that breaks the rules (blocked) and a clean one (committed). The content repository's
postlint.toml selects a few cheap rules, so no LanguageTool server is needed. Uncommitted
changes are not seen: the hook is installed from HEAD, as users install it from a tag.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

FAILING = """---
platforms: [facebook]
---
Get your #flujab at the Basildon clinic this Saturday. Questions? Email jane.smith1987@gmail.com
"""
CLEAN = """---
platforms: [facebook]
---
Pharmacy First: your local pharmacist in Thurrock can now treat seven common conditions,
with no GP appointment needed. #PharmacyFirst
"""
CONFIG = """\
select = ["A001", "S003", "X001"]
fail-under = 100
"""


def cache_home() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "postlint-tests" / "pre-commit"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=1500
    )


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_precommit_hook_blocks_a_failing_draft_and_passes_a_clean_one(tmp_path):
    if not PRE_COMMIT.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit (dev extras) and git are needed")
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    listed = git(ROOT, "ls-tree", "--name-only", "HEAD", ".pre-commit-hooks.yaml")
    assert listed.stdout.strip() == ".pre-commit-hooks.yaml", "commit the hook manifest first"
    rev = head.stdout.strip()

    content = tmp_path / "comms-drafts"
    content.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(cache_home()),
        "GIT_AUTHOR_NAME": "Comms Team",
        "GIT_AUTHOR_EMAIL": "comms@example.org",
        "GIT_COMMITTER_NAME": "Comms Team",
        "GIT_COMMITTER_EMAIL": "comms@example.org",
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("VIRTUAL_ENV", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, cwd=content, env=env, capture_output=True, text=True, timeout=1500
        )

    # Each commit of postlint gets its own hook environment (about 800 MB): drop the ones no
    # remaining config uses, so the cache does not grow with every commit tested.
    run(str(PRE_COMMIT), "gc")
    assert run("git", "init", "-q").returncode == 0
    (content / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {json.dumps(str(ROOT))}\n    rev: {rev}\n"
        "    hooks:\n      - id: postlint\n"
    )
    (content / "postlint.toml").write_text(CONFIG)
    (content / "README.md").write_text("# Winter campaign drafts\n")
    installed = run(str(PRE_COMMIT), "install")
    assert installed.returncode == 0, installed.stderr
    assert run("git", "add", ".").returncode == 0
    # The first commit builds the hook's environment from the package index; a dropped
    # connection there is not what this test is about, so it gets one more try.
    for _attempt in range(2):
        setup = run("git", "commit", "-q", "-m", "Set up the drafts repository")
        if setup.returncode == 0 or "Installing environment" not in setup.stdout + setup.stderr:
            break
    assert setup.returncode == 0, setup.stdout + setup.stderr  # README and config: skipped

    posts = content / "posts"
    posts.mkdir()
    (posts / "flu-clinic.md").write_text(FAILING)
    run("git", "add", "posts/flu-clinic.md")
    blocked = run("git", "commit", "-m", "Flu clinic post")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "postlint (social-media drafts)" in output and "Failed" in output
    assert "posts/flu-clinic.md" in output
    assert "A001" in output and "S003" in output
    assert git(content, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    run("git", "reset", "-q", "posts/flu-clinic.md")
    (posts / "flu-clinic.md").unlink()
    (posts / "pharmacy-first.md").write_text(CLEAN)
    run("git", "add", "posts/pharmacy-first.md")
    passed = run("git", "commit", "-m", "Pharmacy First post")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "postlint (social-media drafts)" in output and "Passed" in output
    assert git(content, "rev-list", "--count", "HEAD").stdout.strip() == "2"
