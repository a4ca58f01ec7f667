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


def test_a_paragraph_of_the_own_article_reaches_back_to_the_article() -> None:
    from analyzer.detect.frames import reaches_own_article

    heading = "第6条（情報の利用）"
    texts = [
        "当社は、前条の認証をもって同意を得たところに従い、接続記録を次の目的で利用します。",
        "(1) 本サービスの運用及び障害対応",
        "(2) 来訪者の周遊動向の分析",
        "(3) 地域の観光事業者に対する周遊データの提供",
        "(4) 広告の配信",
        "２　当社は、前項の情報を適切に管理します。",
        "３　第１項第２号から第４号までの利用を希望しない利用者は、本サービスを利用することができません。",
    ]
    headings = [heading] * len(texts)
    assert reaches_own_article(texts[6]) and not reaches_own_article(texts[5])
    assert not reaches_own_article(
        "第8条第2項に定める情報は、前条に従い取り扱います。".replace("第8条", "本規約第8条")
    )
    antecedents = line_antecedents(texts, ["a"] * len(texts), headings)
    # 「前項」 alone reaches one paragraph; 「第1項第2号から」 reaches the article's opening lines
    assert antecedents[5] == texts[4]
    assert antecedents[6] == "\n".join(texts[:6])
