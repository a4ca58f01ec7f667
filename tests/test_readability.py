"""Readability metrics on short texts and on the sample documents."""

from __future__ import annotations

import pytest
from jreadability import compute_readability

from analyzer.pipeline import segment_file
from analyzer.score.readability import (
    double_negatives,
    jreadability,
    jreadability_band,
    measure,
    paren_depth,
    readability_text,
    score_readability,
    tateishi_rs,
)
from tests.conftest import CORPUS

SNIPPETS = [
    "おはようございます！今日は天気がいいですね。",
    "当社は、お客様の同意を得た場合に限り、位置情報を広告の配信に利用します。",
    "契約者は、当社所定の方法により届け出るものとし、当該届出を怠ったことにより当社からの通知が到達しなかった場合であっても、当社は一切の責任を負いません",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_jreadability_equals_the_package(text: str) -> None:
    assert jreadability(text).score == pytest.approx(compute_readability(text), abs=1e-6)


def _has_sentences(section) -> bool:
    def clause_has(clause) -> bool:
        return bool(clause.sentences) or any(clause_has(c) for c in clause.clauses)

    return any(clause_has(c) for c in section.clauses) or any(_has_sentences(s) for s in section.sections)


@pytest.mark.parametrize(
    "name", ["kumo_mvno_privacy.txt", "tsubame_mvno_yakkan.pdf", "hikari_app_privacy.md"]
)
def test_jreadability_of_a_whole_document_equals_the_package(name: str) -> None:
    document = segment_file(CORPUS / name)
    score = score_readability(document)
    sentences = [s.text for c in document.iter_clauses() for s in c.sentences]
    expected = compute_readability(readability_text([s for s in sentences if s.strip()]))
    assert score.document.jreadability == pytest.approx(expected, abs=1e-6)
    assert score.document.jreadability_band == jreadability_band(expected)
    assert len(score.hardest_sentences) == 5
    assert all(document.document.text[h.start : h.end] == h.text for h in score.hardest_sentences)
    # every top-level section that holds a sentence anywhere in it, in document order, and no other
    assert [s.path for s in score.sections] == [s.path for s in document.sections if _has_sentences(s)]


def test_bands_follow_the_published_table() -> None:
    assert jreadability_band(6.0) == "初級前半"
    assert jreadability_band(5.0) == "初級後半"
    assert jreadability_band(3.0) == "中級後半"
    assert jreadability_band(1.0) == "上級後半"


def test_tateishi_parts_are_counted_from_character_runs() -> None:
    score, parts = tateishi_rs(["当社は、情報を利用します。", "ＡＢＣのサービスです。"])
    assert parts["ls"] == pytest.approx((13 + 11) / 2)
    # runs: 当社 情報 利用 (kanji) / は を します の です (hiragana) / サービス (katakana) / ＡＢＣ
    assert parts["lc"] == pytest.approx(2.0)
    assert parts["lk"] == pytest.approx(4.0)
    assert parts["la"] == pytest.approx(3.0)
    assert parts["cp"] == pytest.approx(0.5)
    assert 0 < score < 120


def test_sentence_shape_metrics() -> None:
    long = "当社は、" + "お客様の情報を" * 20 + "利用します。"
    metrics = measure(["短い文です。", long, "当社（以下「甲（本社）」という。）は同意します。"])
    assert metrics.sentences == 3
    assert metrics.share_over_100 == pytest.approx(1 / 3, abs=1e-4)
    assert metrics.max_paren_depth == 3
    assert paren_depth("（「」）") == 2
    assert double_negatives("利用しないわけではありません。同意せざるを得ません。") == 2
    assert metrics.kanji_ratio > 0
