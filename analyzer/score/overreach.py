"""Overreach 0–100: how far the document lets the carrier reach, traced to its parts.

Problem findings add severity × confidence (the k-th finding of one label counting decay^k),
vague-scope markers in purpose and sharing clauses add a little each, good practices that limit
the same ground take points away. Weights: scoring.yaml ``overreach``.
"""

from __future__ import annotations

import math
from collections import defaultdict

from analyzer.detect.document.walk import placed_clauses
from analyzer.model import Contribution, Evidence, OverreachScore, StructuredDocument
from analyzer.settings import compiled, document_patterns, scoring
from analyzer.taxonomy import labels


def score_overreach(document: StructuredDocument) -> OverreachScore:
    config = scoring()["overreach"]
    markers = document_patterns()["vague_markers"]
    marker_patterns = [compiled(p) for p in markers["patterns"]]
    marker_heading = compiled(markers["section_heading"])
    marker_labels = set(markers["labels"])
    taxonomy = labels()
    text = document.document.text

    contributions: list[Contribution] = []
    problem = [
        (placed, finding)
        for placed in placed_clauses(document)
        for finding in placed.clause.findings
        if taxonomy[finding.label].kind == "problem"
    ]
    by_label: dict[str, list] = defaultdict(list)
    for placed, finding in problem:
        by_label[finding.label].append((placed, finding))
    for label, found in by_label.items():
        found.sort(key=lambda pf: -pf[1].confidence)
        for k, (placed, finding) in enumerate(found):
            weight = config["severity_weight"][finding.severity or "low"]
            raw = weight * finding.confidence * config["repeat_decay"] ** k
            repeat = f"（同じラベルの{k + 1}件目）" if k else ""
            contributions.append(
                Contribution(
                    source="finding",
                    label=label,
                    clause_path=placed.clause.path,
                    evidence=finding.evidence,
                    raw_points=round(raw, 4),
                    points=0.0,
                    reason=(
                        f"{taxonomy[label].ja}（重大度 {finding.severity}、"
                        f"確信度 {finding.confidence:.2f}）{repeat}"
                    ),
                )
            )

    marker_total = 0.0
    for placed in placed_clauses(document):
        in_scope = bool(marker_labels & set(placed.labels)) or bool(marker_heading.search(placed.headings))
        if not in_scope:
            continue
        own = placed.clause.own_text
        for pattern in marker_patterns:
            for match in pattern.finditer(own):
                if marker_total >= config["vague_marker_cap"]:
                    break
                raw = min(config["vague_marker_points"], config["vague_marker_cap"] - marker_total)
                marker_total += raw
                start, end = placed.clause.start + match.start(), placed.clause.start + match.end()
                contributions.append(
                    Contribution(
                        source="vague_marker",
                        clause_path=placed.clause.path,
                        evidence=Evidence(start=start, end=end, text=text[start:end]),
                        raw_points=round(raw, 4),
                        points=0.0,
                        reason=f"範囲を限定しない表現「{text[start:end]}」",
                    )
                )

    best: dict[str, tuple[float, object]] = {}
    for placed in placed_clauses(document):
        for finding in placed.clause.findings:
            weighted = finding.label in config["mitigation_weight"]
            if weighted and finding.confidence > best.get(finding.label, (0.0, None))[0]:
                best[finding.label] = (finding.confidence, (placed, finding))
    for label, (confidence, (placed, finding)) in best.items():  # type: ignore[misc]
        raw = -config["mitigation_weight"][label] * confidence
        contributions.append(
            Contribution(
                source="mitigation",
                label=label,
                clause_path=placed.clause.path,
                evidence=finding.evidence,
                raw_points=round(raw, 4),
                points=0.0,
                reason=f"{taxonomy[label].ja}の記載による軽減（確信度 {confidence:.2f}）",
            )
        )

    raw_total = sum(c.raw_points for c in contributions)
    score = 100.0 * (1.0 - math.exp(-max(raw_total, 0.0) / config["scale"]))
    if raw_total > 0:
        # Each part's share of the score in proportion to its raw points: they sum to the score.
        for contribution in contributions:
            contribution.points = round(score * contribution.raw_points / raw_total, 3)
    contributions.sort(key=lambda c: -abs(c.raw_points))
    return OverreachScore(score=round(score, 2), raw=round(raw_total, 4), contributions=contributions)
