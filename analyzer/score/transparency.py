"""Transparency 0–100: the weighted share of the disclosures a document of its type is
expected to make, with the missing ones named. Weights: scoring.yaml."""

from __future__ import annotations

from analyzer.detect.document.absent import expected_labels, is_present
from analyzer.model import DisclosureCheck, DocumentChecks, TransparencyScore
from analyzer.settings import scoring
from analyzer.taxonomy import labels


def score_transparency(checks: DocumentChecks) -> TransparencyScore:
    config = scoring()
    extras = config["transparency_extras"]
    expected = [
        DisclosureCheck(
            id=label,
            name=labels()[label].ja,
            weight=float(weight),
            present=1.0 if is_present(label, checks.good_practice_present) else 0.0,
        )
        for label, weight in expected_labels(checks.doc_type).items()
    ]

    def extra(check: str, present: float) -> DisclosureCheck:
        return DisclosureCheck(
            id=check,
            name=extras[check]["name"],
            weight=float(extras[check]["weight"]),
            present=round(present, 4),
        )

    if any(d.id == "contact_point" for d in expected):
        channels = len(checks.contacts.channels)
        expected.append(extra("contact_channels", min(1.0, channels / config["contact_min_channels"])))
        expected.append(extra("contact_hours", 1.0 if checks.contacts.hours_stated else 0.0))
    if checks.external_transmission:
        complete = sum(1 for e in checks.external_transmission if e.complete)
        expected.append(extra("transmission_complete", complete / len(checks.external_transmission)))
    if checks.references:
        resolved = sum(1 for r in checks.references if r.resolved)
        expected.append(extra("references_resolved", resolved / len(checks.references)))
    total = sum(d.weight for d in expected)
    score = 100.0 * sum(d.weight * d.present for d in expected) / total if total else 0.0
    return TransparencyScore(
        score=round(score, 2), expected=expected, missing=[d for d in expected if d.present < 1.0]
    )
