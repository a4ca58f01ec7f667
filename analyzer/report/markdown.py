"""``summary.md``: a readable Markdown summary of each document of a batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from analyzer.model import StructuredDocument
from analyzer.report.safe import markdown_text
from analyzer.report.tables import detail_limit, score_row, triage_order
from analyzer.settings import doc_type_ja, severity_ja
from analyzer.taxonomy import SEVERITY_RANK, labels

MAX_FINDINGS = 8


def _cell(text: str) -> str:
    """Document text (titles, names, quotes) inside a Markdown line or table cell, inert."""
    return markdown_text(text)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def document_summary(name: str, document: StructuredDocument) -> str:
    info = document.document
    lines = [f"## {_cell(info.title or name)}", ""]
    lines.append(
        f"- ファイル: {_cell(info.name)}　種別: {doc_type_ja(info.doc_type)}"
        f"（確信度 {info.doc_type_confidence:.2f}）"
    )
    lines.append(
        f"- 事業者: {_cell(info.carrier or '不明')}　施行・改定日: {_cell(info.effective_date or '不明')}"
        + (f"（{_cell(info.effective_date_kind)}）" if info.effective_date_kind else "")
    )
    service = document.checks.service if document.checks else None
    if service is not None:
        lines.append(f"- 通信の媒介: {_cell(service.reason)}")
    if document.scores:
        s = document.scores
        r = s.readability.document
        lines.append(
            f"- 過剰性 {s.overreach.score:.1f} / 100　透明性 {s.transparency.score:.1f} / 100　"
            f"読みやすさ jReadability {'—' if r.jreadability is None else f'{r.jreadability:.2f}'}"
            f"（{r.jreadability_band or '—'}）、100字超の文 {r.share_over_100:.0%}"
        )
    raised = [v for v in document.guideline_items if v.status == "raised"]
    ops = [v for v in document.guideline_items if v.status == "needs_operational_evidence"]
    lines += ["", f"### 指針項目（該当の疑い {len(raised)} / 27、文書外の確認が必要 {len(ops)}）", ""]
    if raised:
        lines += ["| 項目 | 内容 | 根拠 |", "|---|---|---|"]
        for v in raised:
            basis = "、".join(
                sorted(
                    {
                        labels()[f.label].ja if f.label in labels() else (f.finding_id or "")
                        for f in v.findings
                    }
                )
            )
            lines.append(f"| {v.item} | {_cell(v.title)} | {_cell(basis)} |")
    else:
        lines.append("該当の疑いのある項目はありません。")
    clause_findings = [
        (c.path, f) for c in document.iter_clauses() for f in c.findings if f.kind == "problem"
    ]
    clause_findings.sort(key=lambda pf: (-SEVERITY_RANK[pf[1].severity], -pf[1].confidence))
    lines += [
        "",
        f"### 主な問題条項（{len(clause_findings)} 件中 上位 {min(MAX_FINDINGS, len(clause_findings))} 件）",
        "",
    ]
    if clause_findings:
        lines += ["| 重大度 | 条項 | ラベル | 確信度 | 根拠の記載 |", "|---|---|---|---|---|"]
        for path, f in clause_findings[:MAX_FINDINGS]:
            lines.append(
                f"| {severity_ja(f.severity)} | {_cell(path)} | {labels()[f.label].ja} | "
                f"{f.confidence:.2f} | {_cell(_short(f.evidence.text))} |"
            )
    else:
        lines.append("問題条項は検出されませんでした。")
    if document.document_findings:
        lines += ["", "### 文書全体の指摘", ""]
        for f in document.document_findings:
            items = "、".join(f.guideline_items)
            lines.append(f"- [{severity_ja(f.severity)}] {_cell(f.explanation)}（{items}）")
    if document.scores and document.scores.transparency.missing:
        missing = _cell("、".join(m.name for m in document.scores.transparency.missing))
        lines += ["", f"**不足している開示:** {missing}"]
    return "\n".join(lines) + "\n"


def summary_chunks(
    index_rows: list[dict], documents: Iterable[tuple[str, StructuredDocument]]
) -> Iterator[str]:
    """The summary piece by piece: a line per document from its ``scores`` row (triage order),
    then the summary of each of ``documents`` (the first of that order, up to the report's
    detail limit)."""
    ordered = triage_order(index_rows)
    detailed = min(len(ordered), detail_limit())
    head = [
        "# 分析結果の要約",
        "",
        f"{len(ordered)} 文書。優先度（高重大度の指摘数、過剰性スコア）の高い順。"
        + (
            f"詳細は上位 {detailed} 文書について示します（全件は findings.csv）。"
            if detailed < len(ordered)
            else ""
        ),
        "",
        "| # | 文書 | 事業者 | 種別 | 高重大度 | 過剰性 | 透明性 |",
        "|---|---|---|---|---|---|---|",
    ]
    yield "\n".join(head) + "\n"
    for rank, row in enumerate(ordered, start=1):
        over = "—" if row["overreach"] is None else f"{row['overreach']:.1f}"
        trans = "—" if row["transparency"] is None else f"{row['transparency']:.1f}"
        yield (
            f"| {rank} | {_cell(row['title'] or row['document'])} | {_cell(row['carrier'] or '不明')} | "
            f"{doc_type_ja(row['doc_type'])} | {row['high_findings']} | {over} | {trans} |\n"
        )
    for i, (name, document) in enumerate(documents, start=1):
        if i > detailed:
            break
        yield "\n" + document_summary(name, document)


def render_summary(documents: list[tuple[str, StructuredDocument]]) -> str:
    """The whole summary for ``(name, document)`` pairs held in memory."""
    rows = [{k: None if v == "" else v for k, v in score_row(d, n).items()} for n, d in documents]
    by_name = dict(documents)
    ordered = [(row["document"], by_name[row["document"]]) for row in triage_order(rows)]
    return "".join(summary_chunks(rows, ordered))
