"""L021 jargon and L022 plain-words: the real spaCy pipeline, and the rule-based fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from postlint_checks import jargon as jg
from postlint_checks import nlp

from postlint.config import from_mapping
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths


def lint(tmp_path: Path, text: str, select: str = "L021", config=None):
    (tmp_path / "post.md").write_text(f"---\nplatforms: [x]\n---\n{text}\n", "utf-8")
    factory = PipelineFactory(from_mapping({"select": [select], **(config or {})}))
    run = lint_paths([tmp_path], factory)
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def words(findings):
    return [f.message.split("'")[1] for f in findings]


@pytest.fixture(scope="module")
def parser():
    model, name = nlp.load_pipeline()
    assert model is not None, name
    return model


def matched(text, parser, kind, parsed=True):
    doc = nlp.parse(parser, text) if parsed else None
    return [text[m.start : m.end] for m in jg.find_terms(text, doc, kind)]


def test_registered():
    checks = load_registry().checks
    assert checks["L021"] is jg.Jargon and checks["L022"] is jg.PlainWords


def test_list_has_govuk_words_to_avoid():
    avoid = {p for t in jg.load_terms() if t.kind == "avoid" for p in t.phrases}
    for word in ("agenda", "deliver", "drive", "facilitate", "impact", "key", "leverage"):
        assert (word,) in avoid, word
    for word in ("robust", "streamline", "tackle", "utilise"):
        assert (word,) in avoid, word
    assert ("going", "forward") in avoid and ("in", "order", "to") in avoid
    jargon = {p for t in jg.load_terms() if t.kind == "jargon" for p in t.phrases}
    for phrase in ("stakeholder", "cohort", "pathway", "signpost", "upskill", "holistic"):
        assert (phrase,) in jargon, phrase
    assert ("system", "partners") in jargon and ("place", "-", "based") in jargon


def test_jargon_is_a_warning_with_a_plain_alternative(tmp_path):
    findings = lint(tmp_path, "We met our stakeholders to discuss the new cohort.")
    assert words(findings) == ["stakeholders", "cohort"]
    assert all(str(f.severity) == "warning" for f in findings)
    assert "group" in findings[1].message


def test_words_to_avoid_are_info_with_fixes(tmp_path):
    findings = lint(tmp_path, "We will utilise it in order to help.", select="L022")
    assert words(findings) == ["utilise", "in order to"]
    assert all(str(f.severity) == "info" for f in findings)
    assert [f.fixes[0].replacement for f in findings] == ["use", "to"]
    assert all(f.fixes[0].safe for f in findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delivering improvements for Southend.", ["Delivering"]),
        ("Midwives delivered 40 babies last week.", []),
        ("This will impact services.", ["impact"]),
        ("The impact of flu is serious.", []),
        ("These are key messages.", ["key"]),
        ("Key workers can book a jab.", []),
        ("He drove improvements in care.", ["drove"]),
        ("Drive to the car park at Basildon Hospital.", []),
        ("Going forward, clinics open at 8am.", ["Going forward"]),
    ],
)
def test_lemmas_and_parts_of_speech(parser, text, expected):
    assert matched(text, parser, "avoid") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patients were signposted to the pathway.", ["signposted", "pathway"]),
        ("Mid and South Essex Integrated Care Board works in primary care.", ["primary care"]),
        ("Ask your Primary Care Network.", []),
        # Benchmark false alarms: plain NHS words, and the name of a professional event.
        ("Margaret tells us about her stay on our frailty unit.", []),
        ("Many hearing services in Essex take self-referrals.", []),
        ("You can self-refer to NHS Talking Therapies.", []),
        ("Great to hear so many ideas at today's primary care conference.", []),
        ("More appointments in primary care this winter.", ["primary care"]),
        ("Our care packages and step-down beds.", ["care packages", "step-down"]),
        ("A self-signposting leaflet.", []),
        ("Mental capacity is assessed.", []),
    ],
)
def test_jargon_phrases(parser, text, expected):
    assert matched(text, parser, "jargon") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are utilising it.", "We are using it."),
        ("Utilised well.", "Used well."),
        ("UTILISE IT", "USE IT"),
        ("It ensures that you are safe.", "It makes sure that you are safe."),
        ("In order to book, call us.", "To book, call us."),
        ("Clinics commenced in May.", "Clinics started in May."),
        ("Bring ID, e.g. a passport.", "Bring ID, for example a passport."),
    ],
)
@pytest.mark.parametrize("parsed", [True, False])
def test_fix_keeps_inflection_and_capitals(parser, text, expected, parsed):
    doc = nlp.parse(parser, text) if parsed else None
    fixed = text
    for match in reversed(jg.find_terms(text, doc, "avoid")):
        fix = jg.fix_for(match, text)
        if fix is not None:
            fixed = fixed[: fix.start] + fix.replacement + fixed[fix.end :]
    assert fixed == expected


def test_fix_round_trip_through_the_pipeline(tmp_path):
    text = "We utilised the clinic in order to see more people."
    findings = lint(tmp_path, text, select="L022")
    fixed = text
    for fix in sorted((f.fixes[0] for f in findings if f.fixes), key=lambda x: -x.start):
        fixed = fixed[: fix.start] + fix.replacement + fixed[fix.end :]
    assert fixed == "We used the clinic to see more people."
    assert lint(tmp_path, fixed, select="L022") == []


def test_no_fix_when_not_mechanical(tmp_path):
    (finding,) = lint(tmp_path, "We will facilitate the session.", select="L022")
    assert finding.fixes == [] and "run" in finding.message


def test_ignore_option(tmp_path):
    config = {"options": {"jargon": {"ignore": ["pathway"]}}}
    assert lint(tmp_path, "Ask about the pathway.", config=config) == []


def test_fallback_without_spacy(parser):
    # With no parse, only unambiguous forms of part-of-speech words are matched.
    assert matched("This impacted services.", parser, "avoid", parsed=False) == ["impacted"]
    assert matched("It will impact services.", parser, "avoid", parsed=False) == ["impact"]
    assert matched("The impact was large.", parser, "avoid", parsed=False) == []
    assert matched("Key messages.", parser, "avoid", parsed=False) == ["Key"]
    assert matched("Find the key to the door.", parser, "avoid", parsed=False) == []
    assert matched("Our stakeholders met.", parser, "jargon", parsed=False) == ["stakeholders"]


def test_missing_pipeline_is_said_once(tmp_path, monkeypatch):
    # Error path: no pipeline installed. The check falls back to rules and says so once.
    monkeypatch.setitem(nlp._loaded, "no_such_pipeline", (None, "no English spaCy pipeline"))
    config = {
        "select": ["L021", "L022", "X003"],
        "options": {"jargon": {"spacy-model": "no_such_pipeline"}},
    }
    (tmp_path / "a.md").write_text("---\nplatforms: [x]\n---\nOur stakeholders met.\n")
    (tmp_path / "b.md").write_text("---\nplatforms: [x]\n---\nWe utilise it.\n")
    run = lint_paths([tmp_path], PipelineFactory(from_mapping(config)))
    codes = [f.code for post in run.posts for f in post.findings]
    assert codes.count("X003") == 1
    assert "L021" in codes and "L022" in codes


def test_yaml_entries_are_well_formed():
    data = yaml.safe_load((Path(jg.__file__).parent / "data" / "jargon.yaml").read_text())
    for kind in ("jargon", "avoid"):
        for entry in data[kind]:
            assert entry["plain"] and entry["source"] in {"govuk", "nhs", "gcs", "local"}
            assert entry.get("pos") in {None, "VERB", "NOUN", "ADJ"}
            assert set(entry) <= {
                "match",
                "pos",
                "objects",
                "except_next",
                "except_prev",
                "plain",
                "fix",
                "safe",
                "why",
                "source",
            }


def test_cli_fix_round_trip(tmp_path):
    from click.testing import CliRunner

    from postlint.cli import main

    draft = tmp_path / "post.md"
    draft.write_text(
        "---\nplatforms: [facebook]\n---\nWe utilised the clinic in order to see more people.\n"
    )
    runner = CliRunner()
    args = ["check", str(tmp_path), "--select", "L022", "--no-cache", "--no-color"]
    runner.invoke(main, [*args, "--fix"])
    assert draft.read_text().endswith("We used the clinic to see more people.\n")
    assert runner.invoke(main, args).exit_code == 0


@pytest.mark.parametrize(
    "text",
    [
        "Support for children with additional needs.",
        "Assisted living flats in Rayleigh.",
        "Walk along the cycle pathway to the clinic.",
        "Our drive-through flu clinic is open.",
    ],
)
def test_fixed_expressions_are_left_alone(parser, text):
    assert matched(text, parser, "avoid") == [] and matched(text, parser, "jargon") == []
