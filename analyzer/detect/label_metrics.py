"""Multi-label metrics for clause findings: per label, micro, macro, false positives on none."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.taxonomy import all_labels, good_practice_labels, problem_labels


def read_labelled(path: Path) -> list[dict]:
    """Lines of a corpus-format JSONL file (``text`` and ``labels`` required)."""
    rows = []
    known = set(all_labels())
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnalyzerError(
            f"{path} を読めません: {exc}", f"cannot read {path}: {exc}", path=str(path)
        ) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row["text"], str) or not isinstance(row["labels"], list):
                raise TypeError("text must be a string and labels a list")
            labels = row["labels"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise AnalyzerError(
                f"{path}:{number} 行目が不正です（text と labels が必要です）",
                f"{path}:{number}: invalid line (needs text and labels): {exc}",
                path=str(path),
            ) from exc
        unknown = [label for label in labels if label not in known]
        if unknown:
            raise AnalyzerError(
                f"{path}:{number} 行目に未知のラベル {unknown}",
                f"{path}:{number}: unknown labels {unknown}",
                path=str(path),
            )
        rows.append(row)
    return rows


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def label_metrics(
    truth: Sequence[Iterable[str]],
    predicted: Sequence[Iterable[str]],
    hard_negative: Sequence[bool] | None = None,
) -> dict:
    """Per-label precision/recall/F1/support, micro F1, macro F1 over problem and good-practice
    labels (labels with support only), the share of label-less lines given any label, and —
    when ``hard_negative`` marks lines — the share of hard negatives given a problem label."""
    truth_sets = [set(t) for t in truth]
    predicted_sets = [set(p) for p in predicted]
    per_label = {}
    totals = [0, 0, 0]
    for label in all_labels():
        tp = sum(1 for t, p in zip(truth_sets, predicted_sets, strict=True) if label in t and label in p)
        fp = sum(1 for t, p in zip(truth_sets, predicted_sets, strict=True) if label not in t and label in p)
        fn = sum(1 for t, p in zip(truth_sets, predicted_sets, strict=True) if label in t and label not in p)
        precision, recall, f1 = _prf(tp, fp, fn)
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
            "predicted": tp + fp,
        }
        totals[0] += tp
        totals[1] += fp
        totals[2] += fn

    def macro(ids: list[str]) -> float:
        scored = [per_label[label]["f1"] for label in ids if per_label[label]["support"]]
        return round(sum(scored) / len(scored), 4) if scored else 0.0

    none_lines = [p for t, p in zip(truth_sets, predicted_sets, strict=True) if not t]
    flagged_none = sum(1 for p in none_lines if p)
    problem = set(problem_labels())
    hard = [
        p
        for p, flag in zip(predicted_sets, hard_negative or [False] * len(predicted_sets), strict=True)
        if flag
    ]
    result = {
        "per_label": per_label,
        "micro_f1": round(_prf(*totals)[2], 4),
        "macro_f1_problem": macro(problem_labels()),
        "macro_f1_good": macro(good_practice_labels()),
        "false_positive_rate_none": round(flagged_none / len(none_lines), 4) if none_lines else 0.0,
        "lines": len(truth_sets),
        "none_lines": len(none_lines),
    }
    if hard:
        result["false_positive_rate_hard_negatives"] = round(
            sum(1 for p in hard if p & problem) / len(hard), 4
        )
        result["hard_negatives"] = len(hard)
    return result
