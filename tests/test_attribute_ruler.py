"""The indexed attribute-ruler matcher gives exactly spaCy's annotations (real pipelines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from postlint_checks import attribute_ruler, nlp

ROOT = Path(__file__).resolve().parent.parent

# Every multi-token and pattern-matching rule of the English rulers has a case here.
SPECIAL = [
    "I'm gonna call and I wanna know. We've gotta go, let's go! C'mon, y'all, ain't it fun?",
    "Nothin' here. There's a queue and there are chairs; here is one, there was none.",
    "It isn't, he doesn't, they don't, we can't, she won't, I'd've liked it.",
    "Tell it to me and give it to you.  Do it now.\n\n  \t Have you had it? Did she?",
    "That which is so. Whether or not, because, although, unless: whilst coz tho til.",
    "",
    "   ",
    "A",
]


def _texts() -> list[str]:
    texts = list(SPECIAL)
    for line in (ROOT / "benchmarks" / "data" / "clean_posts.jsonl").open(encoding="utf-8"):
        texts.append(json.loads(line).get("text") or "")
        if len(texts) >= 160:
            break
    for path in sorted((ROOT / "fixtures").rglob("*.md"))[:60]:
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _annotations(doc) -> list[tuple]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc
    ]


@pytest.fixture(scope="module")
def pipelines():
    name = nlp.load_pipeline()[1]
    plain = spacy.load(name)
    fast = spacy.load(name)
    assert attribute_ruler.speed_up(fast)
    return plain, fast


def test_same_annotations_as_spacys_matcher(pipelines):
    plain, fast = pipelines
    texts = _texts()
    assert len(texts) > 200
    for text, a, b in zip(texts, plain.pipe(texts), fast.pipe(texts), strict=True):
        assert _annotations(a) == _annotations(b), text[:80]


def test_same_matches_on_every_rule_the_texts_reach(pipelines):
    plain, fast = pipelines
    slow_ruler, fast_ruler = plain.get_pipe("attribute_ruler"), fast.get_pipe("attribute_ruler")
    reached = set()
    for text in _texts():
        doc = plain.make_doc(text)
        for name, component in plain.pipeline:
            if name == "attribute_ruler":
                break
            doc = component(doc)
        expected = slow_ruler.match(doc)
        assert fast_ruler.match(doc) == expected, text[:80]
        reached.update(number for number, *_ in expected)
    # The multi-token rules (gonna, let's, y'all, there's...) and the space rules are
    # among them: their cases are in SPECIAL.
    multi = [n for n, entry in enumerate(slow_ruler.patterns) if len(entry["patterns"][0]) > 1]
    assert multi and set(multi) <= reached


def test_the_loaded_pipeline_is_sped_up():
    model, _name = nlp.load_pipeline()
    assert isinstance(model.get_pipe("attribute_ruler").match, attribute_ruler.IndexedMatcher)


def test_a_ruler_it_cannot_reproduce_is_left_alone():
    # Error path: a quantifier ("OP") is beyond the indexed matcher.
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})
    original = ruler.match
    assert not attribute_ruler.speed_up(blank)
    assert ruler.match == original
    assert [t.lemma_ for t in blank("very very good")][:2] == ["very", "very"]


def test_a_pipeline_without_a_ruler_is_unchanged():
    assert not attribute_ruler.speed_up(spacy.blank("en"))


def test_plain_blank_ruler_patterns_work():
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["nhs", "gp"]}}]], {"LEMMA": "ORG"})
    ruler.add([[{"ORTH": "A"}, {"LOWER": {"REGEX": "^e+$"}}]], {"LEMMA": "EMERGENCY"}, index=-1)
    assert attribute_ruler.speed_up(blank)
    doc = blank("NHS and GP A EE")
    assert [t.lemma_ for t in doc] == ["ORG", "", "ORG", "", "EMERGENCY"]
