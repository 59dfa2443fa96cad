"""Readers turn files (or stdin, or a server payload) into posts.

``read_path`` never raises for bad input: problems come back as ``ReadProblem``s, reported
as X001 findings for that file, so the run goes on with the other files.
"""

from __future__ import annotations

import codecs
import importlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from postlint.model import Location, Post, ReadProblem
from postlint.readers.fields import ReadOptions, too_many_posts

# Suffix -> module with ``read(path, text, options) -> (posts, problems)``.
READERS = {
    ".md": "postlint.readers.markdown",
    ".markdown": "postlint.readers.markdown",
    ".txt": "postlint.readers.markdown",
    ".yaml": "postlint.readers.structured",
    ".yml": "postlint.readers.structured",
    ".json": "postlint.readers.structured",
    ".csv": "postlint.readers.csv_reader",
}
MAX_TEXT_BYTES = 1_000_000  # a post is short; a 1 MB Markdown draft is not a post
MAX_DATA_BYTES = 64_000_000  # bulk CSV and JSON schedules may be large


@dataclass
class ReadResult:
    path: str
    posts: list[Post] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)  # the file as a whole failed


def decode(data: bytes, path: str) -> tuple[str | None, str | None]:
    """Text from bytes, honouring a BOM; (None, reason) for binary or invalid input."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts the same way
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                return None, f"not valid {encoding.upper()} at byte {exc.start}"
    head = data[:8192]
    nul = data.find(b"\x00")  # anywhere: a text draft never holds one
    if nul >= 0:
        if _looks_like_utf16(head):
            return None, (
                "the file looks like UTF-16 without a byte-order mark: save it as UTF-8 "
                "(or UTF-16 with a BOM)"
            )
        line = data[:nul].count(b"\n") + 1
        return None, (
            f"binary file (it holds NUL bytes, the first at byte {nul}, line {line}): "
            "not a text draft"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, (f"not valid UTF-8 (byte {exc.start}, line {line}): save the file as UTF-8")


def _looks_like_utf16(head: bytes) -> bool:
    """Mostly-ASCII text in UTF-16 has a NUL in every other byte, and nowhere else."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return False
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            return True
    return False


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(post: Post) -> None:
    """A JSON escape such as \\ud800 with no partner is not a character: it cannot be encoded,
    so every check would fail on it. Replace each with U+FFFD (one for one, offsets stay)."""
    first = LONE_SURROGATE.search(post.text)
    if first is None:
        return
    post.text = LONE_SURROGATE.sub("\ufffd", post.text)
    post.read_problems.append(
        ReadProblem(
            "the text holds a broken \\u escape (half of a surrogate pair): it was read as "
            "\ufffd; fix the character in the source",
            post.location(first.start()),
        )
    )


def reader_for(path: str) -> str | None:
    return READERS.get(Path(path).suffix.lower())


def read_text(path: str, text: str, options: ReadOptions, kind: str | None = None) -> ReadResult:
    """Read already-decoded text as the format of ``kind`` (a suffix) or of ``path``."""
    module_name = READERS.get((kind or Path(path).suffix).lower(), READERS[".md"])
    module = importlib.import_module(module_name)
    try:
        posts, problems = module.read(path, text, options)
        for post in posts:
            replace_lone_surrogates(post)
        if len(posts) > options.max_posts:  # readers that cannot stop early (JSON, YAML)
            problems = [
                *problems,
                ReadProblem(
                    too_many_posts(len(posts), options), posts[options.max_posts].location(0)
                ),
            ]
            posts = posts[: options.max_posts]
    except RecursionError:
        return ReadResult(
            path, [], [ReadProblem("the file is nested too deeply to read", Location(path))]
        )
    return ReadResult(path, posts, problems)


# JSON and YAML are parsed whole and cost tens of bytes of memory per byte of file, so they
# get a lower limit than CSV: 16 MB is about 200,000 short posts, far past max-posts-per-file.
MAX_STRUCTURED_BYTES = 16_000_000


def size_limit(name: str) -> int:
    """The largest file postlint reads for this kind of draft."""
    reader = READERS.get(Path(name).suffix.lower(), READERS[".md"])
    if reader == READERS[".md"]:
        return MAX_TEXT_BYTES
    return MAX_STRUCTURED_BYTES if reader == READERS[".json"] else MAX_DATA_BYTES


def read_path(path: Path, options: ReadOptions) -> ReadResult:
    name = str(path)
    limit = size_limit(name)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            return ReadResult(
                name,
                [],
                [ReadProblem("not a regular file: postlint reads files only", Location(name))],
            )
        size = info.st_size
        if size > limit:
            return ReadResult(
                name,
                [],
                [
                    ReadProblem(
                        f"the file is {size:,} bytes, over postlint's limit of {limit:,} for this "
                        "kind of file: split it",
                        Location(name),
                    )
                ],
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return ReadResult(
            name, [], [ReadProblem("the file disappeared before it could be read", Location(name))]
        )
    except OSError as exc:
        return ReadResult(
            name, [], [ReadProblem(f"cannot read the file: {exc.strerror}", Location(name))]
        )
    text, reason = decode(data, name)
    if text is None:
        return ReadResult(name, [], [ReadProblem(reason or "unreadable", Location(name))])
    if options.media_root is None:
        options = ReadOptions(**{**options.__dict__, "media_root": path.parent})
    return read_text(name, text, options)
