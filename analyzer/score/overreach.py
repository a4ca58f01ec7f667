"""Overreach 0–100: how far the document lets the carrier reach, traced to its parts.

Problem findings add severity × confidence (the k-th finding of one label counting decay^k),
vague-scope markers in purpose and sharing clauses add a little each, good practices that limit
the same ground take points away. Weights: scoring.yaml ``overreach``.
"""

from __future__ import annotations

import math
from collections import defaultdict

from analyzer.detect.document.walk import PlacedClause, placed_clauses
from analyzer.model import ClauseFinding, Contribution, Evidence, OverreachScore, StructuredDocument
from analyzer.settings import compiled, document_patterns, scoring
from analyzer.taxonomy import labels


def _traced(
    source: str, placed: PlacedClause, evidence: Evidence, raw: float, reason: str, label: str | None = None
) -> Contribution:
    return Contribution(
        source=source,  # type: ignore[arg-type]
        label=label,
        clause_path=placed.clause.path,
        evidence=evidence,
        raw_points=round(raw, 4),
        points=0.0,
        reason=reason,
    )


def _findings(placed: list[PlacedClause], config: dict) -> list[Contribution]:
    taxonomy = labels()
    by_label: dict[str, list[tuple[PlacedClause, ClauseFinding]]] = defaultdict(list)
    for p in placed:
        for finding in p.clause.findings:
            if taxonomy[finding.label].kind == "problem":
                by_label[finding.label].append((p, finding))
    out = []
    for label, found in by_label.items():
        found.sort(key=lambda pf: -pf[1].confidence)
        for k, (p, finding) in enumerate(found):
            weight = config["severity_weight"][finding.severity or "low"]
            raw = weight * finding.confidence * config["repeat_decay"] ** k
            repeat = f"（同じラベルの{k + 1}件目）" if k else ""
            reason = (
                f"{taxonomy[label].ja}（重大度 {finding.severity}、確信度 {finding.confidence:.2f}）{repeat}"
            )
            out.append(_traced("finding", p, finding.evidence, raw, reason, label))
    return out


def _markers(placed: list[PlacedClause], config: dict, text: str) -> list[Contribution]:
    markers = document_patterns()["vague_markers"]
    patterns = [compiled(p) for p in markers["patterns"]]
    heading = compiled(markers["section_heading"])
    wanted = set(markers["labels"])
    out: list[Contribution] = []
    total = 0.0
    for p in placed:
        if not (wanted & set(p.labels) or heading.search(p.headings)):
            continue
        for pattern in patterns:
            for match in pattern.finditer(p.clause.own_text):
                if total >= config["vague_marker_cap"]:
                    return out
                raw = min(config["vague_marker_points"], config["vague_marker_cap"] - total)
                total += raw
                start, end = p.clause.start + match.start(), p.clause.start + match.end()
                span = Evidence(start=start, end=end, text=text[start:end])
                out.append(_traced("vague_marker", p, span, raw, f"範囲を限定しない表現「{span.text}」"))
    return out


def _mitigations(placed: list[PlacedClause], config: dict) -> list[Contribution]:
    """Each mitigating label once, at its best confidence: mitigation offsets, it does not pile up."""
    best: dict[str, tuple[PlacedClause, ClauseFinding]] = {}
    for p in placed:
        for finding in p.clause.findings:
            if finding.label in config["mitigation_weight"] and (
                finding.label not in best or finding.confidence > best[finding.label][1].confidence
            ):
                best[finding.label] = (p, finding)
    out = []
    for label, (p, finding) in best.items():
        raw = -config["mitigation_weight"][label] * finding.confidence
        reason = f"{labels()[label].ja}の記載による軽減（確信度 {finding.confidence:.2f}）"
        out.append(_traced("mitigation", p, finding.evidence, raw, reason, label))
    return out


def score_overreach(document: StructuredDocument) -> OverreachScore:
    config = scoring()["overreach"]
    placed = list(placed_clauses(document))
    contributions = [
        *_findings(placed, config),
        *_markers(placed, config, document.document.text),
        *_mitigations(placed, config),
    ]
    raw_total = sum(c.raw_points for c in contributions)
    score = 100.0 * (1.0 - math.exp(-max(raw_total, 0.0) / config["scale"]))
    if raw_total > 0:
        # Each part's share of the score in proportion to its raw points: they sum to the score.
        for contribution in contributions:
            contribution.points = round(score * contribution.raw_points / raw_total, 3)
    contributions.sort(key=lambda c: -abs(c.raw_points))
    return OverreachScore(score=round(score, 2), raw=round(raw_total, 4), contributions=contributions)
