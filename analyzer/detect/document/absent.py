"""Good practices a document is expected to show, by document type, and the ones it never does."""

from __future__ import annotations

import re

from analyzer.model import DocumentFinding, StructuredDocument
from analyzer.settings import doc_type_ja, guideline_item_specs, scoring
from analyzer.structure.metadata import DOC_TYPES
from analyzer.taxonomy import good_practice_labels, labels


def good_practice_presence(document: StructuredDocument) -> dict[str, float]:
    """The best confidence with which each good-practice label was found on some clause."""
    best: dict[str, float] = {}
    good = set(good_practice_labels())
    for clause in document.iter_clauses():
        for finding in clause.findings:
            if finding.label in good:
                best[finding.label] = max(best.get(finding.label, 0.0), finding.confidence)
    return {label: round(best[label], 4) for label in good_practice_labels() if label in best}


def is_present(label: str, present: dict[str, float]) -> bool:
    return present.get(label, 0.0) >= scoring()["presence_min_confidence"]


def expected_labels(doc_type: str, scope: str = "whole") -> dict[str, float]:
    """Expected good-practice labels of a document type (or of an excerpt), with their
    transparency weights."""
    if scope == "excerpt":
        return dict(scoring()["excerpt"]["expected"] or {})
    table = scoring()["expected_disclosures"]
    return dict(table.get(doc_type, table["other"]))


def document_scope(document: StructuredDocument) -> tuple[str, str]:
    """``("excerpt", why)`` for a notice, summary or FAQ; ``("whole", "")`` otherwise."""
    config = scoring()["excerpt"]
    title = document.document.title or ""
    if title and re.search(config["title_pattern"], title):
        return "excerpt", f"表題「{title}」が抜粋・お知らせ・概要の類です"
    if title and re.search(config["whole_title_pattern"], title):
        return "whole", ""
    if any(section.kind == "article" for section in document.iter_sections()):
        return "whole", ""
    clauses = document.iter_clauses()
    characters = sum(c.own_end - c.start for c in clauses)
    if characters < config["max_characters"] and len(clauses) < config["max_clauses"]:
        why = f"本文が短い（{characters}字、{len(clauses)}条項）ため、お知らせ・抜粋として扱います"
        return "excerpt", why
    return "whole", ""


def items_raised_by(check: str) -> list[str]:
    """Guideline items whose mapping lists ``check`` (e.g. ``absent:policy_access``)."""
    return [item for item, spec in guideline_item_specs().items() if check in spec.get("checks", [])]


def absent_findings(doc_type: str, present: dict[str, float], scope: str = "whole") -> list[DocumentFinding]:
    config = scoring()
    findings = []
    kind_ja = doc_type_ja(doc_type, "in_sentence") if doc_type in DOC_TYPES else "文書"
    for label in expected_labels(doc_type, scope):
        if is_present(label, present):
            continue
        raised = items_raised_by(f"absent:{label}")
        related = [i for i in config["absent_related_items"].get(label, []) if i not in raised]
        best = present.get(label, 0.0)
        note = f"（最も近い記載の確信度 {best:.2f}）" if best else ""
        findings.append(
            DocumentFinding(
                id=f"absent:{label}",
                kind="absent",
                label=label,
                guideline_items=raised + related,
                severity=config["absent_severity"].get(label, config["absent_severity"]["default"]),
                confidence=round(1.0 - best, 4),
                explanation=f"{kind_ja}に求められる「{labels()[label].ja}」に当たる記載が見当たりません{note}。",
                details={
                    "doc_type": doc_type,
                    "expected_by": f"expected_disclosures.{doc_type}",
                    "best_confidence": best,
                    "raises": raised,
                },
            )
        )
    return findings
