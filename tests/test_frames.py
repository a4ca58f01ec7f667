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
    assert frame.condition == "required_for_service"


def test_passive_browsing_and_venue_recipients(reader: FrameReader) -> None:
    frame = only(reader.read("閲覧されたページの傾向をもとに、テナント各社のクーポンを配信します。"))
    assert "browsing" in frame.data
    assert "partner" in frame.recipients
    assert "marketing" in frame.purposes
