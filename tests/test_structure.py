"""Structure on small Japanese snippets: numbering styles, nesting, lead-ins, sentences."""

from __future__ import annotations

from analyzer.pipeline import segment_bytes
from analyzer.structure import segment_text, split_sentences
from analyzer.structure.markers import find_markers, kanji_to_int
from tests.conftest import assert_offsets


def _paths(text: str) -> tuple[list[str], list[str]]:
    document = segment_bytes(text.encode("utf-8"), "snippet.txt")
    assert_offsets(document)
    return [s.path for s in document.iter_sections()], [c.path for c in document.iter_clauses()]


def _clause(text: str, path: str):
    document = segment_bytes(text.encode("utf-8"), "snippet.txt")
    return next(c for c in document.iter_clauses() if c.path == path)


YAKKAN = """テスト通信サービス契約約款

第1章　総則

第1条（適用）
本約款は、当社が提供する本サービスに適用します。

（用語の定義）
第2条　本約款において使用する用語の意味は、次の表のとおりとします。
　用語　　　　用語の意味
　契約者　　　当社と利用契約を締結した者
　通信履歴　　通信の日時、通信先その他通信に関する記録

第2章　利用の停止
第1節　停止

第3条（利用停止）
当社は、次の各号のいずれかに該当するときは、本サービスの利用を停止することがあります。
一　料金の支払を怠ったとき
二　第5条第2項の規定に違反したとき
　イ　故意による場合
　ロ　過失による場合
２　当社は、前項の規定により停止するときは、あらかじめその旨を通知します。
３　前項の規定にかかわらず、緊急やむを得ないときは、この限りでありません。

第3条の2（中止）
当社は、設備の保守上やむを得ないときは、本サービスを中止することがあります。

附則
本約款は、2024年4月1日から施行します。

2024年4月1日　制定
"""


def test_articles_paragraphs_items_and_supplementary_provisions() -> None:
    sections, clauses = _paths(YAKKAN)
    assert sections == ["第1章", "第1条", "第2条", "第2章", "第2章第1節", "第3条", "第3条の2", "附則"]
    assert clauses == [
        "第1条",
        "第2条",
        "第2条「契約者」",
        "第2条「通信履歴」",
        "第3条第1項",
        "第3条第1項第1号",
        "第3条第1項第2号",
        "第3条第1項第2号イ",
        "第3条第1項第2号ロ",
        "第3条第2項",
        "第3条第3項",
        "第3条の2",
        "附則",
    ]


def test_heading_above_the_article_belongs_to_it_and_title_and_dates_are_not_clauses() -> None:
    document = segment_bytes(YAKKAN.encode("utf-8"), "yakkan.txt")
    article = next(s for s in document.iter_sections() if s.path == "第2条")
    assert article.heading == "用語の定義"
    assert article.text.startswith("（用語の定義）\n第2条")
    assert document.document.title == "テスト通信サービス契約約款"
    assert [d.text for d in document.document.dates] == ["2024年4月1日　制定"]
    assert all("制定" not in c.text for c in document.iter_clauses())


def test_lead_in_is_the_parent_clause_of_its_items() -> None:
    lead_in = _clause(YAKKAN, "第3条第1項")
    assert (
        lead_in.own_text
        == "当社は、次の各号のいずれかに該当するときは、本サービスの利用を停止することがあります。"
    )
    assert [c.path for c in lead_in.clauses] == ["第3条第1項第1号", "第3条第1項第2号"]
    assert [s.text for s in lead_in.sentences] == [lead_in.own_text]
    assert lead_in.text.endswith("ロ　過失による場合")


def test_definition_table_rows_are_clauses_and_the_header_is_not() -> None:
    lead_in = _clause(YAKKAN, "第2条")
    assert [c.kind for c in lead_in.clauses] == ["definition", "definition"]
    assert lead_in.clauses[0].sentences[0].text == "当社と利用契約を締結した者"
    assert lead_in.own_text == "本約款において使用する用語の意味は、次の表のとおりとします。"


def test_cross_references_at_line_start_are_not_markers() -> None:
    text = "第1条（目的）\n本規約を定めます。\n第3条第2項の規定にかかわらず、当社は通知します。\n"
    _, clauses = _paths(text)
    assert clauses == ["第1条第1項", "第1条第2項"]
    assert find_markers("2024年4月1日から施行します。") == []
    assert find_markers("一方、当社は") == []
    assert find_markers("6.に記載する情報") == [] or all(
        m.family != "dot_number" for m in find_markers("6.に記載する情報")
    )


POLICY = """プライバシーポリシー

株式会社テスト通信（以下「当社」といいます。）は、次のとおり個人情報を取り扱います。

1. 取得する情報
当社は、以下の情報を取得します。
(1) 氏名、住所及び電話番号
(2) 通信履歴
ア　通信の日時
イ　通信の相手方
(3) 位置情報

2. 利用目的
(1) 契約者情報
料金の請求及びお問い合わせへの対応に利用します。
(2) 通信履歴
通信の品質の改善に利用します。
本項の目的以外には利用しません。

3. 第三者提供
当社は、次の場合を除き、個人情報を第三者に提供しません。
① 法令に基づく場合
② 人の生命又は財産の保護のために必要な場合
なお、提供の記録は3年間保存します。

【お問い合わせ窓口】
電話：0120-000-000（受付時間　平日10時から18時）
"""


def test_policy_headings_items_and_unnumbered_paragraphs() -> None:
    sections, clauses = _paths(POLICY)
    assert sections == ["前文", "1.", "2.", "2.(1)", "2.(2)", "3.", "【お問い合わせ窓口】"]
    assert clauses == [
        "前文",
        "1.",
        "1.(1)",
        "1.(2)",
        "1.(2)ア",
        "1.(2)イ",
        "1.(3)",
        "2.(1)",
        "2.(2)第1段落",
        "2.(2)第2段落",
        "3.第1段落",
        "3.第1段落①",
        "3.第1段落②",
        "3.第2段落",
        "【お問い合わせ窓口】",
    ]


def test_hyphenated_policy_numbers_are_self_contained_paths() -> None:
    text = "1. 取得する情報\n1-1 契約者情報\n氏名を取得します。\n1-2 通信情報\n通信履歴を取得します。\n2. 利用目的\n料金の請求に利用します。\n"
    sections, clauses = _paths(text)
    assert sections == ["1.", "1-1", "1-2", "2."]
    assert clauses == ["1-1", "1-2", "2."]


def test_katakana_iroha_circled_roman_and_alphabet_items_nest_by_family() -> None:
    text = (
        "第1条（禁止事項）\n契約者は、次の行為をしてはなりません。\n"
        "(1) 他人になりすます行為\n"
        "① 他人のID又はパスワードを使用する行為\n"
        "a) 不正に取得したIDを使用する行為\n"
        "b) 第三者にIDを譲渡する行為\n"
        "② 他人の名義で申し込む行為\n"
        "(2) 法令に違反する行為\n"
        "ⅰ　犯罪に結びつく行為\n"
        "ⅱ　公序良俗に反する行為\n"
    )
    _, clauses = _paths(text)
    assert clauses == [
        "第1条",
        "第1条(1)",
        "第1条(1)①",
        "第1条(1)①a)",
        "第1条(1)①b)",
        "第1条(1)②",
        "第1条(2)",
        "第1条(2)ⅰ",
        "第1条(2)ⅱ",
    ]


def test_iroha_after_a_kanji_item_starts_a_new_list_but_continues_aiueo() -> None:
    aiueo = "第1条（目的）\n次のとおりとします。\nア　第一の目的\nイ　第二の目的\n"
    assert _paths(aiueo)[1] == ["第1条", "第1条ア", "第1条イ"]
    iroha = "第1条（目的）\n次の各号のとおりとします。\n一　料金\nイ　基本料\nロ　通話料\n"
    assert _paths(iroha)[1] == ["第1条", "第1条第1号", "第1条第1号イ", "第1条第1号ロ"]


def test_half_width_paragraph_numbers_and_kanji_article_numbers() -> None:
    text = "第十二条（損害賠償）\n当社は、責任を負います。\n2 前項の規定は、故意又は重大な過失による場合には適用しません。\n"
    sections, clauses = _paths(text)
    assert sections == ["第12条"]
    assert clauses == ["第12条第1項", "第12条第2項"]


def test_bullets_and_appendix() -> None:
    text = (
        "1. 共同利用\n当社は、次の者と共同して利用します。\n・株式会社テストA\n・株式会社テストB\n"
        "別紙1　共同利用者一覧\n株式会社テストAは、通信サービスを提供します。\n"
    )
    sections, clauses = _paths(text)
    assert sections == ["1.", "別紙1"]
    assert clauses == ["1.", "1.・1", "1.・2", "別紙1"]


def test_markdown_headings_and_footnote_like_notes_stay_in_their_clause() -> None:
    text = "# 利用規約\n\n## 第1条（目的）\n\n本規約を定めます。\n※ 詳細は当社ウェブサイトに掲載します。\n"
    document = segment_bytes(text.encode("utf-8"), "terms.md")
    assert document.document.format == "md"
    assert document.document.title == "# 利用規約".lstrip("# ")
    [clause] = document.iter_clauses()
    assert clause.path == "第1条"
    assert clause.text.endswith("掲載します。")


def test_sentences_do_not_break_inside_brackets() -> None:
    text = "当社は、「お客様の同意（書面による。）を得た場合」に限り提供します。次に、記録を保存します！本当ですか？"
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == [
        "当社は、「お客様の同意（書面による。）を得た場合」に限り提供します。",
        "次に、記録を保存します！",
        "本当ですか？",
    ]


def test_an_unbalanced_bracket_does_not_swallow_the_next_line() -> None:
    text = "当社は「お客様の同意を得ます。\n次に記録します。"
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans][-1] == "次に記録します。"


def test_hard_wrapped_text_lines_are_joined_into_one_clause() -> None:
    paragraph = "当社は、契約者が本サービスを利用するに当たり取得した通信履歴を、料金の請求及び設備の保守に必要な範囲で利用します。"
    second = "２　前項の通信履歴は、取得した日から六か月を経過した後、速やかに消去します。"
    articles = []
    for number in range(1, 7):
        wrapped = "\n".join(paragraph[i : i + 20] for i in range(0, len(paragraph), 20))
        wrapped_second = "\n".join(second[i : i + 20] for i in range(0, len(second), 20))
        articles.append(f"第{number}条（通信履歴）\n{wrapped}\n{wrapped_second}\n")
    result = segment_text("".join(articles))
    assert len(result.sections) == 6
    for article in result.sections:
        first, last = article.clauses
        assert first.text.replace("\n", "") == paragraph
        assert [s.text.replace("\n", "") for s in first.sentences] == [paragraph]
        assert last.text.replace("\n", "") == second


def test_kanji_numbers() -> None:
    assert [kanji_to_int(t) for t in ("一", "十", "十二", "二十", "二十三", "百五", "１２")] == [
        1,
        10,
        12,
        20,
        23,
        105,
        12,
    ]


def test_a_line_of_separator_characters_alone_is_blank() -> None:
    """U+001F and its kin are whitespace to ``str.isspace``: a line holding only them makes no
    empty paragraph outside its section (a case the property test found)."""
    text = "第1条第1条\r\n\x1f\n２\u3000"
    document = segment_text(text)
    for section in document.sections:
        for clause in section.clauses:
            assert clause.text.strip()
            assert section.start <= clause.start <= clause.end <= section.end
            assert text[clause.start : clause.end] == clause.text
