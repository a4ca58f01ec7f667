"""The ``analyzer`` command: segment a folder, report bad files, print the schema."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.model import SCHEMA_VERSION, StructuredDocument
from tests.conftest import make_pdf

runner = CliRunner()


def test_segment_writes_one_structure_file_per_document(
    corpus_dir: Path, gold: list[dict], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["segment", str(corpus_dir), "-o", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.glob("*.structure.json"))
    handmade = [
        json.loads(line)
        for folder in ("handmade", "blind", "blind2")
        for line in (corpus_dir / folder / "gold.jsonl").read_text("utf-8").splitlines()
    ]
    assert written == sorted(f"{Path(g['file']).stem}.structure.json" for g in gold + handmade)
    with (tmp_path / "errors.csv").open(encoding="utf-8") as stream:
        assert list(csv.reader(stream)) == [["path", "reason_ja", "reason_en"]]
    by_file = {g["file"]: g for g in gold + handmade}
    for path in tmp_path.glob("*.structure.json"):
        data = json.loads(path.read_text("utf-8"))
        assert data["schema_version"] == SCHEMA_VERSION
        assert set(data) >= {"document", "sections"}
        document = data["document"]
        entry = by_file[document["name"]]
        assert (document["format"], document["encoding"], document["doc_type"]) == (
            entry["format"],
            entry["encoding"],
            entry["doc_type"],
        )
        StructuredDocument.model_validate(data)
        clause = _first_clause(data["sections"])
        assert {"path", "heading", "start", "end", "text", "sentences"} <= set(clause)
        assert document["text"][clause["start"] : clause["end"]] == clause["text"]


def _first_clause(sections: list[dict]) -> dict:
    for section in sections:
        if section["clauses"]:
            return section["clauses"][0]
        found = _first_clause(section["sections"])
        if found:
            return found
    return {}


@pytest.fixture()
def mixed_folder(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "filings"
    folder.mkdir()
    shutil.copy(corpus_dir / "kazenet_isp_terms.txt", folder / "good_terms.txt")
    shutil.copy(corpus_dir / "hikari_app_privacy.md", folder / "good_app.md")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.txt").write_bytes(bytes(range(256)) * 16)
    pdf = make_pdf([["第1条　本約款を定めます。"]])
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "scan.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "policy.html.txt").write_text(
        "<html><body><main><h1>プライバシーポリシー</h1><p>当社は情報を守ります。</p></main></body></html>",
        encoding="utf-8",
    )
    return folder


def test_bad_files_are_listed_and_good_files_still_processed(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["segment", str(mixed_folder), "-o", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.structure.json")) == [
        "good_app.structure.json",
        "good_terms.structure.json",
        "policy.html.structure.json",
    ]
    with (out / "errors.csv").open(encoding="utf-8") as stream:
        rows = {Path(row["path"]).name: row for row in csv.DictReader(stream)}
    assert sorted(rows) == ["empty.txt", "random.txt", "scan.pdf", "truncated.pdf"]
    assert "空" in rows["empty.txt"]["reason_ja"] and "empty" in rows["empty.txt"]["reason_en"]
    assert "PNG" in rows["scan.pdf"]["reason_ja"]
    assert "%%EOF" in rows["truncated.pdf"]["reason_ja"]
    assert rows["random.txt"]["reason_en"]
    lying = json.loads((out / "policy.html.structure.json").read_text("utf-8"))
    assert lying["document"]["format"] == "html" and lying["document"]["warnings"]


def test_usage_errors_exit_with_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["segment", str(tmp_path / "missing.txt")]).exit_code == 2
    assert runner.invoke(app, ["segment", str(tmp_path), "--jobs", "0"]).exit_code == 2
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    assert runner.invoke(app, ["segment", str(empty), "-o", str(tmp_path / "o")]).exit_code == 2


def test_schema_is_a_json_schema_of_the_structure_file() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "StructuredDocument"
    assert {"schema_version", "document", "sections"} <= set(schema["properties"])
    assert {"Section", "Clause", "Sentence"} <= set(schema["$defs"])


def test_console_script_runs_as_a_module() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip()


def test_analyze_writes_findings_for_every_clause(corpus_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(corpus_dir / "kirara_wifi_terms.txt"), "-o", str(tmp_path), "--rules-only"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "kirara_wifi_terms.json").read_text("utf-8"))
    document = StructuredDocument.model_validate(data)
    clauses = document.iter_clauses()
    assert clauses and all(isinstance(c.findings, list) for c in clauses)
    labels = {f.label for c in clauses for f in c.findings}
    assert "exclusive_jurisdiction" in labels
    jurisdiction = next(f for c in clauses for f in c.findings if f.label == "exclusive_jurisdiction")
    assert jurisdiction.severity == "low" and jurisdiction.guideline_items == ["ext:consumer-contract-10"]
    assert (
        document.document.text[jurisdiction.evidence.start : jurisdiction.evidence.end]
        == jurisdiction.evidence.text
    )
    assert [v["item"] for v in data["guideline_items"]][:2] == ["1-i", "1-ii"]
    assert len(data["guideline_items"]) == 27
    assert data["scores"]["overreach"]["score"] > 0
    assert "contact_channels" in {f["id"] for f in data["document_findings"]}


def test_evaluate_prints_metrics_as_json(tmp_path: Path) -> None:
    lines = [
        {
            "text": "本規約に関する紛争は、東京地方裁判所を第一審の専属的合意管轄裁判所とします。",
            "labels": ["exclusive_jurisdiction"],
        },
        {"text": "料金は毎月末日に締め切ります。", "labels": []},
    ]
    data = tmp_path / "lines.jsonl"
    data.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--data", str(data), "--format", "json", "--rules-only"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert {"per_label", "micro_f1", "macro_f1_problem", "macro_f1_good", "false_positive_rate_none"} <= set(
        metrics
    )
    assert metrics["per_label"]["exclusive_jurisdiction"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 1,
        "predicted": 1,
    }
    assert metrics["false_positive_rate_none"] == 0.0


def test_evaluate_rejects_bad_lines_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ラベルがない行"}\n', encoding="utf-8")
    assert runner.invoke(app, ["evaluate", "--data", str(bad), "--rules-only"]).exit_code == 2
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"text": "x", "labels": ["no_such_label"]}\n', encoding="utf-8")
    assert runner.invoke(app, ["evaluate", "--data", str(unknown), "--rules-only"]).exit_code == 2


def test_an_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    document = tmp_path / "terms.txt"
    document.write_text(
        "第1条（目的）\n本規約は、当社の提供するサービスの利用条件を定めます。\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["analyze", str(document), "-o", str(tmp_path / "o"), "--profile", "lenient"])
    assert result.exit_code == 2
    assert "screening" in result.output and "recall" in result.output
    assert not (tmp_path / "o" / "terms.json").exists()
    data = tmp_path / "lines.jsonl"
    data.write_text(
        json.dumps({"text": "料金は毎月末日に締め切ります。", "labels": []}, ensure_ascii=False), "utf-8"
    )
    assert runner.invoke(app, ["evaluate", "--data", str(data), "--profile", "lenient"]).exit_code == 2
