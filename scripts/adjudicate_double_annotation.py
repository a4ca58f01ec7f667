"""Agreement and majority decisions of the blind double annotation of the consent-route labels.

Usage: python scripts/adjudicate_double_annotation.py [--write]

Reads ``corpora/clauses/double_annotation/{candidates,annot_A,annot_B}.jsonl`` and the labels the
corpus had before the adjudication (parts and every review but
``review/z_double_annotation_consent.jsonl``), prints Cohen's κ per label, and with ``--write``
rewrites that review file: for each clause and label, the majority of three (original, A, B).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "corpora" / "clauses" / "double_annotation"
REVIEW = ROOT / "corpora" / "clauses" / "review" / "z_double_annotation_consent.jsonl"
LABELS = [
    "secrecy_waiver_condition",
    "terms_bundled_consent",
    "excess_use_condition",
    "unconsented_secondary_use",
]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def labels_before_adjudication() -> dict[str, set[str]]:
    """The corpus labels as written and reviewed, before the adjudication itself (the same
    add/remove steps as scripts/build_clause_corpus.py, in the same file order)."""
    labels: dict[str, set[str]] = {}
    for path in sorted((ROOT / "corpora" / "clauses" / "parts").glob("*.jsonl")):
        for row in read(path):
            labels[row["id"]] = set(row.get("labels", []))
    for path in sorted((ROOT / "corpora" / "clauses" / "review").glob("*.jsonl")):
        if path == REVIEW:
            continue
        for decision in read(path):
            if decision.get("id") in labels:
                current = labels[decision["id"]] | set(decision.get("add", []))
                labels[decision["id"]] = current - set(decision.get("remove", []))
    return labels


def main(argv: list[str]) -> int:
    ids = [r["id"] for r in read(FOLDER / "candidates.jsonl")]
    a = {r["id"]: r for r in read(FOLDER / "annot_A.jsonl")}
    b = {r["id"]: r for r in read(FOLDER / "annot_B.jsonl")}
    original = labels_before_adjudication()
    decisions = []
    for label in LABELS:
        o = [label in original[i] for i in ids]
        x = [label in a[i]["labels"] for i in ids]
        y = [label in b[i]["labels"] for i in ids]
        print(f"{label}: κ original–A {kappa(o, x):.3f}, original–B {kappa(o, y):.3f}, A–B {kappa(x, y):.3f}")
    for i in ids:
        add, remove = [], []
        for label in LABELS:
            votes = (label in original[i]) + (label in a[i]["labels"]) + (label in b[i]["labels"])
            if votes >= 2 and label not in original[i]:
                add.append(label)
            if votes <= 1 and label in original[i]:
                remove.append(label)
        if add or remove:
            decision: dict = {"id": i}
            if add:
                decision["add"] = add
            if remove:
                decision["remove"] = remove
            decision["reason"] = (
                f"二重ブラインド注釈の多数決（元ラベル・注釈者A・注釈者Bの3票中2票）。"
                f"A:「{a[i]['note']}」 B:「{b[i]['note']}」"
            )
            decisions.append(decision)
    print(f"{len(decisions)} clauses change by majority")
    if "--write" in argv:
        REVIEW.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in decisions), "utf-8")
        print(f"wrote {REVIEW}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
