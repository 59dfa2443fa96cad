"""Configuration: where it is found, what it may say, and how clearly it says what is wrong."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from postlint import config as config_module
from postlint.check import Check
from postlint.config import Config, ConfigError, find_config_file, from_mapping, load, template
from postlint.findings import Severity
from postlint.pipeline import Pipeline, selected_codes
from postlint.registry import Registry
from postlint.tool_rules import CHECKS as TOOL_CHECKS


class LongSentence(Check):
    code = "T910"
    name = "test-long-sentence"
    severity = Severity.WARNING
    summary = "A sentence that is too long."
    options = {"max-words": 25, "ignore-quotes": False, "skip-words": [], "mode": "strict"}

    def check(self, post, ctx):
        return ()


class NoOptions(Check):
    code = "T911"
    name = "test-no-options"
    summary = "A rule without options."

    def check(self, post, ctx):
        return ()


REGISTRY = Registry({c.code: c for c in [*TOOL_CHECKS, LongSentence, NoOptions]}, {})


def make(data: dict, path: Path | None = None) -> Config:
    return from_mapping(data, path, registry=REGISTRY)


def error(data: dict) -> str:
    with pytest.raises(ConfigError) as info:
        make(data)
    return str(info.value)


# --- finding the file -----------------------------------------------------------------


def test_defaults_without_a_file(tmp_path):
    config = load(start=tmp_path)
    assert config == Config()
    assert config.language == "en-GB" and config.fail_under == 60


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("postlint.toml", "fail-under = 70\n"),
        (".postlint.toml", "fail-under = 70\n"),
        ("pyproject.toml", "[project]\nname = 'x'\n\n[tool.postlint]\nfail-under = 70\n"),
        ("postlint.toml", "[tool.postlint]\nfail-under = 70\n"),
    ],
)
def test_each_file_kind(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    config = load(start=tmp_path)
    assert config.fail_under == 70 and config.path == tmp_path / name


def test_nearest_file_walking_up_wins(tmp_path):
    (tmp_path / "postlint.toml").write_text("fail-under = 50\n")
    inner = tmp_path / "team" / "winter"
    inner.mkdir(parents=True)
    (tmp_path / "team" / ".postlint.toml").write_text("fail-under = 80\n")
    assert load(start=inner).fail_under == 80
    assert load(start=tmp_path).fail_under == 50


def test_pyproject_without_a_postlint_table_is_skipped(tmp_path):
    (tmp_path / "postlint.toml").write_text("fail-under = 55\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config_file(inner.resolve()) == (tmp_path / "postlint.toml").resolve()


def test_postlint_toml_beats_pyproject_in_one_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.postlint]\nfail-under = 10\n")
    (tmp_path / "postlint.toml").write_text("fail-under = 20\n")
    assert load(start=tmp_path).fail_under == 20


def test_explicit_file_and_missing_file(tmp_path):
    explicit = tmp_path / "team.toml"
    explicit.write_text("fail-under = 42\n")
    assert load(explicit).fail_under == 42
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.toml")


def test_broken_toml_names_the_file(tmp_path):
    (tmp_path / "postlint.toml").write_text("fail-under = \n")
    with pytest.raises(ConfigError, match=re.escape(str(tmp_path / "postlint.toml"))):
        load(start=tmp_path)


def test_bad_value_in_a_file_names_the_file(tmp_path):
    (tmp_path / "postlint.toml").write_text("fail-under = 500\n")
    with pytest.raises(ConfigError, match=r"fail-under.*postlint\.toml"):
        load(start=tmp_path)


# --- keys and values -------------------------------------------------------------------


def test_every_key(tmp_path):
    config = make(
        {
            "select": ["T9", "X"],
            "extend-select": ["T911"],
            "ignore": ["test-no-options"],
            "severity": {"test-long-sentence": "error", "X003": "info"},
            "per-file-ignores": {"archive/*.md": ["T910"]},
            "platforms": ["Twitter", "linkedin"],
            "fail-under": 75,
            "language": "en-US",
            "timezone": "Europe/Dublin",
            "include": ["*.md"],
            "exclude": ["drafts-old"],
            "accept": ["Basildon", "Thurrock"],
            "acronyms": ["MSE", "ICB"],
            "allow-media-outside": True,
            "csv-columns": {"text": "Post copy"},
            "options": {"test-long-sentence": {"max-words": 20}},
        }
    )
    assert config.platforms == ("x", "linkedin")
    assert config.severity == {"T910": "error", "X003": "info"}  # names become codes
    assert config.accept == ("Basildon", "Thurrock") and config.acronyms == ("MSE", "ICB")
    assert config.options == {"test-long-sentence": {"max-words": 20}}
    assert config.allow_media_outside and config.csv_columns == {"text": "Post copy"}


def test_underscore_spelling_of_keys_is_accepted():
    assert make({"fail_under": 10}).fail_under == 10


def test_unknown_key_names_it_suggests_and_lists_the_valid_ones():
    message = error({"selcet": ["A"]})
    assert "unknown key 'selcet'" in message
    assert "Did you mean 'select'?" in message
    assert "Valid keys: accept, acronyms," in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"fail-under": 150}, "'fail-under' must be a whole number from 0 to 100"),
        ({"fail-under": True}, "whole number"),
        ({"select": "T910, X"}, "no rule matches 'T910, X'"),
        ({"select": [1]}, "must be a list of strings"),
        ({"select": ["Z999"]}, "'select': no rule matches 'Z999'"),
        ({"ignore": ["nonsense-rule"]}, "'ignore': no rule matches 'nonsense-rule'"),
        ({"per-file-ignores": {"*.md": ["Q1"]}}, "per-file-ignores.*.md': no rule matches"),
        ({"per-file-ignores": ["x"]}, "table of glob = [codes]"),
        ({"platforms": ["facebok"]}, "unknown platform 'facebok'. Did you mean 'facebook'?"),
        ({"language": "English"}, "language tag such as en-GB"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"severity": {"T910": "fatal"}}, "unknown severity 'fatal'"),
        ({"severity": {"test-long-sentense": "info"}}, "Did you mean 'test-long-sentence'?"),
        ({"allow-media-outside": "yes"}, "must be true or false"),
        ({"csv-columns": {"text": 3}}, "post field = column header"),
        ({"options": {"test-long-sentence": 3}}, "table of tables"),
    ],
)
def test_bad_values_are_clear_errors(data, expected):
    assert expected in error(data)


def test_options_for_an_unknown_rule_suggest_the_name():
    message = error({"options": {"test-long-sentense": {"max-words": 20}}})
    assert "'options.test-long-sentense': no installed rule" in message
    assert "Did you mean 'test-long-sentence'?" in message


def test_unknown_option_key_lists_the_valid_ones():
    message = error({"options": {"test-long-sentence": {"max-word": 20}}})
    assert "unknown option 'max-word'" in message
    assert "Did you mean 'max-words'?" in message
    assert "Valid options: ignore-quotes, max-words, mode, skip-words." in message


def test_rule_without_options():
    message = error({"options": {"test-no-options": {"x": 1}}})
    assert "none: this rule has no options" in message


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("max-words", "twenty", "a number"),
        ("max-words", True, "a number"),
        ("ignore-quotes", 1, "true or false"),
        ("skip-words", "NHS", "a list"),
        ("mode", 3, "a string"),
    ],
)
def test_option_values_must_match_the_default_type(option, value, words):
    message = error({"options": {"test-long-sentence": {option: value}}})
    assert f"'options.test-long-sentence.{option}' must be {words}" in message


def test_options_may_name_the_rule_by_code_and_reach_the_check():
    config = make({"options": {"T910": {"max-words": 18, "skip-words": ["NHS"]}}})
    assert config.options == {"test-long-sentence": {"max-words": 18, "skip-words": ["NHS"]}}
    pipeline = Pipeline(config, REGISTRY)
    check = pipeline._instances["T910"]
    assert check.opts["max-words"] == 18 and check.opts["ignore-quotes"] is False


def test_severity_override_reaches_the_check():
    pipeline = Pipeline(make({"severity": {"test-long-sentence": "error"}}), REGISTRY)
    assert pipeline._instances["T910"].effective_severity is Severity.ERROR


def test_select_ignore_and_per_file_ignores(tmp_path):
    config = make({"select": ["T"], "ignore": ["T911"], "per-file-ignores": {"old/*": ["T910"]}})
    config = config_module.replace(config, path=tmp_path / "postlint.toml")
    assert selected_codes(REGISTRY, config, str(tmp_path / "new.md")) == {"T910"}
    assert selected_codes(REGISTRY, config, str(tmp_path / "old" / "a.md")) == set()


def test_extend_select_adds_to_select():
    config = make({"select": ["X001"], "extend-select": ["test-long-sentence"]})
    assert selected_codes(REGISTRY, config) == {"X001", "T910"}


def test_digest_changes_with_settings():
    assert make({"fail-under": 10}).digest() != make({"fail-under": 11}).digest()


# --- postlint init's template ----------------------------------------------------------


def test_template_documents_every_key_and_loads():
    text = template(REGISTRY)
    for key in config_module.VALID_KEYS:
        assert re.search(rf"^#? ?{re.escape(key)} = ", text, re.M) or key == "options", key
    config = from_mapping(tomllib.loads(text), registry=REGISTRY)
    assert config == Config()
    assert "# [options.test-long-sentence]" in text and "# max-words = 25" in text
    assert "test-no-options" not in text.split("# [options.", 1)[-1]


def test_template_option_tables_are_valid_when_uncommented():
    text = template(REGISTRY)
    uncommented = re.sub(r"^# (\[options\.|[a-z-]+ = )", r"\1", text, flags=re.M)
    config = from_mapping(tomllib.loads(uncommented), registry=REGISTRY)
    assert config.options["test-long-sentence"]["max-words"] == 25


def test_template_for_the_installed_rules_loads():
    from postlint.registry import load_registry

    registry = load_registry()
    text = template(registry)
    uncommented = re.sub(
        r"^# (\[options\.|[a-z0-9-]+ = (?!\(no default\)))", r"\1", text, flags=re.M
    )
    from_mapping(tomllib.loads(uncommented), registry=registry)
