"""A001-A003 hashtag checks: real word-frequency data, real pipeline, no mocks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from postlint_checks import hashtags as ht

from postlint.config import from_mapping
from postlint.findings import Finding
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths

ROOT = Path(__file__).resolve().parent.parent


def lint(tmp_path: Path, text: str, select: str = "A001", config=None, front=None):
    front = {"platforms": ["x"], **(front or {})}
    (tmp_path / "post.md").write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", "utf-8")
    run = lint_paths(
        [tmp_path], PipelineFactory(from_mapping({"select": [select], **(config or {})}))
    )
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def apply_fixes(text: str, findings: list[Finding]) -> str:
    fixes = sorted((fix for f in findings for fix in f.fixes if fix.safe), key=lambda x: -x.start)
    for fix in fixes:
        text = text[: fix.start] + fix.replacement + text[fix.end :]
    return text


def camel(body: str) -> str | None:
    verdict = ht.segment_hashtag(body)
    return verdict.camel if verdict.multiword else None


def test_registered():
    checks = load_registry().checks
    assert checks["A001"] is ht.HashtagCamelCase
    assert checks["A002"] is ht.HashtagCount
    assert checks["A003"] is ht.HashtagPlacement
    for cls in ht.CHECKS:
        assert cls.examples and cls.explanation and cls.policy and cls.summary


# --- A001: segmentation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("mentalhealthawareness", "MentalHealthAwareness"),
        ("NHSJOBS", "NHSJobs"),
        ("nhsjobs", "NHSJobs"),
        ("flujab", "FluJab"),
        ("FLUJAB", "FluJab"),
        ("Flujab", "FluJab"),
        ("longcovid", "LongCOVID"),
        ("pharmacyfirst", "PharmacyFirst"),
        ("selfcareweek", "SelfCareWeek"),
        ("worldmentalhealthday", "WorldMentalHealthDay"),
        ("southendonsea", "SouthendOnSea"),
        ("canveyisland", "CanveyIsland"),
        ("flujab2025", "FluJab2025"),
        ("covid19vaccine", "COVID19Vaccine"),
        ("nhs111online", "NHS111Online"),
        ("nhsat75", "NHSAt75"),
        ("nhs75thbirthday", "NHS75thBirthday"),
        ("NHSmentalhealth", "NHSMentalHealth"),
        ("NHSjobs", "NHSJobs"),
        ("nhsessex", "NHSEssex"),
    ],
)
def test_multiword_hashtags_get_camel_case(body, expected):
    assert camel(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # single words, including health and Essex words the frequency lists rate rare
        "vaccines",
        "Essex",
        "Basildon",
        "basildon",
        "NHS",
        "nhs",
        "southend",
        "Thurrock",
        "benfleet",
        "billericay",
        "menopause",
        "pharmacy",
        "vaccinations",
        "wellbeing",
        "healthcare",
        "breastfeeding",
        "childcare",
        "handwashing",
        "stoptober",
        "parka",
        # words with numbers, acronyms
        "covid19",
        "COVID19",
        "nhs75",
        "NHS111",
        "ICB",
        "UKHSA",
        "A&E",
        "2025",
        # already CamelCase, or mixed case on purpose
        "NHSEssex",
        "StopToberUK",
        "FluJab",
        "iPhone",
        "MentalHealthAwareness",
        "TeamMSE",
        "AandE",  # "A and E": the author's capitals, never "AAndE" (clean-posts benchmark)
        "NHSCareers",  # NHS + Careers: once fixed to "NHSCAreErs" (clean-posts benchmark)
        "MSEICBNews",
        "COVIDVaccine",
    ],
)
def test_single_words_and_camel_case_are_left_alone(body):
    assert camel(body) is None


def test_fix_only_changes_case_on_the_whole_sample():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hashtag_eval

    for item in hashtag_eval.load_sample():
        verdict = ht.segment_hashtag(item.hashtag)
        assert verdict.camel.lower() == item.hashtag.lower(), item.hashtag
        assert len(verdict.camel) == len(item.hashtag)


def test_heldout_figures_meet_the_targets():
    """The held-out half of the benchmark sample: >= 90% right splits, < 2% false flags."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hashtag_eval

    items = [i for i in hashtag_eval.load_sample() if i.heldout]
    score = hashtag_eval.evaluate(items)
    assert score.multi >= 100 and score.single >= 60
    assert score.right / score.multi >= 0.90, score.report("held-out")
    assert (score.single_flagged + score.camel_flagged) / (score.single + score.camel) < 0.02


def test_common_dictionary_words_are_almost_never_flagged():
    import wordfreq

    words = [w for w in wordfreq.top_n_list("en", 8000) if w.isalpha() and len(w) >= 5]
    flagged = [w for w in words if ht.segment_hashtag(w).multiword]
    assert len(flagged) / len(words) < 0.005, flagged[:20]


# --- A001: the check -------------------------------------------------------------------


def test_a001_finding_points_at_the_hashtag_with_a_safe_fix(tmp_path):
    text = "Book your flu jab today.\n\n#flujab #Essex"
    findings = lint(tmp_path, text)
    assert [f.code for f in findings] == ["A001"]
    finding = findings[0]
    assert str(finding.severity) == "warning"
    # four lines of front matter, then two lines of text before the hashtag
    assert (finding.location.line, finding.location.column) == (7, 1)
    assert text[finding.start : finding.end] == "#flujab"
    assert "#FluJab" in finding.message
    assert finding.fixes and finding.fixes[0].safe


def test_a001_fix_round_trip(tmp_path):
    text = "Jobs at #nhsessex: #NHSJOBS #mentalhealthawareness #getvaccinated"
    findings = lint(tmp_path, text)
    assert len(findings) == 4
    fixed = apply_fixes(text, findings)
    assert fixed == "Jobs at #NHSEssex: #NHSJobs #MentalHealthAwareness #GetVaccinated"
    assert fixed.lower() == text.lower()
    assert lint(tmp_path, fixed) == []


def test_a001_config_acronyms_keep_capitals(tmp_path):
    assert lint(tmp_path, "Come and join us #pfhjobs") == []
    findings = lint(tmp_path, "Come and join us #pfhjobs", config={"acronyms": ["PFH"]})
    assert [f.fixes[0].replacement for f in findings] == ["PFHJobs"]


def test_a001_options_ignore_words_and_min_length(tmp_path):
    text = "Walk with us #wickfordwalks #flujab"
    assert len(lint(tmp_path, text)) == 2
    config = {"options": {"hashtag-camel-case": {"ignore": ["#flujab"], "words": ["wickford"]}}}
    findings = lint(tmp_path, text, config=config)
    assert [f.fixes[0].replacement for f in findings] == ["WickfordWalks"]
    short = {"options": {"hashtag-camel-case": {"min-length": 7}}}
    assert len(lint(tmp_path, text, config=short)) == 1  # flujab has 6 letters


def test_a001_ignores_urls_and_headings(tmp_path):
    text = "# Flu clinics\n\nSee https://www.nhs.uk/conditions#fluvaccine for details."
    assert lint(tmp_path, text) == []


# --- A002 ------------------------------------------------------------------------------


def test_a002_too_many_hashtags(tmp_path):
    three = "Flu jabs at your pharmacy. #FluJab #StayWell #NHSEssex"
    assert lint(tmp_path, three, select="A002") == []
    four = three + " #Winter"
    findings = lint(tmp_path, four, select="A002")
    assert [f.code for f in findings] == ["A002"]
    assert four[findings[0].start : findings[0].end] == "#Winter"
    assert "4 hashtags" in findings[0].message


def test_a002_max_option(tmp_path):
    text = "Flu jabs at your pharmacy. #FluJab #StayWell #NHSEssex"
    config = {"options": {"hashtag-count": {"max": 2}}}
    findings = lint(tmp_path, text, select="A002", config=config)
    assert text[findings[0].start : findings[0].end] == "#NHSEssex"


# --- A003 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Get your #flu #jab at your local pharmacy today.",
        "Get your #flu jab at your local #pharmacy today.",
        "Flu jabs are here. #FluJab #StayWell\n\nBook at your local pharmacy.",
    ],
)
def test_a003_flags_hashtags_in_place_of_words(tmp_path, text):
    findings = lint(tmp_path, text, select="A003")
    assert [f.code for f in findings] == ["A003"]


@pytest.mark.parametrize(
    "text",
    [
        "Our #NHS teams are ready for winter.",
        "Book your flu jab today. #FluJab #StayWell",
        "Book your flu jab today #FluJab #StayWell",
        "Book your flu jab today.\n\n#FluJab #StayWell\nhttps://www.nhs.uk/flu",
        "Thank you to our #NHSEssex staff. Book your jab at a pharmacy. #FluJab",
    ],
)
def test_a003_allows_hashtags_at_the_end_and_one_used_as_a_word(tmp_path, text):
    assert lint(tmp_path, text, select="A003") == []


def test_a003_max_inline_option(tmp_path):
    text = "Get your #flu jab at your local #pharmacy today."
    config = {"options": {"hashtag-placement": {"max-inline": 2}}}
    assert lint(tmp_path, text, select="A003", config=config) == []


# --- properties ------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from postlint.check import CheckContext  # noqa: E402
from postlint.config import Config  # noqa: E402
from postlint.model import Post, SourceMap  # noqa: E402

HASHTAG_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_éß&")
)


@settings(max_examples=200, deadline=None)
@given(st.text(HASHTAG_CHARS, min_size=1, max_size=30))
def test_camel_case_never_changes_more_than_case(body):
    verdict = ht.segment_hashtag(body)
    assert verdict.camel.lower() == body.lower()
    assert len(verdict.camel) == len(body)
    if not verdict.multiword:
        assert verdict.camel == body


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_hashtag_checks_never_raise(text):
    post = Post(text=text, path="p.md", source_map=SourceMap("p.md"))
    ctx = CheckContext(post, Config(), {}, {})
    for cls in ht.CHECKS:
        for finding in cls().check(post, ctx):
            assert 0 <= finding.start <= finding.end <= len(text)
            for fix in finding.fixes:
                assert fix.replacement.lower() == text[fix.start : fix.end].lower()
