"""A020-A027 accessible text style: real emoji data, real pipeline, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from postlint_checks import text_style as ts

from postlint.config import from_mapping
from postlint.findings import Finding
from postlint.registry import load_registry
from postlint.runner import PipelineFactory, lint_paths


def lint(tmp_path: Path, text: str, select: str, config=None, front=None):
    front = {"platforms": ["x"], **(front or {})}
    (tmp_path / "post.md").write_text(f"---\n{yaml.safe_dump(front)}---\n{text}\n", "utf-8")
    run = lint_paths(
        [tmp_path], PipelineFactory(from_mapping({"select": [select], **(config or {})}))
    )
    return [f for post in run.posts for f in post.findings if not f.code.startswith("X")]


def apply_fixes(text: str, findings: list[Finding], unsafe: bool = False) -> str:
    fixes = sorted(
        (fix for f in findings for fix in f.fixes if fix.safe or unsafe), key=lambda x: -x.start
    )
    for fix in fixes:
        text = text[: fix.start] + fix.replacement + text[fix.end :]
    return text


def codes(findings):
    return [f.code for f in findings]


def test_registered_with_explanations():
    checks = load_registry().checks
    for cls in ts.CHECKS:
        assert checks[cls.code] is cls
        assert cls.examples and cls.explanation and cls.policy and cls.summary
        assert "A020" <= cls.code <= "A039"


# --- emoji -----------------------------------------------------------------------------


def test_a020_too_many_emoji(tmp_path):
    text = "Our new clinic 🏥 is open in Basildon. Pop in 👋 Thank you 💙 See you soon 😊"
    findings = lint(tmp_path, text, "A020")
    assert codes(findings) == ["A020"]
    assert text[findings[0].start : findings[0].end].startswith("😊")
    assert "4 emoji" in findings[0].message
    assert lint(tmp_path, "Our new clinic is open 🏥 Pop in 👋 Thank you 💙", "A020") == []


def test_a020_counts_pictures_not_typographic_symbols(tmp_path):
    text = "NHS© ™ → ® our trust's logo 👋"
    assert lint(tmp_path, text, "A020") == []


def test_a020_max_option(tmp_path):
    config = {"options": {"emoji-count": {"max": 1}}}
    assert codes(lint(tmp_path, "Open today 🏥 Pop in 👋", "A020", config=config)) == ["A020"]


def test_a021_emoji_run_with_unsafe_fix(tmp_path):
    text = "Thank you to our nurses 👏👏👏"
    findings = lint(tmp_path, text, "A021")
    assert codes(findings) == ["A021"]
    assert "clapping hands" in findings[0].message
    assert not findings[0].fixes[0].safe
    fixed = apply_fixes(text, findings, unsafe=True)
    assert fixed == "Thank you to our nurses 👏"
    assert lint(tmp_path, fixed, "A021") == []


def test_a021_the_same_emoji_twice_is_a_run(tmp_path):
    # Seen on the bad-posts benchmark: "🎉🎉 Our new clinic", "🚨🚨 PHONE LINES DOWN 🚨🚨".
    assert codes(lint(tmp_path, "🎉🎉 Our new clinic is open.", "A021")) == ["A021"]
    assert lint(tmp_path, "Our colours 💙💛 today.", "A021") == []
    off = {"options": {"emoji-run": {"repeats": False}}}
    assert lint(tmp_path, "🎉🎉 Our new clinic is open.", "A021", off) == []


def test_a021_spaced_run_and_skin_tones(tmp_path):
    assert codes(lint(tmp_path, "Well done team 🎉 🙌🏽 💙", "A021")) == ["A021"]
    # one emoji a line, as bullets, is not a run
    assert lint(tmp_path, "✅ Walk in\n✅ Free\n✅ Quick", "A021") == []


@pytest.mark.parametrize(
    "text",
    [
        "Get your 💉 today at your local pharmacy.",
        "Thank you to our amazing staff 💙 for all their hard work.",
    ],
)
def test_a022_emoji_mid_sentence(tmp_path, text):
    findings = lint(tmp_path, text, "A022")
    assert codes(findings) == ["A022"]
    assert text[findings[0].start : findings[0].end] in {"💉", "💙"}


@pytest.mark.parametrize(
    "text",
    [
        "Get your flu jab today at your local pharmacy 💉",
        "Have a lovely weekend 😊. We're open on Monday.",
        "Happy Monday 😊 We're open until 6pm.",
        "✅ Walk-in clinics\n✅ No appointment needed",
        "Book now 👉 https://www.nhs.uk/flu",
    ],
)
def test_a022_emoji_at_ends_and_as_bullets_are_fine(tmp_path, text):
    assert lint(tmp_path, text, "A022") == []


# --- fancy text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fancy", "plain"),
    [
        ("𝐅𝐫𝐞𝐞 flu jabs", "Free flu jabs"),
        ("𝘍𝘳𝘦𝘦 flu jabs", "Free flu jabs"),
        ("ℎ𝑒𝑙𝑙𝑜 Basildon", "hello Basildon"),
        ("ꜰʀᴇᴇ ᴘᴀʀᴋɪɴɢ at the hospital", "free parking at the hospital"),
        ("ＦＲＥＥ　ＪＡＢＳ at the clinic", "FREE JABS at the clinic"),
        ("Ⓕⓡⓔⓔ jabs", "Free jabs"),
        ("🅵🆁🅴🅴 jabs", "FREE jabs"),
        ("ᵗʰᵃⁿᵏ ʸᵒᵘ team", "thank you team"),
        ("s̶t̶r̶i̶k̶e̶ out", "strike out"),
        ("𝔉𝔯𝔢𝔢 and 𝕗𝕣𝕖𝕖", "Free and free"),
    ],
)
def test_a023_fancy_text_is_an_error_with_a_safe_fix(tmp_path, fancy, plain):
    findings = lint(tmp_path, fancy, "A023")
    assert findings and all(f.code == "A023" for f in findings)
    assert str(findings[0].severity) == "error"
    assert all(fix.safe for f in findings for fix in f.fixes)
    fixed = apply_fixes(fancy, findings)
    assert fixed == plain
    assert lint(tmp_path, fixed, "A023") == []


def test_a023_leaves_ordinary_symbols(tmp_path):
    text = "Room 2 is 20 m² at 21℃ – the café is open. NHS™ and © 2025. Ölçek, naïve."
    assert lint(tmp_path, text, "A023") == []


# --- ALL CAPS --------------------------------------------------------------------------


def test_a024_all_caps_sentence(tmp_path):
    text = "FREE FLU JABS THIS WEEKEND at pharmacies in Basildon."
    findings = lint(tmp_path, text, "A024")
    assert codes(findings) == ["A024"]
    assert text[findings[0].start : findings[0].end] == "FREE FLU JABS THIS WEEKEND"
    fixed = apply_fixes(text, findings, unsafe=True)
    assert fixed == "Free flu jabs this weekend at pharmacies in Basildon."
    assert lint(tmp_path, fixed, "A024") == []


def test_a024_keeps_acronyms_in_the_fix(tmp_path):
    text = "Book your NHS APP today"
    findings = lint(tmp_path, text, "A024")
    assert apply_fixes(text, findings, unsafe=True) == "Book your NHS app today"


@pytest.mark.parametrize(
    "text",
    [
        "Go to A&E or call NHS 111 if your GP is closed.",
        "The ICB and MSE PCN teams met the CQC and UKHSA.",
        "Download the PDF from the BBC. OK?",
        "Talk to your GCSE students about COVID-19.",
        "I think so.",
        "Ask the PAL team",  # three letters alone may be an acronym
        "Text SHOUT to 85258 for free support.",  # a text service's keyword, as it is written
        "CALM's helpline is open 5pm to midnight.",  # the charity's name
        "Act FAST if you spot the signs of a stroke: call 999.",  # the stroke campaign
    ],
)
def test_a024_acronyms_are_fine(tmp_path, text):
    assert lint(tmp_path, text, "A024") == []


@pytest.mark.parametrize("text", ["Book your appointment NOW!", "NEW opening hours from Monday"])
def test_a024_short_words_that_are_only_shouting(tmp_path, text):
    # Seen on the bad-posts benchmark: "NOW" was taken for an unknown acronym.
    assert codes(lint(tmp_path, text, "A024")) == ["A024"]


def test_a024_single_shouted_word_and_config_acronyms(tmp_path):
    assert codes(lint(tmp_path, "This is URGENT: please read.", "A024")) == ["A024"]
    assert lint(tmp_path, "Our MSEFT teams", "A024") == []
    assert codes(lint(tmp_path, "The DOTS TEAM is here", "A024")) == ["A024"]
    assert lint(tmp_path, "The DOTS team", "A024", config={"acronyms": ["DOTS"]}) == []


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Click here to book your flu jab: https://www.nhs.uk/flu", "Click here"),
        ("Read more here https://www.nhs.uk/flu", "Read more here"),
        ("Link in bio!", "Link in bio"),
        ("More info here: nhs.uk/flu", "More info here"),
        ("Book your jab [here](https://www.nhs.uk/flu).", "here"),
    ],
)
def test_a025_vague_link_text(tmp_path, text, phrase):
    findings = lint(tmp_path, text, "A025")
    assert codes(findings) == ["A025"]
    assert text[findings[0].start : findings[0].end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Book your flu jab on the NHS website: https://www.nhs.uk/flu",
        "Find your nearest flu clinic with the link in our bio.",
        "Book your jab on the [NHS flu vaccination page](https://www.nhs.uk/flu).",
    ],
)
def test_a025_descriptive_links_are_fine(tmp_path, text):
    assert lint(tmp_path, text, "A025") == []


def test_a026_tracking_parameters_with_unsafe_fix(tmp_path):
    text = "Book: https://www.nhs.uk/flu?utm_source=x&utm_medium=social&area=essex"
    findings = lint(tmp_path, text, "A026")
    assert codes(findings) == ["A026"]
    assert str(findings[0].severity) == "info"
    fixed = apply_fixes(text, findings, unsafe=True)
    assert fixed == "Book: https://www.nhs.uk/flu?area=essex"
    assert lint(tmp_path, fixed, "A026") == []


def test_a026_long_url_and_option(tmp_path):
    text = "Book: https://www.nhs.uk/nhs-services/vaccination-and-booking-services/"
    assert codes(lint(tmp_path, text, "A026")) == ["A026"]
    assert lint(tmp_path, "Book: nhs.uk/flu", "A026") == []
    config = {"options": {"long-url": {"max-length": 100}}}
    assert lint(tmp_path, text, "A026", config=config) == []
    # a Markdown link target is not shown, so its length does not matter
    md = "Book on [the NHS website](https://www.nhs.uk/nhs-services/vaccination-and-booking/)."
    assert lint(tmp_path, md, "A026") == []


# --- symbols ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Flu + COVID jabs this week.", "Flu and COVID jabs this week."),
        ("Book w/ your GP.", "Book with your GP."),
        ("Come 2 the drop-in b4 Friday.", "Come to the drop-in before Friday."),
        ("Free jabs 4 everyone.", "Free jabs for everyone."),
        ("See you @ the hub.", "See you at the hub."),
    ],
)
def test_a027_symbols_for_words(tmp_path, text, fixed):
    findings = lint(tmp_path, text, "A027")
    assert findings and all(f.code == "A027" and str(f.severity) == "info" for f in findings)
    assert apply_fixes(text, findings, unsafe=True) == fixed
    assert lint(tmp_path, fixed, "A027") == []


@pytest.mark.parametrize(
    "text",
    [
        "Children aged 2 to 4 can have the nasal spray.",
        "Open 4 days a week. Call 0300 123 4567.",
        "A&E, NHS 111 & your GP. Over 18+ only. Email info@nhs.net",
        "Rated A+ by patients. See https://www.nhs.uk/a+b",
        # Seen on the clean-posts benchmark: + as part of a word, and rota shorthand.
        "Our LGBTQ+ staff network meets on Friday.",
        "w/c 8 December: clinics in Maldon. W/E 14 December: Burnham.",
    ],
)
def test_a027_leaves_numbers_and_ampersands(tmp_path, text):
    assert lint(tmp_path, text, "A027") == []


def test_a027_w_slash_o_is_one_finding(tmp_path):
    findings = lint(tmp_path, "Walk in w/o an appointment.", "A027")
    assert [(f.start, f.end) for f in findings] == [(8, 11)]


# --- properties ------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from postlint.check import CheckContext  # noqa: E402
from postlint.config import Config  # noqa: E402
from postlint.model import Post, SourceMap  # noqa: E402

STYLED = st.text(
    st.sampled_from(
        list("Free flu JABS 𝐅𝐫𝐞𝐞ꜰʀᴇᴇＦ ℎ💉👏🏽 🇬🇧+w/2 4 @.!\n#https://nhs.uk/a?utm_source=x")
    )
    | st.characters(),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(STYLED)
def test_text_style_checks_never_raise_and_point_inside_the_text(text):
    post = Post(text=text, path="p.md", source_map=SourceMap("p.md"))
    ctx = CheckContext(post, Config(), {}, {})
    for cls in ts.CHECKS:
        for finding in cls().check(post, ctx):
            assert 0 <= finding.start <= finding.end <= len(text)
            assert all(0 <= f.start <= f.end <= len(text) for f in finding.fixes)


@settings(max_examples=150, deadline=None)
@given(STYLED)
def test_fancy_fix_leaves_no_fancy_text(text):
    runs = ts.fancy_runs(text)
    fixed = text
    for run in reversed(runs):
        fixed = fixed[: run.start] + run.plain + fixed[run.end :]
    assert ts.fancy_runs(fixed) == []
