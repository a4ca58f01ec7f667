"""Frame checks: the secrecy patterns of the guideline read straight from a clause's frames.

Each check is one sentence of ``shared/spec/frames.md`` ("``via_terms`` / ``deemed_by_use`` +
a secrecy data slot + no opt-out is the core problem"): it looks at the frames of a clause and
names the frame it rests on. Whether a check may stand alone is measured like a rule's precision
when the model is trained; otherwise it is one vote among the detectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from analyzer.detect.frames import HANDLING_ACTIONS
from analyzer.model import Frame
from analyzer.normalize import normalize


@dataclass(frozen=True)
class FrameCheck:
    id: str
    label: str
    explanation: str


CHECKS = {
    "frame.terms_as_consent": FrameCheck(
        "frame.terms_as_consent",
        "terms_bundled_consent",
        "約款・規約への同意をもって、通信の秘密に係る情報の取扱いへの同意としています。",
    ),
    "frame.use_as_consent": FrameCheck(
        "frame.use_as_consent",
        "secrecy_waiver_condition",
        "サービスの利用・接続をもって、又は同意しなければ利用できないとして、通信の秘密に係る情報の取扱いに同意させています。",
    ),
    "frame.forced_excess_use": FrameCheck(
        "frame.forced_excess_use",
        "excess_use_condition",
        "通信の秘密に係る情報を、サービス提供に必要な範囲を超えて使う（外部に渡す）ことを利用の条件としています。",
    ),
    # handing out and using beyond the service are measured apart: a handing-out to partners or
    # third parties is plain in the wording, a purpose beyond the service less so
    "frame.shared_without_consent": FrameCheck(
        "frame.shared_without_consent",
        "unconsented_secondary_use",
        "通信の秘密に係る情報を、同意や法令上の根拠に触れずに外部（提携先・第三者・一般公開等）へ提供するとしています。",
    ),
    "frame.use_without_consent": FrameCheck(
        "frame.use_without_consent",
        "unconsented_secondary_use",
        "通信の秘密に係る情報を、同意や法令上の根拠に触れずに外部へ提供し、又は目的外に利用するとしています。",
    ),
}


# the settings of combination.yaml the frame checks read: the checks are features of the model and
# their precision is measured in training, so these are in the model's fingerprint (the vetoes,
# gates and profiles of combination.yaml apply after the model and are not)
CHECK_SETTINGS = (
    "excess_purposes",
    "service_purposes",
    "outside_recipients",
    "lawful_recipients",
    "external_entry",
    "processed_data",
    "accepts_terms_only",
    "own_judgment_disclosure",
    "terms_deemed_accepted",
    "disclosure_field",
)


def check_settings() -> dict:
    """The part of ``combination.yaml`` the frame checks read."""
    settings = _settings()
    return {name: settings[name] for name in CHECK_SETTINGS}


@cache
def _settings() -> dict:
    return yaml.safe_load(resources.files("analyzer.data").joinpath("combination.yaml").read_text("utf-8"))


def excess_purposes() -> frozenset[str]:
    """Purposes beyond providing the service (combination.yaml: ``excess_purposes``)."""
    return frozenset(_settings()["excess_purposes"])


def service_purposes() -> frozenset[str]:
    """Purposes that providing the service needs (combination.yaml: ``service_purposes``)."""
    return frozenset(_settings()["service_purposes"])


def outside_recipients() -> frozenset[str]:
    """Recipients outside the carrier (combination.yaml: ``outside_recipients``)."""
    return frozenset(_settings()["outside_recipients"])


def run_checks(frames: list[Frame]) -> list[tuple[FrameCheck, int]]:
    """``(check, frame index)`` for every check that holds on some frame, the first frame each."""
    settings = _settings()
    excess = excess_purposes()
    outside = outside_recipients()
    needed = service_purposes()
    external_entry = re.compile(settings["external_entry"])
    processed = re.compile(settings["processed_data"])
    accepts_terms = re.compile(settings["accepts_terms_only"])
    own_judgment = re.compile(settings["own_judgment_disclosure"])
    terms_deemed = re.compile(settings["terms_deemed_accepted"])
    lawful_recipients = frozenset(settings["lawful_recipients"])
    disclosure_field = re.compile(settings["disclosure_field"])
    clause_opt_out = any("opt_out" in f.consent for f in frames)
    # the clause itself routes the consent through the terms (「本約款への同意をもって」) or declares
    # it (「会員は、あらかじめこれに同意するものとします」); a route taken from a list's lead-in or from
    # another sentence is the lead-in's or that sentence's finding
    # (an item that states a handling or a purpose of its own takes its lead-in's route: 「…本規約に
    # 同意することにより、次の取扱いに同意するものとします」 is the route of each handling it lists,
    # and the item carries the finding; an item that only names data, 「(1) 通話履歴」, leaves it
    # to the lead-in)
    terms_named = any(
        "via_terms" in f.consent
        and (
            any(c.slot == "consent" and c.value in ("via_terms", "declared") for c in f.cues)
            or ("consent" in f.inherited and any(c.slot in ("action", "purpose") for c in f.cues))
        )
        for f in frames
    )
    found: dict[str, tuple[FrameCheck, int]] = {}
    for index, frame in enumerate(frames):
        if not frame.protected or frame.polarity == "negated":
            continue
        # a field of a disclosure listed under the route (「・保存期間：3か月」) leaves the route to
        # the lead-in
        if "consent" in frame.inherited and disclosure_field.search(frame.text):
            continue
        consent = set(frame.consent)
        individual = "individual" in consent
        required = frame.condition == "required_for_service"
        # 「…の停止を求めることはできません」 blocks the way out: a use beyond the service is then
        # forced, but using does not count as the consent (no frame.use_as_consent)
        cannot_stop = frame.condition == "cannot_stop"
        routed = consent & {"via_terms", "deemed_by_use"} or required or cannot_stop
        # a consent route is about handling the data (取得・分析・利用・提供・保存), not about a
        # promise such as 「ログの流出について異議を述べないことに同意します」
        handles = bool(set(frame.actions) & HANDLING_ACTIONS)
        # a step of use or a refusal of service over data named with no act of its own (「通信記録の
        # 取扱いについては、…お使いになり始めた時点で承諾されたものとして扱います」「閲覧先の記録を望まれない
        # お客さまには、車内Wi-Fiはご利用いただけません」) is about handling that data
        # (a route of its own, not a lead-in's or a sibling's, and not the terms or their change)
        text = normalize(frame.text).text
        generic = (
            not set(frame.actions) - {"stop"}
            and not {"consent", "condition", "article_route"} & set(frame.inherited)
            and not accepts_terms.search(text)
        )
        holds = []
        if "via_terms" in consent and terms_named and handles and not individual and not clause_opt_out:
            holds.append("frame.terms_as_consent")
        if (
            # 「本規約に同意することにより…同意したものとみなします」 routes through the terms alone (the
            # reader drops the deemed route where no step of use is named); where the terms and a step
            # of use are named together (「本規約に同意して本サービスに接続することにより」) both routes
            # are the consent, and both labels hold (taxonomy §5: using or connecting counts as
            # consent → the waiver; corpora/clauses/DATACARD.md, step 21)
            (
                ("deemed_by_use" in consent and not ("via_terms" in consent and terms_deemed.search(text)))
                or required
            )
            # (over data named without an act, the terms beside a step of use are what is accepted:
            # 「変更後も継続して利用された場合、変更後の規約に同意したものとみなします」)
            and (handles or (generic and "via_terms" not in consent))
            and not individual
            and not clause_opt_out
        ):
            holds.append("frame.use_as_consent")
        # handing the data to someone outside the carrier for no purpose of the service's own
        # (「(4) 市内の商業・観光事業者に対する来訪傾向データの提供」 under a route) goes beyond the
        # service as much as advertising does
        hands_out = (
            "provide" in frame.actions
            and set(frame.recipients) & outside
            and not set(frame.recipients) & lawful_recipients
            and not set(frame.purposes) & needed
        )
        if routed and not individual and (set(frame.purposes) & excess or hands_out):
            holds.append("frame.forced_excess_use")
        # sharing or use beyond the service that says outright that no consent is sought; or
        # handing communications data to advertisers, partners or third parties for purposes
        # beyond the service with no consent route, lawful basis or opt-out named at all
        # (a legal basis named beside a disclosure on the operator's own judgment covers it not:
        # the authority or third party then receives the data on no law)
        discretionary = "provide" in frame.actions and bool(own_judgment.search(text))
        lawful = consent & {"legal_basis"} if not discretionary else set()
        no_route = (
            not (consent - {"none_sought", "legal_basis"} | lawful) and not required and not cannot_stop
        )
        reach = outside | ({"authority"} if discretionary else set())
        exempt = needed - {"service"} - ({"legal"} if discretionary else set())
        # what the clause itself says it does: a clause that refers back to a use stated earlier
        # (「前項の利用を希望されない場合は…」) is not that use again
        own_purposes = set() if "antecedent_purposes" in frame.inherited else set(frame.purposes)
        own_recipients = set() if "antecedent_recipients" in frame.inherited else set(frame.recipients)
        beyond = bool(own_purposes & excess)
        if (
            frame.polarity == "affirmed"
            and no_route
            and not external_entry.search(frame.text)
            # a clause about stopping the use (「拒否した場合…」「停止したお客様には…」) is about the
            # opt-out, not the use itself
            and "stop" not in frame.actions
            and not clause_opt_out
            and not ("derived" in frame.data and processed.search(frame.text))
            and set(frame.actions) & {"use", "analyse", "provide"}
            and not set(frame.purposes) & exempt
            and (
                ("none_sought" in consent and (beyond or own_recipients & reach))
                or ("provide" in frame.actions and own_recipients & reach)
                or beyond
            )
        ):
            handed_out = "provide" in frame.actions and bool(own_recipients & reach)
            holds.append("frame.shared_without_consent" if handed_out else "frame.use_without_consent")
        for check_id in holds:
            found.setdefault(check_id, (CHECKS[check_id], index))
    return list(found.values())
