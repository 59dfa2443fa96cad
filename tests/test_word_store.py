"""The hashtag word store answers as wordfreq does (real wordfreq, real SQLite store)."""

from __future__ import annotations

import os

import pytest
from postlint_checks import hashtags
from wordfreq import get_frequency_dict
from wordfreq import zipf_frequency as wordfreq_zipf


@pytest.fixture(scope="module")
def english_words() -> list[str]:
    return sorted(w for w in get_frequency_dict("en") if w.isascii() and w.isalpha())


@pytest.fixture(autouse=True, scope="module")
def store_in_use():
    """The comparisons below must go through the store: on a fresh machine this process may
    be the one that builds it (and so answers from memory), so open it again once built."""
    if hashtags.word_store() is None:
        hashtags._store.clear()
    assert hashtags.word_store() is not None


def test_store_is_in_use():
    assert hashtags.word_store() is not None


def test_zipf_frequency_is_wordfreqs_on_single_words(english_words):
    sample = [*english_words[::40], "the", "vaccination", "xqzvplugh", "a"]
    for word in sample:
        assert hashtags.zipf_frequency(word) == wordfreq_zipf(word, "en"), word


def test_zipf_frequency_is_wordfreqs_on_hyphenated_words(english_words):
    common = english_words[::97][:400]
    joined = [f"{a}-{b}" for a, b in zip(common, reversed(common), strict=True)]
    joined += [
        "life-threatening",
        "self-care",
        "up-to-date",
        "xqzv-care",
        "non-urgent",
        "well-being",
        "don't",
        "it's",
        "o'clock",
        "don't-care",
        "rock'n'roll",
    ]
    for word in joined:
        assert hashtags.zipf_frequency(word) == wordfreq_zipf(word, "en"), word


@pytest.mark.parametrize(
    "word", ["Vaccination", "covid-19", "café", "a--b", "-care", "x'y", "l'amour", "we’re"]
)
def test_other_words_go_to_wordfreq_itself(word):
    assert hashtags.zipf_frequency(word) == wordfreq_zipf(word, "en")


def test_store_is_built_once_in_a_fresh_folder(tmp_path, python_json):
    script = (
        "import json; from postlint_checks import hashtags; "
        "print(json.dumps([hashtags.word_store() is not None, "
        "hashtags.zipf_frequency('self-care')]))"
    )
    env = dict(os.environ, POSTLINT_WORD_STORE=str(tmp_path))

    def run() -> list:
        return python_json(script, env)

    # The run that builds the store answers from the tables it read; later runs use it.
    assert run() == [False, wordfreq_zipf("self-care", "en")]
    (store_file,) = tmp_path.glob("words-*.sqlite3")
    assert run() == [True, wordfreq_zipf("self-care", "en")]
    assert list(tmp_path.glob("words-*.sqlite3")) == [store_file]
