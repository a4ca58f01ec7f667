from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from analyzer.model import Clause, Section, StructuredDocument

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "documents"


@pytest.fixture(scope="session", autouse=True)
def private_result_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI caches results in the user's cache folder by default: tests (and the processes
    they start, which inherit the environment) keep theirs in a temporary folder instead."""
    os.environ["ANALYZER_CACHE_DIR"] = str(tmp_path_factory.mktemp("result-cache"))
    # and print to a wide terminal: a message the tests read is not wrapped inside a phrase
    os.environ["COLUMNS"] = "400"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text("utf-8").splitlines()]


def all_nodes(document: StructuredDocument) -> list:
    """Every node that carries offsets, for invariant checks."""
    nodes: list = list(document.document.dates) + list(document.footnotes)

    def clause_nodes(clause: Clause) -> None:
        nodes.append(clause)
        nodes.extend(clause.sentences)
        for child in clause.clauses:
            clause_nodes(child)

    def section_nodes(section: Section) -> None:
        nodes.append(section)
        for clause in section.clauses:
            clause_nodes(clause)
        for child in section.sections:
            section_nodes(child)

    for section in document.sections:
        section_nodes(section)
    return nodes


def assert_offsets(document: StructuredDocument) -> None:
    """Every reported span points into the document text, and children nest in parents."""
    text = document.document.text
    for node in all_nodes(document):
        assert 0 <= node.start <= node.end <= len(text)
        assert text[node.start : node.end] == node.text

    def nested(parent, children) -> None:
        for child in children:
            assert parent.start <= child.start <= child.end <= parent.end

    for section in document.iter_sections():
        nested(section, section.sections)
        nested(section, section.clauses)
    for clause in document.iter_clauses():
        nested(clause, clause.clauses)
        nested(clause, clause.sentences)
        assert clause.start <= clause.own_end <= clause.end
    for run in document.document.source_map:
        assert 0 <= run.start <= run.end <= len(text)


def make_pdf(
    pages: list[list[str]],
    *,
    header: str | None = None,
    footnote: str | None = None,
    page_numbers: str = "- {n} -",
) -> bytes:
    """A PDF whose pages hold the given lines (wrapped by the caller), drawn with a Japanese
    CID font, optional running header, page numbers and a footnote on the first page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "HeiseiMin-W3"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    for number, lines in enumerate(pages, 1):
        if header:
            pdf.setFont(font, 8)
            pdf.drawString(56, height - 36, header)
        pdf.setFont(font, 8)
        pdf.drawCentredString(width / 2, 28, page_numbers.format(n=number, total=len(pages)))
        pdf.setFont(font, 10.5)
        y = height - 80
        for line in lines:
            pdf.drawString(56, y, line)
            y -= 16
        if footnote and number == 1:
            pdf.setFont(font, 8)
            pdf.drawString(56, 90, footnote)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="session")
def sample_evaluation() -> tuple[dict, dict]:
    """The bundled model over the sample documents: the label report and the analysed
    documents by gold id (computed once; several test modules read it)."""
    from analyzer.evaluation.documents import evaluate_documents

    analysed: dict = {}
    report = evaluate_documents(CORPUS / "gold.jsonl", analysed=analysed)
    return report, analysed


def batch_outputs(folder: Path) -> dict[str, object]:
    """A batch's per-document JSON (parsed), CSV tables (text) and Parquet parts (rows) by file
    name: what two runs of the same batch must agree on."""
    import pyarrow.parquet as pq

    found: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".json":
            found[path.name] = json.loads(path.read_text("utf-8"))
        elif path.suffix == ".csv":
            found[path.name] = path.read_text("utf-8-sig")
    for path in sorted(folder.glob("tables/*/[!.]*.parquet")):  # not a killed writer's .tmp
        found[str(path.relative_to(folder))] = pq.read_table(path).to_pylist()
    return found
