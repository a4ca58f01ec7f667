"""Article citations and a corpus line's document context (what 「前項」「第8条」 refer to)."""

from __future__ import annotations

from analyzer.detect.citations import cited_articles, heading_article
from analyzer.detect.training import line_antecedents


def test_articles_cited_and_numbered() -> None:
    assert cited_articles("第１２条第１項及び第 3 条の２に定める情報") == ["第12条", "第3条の2"]
    assert heading_article("第 ５ 条（利用目的）") == "第5条"
    assert heading_article("（本規約の変更）") is None


def test_corpus_lines_read_their_group_as_a_document() -> None:
    texts = [
        "当社は、接続先のドメインを記録し、広告配信に利用します。",  # 第8条 of document a
        "当社は、料金の算定のため通信量を記録します。",  # document b
        "２　前項の利用は、接続をもって承諾を得たものとします。",  # document a, 第8条第2項
        "本規約への同意は、第8条に定める取扱いへの同意を含みます。",  # document a, 第9条
        "前項の情報を第三者に提供することはありません。",  # document b
    ]
    groups = ["a", "b", "a", "a", "b"]
    headings = ["第8条（記録の利用）", None, "第8条（記録の利用）", "第9条（同意）", None]
    antecedents = line_antecedents(texts, groups, headings)
    assert antecedents[0] is None  # nothing before it
    assert antecedents[2] == texts[0]  # 「前項」: the paragraph just before, in its own document
    assert antecedents[3] == "\n".join(texts[0:3:2])  # 第8条, looked up by its heading
    assert antecedents[4] == texts[1]
