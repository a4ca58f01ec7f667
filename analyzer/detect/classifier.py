"""The trained clause classifier: a composite scikit-learn estimator whose ``features`` (a
``FeatureUnion``, ``clause_features.py``) feed one calibrated logistic regression per label.

``fit(X, Y, groups)`` with ``Y`` an ``(n, n_labels)`` 0/1 matrix. For every label: out-of-fold
decision scores (``cross_val_predict`` over grouped folds, so near-twin clauses never sit on both
sides) fit a Platt calibrator and choose the F-beta-best threshold; when ``C`` is a sequence, each
label keeps the value whose out-of-fold predictions score best, so the choice is made inside
``fit`` and never sees the data it is evaluated on; then the final model is fitted on all data.
``predict_proba`` returns calibrated probabilities, ``predict`` applies the per-label thresholds.
The calibration settings and the threshold grid are in ``clause_model.yaml`` (``calibration``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold, cross_val_predict

from analyzer import settings
from analyzer.detect.clause_features import as_sample, normalized_texts


def f_beta(predicted: np.ndarray, truth: np.ndarray, beta: float) -> float:
    b2 = beta * beta
    tp = float(np.sum(predicted & (truth == 1)))
    fp = float(np.sum(predicted & (truth == 0)))
    fn = float(np.sum(~predicted & (truth == 1)))
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0


def threshold_grid() -> np.ndarray:
    grid = settings.clause_model()["calibration"]["threshold_grid"]
    # the half step keeps ``stop`` in the grid despite floating-point steps
    return np.arange(grid["start"], grid["stop"] + grid["step"] / 2, grid["step"])


def best_threshold(
    probabilities: np.ndarray, truth: np.ndarray, beta: float = 1.0, smoothing: int | None = None
) -> float:
    """The threshold of the grid that maximises F-beta on out-of-fold probabilities
    (beta < 1 weighs precision more: a wrong flag on a compliant clause costs trust), the F-beta
    of each threshold averaged with its ``smoothing`` neighbours on either side (None:
    ``clause_model.yaml``): out-of-fold F-beta is flat near its best and noisy, and a lone peak
    moved a label's threshold by 0.15 between two trainings on nearly the same data."""
    if smoothing is None:
        smoothing = int(settings.clause_model()["calibration"].get("threshold_smoothing", 0))
    grid = threshold_grid()
    scores = np.array([f_beta(probabilities >= threshold, truth, beta) for threshold in grid])
    if smoothing > 0:
        smoothed = np.array(
            [scores[max(0, i - smoothing) : i + smoothing + 1].mean() for i in range(len(scores))]
        )
    else:
        smoothed = scores
    if not smoothed.max() > 0:
        return 0.5
    # the first of equal bests (the lowest threshold), as before
    return float(grid[int(np.argmax(smoothed > smoothed.max() - 1e-9))])


class ClauseClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label classifier of clauses.

    Parameters
    ----------
    features : the transformer from clauses to a feature matrix (cloned in ``fit``); its
        parameters are nested (``features__embeddings__embedder``, ``features__rules="drop"``).
    labels : label ids, one per column of ``Y``.
    C : inverse regularisation strength of each logistic regression; a sequence of values
        means one is chosen per label by out-of-fold F1 (``chosen_C_`` after ``fit``).
    threshold_beta : the F-beta each label's threshold maximises (1.0: F1).
    n_folds : folds for the out-of-fold calibration and thresholds.
    random_state : seed of the solver and of the fold shuffling when no groups are given.
    """

    def __init__(
        self,
        features=None,
        labels: Sequence[str] = (),
        C: float | Sequence[float] = 4.0,
        threshold_beta: float = 1.0,
        n_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.labels = labels
        self.C = C
        self.threshold_beta = threshold_beta
        self.n_folds = n_folds
        self.random_state = random_state

    def fit(self, X, Y: np.ndarray, groups: Sequence[str] | None = None) -> ClauseClassifier:
        if self.features is None:
            raise ValueError("ClauseClassifier needs a features transformer (clause_model.build_estimator)")
        samples = [as_sample(x) for x in X]
        if groups is not None:
            # a cross-fitted feature block (distilled.py) folds by the same groups
            samples = [replace(s, group=str(g)) for s, g in zip(samples, groups, strict=True)]
        Y = np.asarray(Y, dtype=int)
        if Y.shape != (len(samples), len(self.labels)):
            raise ValueError(f"Y must be ({len(samples)}, {len(self.labels)}), got {Y.shape}")
        self.features_ = clone(self.features)
        features = sparse.csr_matrix(self.features_.fit_transform(samples))
        if groups is not None and len(set(groups)) >= self.n_folds:
            folds = list(GroupKFold(n_splits=self.n_folds).split(samples, groups=groups))
        else:
            folds = list(KFold(self.n_folds, shuffle=True, random_state=self.random_state).split(samples))
        calibration = settings.clause_model()["calibration"]
        constant = float(calibration["constant_logit"])
        # out-of-fold calibrated probabilities: the calibrators, the thresholds, and the
        # measured precision of the model alone (clause_model.py)
        self.oof_proba_ = np.zeros(Y.shape)
        self.models_: list[LogisticRegression | None] = []
        self.calibrators_: list[tuple[float, float]] = []
        self.thresholds_: list[float] = []
        grid = [float(c) for c in (self.C if isinstance(self.C, Sequence) else [self.C])]
        self.chosen_C_: list[float] = []
        for column in range(len(self.labels)):
            truth = Y[:, column]
            if any(len(set(truth[train])) < 2 for train, _ in folds):
                # too few of one class to learn from in some fold: a constant probability
                self.models_.append(None)
                self.calibrators_.append((0.0, -constant if truth.sum() * 2 < len(truth) else constant))
                self.thresholds_.append(0.5)
                self.chosen_C_.append(grid[0])
                continue
            best: tuple[float, float, tuple[float, float], float, np.ndarray] | None = None
            for c in grid:
                scores = cross_val_predict(
                    self._new_model(c), features, truth, cv=folds, method="decision_function"
                )
                platt = LogisticRegression(C=float(calibration["platt_C"])).fit(scores.reshape(-1, 1), truth)
                calibrator = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
                probabilities = 1 / (1 + np.exp(-(calibrator[0] * scores + calibrator[1])))
                threshold = best_threshold(probabilities, truth, self.threshold_beta)
                score = f_beta(probabilities >= threshold, truth, 1.0)
                if best is None or score > best[0] + 1e-9:
                    best = (score, c, calibrator, threshold, probabilities)
            assert best is not None
            _, c, calibrator, threshold, probabilities = best
            self.oof_proba_[:, column] = probabilities
            self.calibrators_.append(calibrator)
            self.thresholds_.append(threshold)
            self.chosen_C_.append(c)
            self.models_.append(self._shrunk(self._new_model(c).fit(features, truth)))
        self.n_features_ = features.shape[1]
        return self

    @staticmethod
    def _shrunk(model: LogisticRegression) -> LogisticRegression:
        """The fitted model with its coefficients kept in single precision: half the size on disk
        and in memory; decision scores move by about 1e-7, far below any threshold's step."""
        model.coef_ = model.coef_.astype(np.float32)
        return model

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

    def decision_function(self, X) -> np.ndarray:
        features = self.features_.transform(list(X))
        out = np.zeros((features.shape[0], len(self.labels)))
        for column, model in enumerate(self.models_):
            out[:, column] = model.decision_function(features) if model is not None else 0.0
        return out

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, ``(n_clauses, n_labels)``."""
        scores = self.decision_function(X)
        slopes = np.array([c[0] for c in self.calibrators_])
        intercepts = np.array([c[1] for c in self.calibrators_])
        return 1 / (1 + np.exp(-(scores * slopes + intercepts)))

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= np.array(self.thresholds_)).astype(int)

    def ngram_vectors(self, texts: Sequence[str]):
        """``texts`` in the classifier's character n-gram space (a sparse matrix; the nearest
        training examples of ``explain``)."""
        return (
            self.features_.named_transformers["chars"].named_steps["tfidf"].transform(normalized_texts(texts))
        )

    def probabilities_and_thresholds(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities and the threshold each is compared with, both
        ``(n_clauses, n_labels)`` (here every row has the same thresholds)."""
        probabilities = self.predict_proba(X)
        return probabilities, np.broadcast_to(np.array(self.thresholds_), probabilities.shape)


def macro_f1(predicted: np.ndarray, truth: np.ndarray, columns: Sequence[int]) -> float:
    return (
        float(np.mean([f_beta(predicted[:, c], truth[:, c], 1.0) for c in columns])) if len(columns) else 0.0
    )


class CascadeClassifier(ClassifierMixin, BaseEstimator):
    """Two clause classifiers in a cascade: ``fast`` (static embeddings: the cost of a lookup
    per word) reads every clause; ``full`` (the e5 encoder) reads only the clauses on which some
    label's fast probability lies within ``band_`` of its threshold — where the cheap reading
    could go either way.

    ``fit`` fits both on the same grouped folds and chooses ``band_`` on their out-of-fold
    probabilities: the narrowest band whose cascade loses at most ``max_f1_loss`` of the full
    model's out-of-fold macro F1 over the problem labels. Nothing of the choice sees held-out
    data. ``routed_fraction_`` is the share of training clauses the band sends to ``full``.
    """

    def __init__(self, fast=None, full=None, labels: Sequence[str] = (), max_f1_loss: float = 0.005) -> None:
        self.fast = fast
        self.full = full
        self.labels = labels
        self.max_f1_loss = max_f1_loss

    def fit(self, X, Y: np.ndarray, groups: Sequence[str] | None = None) -> CascadeClassifier:
        from analyzer.taxonomy import problem_labels

        samples = list(X)
        truth = np.asarray(Y, dtype=int)
        self.fast_ = clone(self.fast).set_params(labels=self.labels).fit(samples, truth, groups=groups)
        self.full_ = clone(self.full).set_params(labels=self.labels).fit(samples, truth, groups=groups)
        fast_p, fast_t = self.fast_.oof_proba_, np.array(self.fast_.thresholds_)
        full_p, full_t = self.full_.oof_proba_, np.array(self.full_.thresholds_)
        problems = [i for i, label in enumerate(self.labels) if label in set(problem_labels())]
        target = macro_f1(full_p >= full_t, truth, problems) - self.max_f1_loss
        margin = np.abs(fast_p - fast_t).min(axis=1)  # per clause: the label nearest its threshold
        self.band_ = float(margin.max()) + 1e-9
        for quantile in np.arange(0.0, 1.0001, 0.01):
            band = float(np.quantile(margin, quantile)) if quantile > 0 else 0.0
            routed = margin < band
            probabilities = np.where(routed[:, None], full_p, fast_p)
            thresholds = np.where(routed[:, None], full_t, fast_t)
            if macro_f1(probabilities >= thresholds, truth, problems) >= target:
                self.band_ = band
                break
        routed = margin < self.band_
        self.routed_fraction_ = round(float(routed.mean()), 4)
        self.oof_proba_ = np.where(routed[:, None], full_p, fast_p)
        self.oof_thresholds_ = np.where(routed[:, None], full_t, fast_t)
        del self.fast_.oof_proba_, self.full_.oof_proba_  # as large as the training set
        return self

    def probabilities_and_thresholds(
        self,
        X,
        band: float | None = None,
        labels: Sequence[str] | None = None,
        routable: Sequence[bool] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and thresholds of the cascade; ``band`` overrides ``band_`` (0: the
        fast model alone, no encoder at all); ``labels`` routes only on the margins of these
        labels (None: every label); ``routable`` marks the rows that may go to the encoder at
        all (None: every row)."""
        band = self.band_ if band is None else band
        samples = list(X)
        probabilities, thresholds = self.fast_.probabilities_and_thresholds(samples)
        probabilities, thresholds = probabilities.copy(), np.array(thresholds)
        wanted = set(self.labels if labels is None else labels)
        columns = [i for i, label in enumerate(self.labels) if label in wanted]
        margins = np.abs(probabilities - thresholds)[:, columns]
        near = margins.min(axis=1) < band if samples and columns else np.zeros(len(samples), dtype=bool)
        if routable is not None:
            near &= np.asarray(routable, dtype=bool)
        routed = np.flatnonzero(near)
        self.last_routed_ = len(routed)
        if len(routed):
            full_p, full_t = self.full_.probabilities_and_thresholds([samples[i] for i in routed])
            probabilities[routed] = full_p
            thresholds[routed] = full_t
        return probabilities, thresholds

    def predict_proba(self, X) -> np.ndarray:
        return self.probabilities_and_thresholds(X)[0]

    def predict(self, X) -> np.ndarray:
        probabilities, thresholds = self.probabilities_and_thresholds(X)
        return (probabilities >= thresholds).astype(int)

    def decision_function(self, X) -> np.ndarray:
        """The fast model's scores: enough to rank the sentences of one clause (the evidence)."""
        return self.fast_.decision_function(X)

    @property
    def thresholds_(self) -> list[float]:
        return list(self.full_.thresholds_)

    def ngram_vectors(self, texts: Sequence[str]):
        return self.full_.ngram_vectors(texts)
