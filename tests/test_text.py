from postlint.text import masked, prose, spans_of, special_spans


def kinds(text):
    return [(s.kind, s.text) for s in special_spans(text)]


def test_spans_found_without_overlap():
    text = "Book at https://www.nhs.uk/flu#when or email flu@nhs.net, @MSEICB #FluJab 💉"
    assert kinds(text) == [
        ("url", "https://www.nhs.uk/flu#when"),
        ("email", "flu@nhs.net"),
        ("mention", "@MSEICB"),
        ("hashtag", "#FluJab"),
        ("emoji", "💉"),
    ]


def test_hashtag_edges():
    assert [
        s.text for s in spans_of("#A&E is busy; C# is not a tag; #2024 neither", "hashtag")
    ] == ["#A&E"]
    assert spans_of("word#tag", "hashtag") == []


def test_url_stops_before_punctuation():
    assert [s.text for s in spans_of("See www.nhs.uk/111.", "url")] == ["www.nhs.uk/111"]


def test_masking_keeps_offsets():
    text = "Hi @bob, see nhs.uk\nthanks"
    out = prose(text)
    assert len(out) == len(text) and out.index("thanks") == text.index("thanks")
    assert "@bob" not in out and "\n" in out
    assert masked("abc", [(1, 2)]) == "a c"


def test_zwj_emoji_is_one_span():
    text = "Team 👩‍⚕️ ready"
    (span,) = spans_of(text, "emoji")
    assert text[span.start : span.end] == "👩‍⚕️"


def test_fediverse_handle_is_one_mention():
    text = "Follow @msehealth@nhs.social or mail flu@nhs.net"
    assert kinds(text) == [("mention", "@msehealth@nhs.social"), ("email", "flu@nhs.net")]


def test_text_presentation_symbols_are_not_emoji():
    assert spans_of("NHS™ and © 2026, ready ✅", "emoji")[0].text == "✅"
    assert len(spans_of("NHS™ and © 2026, ready ✅", "emoji")) == 1
