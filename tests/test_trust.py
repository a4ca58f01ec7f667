"""Findings a regulator can trust, walked over every sample document: no problem label on a
title, heading, definition or revision-history line; every secrecy finding rests on a frame with
communications data; every frame and cue points into the text; the careful documents pass
screening at ``high``; every finding records how it was made."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.pipeline import analyze_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "documents"
SECRECY = {
    "secrecy_waiver_condition",
    "excess_use_condition",
    "terms_bundled_consent",
    "unconsented_secondary_use",
}
NO_PROBLEM_ROLES = {"title", "heading", "definition", "revision_history"}
# The sample documents written as careful carriers' (quality: good in corpora/documents/src).
CAREFUL = ["hikari_app_privacy.md", "hoshizora_location_policy.docx", "minato_cable_privacy.txt"]


def documents() -> list[Path]:
    out = []
    for folder in (CORPUS, CORPUS / "blind", CORPUS / "handmade", CORPUS / "blind2"):
        out += sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"})
    return out


@pytest.fixture(scope="module")
def analysed(sample_evaluation) -> dict:
    _, by_id = sample_evaluation
    out = {}
    for path in documents():
        out[path.name] = by_id.get(path.stem) or analyze_file(path)
    return out


def test_every_sample_document_is_walked(analysed: dict) -> None:
    assert len(analysed) == len(documents()) >= 20


def test_no_problem_finding_on_titles_headings_definitions_or_history(analysed: dict) -> None:
    wrong = [
        (name, clause.path, clause.role, finding.label)
        for name, document in analysed.items()
        for clause in document.iter_clauses()
        for finding in clause.findings
        if finding.kind == "problem" and clause.role in NO_PROBLEM_ROLES
    ]
    assert wrong == []


def test_every_secrecy_finding_rests_on_a_frame_with_communications_data(analysed: dict) -> None:
    seen = 0
    for document in analysed.values():
        for clause in document.iter_clauses():
            for finding in clause.findings:
                if finding.label not in SECRECY:
                    continue
                seen += 1
                index = finding.source.frame_index
                assert index is not None and clause.frames[index].protected, (clause.path, finding.label)
                assert finding.frame == clause.frames[index].reading
    assert seen > 0  # the aggressive sample documents have secrecy findings


def test_frames_and_cues_point_into_the_text(analysed: dict) -> None:
    for document in analysed.values():
        text = document.document.text
        for clause in document.iter_clauses():
            for frame in clause.frames:
                assert text[frame.start : frame.end] == frame.text
                for cue in frame.cues:
                    assert text[cue.start : cue.end] == cue.text


def test_every_finding_records_how_it_was_made(analysed: dict) -> None:
    from analyzer.detect.registry import CLAUSE_DETECTORS

    for document in analysed.values():
        for clause in document.iter_clauses():
            for finding in clause.findings:
                source = finding.source
                assert source is not None and source.combination
                assert set(source.detectors) <= set(CLAUSE_DETECTORS)
                if "clause_model" in source.detectors:
                    assert source.model_probability is not None and source.model_threshold is not None
                if finding.method.startswith("rule:") or finding.method == "rule+model":
                    assert source.rule and source.rule_precision is not None
                if finding.severity == "high" and len(source.detectors) < 2:
                    assert finding.label in SECRECY and finding.frame


def test_the_careful_sample_documents_pass_screening_at_high() -> None:
    result = CliRunner().invoke(
        app, ["screen", *[str(CORPUS / name) for name in CAREFUL], "--fail-on", "high"]
    )
    assert result.exit_code == 0, result.output


def test_the_default_profile_spares_a_careful_document_what_the_recall_profile_reports() -> None:
    """hoshizora_location_policy is a careful location-data policy (document_gold.yaml: nothing
    raised); the recall profile lets the model alone call its clause on sharing statistics with
    local governments an unconsented secondary use, and its deletion clauses indefinite
    retention; the screening default does not (combination.yaml: model_alone_needs_support)."""
    document = str(CORPUS / "hoshizora_location_policy.docx")
    default = CliRunner().invoke(app, ["screen", document, "--fail-on", "low"])
    assert default.exit_code == 0, default.output
    recall = CliRunner().invoke(app, ["screen", document, "--fail-on", "low", "--profile", "recall"])
    assert recall.exit_code == 1, recall.output
    assert "indefinite_retention" in recall.output  # the first model-alone finding screen names
    assert CliRunner().invoke(app, ["screen", document, "--profile", "lenient"]).exit_code == 2
