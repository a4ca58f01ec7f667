"""The screening policy for filings: the worst finding of each document against a severity
threshold, optionally only on named guideline items (``analyzer screen``; the line it prints is
``analyzer/report/screen.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model import StructuredDocument
from analyzer.taxonomy import SEVERITY_RANK, labels

THRESHOLDS = ("high", "medium", "low")


@dataclass(frozen=True)
class Worst:
    severity: str
    label: str
    name: str
    where: str
    confidence: float
    evidence: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ScreenResult:
    name: str
    failed: bool
    worst: Worst | None
    counted: int  # findings that count (on the named items, if any)


def _candidates(document: StructuredDocument, items: set[str] | None) -> list[Worst]:
    out = []
    for clause in document.iter_clauses():
        for f in clause.findings:
            if f.kind != "problem" or (items and not items & set(f.guideline_items)):
                continue
            out.append(
                Worst(
                    f.severity or "low",
                    f.label,
                    labels()[f.label].ja,
                    clause.path,
                    f.confidence,
                    f.evidence.text,
                    tuple(f.guideline_items),
                )
            )
    for f in document.document_findings:
        if items and not items & set(f.guideline_items):
            continue
        first = f.evidence[0].text if f.evidence else ""
        out.append(
            Worst(f.severity, f.id, f.explanation, "文書全体", f.confidence, first, tuple(f.guideline_items))
        )
    if items:
        # A raised item counts even when its findings carry other items first.
        for verdict in document.guideline_items:
            if (
                verdict.item in items
                and verdict.status == "raised"
                and not any(verdict.item in w.items for w in out)
            ):
                out.append(Worst("medium", verdict.item, verdict.title, "指針項目", 1.0, "", (verdict.item,)))
    return out


def screen_document(
    name: str, document: StructuredDocument, fail_on: str = "high", items: set[str] | None = None
) -> ScreenResult:
    """Fails when a counted finding has severity ``fail_on`` or above."""
    found = _candidates(document, items)
    found.sort(key=lambda w: (-SEVERITY_RANK[w.severity], -w.confidence))
    worst = found[0] if found else None
    failed = worst is not None and SEVERITY_RANK[worst.severity] >= SEVERITY_RANK[fail_on]
    return ScreenResult(name, failed, worst, len(found))
