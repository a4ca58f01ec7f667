"""How the detectors' proposals for one clause become findings (settings in
``analyzer/data/combination.yaml``).

1. Agreement: a label two detectors propose is found (``rule+model``, ``frame+model``, …).
2. A rule or a frame check whose measured precision is high stands alone, whatever the model
   says — the model never vetoes a precise rule.
3. The model alone needs enough text and, for a problem label, a probability clearly above
   its threshold.
4. The clause's role limits the problem labels it may carry (a heading states nothing; a
   purpose item is a purpose); a secrecy label needs a frame with communications-secrecy data.
5. ``high`` severity needs support: a secrecy frame, or two detectors agreeing.

What is proposed but not found is kept as ``suppressed`` with the reason, so a reader can see
what the gates removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from analyzer.detect.detectors import Proposal
from analyzer.detect.document.service import frames_for_provider
from analyzer.detect.frames import lexicon as frame_lexicon
from analyzer.detect.roles import ClauseInput, allowed_good_practice_labels, allowed_problem_labels
from analyzer.model import Frame
from analyzer.normalize import normalize
from analyzer.taxonomy import labels

ROLE_JA = {
    "title": "表題",
    "heading": "見出し",
    "definition": "定義",
    "revision_history": "改定履歴",
    "contact_block": "連絡先",
    "list_item": "列挙項目",
    "lead_in": "列挙の導入文",
}


@cache
def settings() -> dict:
    return yaml.safe_load(resources.files("analyzer.data").joinpath("combination.yaml").read_text("utf-8"))


def profiles() -> list[str]:
    """The profiles a run may choose (combination.yaml: ``profiles``)."""
    return list(settings()["profiles"])


@cache
def profile_settings(profile: str | None = None) -> dict:
    """The combination settings of ``profile`` (None: the default): the file's settings with the
    profile's overrides."""
    name = profile or settings()["default_profile"]
    if name not in settings()["profiles"]:
        raise ValueError(f"unknown profile {name!r} (choose from {', '.join(profiles())})")
    return settings() | (settings()["profiles"][name] or {})


@dataclass
class Decision:
    """One label found on a clause; ``start``/``end`` are offsets into the clause text."""

    label: str
    confidence: float
    method: str
    start: int
    end: int
    explanation: str
    detectors: list[str]
    combination: str
    severity: str | None
    severity_reason: str | None = None
    rule: str | None = None
    rule_file: str | None = None
    pattern: str | None = None
    rule_precision: float | None = None
    model_probability: float | None = None
    model_threshold: float | None = None
    frame_index: int | None = None


@dataclass
class Suppressed:
    label: str
    detectors: list[str]
    confidence: float
    reason: str


@dataclass
class ClauseDecisions:
    role: str
    list_role: str | None
    frames: list[Frame]
    decisions: list[Decision] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


def _announced_later(label: str, clause: ClauseInput, flat: str, config: dict) -> bool:
    """Whether a later paragraph of the clause's article announces the change or the suspension
    before it takes effect, and the clause itself does not do without notice
    (combination.yaml: ``later_paragraph_vetoes``)."""
    spec = config.get("later_paragraph_vetoes") or {}
    if not clause.later or label not in spec.get("labels", ()):
        return False
    if re.search(spec["unless_own"], flat):
        return False
    later = normalize(clause.later).text
    return any(re.search(p, later) for p in spec["notice"])


def _secrecy_frame(frames: list[Frame], preferred: int | None) -> int | None:
    """The frame a secrecy finding rests on: the one a frame check named, else the first
    affirmed frame with protected data, else a limited one. A clause whose every such frame is
    negated (「…同意したものとはみなしません」) says the opposite of the label."""
    if preferred is not None and frames[preferred].protected:
        return preferred
    usable = [i for i, f in enumerate(frames) if f.protected]
    for wanted in ("affirmed", "limited"):
        for index in usable:
            if frames[index].polarity == wanted:
                return index
    for index in usable:
        # a refusal is the problem itself: 「止めることはできません」「承諾しない者には提供しない」
        if frames[index].condition or "stop" in frames[index].actions:
            return index
    return None


def clause_routes(frames: list[Frame]) -> set[str]:
    """The consent routes and conditions of a clause's frames that handle protected data and are
    not negated (a route stated in another sentence or in the lead-in is already in them)."""
    routes: set[str] = set()
    for frame in frames:
        if frame.protected and frame.polarity != "negated":
            routes.update(frame.consent)
            if frame.condition:
                routes.add(frame.condition)
    # 「…提携先の商品案内に活用しております。この活用は、マイページからいつでもお止めいただけます」:
    # the opt-out sentence names no data of its own, yet it stops the handling the clause states
    handles = any(f.protected and f.polarity != "negated" for f in frames)
    if handles and any("opt_out" in f.consent and f.polarity != "negated" for f in frames):
        routes.add("opt_out")
    return routes


def _route_allows(frames: list[Frame], gate: dict) -> bool:
    routes = clause_routes(frames)
    if "any_of" in gate and not routes & set(gate["any_of"]):
        return False
    return not ("none_of" in gate and routes & set(gate["none_of"]))


def _route_reason(label: str, gate: dict) -> str:
    ja = frame_lexicon().ja
    if "any_of" in gate:
        wanted = "・".join(ja.get(v, v) for v in gate["any_of"])
        return f"このラベルの前提となる同意の経路（{wanted}）が条項から読み取れません"
    found = "・".join(ja.get(v, v) for v in gate["none_of"])
    return f"同意の経路（{found}）が記載されているため、同意なき取扱いには当たりません"


def service_only(frames: list[Frame], config: dict) -> bool:
    """Every frame that handles protected data, and is not negated, serves only purposes the
    service needs (料金の計算, 障害の復旧, 不正利用の防止) and hands nothing to anyone outside."""
    usable = [f for f in frames if f.protected and f.polarity != "negated"]
    needed = set(config["service_purposes"])
    outside = set(config["outside_recipients"])
    # a disclosure on the operator's own judgment (「請求が正当であると当社が判断した場合…開示」) is no
    # need of the service, whatever law it names beside it
    own_judgment = re.compile(config["own_judgment_disclosure"])
    return bool(usable) and all(
        f.purposes
        and set(f.purposes) <= needed
        and not set(f.recipients) & outside
        and not ("provide" in f.actions and own_judgment.search(normalize(f.text).text))
        for f in usable
    )


def _frame_supports(frame: Frame, label: str, config: dict) -> bool:
    """Whether ``frame`` itself shows the pattern of secrecy ``label``: every condition that
    combination.yaml lists for the label holds (protected data, not negated, always)."""
    need = (config.get("frame_support") or {}).get(label)
    if need is None or frame.polarity == "negated" or not frame.protected:
        return False
    consent = set(frame.consent)
    beyond = bool(set(frame.purposes) & set(config["excess_purposes"]))
    outside = bool(set(frame.recipients) & set(config["outside_recipients"]))
    checks = {
        "consent": lambda wanted: bool(consent & set(wanted)),
        "consent_or_condition": lambda wanted: (
            bool(consent & set(wanted)) or frame.condition == "required_for_service"
        ),
        "beyond_purpose": lambda _: beyond,
        "no_route": lambda _: not consent & {"individual", "via_terms", "deemed_by_use", "opt_out"},
        "beyond_or_outside": lambda _: beyond or outside,
    }
    return all(checks[name](value) for name, value in need.items())


def combine(
    clause: ClauseInput,
    role: str,
    list_role: str | None,
    frames: list[Frame],
    proposals: list[Proposal],
    probabilities: dict[str, tuple[float, float]] | None,
    stands_alone: float | None = None,
    profile: str | None = None,
) -> ClauseDecisions:
    """Findings of one clause from every detector's proposals; ``probabilities`` maps each
    label to the model's ``(probability, threshold)`` (None without a model).
    ``stands_alone`` overrides the precision a rule needs to stand alone (0.0 without a model:
    the rules are then all there is); ``profile`` chooses the reporting profile (default:
    combination.yaml's ``default_profile``)."""
    config = profile_settings(profile)
    stands = float(config["stands_alone_min_precision"] if stands_alone is None else stands_alone)
    secrecy = set(config["secrecy_labels"])
    # what hand-judged findings on real documents showed (combination.yaml): labels the model
    # may not report alone, rules that may not stand alone whatever their corpus precision
    needs_support = set(config.get("model_alone_needs_support") or [])
    not_alone = set(config.get("rules_not_alone") or [])
    allowed = allowed_problem_labels(clause, role, list_role)
    allowed_good = allowed_good_practice_labels(role)
    flat = normalize(clause.text).text
    # a list item is read with its lead-in, so the lead-in's text counts as its text
    text_length = len(clause.text.strip()) + len((clause.lead_in or "").strip())
    read_frames = frames
    frames = frames_for_provider(frames, clause.carrier)
    result = ClauseDecisions(role, list_role, frames)
    by_label: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        by_label.setdefault(proposal.label, []).append(proposal)
    for label, votes in by_label.items():
        spec = labels()[label]
        problem = spec.kind == "problem"
        detectors = list(dict.fromkeys(v.detector for v in votes))
        rule = max((v for v in votes if v.detector == "rules"), key=lambda v: v.confidence, default=None)
        check = next((v for v in votes if v.detector == "frame_checks"), None)
        model = next((v for v in votes if v.detector == "clause_model"), None)
        probability, threshold = (probabilities or {}).get(label, (None, None))
        best_rule = max((v for v in (rule, check) if v is not None), key=lambda v: v.confidence, default=None)

        def suppress(reason: str, label=label, votes=votes, detectors=detectors) -> None:
            result.suppressed.append(
                Suppressed(label, detectors, round(max(v.confidence for v in votes), 3), reason)
            )

        # the gates: role, what the label needs and what rules it out, then secrecy data
        if problem and allowed is not None and label not in allowed:
            if role == "lead_in":
                # roles.yaml: lead_in_listing_handlings
                suppress("列挙の導入文です。各号がそれぞれの取扱いを述べるため、このラベルは各号に判定します")
            else:
                suppress(f"{ROLE_JA.get(role, role)}（{list_role or role}）には問題ラベルを付けません")
            continue
        if not problem and allowed_good is not None and label not in allowed_good:
            suppress(f"{ROLE_JA.get(role, role)}にはこの取組のラベルを付けません")
            continue
        required = (config.get("label_requires") or {}).get(label)
        context = " ".join(normalize(t).text for t in (clause.heading or "", clause.lead_in or ""))
        if required and not re.search(required, flat + " " + context):
            suppress(f"このラベルに必要な語（{required[:40]}…）がありません")
            continue
        veto = next((p for p in config.get("label_vetoes", {}).get(label, []) if re.search(p, flat)), None)
        if veto:
            suppress(f"条項内の記載がこのラベルを打ち消します（{veto[:40]}…）")
            continue
        context_veto = next(
            (p for p in (config.get("label_context_vetoes") or {}).get(label, []) if re.search(p, context)),
            None,
        )
        if context_veto:
            suppress(f"見出し又は列挙の導入文の記載がこのラベルを打ち消します（{context_veto[:40]}…）")
            continue
        if problem and _announced_later(label, clause, flat, config):
            suppress(
                "同じ条の後の項が、効力の生じる前の通知・周知を定めています（事前の通知のない変更・停止ではありません）"
            )
            continue
        frame_index = None
        if label in secrecy:
            frame_index = _secrecy_frame(frames, check.frame_index if check else None)
            if frame_index is None:
                if any(f.protected for f in frames):
                    suppress("通信に関する情報の取扱いを否定する記載です（〜しません・〜とはみなしません）")
                elif any(f.protected for f in read_frames):
                    suppress(
                        "文書の提供者は利用者の通信を媒介するサービスと読み取れず、扱う情報（自社サイト・"
                        "アプリの閲覧履歴・ログ等）は通信の秘密に当たりません"
                    )
                else:
                    suppress(
                        "通信の秘密に係る情報（通信内容・通信履歴・閲覧履歴・位置情報）を扱う記載がありません"
                    )
                continue
            gate = (config.get("route_gate") or {}).get(label)
            if gate and not _route_allows(frames, gate):
                suppress(_route_reason(label, gate))
                continue
            # (an item of a list: a numbered paragraph with no lead-in, 「6.5.当社は、…」, is a body)
            if role == "list_item" and clause.lead_in and service_only(frames, config):
                suppress(
                    "サービスの提供に必要な取扱い（料金の計算、障害の対応、不正利用の防止等）を挙げる列挙項目です。"
                    "同意を要しない正当業務の範囲であり、同意の経路はこの項目の問題になりません"
                )
                continue
        # the votes
        if len(detectors) >= 2:
            combination = "agreement: " + " + ".join(detectors)
        elif (
            best_rule is not None
            and best_rule.confidence >= stands
            and (stands == 0.0 or best_rule.rule not in not_alone)
        ):
            combination = (
                f"{best_rule.detector} alone: measured precision {best_rule.confidence:.2f} ≥ {stands:.2f}"
            )
        elif model is not None and label in needs_support:
            suppress(
                "モデルのみの判定です。実文書の判定精度が低いラベルのため、ルールや情報の扱いの読み取りの"
                "裏付けを必要とします"
            )
            continue
        elif model is not None:
            margin = float(config["model_only_problem_margin"]) if problem else 0.0
            floor = float(config.get("model_only_problem_floor", 0.0)) if problem else 0.0
            needed = max((model.threshold or 0.0) + margin, floor)
            if text_length < int(config["model_only_min_chars"]):
                suppress(f"モデルのみの判定で、本文が短すぎます（{text_length}字）")
                continue
            if model.confidence < needed:
                suppress(
                    f"モデルのみの判定で、確率 {model.confidence:.2f} が必要な {needed:.2f}"
                    f"（閾値 {model.threshold:.2f}＋{margin:.2f}、下限 {floor:.2f}）に届きません"
                )
                continue
            combination = (
                f"model alone: probability {model.confidence:.2f} ≥ {needed:.2f} "
                f"(threshold {model.threshold:.2f} + {margin:.2f}, floor {floor:.2f})"
            )
        else:
            assert best_rule is not None
            if best_rule.rule in not_alone and best_rule.confidence >= stands:
                suppress(f"単独のルール（{best_rule.rule}）は、実文書での精度が低いため単独では判定しません")
            else:
                suppress(
                    f"単独のルール（{best_rule.rule}）で、"
                    f"測定精度 {best_rule.confidence:.2f} が {stands:.2f} 未満です"
                )
            continue
        evidence = best_rule or model
        assert evidence is not None
        confidence = max(v.confidence for v in votes)
        method = _method(detectors, best_rule)
        severity, severity_reason = spec.severity, None
        if severity == "high" and config.get("high_needs_support", True):
            supported = frame_index is not None and _frame_supports(frames[frame_index], label, config)
            if not supported and len(detectors) < 2:
                severity = "medium"
                severity_reason = (
                    "単独の検出器による判定で、読み取った情報の扱いもこのパターンを示していないため、"
                    "重大度を high から medium に下げています"
                )
        if evidence is model and frame_index is not None:
            frame = frames[frame_index]
            start, end = frame.start, frame.end
        else:
            start, end = evidence.start, evidence.end
        result.decisions.append(
            Decision(
                label=label,
                confidence=round(min(confidence, 1.0), 3),
                method=method,
                start=start,
                end=end,
                explanation=evidence.explanation,
                detectors=detectors,
                combination=combination,
                severity=severity,
                severity_reason=severity_reason,
                rule=best_rule.rule if best_rule else None,
                rule_file=best_rule.rule_file if best_rule else None,
                pattern=best_rule.pattern if best_rule else None,
                rule_precision=best_rule.precision if best_rule else None,
                model_probability=round(probability, 4) if probability is not None else None,
                model_threshold=round(threshold, 4) if threshold is not None else None,
                frame_index=frame_index,
            )
        )
    return result


def _method(detectors: list[str], best_rule: Proposal | None) -> str:
    """``rule:<id>``, ``model`` or ``rule+model`` as before; a frame check counts as a rule
    whose id starts with ``frame.``."""
    has_model = "clause_model" in detectors
    if best_rule is None:
        return "model"
    return "rule+model" if has_model else f"rule:{best_rule.rule}"
