"""``--fix`` and ``--diff``: apply the mechanical fixes that findings carry.

A fix names offsets in the post's text. ``post.source_map`` turns them into offsets in the
file; where the map is not exact (a space that YAML folding made from a line break) the fix
is skipped. The replacement is written the way the text is written in the file: escaped
inside a JSON or YAML double-quoted string, quotes doubled in a quoted CSV cell, and the
file's own line ends in a Markdown draft.

Fixes never overlap in one pass (the first wins; the rest wait for the next pass). After
each pass the new source is read again and every post's text must be exactly the expected
one, else that post's fixes are dropped: a fix can never garble a file. Passes repeat until
nothing changes (at most ``MAX_PASSES``). Files are written atomically (a temporary file in
the same folder, then ``os.replace``), in their own encoding, BOM and line ends, and not at
all if they changed on disk since they were read. Front matter and everything outside the
fixed spans stays byte for byte.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from postlint.findings import Fix
from postlint.model import Post
from postlint.pipeline import Pipeline
from postlint.readers import ReadOptions, decode, jsonscan, read_text, size_limit

MAX_PASSES = 5


@dataclass
class Edit:
    """One fix, placed in the source."""

    post: int  # index of the post in the file's read order
    start: int  # text offsets
    end: int
    text: str  # the replacement in the text
    source_start: int
    source_end: int
    source_text: str  # the replacement as written in the source


@dataclass
class FixResult:
    path: str
    original: str  # decoded source before any fix
    fixed: str  # decoded source after the fixes
    applied: int = 0  # fixes applied
    skipped: int = 0  # fixes that could not be placed exactly in the source (last pass)
    error: str | None = None  # why the file was not written
    written: bool = False
    descriptions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the change (empty when nothing changes)."""
        if not self.changed:
            return ""
        before = _lines(self.original)
        after = _lines(self.fixed)
        name = _display_name(self.path)
        old, new = (f"a/{name}", f"b/{name}") if not Path(name).is_absolute() else (name, name)
        lines = list(difflib.unified_diff(before, after, old, new))
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines split at "\n" only (splitlines would also split at U+2028 inside a post)."""
    return [line for line in re.split(r"(?<=\n)", text) if line]


def _display_name(path: str) -> str:
    """The path relative to the working folder when it is inside it (as git shows it)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


# --- writing a replacement the way the source writes text --------------------------------


def _newline(source: str) -> str:
    return "\r\n" if source.count("\r\n") * 2 > source.count("\n") else "\n"


def encode_replacement(escape: str | None, replacement: str, newline: str) -> str | None:
    """The replacement as it must appear in the source, or None if it cannot be written
    there without changing the structure of the file (a line break in a plain cell...)."""
    if escape is None:
        return replacement.replace("\n", newline) if newline != "\n" else replacement
    if escape in {"json", "yaml-double"}:
        return jsonscan.encode(replacement)  # JSON escapes are valid in YAML double quotes
    if escape == "yaml-single":
        return None if "\n" in replacement else replacement.replace("'", "''")
    if escape in {"yaml-plain", "yaml-literal", "yaml-folded"}:
        return None if "\n" in replacement or "\r" in replacement else replacement
    if escape == "csv-quoted":
        return replacement.replace('"', '""').replace("\n", newline)
    if escape.startswith("csv-plain:"):
        delimiter = escape.split(":", 1)[1]
        if any(c in replacement for c in (delimiter, '"', "\n", "\r")):
            return None
        return replacement
    return None


def decode_source(escape: str | None, raw: str) -> str | None:
    """What a span of the source reads as in the text (None if it cannot be decoded)."""
    if escape is None:
        return raw.replace("\r\n", "\n")
    if escape == "json":
        return jsonscan.decode(raw)
    if escape == "yaml-double":
        if "\n" in raw:
            return None
        try:
            value = yaml.safe_load(f'"{raw}"')
        except yaml.YAMLError:
            return None
        return value if isinstance(value, str) else None
    if escape == "yaml-single":
        return None if "\n" in raw else raw.replace("''", "'")
    if escape == "csv-quoted":
        return raw.replace('""', '"').replace("\r\n", "\n")
    return None if "\n" in raw else raw


def place(post: Post, fix: Fix, source: str, newline: str, number: int) -> Edit | None:
    """Where ``fix`` goes in the source, or None when that cannot be known exactly."""
    source_map = post.source_map
    if not 0 <= fix.start <= fix.end <= len(post.text):
        return None
    start = source_map.source_offset(fix.start)
    end = start if fix.end == fix.start else source_map.source_offset(fix.end)
    if end is None and fix.end > fix.start:
        # The character after the span has no source (a folded line break): end the span
        # just after its last character instead.
        last = source_map.source_offset(fix.end - 1)
        end = None if last is None else last + 1
    if start is None or end is None or not 0 <= start <= end <= len(source):
        return None
    if decode_source(source_map.escape, source[start:end]) != post.text[fix.start : fix.end]:
        return None
    written = encode_replacement(source_map.escape, fix.replacement, newline)
    if written is None:
        return None
    return Edit(number, fix.start, fix.end, fix.replacement, start, end, written)


def choose(edits: list[Edit]) -> tuple[list[Edit], int]:
    """Non-overlapping edits, in order: the first wins; returns (chosen, how many wait).

    Two insertions at the same place conflict too (their order would be a guess). Sorted by
    start, an edit overlaps an earlier one exactly when it starts before the furthest end.
    """
    chosen: list[Edit] = []
    waiting = 0
    furthest = -1
    last_insertion = -1
    for edit in sorted(edits, key=lambda e: (e.source_start, e.source_end)):
        start, end = edit.source_start, edit.source_end
        if start < furthest or (start == end == last_insertion):
            waiting += 1
            continue
        chosen.append(edit)
        furthest = max(furthest, end)
        if start == end:
            last_insertion = start
    return chosen, waiting


def apply_edits(text: str, edits: list[Edit], source: bool = True) -> str:
    """Apply non-overlapping edits (sorted) to the source, or to a post's text."""
    parts = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.source_start, e.source_end)):
        start, end = (edit.source_start, edit.source_end) if source else (edit.start, edit.end)
        replacement = edit.source_text if source else edit.text
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _wanted(fix: Fix, unsafe: bool) -> bool:
    return fix.safe or unsafe


# --- the fixed-point loop --------------------------------------------------------------


def fix_text(
    name: str,
    text: str,
    pipeline: Pipeline,
    options: ReadOptions,
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Fix a decoded draft in memory, re-linting between passes."""
    result = FixResult(name, text, text)
    newline = _newline(text)
    current = text
    for _ in range(max_passes):
        read = read_text(name, current, options)
        if not read.posts:
            break
        edits: list[Edit] = []
        skipped = 0
        for number, post in enumerate(read.posts):
            findings = pipeline.lint_post(post).findings
            placed = []
            for finding in findings:
                fixes = [f for f in finding.fixes if _wanted(f, unsafe)]
                if not fixes:
                    continue
                fix = fixes[0]
                if post.text[fix.start : fix.end] == fix.replacement:
                    continue  # already as the fix wants it
                edit = place(post, fix, current, newline, number)
                if edit is None:
                    skipped += 1
                    continue
                placed.append((edit, fix.description or finding.message))
            for edit, description in placed:
                edits.append(edit)
                result.descriptions.append(description)
        result.skipped = skipped
        chosen, _waiting = choose(edits)
        if not chosen:
            break
        candidate, chosen = _verified(name, current, read.posts, chosen, options)
        if not chosen:
            break
        result.applied += len(chosen)
        current = candidate
    result.fixed = current
    return result


def _verified(
    name: str, source: str, posts: list[Post], edits: list[Edit], options: ReadOptions
) -> tuple[str, list[Edit]]:
    """Apply ``edits``; keep only those whose posts read back exactly as expected.

    If the whole batch reads back wrong, each post's edits are tried alone and only the
    posts whose edits are right on their own are kept (then checked together once more).
    """
    candidate, bad = _check(name, source, posts, edits, options)
    if not bad:
        return candidate, edits
    groups: dict[int, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(edit.post, []).append(edit)
    kept: list[Edit] = []
    for number, group in groups.items():
        if (number in bad or bad == {-1}) and _check(name, source, posts, group, options)[1]:
            continue
        kept.extend(group)
    if not kept:
        return source, []
    candidate, bad = _check(name, source, posts, kept, options)
    return (candidate, kept) if not bad else (source, [])


def _check(
    name: str, source: str, posts: list[Post], edits: list[Edit], options: ReadOptions
) -> tuple[str, set[int]]:
    """The edited source, and the posts that do not read back as expected ({-1}: the
    file no longer reads as the same posts at all)."""
    candidate = apply_edits(source, edits)
    reread = read_text(name, candidate, options)
    if len(reread.posts) != len(posts) or reread.problems:
        return candidate, {-1}
    bad = set()
    for number in {e.post for e in edits}:
        expected = apply_edits(posts[number].text, [e for e in edits if e.post == number], False)
        if reread.posts[number].text != expected:
            bad.add(number)
    return candidate, bad


# --- files ------------------------------------------------------------------------------


def _encoding(data: bytes) -> tuple[str, bytes]:
    """The codec and BOM the file was written with, to write it back the same way."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return codec, bom
    return "utf-8", b""


def fix_bytes(
    data: bytes,
    name: str,
    pipeline: Pipeline,
    options: ReadOptions,
    *,
    unsafe: bool = False,
) -> tuple[bytes, FixResult]:
    """Fix a draft held in bytes; returns the new bytes (the same object if unchanged)."""
    text, reason = decode(data, name)
    if text is None:
        return data, FixResult(name, "", "", error=reason)
    result = fix_text(name, text, pipeline, options, unsafe=unsafe)
    if not result.changed:
        return data, result
    codec, bom = _encoding(data)
    return bom + result.fixed.encode(codec), result


def write_atomically(path: Path, data: bytes, expected: bytes, mtime_ns: int) -> str | None:
    """Replace ``path`` with ``data`` unless it changed since it was read; the reason if not."""
    target = Path(os.path.realpath(path))  # write through a symlink, keep the link
    try:
        info = target.stat()
        if info.st_mtime_ns != mtime_ns or target.read_bytes() != expected:
            return "the file changed on disk while postlint was fixing it: not written"
    except OSError as exc:
        return f"cannot read the file again before writing: {exc.strerror}"
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".postlint-tmp", dir=target.parent
        )
    except OSError as exc:
        return f"cannot write beside the file: {exc.strerror}"
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, info.st_mode & 0o7777)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return f"cannot write the fixed file: {exc.strerror}"
    return None


def fix_file(
    path: Path,
    pipeline: Pipeline,
    options: ReadOptions,
    *,
    unsafe: bool = False,
    write: bool = True,
) -> FixResult:
    """Fix one file; with ``write`` it is replaced atomically when something changed."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return FixResult(name, "", "", error="not a regular file: nothing to fix")
        if info.st_size > size_limit(name):
            return FixResult(name, "", "", error="the file is over postlint's size limit: split it")
        data = path.read_bytes()
    except OSError as exc:
        return FixResult(name, "", "", error=f"cannot read the file: {exc.strerror}")
    new, result = fix_bytes(data, name, pipeline, options, unsafe=unsafe)
    if write and result.changed and result.error is None:
        result.error = write_atomically(path, new, data, info.st_mtime_ns)
        result.written = result.error is None
    return result
