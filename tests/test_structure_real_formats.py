"""Structure of documents as they reach a reader from the web and from PDF: page furniture,
tables of contents, continuation lines, headings in real shapes, nested lists, contact blocks,
Word tables, compatibility ideographs, and the issuer's name. Expected paths and texts are
stated by hand for each invented snippet."""

from __future__ import annotations

from analyzer.model import StructuredDocument
from analyzer.pipeline import segment_bytes
from analyzer.structure.metadata import carrier_name
from tests.conftest import assert_offsets


def _segment(text: str, name: str = "snippet.txt", encoding: str = "utf-8") -> StructuredDocument:
    document = segment_bytes(text.encode(encoding), name)
    assert_offsets(document)
    return document


def _clauses(document: StructuredDocument) -> dict[str, str]:
    return {c.path: c.own_text for c in document.iter_clauses()}


def test_page_furniture_of_pdf_text_is_neither_title_nor_clause() -> None:
    header = "ミサゴ通信株式会社　　　　　　　ミサゴSIM契約約款"
    text = (
        f"{header}\n\n　　　ミサゴSIM契約約款\n\n　　　　　　令和6年4月1日実施\n　　　　　　ミサゴ通信株式会社\n\n"
        "（適用）\n第1条　この約款は、当社が提供するミサゴSIMに適用します。\n\n　　　　- 1 -\n"
        f"{header}\n"
        "（料金）\n第2条　契約者は、料金表に定める料金を支払うものとします。\n\n　　　　- 2 -\n"
        f"{header}\n"
        "（管轄）\n第3条　この約款に関する紛争は、当社の本店所在地を管轄する地方裁判所を専属的合意管轄裁判所とします。\n"
        "\n　　　　- 3 -\n"
    )
    document = _segment(text)
    assert document.document.title == "ミサゴSIM契約約款"
    assert document.document.carrier == "ミサゴ通信株式会社"
    clauses = _clauses(document)
    assert list(clauses) == ["第1条", "第2条", "第3条"]  # no 前文 for the issuer's name line
    assert all("- 2 -" not in t and header not in t for t in clauses.values())


def test_kangxi_radicals_from_pdf_read_as_the_ideographs_and_offsets_stay_true() -> None:
    # ⼀ (U+2F00) and ⽤ (U+2F64) stand where PDF extraction left them
    text = "第1条　この約款で使⽤する⽤語の意味は、次の各号に定めるとおりとします。\n⼀　契約者　当社と契約を締結した者\n二　端末　契約者が使⽤する機器\n"
    document = _segment(text)
    clauses = _clauses(document)
    assert list(clauses) == ["第1条", "第1条第1号", "第1条第2号"]
    assert clauses["第1条第1号"].startswith("⼀")  # the original character, not the folded one


def test_breadcrumb_and_table_of_contents_are_skipped_and_name_the_headings() -> None:
    text = (
        "ホーム ＞ ご利用にあたって ＞ 利用規約\n\nかもめFree Wi-Fi 利用規約\n\n"
        "目次\n本規約の適用\n利用の手続\nお問い合わせ\n\n"
        "本規約の適用\n本規約は、かもめFree Wi-Fiを利用するすべての方に適用されます。\n\n"
        "利用の手続\n利用者は、認証画面でメールアドレスを登録するものとします。\n"
        "なお、登録したメールアドレスは、認証にのみ用います。\n"
        "当社は、不正な利用を防ぐため、認証を行わないことがあります。\n\n"
        "お問い合わせ\nかもめWi-Fiサポートセンター\n電話：03-0000-1234\nメール：support@kamome.example.jp\n"
    )
    document = _segment(text)
    assert document.document.title == "かもめFree Wi-Fi 利用規約"
    assert [s.path for s in document.iter_sections()] == ["本規約の適用", "利用の手続", "お問い合わせ"]
    clauses = _clauses(document)
    assert list(clauses) == ["本規約の適用", "利用の手続第1段落", "利用の手続第2段落", "お問い合わせ"]
    # the なお line stays in its paragraph; the contact block is one clause
    assert clauses["利用の手続第1段落"].endswith("認証にのみ用います。")
    assert clauses["お問い合わせ"].endswith("support@kamome.example.jp")


def test_a_proviso_on_its_own_line_stays_in_its_paragraph_of_plain_text_only() -> None:
    txt = "第4条（中止）\n当社は、設備の保守のため、本サービスを中止することがあります。\nただし、緊急の場合は、この限りでありません。\n"
    assert list(_clauses(_segment(txt))) == ["第4条"]
    html = (
        "<h1>サービス利用規約</h1><h2>4．サービスの中止</h2><p>当社は、設備の保守のため、本サービスを中止することがあります。</p>"
        "<p>ただし、緊急の場合は、事前にお知らせしないことがあります。</p>"
    )
    assert list(_clauses(_segment(html, "page.html"))) == ["4.第1段落", "4.第2段落"]


def test_markdown_bullet_headings_bold_headings_decimals_and_nested_bullets() -> None:
    text = (
        "# ツグミ通話 利用規約\n\n- 第1条（禁止事項）\n\nユーザーは、次の行為をしてはなりません。\n\n"
        "- 法令に違反する行為\n- 第三者の権利を侵害する行為\n  - 著作権を侵害する行為\n  - 名誉を毀損する行為\n"
        "- 設備に過大な負荷をかける行為\n\n- 第2条（料金）\n\n### 2.1 通話料\n\n通話料は、30秒ごとに10円とします。\n\n"
        "#### 2.1.1 国際通話\n\n国際通話の料金は、料金表によります。\n\n**本規約の改定**\n\n"
        "当社は、民法の定めに従い、本規約を改定することがあります。\n"
    )
    document = _segment(text, "terms.md")
    assert [s.path for s in document.iter_sections()] == ["第1条", "第2条", "2.1", "2.1.1", "本規約の改定"]
    assert list(_clauses(document)) == [
        "第1条",
        "第1条・1",
        "第1条・2",
        "第1条・2・1",
        "第1条・2・2",
        "第1条・3",
        "2.1",
        "2.1.1",
        "本規約の改定",
    ]


def test_heading_in_brackets_before_the_article_number_on_one_line() -> None:
    text = "(規約の変更)第 2 条\n当社は、民法の定めに従い、この規約を変更することがあります。\n(退会)第 3 条\n会員は、いつでも退会できます。\n"
    document = _segment(text)
    sections = document.iter_sections()
    assert [(s.path, s.heading) for s in sections] == [("第2条", "規約の変更"), ("第3条", "退会")]


def test_nested_html_lists_nest_and_a_word_table_keeps_its_rows() -> None:
    html = (
        "<h1>プライバシーポリシー</h1><h2>1．取得する情報</h2><p>当社は、次の情報を取得します。</p>"
        "<ul><li>契約者情報</li><li>お支払いに関する情報<ul><li>クレジットカードの番号</li>"
        "<li>口座番号</li></ul></li><li>通信履歴</li></ul>"
        "<h2>2．用語</h2><p>用語の意味は、次の表のとおりとします。</p>"
        "<table><tr><td><p class=MsoNormal>用語</p></td><td><p class=MsoNormal>用語の意味</p></td></tr>"
        "<tr><td><p class=MsoNormal>会員</p></td><td><p class=MsoNormal>入会を承諾された者</p></td></tr></table>"
    )
    clauses = _clauses(_segment(html, "policy.html"))
    assert list(clauses) == ["1.", "1.・1", "1.・2", "1.・2・1", "1.・2・2", "1.・3", "2.", "2.「会員」"]


def test_a_revision_history_heading_over_dates_heads_no_section() -> None:
    html = (
        "<h1>個人情報保護方針</h1><h2>1．基本方針</h2><p>当社は、個人情報を適切に取り扱います。</p>"
        "<h2>改定履歴</h2><p>2023年4月1日 制定</p><p>2024年10月1日 改定</p>"
    )
    document = _segment(html, "policy.html")
    assert [s.path for s in document.iter_sections()] == ["1."]
    assert len(document.document.dates) == 2


def test_the_issuer_is_read_without_definitional_tails_or_recipients() -> None:
    def carrier(text: str) -> str | None:
        return carrier_name(_segment(text))

    assert carrier("第1条　「当社」とは、株式会社シナプスのことをいいます。\n") == "株式会社シナプス"
    assert carrier("本アプリは、ツバキ 株式会社（以下、当社といいます）が提供します。\n") == "ツバキ株式会社"
    assert (
        carrier(
            "本規約は、一般社団法人ヒバリ街づくり及びヒバリ不動産株式会社（以下「サービス提供者」という。）が定めます。\n"
        )
        == "一般社団法人ヒバリ街づくり"
    )
    assert carrier("本サイトは、株式会社の運営するサービスです。\n") is None  # a bare form names nobody
    listing = "利用者情報の外部送信について\n送信先｜送信される情報\nカケス広告株式会社｜閲覧履歴\n"
    assert carrier(listing) is None


def test_an_appendix_headed_betsuki_is_not_absorbed_into_the_last_article() -> None:
    text = (
        "第9条（管轄）\nこの約款に関する紛争は、東京地方裁判所を専属的合意管轄裁判所とします。\n"
        "別記\n1　提供区域は、当社のホームページに掲載する区域とします。\n"
    )
    document = _segment(text)
    assert [s.path for s in document.iter_sections()] == ["第9条", "別記"]
    assert _clauses(document)["第9条"].endswith("専属的合意管轄裁判所とします。")


def test_bilingual_numbered_headings_head_their_sections() -> None:
    """An app's terms that give each heading an English translation after a slash: the
    translation makes a long line, not a sentence (invented wording in the shape of real pages)."""
    text = (
        "利用規約 / Terms of Use\n"
        "1. 年齢制限 / Age Requirement\n"
        "本アプリは16歳以上の方のみご利用いただけます。\n"
        "2. アカウントの停止・制限 / Account Suspension & Restrictions\n"
        "当社は、本規約に違反するアカウントを事前の通知なく停止することがあります。\n"
        "3. 通話データの取扱い / Handling of Voice Chat Data, Logs and Reports\n"
        "当社は、通報の調査に必要な範囲で通話ログを保存します。\n"
    )
    document = _segment(text)
    sections = document.sections[0].sections or document.sections
    assert [s.path for s in sections] == ["1.", "2.", "3."]
    assert sections[1].heading == "アカウントの停止・制限 / Account Suspension & Restrictions"
    assert _clauses(document)["2."].startswith("当社は、本規約に違反する")


def test_decimal_numbers_with_the_body_right_after_the_dot() -> None:
    """「1.1.お客様が…」: a business tool's terms number paragraphs and items in decimals with no
    space before the text; each is its own clause, named as the document cites it, and the
    items 「1.1.1.」 nest under the paragraph 「1.1.」 that lists them."""
    text = (
        "配信ツール利用規約\n"
        "１. 利用申込\n"
        "1.1.お客様は、当社所定の方法により利用を申し込むものとします。当社は、次の場合には申込みを承諾しないことがあります。\n"
        "1.1.1.虚偽の情報を提供したとき\n"
        "1.1.2.その他当社が不適当と判断したとき\n"
        "1.2.お客様が未成年者である場合は、法定代理人の同意を得るものとします。\n"
        "２. コンテンツ\n"
        "2.1.当社は、配信の適正な運営のため、お客様のメッセージの内容を確認することがあります。\n"
    )
    document = _segment(text)
    clauses = _clauses(document)
    assert list(clauses) == ["1.1.", "1.1.1.", "1.1.2.", "1.2.", "2.1."]
    assert clauses["1.1.2."] == "1.1.2.その他当社が不適当と判断したとき"
    # a three-part number is an item of the two-part number before it: 1.1. is their lead-in
    by_path = {c.path: c for c in document.iter_clauses()}
    assert [c.path for c in by_path["1.1."].clauses] == ["1.1.1.", "1.1.2."]
    assert by_path["1.2."].clauses == [] and by_path["1.1."].own_text.endswith("承諾しないことがあります。")
    assert clauses["2.1."].startswith("2.1.当社は、配信の適正な運営")


def test_article_heading_written_straight_after_the_number_and_paragraphs_named_in_words() -> None:
    """Web terms write 「第1条サービスの内容」 with no space, and 「2項（…）」 over each 項; a
    reference 「第3条に定める…」 at the start of a line stays text, and 付則 heads the
    supplementary provisions."""
    text = (
        "ヤマセミチャット利用規約\n"
        "第1条サービスの内容、利用条件\n"
        "本サービスは、会員どうしがメッセージを送受信できるサービスです。\n"
        "第2条（利用停止）\n"
        "1項（停止の事由）\n"
        "運営者は、会員が本規約に違反したときは、利用を停止することがあります。\n"
        "2項（停止の通知）\n"
        "運営者は、停止の理由を会員に通知します。\n"
        "第3条に定める場合を除き\n"
        "付則\n"
        "本規約は、2025年4月1日から施行します。\n"
    )
    document = _segment(text)
    sections = document.iter_sections()
    assert [(s.path, s.heading) for s in sections] == [
        ("第1条", "サービスの内容、利用条件"),
        ("第2条", "利用停止"),
        ("附則", None),
    ]
    clauses = _clauses(document)
    assert list(clauses) == ["第1条", "第2条第1項", "第2条第2項", "附則"]
    assert clauses["第2条第1項"].endswith("利用を停止することがあります。")
    # the reference line is text of the 項 it follows, not an article of its own
    assert "第3条に定める場合を除き" in clauses["第2条第2項"]


def test_short_lines_after_a_lead_in_of_plain_text_are_its_items() -> None:
    """A text copy of a web page loses its bullets: the short lines after 「以下の行為を禁止します。」
    are the lead-in's items, the article's next sentence is not, and a single short line after a
    lead-in is no list."""
    text = (
        "コマドリ掲示板利用規約\n"
        "第4条（禁止事項）\n"
        "利用者は、本サービスの利用にあたり、以下の行為をしてはなりません。\n"
        "他の利用者を誹謗中傷する行為\n"
        "同一内容の投稿を繰り返す行為\n"
        "その他、運営者が不適切と判断する行為\n"
        "運営者は、前各号の行為により生じた損害について責任を負いません。\n"
        "第5条（取得する情報）\n"
        "運営者は、次の情報を取得します。\n"
        "氏名、住所、電話番号\n"
        "投稿日時及びIPアドレス\n"
        "これらの情報は、第6条の目的にのみ利用します。\n"
        "第6条（準拠法）\n"
        "本規約の準拠法は、以下のとおりとします。\n"
        "日本法\n"
    )
    clauses = _clauses(_segment(text))
    assert list(clauses) == [
        "第4条第1項",
        "第4条第1項・1",
        "第4条第1項・2",
        "第4条第1項・3",
        "第4条第2項",
        "第5条第1項",
        "第5条第1項・1",
        "第5条第1項・2",
        "第5条第2項",
        "第6条第1項",
        "第6条第2項",
    ]
    assert clauses["第4条第1項・3"] == "その他、運営者が不適切と判断する行為"
    assert clauses["第4条第2項"].startswith("運営者は、前各号の行為により")
    assert clauses["第5条第1項・1"] == "氏名、住所、電話番号"
    assert clauses["第6条第2項"] == "日本法"


def test_a_long_ground_without_its_bullet_stays_an_item_of_the_list() -> None:
    """Grounds of a suspension are phrases (「…場合」), some of them long: a ground of 70 characters
    between short ones, or as the second line, neither ends the list nor keeps it from opening, so
    the catch-all ground at its end is still an item; a sentence ending in 「。」 after the list is
    the article's next paragraph."""
    long_ground = (
        "電気通信設備の障害、過度なアクセスの集中、不正アクセス又は第三者による妨害行為等により"
        "本サービスの提供を継続することが技術的に困難となった場合"
    )
    assert len(long_ground) > 60
    text = (
        "ヤマセミ通話アプリ利用規約\n"
        "第9条（提供の中断）\n"
        "当社は、次のいずれかに該当する場合には、利用者に通知することなく、本サービスの提供を中断することがあります。\n"
        "設備の保守を定期に又は緊急に行う場合\n"
        f"{long_ground}\n"
        "天災地変その他の非常事態が発生した場合\n"
        "その他、当社が中断を必要と判断した場合\n"
        "当社は、前項の中断により利用者に生じた損害について、当社に故意又は重大な過失がある場合を除き、責任を負いません。\n"
        "第10条（登録の取消し）\n"
        "当社は、利用者が次のいずれかに該当する場合は、その登録を取り消すことができます。\n"
        f"{long_ground.replace('本サービスの提供を継続することが技術的に困難となった', '利用者の端末から他の利用者への通信が妨げられた')}\n"
        "その他、当社が利用者として不適当と判断した場合\n"
    )
    clauses = _clauses(_segment(text))
    assert list(clauses) == [
        "第9条第1項",
        "第9条第1項・1",
        "第9条第1項・2",
        "第9条第1項・3",
        "第9条第1項・4",
        "第9条第2項",
        "第10条",
        "第10条・1",
        "第10条・2",
    ]
    assert clauses["第9条第1項・2"] == long_ground
    assert clauses["第9条第1項・4"] == "その他、当社が中断を必要と判断した場合"
    assert clauses["第10条・2"] == "その他、当社が利用者として不適当と判断した場合"


def test_a_definition_in_brackets_does_not_end_an_item() -> None:
    """「（以下「規約等」といいます。）」 inside a purpose is an aside, not the end of a sentence: the
    purpose stays an item between the others."""
    text = (
        "ツグミ通話 プライバシーポリシー\n"
        "2. 利用目的\n"
        "当社は、取得した情報を以下の目的で利用します。\n"
        "本サービスの提供及び運営のため\n"
        "本サービスに関する規約及び方針（以下「規約等」といいます。）に違反する行為への対応のため\n"
        "規約等の変更を通知するため\n"
    )
    clauses = _clauses(_segment(text))
    assert list(clauses) == ["2.", "2.・1", "2.・2", "2.・3"]
    assert clauses["2.・2"].endswith("違反する行為への対応のため")


def test_items_written_as_sentences_of_a_noun_stay_items_past_sixty_characters() -> None:
    """号 of a 約款 copied from a web page end in 「…行為。」「…とき。」: a phrase closed by 「。」,
    some of them long, one with a proviso after it. They stay the lead-in's items, so the catch-all
    ground at the end is an item of its own; the next numbered paragraph and a predicate sentence
    after the items are not items."""
    long_act = (
        "公序良俗に反する行為（猥褻、暴力、残虐等の表現を含みます。）、又はそのおそれがある行為、"
        "若しくは公序良俗に反する情報を他の利用者又は第三者に送信する行為。"
    )
    long_ground = (
        "地震、噴火、洪水、津波、火災、停電、戦争、暴動その他の非常事態の発生により、当社の設備による"
        "本サービスの提供が通常どおりできなくなったとき。"
    )
    proviso_item = (
        "提携する情報配信事業者に対して、アクセスポイントの設置場所にもとづく端末の接続エリアの情報を提供するため。"
        "ただし、個人を特定する情報は提供しません。"
    )
    assert min(len(long_act), len(long_ground)) > 60
    text = (
        "ヒバリWi-Fi ご利用規約\n"
        "第7条（禁止事項）\n"
        "利用者は、次の各号の行為を行ってはならないものとします。\n"
        "他の利用者又は第三者の著作権その他の権利を侵害する行為。\n"
        f"{long_act}\n"
        "その他、当社が不適切と判断する行為。\n"
        "2. 当社は、利用者が前項の行為を行った場合、その利用を制限することがあります。\n"
        "第8条（中断）\n"
        "当社は、次の各号のいずれかに該当する場合、本サービスを中断することができるものとします。\n"
        f"{long_ground}\n"
        "その他当社が、運営上、一時的な中断が必要と判断したとき。\n"
        "第9条（利用目的）\n"
        "当社は、取得した情報を以下の目的で利用します。\n"
        "本サービスの提供及び本人確認のため\n"
        f"{proviso_item}\n"
        "その他お客様とのお取引を円滑に行うため\n"
        "当社は、前各号の目的の範囲を超えて情報を利用しません。\n"
    )
    clauses = _clauses(_segment(text))
    assert list(clauses) == [
        "第7条第1項",
        "第7条第1項・1",
        "第7条第1項・2",
        "第7条第1項・3",
        "第7条第2項",
        "第8条",
        "第8条・1",
        "第8条・2",
        "第9条第1項",
        "第9条第1項・1",
        "第9条第1項・2",
        "第9条第1項・3",
        "第9条第2項",
    ]
    assert clauses["第7条第1項・2"] == long_act
    assert clauses["第8条・1"] == long_ground
    assert clauses["第9条第1項・2"] == proviso_item
    assert clauses["第9条第2項"] == "当社は、前各号の目的の範囲を超えて情報を利用しません。"


def test_lists_of_markdown_keep_their_own_reading() -> None:
    """Markdown joins consecutive lines into one paragraph: no item is made up there."""
    text = "# 禁止事項\n\n利用者は、以下の行為をしてはなりません。\n他の利用者を誹謗中傷する行為\n同一内容の投稿を繰り返す行為\n"
    document = _segment(text, name="snippet.md")
    assert all("・" not in c.path for c in document.iter_clauses())
