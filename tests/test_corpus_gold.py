"""End to end on the sample corpus: every document against its gold clause tree.

The thresholds are the measured levels; a change that lowers them fails here.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from analyzer.evaluation.structure import evaluate_corpus, score_document
from analyzer.pipeline import segment_file
from tests.conftest import assert_offsets

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "documents"
CLAUSE_RECALL_OVERALL = 0.99  # measured 995/995; the issue asks for at least 0.95
CLAUSE_RECALL_PER_DOCUMENT = 0.95
# Hand-written documents with the quirks generated ones lack (hard wrapping, <ol>/<br>/<dl>,
# Markdown bold headings and lists, bracket headings, sub-headings, appendices). Measured
# 185/185 (handmade) and 186/186 (blind); before the fixes they prompted: 98/185 and 155/186.
# blind2: seven documents in real formats (PDF-extracted text with running headers and Kangxi
# radicals, Word-exported HTML, a CMS page with banners, Markdown bullet headings, a pasted web
# page with a table of contents, an 外部送信 page of tables, a Shift_JIS policy), written from real
# documents by a writer who never saw the segmenter: 145/327 when first measured, 327/327 now.
HANDMADE_RECALL = 0.99
FOLDERS = ["handmade", "blind", "blind2"]


@pytest.fixture(scope="module")
def scores():
    return evaluate_corpus(CORPUS / "gold.jsonl")


def test_the_corpus_covers_what_the_product_reads(gold: list[dict]) -> None:
    assert len(gold) >= 12
    assert {g["format"] for g in gold} == {"txt", "md", "html", "pdf", "docx"}
    assert {"cp932", "euc-jp"} <= {g["encoding"] for g in gold}
    assert {"privacy_policy", "terms", "app_policy", "external_transmission"} <= {g["doc_type"] for g in gold}
    assert any(g["footnotes"] for g in gold if g["format"] == "pdf")
    for entry in gold:
        assert entry["n_clauses"] == len(entry["clauses"]) and entry["n_sections"] == len(
            entry["section_paths"]
        )
        length = len(segment_file(CORPUS / entry["file"]).document.text)
        assert 2000 <= length <= 10000, (entry["file"], length)


def test_format_encoding_and_doc_type_are_right_for_every_sample(scores) -> None:
    wrong = [
        (s.file, s.format_ok, s.encoding_ok, s.doc_type_ok)
        for s in scores
        if not (s.format_ok and s.encoding_ok and s.doc_type_ok)
    ]
    assert wrong == []


def test_section_count_is_exact_for_every_sample(scores) -> None:
    assert [(s.file, s.found_sections) for s in scores] == [(s.file, s.gold_sections) for s in scores]


def test_clause_paths_are_found_with_the_same_boundaries(scores) -> None:
    matched = sum(s.matched_clauses for s in scores)
    total = sum(s.gold_clauses for s in scores)
    assert matched / total >= CLAUSE_RECALL_OVERALL, [(s.file, s.missing, s.wrong_boundaries) for s in scores]
    for score in scores:
        assert score.clause_recall >= CLAUSE_RECALL_PER_DOCUMENT, (
            score.file,
            score.missing,
            score.wrong_boundaries,
        )


def test_pdf_footnotes_are_reachable_and_kept_out_of_clauses(gold: list[dict]) -> None:
    entry = next(g for g in gold if g["format"] == "pdf" and g["footnotes"])
    document = segment_file(CORPUS / entry["file"])
    assert [f.mark for f in document.footnotes] == entry["footnotes"]
    for footnote in document.footnotes:
        assert footnote.start >= document.document.body_end
    assert all(c.end <= document.document.body_end for c in document.iter_clauses())


@pytest.mark.parametrize(
    "name",
    sorted(
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.suffix not in {".jsonl", ".yaml"}
    ),
)
def test_offsets_are_sacred_on_every_sample(name: str) -> None:
    assert_offsets(segment_file(CORPUS / name))


def test_score_document_counts_a_wrong_boundary(gold: list[dict]) -> None:
    entry = dict(gold[0])
    entry["clauses"] = [dict(c) for c in entry["clauses"]]
    entry["clauses"][0]["text"] += "余分な文。"
    score = score_document(entry, segment_file(CORPUS / entry["file"]))
    assert score.wrong_boundaries == [entry["clauses"][0]["path"]]


@pytest.mark.parametrize("folder", FOLDERS)
def test_hand_written_documents_are_segmented_like_their_gold(folder: str) -> None:
    scores = evaluate_corpus(CORPUS / folder / "gold.jsonl")
    assert all(s.format_ok and s.encoding_ok and s.doc_type_ok for s in scores)
    assert [(s.file, s.found_sections) for s in scores] == [(s.file, s.gold_sections) for s in scores]
    matched = sum(s.matched_clauses for s in scores)
    total = sum(s.gold_clauses for s in scores)
    assert matched / total >= HANDMADE_RECALL, [(s.file, s.missing, s.wrong_boundaries) for s in scores]


def test_titles_and_carriers_of_the_real_format_documents() -> None:
    """The second blind structure set names each document's title and issuer in its gold."""
    nfkc = lambda text: unicodedata.normalize("NFKC", text or "").strip()  # noqa: E731
    for line in (CORPUS / "blind2" / "gold.jsonl").read_text("utf-8").splitlines():
        entry = json.loads(line)
        info = segment_file(CORPUS / "blind2" / entry["file"]).document
        assert (nfkc(info.title), info.carrier) == (nfkc(entry["title"]), entry["carrier"]), entry["file"]


def test_no_clause_path_is_cut_twice_in_any_sample_or_blind_document() -> None:
    """A path that repeats (the segmenter then marks it 「[2]」) is a mis-cut."""
    folders = [CORPUS] + [CORPUS / folder for folder in FOLDERS]
    for folder in folders:
        for path in sorted(
            p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"}
        ):
            document = segment_file(path)
            for paths in (
                [c.path for c in document.iter_clauses()],
                [s.path for s in document.iter_sections()],
            ):
                assert [p for p in paths if "[" in p] == [], path.name
                assert len(paths) == len(set(paths)), path.name
