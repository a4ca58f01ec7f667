"""Findings on whole sample documents against the labels in their gold file.

Two views: clause level (each gold clause, matched by path, against the labels the analyzer
found on that clause) and document level (the set of labels a document raises anywhere,
which is what a regulator's triage sees).
"""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.detect.label_metrics import label_metrics
from analyzer.model import StructuredDocument
from analyzer.pipeline import analyze_file
from analyzer.taxonomy import all_labels, problem_labels


def evaluate_documents(
    gold_file: Path,
    model: str | Path | None = None,
    rules_only: bool = False,
    analysed: dict[str, StructuredDocument] | None = None,
    profile: str | None = None,
) -> dict:
    """Clause- and document-level label metrics; ``analysed`` (if given) receives each analysed
    document by gold id, for the document-check evaluation to reuse."""
    clause_truth: list[list[str]] = []
    clause_predicted: list[set[str]] = []
    document_truth: list[set[str]] = []
    document_predicted: list[set[str]] = []
    for line in gold_file.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        document = analyze_file(
            gold_file.parent / gold["file"], model=model, rules_only=rules_only, profile=profile
        )
        if analysed is not None:
            analysed[gold["id"]] = document
        found = {clause.path: {f.label for f in clause.findings} for clause in document.iter_clauses()}
        for entry in gold["clauses"]:
            clause_truth.append(entry.get("labels", []))
            clause_predicted.append(found.get(entry["path"], set()))
        document_truth.append({label for entry in gold["clauses"] for label in entry.get("labels", [])})
        document_predicted.append(set().union(*found.values()) if found else set())
    per_label = {}
    for label in all_labels():
        tp = sum(
            1 for t, p in zip(document_truth, document_predicted, strict=True) if label in t and label in p
        )
        fp = sum(
            1
            for t, p in zip(document_truth, document_predicted, strict=True)
            if label not in t and label in p
        )
        fn = sum(
            1
            for t, p in zip(document_truth, document_predicted, strict=True)
            if label in t and label not in p
        )
        per_label[label] = {"tp": tp, "fp": fp, "fn": fn}
    totals = {
        key: sum(v[key] for label, v in per_label.items() if label in problem_labels())
        for key in ("tp", "fp", "fn")
    }
    precision = totals["tp"] / (totals["tp"] + totals["fp"]) if totals["tp"] + totals["fp"] else 0.0
    recall = totals["tp"] / (totals["tp"] + totals["fn"]) if totals["tp"] + totals["fn"] else 0.0
    return {
        "clause_level": label_metrics(clause_truth, clause_predicted),
        "document_level": {
            "documents": len(document_truth),
            "problem_labels_precision": round(precision, 4),
            "problem_labels_recall": round(recall, 4),
            "per_label": per_label,
        },
    }
