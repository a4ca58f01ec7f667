"""Scores and verdicts on a detected document (clause findings, document checks and findings,
see ``DetectionEngine.annotate``): readability, overreach, transparency and the 27
guideline-item verdicts. Scoring reads findings; it runs no detection."""

from __future__ import annotations

from analyzer.model import Scores, StructuredDocument
from analyzer.score.overreach import score_overreach
from analyzer.score.readability import readability_findings, score_readability
from analyzer.score.transparency import score_transparency
from analyzer.score.verdicts import judge_items


def score_document(document: StructuredDocument) -> StructuredDocument:
    """Add the readability finding to ``document_findings`` and fill ``guideline_items`` and
    ``scores`` (in place; scoring twice gives the same document)."""
    checks = document.checks
    if checks is None:
        raise ValueError("score_document needs a detected document (DetectionEngine.annotate)")
    readability = score_readability(document)
    detected = [f for f in document.document_findings if f.kind != "readability"]
    findings = [*detected, *readability_findings(readability)]
    document.document_findings = findings
    document.guideline_items = judge_items(document, findings)
    document.scores = Scores(
        readability=readability,
        overreach=score_overreach(document),
        transparency=score_transparency(checks),
    )
    return document
