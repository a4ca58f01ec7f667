"""Scores and verdicts on a document whose clauses carry findings: document checks, readability,
overreach, transparency and the 27 guideline-item verdicts."""

from __future__ import annotations

from analyzer.detect.document import check_document
from analyzer.model import Scores, StructuredDocument
from analyzer.score.overreach import score_overreach
from analyzer.score.readability import readability_findings, score_readability
from analyzer.score.transparency import score_transparency
from analyzer.score.verdicts import judge_items


def score_document(document: StructuredDocument) -> StructuredDocument:
    """Fill ``checks``, ``document_findings``, ``guideline_items`` and ``scores`` (in place)."""
    checks, findings = check_document(document)
    readability = score_readability(document)
    findings = [*findings, *readability_findings(readability)]
    document.checks = checks
    document.document_findings = findings
    document.guideline_items = judge_items(document, findings)
    document.scores = Scores(
        readability=readability,
        overreach=score_overreach(document),
        transparency=score_transparency(checks),
    )
    return document
