"""References to rules the document does not contain (「別途定める」「当社所定の」), and whether
each names the document it means (a title in 「」, a URL, 別表, an article)."""

from __future__ import annotations

from analyzer.detect.document.walk import placed_clauses
from analyzer.model import DocumentFinding, Evidence, ReferenceFinding, StructuredDocument
from analyzer.settings import compiled, document_patterns, items_raised_by, scoring


def find_references(document: StructuredDocument) -> list[ReferenceFinding]:
    patterns = document_patterns()["references"]
    reference = compiled(patterns["reference"])
    resolved = compiled(patterns["resolved"])
    window = int(patterns["window"])
    procedural = compiled(patterns["procedural"])
    text = document.document.text
    out = []
    for placed in placed_clauses(document):
        clause = placed.clause
        own = clause.own_text
        for match in reference.finditer(own):
            if procedural.search(own[match.end() :]):
                continue
            sentence_end = own.find("。", match.end())
            stop = min(len(own), match.end() + window, sentence_end + 1 if sentence_end >= 0 else len(own))
            # What names the rule may also stand just before the reference: 「料金表」に別に定める.
            context = own[max(0, match.start() - 15) : stop]
            start, end = clause.start + match.start(), clause.start + stop
            out.append(
                ReferenceFinding(
                    clause_path=clause.path,
                    resolved=bool(resolved.search(context)),
                    evidence=Evidence(start=start, end=end, text=text[start:end]),
                )
            )
    return out


def reference_findings(references: list[ReferenceFinding]) -> list[DocumentFinding]:
    unresolved = [r for r in references if not r.resolved]
    threshold = scoring()["unresolved_reference_threshold"]
    if len(unresolved) < threshold:
        return []
    return [
        DocumentFinding(
            id="unresolved_reference",
            kind="unresolved_reference",
            guideline_items=items_raised_by("unresolved_reference"),
            severity=scoring()["document_finding_severity"]["unresolved_reference"],
            confidence=1.0,
            explanation=f"名称や掲載場所の示されない「別途定める」規程等への参照が{len(unresolved)}箇所あります。",
            evidence=[r.evidence for r in unresolved],
            details={
                "unresolved": len(unresolved),
                "total": len(references),
                "threshold": threshold,
                "clause_paths": [r.clause_path for r in unresolved],
            },
        )
    ]
