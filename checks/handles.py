"""Account handles (policy 6.7.9, 6.8 and 6.10): S050-S052.

A personal account must not name the ICB or ICS in its handle (@JoeBloggsMSEICS gives the
wrong impression that the person speaks for the organisation); a departmental account must.
Only the post's own account handle is judged, not the @mentions in the text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex
import yaml
from postlint_checks.hashtags import zipf_frequency

from postlint.check import Check, CheckContext, Example
from postlint.findings import Finding, Severity
from postlint.model import Post

# libyaml's loader when PyYAML was built with it: about ten times faster than the
# pure-Python SafeLoader, and just as safe.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).resolve().parent / "data"
SHARED = "personal-handle-names-organisation"  # the option table both rules read
# CamelCase and underscore parts: "JoeBloggsMSEICS" -> Joe, Bloggs, MSEICS.
PART = regex.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@functools.cache
def _defaults() -> dict[str, Any]:
    with open(DATA / "handles.yaml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER) or {}


def _listed(opts: dict[str, Any], key: str) -> list[str]:
    value = opts.get(key) or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def handle_parts(handle: str) -> list[str]:
    return PART.findall(handle.lstrip("@"))


def _split_acronyms(part: str, acronyms: list[str]) -> bool:
    """True when an all-capitals part is made only of organisation acronyms (MSEICS = MSE+ICS)."""
    if not part:
        return True
    return any(
        part.startswith(a) and _split_acronyms(part[len(a) :], acronyms)
        for a in sorted(acronyms, key=len, reverse=True)
    )


def names_organisation(handle: str, acronyms: list[str], names: list[str]) -> str | None:
    """The part of ``handle`` that names the organisation, or None."""
    bare = handle.strip().lstrip("@")
    squashed = regex.sub(r"[^a-z0-9]", "", bare.lower())
    for name in names:
        if name.lower() in squashed:
            return name
    upper = [a.upper() for a in acronyms]
    for part in handle_parts(bare):
        if part.upper() in upper:
            return part
        if part.isupper() and len(part) > 3 and _split_acronyms(part, upper):
            return part
    # An all-lower-case handle has no parts to split: a separated acronym counts
    # ("joe_bloggs_mse", "mse.pharmacy"), and so does one run on to a name or word
    # ("joebloggsmse", "msejanesmith") when no English word covers it ("physics").
    for piece in regex.split(r"[_.\-\d]+", bare.lower()):
        if piece.upper() in upper:
            return piece
    lower_runs = [p.lower() for p in handle_parts(bare) if not p.isupper() and p.isalpha()]
    for piece in lower_runs:
        found = _run_on_acronym(piece, [a.lower() for a in acronyms])
        if found:
            return found
    return None


# Acronyms that end no English word, so "...mse" or "...icb" at the end of a handle is the
# organisation even after a name the word lists do not know (joebloggsmse). "ics" ends many
# words and some surnames, so it needs a known name or word before it.
DISTINCTIVE = frozenset({"mse", "icb", "mseicb", "mseics", "msehcp"})
MIN_WORD_ZIPF = 2.0  # an English word at least this common may contain the acronym
MIN_TOKEN_ZIPF = 3.0  # a word next to the acronym, as evidence that it is a separate part


@functools.cache
def _names() -> frozenset[str]:
    """Given names and surnames (the personal-data word lists), lower case."""
    words: set[str] = set()
    for name in ("given_names.txt", "surnames.txt"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(line.lower())
    return frozenset(words)


@functools.lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    return zipf_frequency(word)


def _token(word: str) -> bool:
    """A name or an ordinary word, at least three letters long."""
    return len(word) >= 3 and (word in _names() or _zipf(word) >= MIN_TOKEN_ZIPF)


def _inside_word(piece: str, start: int, end: int) -> bool:
    """True when an English word in ``piece`` covers ``start``..``end`` and more
    ("physics"), or a name of four letters or more overlaps it ("williamsemma": Williams,
    Emma; "adamsemily": Adams, Emily)."""
    for left in range(0, start + 1):
        for right in range(end, len(piece) + 1):
            covers = (left, right) != (start, end) and right - left >= 4
            if covers and _zipf(piece[left:right]) >= MIN_WORD_ZIPF:
                return True
    for left in range(0, end):
        for right in range(max(start + 1, left + 4), len(piece) + 1):
            if piece[left:right] in _names():
                return True
    return False


def _run_on_acronym(piece: str, acronyms: list[str]) -> str | None:
    """An organisation acronym run on to other letters in a lower-case ``piece``."""
    for acronym in sorted(acronyms, key=len, reverse=True):
        start = piece.find(acronym)
        while start >= 0:
            end = start + len(acronym)
            before, after = piece[:start], piece[end:]
            if (before or after) and not _inside_word(piece, start, end):
                left = any(_token(before[k:]) for k in range(len(before) - 2))
                right = any(_token(after[:k]) for k in range(3, len(after) + 1))
                if not after and len(before) >= 2 and (acronym in DISTINCTIVE or left):
                    return acronym
                if not before and right:
                    return acronym
                if before and after and left and right:
                    return acronym
            start = piece.find(acronym, start + 1)
    return None


class _HandleCheck(Check):
    policy = "6.7.9 account handles; 6.8 departmental accounts"

    def lists(self, ctx: CheckContext) -> tuple[list[str], list[str]]:
        shared = ctx.options_for(SHARED)
        defaults = _defaults()
        acronyms = list(defaults.get("acronyms") or [])
        names = list(defaults.get("names") or [])
        for opts in (shared, self.opts):
            acronyms += _listed(opts, "extra-acronyms")
            names += _listed(opts, "extra-names")
        return acronyms, names


class PersonalHandleNamesOrganisation(_HandleCheck):
    code = "S050"
    name = "personal-handle-names-organisation"
    severity = Severity.ERROR
    policy = "6.7.9 do not name our ICB or ICS in your personal account handle"
    summary = "A personal account's handle names the ICB or ICS (@JoeBloggsMSEICS)."
    explanation = (
        "Using MSE, Mid and South Essex, ICB, ICS or any variation of the name in a personal "
        "handle gives the wrong impression that you act for the organisation (6.7.9), and an "
        "account that looks official may be reported as impersonation (6.10). Choose a handle "
        "without it, and say who you work for in your profile instead. Handles are split at "
        "capitals and underscores, so @Messenger and @Mseleku are not matches."
    )
    examples = [
        Example(
            bad="---\naccount: {handle: '@JoeBloggsMSEICS', kind: personal}\n---\nProud of "
            "our flu clinic team today.",
            good="---\naccount: {handle: '@JoeBloggsNurse', kind: personal}\n---\nProud of our "
            "flu clinic team today.",
        )
    ]
    options = {"extra-acronyms": [], "extra-names": []}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        handle = post.account.handle
        if post.account.kind != "personal" or not handle:
            return
        acronyms, names = self.lists(ctx)
        part = names_organisation(handle, acronyms, names)
        if part:
            yield self.finding(
                post,
                f"personal account {handle[:40]!r} names the organisation ({part!r}): do not use "
                "MSE, Mid and South Essex, ICB or ICS in a personal handle. Say where you work "
                "in your profile instead.",
                field_name="account",
            )


class DepartmentalHandleLacksOrganisation(_HandleCheck):
    code = "S051"
    name = "departmental-handle-lacks-organisation"
    severity = Severity.WARNING
    policy = "6.7.9 do name our ICB or ICS in departmental account handles"
    summary = "A departmental account's handle does not name the ICB or ICS."
    explanation = (
        "An approved departmental account speaks for the organisation, so its handle should "
        "include the ICB or ICS name (6.7.9), for example @MSEICB_Pharmacy or "
        "@MidSouthEssexMH. The lists of acronyms and names are in checks/data/handles.yaml."
    )
    examples = [
        Example(
            bad="---\naccount: {handle: '@PharmacyTeam', kind: departmental}\n---\nPharmacy "
            "First is open this weekend.",
            good="---\naccount: {handle: '@MSEICB_Pharmacy', kind: departmental}\n---\n"
            "Pharmacy First is open this weekend.",
        )
    ]

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        handle = post.account.handle
        if post.account.kind != "departmental" or not handle:
            return
        acronyms, names = self.lists(ctx)
        if names_organisation(handle, acronyms, names) is None:
            yield self.finding(
                post,
                f"departmental account {handle[:40]!r} does not name the ICB or ICS: include it "
                "(for example @MSEICB_YourTeam) so people know it is official.",
                field_name="account",
            )


class UnapprovedDepartmentalAccount(_HandleCheck):
    code = "S052"
    name = "departmental-account-not-approved"
    severity = Severity.WARNING
    policy = "6.8.1 departmental accounts need approval; 6.10 unauthorised accounts"
    summary = "A departmental account that is not on the configured list of approved accounts."
    explanation = (
        "Departments must not set up accounts without the communications team's approval "
        "(6.8.1); unapproved accounts are contacted and may be reported (6.10). List the "
        "approved departmental handles in [tool.postlint.options."
        "departmental-account-not-approved] approved = ['@MSEICB_Pharmacy', ...]. With no "
        "list configured the rule stays silent."
    )
    examples = [
        Example(
            bad="---\naccount: {handle: '@MSEICB_NewTeam', kind: departmental}\n---\nHello!",
            good="---\naccount: {handle: '@MSEICB_Pharmacy', kind: departmental}\n---\nHello!",
            note="With approved = ['@MSEICB_Pharmacy'].",
        )
    ]
    options = {"approved": []}

    def check(self, post: Post, ctx: CheckContext) -> Iterator[Finding]:
        handle = post.account.handle
        approved = {h.lower().lstrip("@") for h in _listed(self.opts, "approved")}
        if post.account.kind != "departmental" or not handle or not approved:
            return
        if handle.lower().lstrip("@") not in approved:
            yield self.finding(
                post,
                f"departmental account {handle[:40]!r} is not on the approved list: ask the "
                "communications team (msepartnership.comms@nhs.net) before posting from it.",
                field_name="account",
            )


CHECKS = [
    PersonalHandleNamesOrganisation,
    DepartmentalHandleLacksOrganisation,
    UnapprovedDepartmentalAccount,
]
