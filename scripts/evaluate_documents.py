"""Findings on the labelled sample documents, clause level and document level, and the
document checks (absences, guideline items, overreach ranking) against the hand-read gold.

Usage: python scripts/evaluate_documents.py [--rules-only] [--out models/documents_report.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analyzer.evaluation.document_checks import evaluate_document_checks
from analyzer.evaluation.documents import evaluate_documents
from analyzer.taxonomy import labels

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    rules_only = "--rules-only" in argv
    out = (
        Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "documents_report.json"
    )
    analysed: dict = {}
    report = evaluate_documents(
        ROOT / "corpora" / "documents" / "gold.jsonl", rules_only=rules_only, analysed=analysed
    )
    report["document_checks"] = evaluate_document_checks(
        analysed, ROOT / "corpora" / "documents" / "document_gold.yaml"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    clause = report["clause_level"]
    document = report["document_level"]
    print(
        f"clause level: micro F1 {clause['micro_f1']:.3f}, "
        f"macro F1 problem {clause['macro_f1_problem']:.3f}, good {clause['macro_f1_good']:.3f}, "
        f"unlabelled clauses given a label {clause['false_positive_rate_none']:.3f}"
    )
    print(
        f"document level ({document['documents']} documents): problem labels precision "
        f"{document['problem_labels_precision']:.3f}, recall {document['problem_labels_recall']:.3f}"
    )
    print(
        "| label | 日本語 | clause P | clause R | clause support | documents (gold) | found | false alarms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, scores in clause["per_label"].items():
        d = document["per_label"][label]
        print(
            f"| {label} | {labels()[label].ja} | {scores['precision']:.2f} | {scores['recall']:.2f} | "
            f"{scores['support']} | {d['tp'] + d['fn']} | {d['tp']} | {d['fp']} |"
        )
    checks = report["document_checks"]
    print(
        f"document checks: absent precision {checks['absent']['precision']:.3f} recall "
        f"{checks['absent']['recall']:.3f}; raised items precision {checks['raised_items']['precision']:.3f} "
        f"recall {checks['raised_items']['recall']:.3f}; overreach Kendall tau-b "
        f"{checks['overreach_kendall_tau_b']:.3f}; contact check {checks['contact_check_agreement']:.3f}; "
        f"transmission check {checks['transmission_check_agreement']:.3f}"
    )
    for doc_id, row in checks["per_document"].items():
        print(f"  {doc_id}: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
