"""Memos stay bounded over a long batch and still answer every text of a call."""

from __future__ import annotations

import numpy as np

from analyzer.detect import clause_features
from analyzer.detect.embedders import _Cached
from analyzer.memo import BoundedMemo


def test_a_bounded_memo_never_holds_more_than_its_limit() -> None:
    memo: BoundedMemo[int] = BoundedMemo(3)
    for i in range(10):
        memo[f"条項{i}"] = i
        assert len(memo) <= 3
    assert memo["条項9"] == 9
    memo["条項9"] = 90  # replacing a key already there never empties the memo
    assert len(memo) == 1 + (9 % 3) and memo["条項9"] == 90


class _Lengths(_Cached):
    dim = 1

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.array([[float(len(t))] for t in texts])


def test_an_embedder_memo_that_fills_within_one_call_still_returns_every_vector() -> None:
    embedder = _Lengths()
    embedder._cache = BoundedMemo(2)
    texts = ["第1条", "利用者は", "当社は、事前に通知することなく", "第1条"]
    assert embedder.embed(texts)[:, 0].tolist() == [3.0, 4.0, 15.0, 3.0]
    assert len(embedder._cache) <= 2


def test_lemmas_survive_a_memo_that_fills_within_one_call(monkeypatch) -> None:
    monkeypatch.setattr(clause_features, "_LEMMAS", BoundedMemo(1))
    lemmas = clause_features.lemma_texts(["提供しない", "同意した"])
    assert lemmas[0].split()[:2] == ["提供", "する"] and "同意" in lemmas[1]
