"""Where the shipped model files are found.

The trained clause model and the label prototypes are built by ``scripts/`` into the repository's
``models/`` folder; a wheel carries the same files inside the package as ``analyzer/_models/``
(``setup.py`` copies them at build time). The lookup order is:

1. ``ANALYZER_MODELS_DIR`` when set (a folder holding ``clause_model.joblib`` …) — and then only
   there: a mistyped folder must not be hidden by a fallback;
2. the files inside the installed package (``analyzer/_models/``);
3. ``models/`` of the source checkout the package is imported from (editable installs, tests).

The package never falls back silently to rules alone: :func:`require` names what is missing and
where it looked.
"""

from __future__ import annotations

import os
from pathlib import Path

from analyzer.errors import AnalyzerError

ENVIRONMENT_VARIABLE = "ANALYZER_MODELS_DIR"
PACKAGED = Path(__file__).resolve().parent / "_models"
CHECKOUT = Path(__file__).resolve().parent.parent / "models"

CLAUSE_MODEL = "clause_model.joblib"
LABEL_PROTOTYPES = "label_prototypes.npz"
STATIC_EMBEDDINGS = "static_embeddings.npz"  # distilled word vectors (the ``static`` embedder)
TRAINING_CLAUSES = "train.jsonl"  # the model's training clauses (explain's nearest examples)
CHECKOUT_TRAINING = CHECKOUT.parent / "corpora" / "clauses" / TRAINING_CLAUSES


def candidates() -> list[Path]:
    """The folders searched, in order."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return [Path(os.environ[ENVIRONMENT_VARIABLE])]
    return [PACKAGED, CHECKOUT]


def models_dir() -> Path:
    """The first searched folder that holds the clause model (else the first searched folder)."""
    searched = candidates()
    for folder in searched:
        if (folder / CLAUSE_MODEL).is_file():
            return folder
    return searched[0]


def path(name: str) -> Path:
    """``name`` (e.g. :data:`CLAUSE_MODEL`) in :func:`models_dir`; it may not exist."""
    return models_dir() / name


def training_clauses() -> Path:
    """The training clauses shipped beside the model, else the checkout's corpus (which may not
    exist: explain then quotes no examples)."""
    shipped = path(TRAINING_CLAUSES)
    return shipped if shipped.is_file() else CHECKOUT_TRAINING


def require(name: str = CLAUSE_MODEL) -> Path:
    """The path of ``name``; :class:`AnalyzerError` naming the folders searched when absent."""
    found = path(name)
    if found.is_file():
        return found
    searched = ", ".join(str(folder) for folder in candidates())
    raise AnalyzerError(
        f"学習済みモデル {name} が見つかりません（探した場所: {searched}）。"
        "scripts/train.py で作成するか、--rules-only でルールだけで判定してください",
        f"trained model {name} not found (searched: {searched}); build it with scripts/train.py, "
        f"set {ENVIRONMENT_VARIABLE}, or pass --rules-only",
    )
