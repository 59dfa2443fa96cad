"""An example postlint plugin: one rule, registered through the ``postlint.checks`` group."""

from __future__ import annotations

import re

from postlint.check import Check, Example
from postlint.findings import Fix, Severity

# American term -> the word NHS services use. Matched as whole words, case-insensitively,
# except "ER", which must be in capitals (so "her" or "Er..." are left alone).
DEFAULT_TERMS = {
    "emergency room": "A&E",
    "ER": "A&E",
    "pediatrician": "paediatrician",
    "pediatric": "paediatric",
    "drugstore": "pharmacy",
    "physical therapy": "physiotherapy",
}


class UkHealthTerms(Check):
    code = "Z901"
    name = "uk-health-terms"
    severity = Severity.WARNING
    policy = "House style: NHS terms for a UK audience"
    summary = "American health-service words in a post for UK readers."
    explanation = (
        "People in Mid and South Essex go to A&E, not the ER, and see a paediatrician. "
        "American terms read as careless and can send people to the wrong service."
    )
    examples = [
        Example(
            bad="Only go to the ER in a real emergency.",
            good="Only go to A&E in a real emergency.",
        )
    ]
    fixable = True
    options = {"terms": DEFAULT_TERMS}

    def check(self, post, ctx):
        for term, replacement in self.opts["terms"].items():
            flags = 0 if term.isupper() else re.IGNORECASE
            for match in re.finditer(rf"\b{re.escape(term)}\b", post.text, flags):
                yield self.finding(
                    post,
                    f"Write {replacement!r} for a UK audience, not {match.group()!r}.",
                    match.start(),
                    match.end(),
                    fixes=[Fix(match.start(), match.end(), replacement, f"use {replacement!r}")],
                )


CHECKS = [UkHealthTerms]
