"""Information-handling frames read from clause snippets (frames.md): the slots a careful reader
fills in, stated by hand for each snippet."""

from __future__ import annotations

import pytest

from analyzer.detect.frames import ClauseFrames, FrameReader, find_cues
from analyzer.nlp import get_nlp


@pytest.fixture(scope="module")
def reader() -> FrameReader:
    return FrameReader()


def only(frames):
    assert len(frames) == 1, [f.reading for f in frames]
    return frames[0]


def test_use_counts_as_consent_to_browsing_history(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "会員は、本サービスに接続した時点で、当社が接続先URLを記録し、提携先の広告配信に"
            "利用することに同意したものとみなします。"
        )
    )
    assert "browsing" in frame.data
    assert {"acquire", "use"} <= set(frame.actions)
    assert "partner" in frame.recipients
    assert "advertising" in frame.purposes
    assert "deemed_by_use" in frame.consent
    assert frame.polarity == "affirmed"
    assert frame.secrecy and frame.protected
    assert "停止の方法なし" in frame.reading


def test_negation_at_the_end_covers_every_coordinated_act(reader: FrameReader) -> None:
    frame = only(reader.read("当社は、お客様の通信履歴を取得し、広告配信に利用することはありません。"))
    assert frame.data == ["comms_metadata"]
    assert frame.polarity == "negated"
    assert frame.reading.endswith("（しない）") or "（しない）" in frame.reading


def test_a_negated_condition_does_not_negate_the_act(reader: FrameReader) -> None:
    frame = only(reader.read("同意しない場合であっても、当社は通話履歴を料金の請求のために利用します。"))
    assert frame.polarity == "affirmed"
    assert "billing" in frame.purposes


def test_terms_route_and_retention(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "契約者は、本約款に同意することにより、当社が通信履歴を取得することに同意したものとします。"
        )
    )
    assert "via_terms" in frame.consent
    retention = only(reader.read("接続記録は6か月間保存し、その後消去します。"))
    assert retention.retention == "period"
    forever = only(reader.read("当社は、取得した通信ログを期間の定めなく保存します。"))
    assert forever.retention == "indefinite"


def test_subscriber_data_is_not_secrecy_and_the_users_own_use_is_no_act(reader: FrameReader) -> None:
    frame = only(reader.read("当社は、氏名及び住所を料金の請求のために利用します。"))
    assert frame.data == ["subscriber"]
    assert not frame.secrecy and not frame.protected
    terms_only = reader.read("本サービスは、本規約に同意した利用者に限り利用できるものとします。")
    assert all(not f.data and not f.actions and not f.protected for f in terms_only)


def test_device_location_is_protected_but_not_secrecy(reader: FrameReader) -> None:
    frame = only(reader.read("当社は、端末のGPSの位置情報を提携先に提供します。"))
    assert frame.data == ["location_device"]
    assert frame.protected and not frame.secrecy
    base_station = only(reader.read("当社は、基地局の位置情報を提携先に提供します。"))
    assert base_station.data == ["location_network"]
    assert base_station.secrecy


def test_list_item_takes_its_lead_in_slots(reader: FrameReader) -> None:
    frame = only(reader.read("（２）閲覧履歴", lead_in="当社は、次の情報を第三者に提供します。"))
    assert frame.data == ["browsing"]
    assert frame.actions == ["provide"]
    assert frame.recipients == ["third_party"]
    assert "actions" in frame.inherited


def test_exception_items_of_a_negated_lead_in_are_limits(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "（３）その他当社が必要と判断した場合",
            lead_in="当社は、次の場合を除き、通信の内容を第三者に開示しません。",
        )
    )
    assert frame.data == ["comms_content"]
    assert frame.polarity == "limited"
    assert "unspecified" in frame.purposes


def test_heading_gives_the_data_when_the_clause_names_none(reader: FrameReader) -> None:
    frame = only(reader.read("当社は、これを広告配信に利用します。", heading="閲覧履歴の取扱い"))
    assert frame.data == ["browsing"]
    assert frame.data_from == "heading"


def test_references_back_resolve_to_the_earlier_clause(reader: FrameReader) -> None:
    text = "当社は、前項の情報を提携先に提供します。"
    resolved = only(reader.read(text, antecedent="当社は、お客様の通話履歴を取得します。", in_document=True))
    assert resolved.data == ["comms_metadata"] and resolved.data_from == "antecedent"
    unseen = only(reader.read(text))
    assert unseen.data == [] and unseen.data_from == "unresolved" and unseen.protected
    first = only(reader.read(text, in_document=True))
    assert first.data_from == "clause" and not first.protected


def test_cue_offsets_point_into_the_original_text() -> None:
    text = "当社は、ＩＰアドレス及び　閲覧履歴を取得します。"
    for cue in find_cues(text):
        assert text[cue.start : cue.end] == cue.text
    assert {"comms_metadata", "browsing"} <= {c.value for c in find_cues(text)}


def test_the_component_marks_cue_spans_on_the_tokens() -> None:
    doc = get_nlp().tokenize("当社は、通話の内容を録音し、保存します。")
    ClauseFrames()(doc)
    labels = {span.label_ for span in doc.spans["frame_cues"]}
    assert "data:comms_content" in labels
    assert "action:retain" in labels
    assert len(doc._.frames) == 1


def test_a_later_paragraph_that_reaches_back_gives_its_route(reader: FrameReader) -> None:
    handling = "当社は、前条の通信記録を、施設の運営者及び広告主に提供することがあります。"
    later = (
        "５　利用者は、前各項に定める利用又は提供の停止を求めることはできません。"
        "これらを希望しない利用者は、本サービスに接続しないものとします。"
    )
    alone = only(reader.read(handling))
    assert alone.consent == [] and alone.condition is None
    covered = only(reader.read(handling, covering=later))
    assert covered.condition == "required_for_service"
    assert "opt_out" not in covered.consent  # a refused stop is no opt-out
    assert "article_route" in covered.inherited
    assert {"partner", "advertiser"} <= set(covered.recipients)


def test_a_refused_stop_is_no_opt_out(reader: FrameReader) -> None:
    frame = reader.read("会員は、前項の分析の停止を求めることはできません。")[0]
    assert "opt_out" not in frame.consent
    assert frame.condition == "cannot_stop"


# A handling that cannot be refused or stopped blocks the way out; it does not say that using the
# service is the consent (snippets written for this test).
@pytest.mark.parametrize(
    "text",
    [
        "加入者は、前条に定める通話記録の取扱いについての承諾を撤回することができないものとします。",
        "会員は、当社が接続ログを分析することを個別に拒むことはできません。",
        "契約者は、当社が通信履歴を広告配信に利用することについて、その停止を求めることはできないものとします。",
        "なお、閲覧先の記録のみを止める設定はご用意しておりません。",
    ],
)
def test_a_blocked_way_out_is_its_own_condition(reader: FrameReader, text: str) -> None:
    frames = [f for f in reader.read(text) if f.protected or f.condition]
    assert frames, text
    assert all(f.condition == "cannot_stop" for f in frames), [f.reading for f in frames]
    assert all(f.polarity != "negated" for f in frames), [f.reading for f in frames]
    assert not any("deemed_by_use" in f.consent for f in frames)


def test_passive_browsing_and_venue_recipients(reader: FrameReader) -> None:
    frame = only(reader.read("閲覧されたページの傾向をもとに、テナント各社のクーポンを配信します。"))
    assert "browsing" in frame.data
    assert "partner" in frame.recipients
    assert "marketing" in frame.purposes


# Refusal means no service: what is refused is the service, so the handling is affirmed and the
# route is the condition (taxonomy §5); snippets written for this test in real 約款 and Wi-Fi styles.
@pytest.mark.parametrize(
    "text",
    [
        "当社は、通信量の解析を受け入れない会員に対しては、接続サービスを提供しないものとします。",
        "宛先ドメインの記録を望まれないお客様には、本サービスをご提供できません。",
        "接続先の記録を停止する設定は設けていないため、記録を望まない方は本Wi-Fiへの接続を控えるものとします。",
        "視聴履歴の分析を希望されない方は、本サービスをお申し込みいただけません。",
        # whoever refuses, whatever the verb: the service is not provided, continued or opened
        "通話内容の解析に応じていただけない契約者については、当社は本サービスの提供を継続することができません。",
        "接続先URLの記録を許可いただけない場合、会員アカウントを作成することはできません。",
        "位置情報の共有を望まれない場合には、本SIMをご利用いただくことはできません。",
        "トークの解析にご協力いただくことが本アプリのご利用の前提となります。",
        "閲覧履歴の記録を望まれない場合は、館内Wi-Fiではなくご自身の回線でのご利用をお願いいたします。",
    ],
)
def test_refusal_means_no_service_is_a_condition_not_a_negation(reader: FrameReader, text: str) -> None:
    frames = [f for f in reader.read(text) if f.protected]
    assert frames, text
    assert all(f.condition == "required_for_service" for f in frames), [f.reading for f in frames]
    assert all(f.polarity != "negated" for f in frames), [f.reading for f in frames]


def test_a_denied_condition_is_a_choice(reader: FrameReader) -> None:
    frame = only(reader.read("当社は、通信履歴の分析を、光回線サービスのご契約の条件とはしていません。"))
    assert frame.condition == "optional"


def test_an_optional_consent_is_not_read_as_a_condition(reader: FrameReader) -> None:
    frame = only(
        reader.read("同意しない契約者も本サービスを制限なく利用でき、当社は基地局情報を広告に用いません。")
    )
    assert frame.condition == "optional"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # a button of the terms and a step of use in one sentence: both routes stand
        (
            "「同意して接続」ボタンを押さずにSSIDへ接続された場合でも、接続をもって通信ログの取得に"
            "ご同意いただいたものとします。",
            {"via_terms", "deemed_by_use"},
        ),
        # a step that names no connective (「完了したお客様は…認めたものとします」)
        (
            "開通手続を完了したお客様は、当社が通信の接続先を記録することを認めたものとします。",
            {"deemed_by_use"},
        ),
        # a consent given for something else stretched to this handling
        (
            "会員は、前項の同意により、当社が閲覧履歴を広告の表示に用いることも承認したものとします。",
            {"via_terms"},
        ),
        (
            "ご契約いただいた時点で、当社が通信履歴を分析することにご同意いただいたものとします。",
            {"via_terms"},
        ),
        # consent 「があったもの」 is deemed, not individual
        (
            "加入者が宅内機器を接続した時点で、当社が通信状況のデータを収集することについて、加入者の承諾が"
            "あったものとします。",
            {"deemed_by_use"},
        ),
        (
            "本アプリの利用規約に同意された場合、接続先情報の提供についても同意されたものとします。",
            {"via_terms"},
        ),
        # the contract's contents, its conclusion or the application carry the consent
        (
            "お申込み内容には、通信履歴を当社の新サービス開発に用いることへのご承諾が含まれます。",
            {"via_terms"},
        ),
        (
            "当社は通信先のドメインを集計し、提携先の商品のご案内に用います。契約者は、本契約の締結にあたり、"
            "この取扱いを承諾するものとします。",
            {"via_terms"},
        ),
        ("加入の申込みは、当社が通話記録を分析し利用することへの同意を含むものとします。", {"via_terms"}),
        (
            "当社は、送受信されたメッセージを学習データとして利用することができ、契約者は本契約を締結することに"
            "よりこれを許諾するものとします。",
            {"via_terms"},
        ),
        # using, in the wording 「…いただく以上」
        ("館内Wi-Fiをご利用いただく以上、閲覧先の記録についてはご承知おきください。", {"deemed_by_use"}),
    ],
)
def test_consent_routes_in_indirect_wording(reader: FrameReader, text: str, route: set[str]) -> None:
    frames = [f for f in reader.read(text) if f.protected]
    routes = {r for f in frames for r in f.consent}
    assert route <= routes, (text, routes)
    assert "individual" not in routes


def test_a_separate_consent_is_not_a_terms_route(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "当社は、通話記録を商品案内に利用する場合、約款の承認とは別の書面により、利用する項目を示して"
            "契約者の同意を得るものとします。"
        )
    )
    assert frame.consent == ["individual"]


def test_an_objection_waived_is_not_a_negated_act(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "SIMの開通をもって、契約者は、当社が通信履歴を提携先へ提供することについて異議を述べないものとします。"
        )
    )
    assert frame.polarity == "affirmed"
    assert "deemed_by_use" in frame.consent


def test_results_derived_from_earlier_data_take_that_data(reader: FrameReader) -> None:
    frames = reader.read(
        "２　当社は、前項の分析結果を統計データとして第三者に提供します。",
        antecedent="当社は、契約者の通信履歴を分析します。",
        in_document=True,
    )
    assert "comms_metadata" in frames[0].data and frames[0].data_from == "antecedent"
    alone = reader.read("２　当社は、前項の分析結果を統計データとして第三者に提供します。")
    assert alone[0].data_from == "unresolved" and alone[0].protected


def test_terms_check_needs_the_terms_in_the_clause_itself(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    def checks(frames) -> set[str]:
        return {check.id for check, _ in run_checks(frames)}

    named = reader.read(
        "契約者は、本約款への同意をもって、当社が通信履歴を広告配信に利用することに同意したものとします。"
    )
    assert "frame.terms_as_consent" in checks(named)
    declared = reader.read(
        "契約者は、当社が通信履歴を広告配信に利用することを、あらかじめ承諾するものとします。"
    )
    assert "via_terms" in declared[0].consent and "frame.terms_as_consent" in checks(declared)
    # the same declaration made on the occasion of connecting: use is the route (taxonomy §5)
    on_use = reader.read(
        "本サービスへの接続を行った契約者は、当社が接続先の記録を広告配信に利用することに異議を述べないものとします。"
    )
    assert on_use[0].consent == ["deemed_by_use"] and "frame.terms_as_consent" not in checks(on_use)
    # a list item whose route is its lead-in's: the lead-in carries the finding
    item = reader.read(
        "(1) 通話履歴",
        lead_in="契約者は、本約款への同意をもって、当社が次の情報を広告配信に利用することに同意します。",
    )
    assert "via_terms" in item[0].consent and "frame.terms_as_consent" not in checks(item)


@pytest.mark.parametrize(
    "text",
    [
        "本約款の承認は、加入者の通信記録を第三者に提供することへの承認を含むものではない。",
        "本規約への同意は、位置情報の共有への同意を意味しません。",
    ],
)
def test_a_denied_terms_route_is_no_route(reader: FrameReader, text: str) -> None:
    assert not {r for f in reader.read(text) for r in f.consent} & {"via_terms", "deemed_by_use"}


def test_a_route_over_a_use_stated_earlier_takes_that_use_purposes(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    stated = "当社は、契約者の通信履歴を分析し、提携先の広告配信に利用します。"
    route = "２　前項の利用は、契約者が本約款に同意したことをもって承諾を得たものとします。"
    frame = reader.read(route, antecedent=stated, in_document=True)[0]
    assert frame.data == ["comms_metadata"] and frame.data_from == "antecedent"
    assert frame.purposes == ["advertising"] and "partner" in frame.recipients
    assert {"antecedent_purposes", "antecedent_recipients"} <= set(frame.inherited)
    # the reading says where the purposes and recipients come from
    assert "[広告配信]（前の条項から） のため" in frame.reading
    assert "frame.forced_excess_use" in {check.id for check, _ in run_checks([frame])}
    # the same route over a use the service needs goes no further than the service
    billing = reader.read(
        route, antecedent="当社は、料金の算定のため通信履歴を利用します。", in_document=True
    )[0]
    assert billing.purposes == []
    assert "frame.forced_excess_use" not in {check.id for check, _ in run_checks([billing])}


def test_a_clause_stopping_the_earlier_use_or_a_list_item_takes_no_purpose(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    stated = "当社は、契約者の通信履歴を当社グループの商品のご案内に利用します。"
    stop = reader.read(
        "２　前項の利用の停止を希望される場合は、マイページから停止できます。", antecedent=stated
    )
    assert all(f.purposes == [] for f in stop)
    item = reader.read(
        "(5) その他上記に付随する目的のため",
        lead_in="当社は、通信履歴を次の目的で利用します。",
        antecedent="(4) 当社及び提携先の広告配信のため",
    )
    assert all("antecedent_purposes" not in f.inherited for f in item)
    # a clause referring back to the use is not that use again: no use without consent
    asked = reader.read("３　前項の利用を希望されないお客様は、窓口にお申し出ください。", antecedent=stated)
    assert not {"frame.use_without_consent", "frame.shared_without_consent"} & {
        check.id for check, _ in run_checks(asked)
    }


def test_how_far_a_reference_back_reaches() -> None:
    from analyzer.detect.frames import antecedent_window

    assert antecedent_window("２　前項の利用は、本規約への同意をもって承諾を得たものとします。") == 1
    assert antecedent_window("前各項の取扱いを希望されない方は、本サービスをご利用いただけません。") == 3
    assert antecedent_window("前2項に定める記録の取得について承諾したものとします。") == 3
    assert antecedent_window("上記の取扱いにご同意いただいたものとします。") == 3
    # article numbers are looked up by number; the clause's own number is no reference
    assert antecedent_window("本規約への同意は、第8条第2項に定める取扱いへの同意を含みます。") == 0
    assert antecedent_window("第５条（同意）　当社は、通信履歴を取得します。") == 0


@pytest.mark.parametrize(
    ("text", "condition", "opt_out"),
    [
        # stopping only by leaving is a condition, not an opt-out
        (
            "会員は、前項の利用の停止を求める場合、本サービスの退会手続によるものとします。",
            "required_for_service",
            False,
        ),
        (
            "提供を望まない利用者は、当該エリアのWi-Fiに接続しないことにより、対象から外れることができます。",
            "required_for_service",
            False,
        ),
        ("契約者が第1項の利用を拒む場合、当社は本契約を締結しません。", "required_for_service", False),
        (
            "これを望まれない方は、本サービスに代えて携帯電話回線等をご利用ください。",
            "required_for_service",
            False,
        ),
        # a stop that works without leaving stays an opt-out
        ("広告配信の停止をご希望の場合は、マイページの設定画面からいつでも停止できます。", None, True),
    ],
)
def test_refusal_that_leaves_only_leaving(reader: FrameReader, text: str, condition, opt_out: bool) -> None:
    frames = reader.read(text)
    assert (
        any(f.condition == condition for f in frames) if condition else all(not f.condition for f in frames)
    )
    assert any("opt_out" in f.consent for f in frames) == opt_out


@pytest.mark.parametrize(
    "text",
    [
        "当社は、送受信されたメッセージの本文を、当社の生成AIモデルの学習データとして利用します。",
        "当社は、通話の録音を音声認識モデルの精度向上のために利用します。",
        "当社は、接続記録を当社グループの新規事業の企画に利用します。",
        "当社は、通信履歴を大学との共同研究に利用します。",
    ],
)
def test_training_models_and_new_businesses_are_purposes_beyond_the_service(
    reader: FrameReader, text: str
) -> None:
    from analyzer.detect.frame_checks import excess_purposes

    frame = only(reader.read(text))
    assert frame.purposes == ["development"]
    assert "development" in excess_purposes()
    assert "AI学習・研究開発・新規事業" in frame.reading


def test_the_services_own_improvement_and_spam_learning_stay_within_the_service(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import excess_purposes

    improving = only(reader.read("当社は、通信履歴を統計的に処理し、本サービスの改善に利用します。"))
    assert "development" not in improving.purposes
    spam = only(
        reader.read("当社は、機械学習を用いて迷惑メールを判定するため、メール本文を自動的に解析します。")
    )
    assert spam.purposes == ["fraud"]
    assert not set(improving.purposes + spam.purposes) & excess_purposes()


def test_a_route_over_an_earlier_model_training_use_is_forced_excess_use(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    stated = (
        "当社は、契約者のワークスペースに保存されたメッセージを、当社のAI機能の学習用データとして利用します。"
    )
    route = "２　契約者は、本契約の締結をもって前項の利用を承諾するものとします。"
    frame = reader.read(route, antecedent=stated, in_document=True)[0]
    assert frame.purposes == ["development"] and "antecedent_purposes" in frame.inherited
    assert "frame.forced_excess_use" in {check.id for check, _ in run_checks([frame])}


def test_an_item_deriving_data_takes_the_data_of_its_lead_in(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    lead_in = "利用者は、本サービスへの接続をもって、当社が接続記録を次の各号の目的で利用することに同意したものとします。"
    item = only(reader.read("(4) 市内の商業・観光事業者に対する来訪傾向データの提供", lead_in=lead_in))
    assert set(item.data) == {"comms_metadata", "derived"} and item.data_from == "lead_in"
    assert "partner" in item.recipients and "deemed_by_use" in item.consent
    # handed to businesses outside the carrier for no purpose of the service's own
    assert "frame.forced_excess_use" in {check.id for check, _ in run_checks([item])}
    # an item of the service's own under the same route is no excess use
    own = only(reader.read("(1) 本サービスの提供及び障害対応", lead_in=lead_in))
    assert "frame.forced_excess_use" not in {check.id for check, _ in run_checks([own])}


def test_refusing_means_no_application(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "会員は、当社が通信の宛先を広告に利用することに同意しない場合、本オプションを申し込むことはできません。"
        )
    )
    assert frame.condition == "required_for_service"


def test_an_item_stating_a_handling_takes_its_lead_in_route(reader: FrameReader) -> None:
    from analyzer.detect.frame_checks import run_checks

    lead_in = "契約者は、この約款に同意することにより、当社が次の各号に掲げる取扱いを行うことに同意するものとします。"
    item = reader.read(
        "(2) 接続先のドメイン名を、契約者の興味関心の推定及び広告の配信に利用すること", lead_in=lead_in
    )
    found = {check.id for check, _ in run_checks(item)}
    assert {"frame.terms_as_consent", "frame.forced_excess_use"} <= found
    # an item that names only data leaves the route to the lead-in
    data = reader.read("(1) 通話履歴", lead_in=lead_in)
    assert "frame.terms_as_consent" not in {check.id for check, _ in run_checks(data)}


def _checks(frames) -> set[str]:
    from analyzer.detect.frame_checks import run_checks

    return {check.id for check, _ in run_checks(frames)}


def test_logs_made_public_in_the_next_sentence_are_handed_out_without_consent(reader: FrameReader) -> None:
    frames = reader.read(
        "本ソフトウェアは、集計サーバーに対して、回線品質情報、統計情報及びクライアントからの接続ログ"
        "（接続日時、IPアドレス）を送信します。これらの情報は、集計サーバー上で公衆の閲覧に供されます。"
    )
    assert len(frames) == 2
    published = frames[1]
    assert "comms_metadata" in published.data  # the sentence before named the logs
    assert "public" in published.recipients
    assert "provide" in published.actions
    assert "frame.shared_without_consent" in _checks(frames)


def test_statistics_made_from_logs_are_not_the_logs(reader: FrameReader) -> None:
    frames = reader.read("当社は、お客様の通信履歴を統計情報に加工した上で、提携先に提供します。")
    assert "partner" in only(frames).recipients
    assert not {"frame.shared_without_consent", "frame.use_without_consent"} & _checks(frames)


def test_a_sentence_referring_to_the_data_before_it_does_not_reach_an_earlier_clause(
    reader: FrameReader,
) -> None:
    frames = reader.read(
        "当社は、お客様の端末の位置情報を取得します。当該情報は、提携先に提供します。",
        antecedent="当社は、お客様の氏名及び住所を広告配信に利用します。",
        in_document=True,
    )
    assert frames[1].data == ["location_device"]
    assert frames[1].purposes == []  # the earlier clause's advertising is not this sentence's
    assert "frame.shared_without_consent" in _checks(frames)


@pytest.mark.parametrize(
    "text",
    [
        "また、メッセージ機能を用いた第三者への勧誘、その他法令に反する内容の送信を禁止します。",
        "利用者は、他の利用者の通信履歴を第三者に提供してはなりません。",
    ],
)
def test_what_the_terms_forbid_the_user_is_not_done(reader: FrameReader, text: str) -> None:
    frame = only(reader.read(text))
    assert frame.polarity == "negated"
    assert not _checks([frame])


def test_a_direct_message_feature_is_no_marketing(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "・ダイレクトメッセージ（DM）・グループチャット", lead_in="本サービスは以下の機能を提供します。"
        )
    )
    assert "marketing" not in frame.purposes
    assert "marketing" in only(reader.read("当社は、お客様の住所をDMの送付に利用します。")).purposes


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # consent in the word 合意, bundled with the terms
        (
            "規約への同意ボタンを押すことで、閲覧カテゴリ情報をスポンサーの商品開発に役立てることにも合意いただいたものとします。",
            "via_terms",
        ),
        # consent taken together with the contract
        (
            "契約者は、当社が通信量データを広告主に提供することについて、利用契約の締結と同時に承諾するものとします。",
            "via_terms",
        ),
        (
            "契約者は、申込みの際に、この約款のほか、通信履歴の第三者への提供についても、一括して承諾するものとします。",
            "via_terms",
        ),
        (
            "閲覧履歴は、当社グループ各社の販促に利用します（本規約承認時に同意を得たものとします）。",
            "via_terms",
        ),
    ],
)
def test_real_wordings_of_a_terms_route(reader: FrameReader, text: str, route: str) -> None:
    assert route in only(reader.read(text)).consent


@pytest.mark.parametrize(
    "text",
    [
        "データ割は、アクセス先のカテゴリ情報を広告パートナーへ連携することを条件に割引価格で提供しています。",
        "送ったメッセージの中身は、広告をえらぶために読み取られます。このアプリを使うには、これに同意してもらう必要があります。",
    ],
)
def test_a_handling_as_the_price_of_the_service(reader: FrameReader, text: str) -> None:
    assert any(f.condition == "required_for_service" for f in reader.read(text))


@pytest.mark.parametrize(
    "text",
    [
        "本約款の承認は、加入者の通信記録を第三者に提供することへの承認を含むものではない。",
        "当社は、通話記録を第三者に提供しようとするときは、契約者から書面又は電磁的方法による同意を取得するものとします。",
        "閲覧カテゴリのスポンサーへの提供は、アプリの設定で「提供する」を選んだ方のみが対象です。",
    ],
)
def test_a_consent_of_its_own_is_no_handing_out_without_consent(reader: FrameReader, text: str) -> None:
    frame = only(reader.read(text))
    assert "individual" in frame.consent
    assert not _checks([frame])


def test_the_carriers_own_name_with_a_short_name_is_no_recipient(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "本指針は、株式会社ミナモネット(MINAMO)(以下、当社といいます。)が、位置情報等データを取得し、"
            "統計データを作成する際に遵守すべき事項を定めるものです。"
        )
    )
    assert "third_party" not in frame.recipients


def test_accepting_the_terms_gives_no_route_to_another_sentences_handling(reader: FrameReader) -> None:
    frames = reader.read(
        "会員は、本サービスの登録を申し込む時点において本規約の内容を承諾しているものとします。"
        "同じIPアドレスから複数の登録を申し込む場合は、当社の審査を要します。"
    )
    logs = [f for f in frames if "comms_metadata" in f.data]
    assert logs and not logs[0].consent
    assert not _checks(frames)
    # a sentence giving consent to the handling stated before it still routes it
    routed = reader.read(
        "当社は、接続先URLを記録し、提携先の広告に利用します。接続をもって同意とさせていただきます。"
    )
    assert "deemed_by_use" in routed[0].consent


def test_a_comprehensive_consent_in_the_application_is_a_terms_route(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "加入契約の申込みをする者及び契約者は、前号の検知及び通信の遮断につき、あらかじめ包括的に同意するものとします。",
            antecedent="当社は、契約者の名前解決要求に係るドメイン情報を機械的に検知し、通信を遮断します。",
            in_document=True,
        )
    )
    assert "via_terms" in frame.consent


# Taxonomy §5: signing or entering the contract is the terms route however the consent is worded,
# a step of use is the deemed route; a consent stretched to a handling (「…についても承諾」) or given
# to what the policy states (「本ポリシーに定める…に同意」) takes the route its sentence names.
# Snippets written for this test in 約款, Wi-Fi and app styles.
@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "２　申込書への記名押印により、申込者は、第１５条に定める通話明細の分析について承諾したものとします。",
            "via_terms",
        ),
        (
            "加入契約が成立したときは、当社が料金の計算のため通信量の記録を保存することについても、加入者の承諾があったものとみなします。",
            "via_terms",
        ),
        (
            "契約者は、本契約の申込みをもって、当社が接続回線の通信量の記録を設備計画に用いることに同意したものとみなされます。",
            "via_terms",
        ),
        (
            "本アプリを起動した時点で、利用者は、本ポリシーに定める通話履歴の取得及び利用に同意したものとみなされます。",
            "deemed_by_use",
        ),
        (
            "認証画面で手続を完了した利用者は、第７条に定める接続記録の取得についても承諾したものとします。",
            "deemed_by_use",
        ),
        (
            "サービスの利用を開始した会員は、第２０条に定める通信履歴の利用について異議がないものとみなします。",
            "deemed_by_use",
        ),
        (
            "初回に表示される案内を閉じた時点で、前記の学習への利用についてもご了承いただいたものとします。",
            "deemed_by_use",
        ),
    ],
)
def test_the_occasion_decides_the_consent_route(reader: FrameReader, text: str, route: str) -> None:
    frames = [f for f in reader.read(text) if f.consent]
    assert frames, text
    other = {"via_terms": "deemed_by_use", "deemed_by_use": "via_terms"}[route]
    assert any(route in f.consent for f in frames), [f.reading for f in frames]
    assert not any(other in f.consent for f in frames), [f.reading for f in frames]


def test_voicemail_and_attachments_are_contents(reader: FrameReader) -> None:
    voice = reader.read("当社は、留守番サービスで受けたボイスメールを文字に変換して表示します。")
    assert any("comms_content" in f.data for f in voice)
    attached = reader.read("当社は、会員がメールに添付したファイルをウイルス検査のため機械的に検査します。")
    assert any("comms_content" in f.data for f in attached)


# Refusals as real 約款 word them (snippets written for this test): the service is refused, so the
# handling is the price of it, not denied.
@pytest.mark.parametrize(
    "text",
    [
        "前項の同意をされない方は、本サービスをご利用いただけません。",
        "第２項及び前項の取扱いに同意しない方からの本サービスの申込みは、承諾しません。",
        "前各項の取扱いに同意しない入居者には、本サービスを提供しません。",
        "会員が前項の記録及び検査を拒む場合、当社は本ネットワークの利用を認めません。",
        "会員が前二項の同意を撤回しようとするときは、会員契約を解約するものとします。",
    ],
)
def test_refusals_in_more_wordings(reader: FrameReader, text: str) -> None:
    frames = reader.read(text)
    assert any(f.condition == "required_for_service" for f in frames), [f.reading for f in frames]
    assert all(f.polarity != "negated" for f in frames), [f.reading for f in frames]


def test_a_route_over_the_handling_referred_to_takes_its_acts(reader: FrameReader) -> None:
    earlier = (
        "管理会社は、保守のため、入居者の通信の接続先を記録し、これを建物所有者に提供することがあります。"
    )
    route = "２　入居者は、本サービスを利用することにより、前項の閲覧及び複製に同意したものとみなします。"
    frame = next(f for f in reader.read(route, antecedent=earlier) if f.consent)
    assert "provide" in frame.actions
    assert "antecedent_actions" in frame.inherited
    # without the clause it refers to, nothing is made up
    alone = next(f for f in reader.read(route) if f.consent)
    assert "antecedent_actions" not in alone.inherited


def test_a_purpose_item_works_on_the_data_of_its_lead_in(reader: FrameReader) -> None:
    lead_in = "会員は、本規約に同意することにより、当社が通信履歴を次の各号の目的で利用することに同意するものとします。"
    item = only(
        reader.read("(4) 会員の属性及び利用傾向の推定並びにその結果を用いた新商品の開発", lead_in=lead_in)
    )
    assert "comms_metadata" in item.data and item.protected
    assert "development" in item.purposes
    # an item that names data and no purpose keeps its own data
    plain = only(reader.read("(1) 氏名、住所及び電話番号", lead_in="当社は、次の情報を取得します。"))
    assert not plain.protected


def test_mail_and_files_named_together_are_contents(reader: FrameReader) -> None:
    frames = reader.read("当社は、送受信された電子メール及び添付資料の内容を記録し、検査することがあります。")
    assert any("comms_content" in f.data for f in frames)


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        ("・接続日時が、スポット設置店舗の集客分析に利用されること。", "marketing"),
        ("エ　他の商業施設における来館履歴との突合", "profiling"),
    ],
)
def test_venue_analysis_and_matching_are_purposes_beyond_the_service(
    reader: FrameReader, text: str, purpose: str
) -> None:
    lead_in = "利用者は、本サービスに接続することにより、次の事項に同意したものとみなします。"
    assert any(purpose in f.purposes for f in reader.read(text, lead_in=lead_in))


@pytest.mark.parametrize(
    ("lead_in", "text", "slot", "value"),
    [
        (
            "利用者は、本サービスに接続することにより、次の事項に同意したものとみなします。",
            "（2）利用者の町内における周遊状況の分析及びその結果の一般社団法人みさき野観光協会への提供",
            "recipients",
            "third_party",
        ),
        (
            "利用者は、本サービスに接続することにより、次の事項に同意したものとみなします。",
            "・接続したアクセスポイントの記録を集計した結果の自治体への提供",
            "recipients",
            "third_party",
        ),
        (
            "契約者は、本規約に同意することにより、次の目的での接続記録の利用に同意したものとします。",
            "(3) 接続記録を他店舗の利用記録と突き合わせ、利用者ごとの来店頻度及び滞在時間を推定するため",
            "purposes",
            "profiling",
        ),
        (
            "契約者は、本規約に同意することにより、次の目的での接続記録の利用に同意したものとします。",
            "四　加入者の世帯構成の推定",
            "purposes",
            "profiling",
        ),
    ],
)
def test_associations_public_bodies_and_visit_estimates_go_beyond_the_carrier(
    reader: FrameReader, lead_in: str, text: str, slot: str, value: str
) -> None:
    """An association or a public body receiving the data is outside the carrier; estimating how
    often someone visits, how long they stay or who lives with them is profiling."""
    assert any(value in getattr(f, slot) for f in reader.read(text, lead_in=lead_in))


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            "契約者は、本約款に同意することにより、当社が通信履歴を当社の他のサービスの開発に利用することに同意するものとします。",
            "other_business",
        ),
        (
            "利用者は、本規約への同意をもって、当社が接続記録を当社の電力・ガス小売事業の顧客情報と統合することに同意したものとします。",
            "other_business",
        ),
        (
            "会員は、本規約に同意することにより、当社が通話の録音を当社の音声認識エンジンの改良に利用することに同意するものとします。",
            "development",
        ),
        (
            "契約者は、本約款に同意することにより、当社が通信履歴を新たなサービスの企画に利用することに同意するものとします。",
            "development",
        ),
    ],
)
def test_the_carriers_other_businesses_are_beyond_the_service(
    reader: FrameReader, text: str, purpose: str
) -> None:
    """A route over a use for the carrier's other services, its other businesses or its engines
    is a forced use beyond the service."""
    from analyzer.detect.frame_checks import run_checks

    frame = only(reader.read(text))
    assert purpose in frame.purposes
    assert "frame.forced_excess_use" in {check.id for check, _ in run_checks([frame])}


def test_a_report_to_a_building_owner_hands_the_data_on(reader: FrameReader) -> None:
    lead_in = "入居者は、本サービスの利用をもって、当社が接続記録を次の各号のとおり取り扱うことに同意したものとみなします。"
    frame = reader.read("(2) 住戸ごとの利用状況の建物所有者への月次報告", lead_in=lead_in)[0]
    assert "provide" in frame.actions and "partner" in frame.recipients
    from analyzer.detect.frame_checks import run_checks

    assert "frame.forced_excess_use" in {check.id for check, _ in run_checks([frame])}


def test_a_partner_named_by_what_it_does_is_a_partner(reader: FrameReader) -> None:
    frame = only(
        reader.read("当社は、端末の接続基地局の情報を、当社の提携する地図サービス事業者に提供します。")
    )
    assert frame.recipients == ["partner"]


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        ("(4) 通信障害の発生時に、その原因を調査するため、契約者回線の通信履歴を確認すること", "network"),
        ("(6) 不正な利用の防止のため、短時間に大量の発信を行う回線を検知すること", "fraud"),
        ("(2) 違法・有害な投稿の検知及び削除", "fraud"),
    ],
)
def test_the_services_own_needs_in_real_wording(reader: FrameReader, text: str, purpose: str) -> None:
    lead_in = "契約者は、本約款に同意することにより、当社が通信履歴を次の各号のとおり取り扱うことに同意するものとします。"
    frame = reader.read(text, lead_in=lead_in)[0]
    assert purpose in frame.purposes


def test_refusal_that_bars_membership_is_a_condition_of_the_service(reader: FrameReader) -> None:
    frame = reader.read("２　前項の利用に同意しない者は、会員となることができません。")[0]
    assert frame.condition == "required_for_service"


@pytest.mark.parametrize(
    "text",
    [
        # a step of use over data named with no act of its own
        "ハルカゼWi-Fiの接続記録の取扱いについては、お客様がアクセスポイントに初めて接続された時点で承諾されたものとして扱います。",
        # a refusal of the service over data named with no act of its own
        "閲覧先の記録を望まれないお客さまには、館内Wi-Fiはご利用いただけません。",
        # a refusal by a person noun, the service withheld
        "当社は、通信履歴を用いた広告配信を希望しない契約者に対しては、本サービスの提供を行わないことがあります。",
        # a way out closed for as long as the service is used
        "会員は、本サービスの利用を継続する限り、通信ログの取扱いについての同意を撤回することはできません。",
        # softer wordings of a step of use
        "コトリトークのご利用を続けていただくことで、トークの送受信記録の機能改善への活用にご協力いただく形となります。",
        "当リゾルバに問い合わせを送信された時点で、クエリログの取扱いを受け入れていただいたものとして扱います。",
    ],
)
def test_use_or_refusal_over_the_data_is_the_waiver_route(reader: FrameReader, text: str) -> None:
    assert "frame.use_as_consent" in _checks(reader.read(text))


@pytest.mark.parametrize(
    "text",
    [
        # accepting the terms or their change is not a handling of the data
        "本規約の改定後、お客様が最初にアクセスポイントに接続した時点で、改定後の規約の適用に合意したものとします。",
        "本ＳＩＭカードを端末に挿入し、データ通信を開始されたお客様は、本規約のすべての条項に同意したものとみなされます。",
        # consent is not needed: 「同意しなくても…使えます」
        "トーク履歴を新しい目的で使うときは、アプリの画面であらためて同意をお願いします。同意しなくても、トークはこれまでどおり使えます。",
    ],
)
def test_accepting_the_terms_or_an_optional_consent_is_no_waiver(reader: FrameReader, text: str) -> None:
    assert "frame.use_as_consent" not in _checks(reader.read(text))


@pytest.mark.parametrize(
    "text",
    [
        "当社は、法令に基づく場合のほか、当社が必要と判断した場合には、ユーザーのトーク内容を第三者に開示することがあります。",
        "当社は、警察その他の捜査機関から照会を受けた場合、照会の根拠の有無にかかわらず、通話履歴を開示することがあります。",
        "当社は、捜査機関から任意の照会を受けた場合、当社の判断により、利用者の接続記録を提供することがあります。",
    ],
)
def test_a_disclosure_on_the_operators_own_judgment_has_no_legal_basis(
    reader: FrameReader, text: str
) -> None:
    assert "frame.shared_without_consent" in _checks(reader.read(text))


def test_a_disclosure_the_law_requires_is_not_without_consent(reader: FrameReader) -> None:
    frames = reader.read("当社は、裁判官の発付した令状に基づく場合に限り、通信履歴を捜査機関に提供します。")
    assert not {"frame.shared_without_consent", "frame.use_without_consent"} & _checks(frames)


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        ("(3) 接続先ドメインの履歴から利用者の関心分野を推定すること", "profiling"),
        ("(4) 通信量の推移から推定した指標を提携する金融機関の与信審査に提供すること", "profiling"),
        ("(5) 沿道の商業施設のご案内及びオファーの配信", "marketing"),
        ("(6) 音声認識技術の開発", "development"),
    ],
)
def test_purposes_beyond_the_service_in_more_wordings(reader: FrameReader, text: str, purpose: str) -> None:
    lead_in = "利用者は、本サービスの利用を開始した時点で、当社が通信記録を次の各号のとおり取り扱うことに同意したものとみなします。"
    frame = reader.read(text, lead_in=lead_in)[0]
    assert purpose in frame.purposes


def test_a_request_is_no_bill(reader: FrameReader) -> None:
    frame = only(
        reader.read("当社は、裁判所から通話記録の開示を請求された場合、これを開示することがあります。")
    )
    assert "billing" not in frame.purposes


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "当社は、送信されたメッセージの件数及び送信時刻を配信品質の改善に用いることがあり、利用者は予めこれに同意するものとします。",
            "via_terms",
        ),
        (
            "契約者は、本契約条項への署名をもって、当社が通信量の記録を与信調査会社に提供することを認めるものとする。",
            "via_terms",
        ),
        (
            "「お店のお知らせを受け取る」にチェックを入れたお客様にのみ、位置情報を利用したご案内をお送りします。",
            "individual",
        ),
    ],
)
def test_routes_in_further_real_wordings(reader: FrameReader, text: str, route: str) -> None:
    assert any(route in f.consent for f in reader.read(text))


DEFINING_TERMS = (
    "第6条（定義）\n"
    "本規約において「配信データ」とは、お客様が本サービスを利用して、友だち登録した利用者に送信し又は"
    "利用者から受信するテキスト、画像その他の情報をいいます。\n"
    "本規約において「本サービス」とは、当社が提供するメッセージ配信サービスをいいます。\n"
    "当社が本サービスの運用のために記録する接続日時及びIPアドレス（以下「接続ログ」といいます。）は、"
    "90日間保存します。\n"
)


def test_a_document_defines_terms_as_communications_data() -> None:
    from analyzer.detect.definitions import defined_data
    from analyzer.detect.frames import lexicon

    defined = dict(defined_data(DEFINING_TERMS, lexicon().gate_data))
    # what one party sends to another through the service; the frames lexicon's own words
    assert defined == {"配信データ": "comms_content", "接続ログ": "comms_metadata"}
    # the service itself is never data, whatever its definition names


def test_a_defined_term_names_its_data_where_it_is_used(reader: FrameReader) -> None:
    text = "当社は、配信データを当社の広告・宣伝活動に利用することがあり、お客様は予めこれに同意するものとします。"
    alone = reader.read(text)
    assert not any(f.protected for f in alone)
    frames = reader.read(text, defined=(("配信データ", "comms_content"),))
    frame = next(f for f in frames if f.protected)
    assert "comms_content" in frame.data
    cue = next(c for c in frame.cues if c.slot == "data" and c.value == "comms_content")
    assert text[cue.start : cue.end] == "配信データ"


def test_the_person_named_is_no_step_of_use(reader: FrameReader) -> None:
    # 「利用者は」 names who consents, not a step: agreeing to the terms is the only route
    frame = only(
        reader.read(
            "利用者は、本規約に同意することにより、当社が接続先のドメイン名を分析し、提携先の広告配信に"
            "利用することに同意するものとします。"
        )
    )
    assert frame.consent == ["via_terms"]
    found = _checks([frame])
    assert "frame.terms_as_consent" in found
    assert "frame.use_as_consent" not in found


def test_the_terms_and_a_step_of_use_together_are_both_routes(reader: FrameReader) -> None:
    # taxonomy §5: agreeing to the terms is the terms route; connecting counts as consent too
    frame = only(
        reader.read(
            "利用者は、本規約に同意のうえ本サービスに接続することにより、当社が閲覧したウェブサイトの"
            "URLを記録し、来店者の嗜好分析に利用することに同意したものとみなします。"
        )
    )
    assert {"via_terms", "deemed_by_use"} <= set(frame.consent)
    assert {"frame.terms_as_consent", "frame.use_as_consent"} <= _checks([frame])


def _assert_no_step_of_use(reader: FrameReader, text: str) -> None:
    """No protected frame of ``text`` takes consent from a step of use, and no waiver check holds."""
    frames = [f for f in reader.read(text) if f.protected]
    assert frames and all("deemed_by_use" not in f.consent for f in frames), [f.reading for f in frames]
    assert "frame.use_as_consent" not in _checks(frames)


@pytest.mark.parametrize(
    "text",
    [
        "お申込み画面で「利用規約に同意する」にチェックを入れて送信された時点で、当社がお客さまの"
        "IPアドレスとアクセス先の記録を保存し、サービス改善に使うことにご同意いただいたものとします。",
        "申込画面において「本約款に同意する」のチェックボックスを選択した者は、当社が着信番号を"
        "迷惑電話データベースと照合することにも同意したものとします。",
        "本規約への同意ボタンの押下をもって、当社が接続履歴を会員情報と結び付けて管理することに"
        "ついても承諾いただいたものとします。",
    ],
)
def test_pressing_the_terms_control_is_the_terms_route(reader: FrameReader, text: str) -> None:
    _assert_no_step_of_use(reader, text)


def test_terms_deemed_accepted_by_use_are_no_consent_to_a_handling(reader: FrameReader) -> None:
    frames = reader.read(
        "２　前項の変更後に契約者が本サービスの利用を継続したときは、契約者は変更後の約款を承認したもの"
        "とみなします。",
        antecedent="当社は、契約者の通信履歴を取得し、利用傾向の分析に利用します。",
        in_document=True,
    )
    assert "frame.use_as_consent" not in _checks(frames)


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            "見守りプランをお申し込みの保護者様は、お子さまの位置の記録を提携先の英会話教室の生徒募集に"
            "用いることにも同意いただいたものとします。",
            "marketing",
        ),
        (
            "契約者は、この約款の承認をもって、当社が通信量の推移を業界動向レポートの作成に用いることを"
            "承諾するものとします。",
            "other_business",
        ),
        (
            "本規約に同意した会員は、当社が通話の相手先の業種から興味分野を推定し、提携カードの特典の"
            "選定に用いることに同意したものとします。",
            "profiling",
        ),
        (
            "お客さまは、ご契約の締結をもって、当社が回線の利用状況を信用評価に用いることを承諾する"
            "ものとします。",
            "profiling",
        ),
    ],
)
def test_more_purposes_beyond_the_service_under_a_route(reader: FrameReader, text: str, purpose: str) -> None:
    frames = [f for f in reader.read(text) if f.protected]
    assert any(purpose in f.purposes for f in frames), [f.reading for f in frames]
    assert "frame.forced_excess_use" in _checks(frames)


def test_using_data_jointly_with_the_group_hands_it_out(reader: FrameReader) -> None:
    frame = only(
        reader.read(
            "第３１条　当社は、この約款の承認をもって、契約者の通信の宛先情報を当社の関連会社と共同で"
            "利用することについての契約者の承諾とします。"
        )
    )
    assert "provide" in frame.actions and "group" in frame.recipients
    assert "frame.forced_excess_use" in _checks([frame])


def test_reading_message_content_beside_another_act_is_an_act(reader: FrameReader) -> None:
    frames = reader.read(
        "会員は、当社が違反の疑いのある投稿やメッセージの内容を閲覧、削除することに同意するものとします。"
    )
    assert any("analyse" in f.actions and "comms_content" in f.data for f in frames), [
        f.reading for f in frames
    ]


@pytest.mark.parametrize(
    "text",
    [
        "トークの話題に応じた広告の表示は本アプリの基本機能であり、個別に無効にすることはできません。",
        "閲覧先の記録に基づく広告の挿入を停止するには、広告なしプランへの変更が必要です。",
        "通話履歴の販促への利用の停止は、本サービスの解約によってのみ行うことができます。",
    ],
)
def test_a_way_out_only_by_paying_or_leaving_is_blocked(reader: FrameReader, text: str) -> None:
    frames = [f for f in reader.read(text) if f.protected]
    assert any(f.condition in ("cannot_stop", "required_for_service") for f in frames), [
        f.reading for f in frames
    ]


def test_switching_off_that_ends_the_use_is_an_opt_out(reader: FrameReader) -> None:
    frames = reader.read(
        "当社は、位置の記録を近隣の提携店舗からのお知らせ配信に用いています。アプリで「お知らせ」を"
        "オフにすれば、位置の記録はこの目的には使われなくなります。"
    )
    assert any("opt_out" in f.consent for f in frames), [f.reading for f in frames]
    assert not {"frame.use_without_consent", "frame.shared_without_consent"} & _checks(frames)


def test_a_suspension_naming_mail_and_harm_to_others_hands_nothing_out(reader: FrameReader) -> None:
    frames = reader.read(
        "１．当社は、会員が次のいずれかに該当する場合、当該会員の承諾を得ることなく、当該会員の本サービスの"
        "利用を制限することがあります。（１）大量送信メールの経路となる等により、第三者に被害が及ぶおそれが"
        "あると判断した場合。（２）当該会員の認証情報が第三者に無断で利用されたと推測される場合。"
    )
    assert not any("provide" in f.actions or f.recipients for f in frames), [f.reading for f in frames]
    assert not _checks(frames)


def test_a_criminal_procedure_item_is_a_legal_basis(reader: FrameReader) -> None:
    frames = reader.read(
        "（１）刑事訴訟法の定めに基づく強制の処分として差押えを受けた場合　当該処分に必要な範囲",
        lead_in="当社は、次の各号に掲げる場合を除き、通信履歴を第三者に提供しません。",
    )
    assert any("legal_basis" in f.consent for f in frames), [f.reading for f in frames]
    assert not {"frame.shared_without_consent", "frame.use_without_consent"} & _checks(frames)


@pytest.mark.parametrize(
    ("text", "route_here"),
    [
        ("・記録する内容：客室番号、接続時刻、通信量、閲覧したサイトのアドレス", False),
        ("・保存期間：チェックアウトの日から90日", False),
        ("・利用目的：当館のサービス改善及び提携レストランのご案内", True),
    ],
)
def test_fields_of_a_disclosure_leave_the_route_to_the_lead_in(
    reader: FrameReader, text: str, route_here: bool
) -> None:
    frames = reader.read(
        text,
        lead_in="客室のWi-Fiに接続された時点で、当館が接続記録を以下のとおり取り扱うことにご同意いただいたものとします。",
    )
    assert ("frame.use_as_consent" in _checks(frames)) is route_here, [f.reading for f in frames]


def test_offering_logs_for_analysis_and_machine_processing_are_acts(reader: FrameReader) -> None:
    offered = only(reader.read("当社は、配送記録を当社グループ各社における分析に供することがあります。"))
    assert {"analyse", "provide"} <= set(offered.actions)
    processed = reader.read(
        "利用者は、本規約に同意することにより、当社がメールの件名及び送信元を機械的に処理し、広告の表示に"
        "用いることに同意したものとします。"
    )
    assert any("analyse" in f.actions for f in processed), [f.reading for f in processed]
    assert "frame.terms_as_consent" in _checks(processed)


@pytest.mark.parametrize(
    "text",
    [
        "当社は、通話履歴を上記の目的以外に利用する場合には、改めてお客さまの同意を得ます。",
        "接続記録を広告に利用する場合は、契約者の明示の同意を得るものとします。",
        "位置の記録を新たな目的に使うときは、利用者から個別かつ明示的な同意を得ます。",
    ],
)
def test_a_fresh_consent_for_a_new_use_is_individual(reader: FrameReader, text: str) -> None:
    _assert_no_step_of_use(reader, text)


def test_a_consent_deemed_given_in_classical_wording_stays_a_route(reader: FrameReader) -> None:
    frames = reader.read(
        "十五　加入者が本規程を承認し、かつ当社の回線に接続したるときは、当社は、通信の相手方及び時刻を"
        "記録し、料金の算定に用いることにつき加入者の承諾を得たるものとする。"
    )
    assert not any("individual" in f.consent for f in frames), [f.reading for f in frames]


def test_an_aside_in_brackets_does_not_change_the_route() -> None:
    """The same consent by use, with and without a definition in brackets inside the sentence: the
    aside's 「。」 ends no sentence, so the same route is read."""
    plain = (
        "利用者が本サービスに接続したときは、当社は、利用者が閲覧したウェブサイトのURLを記録するものとし、"
        "利用者は、接続の都度、これを承諾するものとします。"
    )
    aside = plain.replace("URLを", "URL（閲覧の日時を含みます。）を")
    routes = [{c.value for c in find_cues(t) if c.slot == "consent"} for t in (plain, aside)]
    assert "deemed_by_use" in routes[0]
    assert routes[1] == routes[0]
