"""Hashtag checks: CamelCase (A001), how many (A002), where they sit (A003).

Screen readers read ``#mentalhealthawareness`` as one long made-up word; ``#MentalHealthAwareness``
is read as three words (Appendix B of the policy, GCS accessible social media guidance).

A001 has to decide whether a lower-case (or ALL CAPS) hashtag is several words run together,
and where the words split. That is word segmentation: a Viterbi search over the ways to cut
the hashtag, scored by a word-frequency language model. Unigram frequencies come from
``wordfreq`` (which knows modern words such as covid and selfie); bigram counts from
``wordsegment`` (Google's web corpus) reward real phrases such as "mental health". The
hashtag is only flagged when the best multi-word reading beats reading it as one word by a
clear margin and every word in it is a real, reasonably common word: so single words
(#vaccines, #Basildon, #wellbeing) are almost never flagged. benchmarks/hashtag_eval.py
measures both rates.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Fix, Severity
from postlint.model import Post
from postlint.text import Span, spans_of

DATA = Path(__file__).resolve().parent / "data"
log = logging.getLogger("postlint")

# ---------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acronyms:
    """Acronyms by lower-case form: ``forms`` maps "nhs" to "NHS"; ``also_words`` holds the
    ones that are ordinary words too ("who", "aids"), read as words inside hashtags."""

    forms: dict[str, str]
    also_words: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.forms

    def hashtag_form(self, word: str) -> str | None:
        """How ``word`` (lower case) is written in a CamelCase hashtag if it is an acronym."""
        key = word.lower()
        if key in self.also_words:
            return None
        # Plurals are listed as such (GPs, PCNs): a rule adding "s" to any acronym would
        # read #nhsessex as "NHSEs sex".
        return self.forms.get(key)


@functools.cache
def _bundled_acronyms() -> tuple[tuple[str, bool], ...]:
    entries = []
    for raw in (DATA / "acronyms.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        parts = line.split()
        entries.append((parts[0], len(parts) > 1 and parts[1].lower() == "word"))
    return tuple(entries)


@functools.cache
def acronyms(extra: tuple[str, ...] = ()) -> Acronyms:
    """The bundled acronyms plus ``extra`` (config ``acronyms``)."""
    forms: dict[str, str] = {}
    also_words: set[str] = set()
    for form, is_word in _bundled_acronyms():
        forms[form.lower()] = form
        if is_word:
            also_words.add(form.lower())
    for form in extra:
        form = form.strip()
        if form:
            forms[form.lower()] = form
            also_words.discard(form.lower())
    return Acronyms(forms, frozenset(also_words))


def config_acronyms(ctx: CheckContext | None) -> Acronyms:
    extra = tuple(getattr(ctx.config, "acronyms", ()) or ()) if ctx is not None else ()
    return acronyms(extra)


@functools.cache
def domain_words() -> frozenset[str]:
    """Local words the frequency lists underrate (Essex places, NHS campaign names)."""
    path = DATA / "hashtag_words.txt"
    if not path.exists():
        return frozenset()
    words = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


# English words of one or two letters. Frequency lists are full of two-letter fragments
# ("co", "ll", "ve") that would otherwise cut real words into pieces; these closed-class
# words are the only short words a hashtag split may use (acronyms aside).
_SHORT = "a i am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we"
SHORT_WORDS = frozenset(_SHORT.split(" "))


NO_FINAL = frozenset({"a", "an", "i", "the"})


class Model:
    """Word probabilities (log10) from wordfreq unigrams and wordsegment bigrams.

    The counts come from a prebuilt lookup file (see ``WordStore``) when one can be kept, so
    a run looks up only the words its hashtags contain; else from the full tables in memory.
    """

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        store = word_store()
        if store is not None:
            self.freq: Any = store.freq
            self.ws_unigrams: Any = store.web
            self.ws_bigrams: Any = store.bigrams
        else:
            self.freq, self.ws_unigrams, self.ws_bigrams = _full_tables()
        self.ws_total = WEB_CORPUS_WORDS
        self.extra = frozenset(extra_words) | domain_words()
        self._logp: dict[str, float] = {}

    def prefetch(self, words: Iterable[str]) -> None:
        """Look up many words at once (one query instead of one each), when that helps."""
        fetch = getattr(self.freq, "prefetch", None)
        if fetch is not None:
            fetch(words)

    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words); 0 when unknown."""
        f = self.freq.get(word, 0.0)
        z = math.log10(f) + 9 if f > 0 else 0.0
        if word in self.extra:
            z = max(z, DOMAIN_ZIPF)
        return z

    def logp(self, word: str) -> float:
        """log10 probability of ``word`` as a word of its own."""
        cached = self._logp.get(word)
        if cached is not None:
            return cached
        z = self.zipf(word)
        value = z - 9 if z > 0 else UNKNOWN_BASE - UNKNOWN_PER_CHAR * len(word)
        self._logp[word] = value
        return value

    def whole_logp(self, word: str) -> float:
        """log10 probability of a hashtag read as one word.

        wordfreq counts social media, where a hashtag's '#' is stripped: so
        "throwbackthursday" has a frequency of its own. A long word that the older web
        corpus of wordsegment has never seen, and that wordfreq rates rare, is more likely
        such a hashtag than a word, so it is discounted.
        """
        value = self.logp(word)
        if (
            len(word) >= ARTIFACT_MIN_LEN
            and word not in self.ws_unigrams
            and word not in self.extra
            and 0 < self.zipf(word) < ARTIFACT_MAX_ZIPF
        ):
            value -= ARTIFACT_PENALTY
        return value

    def bigram_logp(self, previous: str, word: str) -> float | None:
        """log10 P(word | previous) from the bigram counts, None when the pair is unseen."""
        count = self.ws_bigrams.get(f"{previous} {word}")
        if not count:
            return None
        # P(previous word) * P(word | previous) must equal the pair's own frequency; the
        # first word's probability comes from wordfreq, so divide by that, not by
        # wordsegment's count, or the two corpora's differences would favour splits.
        return min(0.0, math.log10(count / self.ws_total) - self.logp(previous))


# Tuned on the development half of benchmarks/data/hashtags_sample.tsv (never the held-out
# half): see benchmarks/hashtag_eval.py.
DOMAIN_ZIPF = 3.0  # a listed local word counts as a moderately common word
UNKNOWN_BASE = -9.0  # log10 p of an unknown "word" of no letters...
UNKNOWN_PER_CHAR = 0.75  # ...falling with each letter
BACKOFF_BONUS = 0.0  # log10 bonus for a word pair the bigram table has not seen
MARGIN = 0.75  # the split must be this many log10 units likelier than the one-word reading
MIN_WORD_ZIPF = 2.0  # every word of a split must be at least this common...
MIN_ZIPF_3 = 3.0  # ...three-letter words more so (fragments such as "ine", "clo")...
MIN_ZIPF_4 = 2.0
LONG_WORD = 7  # ...except long words, which are rarely fragments
LONG_MIN_ZIPF = 1.0
MIN_WORD_ZIPF_CAPS = 2.5  # stricter for ALL CAPS, which may be an unknown acronym
ARTIFACT_MIN_LEN = 8
ARTIFACT_MAX_ZIPF = 2.5
ARTIFACT_PENALTY = 3.0
MAX_WORD = 24
MAX_HASHTAG = 80  # longer "hashtags" are not split (the search grows with the length)
WEB_CORPUS_WORDS = 1024908267229.0  # tokens in wordsegment's corpus (Google web 1T)


@functools.cache
def model() -> Model:
    return Model()


# ---------------------------------------------------------------------------------------
# The word counts on disk
# ---------------------------------------------------------------------------------------
# Reading wordsegment's text files and wordfreq's list into dicts takes about half a second,
# more than the rest of a one-post run. So the first run writes them, unchanged, into an
# SQLite file in the per-user cache, and later runs look up only the words they need (a
# hashtag's few hundred substrings), remembering each answer. The file is named by a hash
# of the source files' sizes and times, so upgrading either package builds a new one.

STORE_FORMAT = 1
STORE_ENV = "POSTLINT_WORD_STORE"  # a folder for the file, or "off" to keep counts in memory


@functools.cache
def _full_tables() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """wordfreq's English frequencies, wordsegment's unigram and bigram counts, in memory."""
    import wordfreq
    import wordsegment

    freq: dict[str, float] = wordfreq.get_frequency_dict("en", wordlist="best")
    if not wordsegment.UNIGRAMS:
        wordsegment.load()
    return freq, wordsegment.UNIGRAMS, wordsegment.BIGRAMS


def _store_folder() -> Path | None:
    chosen = os.environ.get(STORE_ENV)
    if chosen:
        return None if chosen.lower() in {"0", "off", "no", "false"} else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "postlint" / "word-store"


def _source_files() -> list[Path] | None:
    """The files the counts are read from, or None if a package is missing."""
    import importlib.util

    files: list[Path] = []
    for package, patterns in (
        ("wordfreq", ("__init__.py", "data/*_en.msgpack.gz")),
        ("wordsegment", ("__init__.py", "unigrams.txt", "bigrams.txt")),
    ):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.origin:
            return None
        root = Path(spec.origin).parent
        for pattern in patterns:
            files.extend(sorted(root.glob(pattern)))
    return files


def _store_path(folder: Path) -> Path | None:
    sources = _source_files()
    if not sources:
        return None
    key = [STORE_FORMAT]
    for file in sources:
        try:
            info = file.stat()
        except OSError:
            return None
        key.append(f"{file}:{info.st_size}:{info.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(map(str, key)).encode()).hexdigest()[:20]
    return folder / f"words-{digest}.sqlite3"


class _Table:
    """Read-only lookups in one column of the store; every answer (a miss too) is kept."""

    MEMO_LIMIT = 500_000  # a long-running server forgets, rather than grow without end

    def __init__(self, store: WordStore, table: str, column: str) -> None:
        self.store = store
        self.table = table
        self.column = column
        self.memo: dict[str, Any] = {}

    def _fetch(self, keys: list[str]) -> None:
        if len(self.memo) > self.MEMO_LIMIT:
            self.memo.clear()
        rows = self.store.query(self.table, self.column, keys)
        for key in keys:
            self.memo[key] = rows.get(key)  # None: not in the table

    def get(self, key: str, default: Any = None) -> Any:
        try:
            value = self.memo[key]
        except KeyError:
            self._fetch([key])
            value = self.memo[key]
        return default if value is None else value

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k not in self.memo]
        for start in range(0, len(wanted), 500):
            self._fetch(wanted[start : start + 500])


class WordStore:
    """The prebuilt counts file: ``freq`` (wordfreq), ``web`` (wordsegment's unigrams, used
    for membership) and ``bigrams`` (wordsegment's bigram counts, keyed "first second")."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: Any = None
        self._pid = 0
        self._lock = threading.Lock()  # the server calls checks from several threads
        self.freq = _Table(self, "words", "freq")
        self.web = _Table(self, "words", "web")
        self.bigrams = _Table(self, "bigrams", "count")

    def _connect(self) -> Any:
        # A connection must not cross a fork: workers forked from a warm parent open their
        # own. The file never changes once written (a rebuild replaces it), so "immutable".
        if self._connection is None or self._pid != os.getpid():
            import sqlite3

            uri = f"{self.path.as_uri()}?mode=ro&immutable=1"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._connection

    def query(self, table: str, column: str, keys: list[str]) -> dict[str, Any]:
        key = "pair" if table == "bigrams" else "word"
        marks = ",".join("?" * len(keys))
        sql = f"SELECT {key}, {column} FROM {table} WHERE {key} IN ({marks})"
        try:
            with self._lock:
                rows = self._connect().execute(sql, keys).fetchall()
        except Exception:  # the file went away (a cache cleared mid-run): same data, in memory
            log.debug("hashtag word store %s unreadable", self.path, exc_info=True)
            tables = _full_tables()
            table = {"freq": tables[0], "web": tables[1], "count": tables[2]}[column]
            rows = [(k, table[k]) for k in keys if k in table]
        if column == "web":  # membership: 0 means "not in wordsegment's unigrams"
            return {k: 1.0 for k, v in rows if v}
        return dict(rows)

    def valid(self) -> bool:
        try:
            row = self._connect().execute("SELECT value FROM meta WHERE key = 'format'")
            return row.fetchone() == (STORE_FORMAT,)
        except Exception:  # damaged or half-written by another version: build it again
            return False


def _build_store(path: Path, tables: tuple[dict, dict, dict]) -> None:
    """Write the counts to ``path`` (through a temporary file, so readers never see half)."""
    import sqlite3

    freq, unigrams, bigrams = tables
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
            db.execute(
                "CREATE TABLE words (word TEXT PRIMARY KEY, freq REAL, web INTEGER NOT NULL) "
                "WITHOUT ROWID"
            )
            db.execute("CREATE TABLE bigrams (pair TEXT PRIMARY KEY, count REAL) WITHOUT ROWID")
            words = sorted(set(freq) | set(unigrams))
            db.executemany(
                "INSERT INTO words VALUES (?, ?, ?)",
                ((w, freq.get(w), int(w in unigrams)) for w in words),
            )
            db.executemany("INSERT INTO bigrams VALUES (?, ?)", sorted(bigrams.items()))
            db.execute("INSERT INTO meta VALUES ('format', ?)", (STORE_FORMAT,))
        db.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# Words wordfreq's English tokenizer splits only at hyphens, keeping each piece whole.
STORE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*(?:-[a-z]+(?:'[a-z]+)*)*")


def zipf_frequency(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, the same value, without importing wordfreq
    and loading its list (~0.3 s) when the store can answer: a lower-case ASCII word (with
    apostrophes inside: don't), or such words joined by hyphens, is the tokens wordfreq
    would split it into (life-threatening: life, threatening), so its frequency is the
    list's entries combined as wordfreq combines them (1/f = 1/f1 + 1/f2...; 0 if one is
    missing), rounded as it rounds them."""
    parts = word.split("-") if STORE_WORD.fullmatch(word) else []
    store = word_store() if parts else None
    found = [store.freq.get(part, 0.0) for part in parts] if store is not None else []
    # A word with an apostrophe that is not in the list may be split there by wordfreq
    # (l'amour, x'y): only wordfreq itself knows.
    if store is None or any(not f and "'" in p for f, p in zip(found, parts, strict=True)):
        from wordfreq import zipf_frequency as wordfreq_zipf

        return wordfreq_zipf(word, "en")
    freq = 1.0 / sum(1.0 / f for f in found) if all(found) else 0.0
    freq = max(freq, 10**0.0 / 1e9)  # wordfreq's minimum: Zipf 0
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)  # 3 significant digits
    return round(math.log(freq, 10) + 9, 2)


_store_lock = threading.Lock()
_store: list[WordStore | None] = []


def word_store() -> WordStore | None:
    """The store for the installed packages; None when the counts are in memory instead: in
    the run that builds the store (it has read them already), or when no cache folder can
    be written (a read-only home)."""
    with _store_lock:
        if _store:
            return _store[0]
        store = None
        folder = _store_folder()
        path = _store_path(folder) if folder is not None else None
        if path is not None:
            store = WordStore(path)
            if not (path.is_file() and store.valid()):
                store = None
                try:
                    _build_store(path, _full_tables())
                except Exception:  # read-only or full disk: the tables in memory serve
                    log.debug("could not write the hashtag word store %s", path, exc_info=True)
        _store.append(store)
        return store


@dataclass(frozen=True)
class Split:
    words: tuple[str, ...]
    score: float  # log10 probability of the split
    whole: float  # log10 probability of the run as one word

    @property
    def margin(self) -> float:
        return self.score - self.whole


def word_ok(word: str, m: Model, known: Acronyms, min_zipf: float) -> bool:
    """May ``word`` be one of the words of a split?"""
    if len(word) <= 2:
        return word in SHORT_WORDS or word in known.forms
    if word in known.forms or known.hashtag_form(word):
        return True
    if len(word) >= LONG_WORD:
        return m.zipf(word) >= min(min_zipf, LONG_MIN_ZIPF)
    if len(word) == 3:
        return m.zipf(word) >= max(min_zipf, MIN_ZIPF_3)
    if len(word) == 4:
        return m.zipf(word) >= max(min_zipf, MIN_ZIPF_4)
    return m.zipf(word) >= min_zipf


def _word_logp(word: str, m: Model, known: Acronyms) -> float:
    value = m.whole_logp(word)
    if len(word) > 2 and (word in known.forms or known.hashtag_form(word)):
        value = max(value, DOMAIN_ZIPF - 9)
    return value


def best_split(run: str, known: Acronyms, min_zipf: float = MIN_WORD_ZIPF) -> Split | None:
    """The likeliest way to cut a lower-case letter run into two or more acceptable words.

    Viterbi over (end position, last word), so a bigram can score each cut. Returns None
    when no cut into acceptable words exists.
    """
    m = model()
    n = len(run)
    if n < 2:
        return None
    # best[i] maps the last word of a segmentation of run[:i] to (score, words).
    # Every word the search may try, fetched in one go.
    m.prefetch(run[s:e] for e in range(1, n + 1) for s in range(max(0, e - MAX_WORD), e))
    best: list[dict[str, tuple[float, tuple[str, ...]]]] = [{} for _ in range(n + 1)]
    best[0][""] = (0.0, ())
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_WORD), end):
            if not best[start]:
                continue
            word = run[start:end]
            if start == 0 and end == n:
                continue  # the one-word reading is scored separately
            if not word_ok(word, m, known, min_zipf):
                continue
            unigram = _word_logp(word, m, known)
            for previous, (score, words) in best[start].items():
                if previous:
                    bigram = m.bigram_logp(previous, word)
                    step = unigram + BACKOFF_BONUS if bigram is None else bigram
                else:
                    step = unigram
                total = score + step
                current = best[end].get(word)
                if current is None or total > current[0]:
                    best[end][word] = (total, (*words, word))
    # An article or "I" cannot end a phrase, so "parka" is never "park a".
    endings = {w: v for w, v in best[n].items() if w not in NO_FINAL}
    if not endings:
        return None
    score, words = max(endings.values(), key=lambda item: item[0])
    return Split(words, score, _word_logp(run, m, known))


@dataclass(frozen=True)
class Verdict:
    """What A001 concluded about one hashtag body (without the #)."""

    multiword: bool
    words: tuple[str, ...]  # the tokens, lower case (digits as their own tokens)
    camel: str  # the CamelCase form of the body
    reason: str = ""


TOKEN = re.compile(r"\d+|[^\W\d_]+(?:&[^\W\d_]+)*|_+|.", re.S)


def _is_word_token(token: str) -> bool:
    return token[:1].isalpha()


def _render(word: str, known: Acronyms) -> str:
    if not _is_word_token(word):
        return word
    form = known.hashtag_form(word)
    if form is not None:
        return form
    return word[:1].upper() + word[1:]


def segment_hashtag(body: str, known: Acronyms | None = None) -> Verdict:
    """Split a hashtag body (no #) into words and decide whether it needs CamelCase."""
    known = known or acronyms()
    letters = [c for c in body if c.isalpha()]
    if not letters:
        return Verdict(False, (body,), body, "no letters")
    if len(body) > MAX_HASHTAG:
        return Verdict(False, (body,), body, "too long to be a real hashtag")
    lower = all(c.islower() for c in letters)
    upper = all(c.isupper() for c in letters)
    capitalised = letters[0].isupper() and all(c.islower() for c in letters[1:])
    if not (lower or upper or capitalised):
        return _mixed_case(body, known)
    min_zipf = MIN_WORD_ZIPF_CAPS if upper and len(letters) > 1 else MIN_WORD_ZIPF
    words: list[str] = []
    rendered: list[str] = []
    previous = ""
    for token in TOKEN.findall(body.lower()):
        suffix = _number_suffix(previous, token)
        if suffix:
            # 7th, 1990s: the letters belong to the number and stay lower case.
            words.append(suffix)
            rendered.append(suffix)
            token = token[len(suffix) :]
            if not token:
                continue
        previous = token
        if not _is_word_token(token) or token in known.forms or known.hashtag_form(token):
            parts: tuple[str, ...] = (token,)
        else:
            split = best_split(token, known, min_zipf)
            parts = split.words if split is not None and split.margin >= MARGIN else (token,)
        words.extend(parts)
        rendered.extend(_render(w, known) for w in parts)
    camel = "".join(rendered)
    alpha_words = [w for w, r in zip(words, rendered, strict=True) if r[:1].isupper()]
    multiword = len(alpha_words) >= 2 and camel != body and _same_letters(camel, body)
    return Verdict(multiword, tuple(words), camel if multiword else body)


def _number_suffix(previous: str, token: str) -> str:
    """The ordinal or plural letters that follow a number: 1st, 22nd, 7th, 1990s."""
    if not previous.isdigit() or not token[:1].isalpha():
        return ""
    n = int(previous[-2:])
    ordinal = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    if token.startswith(ordinal):
        return ordinal
    if previous.endswith("0") and token.startswith("s") and not token.startswith("st"):
        return "s"
    return ""


CHUNK = re.compile(r"[A-Z]+|[a-z]+|\d+|.", re.S)


def _case_pieces(body: str, known: Acronyms) -> list[str]:
    """Cut a mixed-case hashtag where its capitals say: a capital starts a word, and a run
    of capitals before lower-case letters is an acronym plus a capitalised word (NHSCareers:
    NHS + Careers, which once became '#NHSCAreErs') or an acronym before a lower-case run
    (NHSjobs: NHS + jobs), whichever makes the lower-case part the likelier word."""
    chunks = CHUNK.findall(body)
    pieces: list[str] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        following = chunks[i + 1] if i + 1 < len(chunks) else ""
        if chunk.isupper() and chunk.isalpha() and following.islower() and following.isalpha():
            if len(chunk) == 1:
                pieces.append(chunk + following)
            elif _capital_starts_word(chunk, following, known):
                pieces.extend([chunk[:-1], chunk[-1] + following])
            else:
                pieces.extend([chunk, following])
            i += 2
            continue
        pieces.append(chunk)
        i += 1
    return pieces


def _capital_starts_word(capitals: str, lower: str, known: Acronyms) -> bool:
    """Does the last of ``capitals`` start the word ``lower`` continues?"""
    m = model()
    with_capital = m.zipf((capitals[-1] + lower).lower())
    without = m.zipf(lower)
    if with_capital != without:
        return with_capital > without
    return capitals.lower() not in known and capitals[:-1].lower() in known


def _mixed_case(body: str, known: Acronyms) -> Verdict:
    """A hashtag with some capitals: deliberate CamelCase unless one of its lower-case runs
    is itself several words (#NHSmentalhealth) or an acronym runs into a lower-case word
    (#NHSjobs)."""
    pieces = _case_pieces(body, known)
    out: list[str] = []
    words: list[str] = []
    changed = False
    previous_acronym = False
    for piece in pieces:
        if piece[:1].isalpha() and piece[-1:].islower():
            run = piece.lower()
            split = best_split(run, known) if len(run) >= 4 else None
            if split is not None and piece[0].isupper() and len(split.words[0]) == 1:
                split = None  # #AandE: a capital the author chose ("A and E"), not "A And"
            if split is not None and split.margin >= MARGIN:
                rendered = "".join(_render(w, known) for w in split.words)
                if piece[0].islower() and not out:
                    rendered = piece[0] + rendered[1:]  # #iPhone-style lower first letter
                words.extend(split.words)
                out.append(rendered)
                changed = changed or rendered != piece
            elif previous_acronym and piece[0].islower() and model().zipf(run) >= 3.0:
                out.append(piece[0].upper() + piece[1:])  # NHS + jobs -> NHSJobs
                words.append(run)
                changed = True
            else:
                out.append(piece)
                words.append(run)
            previous_acronym = False
        else:
            out.append(piece)
            words.append(piece.lower())
            previous_acronym = piece.isupper() and piece.isalpha() and piece.lower() in known
    camel = "".join(out)
    if changed and _same_letters(camel, body):
        return Verdict(True, tuple(words), camel)
    return Verdict(False, tuple(words), body, "mixed case")


def _same_letters(a: str, b: str) -> bool:
    """The fix may only change case: it must lower-case back to the original."""
    return len(a) == len(b) and a.lower() == b.lower()


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HashtagCamelCase(Check):
    code = "A001"
    name = "hashtag-camel-case"
    severity = Severity.WARNING
    policy = "Appendix B: using CamelCase in hashtags; GCS accessible social media: hashtags"
    summary = "Multi-word hashtags must be written in CamelCase (#FluJab, not #flujab)."
    explanation = (
        "Screen readers read a hashtag in one case as one long made-up word: #flujab is read "
        "'floo-jab' or spelt out, and #mentalhealthawareness is hard to follow for anyone. "
        "Capitalising the first letter of each word (CamelCase) makes the words clear to "
        "screen readers and to people with dyslexia. Acronyms keep their capitals (#NHSJobs). "
        "postlint finds the words with a word-frequency model and only flags hashtags it is "
        "confident are several words: single words (#vaccines, #Basildon) are left alone, as "
        "are hashtags that already mix capitals on purpose (#NHSEssex, #StopToberUK). The fix "
        "only changes letter case, so it is safe to apply."
    )
    examples = [
        Example("Book your flu jab today #flujab", "Book your flu jab today #FluJab"),
        Example("We're hiring! #NHSJOBS", "We're hiring! #NHSJobs"),
    ]
    fixable = True
    options = {
        "min-length": 5,  # hashtags with fewer letters are not checked (#tbt, #gpw)
        "ignore": [],  # hashtags never flagged, without the # (brand names)
        "words": [],  # extra single words (local places) never split
    }

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        known = config_acronyms(ctx)
        ignore = {str(h).lstrip("#").lower() for h in self.opts.get("ignore") or ()}
        extra = tuple(str(w).lower() for w in self.opts.get("words") or ())
        min_length = int(self.opts.get("min-length", 5))
        for span in spans_of(post.text, "hashtag"):
            body = span.text[1:]
            if body.lower() in ignore or sum(c.isalpha() for c in body) < min_length:
                continue
            # Posts reuse their hashtags (#FluJab in every flu post): one split each a run.
            verdicts = ctx.shared.setdefault("hashtags.verdicts", {})
            key = (body, extra, id(known))  # acronyms() keeps each Acronyms alive
            verdict = verdicts.get(key)
            if verdict is None:
                if len(verdicts) > 20_000:
                    verdicts.clear()
                verdict = verdicts[key] = _segment_with_words(body, known, extra)
            if not verdict.multiword:
                continue
            message = (
                f"'#{_short(body)}' runs {len([w for w in verdict.words if w.isalpha()])} words "
                f"together: write it in CamelCase, '#{_short(verdict.camel)}', so screen "
                "readers read each word."
            )
            fix = Fix(span.start + 1, span.end, verdict.camel, "write the hashtag in CamelCase")
            yield self.finding(post, message, span.start, span.end, fixes=[fix])


def _segment_with_words(body: str, known: Acronyms, extra: tuple[str, ...]) -> Verdict:
    if extra and body.lower() in extra:
        return Verdict(False, (body.lower(),), body, "listed word")
    if extra:
        m = model()
        saved = m.extra
        m.extra = saved | frozenset(extra)
        m._logp.clear()
        try:
            return segment_hashtag(body, known)
        finally:
            m.extra = saved
            m._logp.clear()
    return segment_hashtag(body, known)


class HashtagCount(Check):
    code = "A002"
    name = "hashtag-count"
    severity = Severity.WARNING
    policy = "GCS accessible social media: hashtags (two at most)"
    summary = "Too many hashtags in one post."
    explanation = (
        "Each hashtag is read out in full by a screen reader, '#' and all, so a string of "
        "them buries the message. The Government Communication Service advises two at most; "
        "postlint warns above the `max` option (default 3). A platform's own hard limit "
        "(Instagram's 5) is rule P004."
    )
    examples = [
        Example(
            "Flu jabs this week #FluJab #NHS #Essex #Winter #StayWell",
            "Flu jabs this week at your GP or pharmacy. #FluJab #StayWell",
        )
    ]
    options = {"max": 3}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        limit = int(self.opts.get("max", 3))
        tags = spans_of(post.text, "hashtag")
        if len(tags) <= limit:
            return
        extra = tags[limit:]
        yield self.finding(
            post,
            f"{len(tags)} hashtags: use {limit} or fewer. Keep the ones people search for and "
            "put the rest into words.",
            extra[0].start,
            extra[-1].end,
        )


SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"')\]]|$)|\n")
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _runs(tags: list[Span], text: str) -> list[list[Span]]:
    """Hashtags that follow one another with only spaces between them."""
    runs: list[list[Span]] = []
    for tag in tags:
        if runs and not text[runs[-1][-1].end : tag.start].strip(" \t"):
            runs[-1].append(tag)
        else:
            runs.append([tag])
    return runs


class HashtagPlacement(Check):
    code = "A003"
    name = "hashtag-placement"
    severity = Severity.WARNING
    policy = "GCS accessible social media: hashtags at the end"
    summary = "Hashtags strung together mid-sentence, or used in place of words."
    explanation = (
        "A screen reader reads every hashtag aloud with its '#', so hashtags in the middle "
        "of a sentence break it up ('Get your hashtag flu hashtag jab at...'). One hashtag "
        "used as a word is fine; several in a row before the sentence ends, several in one "
        "sentence in place of words, or a block of hashtags in the middle of the post are "
        "not. Write the sentence in words and put the hashtags at the end."
    )
    examples = [
        Example(
            "Get your #flu #jab at your local #pharmacy today",
            "Get your flu jab at your local pharmacy today. #FluJab",
        ),
        Example(
            "Our #NHS #Essex #GP teams are ready",
            "Our GP teams across Essex are ready. #NHSEssex",
            "one hashtag used as a word, as in 'Our #NHS teams', is fine",
        ),
    ]
    options = {"max-inline": 1}  # hashtags used as words allowed in one sentence

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        from postlint.text import prose

        text = post.text
        tags = spans_of(text, "hashtag")
        if not tags:
            return
        max_inline = int(self.opts.get("max-inline", 1))
        words = [m.start() for m in WORD.finditer(prose(text, post.markup_spans))]
        last_word = words[-1] if words else -1
        for start, end in _sentences(text):
            inside = [t for t in tags if start <= t.start < end]
            if not inside:
                continue
            later = [w for w in words if w >= start and w < end]
            reported: set[int] = set()
            for run in _runs(inside, text):
                continues = any(w > run[-1].end for w in later)
                if len(run) >= 2 and continues:
                    reported.update(t.start for t in run)
                    yield self.finding(
                        post,
                        f"{len(run)} hashtags in a row in the middle of a sentence: write the "
                        "sentence in words and put the hashtags at the end.",
                        run[0].start,
                        run[-1].end,
                    )
                elif len(run) >= 2 and run[-1].end < last_word:
                    reported.update(t.start for t in run)
                    yield self.finding(
                        post,
                        f"a block of {len(run)} hashtags in the middle of the post: move them "
                        "to the end.",
                        run[0].start,
                        run[-1].end,
                    )
            inline = [
                t for t in inside if t.start not in reported and any(w > t.end for w in later)
            ]
            if len(inline) > max_inline:
                extra = inline[max_inline:]
                yield self.finding(
                    post,
                    f"{len(inline)} hashtags used in place of words in one sentence: use "
                    f"{'one' if max_inline == 1 else max_inline} at most, write the rest as "
                    "words and add any hashtags at the end.",
                    extra[0].start,
                    extra[-1].end,
                )


CHECKS = [HashtagCamelCase, HashtagCount, HashtagPlacement]
