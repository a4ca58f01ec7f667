"""External transmission entries (電気通信事業法27条の12): for each tag or module the document
lists, whether it gives the information sent, the recipient's name and the purpose."""

from __future__ import annotations

import re

from analyzer.detect.document.walk import placed_clauses
from analyzer.model import DocumentFinding, Evidence, Section, Span, StructuredDocument, TransmissionEntry
from analyzer.settings import compiled, document_patterns, scoring

LABEL = "external_transmission_disclosure"
FIELD_JA = {"information": "送信される情報", "recipient": "送信先の名称", "purpose": "利用目的"}
# 「送信先：X」 names a recipient unless X is a description of one.
_NAMED_RECIPIENT = re.compile(r"送信先[：:]\s*(?P<name>[^\n、。]{2,40})")
_GENERIC = re.compile(r"事業者|提携先|第三者|等$|など|各社|パートナー")


def check_transmission(document: StructuredDocument) -> list[TransmissionEntry]:
    """One entry per innermost section holding a clause found to disclose a transmission.
    Sections with sub-sections are containers (「次の2-1から2-7まで」), not modules."""
    patterns = document_patterns()["external_transmission"]
    information = compiled(patterns["information"])
    recipient = compiled(patterns["recipient"])
    purpose = compiled(patterns["purpose"])
    module_cue = compiled(patterns["module_cue"])
    text = document.document.text

    modules: dict[str, Section] = {}
    for placed in placed_clauses(document):
        if placed.labels.get(LABEL, 0.0) < scoring()["presence_min_confidence"] or not placed.sections:
            continue
        section = placed.sections[-1]
        if section.sections:
            continue
        modules.setdefault(section.path, section)

    entries = []
    for path, section in modules.items():
        body = text[section.start : section.end]
        if not module_cue.search(body):
            continue
        named = any(not _GENERIC.search(m.group("name")) for m in _NAMED_RECIPIENT.finditer(body))
        found = {
            "information": bool(information.search(body)),
            "recipient": bool(recipient.search(body)) or named,
            "purpose": bool(purpose.search(body)),
        }
        missing = [name for name, ok in found.items() if not ok]
        entries.append(
            TransmissionEntry(
                name=section.heading or path,
                path=path,
                **found,
                complete=not missing,
                missing=missing,  # type: ignore[arg-type]
                evidence=Span(start=section.start, end=section.end, text=body),
            )
        )
    return entries


def transmission_findings(entries: list[TransmissionEntry]) -> list[DocumentFinding]:
    findings = []
    for entry in entries:
        if entry.complete:
            continue
        missing = "・".join(FIELD_JA[m] for m in entry.missing)
        head = entry.evidence
        findings.append(
            DocumentFinding(
                id=f"external_transmission:{entry.path}",
                kind="external_transmission",
                guideline_items=list(scoring()["external_transmission_items"]),
                severity=scoring()["document_finding_severity"]["external_transmission"],
                confidence=1.0,
                explanation=f"外部送信「{entry.name}」の記載に{missing}がありません（電気通信事業法27条の12）。",
                evidence=[Evidence(start=head.start, end=head.end, text=head.text)],
                details={"module": entry.name, "path": entry.path, "missing": entry.missing},
            )
        )
    return findings
