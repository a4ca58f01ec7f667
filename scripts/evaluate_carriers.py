"""Carrier sets against their hand-read gold (``corpora/carriers/<carrier>/carrier_gold.yaml``):
combined absences and contradictions, precision and recall.

Usage: python scripts/evaluate_carriers.py [--rules-only] [--out models/carriers_report.json]

Each carrier folder's documents are analysed, grouped by the carrier they name, and compared
with the gold. A predicted contradiction is right when it is of the gold's kind, joins the gold's
two documents and its statements cover the two quoted sentences (in either order; on the second
side, one of the places it lists); the gold's near misses are never right. Recall counts the gold
contradictions found. ``--gold corpora/carriers_blind`` measures the held-out sets.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from analyzer.compare.carriers import combined_absences, contradictions, group_documents
from analyzer.pipeline import Analyzer

ROOT = Path(__file__).resolve().parents[1]
CARRIERS = ROOT / "corpora" / "carriers"


def _overlaps(start: int, end: int, span: tuple[int, int]) -> bool:
    return start < span[1] and span[0] < end


def _span(texts: dict[str, str], side: dict) -> tuple[str, tuple[int, int]]:
    """Where a gold quote stands in the document's text (a quote not found there stays
    unmatched: (-1, -1))."""
    start = texts[side["file"]].find(side["quote"])
    return side["file"], ((start, start + len(side["quote"])) if start >= 0 else (-1, -1))


def evaluate(rules_only: bool = False, root: Path = CARRIERS) -> dict:
    analyzer = Analyzer(rules_only=rules_only, cache=False)
    report: dict = {"carriers": {}, "contradictions": {"tp": 0, "predicted": 0, "gold": 0, "found": 0}}
    absent_counts = {"tp": 0, "predicted": 0, "gold": 0}
    for gold_file in sorted(root.glob("*/carrier_gold.yaml")):
        gold = yaml.safe_load(gold_file.read_text("utf-8"))
        folder = gold_file.parent
        documents = [(entry["file"], analyzer.analyze(folder / entry["file"])) for entry in gold["documents"]]
        texts = {name: doc.document.text for name, doc in documents}
        sets = group_documents(documents)
        grouped = [sorted(n for n, _ in s.documents) for s in sets]
        carrier = max(sets, key=lambda s: len(s.documents))
        absent, _ = combined_absences(carrier)
        predicted_absent = {a["label"] for a in absent}
        gold_absent = {a["label"] for a in gold.get("absent", [])}
        absent_counts["tp"] += len(predicted_absent & gold_absent)
        absent_counts["predicted"] += len(predicted_absent)
        absent_counts["gold"] += len(gold_absent)

        wanted = [
            (g["kind"], _span(texts, g["a"]), _span(texts, g["b"])) for g in gold.get("contradictions", [])
        ]
        found = contradictions(carrier)
        right, hit = [], set()
        for c in found:
            sides_a = [(s.document, (s.frame.start, s.frame.end)) for s in [c.a, *c.a_also]]
            sides_b = [(s.document, (s.frame.start, s.frame.end)) for s in [c.b, *c.b_also]]
            ok = False
            for index, (kind, a, b) in enumerate(wanted):
                if kind != c.topic:
                    continue
                for x, y in ((a, b), (b, a)):
                    if any(
                        p[0] == x[0] and q[0] == y[0] and _overlaps(*p[1], x[1]) and _overlaps(*q[1], y[1])
                        for p in sides_a
                        for q in sides_b
                    ):
                        ok = True
                        hit.add(index)
            right.append(ok)
        c_counts = report["contradictions"]
        c_counts["tp"] += sum(right)
        c_counts["predicted"] += len(found)
        c_counts["gold"] += len(wanted)
        c_counts["found"] += len(hit)
        report["carriers"][gold["carrier"]] = {
            "sets": grouped,
            "absent": {"predicted": sorted(predicted_absent), "gold": sorted(gold_absent)},
            "contradictions": {
                "gold": len(wanted),
                "found": sorted(hit),
                "predicted": [{**c.as_dict(), "right": ok} for c, ok in zip(found, right, strict=True)],
            },
        }
    c = report["contradictions"]
    report["contradictions"]["precision"] = round(c["tp"] / c["predicted"], 3) if c["predicted"] else None
    report["contradictions"]["recall"] = round(c["found"] / c["gold"], 3) if c["gold"] else None
    report["absent"] = {
        **absent_counts,
        "precision": round(absent_counts["tp"] / absent_counts["predicted"], 3)
        if absent_counts["predicted"]
        else None,
        "recall": round(absent_counts["tp"] / absent_counts["gold"], 3) if absent_counts["gold"] else None,
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument("--gold", type=Path, default=CARRIERS, help="a folder of carrier folders")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "carriers_report.json")
    args = parser.parse_args()
    report = evaluate(args.rules_only, args.gold)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("contradictions", "absent")}, ensure_ascii=False, indent=1))
    for carrier, entry in report["carriers"].items():
        print(carrier, "sets:", entry["sets"])


if __name__ == "__main__":
    main()
