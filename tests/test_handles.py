"""Account handles S050-S052: personal handles must not name the ICB/ICS; departmental must."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from postlint_checks import handles as h

from postlint.config import from_mapping
from postlint.runner import PipelineFactory, lint_paths


def lint(tmp_path: Path, handle: str, kind: str, options=None, select: str = "S05"):
    front = {"platforms": ["x"], "account": {"handle": handle, "kind": kind}}
    (tmp_path / "post.md").write_text(
        f"---\n{yaml.safe_dump(front)}---\nOur flu clinics are open this week.\n",
        encoding="utf-8",
    )
    config = from_mapping({"select": [select], "options": options or {}})
    run = lint_paths([tmp_path], PipelineFactory(config))
    return [(f.code, str(f.severity)) for p in run.posts for f in p.findings]


@pytest.mark.parametrize(
    "handle",
    [
        "@JoeBloggsMSEICS",
        "@JoeBloggsMSE",
        "@joe_bloggs_mse",
        "@JaneMidAndSouthEssex",
        "@mid_south_essex_nurse",
        "@NurseJaneICB",
        "@MSEICB",
        "@janesmithmseicb",
        # All lower case: no capitals to split at, the acronym runs on to the name.
        "@joebloggsmse",
        "@drpatelmse",
        "@msejanesmith",
        "@bobsmithicb",
        "@hannahmsejones",
        "@JoeBloggsmse",
    ],
)
def test_personal_handle_naming_the_organisation_is_an_error(tmp_path, handle):
    assert lint(tmp_path, handle, "personal") == [("S050", "error")]


@pytest.mark.parametrize(
    "handle",
    [
        "@Messenger",
        "@Mseleku",
        "@PhysicsJoe",
        "@JoeBloggsNurse",
        "@Basics",
        "@DrJane",
        # English words that contain MSE, ICS or ICB are not the organisation.
        "@mseleku",
        "@drjanephysics",
        "@kateobstetrics",
        "@themselves",
        "@comicsjane",
        "@annapetrovics",
        # Names that run over the letters: Williams+Emma, Adams+Emily, James+Smith.
        "@williamsemma",
        "@adamsemily",
        "@drjamesmsmith",
    ],
)
def test_word_boundaries_avoid_false_alarms(tmp_path, handle):
    assert lint(tmp_path, handle, "personal") == []


def test_departmental_handle_must_name_the_organisation(tmp_path):
    assert lint(tmp_path, "@PharmacyTeam", "departmental") == [("S051", "warning")]
    assert lint(tmp_path, "@MSEICB_Pharmacy", "departmental") == []
    assert lint(tmp_path, "@MidSouthEssexMH", "departmental") == []


def test_corporate_accounts_and_missing_handles_are_not_judged(tmp_path):
    assert lint(tmp_path, "@PharmacyTeam", "corporate") == []
    assert lint(tmp_path, "", "departmental") == []


def test_mentions_in_the_text_are_not_the_rule(tmp_path):
    front = {"account": {"handle": "@JoeBloggsNurse", "kind": "personal"}}
    (tmp_path / "post.md").write_text(
        f"---\n{yaml.safe_dump(front)}---\nThanks @MSEICB for the update.\n", encoding="utf-8"
    )
    run = lint_paths([tmp_path], PipelineFactory(from_mapping({"select": ["S05"]})))
    assert [f.code for p in run.posts for f in p.findings] == []


def test_extra_names_from_config(tmp_path):
    options = {"personal-handle-names-organisation": {"extra-acronyms": ["BTUH"]}}
    assert lint(tmp_path, "@JoeBTUH", "personal", options) == [("S050", "error")]
    assert lint(tmp_path, "@BTUH_Physio", "departmental", options) == []


def test_approved_departmental_accounts(tmp_path):
    assert lint(tmp_path, "@MSEICB_NewTeam", "departmental") == []  # no list: silent
    options = {"departmental-account-not-approved": {"approved": ["@MSEICB_Pharmacy"]}}
    assert lint(tmp_path, "@MSEICB_NewTeam", "departmental", options) == [("S052", "warning")]
    assert lint(tmp_path, "@mseicb_pharmacy", "departmental", options) == []


def test_finding_points_at_the_account_field(tmp_path):
    (tmp_path / "post.md").write_text(
        "---\nplatforms: [x]\naccount:\n  handle: '@JoeMSE'\n  kind: personal\n---\nHello.\n",
        encoding="utf-8",
    )
    run = lint_paths([tmp_path], PipelineFactory(from_mapping({"select": ["S050"]})))
    (finding,) = [f for p in run.posts for f in p.findings]
    assert finding.location.line == 3


def test_parts_split_camel_case_and_acronym_runs():
    assert h.handle_parts("@JoeBloggsMSEICS") == ["Joe", "Bloggs", "MSEICS"]
    assert h.names_organisation("MSEICS", ["MSE", "ICS"], []) == "MSEICS"
    assert h.names_organisation("NHSX", ["MSE", "ICS"], []) is None
