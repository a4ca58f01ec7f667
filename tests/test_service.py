"""Whether a document's provider carries its users' communications (service.yaml)."""

from __future__ import annotations

from analyzer.detect.document.service import read_service

WIFI = (
    "ひばりネット公衆無線LANサービス利用規約\n第1条（適用）\n本規約は、株式会社ひばりネットが駅及び商業施設で提供する"
    "公衆無線LANサービス（以下「本サービス」といいます。）の利用に適用します。\n"
    "第8条（通信の秘密）\n当社は、電気通信事業法第4条に基づき、利用者の通信の秘密を守ります。"
)
SITE_POLICY = (
    "プライバシーポリシー\n株式会社つむぎ書房（以下「当社」といいます。）は、当社が運営する書評サイトにおける"
    "利用者情報を次のとおり取り扱います。\n1. 当社は、サイトの閲覧履歴、IPアドレス及びCookieを取得します。\n"
    "2. 外部送信について（電気通信事業法第27条の12）\n当サイトでは、アクセス解析のため、次の事業者に情報を送信します。"
)
PROHIBITED_ACTS = (
    "利用規約\n第5条（禁止事項）\n利用者は、次の行為をしてはなりません。\n(1) 他人の通信の秘密を侵害する行為\n"
    "(2) 当社のサーバーに過度の負担をかける行為"
)
CHAT_APP = "利用規約\n第3条（メッセージ機能）\n本アプリは、ユーザー間のメッセージの送受信の機能を提供します。"


def test_a_public_wifi_terms_is_a_carrier_and_says_why() -> None:
    reading = read_service(WIFI)
    assert reading.carries_communications
    assert {"wifi", "telecom_business"} <= set(reading.cues)
    for span in reading.evidence:
        assert WIFI[span.start : span.end] == span.text
    assert "公衆無線LAN" in reading.reason


def test_a_sites_policy_citing_the_external_transmission_article_is_not_a_carrier() -> None:
    reading = read_service(SITE_POLICY)
    assert not reading.carries_communications
    assert reading.score < reading.threshold
    assert "通信の秘密として扱いません" in reading.reason


def test_forbidding_breaches_of_others_secrecy_does_not_make_a_carrier() -> None:
    assert not read_service(PROHIBITED_ACTS).carries_communications


def test_a_service_relaying_messages_between_users_is_a_carrier() -> None:
    assert read_service(CHAT_APP).carries_communications


SITE_TERMS = """レシピ投稿サイト「こなゆき」利用規約
株式会社こなゆきキッチン（以下「当社」といいます。）は、当社が運営するレシピ投稿サイト「こなゆき」（以下「本サイト」といいます。）の利用条件を次のとおり定めます。
第1条（適用）
本規約は、本サイトを利用するすべての会員に適用されます。
第2条（アクセスログの取扱い）
会員は、本規約に同意することにより、当社が本サイトにおける会員のアクセスログ、閲覧したページ及び検索語を取得し、広告の配信及び提携先の商品の案内に利用することに同意したものとみなされます。
第3条（規約の変更）
当社は、会員に通知することなく、いつでも本規約を変更できるものとします。
"""


def test_a_sites_own_logs_carry_no_secrecy_finding_end_to_end() -> None:
    import analyzer

    engine = analyzer.Analyzer(profile="recall")
    document = engine.analyze_bytes(SITE_TERMS.encode("utf-8"), "konayuki_terms.txt")
    service = document.checks.service
    assert service is not None and not service.carries_communications
    secrecy = {
        "secrecy_waiver_condition",
        "excess_use_condition",
        "terms_bundled_consent",
        "unconsented_secondary_use",
    }
    clauses = list(document.iter_clauses())
    logs = next(c for c in clauses if "アクセスログ" in c.text)
    assert not secrecy & {f.label for f in logs.findings}
    assert any("媒介するサービスと読み取れず" in s.reason for s in logs.suppressed)
    from analyzer.report.markdown import document_summary

    assert "通信の媒介: 利用者の通信を媒介するサービスとは読み取れません" in document_summary(
        "konayuki", document
    )
    # the same text from an ISP is the core pattern
    isp = SITE_TERMS.replace("レシピ投稿サイト", "インターネット接続サービス").replace(
        "本サイトにおける", "本サービスにおける"
    )
    carrier = engine.analyze_bytes(isp.encode("utf-8"), "konayuki_isp_terms.txt")
    assert carrier.checks.service.carries_communications
    logs = next(c for c in carrier.iter_clauses() if "アクセスログ" in c.text)
    assert secrecy & {f.label for f in logs.findings}


def test_routing_reads_protected_data_as_the_gate_does() -> None:
    from analyzer.detect.document.service import frames_for_provider, handles_protected_data
    from analyzer.detect.frames import FrameReader

    reader = FrameReader()
    logs = reader.read("当社は、本サイトのアクセスログ及び閲覧履歴を取得し、広告の配信に利用します。")
    messages = reader.read("当社は、会員間のメッセージの内容を閲覧し、広告の配信に利用します。")
    for frames, carrier, expected in (
        (logs, None, True),
        (logs, True, True),
        (logs, False, False),
        (messages, False, True),
    ):
        assert handles_protected_data(frames, carrier) is expected
        assert any(f.protected for f in frames_for_provider(frames, carrier)) is expected
