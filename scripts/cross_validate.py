"""Grouped 5-fold cross-validation of the clause detector, with the ablations of the model card.

Usage: python scripts/cross_validate.py [--configs hybrid,rules_only,...] [--out models/cv_report.json]

``sklearn.model_selection.cross_validate`` with ``GroupKFold`` on the shipped estimator
(``build_estimator()``; each ablation is a nested-parameter override of it): every configuration
is fitted on four folds of drafting groups and scored on the fifth. Reported: the mean and
standard deviation over the five folds, and the per-label metrics of the pooled out-of-fold
predictions. Writes the JSON report and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from analyzer.atomic import write_atomic
from analyzer.detect.training import CONFIGS, cross_validate, load_corpus
from analyzer.taxonomy import labels

ROOT = Path(__file__).resolve().parents[1]


def markdown(report: dict) -> str:
    names = [name for name in report if not name.startswith("_")]
    lines = [
        "| configuration | micro F1 | macro F1 (problem) | macro F1 (good) | FPR none | FPR hard neg. |",
        "|---|---|---|---|---|---|",
    ]
    keys = (
        "micro_f1",
        "macro_f1_problem",
        "macro_f1_good",
        "false_positive_rate_none",
        "false_positive_rate_hard_negatives",
    )
    for name in names:
        mean, std = report[name]["fold_mean"], report[name]["fold_std"]
        for prefix, profile in (("", "screening"), ("recall:", "recall")):
            cells = [
                f"{mean[prefix + k]:.3f} ± {std[prefix + k]:.3f}" if prefix + k in mean else "–" for k in keys
            ]
            lines.append(f"| {name}, {profile} | " + " | ".join(cells) + " |")
    best = "hybrid" if "hybrid" in report else names[0]
    lines += [
        "",
        f"Per label ({best}, pooled out-of-fold predictions; screening, then recall profile):",
        "",
        "| label | 日本語 | precision | recall | F1 | recall profile: P | R | F1 | support |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    screening, recall = report[best]["pooled"]["per_label"], report[best]["pooled_recall"]["per_label"]
    for label, scores in screening.items():
        other = recall[label]
        lines.append(
            f"| {label} | {labels()[label].ja} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1']:.3f} | {other['precision']:.3f} | {other['recall']:.3f} | {other['f1']:.3f} | "
            f"{scores['support']} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Grouped 5-fold cross-validation of the clause detector "
        "(about an hour per configuration on 2 cores)."
    )
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGS),
        help=f"comma-separated configurations (default: all of {', '.join(CONFIGS)})",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "models" / "cv_report.json", help="JSON report to write"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.configs.split(",") if name not in CONFIGS]
    if unknown:
        parser.error(f"unknown configuration(s): {', '.join(unknown)} (known: {', '.join(CONFIGS)})")
    chosen = {name: CONFIGS[name] for name in args.configs.split(",")}
    out = args.out
    corpus = load_corpus(
        ROOT / "corpora" / "clauses" / "train.jsonl", ROOT / "corpora" / "clauses" / "heldout.jsonl"
    )
    started = time.perf_counter()
    report = cross_validate(corpus, chosen)
    report["_seconds"] = round(time.perf_counter() - started, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
