"""Measure A001's hashtag segmentation: how often multi-word hashtags are flagged with the
right split, and how often single words (or hashtags already in CamelCase) are flagged.

    .venv/bin/python benchmarks/hashtag_eval.py              # development half
    .venv/bin/python benchmarks/hashtag_eval.py --heldout    # held-out half (report this)
    .venv/bin/python benchmarks/hashtag_eval.py --errors     # list the development errors
    .venv/bin/python benchmarks/hashtag_eval.py --boun FILE  # a BOUN-format gold file
    .venv/bin/python benchmarks/hashtag_eval.py --dictionary # common words as hashtags

The sample (benchmarks/data/hashtags_sample.tsv) is split in two by a hash of each
hashtag: about 60% to tune on, 40% held out. Tune only against the development half and
quote the held-out figures. A BOUN file (ardax/hashtag-segmentor, Test-BOUN: one gold
segmentation per line, words separated by spaces) is general Twitter, not NHS comms; it is
read lower-cased, as A001 sees an all-lower-case hashtag.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks.hashtags import segment_hashtag  # noqa: E402

SAMPLE = Path(__file__).resolve().parent / "data" / "hashtags_sample.tsv"
HELDOUT_PERCENT = 40


@dataclass
class Item:
    hashtag: str
    gold: tuple[str, ...]  # lower-case tokens; () for "already CamelCase"
    kind: str  # multi, single, camel

    @property
    def heldout(self) -> bool:
        return zlib.crc32(self.hashtag.encode()) % 100 < HELDOUT_PERCENT


@dataclass
class Score:
    multi: int = 0
    right: int = 0
    flagged_wrong_split: int = 0
    single: int = 0
    single_flagged: int = 0
    camel: int = 0
    camel_flagged: int = 0
    errors: list[str] = field(default_factory=list)

    def report(self, title: str) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f}%" if b else "n/a"

        return (
            f"{title}\n"
            f"  multi-word hashtags flagged with the right split: {self.right}/{self.multi}"
            f" = {pct(self.right, self.multi)}"
            f" (flagged with another split: {self.flagged_wrong_split})\n"
            f"  single-word hashtags flagged: {self.single_flagged}/{self.single}"
            f" = {pct(self.single_flagged, self.single)}\n"
            f"  CamelCase hashtags flagged: {self.camel_flagged}/{self.camel}"
            f" = {pct(self.camel_flagged, self.camel)}"
        )


def load_sample(path: Path = SAMPLE) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hashtag, gold, kind = line.split("\t")
        items.append(Item(hashtag, tuple(gold.split()) if kind != "camel" else (), kind))
    return items


def load_boun(path: Path) -> list[Item]:
    """BOUN gold file: one segmentation per line; the hashtag is the lower-cased
    concatenation. Apostrophe splits are joined back ("don t" is the word "dont")."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = _join_clitics([w.lower() for w in line.split()])
        if not words:
            continue
        hashtag = "".join(words)
        # Gold tokens as A001 tokenises: digits apart from letters.
        tokens: list[str] = []
        for word in words:
            tokens.extend(_digit_split(word))
        alpha = [t for t in tokens if t[:1].isalpha()]
        items.append(Item(hashtag, tuple(tokens), "multi" if len(alpha) >= 2 else "single"))
    return items


CLITICS = {"t", "s", "m", "ll", "re", "ve", "d"}


def _join_clitics(words: list[str]) -> tuple[str, ...]:
    """BOUN writes "don't" as "don t"; in a hashtag it is one word: #DontGiveUp."""
    out: list[str] = []
    for word in words:
        if word in CLITICS and out and out[-1][-1:].isalpha():
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


def _digit_split(word: str) -> list[str]:
    out: list[str] = []
    for ch in word:
        if out and out[-1][-1].isdigit() == ch.isdigit():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def evaluate(items: list[Item]) -> Score:
    score = Score()
    for item in items:
        verdict = segment_hashtag(item.hashtag)
        if item.kind == "multi":
            score.multi += 1
            if verdict.multiword and verdict.words == item.gold:
                score.right += 1
            else:
                if verdict.multiword:
                    score.flagged_wrong_split += 1
                got = " ".join(verdict.words) if verdict.multiword else "(not flagged)"
                score.errors.append(
                    f"multi  #{item.hashtag}: want {' '.join(item.gold)!r}, got {got!r}"
                )
        elif item.kind == "single":
            score.single += 1
            if verdict.multiword:
                score.single_flagged += 1
                score.errors.append(f"single #{item.hashtag}: flagged as {verdict.camel!r}")
        else:
            score.camel += 1
            if verdict.multiword:
                score.camel_flagged += 1
                score.errors.append(f"camel  #{item.hashtag}: flagged as {verdict.camel!r}")
    return score


def dictionary_report(show: bool) -> str:
    """Single dictionary words are the bulk of real single-word hashtags: how many would
    A001 flag? (A few of the list are run-together words themselves, such as 'eachother'.)"""
    import wordfreq

    words = [w for w in wordfreq.top_n_list("en", 50000) if w.isalpha() and len(w) >= 5]
    flagged = [w for w in words if segment_hashtag(w).multiword]
    lines = [
        f"wordfreq's commonest words (5+ letters) used as hashtags: {len(flagged)}/{len(words)}"
        f" = {100 * len(flagged) / len(words):.2f}% flagged"
    ]
    if show:
        lines.append("  " + " ".join(flagged))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out half")
    parser.add_argument("--all", action="store_true", help="score the whole sample")
    parser.add_argument("--errors", action="store_true", help="list the errors")
    parser.add_argument("--boun", type=Path, help="also score a BOUN-format gold file")
    parser.add_argument(
        "--dictionary",
        action="store_true",
        help="false flags on wordfreq's 50,000 commonest words (5+ letters) used as hashtags",
    )
    args = parser.parse_args(argv)
    items = load_sample()
    if not args.all:
        items = [i for i in items if i.heldout == args.heldout]
    started = time.perf_counter()
    score = evaluate(items)
    title = "whole sample" if args.all else ("held-out half" if args.heldout else "dev half")
    print(score.report(f"{SAMPLE.name}, {title} ({len(items)} hashtags)"))
    if args.errors:
        print("\n".join("  " + e for e in score.errors))
    if args.boun:
        boun = evaluate(load_boun(args.boun))
        print(boun.report(f"{args.boun.name} (lower-cased)"))
        if args.errors:
            print("\n".join("  " + e for e in boun.errors))
    if args.dictionary:
        print(dictionary_report(args.errors))
    print(f"  ({time.perf_counter() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
