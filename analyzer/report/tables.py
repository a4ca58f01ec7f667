"""The rows of the batch's tables: one per finding, per document's scores, per document ×
guideline item (written by ``dataset.py``)."""

from __future__ import annotations

from pathlib import Path

from analyzer.model import StructuredDocument
from analyzer.settings import scoring
from analyzer.taxonomy import labels

DOCUMENT_COLUMNS = ["document", "path", "carrier", "doc_type", "effective_date"]
FINDING_COLUMNS = [
    *DOCUMENT_COLUMNS,
    "level",
    "clause_path",
    "label",
    "label_ja",
    "kind",
    "guideline_items",
    "severity",
    "confidence",
    "method",
    "evidence_text",
    "evidence_start",
    "evidence_end",
    "explanation",
    "clause_role",
    "frame",
    "detectors",
    "model_probability",
    "combination",
]
SCORE_COLUMNS = [
    *DOCUMENT_COLUMNS,
    "title",
    "doc_type_confidence",
    "clauses",
    "problem_findings",
    "high_findings",
    "items_raised",
    "items_needing_operational_evidence",
    "overreach",
    "transparency",
    "missing_disclosures",
    "jreadability",
    "jreadability_band",
    "tateishi_rs",
    "sentence_length_mean",
    "share_over_100",
    "kanji_ratio",
    "triage_priority",
]
ITEM_COLUMNS = [*DOCUMENT_COLUMNS, "item", "title", "status", "status_ja", "findings"]
# The columns that are not text (a missing value is empty in CSV, null in Parquet)
COLUMN_TYPES = {
    "confidence": "float",
    "evidence_start": "int",
    "evidence_end": "int",
    "model_probability": "float",
    "doc_type_confidence": "float",
    "clauses": "int",
    "problem_findings": "int",
    "high_findings": "int",
    "items_raised": "int",
    "items_needing_operational_evidence": "int",
    "overreach": "float",
    "transparency": "float",
    "jreadability": "float",
    "tateishi_rs": "float",
    "sentence_length_mean": "float",
    "share_over_100": "float",
    "kanji_ratio": "float",
    "triage_priority": "float",
    "findings": "int",
}


def document_key(document: StructuredDocument, name: str | None = None) -> dict:
    info = document.document
    return {
        "document": name or Path(info.name).stem,
        "path": info.path,
        "carrier": info.carrier or "",
        "doc_type": info.doc_type,
        "effective_date": info.effective_date or "",
    }


def finding_rows(document: StructuredDocument, name: str | None = None) -> list[dict]:
    key = document_key(document, name)
    rows = []
    for clause in document.iter_clauses():
        for f in clause.findings:
            rows.append(
                {
                    **key,
                    "level": "clause",
                    "clause_path": clause.path,
                    "label": f.label,
                    "label_ja": labels()[f.label].ja,
                    "kind": f.kind,
                    "guideline_items": ";".join(f.guideline_items),
                    "severity": f.severity or "",
                    "confidence": round(f.confidence, 4),
                    "method": f.method,
                    "evidence_text": f.evidence.text,
                    "evidence_start": f.evidence.start,
                    "evidence_end": f.evidence.end,
                    "explanation": f.explanation,
                    "clause_role": clause.role,
                    "frame": f.frame or "",
                    "detectors": ";".join(f.source.detectors) if f.source else "",
                    "model_probability": ""
                    if not f.source or f.source.model_probability is None
                    else f.source.model_probability,
                    "combination": f.source.combination if f.source else "",
                }
            )
    for f in document.document_findings:
        first = f.evidence[0] if f.evidence else None
        rows.append(
            {
                **key,
                "level": "document",
                "clause_path": "",
                "label": f.label or f.id,
                "label_ja": labels()[f.label].ja if f.label in labels() else "",
                "kind": f.kind,
                "guideline_items": ";".join(f.guideline_items),
                "severity": f.severity,
                "confidence": round(f.confidence, 4),
                "method": "document_check",
                "evidence_text": first.text if first else "",
                "evidence_start": first.start if first else "",
                "evidence_end": first.end if first else "",
                "explanation": f.explanation,
                "clause_role": "",
                "frame": "",
                "detectors": f"document:{f.kind}",
                "model_probability": "",
                "combination": "",
            }
        )
    return rows


def triage_priority(document: StructuredDocument) -> float:
    """Order of the report's index: high-severity findings first, then overreach
    (scoring.yaml: ``triage_high_finding_weight`` points per high finding)."""
    high = sum(1 for c in document.iter_clauses() for f in c.findings if f.severity == "high")
    overreach = document.scores.overreach.score if document.scores else 0.0
    return round(high * scoring()["triage_high_finding_weight"] + overreach, 2)


def score_row(document: StructuredDocument, name: str | None = None) -> dict:
    findings = [f for c in document.iter_clauses() for f in c.findings]
    scores = document.scores
    readability = scores.readability.document if scores else None
    return {
        **document_key(document, name),
        "title": document.document.title or "",
        "doc_type_confidence": document.document.doc_type_confidence,
        "clauses": len(document.iter_clauses()),
        "problem_findings": sum(1 for f in findings if f.kind == "problem"),
        "high_findings": sum(1 for f in findings if f.severity == "high"),
        "items_raised": sum(1 for v in document.guideline_items if v.status == "raised"),
        "items_needing_operational_evidence": sum(
            1 for v in document.guideline_items if v.status == "needs_operational_evidence"
        ),
        "overreach": scores.overreach.score if scores else "",
        "transparency": scores.transparency.score if scores else "",
        "missing_disclosures": ";".join(m.id for m in scores.transparency.missing) if scores else "",
        "jreadability": readability.jreadability if readability else "",
        "jreadability_band": readability.jreadability_band if readability else "",
        "tateishi_rs": readability.tateishi_rs if readability else "",
        "sentence_length_mean": readability.sentence_length_mean if readability else "",
        "share_over_100": readability.share_over_100 if readability else "",
        "kanji_ratio": readability.kanji_ratio if readability else "",
        "triage_priority": triage_priority(document),
    }


def item_rows(document: StructuredDocument, name: str | None = None) -> list[dict]:
    key = document_key(document, name)
    return [
        {
            **key,
            "item": v.item,
            "title": v.title,
            "status": v.status,
            "status_ja": v.status_ja,
            "findings": len(v.findings),
        }
        for v in document.guideline_items
    ]


TABLES = {
    "findings": (FINDING_COLUMNS, finding_rows),
    "scores": (SCORE_COLUMNS, lambda d, n=None: [score_row(d, n)]),
    "guideline_items": (ITEM_COLUMNS, item_rows),
}


def detail_limit() -> int:
    """How many documents the report and the summary describe in full (scoring.yaml)."""
    return int(scoring()["report_detail_documents"])


def triage_order(index_rows: list[dict]) -> list[dict]:
    """``scores`` rows by triage priority, highest first (ties keep the batch's order)."""
    return sorted(index_rows, key=lambda row: -(row["triage_priority"] or 0.0))
