"""Label prototypes for topic alignment: the mean embedding of the training clauses that carry
each label, taken relative to the mean of all training clauses. e5 vectors of any two Japanese
legal sentences are close (cosine ≈ 0.9); centring on the corpus mean removes that shared part,
so that what is left points at what the label's clauses have in common."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from analyzer import model_files
from analyzer.taxonomy import all_labels


def data_fingerprint(path: Path, embedder: str) -> str:
    """sha256 of the training lines' text and labels, and the embedder's name."""
    digest = hashlib.sha256(embedder.encode())
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            digest.update(json.dumps([row["text"], sorted(row["labels"])], ensure_ascii=False).encode())
    return digest.hexdigest()


def prototypes_from_vectors(
    rows: list[dict], vectors: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """(centred unit prototype per label, corpus mean) from training rows and their vectors."""
    mean = vectors.mean(axis=0)
    out = {}
    for label in all_labels():
        members = [i for i, r in enumerate(rows) if label in r["labels"]]
        if members:
            direction = vectors[members].mean(axis=0) - mean
            out[label] = (direction / np.linalg.norm(direction)).astype(np.float32)
    return out, mean.astype(np.float32)


def build_prototypes(train_path: Path, embed) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rows = [json.loads(line) for line in train_path.read_text("utf-8").splitlines() if line.strip()]
    return prototypes_from_vectors(rows, embed([r["text"] for r in rows]))


def save_prototypes(
    prototypes: dict[str, np.ndarray], mean: np.ndarray, fingerprint: str, path: Path
) -> None:
    labels = list(prototypes)
    np.savez_compressed(
        path,
        labels=np.array(labels),
        vectors=np.stack([prototypes[k] for k in labels]),
        mean=mean,
        fingerprint=np.array(fingerprint),
    )


def load_prototypes(path: Path | None = None) -> tuple[dict[str, np.ndarray], np.ndarray, str] | None:
    """(prototypes, corpus mean, fingerprint) from ``path`` (default: the shipped file), or None
    when not built."""
    path = path or model_files.path(model_files.LABEL_PROTOTYPES)
    if not path.exists():
        return None
    with np.load(path) as data:
        prototypes = dict(zip([str(x) for x in data["labels"]], data["vectors"], strict=True))
        return prototypes, np.array(data["mean"]), str(data["fingerprint"])
