"""The shipped clause model on the held-out split and on the blind real-style split: per-label
precision/recall/F1 (default profile, and the recall profile under ``recall_profile``), hard
negatives flagged, the effect of the gates (roles, secrecy frames) and
of the combination policy, and the calibration of the model's probabilities (a reliability
table: predicted probability in ten bins against the observed share of true labels).

Usage: python scripts/evaluate_clauses.py [--model PATH] [--out models/clause_report.json]

The shipped default reads every clause with the cascade's fast classifier and sends to the e5
classifier the clauses near a threshold of a communications-secrecy label (``encoder.yaml``);
each split also gets ``fast`` and ``thorough``: the same measures with ``--fast`` (no sentence
encoder) and ``--thorough`` (the e5 classifier reads every clause near any label's threshold).

No split is used in training: ``heldout.jsonl`` holds whole drafting groups the model never
saw; ``blind/blind_real.jsonl`` and ``blind/blind_real_2.jsonl`` were written, from real
documents' drafting, by writers who saw neither the model, the rules nor the training clauses.
Blind splits 1–3 were each measured and then read for error analysis (development sets since);
splits 4 and 5 have not been read; split 6 was measured with the model before it, then read for
error analysis (a development set since), and split 5 stays the unread check of that change.
Split 7 (written in document order, so that a line's references back resolve within its
drafting group) was measured with the model before the change that reads those references, and
has not been read. Splits 8 and 9 (document order) were each measured with the model of the
previous stop before any change of the list-and-purpose round; split 8 was then read for error
analysis (a development set since), split 9 was read in the waiver-and-excess round, whose
unread check is split 10 (document order; measured with the model of the previous stop first).
Split 11 (document order) was written for the round that reads unbulleted lists and settles the
consent route over the service's own needs; it was measured with the model of the previous stop
first and has not been read.

A line is read as a clause of its document: the earlier lines of its drafting group are what its
「前項」「第8条」 refer to (``training.line_antecedents``), as in an analysed document.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

from analyzer.detect.engine import DetectionEngine, load_model
from analyzer.detect.label_metrics import label_metrics
from analyzer.detect.training import load_corpus, predict_labels
from analyzer.taxonomy import all_labels

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {
    "heldout": ROOT / "corpora" / "clauses" / "heldout.jsonl",
    "blind_real": ROOT / "corpora" / "clauses" / "blind" / "blind_real.jsonl",
    "blind_real_2": ROOT / "corpora" / "clauses" / "blind" / "blind_real_2.jsonl",
    "blind_real_3": ROOT / "corpora" / "clauses" / "blind" / "blind_real_3.jsonl",
    "blind_real_4": ROOT / "corpora" / "clauses" / "blind" / "blind_real_4.jsonl",
    "blind_real_5": ROOT / "corpora" / "clauses" / "blind" / "blind_real_5.jsonl",
    "blind_real_6": ROOT / "corpora" / "clauses" / "blind" / "blind_real_6.jsonl",
    "blind_real_7": ROOT / "corpora" / "clauses" / "blind" / "blind_real_7.jsonl",
    "blind_real_8": ROOT / "corpora" / "clauses" / "blind" / "blind_real_8.jsonl",
    "blind_real_9": ROOT / "corpora" / "clauses" / "blind" / "blind_real_9.jsonl",
    "blind_real_10": ROOT / "corpora" / "clauses" / "blind" / "blind_real_10.jsonl",
    "blind_real_11": ROOT / "corpora" / "clauses" / "blind" / "blind_real_11.jsonl",
}
SECRECY = [
    "secrecy_waiver_condition",
    "excess_use_condition",
    "terms_bundled_consent",
    "unconsented_secondary_use",
]
BINS = np.linspace(0.0, 1.0, 11)


def reliability(probabilities: np.ndarray, truth: np.ndarray) -> list[dict]:
    """Per probability bin: how many (clause, label) pairs, their mean predicted probability and
    the share that truly carry the label."""
    rows = []
    flat_p, flat_t = probabilities.ravel(), truth.ravel()
    for low, high in pairwise(BINS):
        inside = (flat_p >= low) & ((flat_p < high) if high < 1.0 else (flat_p <= high))
        n = int(inside.sum())
        rows.append(
            {
                "bin": f"{low:.1f}–{high:.1f}",
                "pairs": n,
                "mean_probability": round(float(flat_p[inside].mean()), 4) if n else None,
                "observed": round(float(flat_t[inside].mean()), 4) if n else None,
            }
        )
    return rows


def expected_calibration_error(table: list[dict], total: int) -> float:
    return round(
        sum(r["pairs"] / total * abs(r["mean_probability"] - r["observed"]) for r in table if r["pairs"]), 4
    )


def main(argv: list[str]) -> int:
    model = Path(argv[argv.index("--model") + 1]) if "--model" in argv else None
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "clause_report.json"
    clause_model = load_model(model)
    if clause_model is None:
        print("no model: run scripts/train.py", file=sys.stderr)
        return 2
    engine = DetectionEngine(clause_model)
    # the recall profile lets the model report every label alone (combination.yaml: profiles)
    recall_engine = DetectionEngine(clause_model, profile="recall")
    # the other encoder choices of a cascade, both profiles: --fast (no encoder) and --thorough
    # (the e5 classifier reads every clause near any label's threshold)
    variants = (
        {
            variant: (
                DetectionEngine(clause_model, **{variant: True}),
                DetectionEngine(clause_model, profile="recall", **{variant: True}),
            )
            for variant in ("fast", "thorough")
        }
        if hasattr(clause_model.classifier_, "fast_")
        else {}
    )
    report: dict = {}
    for name, path in SPLITS.items():
        corpus = load_corpus(path)
        inputs = corpus.inputs
        metrics = label_metrics(corpus.labels, predict_labels(engine, inputs), corpus.hard_negative)
        probabilities, thresholds = engine.classifier.probabilities_and_thresholds(inputs)
        truth = corpus.matrix
        table = reliability(probabilities, truth)
        # the model alone (its own thresholds, no rules, no gates): what the combination adds
        model_only = [
            {label for label, p, t in zip(all_labels(), row, limits, strict=True) if p >= t}
            for row, limits in zip(probabilities, thresholds, strict=True)
        ]
        report[name] = {
            "file": str(path.relative_to(ROOT)),
            "metrics": metrics,
            "secrecy_f1": {label: metrics["per_label"][label]["f1"] for label in SECRECY},
            "model_alone": {
                key: value
                for key, value in label_metrics(corpus.labels, model_only, corpus.hard_negative).items()
                if key != "per_label"
            },
            "recall_profile": {
                key: value
                for key, value in label_metrics(
                    corpus.labels, predict_labels(recall_engine, inputs), corpus.hard_negative
                ).items()
                if key != "lines"
            },
            "reliability": table,
            "expected_calibration_error": expected_calibration_error(table, probabilities.size),
        }
        for variant, engines in variants.items():
            report[name][variant] = {
                profile: {
                    key: value
                    for key, value in label_metrics(
                        corpus.labels, predict_labels(variant_engine, inputs), corpus.hard_negative
                    ).items()
                    if key != "lines"
                }
                for profile, variant_engine in zip(("default", "recall"), engines, strict=True)
            }
        m = metrics
        print(
            f"{name}: {m['lines']} lines, macro F1 problem {m['macro_f1_problem']:.3f}, good "
            f"{m['macro_f1_good']:.3f}, hard negatives flagged "
            f"{m.get('false_positive_rate_hard_negatives', 0):.3f} "
            f"({m.get('hard_negatives', 0)}), ECE {report[name]['expected_calibration_error']:.3f}"
        )
        print("  secrecy F1: " + ", ".join(f"{k} {v:.3f}" for k, v in report[name]["secrecy_f1"].items()))
        recall = report[name]["recall_profile"]
        print(
            f"  recall profile: macro F1 problem {recall['macro_f1_problem']:.3f}, hard negatives "
            f"{recall.get('false_positive_rate_hard_negatives', 0):.3f}; secrecy F1 "
            + ", ".join(f"{recall['per_label'][k]['f1']:.3f}" for k in SECRECY)
        )
        for variant in variants:
            other = report[name][variant]
            print(
                f"  --{variant}: macro F1 problem {other['default']['macro_f1_problem']:.3f}, recall "
                f"profile {other['recall']['macro_f1_problem']:.3f}; secrecy F1 (recall) "
                + ", ".join(f"{other['recall']['per_label'][k]['f1']:.3f}" for k in SECRECY)
            )
        alone = report[name]["model_alone"]
        print(
            f"  model alone: macro F1 problem {alone['macro_f1_problem']:.3f}, hard negatives "
            f"{alone.get('false_positive_rate_hard_negatives', 0):.3f}"
        )
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
