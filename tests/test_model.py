"""The shipped clause model: built from the committed data, and as good as its card says.

The model is trained by ``scripts/train.py`` on ``corpora/clauses/train.jsonl`` only; the
held-out split (``heldout.jsonl``, whole drafting groups never seen in training) measures it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.detect.engine import DetectionEngine, load_bundle
from analyzer.detect.training import fingerprint, load_corpus, predict_labels
from analyzer.evaluation.labels import label_metrics
from analyzer.taxonomy import problem_labels

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "clause_model.joblib"
TRAIN = ROOT / "corpora" / "clauses" / "train.jsonl"
HELDOUT = ROOT / "corpora" / "clauses" / "heldout.jsonl"

# Regression guards on the committed held-out split and the second blind real-style split
# (measured: held-out macro F1 0.860, weakest problem label 0.67 — opt_out_obstruction —, hard
# negatives flagged 5.2%; blind 2 macro F1 0.848, hard negatives 3.3%, secrecy labels 0.71–0.83;
# models/MODEL_CARD.md, models/clause_report.json). A margin under each measured figure: the
# product targets (secrecy labels ≥ 0.80, macro ≥ 0.88, hard negatives ≤ 5%) are not all met yet,
# and the card says which. Sample documents: problem-label precision and recall at document level.
# 0.847 measured on the held-out split of 1,583 clauses (it grew by 114 real-document hard
# negatives and positives): the real-document round traded 0.007–0.014 of macro F1 on the style
# splits for problem precision on a fresh field check of real documents (0.58 → 0.68)
HELDOUT_MACRO_F1_PROBLEM = 0.84
HELDOUT_MIN_PROBLEM_F1 = 0.65
HELDOUT_MAX_FPR_HARD_NEGATIVES = 0.05
HELDOUT_MIN_SECRECY_F1 = 0.75
# blind splits whose errors were never read: the fourth (macro F1 0.891, hard negatives 3.2% when
# first measured; 0.887 / 3.2% now) and the fifth, written after the article-route round (0.844 /
# 2.8% when first measured; its secrecy labels are far under target, models/MODEL_CARD.md)
BLIND_GUARDS = {
    "blind_real_4.jsonl": (0.86, 0.05),
    "blind_real_5.jsonl": (0.83, 0.04),
}
SECRECY = [
    "secrecy_waiver_condition",
    "excess_use_condition",
    "terms_bundled_consent",
    "unconsented_secondary_use",
]
# 0.966 measured (precision 0.958): a route stated in a later paragraph that speaks of the
# earlier ones (「前各項に定める利用の停止を求めることはできません」) covers them
DOCUMENT_RECALL_PROBLEM = 0.95
DOCUMENT_PRECISION_PROBLEM = 0.80


@pytest.fixture(scope="module")
def bundle() -> dict:
    loaded = load_bundle(MODEL)
    assert loaded is not None, "models/clause_model.joblib is missing: run scripts/train.py"
    return loaded


def test_model_was_trained_on_the_committed_data_rules_and_parameters(bundle: dict) -> None:
    meta = bundle["meta"]
    assert meta["fingerprint"] == fingerprint(TRAIN, meta["params"]), (
        "the model is older than its training data, rules or parameters: run scripts/train.py"
    )
    assert meta["training_lines"] == len(load_corpus(TRAIN).texts)


@pytest.fixture(scope="module")
def heldout_metrics(bundle: dict) -> dict:
    corpus = load_corpus(HELDOUT)
    predicted = predict_labels(DetectionEngine(bundle), corpus.inputs)
    return label_metrics(corpus.labels, predicted, corpus.hard_negative)


def test_heldout_macro_f1_over_problem_labels(heldout_metrics: dict) -> None:
    assert heldout_metrics["macro_f1_problem"] >= HELDOUT_MACRO_F1_PROBLEM


def test_no_problem_label_is_weak_on_heldout(heldout_metrics: dict) -> None:
    weak = {
        label: heldout_metrics["per_label"][label]["f1"]
        for label in problem_labels()
        if heldout_metrics["per_label"][label]["f1"] < HELDOUT_MIN_PROBLEM_F1
    }
    assert weak == {}


def test_hard_negatives_are_rarely_flagged(heldout_metrics: dict) -> None:
    assert heldout_metrics["hard_negatives"] >= 100
    assert heldout_metrics["false_positive_rate_hard_negatives"] <= HELDOUT_MAX_FPR_HARD_NEGATIVES


def test_secrecy_labels_on_heldout(heldout_metrics: dict) -> None:
    weak = {
        label: heldout_metrics["per_label"][label]["f1"]
        for label in SECRECY
        if heldout_metrics["per_label"][label]["f1"] < HELDOUT_MIN_SECRECY_F1
    }
    assert weak == {}


@pytest.mark.parametrize("split", sorted(BLIND_GUARDS))
def test_blind_real_style_split(bundle: dict, split: str) -> None:
    """The unread blind splits, written from real documents' drafting by writers who saw no
    model, rule or training clause."""
    corpus = load_corpus(ROOT / "corpora" / "clauses" / "blind" / split)
    assert len(corpus.texts) >= 300 and sum(corpus.hard_negative) >= 100
    metrics = label_metrics(
        corpus.labels, predict_labels(DetectionEngine(bundle), corpus.inputs), corpus.hard_negative
    )
    macro_floor, hard_negative_ceiling = BLIND_GUARDS[split]
    assert metrics["macro_f1_problem"] >= macro_floor
    assert metrics["false_positive_rate_hard_negatives"] <= hard_negative_ceiling


def test_document_level_precision_and_recall_on_the_sample_documents(sample_evaluation) -> None:
    report = sample_evaluation[0]["document_level"]
    assert report["problem_labels_recall"] >= DOCUMENT_RECALL_PROBLEM
    assert report["problem_labels_precision"] >= DOCUMENT_PRECISION_PROBLEM


def test_findings_name_their_method_and_rule() -> None:
    from analyzer.pipeline import analyze_file

    document = analyze_file(ROOT / "corpora" / "documents" / "kirara_wifi_terms.txt")
    findings = [f for c in document.iter_clauses() for f in c.findings]
    assert {f.method for f in findings} <= {"model", "rule+model"} | {f"rule:{f.rule}" for f in findings}
    both = [f for f in findings if f.method == "rule+model"]
    assert both and all(f.rule for f in both)
    assert all(f.rule is None for f in findings if f.method == "model")
    assert all(0.0 < f.confidence <= 1.0 for f in findings)
