"""``diff.md``: the diff for reading in any Markdown viewer (raw HTML in document text is escaped,
since Markdown renderers pass it through)."""

from __future__ import annotations

import re

from analyzer.compare.diff_schema import ClauseSpan, DocumentDiff, FindingChange, ScoreChange, TextOp
from analyzer.report import diff_text as shared
from analyzer.report.safe import markdown_text

# Document text made inert in Markdown (and in any HTML a renderer might pass through)
_md = markdown_text


def _md_changed(text: str) -> str:
    # Emphasis markers around whitespace alone do not render, so show it as a visible sign.
    visible = text.replace("\r", "").replace("\n", "↵")
    if not visible.strip():
        visible = re.sub(r"\s", "␣", visible)
    return _md(visible)


def _md_ops(ops: list[TextOp]) -> str:
    return shared.render_ops(ops, _md, lambda t: f"~~{_md_changed(t)}~~", lambda t: f"**{_md_changed(t)}**")


def _md_path_change(old: ClauseSpan, new: ClauseSpan) -> str:
    return _md(old.path) if old.path == new.path else f"{_md(old.path)} → {_md(new.path)}"


def _md_findings(changes: list[FindingChange]) -> list[str]:
    if not changes:
        return ["なし", ""]
    lines = []
    for change in changes:
        severity = shared.severity_text(change)
        severity = severity if change.kind == "good_practice" else f"重大度 {severity}"
        lines.append(
            f"- **{_md(change.label_ja)}**（{_md(change.label)}、{severity}、"
            f"確信度 {change.confidence:.2f}）— {_md(shared.finding_place(change))}"
        )
        lines.append(f"  - {_md(change.explanation)}")
        if change.evidence:
            lines.append(f"  - 根拠: 「{_md(change.evidence)}」")
    lines.append("")
    return lines


def render_diff_markdown(diff: DocumentDiff) -> str:
    """A Japanese Markdown summary of the diff."""
    lines = [
        "# 文書の差分（条項単位）",
        "",
        f"- 旧版: {_md(shared.doc_name(diff.old))}",
        f"- 新版: {_md(shared.doc_name(diff.new))}",
        "",
        "## 概要",
        "",
        "| 区分 | 件数 |",
        "| --- | ---: |",
        *[f"| {name} | {count} |" for name, count in shared.change_counts(diff)],
        "",
        "## 追加された条項",
        "",
    ]
    lines += [f"- **{_md(e.new.path)}**: {_md(e.new.text)}" for e in diff.added] or ["なし"]
    lines += ["", "## 削除された条項", ""]
    lines += [f"- **{_md(e.old.path)}**: {_md(e.old.text)}" for e in diff.removed] or ["なし"]
    lines += ["", "## 変更された条項", ""]
    if not diff.modified:
        lines.append("なし")
    for e in diff.modified:
        lines.append(f"- **{_md_path_change(e.old, e.new)}**（類似度 {e.similarity:.2f}）")
        lines.append(f"  - {_md_ops(e.ops)}")
    lines += ["", "## 移動した条項", ""]
    lines += [
        f"- {_md_path_change(e.old, e.new)}{'（文言も変更）' if e.modified else ''}: {_md(e.new.text)}"
        for e in diff.moved
    ] or ["なし"]
    lines += ["", "## 増えた指摘", "", *_md_findings(diff.findings_gained)]
    lines += ["## 減った指摘", "", *_md_findings(diff.findings_lost)]
    lines += [
        "## スコアの変化",
        "",
        "| 指標 | 旧版 | 新版 | 変化 | 評価 |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for field, name, direction in shared.SCORE_ROWS:
        score: ScoreChange = getattr(diff.scores, field)
        lines.append(
            f"| {name} | {shared.number(score.old)} | {shared.number(score.new)} "
            f"| {shared.signed(score.change)} "
            f"| {shared.score_verdict(score.change, direction)} |"
        )
    if diff.scores.guideline_items:
        lines += [
            "",
            "### ガイドライン項目の判定の変化",
            "",
            "| 項目 | 内容 | 旧版 | 新版 |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_md(c.item)} | {_md(c.title)} "
            f"| {_md(c.old_ja or shared.DASH)} | {_md(c.new_ja or shared.DASH)} |"
            for c in diff.scores.guideline_items
        ]
    return "\n".join(lines) + "\n"
