"""The batch's Parquet dataset: one part per document and table, a fixed schema, CSV exported
from the parts, and pages that stay bounded however many documents a batch has."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from analyzer import analyze_bytes
from analyzer.report import dataset
from analyzer.report.html import report_chunks
from analyzer.report.markdown import summary_chunks
from analyzer.report.tables import FINDING_COLUMNS, score_row, triage_order
from analyzer.settings import scoring

TERMS = (
    "ななつぼしWi-Fi利用規約\n\n"
    "第1条（規約の変更）\n当社は、利用者に事前に通知することなく、本規約を変更できるものとします。\n"
    "第2条（管轄）\n本規約に関する一切の紛争は、当社の本店所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とします。\n"
)
NOTICE = "お知らせ\n\n2026年4月1日より、窓口の受付時間を平日9時から18時までといたします。\n"


@pytest.fixture(scope="module")
def documents():
    return {
        "nanatsuboshi_terms": analyze_bytes(TERMS.encode("utf-8"), "nanatsuboshi_terms.txt", rules_only=True),
        "notice": analyze_bytes(NOTICE.encode("utf-8"), "notice.txt", rules_only=True),
    }


def test_each_document_writes_its_own_part_and_the_folder_reads_as_one_table(
    documents, tmp_path: Path
) -> None:
    for name, document in documents.items():
        dataset.write_document(tmp_path, name, document)
    terms = documents["nanatsuboshi_terms"]
    expected = sum(len(c.findings) for c in terms.iter_clauses()) + len(terms.document_findings)
    assert expected >= 2  # the unilateral change and the jurisdiction clause
    findings = ds.dataset(tmp_path / "tables" / "findings").to_table()
    assert findings.column_names == FINDING_COLUMNS
    by_document = findings.group_by("document").aggregate([("label", "count")]).to_pylist()
    assert {r["document"]: r["label_count"] for r in by_document}["nanatsuboshi_terms"] == expected
    scores = ds.dataset(tmp_path / "tables" / "scores").to_table().to_pylist()
    assert sorted(r["document"] for r in scores) == ["nanatsuboshi_terms", "notice"]
    items = ds.dataset(tmp_path / "tables" / "guideline_items").to_table()
    assert items.num_rows == 27 * 2
    assert dataset.has_document(tmp_path, "notice")
    dataset.remove_document(tmp_path, "notice")
    assert not dataset.has_document(tmp_path, "notice") and dataset.has_document(
        tmp_path, "nanatsuboshi_terms"
    )


def test_prune_keeps_the_batch_documents_and_drops_partial_parts(documents, tmp_path: Path) -> None:
    for name, document in documents.items():
        dataset.write_document(tmp_path, name, document)
    partial = tmp_path / "tables" / "findings" / ".notice.parquet.abc.tmp"
    partial.write_bytes(b"PAR1")
    dataset.prune(tmp_path, keep={"nanatsuboshi_terms"})
    assert not partial.exists()
    assert sorted(p.name for p in (tmp_path / "tables").rglob("*")) == [
        "findings", "guideline_items", "nanatsuboshi_terms.parquet", "nanatsuboshi_terms.parquet",
        "nanatsuboshi_terms.parquet", "scores",
    ]  # fmt: skip


def test_csv_is_exported_from_the_parts_in_the_given_order(documents, tmp_path: Path) -> None:
    for name, document in documents.items():
        dataset.write_document(tmp_path, name, document)
    dataset.export_csv(tmp_path, ["notice", "nanatsuboshi_terms"])
    with (tmp_path / "scores.csv").open(encoding="utf-8-sig", newline="") as stream:
        scores = list(csv.DictReader(stream))
    assert [r["document"] for r in scores] == ["notice", "nanatsuboshi_terms"]
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as stream:
        findings = list(csv.DictReader(stream))
    change = next(r for r in findings if r["label"] == "unilateral_change")
    text = documents["nanatsuboshi_terms"].document.text
    assert text[int(change["evidence_start"]) : int(change["evidence_end"])] == change["evidence_text"]
    assert change["clause_path"] == "第1条" and change["model_probability"] == ""
    assert not list(tmp_path.glob(".*.tmp"))


def test_pages_describe_at_most_the_detail_limit_but_list_every_document(
    documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(scoring(), "report_detail_documents", 1)
    # the rows as the dataset gives them back: empty cells are null
    index = [
        {k: None if v == "" else v for k, v in score_row(d, name).items()} for name, d in documents.items()
    ]
    first = triage_order(index)[0]["document"]
    assert first == "nanatsuboshi_terms"  # it has the findings; the notice has none
    pairs = [(first, documents[first]), ("notice", documents["notice"])]
    page = "".join(report_chunks(index, iter(pairs)))
    assert page.count('<section class="doc"') == 1 and page.count('<tr class="row"') == 2
    assert "詳細は優先度の高い 1 文書について示します" in page
    summary = "".join(summary_chunks(index, iter(pairs)))
    assert summary.count("\n## ") == 1 and "| 2 | お知らせ |" in summary


def test_two_inputs_with_one_file_name_keep_their_own_outputs_and_rows(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from analyzer.cli import app

    for folder, carrier in (("east", "ひがし通信株式会社"), ("west", "にし通信株式会社")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "terms.txt").write_text(
            f"利用規約\n\n第1条（適用）\n本規約は、{carrier}（以下「当社」といいます。）が提供する"
            "インターネット接続サービスに適用されます。\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    args = [
        "analyze",
        str(tmp_path / "east"),
        str(tmp_path / "west"),
        "-o",
        str(out),
        "--rules-only",
        "--no-cache",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    analyses = sorted(p.name for p in out.glob("*.json"))
    assert analyses == ["terms.json", "west__terms.json"]
    carriers = {
        row["document"]: row["carrier"]
        for row in ds.dataset(out / "tables" / "scores").to_table().to_pylist()
    }
    assert carriers == {"terms": "ひがし通信株式会社", "west__terms": "にし通信株式会社"}
