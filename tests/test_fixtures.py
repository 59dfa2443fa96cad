"""Every bundled fixture says what it must produce, and does.

A fixture's front matter (or a JSON/YAML post's ``metadata``) declares either
``expect: [codes]`` (each must be found) or ``expect_clean: true`` (no error and no
warning from any rule). This keeps good fixtures good and bad fixtures bad as rules evolve.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postlint.findings import Severity
from postlint.runner import PipelineFactory, lint_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def _fixture_results():
    run = lint_paths([FIXTURES], PipelineFactory())
    return run.posts


@pytest.fixture(scope="module")
def results():
    return _fixture_results()


def test_fixtures_exist(results):
    assert len(results) >= 20


def test_every_fixture_declares_an_expectation(results):
    undeclared = [
        r.label
        for r in results
        if r.post is not None
        and "expect" not in r.post.metadata
        and "expect_clean" not in r.post.metadata
        and "/formats/" not in r.path.replace("\\", "/")
    ]
    assert not undeclared, f"fixtures without metadata.expect / expect_clean: {undeclared}"


def test_bad_fixtures_produce_their_codes(results):
    missing = {}
    for result in results:
        if result.post is None:
            continue
        expected = result.post.metadata.get("expect") or []
        found = {f.code for f in result.findings}
        lacking = [code for code in expected if code not in found]
        if lacking:
            missing[result.label] = (lacking, sorted(found))
    assert not missing, missing


def test_good_fixtures_are_clean(results):
    noisy = {}
    for result in results:
        if result.post is None or not result.post.metadata.get("expect_clean"):
            continue
        bad = [
            f"{f.code} {f.message[:80]}"
            for f in result.findings
            if f.severity >= Severity.WARNING and f.code != "X003"
        ]
        if bad:
            noisy[result.label] = bad
        assert result.passed or not bad
    assert not noisy, noisy
