"""Clause roles decided from text and context, and the problem labels each role may carry."""

from __future__ import annotations

import pytest

from analyzer.detect.roles import ClauseInput, allowed_problem_labels, clause_role


@pytest.mark.parametrize(
    ("clause", "role", "list_role"),
    [
        (ClauseInput("ソラミチWi-Fi 利用規約", first=True), "title", None),
        (ClauseInput("本規約の改定"), "heading", None),
        (ClauseInput("（本規約の変更）"), "heading", None),
        (ClauseInput("第12条（免責）"), "heading", None),
        (ClauseInput("2023年10月1日 制定"), "revision_history", None),
        (ClauseInput("・令和6年4月1日改定（第8条を変更）"), "revision_history", None),
        (ClauseInput("本規約は、2025年4月1日から施行します。"), "revision_history", None),
        (ClauseInput("「当社」とは、株式会社ミナモネットをいいます。"), "definition", None),
        (ClauseInput("・通信日時", lead_in="当社は、次の情報を取得します。"), "list_item", "data_items"),
        # a 外部送信 page lists what is sent under a bare caption
        (ClauseInput("・閲覧ページURL", lead_in="送信内容"), "list_item", "data_items"),
        (
            ClauseInput(
                "お問い合わせ及び苦情への対応のため", lead_in="取得した情報は、次の目的で利用します。"
            ),
            "list_item",
            "purposes",
        ),
        (ClauseInput("四　その他当社が不適切と判断したとき"), "list_item", None),
        # grounds for refusing a registration, and a prohibited-acts list in 「行ってはならない」
        (
            ClauseInput(
                "⑤　反社会的勢力等であるとき", lead_in="当社は、次の場合は会員登録の拒否を行うことができる。"
            ),
            "list_item",
            "application_refusal",
        ),
        (
            ClauseInput(
                "㉙　本サービスの情報を改変する行為",
                lead_in="利用者は、以下の行為を行ってはならないものとします。",
            ),
            "list_item",
            "prohibited_acts",
        ),
        (ClauseInput("TEL：0120-000-000（受付時間 9:00〜18:00）"), "contact_block", None),
        (ClauseInput("当社は、予告なく本規約を変更できるものとします。"), "body", None),
        (ClauseInput("当社は、次の場合にサービスを停止します。", has_items=True), "lead_in", None),
    ],
)
def test_roles(clause: ClauseInput, role: str, list_role: str | None) -> None:
    assert clause_role(clause) == (role, list_role)


def test_titles_headings_definitions_and_history_carry_no_problem_label() -> None:
    for text in (
        "利用規約",
        "本規約の改定",
        "2024年4月1日 制定",
        "「当社」とは、株式会社ミナモネットをいいます。",
    ):
        clause = ClauseInput(text, first=True)
        assert allowed_problem_labels(clause, *clause_role(clause)) == set()


def test_a_purpose_item_may_be_vague_but_never_a_complaint_restriction() -> None:
    clause = ClauseInput("その他当社が必要と認める目的", lead_in="取得した情報は、次の目的で利用します。")
    allowed = allowed_problem_labels(clause, *clause_role(clause))
    assert allowed is not None
    assert "vague_purpose" in allowed
    assert "complaint_restriction" not in allowed


def test_a_body_clause_may_carry_any_label() -> None:
    clause = ClauseInput("当社は、会員に通知することなく、本規約をいつでも変更できるものとします。")
    assert allowed_problem_labels(clause, *clause_role(clause)) is None


SECRECY = {
    "terms_bundled_consent",
    "secrecy_waiver_condition",
    "excess_use_condition",
    "unconsented_secondary_use",
}


def test_a_lead_in_listing_handlings_leaves_the_secrecy_labels_to_its_items() -> None:
    lead = ClauseInput(
        "利用者は、本規約に同意することにより、当社が接続記録を次の各号の目的で利用することに同意するものとします。",
        has_items=True,
    )
    role, list_role = clause_role(lead)
    assert role == "lead_in"
    allowed = allowed_problem_labels(lead, role, list_role)
    assert allowed is not None and not allowed & SECRECY and "vague_purpose" in allowed
    # a lead-in whose items only name data states the handling itself
    data = ClauseInput(
        "利用者は、本規約に同意することにより、当社が次の情報を広告配信に利用することに同意します。",
        has_items=True,
    )
    assert allowed_problem_labels(data, *clause_role(data)) is None
    # the same sentence without items in view (a list the segmenter could not attach) keeps them
    alone = ClauseInput(lead.text)
    assert allowed_problem_labels(alone, *clause_role(alone)) is None


def test_a_corpus_line_named_as_a_lead_in_has_items() -> None:
    from analyzer.detect.training import Corpus

    lead = "当社は、契約者の同意を得て、通信履歴を次の目的で利用します。"
    corpus = Corpus(
        ["x1", "x2", "y1"],
        [lead, "(1) 料金の計算", lead],
        [[], [], []],
        ["a", "a", "b"],
        [False, False, False],
        [None, None, None],
        [None, lead, None],
    )
    assert [c.has_items for c in corpus.inputs] == [True, False, False]


@pytest.mark.parametrize(
    ("text", "lead_in", "list_role"),
    [
        # the okurigana of 申し込み
        (
            "本人確認ができない場合",
            "当社は、以下の場合、申し込みを承諾しないことがあります。",
            "application_refusal",
        ),
        (
            "申込内容に虚偽がある場合",
            "当社は、次の場合には申込みを承諾しないことがあります。",
            "application_refusal",
        ),
    ],
)
def test_grounds_for_refusing_an_application(text: str, lead_in: str, list_role: str) -> None:
    assert clause_role(ClauseInput(text, lead_in=lead_in)) == ("list_item", list_role)


@pytest.mark.parametrize(
    ("text", "catch_all"),
    [
        ("その他当事務局がユーザとして不適当と判断した場合", True),
        ("その他、運営者が不適切と判断した場合", True),
        ("料金の支払いを怠った場合", False),
    ],
)
def test_a_ground_of_the_operators_own_judgment_may_carry_a_suspension(text: str, catch_all: bool) -> None:
    """A suspension ground that is the operator's own judgment, whoever the document speaks for,
    may carry unilateral_suspension; a specific ground leaves it to the lead-in."""
    lead_in = "当事務局は、ユーザが以下のいずれかに該当する場合には、事前の通知なく利用を制限できます。"
    clause = ClauseInput(text, lead_in=lead_in)
    assert clause_role(clause) == ("list_item", "suspension_grounds")
    allowed = allowed_problem_labels(clause, *clause_role(clause))
    # None: the item may carry any label, as a body clause may
    assert (allowed is None) is catch_all
    if not catch_all:
        assert allowed == set()


@pytest.mark.parametrize(
    "lead_in",
    [
        # the acts come far after the word of stopping, and a registration is 「取り消す」
        "当社は、以下の場合には、あらかじめ通知又は催告することなく、会員について本サービスの利用を一時的に"
        "停止させること、有料オプションの提供停止、個別契約の解除又は会員登録を取り消すことができるものとします。",
        "運営者は、投稿者が下記に該当すると判断したときは、アカウントの抹消を行うことができます。",
    ],
)
def test_grounds_of_a_lead_in_that_stops_far_from_its_verb(lead_in: str) -> None:
    clause = ClauseInput("その他、当社が会員として適当でないと判断した場合", lead_in=lead_in)
    assert clause_role(clause) == ("list_item", "suspension_grounds")


MINAMO_POLICY = """ミナモ学習塾 個人情報保護方針

2. 個人情報の利用目的
当社は、取得した個人情報を以下の利用目的の範囲内で利用いたします。
(1) 塾生及び保護者に関する個人情報
入塾手続き及び授業料の請求のため
その他の当社の事業活動（各種連絡等）
(2) 採用応募者に関する個人情報
採用選考及びその連絡のため
当社は、応募書類を選考終了後6か月以内に廃棄します。
3. お問い合わせ
個人情報に関するお問い合わせは、以下の窓口までご連絡ください。
(1) 窓口
株式会社ミナモ学習 個人情報相談室
"""


def test_lines_under_sub_headings_of_a_purpose_lead_in_are_its_items() -> None:
    """「以下の利用目的で利用します。」, then sub-headings by whose data it is, each over lines that
    name purposes: a reader takes the lines as the lead-in's purpose items; a full sentence among
    them is not one, and the lines under a lead-in to a contact desk list no purpose."""
    from analyzer.detect.engine import clause_contexts
    from analyzer.pipeline import segment_bytes

    document = segment_bytes(MINAMO_POLICY.encode("utf-8"), "minamo_privacy.txt")
    roles = {c.own_text.strip(): clause_role(context) for c, context in clause_contexts(document)}
    assert roles["入塾手続き及び授業料の請求のため"] == ("list_item", "purposes")
    assert roles["その他の当社の事業活動（各種連絡等）"] == ("list_item", "purposes")
    assert roles["採用選考及びその連絡のため"] == ("list_item", "purposes")
    assert roles["当社は、応募書類を選考終了後6か月以内に廃棄します。"][0] == "body"
    assert roles["株式会社ミナモ学習 個人情報相談室"][0] != "list_item"


TSUGUMI_EXTERNAL = """外部送信ポリシー
ツグミ書房株式会社は、お客様の端末から外部へ送信される情報について、以下のとおり公表いたします。
1. 外部送信について
送信先
株式会社サンプル解析
送信される情報
閲覧したページのURL
利用目的
アクセス状況の分析
プライバシーポリシー
"""


def test_a_preamble_that_announces_the_page_lists_nothing_under_its_headings() -> None:
    """「以下のとおり公表いたします。」 before the first heading introduces the page: the captions
    and cells of a flattened table under 「1. 外部送信について」 are not its items."""
    from analyzer.detect.engine import clause_contexts
    from analyzer.pipeline import segment_bytes

    document = segment_bytes(TSUGUMI_EXTERNAL.encode("utf-8"), "tsugumi_external.txt")
    contexts = {c.own_text.strip(): context for c, context in clause_contexts(document)}
    assert contexts["プライバシーポリシー"].lead_in is None
    assert contexts["送信先"].lead_in is None
