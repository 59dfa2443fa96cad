"""Recall and precision of the personal-data checks (S001-S011) on a labelled set.

    .venv/bin/python benchmarks/pii_eval.py [--data benchmarks/data/pii_labelled.jsonl]
        [--show-misses] [--presidio /path/to/venv/bin/python] [--json]

Each line of the data file is {"text", "entities": [{"type", "text"}], "group"}. Types:
phone, email, nhs (valid NHS numbers, and invalid ones labelled "NHS number"), patient (a
person named with clinical details: S010 must fire) and name (any other person: S010 or
S011). Sentences in the "org-place" and "negative" groups hold no personal data at all.

The sentences run through the real pipeline (the same checks, word lists, allow-list and
spaCy pipeline as ``postlint check``), so the figures are those of the shipped rules. A
gold entity is found when a finding of its type overlaps it; a finding is correct when it
overlaps a gold entity of its type.

``--presidio PYTHON`` runs Microsoft Presidio's AnalyzerEngine in another environment (it
cannot share postlint's: see docs/safety.md) on the same sentences, for comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "pii_labelled.jsonl"
# Which findings count as a prediction of which type.
CODE_TYPES = {
    "S001": {"nhs"},
    "S002": {"phone"},
    "S003": {"email"},
    "S010": {"patient", "name"},
    "S011": {"name"},
}
TYPES = ("phone", "email", "nhs", "name", "patient")
TARGETS = {"phone": 0.95, "email": 0.95, "nhs": 0.95, "name": 0.85, "patient": 0.85}


def load(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        spans = []
        for entity in row["entities"]:
            start = row["text"].find(entity["text"])
            if start < 0:
                raise SystemExit(f"{path}:{number}: {entity['text']!r} is not in the text")
            spans.append((entity["type"], start, start + len(entity["text"])))
        row["spans"] = spans
        rows.append(row)
    return rows


def postlint_predictions(rows: list[dict]) -> list[list[tuple[str, int, int]]]:
    from postlint.config import from_mapping
    from postlint.model import Post, SourceMap
    from postlint.pipeline import Pipeline

    pipeline = Pipeline(from_mapping({"select": sorted(CODE_TYPES)}))
    predictions = []
    for index, row in enumerate(rows):
        text = row["text"]
        post = Post(text=text, path=f"row{index}.md", source_map=SourceMap.for_text("x", text))
        found = []
        for finding in pipeline.lint_post(post).findings:
            for kind in CODE_TYPES.get(finding.code, ()):
                found.append((kind, finding.start or 0, finding.end or 0))
        predictions.append(found)
    return predictions


PRESIDIO_SCRIPT = r"""
import json, sys
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
import spacy.util
model = next(n for n in spacy.util.get_installed_models() if n.startswith("en_core_web"))
provider = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]})
engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
names = {"PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email", "UK_NHS": "nhs", "PERSON": "name"}
for line in sys.stdin:
    text = json.loads(line)
    results = engine.analyze(text=text, language="en")
    print(json.dumps([[names[r.entity_type], r.start, r.end] for r in results
                      if r.entity_type in names and r.score >= 0.4]))
"""


def presidio_predictions(rows: list[dict], python: str) -> list[list[tuple[str, int, int]]]:
    feed = "".join(json.dumps(row["text"]) + "\n" for row in rows)
    done = subprocess.run(
        [python, "-c", PRESIDIO_SCRIPT], input=feed, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"presidio run failed:\n{done.stderr[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    result = []
    for line in lines:
        found = []
        for kind, start, end in json.loads(line):
            found.append((kind, start, end))
            if kind == "name":
                found.append(("patient", start, end))  # Presidio cannot tell patients apart
        result.append(found)
    return result


def overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def gold_of(row: dict, kind: str) -> list[tuple[str, int, int]]:
    if kind == "name":  # every person, patient or not
        return [s for s in row["spans"] if s[0] in ("name", "patient")]
    return [s for s in row["spans"] if s[0] == kind]


def score(rows: list[dict], predictions: list[list[tuple[str, int, int]]]) -> dict:
    table: dict[str, dict[str, int]] = {
        k: {"gold": 0, "found": 0, "predicted": 0, "correct": 0} for k in TYPES
    }
    misses: dict[str, list[str]] = defaultdict(list)
    false_alarms: dict[str, list[str]] = defaultdict(list)
    org_alarms = 0
    for row, predicted in zip(rows, predictions, strict=True):
        for kind in TYPES:
            gold = gold_of(row, kind)
            mine = [p for p in predicted if p[0] == kind]
            table[kind]["gold"] += len(gold)
            table[kind]["predicted"] += len(mine)
            for g in gold:
                if any(overlaps(g, p) for p in mine):
                    table[kind]["found"] += 1
                else:
                    misses[kind].append(row["text"])
            for p in mine:
                if any(overlaps(p, g) for g in gold):
                    table[kind]["correct"] += 1
                else:
                    false_alarms[kind].append(f"{row['text'][p[1] : p[2]]!r} in {row['text']}")
        if "org" in str(row.get("group")):
            org_alarms += sum(1 for p in predicted if p[0] == "name")
    for counts in table.values():
        counts["recall"] = counts["found"] / counts["gold"] if counts["gold"] else 1.0
        counts["precision"] = (
            counts["correct"] / counts["predicted"] if counts["predicted"] else 1.0
        )
    org_rows = sum(1 for r in rows if "org" in str(r.get("group")))
    return {
        "table": table,
        "misses": misses,
        "false_alarms": false_alarms,
        "org_place_sentences": org_rows,
        "org_place_false_names": org_alarms,
    }


def report(title: str, result: dict, show: bool) -> None:
    print(f"\n{title}")
    print(f"{'type':<9}{'gold':>6}{'found':>7}{'recall':>9}{'flagged':>9}{'precision':>11}  target")
    for kind in TYPES:
        c = result["table"][kind]
        target = TARGETS[kind]
        mark = "ok" if c["recall"] >= target else "BELOW"
        print(
            f"{kind:<9}{c['gold']:>6}{c['found']:>7}{c['recall']:>9.1%}{c['predicted']:>9}"
            f"{c['precision']:>11.1%}  recall >= {target:.0%} {mark}"
        )
    print(
        f"names flagged in {result['org_place_sentences']} organisation/place sentences: "
        f"{result['org_place_false_names']}"
    )
    if show:
        for kind in TYPES:
            for text in result["misses"][kind][:15]:
                print(f"  missed {kind}: {text}")
            for text in result["false_alarms"][kind][:15]:
                print(f"  false {kind}: {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--presidio", metavar="PYTHON", help="python of a venv with presidio")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = load(args.data)
    started = time.perf_counter()
    ours = score(rows, postlint_predictions(rows))
    seconds = time.perf_counter() - started
    results = {"postlint": ours}
    if args.presidio:
        results["presidio"] = score(rows, presidio_predictions(rows, args.presidio))
    if args.json:
        print(json.dumps({k: v["table"] for k, v in results.items()}, indent=2))
        return 0
    print(f"{len(rows)} sentences from {args.data.name}; postlint took {seconds:.1f} s")
    report("postlint S001-S011", ours, args.show_misses)
    if "presidio" in results:
        report(
            "Presidio AnalyzerEngine (same spaCy model, default recognisers)",
            results["presidio"],
            args.show_misses,
        )
    below = [k for k in TYPES if ours["table"][k]["recall"] < TARGETS[k]]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
