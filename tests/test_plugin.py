"""Third-party plugins: installed with pip, found through the entry point and nothing else.

tests/plugin_example is a separate package (its own pyproject.toml) with one rule, Z901.
It is pip-installed into a temporary folder that only the subprocesses below see (through
PYTHONPATH), so this test process and the rest of the suite never load it. A second package,
written here, fails on import: postlint must report it as X002 and lint on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path(__file__).parent / "plugin_example"

DRAFT = """---
platforms: [facebook]
---
Chest pain or struggling to breathe? Call 999 or go to the ER at Basildon Hospital.
Your child's pediatrician can also advise.
"""

BROKEN_PYPROJECT = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "postlint-plugin-broken"
version = "0.1.0"

[project.entry-points."postlint.checks"]
broken = "postlint_plugin_broken"

[tool.setuptools]
packages = ["postlint_plugin_broken"]
"""


def pip_install(source: Path, target: Path) -> None:
    """pip install --no-deps --target, from a copy (a build leaves files in its source)."""
    copy = target.parent / f"src-{source.name}"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",  # the venv's setuptools: no download, fast
            "--no-index",
            "--target",
            str(target),
            str(copy),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("plugins")
    target = work / "site"
    pip_install(EXAMPLE, target)
    broken = work / "broken"
    (broken / "postlint_plugin_broken").mkdir(parents=True)
    (broken / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (broken / "postlint_plugin_broken" / "__init__.py").write_text(
        "import a_module_that_is_not_installed  # the plugin's author forgot a dependency\n"
    )
    pip_install(broken, target)
    return target


def postlint(*args: str, cwd: Path, plugins: Path | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if plugins is not None:
        env["PYTHONPATH"] = str(plugins)
    return subprocess.run(
        [sys.executable, "-m", "postlint.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_engine_knows_the_plugin_by_its_entry_point_only():
    for source in (ROOT / "postlint").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "postlint_plugin_example" not in text and "Z901" not in text, source


def test_installed_plugin_is_listed_and_explained(plugin_path, tmp_path):
    listed = postlint("rules", "--output-format", "json", cwd=tmp_path, plugins=plugin_path)
    assert listed.returncode == 0, listed.stderr
    rules = {row["code"]: row for row in json.loads(listed.stdout)}
    assert rules["Z901"]["name"] == "uk-health-terms"
    assert rules["Z901"]["family"] == "plugin"
    assert rules["Z901"]["fixable"] is True
    assert "X001" in rules  # the built-in rules are still there
    explained = postlint("explain", "Z901", cwd=tmp_path, plugins=plugin_path)
    assert explained.returncode == 0, explained.stderr
    assert "Policy: House style: NHS terms for a UK audience" in explained.stdout
    assert "Only go to A&E in a real emergency." in explained.stdout
    without = postlint("rules", "--output-format", "json", cwd=tmp_path, plugins=None)
    assert "Z901" not in {row["code"] for row in json.loads(without.stdout)}


def test_installed_plugin_runs_and_a_broken_one_is_reported(plugin_path, tmp_path):
    draft = tmp_path / "ae.md"
    draft.write_text(DRAFT, encoding="utf-8")
    checked = postlint(
        "check",
        "--select",
        "Z901,X001,X002",
        "--output-format",
        "json",
        "ae.md",
        cwd=tmp_path,
        plugins=plugin_path,
    )
    report = json.loads(checked.stdout)
    findings = report["posts"][0]["findings"]
    ours = [f for f in findings if f["code"] == "Z901"]
    assert [f["message"] for f in ours] == [
        "Write 'A&E' for a UK audience, not 'ER'.",
        "Write 'paediatrician' for a UK audience, not 'pediatrician'.",
    ]
    assert ours[0]["location"]["line"] == 4 and ours[0]["fixes"][0]["replacement"] == "A&E"
    crashed = [f for f in findings if "plugin 'broken'" in f["message"]]
    assert len(crashed) == 1, findings
    assert crashed[0]["code"] == "X002" and crashed[0]["severity"] == "error"
    assert "plugin 'broken' failed to load" in crashed[0]["message"]
    assert "a_module_that_is_not_installed" in crashed[0]["message"]
    # X002 is an error, so the post fails; but every other rule ran.
    assert checked.returncode == 1, checked.stderr
    assert report["posts"][0]["verdict"] == "fail"


def test_plugin_options_come_from_the_config(plugin_path, tmp_path):
    (tmp_path / "postlint.toml").write_text(
        textwrap.dedent(
            """
            select = ["Z901"]
            [options.uk-health-terms.terms]
            "walk-in clinic" = "urgent treatment centre"
            """
        )
    )
    (tmp_path / "utc.md").write_text(
        "---\nplatforms: [facebook]\n---\nThe walk-in clinic in Thurrock is open until 8pm.\n"
    )
    checked = postlint(
        "check", "--output-format", "json", "utc.md", cwd=tmp_path, plugins=plugin_path
    )
    assert checked.returncode in (0, 1), checked.stderr
    findings = json.loads(checked.stdout)["posts"][0]["findings"]
    assert [f["message"] for f in findings if f["code"] == "Z901"] == [
        "Write 'urgent treatment centre' for a UK audience, not 'walk-in clinic'."
    ]
