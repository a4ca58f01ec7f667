"""The clause detector as one scikit-learn estimator: the trained classifier, the rules and the
frame checks, combined as the engine combines them (``combine.py``).

``ClauseModel.fit(X, Y, groups)`` reads every clause's frames and rule hits once, fits the
classifier (``classifier.py``) and measures on the same training lines what the combination
needs: the precision of every rule and frame check where its finding could be reported (a rule
or check whose precision is high stands alone; Laplace-smoothed, so a rule with few hits earns
less trust) and the model's own out-of-fold F1. ``predict`` runs the detection engine, so
``sklearn.model_selection.cross_validate`` with ``GroupKFold`` scores the shipped detector:
rules, frames, model, gates and profile (``scripts/cross_validate.py``).

``build_estimator()`` makes the shipped configuration from ``analyzer/data/clause_model.yaml``;
nested parameters change one part (``classifier__C``, ``classifier__features__rules="drop"``,
``classifier=None`` for rules and frame checks alone).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from analyzer import settings
from analyzer.detect.classifier import CascadeClassifier, ClauseClassifier
from analyzer.detect.clause_features import ClauseSample, as_sample, clause_features
from analyzer.detect.distilled import DistilledEmbeddings
from analyzer.detect.frame_checks import run_checks
from analyzer.detect.label_metrics import label_metrics
from analyzer.detect.roles import allowed_problem_labels, clause_role
from analyzer.taxonomy import all_labels, problem_labels


def _laplace(correct: int, fired: int) -> float:
    return round((correct + 1) / (fired + 2), 3)


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = float(np.sum(predicted & (truth == 1)))
    fp = float(np.sum(predicted & (truth == 0)))
    fn = float(np.sum(~predicted & (truth == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


class ClauseModel(ClassifierMixin, BaseEstimator):
    """Rules, frame checks and the clause classifier, combined (one column per taxonomy label).

    Parameters
    ----------
    classifier : a :class:`ClauseClassifier` (cloned in ``fit``), or None for rules and frame
        checks alone (each then stands on its own, as ``analyzer analyze --rules-only``).
    rules : a :class:`~analyzer.detect.rule_engine.RuleEngine`; None: the shipped rules.
    frame_reader : a :class:`~analyzer.detect.frames.FrameReader`; None: the shipped frames.
    profile : the reporting profile ``predict`` applies (combination.yaml; None: the default).
    """

    def __init__(self, classifier=None, rules=None, frame_reader=None, profile: str | None = None) -> None:
        self.classifier = classifier
        self.rules = rules
        self.frame_reader = frame_reader
        self.profile = profile

    @property
    def labels_(self) -> list[str]:
        return all_labels()

    def _engines(self):
        from analyzer.detect.frames import default_reader
        from analyzer.detect.rule_engine import default_engine

        return self.rules or default_engine(), self.frame_reader or default_reader()

    def read(self, X) -> list[ClauseSample]:
        """The clauses with their frames and the labels their rules found, read once."""
        rules, reader = self._engines()
        out = []
        for value in X:
            sample = as_sample(value)
            frames = sample.frames
            if frames is None:
                frames = tuple(reader.read_input(sample.clause))
            found = sample.rule_labels
            if found is None:
                found = frozenset(hit.label for hit in rules.run(sample.clause.text))
            out.append(ClauseSample(sample.clause, frames, found, sample.hard_negative))
        return out

    def fit(self, X, Y: np.ndarray, groups: Sequence[str] | None = None) -> ClauseModel:
        samples = self.read(X)
        truth = np.asarray(Y, dtype=int)
        if truth.shape != (len(samples), len(self.labels_)):
            raise ValueError(f"Y must be ({len(samples)}, {len(self.labels_)}), got {truth.shape}")
        column = {label: i for i, label in enumerate(self.labels_)}
        rules, _ = self._engines()
        fired: dict[str, list[int]] = {rule.id: [] for rule in rules.rules}
        label_of = {rule.id: rule.label for rule in rules.rules}
        for row, sample in enumerate(samples):
            for hit in rules.run(sample.clause.text):
                fired[hit.rule.id].append(row)
        self.rule_precision_ = {
            rule_id: _laplace(sum(truth[row, column[label_of[rule_id]]] for row in rows), len(rows))
            for rule_id, rows in fired.items()
        }
        checks: dict[str, list[int]] = {}
        check_label: dict[str, str] = {}
        for row, sample in enumerate(samples):
            # a check is measured where its finding could be reported: a label the clause's role
            # rules out (an item of a prohibited-acts list) is never a finding, right or wrong
            role, list_role = clause_role(sample.clause)
            allowed = allowed_problem_labels(sample.clause, role, list_role)
            for check, _ in run_checks(list(sample.frames or ())):
                if allowed is not None and check.label not in allowed:
                    continue
                checks.setdefault(check.id, []).append(row)
                check_label[check.id] = check.label
        self.frame_check_precision_ = {
            check_id: _laplace(sum(truth[row, column[check_label[check_id]]] for row in rows), len(rows))
            for check_id, rows in checks.items()
        }
        self.classifier_: ClauseClassifier | CascadeClassifier | None = None
        self.model_oof_f1_: dict[str, float] = {}
        if self.classifier is not None:
            classifier = clone(self.classifier).set_params(labels=self.labels_)
            classifier.fit(samples, truth, groups=groups)
            thresholds = getattr(classifier, "oof_thresholds_", np.array(classifier.thresholds_))
            predicted = classifier.oof_proba_ >= thresholds
            self.model_oof_f1_ = {
                label: round(_f1(predicted[:, i], truth[:, i]), 4) for label, i in column.items()
            }
            # as large as the training set; not needed to predict
            del classifier.oof_proba_
            if hasattr(classifier, "oof_thresholds_"):
                del classifier.oof_thresholds_
            self.classifier_ = classifier
        return self

    def engine(self, profile: str | None = None):
        """The detection engine of this fitted model (``profile``: None keeps ``self.profile``)."""
        from analyzer.detect.engine import DetectionEngine

        return DetectionEngine(
            self if self.classifier_ is not None else None,
            rules=self.rules,
            frames=self.frame_reader,
            profile=profile or self.profile,
        )

    def predict_labels(self, X) -> list[set[str]]:
        """The labels found on each clause."""
        clauses = [as_sample(x).clause for x in X]
        return [{d.label for d in decisions} for decisions in self.engine().detect(clauses)]

    def predict(self, X) -> np.ndarray:
        """``(n_clauses, n_labels)`` 0/1: the findings the engine reports."""
        column = {label: i for i, label in enumerate(self.labels_)}
        out = np.zeros((len(X), len(column)), dtype=int)
        for row, found in enumerate(self.predict_labels(X)):
            for label in found:
                out[row, column[label]] = 1
        return out

    def score(self, X, y, sample_weight=None) -> float:
        """Macro F1 over the problem labels (the headline figure of the model card)."""
        return clause_scores(self, X, y)["macro_f1_problem"]

    def summary(self) -> dict:
        """What the model card and ``clause_model.json`` report of a fitted model."""
        out = {
            "model_oof_f1": self.model_oof_f1_,
            "rule_precision": self.rule_precision_,
            "frame_check_precision": self.frame_check_precision_,
            "params": self.params_summary(),
        }
        for name in ("fingerprint", "training_lines", "training_file"):
            if hasattr(self, f"{name}_"):
                out[name] = getattr(self, f"{name}_")
        return out

    def params_summary(self) -> dict:
        """The estimator's parameters that are plain values (JSON), nested by their path."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in sorted(self.get_params(deep=True).items())
            if value is None or isinstance(value, str | int | float | bool | tuple)
        }


def clause_scores(estimator: ClauseModel, X, Y) -> dict[str, float]:
    """Scorer for ``cross_validate``: micro F1, macro F1 over problem and good-practice labels,
    the false-positive rates on unlabelled clauses and on hard negatives, and F1 per problem
    label — in the estimator's profile, and (``recall:`` keys) in the recall profile, which lets
    the model report every label alone."""
    samples = [as_sample(x) for x in X]
    truth = np.asarray(Y)
    labels = estimator.labels_
    expected = [{labels[j] for j in np.flatnonzero(row)} for row in truth]
    hard = [s.hard_negative for s in samples]
    out: dict[str, float] = {}
    clauses = [s.clause for s in samples]
    for prefix, profile in (("", None), ("recall:", "recall")):
        found = [{d.label for d in decisions} for decisions in estimator.engine(profile).detect(clauses)]
        metrics = label_metrics(expected, found, hard)
        for key in ("micro_f1", "macro_f1_problem", "macro_f1_good", "false_positive_rate_none"):
            out[prefix + key] = metrics[key]
        if "false_positive_rate_hard_negatives" in metrics:
            out[prefix + "false_positive_rate_hard_negatives"] = metrics["false_positive_rate_hard_negatives"]
        for label in problem_labels():
            out[f"{prefix}f1:{label}"] = metrics["per_label"][label]["f1"]
    return out


def build_estimator(overrides: dict | None = None) -> ClauseModel:
    """The shipped configuration (``clause_model.yaml``) with nested-parameter ``overrides``.
    The key ``cascade`` (True or False) overrides whether the fast model screens for the full
    one; ``classifier=None`` is rules and frame checks alone."""
    config = settings.clause_model()
    labels = all_labels()
    overrides = dict(overrides or {})
    cascade = overrides.pop("cascade", bool(config.get("cascade")))
    if overrides.get("classifier", "keep") is None:
        rest = {k: v for k, v in overrides.items() if not k.startswith("classifier")}
        return ClauseModel(classifier=None).set_params(**rest)
    full = ClauseClassifier(
        features=clause_features(config["features"], labels), labels=labels, **config["classifier"]
    )
    if not cascade:
        return ClauseModel(classifier=full).set_params(**overrides)
    fast_features = clause_features(config["features"], labels)
    distilled = config["cascade"].get("distilled")
    if distilled:
        # e5's vectors predicted from n-grams and static word vectors (distilled.py)
        fast_features.set_params(
            embeddings=DistilledEmbeddings(
                chars=config["features"]["chars"], lemmas=config["features"]["lemmas"], **distilled
            )
        )
    else:
        fast_features.set_params(embeddings__embedder=config["cascade"]["fast_embedder"])
    fast = ClauseClassifier(features=fast_features, labels=labels, **config["classifier"])
    classifier = CascadeClassifier(
        fast=fast, full=full, labels=labels, max_f1_loss=float(config["cascade"]["max_f1_loss"])
    )
    return ClauseModel(classifier=classifier).set_params(**overrides)
