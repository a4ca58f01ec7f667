"""The distilled sentence vectors of the fast classifier (analyzer/detect/distilled.py): the
dual ridge solution, cross-fitted training vectors, and no teacher at run time. The teacher
here is the static embedder, so the tests never load the e5 encoder."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold

from analyzer.detect import embedders
from analyzer.detect.clause_features import ClauseSample
from analyzer.detect.distilled import DistilledEmbeddings
from analyzer.detect.roles import ClauseInput

CLAUSES = [
    ("当社は、通信履歴を法令に定める場合を除き第三者に提供しません。", "a"),
    ("利用者の位置情報は、本サービスの提供に必要な範囲でのみ利用します。", "a"),
    ("本規約に同意した方に限り、本サービスをご利用いただけます。", "b"),
    ("当社は、事前の通知なく本規約を変更することがあります。", "b"),
    ("通信の内容は、利用者の同意がある場合に限り確認します。", "c"),
    ("料金は、毎月末日までに当社指定の方法でお支払いください。", "c"),
    ("ご契約者は、当社の承諾なく本契約上の地位を譲渡できません。", "d"),
    ("アクセスログは、不正利用の調査のため九十日間保存します。", "d"),
    ("当社は、統計情報に加工したうえで提携先に提供することがあります。", "e"),
    ("お問い合わせは、下記の窓口で受け付けます。", "e"),
    ("閲覧したウェブサイトのURLを、広告配信のために利用します。", "f"),
    ("本サービスの停止により生じた損害について、当社は責任を負いません。", "f"),
]


def samples(with_groups: bool = True) -> list[ClauseSample]:
    return [ClauseSample(ClauseInput(text), group=group if with_groups else None) for text, group in CLAUSES]


def small(**params) -> DistilledEmbeddings:
    settings = {"ngram_range": [1, 2], "min_df": 1, "sublinear_tf": True}
    return DistilledEmbeddings(
        teacher="static", chars=settings, lemmas=settings, n_folds=3, **{"alpha": 0.5, **params}
    )


def test_the_dual_solution_is_the_ridge_regression_without_intercept() -> None:
    rng = np.random.default_rng(0)
    features = sparse.random(30, 200, density=0.1, random_state=1, format="csr")
    targets = rng.normal(size=(30, 4))
    weights = small(alpha=0.7)._solve(features, targets)
    expected = Ridge(alpha=0.7, fit_intercept=False).fit(features.toarray(), targets).coef_.T
    assert weights.shape == (200, 4)
    np.testing.assert_allclose(weights, expected, rtol=1e-4, atol=1e-5)


def test_training_vectors_are_predicted_by_a_map_fitted_without_their_fold() -> None:
    data = samples()
    crossed = small().fit_transform(data).toarray()
    groups = [s.group for s in data]
    for train, test in GroupKFold(n_splits=3).split(data, groups=groups):
        # the map fitted by hand on the other folds, in the basis of the whole fit
        whole = small().fit(data)
        part = small().fit([data[i] for i in train])
        part.mean_, part.components_ = whole.mean_, whole.components_
        part.inputs_, part.coef_ = part._fit_map(
            [data[i] for i in train], whole._targets([data[i] for i in train])
        )
        np.testing.assert_allclose(
            crossed[test], part.transform([data[i] for i in test]).toarray(), atol=1e-5
        )
    # and not the in-sample prediction of the map fitted on everything
    assert not np.allclose(crossed, small().fit(data).transform(data).toarray(), atol=1e-3)


def test_vectors_are_unit_length_in_the_teachers_space_through_the_kept_components() -> None:
    fitted = small(dims=5).fit(samples())
    teacher_dim = embedders.get_embedder("static").dim
    vectors = fitted.transform(["当社は、利用者の通信履歴を保存します。", "料金のお支払い方法"]).toarray()
    assert vectors.shape == (2, teacher_dim)
    assert fitted.coef_.shape[1] == 5 and fitted.components_.shape == (5, teacher_dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert fitted.coef_.dtype == np.float16  # stored in half precision


def test_without_groups_the_folds_are_seeded() -> None:
    first = small().fit_transform(samples(with_groups=False)).toarray()
    again = small().fit_transform(samples(with_groups=False)).toarray()
    np.testing.assert_array_equal(first, again)


def test_the_teacher_never_runs_after_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    fitted = small(inputs="chars+lemmas").fit(samples())

    def refuse(texts):
        raise AssertionError("the teacher ran at prediction time")

    monkeypatch.setattr(embedders.get_embedder("static"), "embed", refuse)
    assert fitted.transform(["通信履歴を第三者に提供します。"]).shape[0] == 1


def test_unknown_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown input"):
        small(inputs="chars+words").fit(samples())
