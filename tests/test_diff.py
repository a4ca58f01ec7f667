"""Clause-level diff of two versions of one document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analyzer.compare.diff import diff_documents, normalize_for_matching
from analyzer.compare.diff_schema import DocumentDiff
from analyzer.model import Clause, StructuredDocument
from analyzer.pipeline import analyze_file, segment_bytes, segment_file
from analyzer.report.diff import render_diff_html, render_diff_markdown, write_diff

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "documents" / "kazenet_isp_terms.txt"

EDITED_WORD = "カスタマーセンター"
NEW_PARAGRAPH = "3 当社は、通信の秘密に係る情報を取り扱う従業者に対し、必要な教育を年一回以上実施します。"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def base_text() -> str:
    # The visible text as ingest decoded it, whatever encoding the sample file is stored in.
    return segment_file(SAMPLE).document.text


@pytest.fixture(scope="module")
def base_analysed() -> StructuredDocument:
    return analyze_file(SAMPLE, rules_only=True)


def write_version(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def structure_only(text: str, name: str) -> StructuredDocument:
    return segment_bytes(text.encode("utf-8"), name)


def three_edits(text: str) -> str:
    """Delete 第6条第3項, insert a new 第12条第3項, reword 第18条第1項; renumber as an editor would."""
    text = replace_once(text, "3 会員が既に支払った料金は、理由の如何を問わず返還しません。\n", "")
    text = replace_once(text, "4 当社は、料金の請求", "3 当社は、料金の請求")
    text = replace_once(text, "5 当社は、月の途中", "4 当社は、月の途中")
    text = replace_once(text, "6 会員は、料金の支払いを遅延", "5 会員は、料金の支払いを遅延")
    text = replace_once(text, "4 当社は、前項に定める場合のほか", "5 当社は、前項に定める場合のほか")
    text = replace_once(text, "3 当社は、刑事訴訟法", "4 当社は、刑事訴訟法")
    text = replace_once(text, "4 当社は、刑事訴訟法", f"{NEW_PARAGRAPH}\n4 当社は、刑事訴訟法")
    return replace_once(text, "書面を当社の本店に郵送する", f"書面を当社の{EDITED_WORD}に郵送する")


def assert_offsets(diff: DocumentDiff, old: StructuredDocument, new: StructuredDocument) -> None:
    for entry in [*diff.added, *diff.modified, *diff.moved]:
        assert new.document.text[entry.new.start : entry.new.end] == entry.new.text
    for entry in [*diff.removed, *diff.modified, *diff.moved]:
        assert old.document.text[entry.old.start : entry.old.end] == entry.old.text


def clause(text: str, marker: str | None) -> Clause:
    return Clause(
        start=0, end=len(text), text=text, path="x", kind="paragraph", marker=marker, own_end=len(text)
    )


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("２　当社は、会員情報を保護します。", "２"),
        ("3 当社は、会員情報を保護します。", "3"),
        ("（３）当社は、会員情報を保護します。", "（３）"),
        ("第五条　当社は、会員情報を保護します。", None),
        ("当社は、会員情報を\n保護します。", None),
    ],
)
def test_numbering_and_layout_do_not_count(text: str, marker: str | None) -> None:
    assert normalize_for_matching(clause(text, marker)) == "当社は、会員情報を保護します。"


def test_cross_reference_at_start_is_content() -> None:
    assert normalize_for_matching(clause("第5条の規定により解除します。", None)).startswith("第5条")


def test_insert_delete_and_edit(tmp_path: Path, base_text: str, base_analysed: StructuredDocument) -> None:
    new = analyze_file(write_version(tmp_path, "new.txt", three_edits(base_text)), rules_only=True)
    diff = diff_documents(base_analysed, new)

    assert [e.new.path for e in diff.added] == ["第12条第3項"]
    assert diff.added[0].new.text == NEW_PARAGRAPH
    assert [e.old.path for e in diff.removed] == ["第6条第3項"]
    assert [(e.old.path, e.new.path) for e in diff.modified] == [("第18条第1項", "第18条第1項")]
    assert diff.moved == []
    # Renumbered clauses (第6条第4項→第3項, 第12条第3項→第4項, …) count as unchanged.
    assert diff.unchanged == len(base_analysed.iter_clauses()) - 2

    modified = diff.modified[0]
    changed = [op for op in modified.ops if op.op != "equal"]
    assert any(EDITED_WORD in op.new for op in changed)
    assert any("本店" in op.old for op in changed)
    assert "".join(op.old for op in modified.ops) == modified.old.text
    assert "".join(op.new for op in modified.ops) == modified.new.text
    assert 0.6 <= modified.similarity < 1.0
    assert_offsets(diff, base_analysed, new)


def test_swapped_articles_are_moved(base_text: str) -> None:
    start_16 = base_text.index("第十六条（免責）")
    start_17 = base_text.index("第十七条（会員の損害賠償責任）")
    start_18 = base_text.index("第十八条（お問い合わせ）")
    article_16 = base_text[start_16:start_17].replace("第十六条", "第十七条", 1)
    article_17 = base_text[start_17:start_18].replace("第十七条", "第十六条", 1)
    swapped = base_text[:start_16] + article_17 + article_16 + base_text[start_18:]
    old = structure_only(base_text, "old.txt")
    new = structure_only(swapped, "new.txt")
    diff = diff_documents(old, new)

    assert diff.added == [] and diff.removed == [] and diff.modified == []
    # The longer article stays in place (its paths change only by renumbering); the shorter one moved.
    assert [(e.old.path, e.new.path) for e in diff.moved] == [
        ("第17条第1項", "第16条第1項"),
        ("第17条第2項", "第16条第2項"),
    ]
    assert not any(e.modified for e in diff.moved)
    assert diff.unchanged == len(old.iter_clauses())
    assert_offsets(diff, old, new)


def test_html_escapes_document_text(base_text: str) -> None:
    script = "<script>alert(1)</script>"
    new_text = replace_once(
        base_text, "日本法に準拠するものとします。", f"日本法に準拠するものとします。{script}"
    )
    new_text = replace_once(new_text, "\n\n第二十条", f"\n3 {script}を含む新しい項です。\n\n第二十条")
    old = structure_only(base_text, "old.txt")
    new = structure_only(new_text, "new<b>.txt")
    diff = diff_documents(old, new)
    assert [e.new.path for e in diff.added] == ["第19条第3項"]
    assert [e.new.path for e in diff.modified] == ["第19条第1項"]

    page = render_diff_html(diff)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "new&lt;b&gt;.txt" in page
    assert '<html lang="ja">' in page and '<meta charset="utf-8">' in page
    assert "<link" not in page and "src=" not in page
    # a policy that forbids loading and running anything, should a quote ever slip through
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1) and "script-src 'none'" in policy.group(1)
    # Markdown renderers pass raw HTML through, so the tag is backslash-escaped there too.
    markdown = render_diff_markdown(diff)
    assert "\\<script\\>" in markdown
    assert re.search(r"(?<!\\)<script", markdown) is None


def test_structure_only_scores_are_none(base_text: str) -> None:
    document = structure_only(base_text, "same.txt")
    diff = diff_documents(document, document)
    assert diff.scores.overreach.model_dump() == {"old": None, "new": None, "change": None}
    assert diff.scores.guideline_items == []
    assert not (diff.added or diff.removed or diff.modified or diff.moved)
    assert not (diff.findings_gained or diff.findings_lost)
    assert "スコアの変化" in render_diff_markdown(diff)
    assert "スコアの変化" in render_diff_html(diff)


def test_findings_gained_and_lost(tmp_path: Path, base_text: str, base_analysed: StructuredDocument) -> None:
    without_clause = replace_once(
        base_text, "第一審の専属的合意管轄裁判所とします", "第一審の管轄裁判所とします"
    )
    old = analyze_file(write_version(tmp_path, "old.txt", without_clause), rules_only=True)
    new = base_analysed
    assert "exclusive_jurisdiction" not in {f.label for c in old.iter_clauses() for f in c.findings}
    diff = diff_documents(old, new)

    gained = [f for f in diff.findings_gained if f.label == "exclusive_jurisdiction"]
    assert len(gained) == 1
    assert gained[0].level == "clause" and gained[0].clause_path == "第20条"
    assert gained[0].evidence and "専属" in gained[0].evidence
    assert [e.new.path for e in diff.modified] == ["第20条"]
    assert not any(f.label == "exclusive_jurisdiction" for f in diff.findings_lost)

    reverse = diff_documents(new, old)
    assert [f.clause_path for f in reverse.findings_lost if f.label == "exclusive_jurisdiction"] == ["第20条"]

    overreach = diff.scores.overreach
    assert overreach.old is not None and overreach.new is not None
    assert overreach.change == pytest.approx(overreach.new - overreach.old)
    assert "増えた指摘" in render_diff_markdown(diff)
    assert_offsets(diff, old, new)


def test_write_diff(tmp_path: Path, base_text: str) -> None:
    old = structure_only(base_text, "old.txt")
    new = structure_only(three_edits(base_text), "new.txt")
    paths = write_diff(diff_documents(old, new), tmp_path / "out")
    assert [p.name for p in paths] == ["diff.json", "diff.html", "diff.md"]
    raw = paths[0].read_text("utf-8")
    assert "第12条第3項" in raw  # written as UTF-8, not \u escapes
    data = json.loads(raw)
    for key in ("added", "removed", "modified", "moved", "findings_gained", "findings_lost", "scores"):
        assert key in data
    assert {"op", "old", "new"} <= set(data["modified"][0]["ops"][0])
    assert "追加された条項" in paths[2].read_text("utf-8")
