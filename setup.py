"""Packaging hook: a wheel carries the trained model inside the package.

The model files are built into ``models/`` by ``scripts/`` (see models/MODEL_CARD.md); a built
wheel copies them to ``analyzer/_models/`` so that an installed analyzer finds its model without
the source checkout (``analyzer/model_files.py``). Editable installs read ``models/`` directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("clause_model.joblib", "clause_model.json", "label_prototypes.npz", "static_embeddings.npz")
# the model's training clauses, for the nearest examples `analyzer explain` quotes
TRAINING = Path("corpora") / "clauses" / "train.jsonl"


class BuildWithModel(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = Path(__file__).resolve().parent / "models"
        target = Path(self.build_lib) / "analyzer" / "_models"
        target.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED:
            if not (source / name).is_file():
                raise SystemExit(f"models/{name} is missing: build it with scripts/train.py first")
            shutil.copy2(source / name, target / name)
        training = source.parent / TRAINING
        if not training.is_file():
            raise SystemExit(f"{TRAINING} is missing: build it with scripts/build_clause_corpus.py")
        shutil.copy2(training, target / TRAINING.name)


setup(cmdclass={"build_py": BuildWithModel})
