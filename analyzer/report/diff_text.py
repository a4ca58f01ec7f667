"""What the Markdown and HTML renderings of a diff share: score rows, numbers, counts, names."""

from __future__ import annotations

from collections.abc import Callable

from analyzer.compare.diff_schema import DocumentDiff, DocumentRef, FindingChange, TextOp
from analyzer.settings import severity_ja

SCORE_ROWS: list[tuple[str, str, int]] = [
    # (field, Japanese name, +1 when a higher value is better / -1 when lower is better)
    ("overreach", "過剰な権利主張スコア（低いほど良い）", -1),
    ("transparency", "透明性スコア（高いほど良い）", 1),
    ("jreadability", "jReadability（高いほど読みやすい）", 1),
    ("tateishi_rs", "建石式 RS'（高いほど読みやすい）", 1),
]
DASH = "—"


def number(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}"


def signed(value: float | None) -> str:
    if value is None:
        return DASH
    # A change that rounds away would otherwise print as "-0.00".
    return "±0.00" if abs(value) < 0.005 else f"{value:+.2f}"


def score_verdict(change: float | None, direction: int) -> str:
    if change is None:
        return DASH
    if abs(change) < 0.005:
        return "変化なし"
    return "改善" if change * direction > 0 else "悪化"


def change_counts(diff: DocumentDiff) -> list[tuple[str, int]]:
    return [
        ("追加", len(diff.added)),
        ("削除", len(diff.removed)),
        ("変更", len(diff.modified)),
        ("移動", len(diff.moved)),
        ("変更なし", diff.unchanged),
        ("増えた指摘", len(diff.findings_gained)),
        ("減った指摘", len(diff.findings_lost)),
    ]


def doc_name(ref: DocumentRef) -> str:
    return f"{ref.title}（{ref.name}）" if ref.title else ref.name


def finding_place(change: FindingChange) -> str:
    return change.clause_path if change.clause_path else "文書全体"


def severity_text(change: FindingChange) -> str:
    # Good-practice labels carry no severity; gaining one is an improvement, not a risk.
    if change.kind == "good_practice":
        return "良い取組"
    return severity_ja(change.severity, "—")


def render_ops(
    ops: list[TextOp],
    same: Callable[[str], str],
    deleted: Callable[[str], str],
    inserted: Callable[[str], str],
) -> str:
    """A character diff in one output syntax (Markdown or HTML)."""
    parts = []
    for op in ops:
        if op.op == "equal":
            parts.append(same(op.old))
            continue
        if op.old:
            parts.append(deleted(op.old))
        if op.new:
            parts.append(inserted(op.new))
    return "".join(parts)
