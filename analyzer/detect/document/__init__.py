"""Checks on a whole document: what it never discloses, how it can be reached, whether its
external-transmission entries are complete, which rules it cites without naming them."""

from __future__ import annotations

from analyzer.detect.document.absent import absent_findings, document_scope, good_practice_presence
from analyzer.detect.document.contacts import check_contacts, contact_findings
from analyzer.detect.document.references import find_references, reference_findings
from analyzer.detect.document.service import read_service
from analyzer.detect.document.transmission import check_transmission, transmission_findings
from analyzer.model import DocumentChecks, DocumentFinding, ServiceReading, StructuredDocument


def check_document(
    document: StructuredDocument, service: ServiceReading | None = None
) -> tuple[DocumentChecks, list[DocumentFinding]]:
    """Run every document check on a document whose clauses carry findings (``service``: the
    reading its clauses were judged with; read here when not given)."""
    present = good_practice_presence(document)
    scope, scope_reason = document_scope(document)
    contacts = check_contacts(document)
    entries = check_transmission(document)
    references = find_references(document)
    checks = DocumentChecks(
        doc_type=document.document.doc_type,
        doc_type_confidence=document.document.doc_type_confidence,
        scope=scope,
        scope_reason=scope_reason,
        good_practice_present=present,
        contacts=contacts,
        external_transmission=entries,
        references=references,
        service=service or read_service(document.document.text),
    )
    findings = [
        *absent_findings(document.document.doc_type, present, scope),
        *(contact_findings(contacts, present) if scope == "whole" else []),
        *transmission_findings(entries),
        *reference_findings(references),
    ]
    return checks, findings


def annotate_document(
    document: StructuredDocument, service: ServiceReading | None = None
) -> StructuredDocument:
    """Fill ``checks`` and ``document_findings`` of a document whose clauses carry findings (in
    place; also returned)."""
    document.checks, document.document_findings = check_document(document, service)
    return document
