"""Compare the analyzer's structure with a gold file (``corpora/documents/gold.jsonl``)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.model import StructuredDocument
from analyzer.pipeline import segment_file


def comparable(text: str) -> str:
    """Text reduced to what two renderings of one clause share: NFKC, no whitespace, and no
    leading bullet (a Markdown 「- 」 or the 「・」 given to an HTML <li> is list markup)."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"^(?:[-*+・•●]|-(?=\S))", "", folded)


@dataclass
class DocumentScore:
    file: str
    format_ok: bool
    encoding_ok: bool
    doc_type_ok: bool
    gold_sections: int
    found_sections: int
    gold_clauses: int
    found_clauses: int
    matched_clauses: int
    missing: list[str] = field(default_factory=list)
    wrong_boundaries: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def clause_recall(self) -> float:
        return self.matched_clauses / self.gold_clauses if self.gold_clauses else 1.0


def score_document(gold: dict, document: StructuredDocument) -> DocumentScore:
    predicted = {clause.path: clause for clause in document.iter_clauses()}
    matched = 0
    missing: list[str] = []
    wrong: list[str] = []
    for entry in gold["clauses"]:
        clause = predicted.get(entry["path"])
        if clause is None:
            missing.append(entry["path"])
        elif comparable(clause.own_text) == comparable(entry["text"]):
            matched += 1
        else:
            wrong.append(entry["path"])
    gold_paths = {entry["path"] for entry in gold["clauses"]}
    return DocumentScore(
        file=gold["file"],
        format_ok=document.document.format == gold["format"],
        encoding_ok=document.document.encoding == gold["encoding"],
        doc_type_ok=document.document.doc_type == gold["doc_type"],
        gold_sections=gold["n_sections"],
        found_sections=len(document.iter_sections()),
        gold_clauses=gold["n_clauses"],
        found_clauses=len(predicted),
        matched_clauses=matched,
        missing=missing,
        wrong_boundaries=wrong,
        extra=[path for path in predicted if path not in gold_paths],
    )


def evaluate_corpus(gold_file: Path) -> list[DocumentScore]:
    """Segment every document named in ``gold_file`` (paths relative to it) and score it."""
    scores = []
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        document = segment_file(gold_file.parent / gold["file"])
        scores.append(score_document(gold, document))
    return scores
