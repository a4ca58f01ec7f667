"""Clause-level diff of two versions of one document: what was added, removed, reworded or
moved, which findings appeared or went away, and how the scores moved."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from analyzer import taxonomy
from analyzer.model import Clause, ClauseFinding, DocumentFinding, StructuredDocument
from analyzer.settings import severity_ja

# Clauses of one 約款 share a lot of boilerplate (「当社は、…ものとします。」): in the sample terms
# and policies the most alike 1 % of unrelated clause pairs still reach ratios of 0.36–0.45. Below
# 0.6 a pairing would mostly report a rewritten clause as an edit of some other clause, while word-
# or phrase-level amendments stay well above it.
SIMILARITY_THRESHOLD = 0.6

# A 第N条 prefix written inside the clause text (single-paragraph articles in some layouts). The
# lookahead keeps a sentence that opens with a cross reference (「第5条の規定により…」) intact.
_NUMERAL = "[0-9一二三四五六七八九十百千]+"
_ARTICLE_PREFIX = re.compile(rf"^第{_NUMERAL}条(?:の{_NUMERAL})?(?=[\s(【]|$)")
_SEPARATORS = " \t\u3000.．、:："
_WHITESPACE = re.compile(r"\s+")

OpName = Literal["equal", "insert", "delete", "replace"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentRef(_Strict):
    """Which file a side of the diff is."""

    name: str
    path: str
    title: str | None
    sha256: str
    doc_type: str
    analysed: bool = Field(description="Whether findings and scores were computed")


class ClauseSpan(_Strict):
    """A clause's own text (without sub-items); offsets into that document's text."""

    path: str
    start: int
    end: int
    text: str


class TextOp(_Strict):
    """One step of the character diff between two own texts."""

    op: OpName
    old: str
    new: str


class AddedClause(_Strict):
    new: ClauseSpan


class RemovedClause(_Strict):
    old: ClauseSpan


class ModifiedClause(_Strict):
    old: ClauseSpan
    new: ClauseSpan
    similarity: float = Field(description="SequenceMatcher ratio of the normalised texts")
    ops: list[TextOp]


class MovedClause(_Strict):
    old: ClauseSpan
    new: ClauseSpan
    modified: bool = Field(description="Whether the text also changed")


class FindingChange(_Strict):
    """A finding present in one version and not the other."""

    level: Literal["clause", "document"]
    label: str = Field(description="Taxonomy label; for document findings without one, their kind")
    label_ja: str
    id: str | None = Field(default=None, description="DocumentFinding.id for document findings")
    kind: str = Field(description="problem / good_practice for clauses; the finding kind for documents")
    severity: Literal["high", "medium", "low"] | None
    clause_path: str | None = Field(description="New path for gained, old path for lost")
    confidence: float
    evidence: str | None
    explanation: str


class ScoreChange(_Strict):
    old: float | None
    new: float | None
    change: float | None


class ItemStatusChange(_Strict):
    item: str
    title: str
    old: str | None
    new: str | None
    old_ja: str | None = None
    new_ja: str | None = None


class ScoreDiff(_Strict):
    overreach: ScoreChange
    transparency: ScoreChange
    jreadability: ScoreChange
    tateishi_rs: ScoreChange
    guideline_items: list[ItemStatusChange] = Field(default_factory=list)


class DocumentDiff(_Strict):
    """Everything that differs between ``old`` and ``new``."""

    old: DocumentRef
    new: DocumentRef
    unchanged: int = Field(description="Clauses whose normalised own text is identical")
    added: list[AddedClause] = Field(default_factory=list)
    removed: list[RemovedClause] = Field(default_factory=list)
    modified: list[ModifiedClause] = Field(default_factory=list)
    moved: list[MovedClause] = Field(default_factory=list)
    findings_gained: list[FindingChange] = Field(default_factory=list)
    findings_lost: list[FindingChange] = Field(default_factory=list)
    scores: ScoreDiff


@dataclass(frozen=True)
class _Pair:
    old: int
    new: int
    similarity: float
    exact: bool


# --- normalisation and alignment -------------------------------------------------------------


def normalize_for_matching(clause: Clause) -> str:
    """The clause's own text reduced to what should count as content: no number marker,
    no 第N条 prefix, no whitespace, NFKC."""
    text = clause.own_text.strip()
    # The segmenter's own reading of the marker is exact; a generic pattern could eat the
    # beginning of a sentence such as 「2023年…」.
    if clause.marker and text.startswith(clause.marker):
        text = text[len(clause.marker) :].lstrip(_SEPARATORS)
    text = unicodedata.normalize("NFKC", text)
    text = _ARTICLE_PREFIX.sub("", text, count=1).lstrip(_SEPARATORS)
    return _WHITESPACE.sub("", text)


def _exact_pairs(old_keys: list[str], new_keys: list[str]) -> list[_Pair]:
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for index, key in enumerate(new_keys):
        waiting[key].append(index)
    pairs = []
    for index, key in enumerate(old_keys):
        if waiting[key]:
            pairs.append(_Pair(index, waiting[key].popleft(), 1.0, True))
    return pairs


def _similar_pairs(
    old_keys: list[str], new_keys: list[str], old_free: list[int], new_free: list[int]
) -> list[_Pair]:
    """Greedy best-first pairing of the clauses left over by exact matching."""
    candidates: list[tuple[float, int, int]] = []
    matcher = SequenceMatcher(autojunk=False)
    for j in new_free:
        if not new_keys[j]:
            continue
        # SequenceMatcher caches what it learns about seq2, so the new text goes there.
        matcher.set_seq2(new_keys[j])
        for i in old_free:
            if not old_keys[i]:
                continue
            matcher.set_seq1(old_keys[i])
            # The cheap upper bounds skip most hopeless pairs before the quadratic ratio().
            if (
                matcher.real_quick_ratio() < SIMILARITY_THRESHOLD
                or matcher.quick_ratio() < SIMILARITY_THRESHOLD
            ):
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_THRESHOLD:
                candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for ratio, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(_Pair(i, j, round(ratio, 4), False))
    return pairs


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices (into ``values``) of one longest strictly increasing subsequence."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of an increasing run of length k+1
    previous: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        if low:
            previous[index] = tails[low - 1]
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    kept: set[int] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        kept.add(index)
        index = previous[index]
    return kept


def _align(old_keys: list[str], new_keys: list[str]) -> list[_Pair]:
    pairs = _exact_pairs(old_keys, new_keys)
    old_taken = {p.old for p in pairs}
    new_taken = {p.new for p in pairs}
    old_free = [i for i in range(len(old_keys)) if i not in old_taken]
    new_free = [j for j in range(len(new_keys)) if j not in new_taken]
    pairs += _similar_pairs(old_keys, new_keys, old_free, new_free)
    return sorted(pairs, key=lambda p: p.old)


# --- entries ---------------------------------------------------------------------------------


def _span(clause: Clause) -> ClauseSpan:
    return ClauseSpan(path=clause.path, start=clause.start, end=clause.own_end, text=clause.own_text)


def char_ops(old: str, new: str) -> list[TextOp]:
    """Character-level diff of two texts as equal/insert/delete/replace steps."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        TextOp(op=tag, old=old[i1:i2], new=new[j1:j2])  # type: ignore[arg-type]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _document_ref(document: StructuredDocument) -> DocumentRef:
    info = document.document
    return DocumentRef(
        name=info.name,
        path=info.path,
        title=info.title,
        sha256=info.sha256,
        doc_type=info.doc_type,
        analysed=document.scores is not None,
    )


# --- findings --------------------------------------------------------------------------------

_DOCUMENT_KIND_JA = {
    "absent": "記載なし",
    "contact_channels": "連絡手段",
    "external_transmission": "外部送信",
    "unresolved_reference": "特定されない参照",
    "readability": "読みやすさ",
}


def _label_ja(label: str) -> str:
    known = taxonomy.labels().get(label)
    return known.ja if known else _DOCUMENT_KIND_JA.get(label, label)


def _best_by_label(findings: Iterable[ClauseFinding]) -> dict[str, ClauseFinding]:
    best: dict[str, ClauseFinding] = {}
    for finding in findings:
        if finding.label not in best or finding.confidence > best[finding.label].confidence:
            best[finding.label] = finding
    return best


def _clause_finding_change(finding: ClauseFinding, clause: Clause) -> FindingChange:
    return FindingChange(
        level="clause",
        label=finding.label,
        label_ja=_label_ja(finding.label),
        kind=finding.kind,
        severity=finding.severity,
        clause_path=clause.path,
        confidence=finding.confidence,
        evidence=finding.evidence.text,
        explanation=finding.explanation,
    )


def _document_finding_change(finding: DocumentFinding) -> FindingChange:
    label = finding.label or finding.kind
    if finding.kind == "absent" and finding.label:
        label_ja = f"{_label_ja(finding.label)}（記載なし）"
    else:
        label_ja = _label_ja(label)
    return FindingChange(
        level="document",
        label=label,
        label_ja=label_ja,
        id=finding.id,
        kind=finding.kind,
        severity=finding.severity,
        clause_path=None,
        confidence=finding.confidence,
        evidence=finding.evidence[0].text if finding.evidence else None,
        explanation=finding.explanation,
    )


def _clause_findings_only_in(
    clauses: list[Clause], other: list[Clause], counterpart: dict[int, int]
) -> list[FindingChange]:
    """Findings on ``clauses`` whose label the aligned clause of ``other`` does not carry."""
    changes = []
    for index, clause in enumerate(clauses):
        aligned = counterpart.get(index)
        other_labels = {f.label for f in other[aligned].findings} if aligned is not None else set()
        for label, finding in _best_by_label(clause.findings).items():
            if label not in other_labels:
                changes.append(_clause_finding_change(finding, clause))
    return changes


def _document_findings_only_in(
    findings: list[DocumentFinding], other: list[DocumentFinding]
) -> list[FindingChange]:
    other_ids = {f.id for f in other}
    return [_document_finding_change(f) for f in findings if f.id not in other_ids]


# --- scores ----------------------------------------------------------------------------------

_METRICS: dict[str, Callable[[StructuredDocument], float | None]] = {
    "overreach": lambda d: d.scores.overreach.score if d.scores else None,
    "transparency": lambda d: d.scores.transparency.score if d.scores else None,
    "jreadability": lambda d: d.scores.readability.document.jreadability if d.scores else None,
    "tateishi_rs": lambda d: d.scores.readability.document.tateishi_rs if d.scores else None,
}


def _score_change(old: float | None, new: float | None) -> ScoreChange:
    # Rounded so that float noise (0.30000000000000004) does not read as a change.
    change = round(new - old, 6) if old is not None and new is not None else None
    return ScoreChange(old=old, new=new, change=change)


def _item_changes(old: StructuredDocument, new: StructuredDocument) -> list[ItemStatusChange]:
    old_items = {v.item: v for v in old.guideline_items}
    new_items = {v.item: v for v in new.guideline_items}
    order = list(old_items) + [item for item in new_items if item not in old_items]
    changes = []
    for item in order:
        before, after = old_items.get(item), new_items.get(item)
        if before is not None and after is not None and before.status == after.status:
            continue
        changes.append(
            ItemStatusChange(
                item=item,
                title=(after or before).title,  # type: ignore[union-attr]
                old=before.status if before else None,
                new=after.status if after else None,
                old_ja=before.status_ja if before else None,
                new_ja=after.status_ja if after else None,
            )
        )
    return changes


def _score_diff(old: StructuredDocument, new: StructuredDocument) -> ScoreDiff:
    changes = {name: _score_change(metric(old), metric(new)) for name, metric in _METRICS.items()}
    return ScoreDiff(**changes, guideline_items=_item_changes(old, new))


# --- the diff --------------------------------------------------------------------------------


def diff_documents(old: StructuredDocument, new: StructuredDocument) -> DocumentDiff:
    """Align the clauses of two versions of a document and report what changed."""
    old_clauses = old.iter_clauses()
    new_clauses = new.iter_clauses()
    pairs = _align(
        [normalize_for_matching(c) for c in old_clauses], [normalize_for_matching(c) for c in new_clauses]
    )
    in_order = _longest_increasing([p.new for p in pairs])
    old_to_new = {p.old: p.new for p in pairs}
    new_to_old = {p.new: p.old for p in pairs}

    modified = [
        ModifiedClause(
            old=_span(old_clauses[p.old]),
            new=_span(new_clauses[p.new]),
            similarity=p.similarity,
            ops=char_ops(old_clauses[p.old].own_text, new_clauses[p.new].own_text),
        )
        for p in sorted(pairs, key=lambda p: p.new)
        if not p.exact
    ]
    moved = [
        MovedClause(old=_span(old_clauses[p.old]), new=_span(new_clauses[p.new]), modified=not p.exact)
        for k, p in enumerate(pairs)
        if k not in in_order
    ]
    gained = _clause_findings_only_in(new_clauses, old_clauses, new_to_old)
    gained += _document_findings_only_in(new.document_findings, old.document_findings)
    lost = _clause_findings_only_in(old_clauses, new_clauses, old_to_new)
    lost += _document_findings_only_in(old.document_findings, new.document_findings)
    return DocumentDiff(
        old=_document_ref(old),
        new=_document_ref(new),
        unchanged=sum(p.exact for p in pairs),
        added=[AddedClause(new=_span(c)) for j, c in enumerate(new_clauses) if j not in new_to_old],
        removed=[RemovedClause(old=_span(c)) for i, c in enumerate(old_clauses) if i not in old_to_new],
        modified=modified,
        moved=moved,
        findings_gained=gained,
        findings_lost=lost,
        scores=_score_diff(old, new),
    )


# --- shared presentation helpers -------------------------------------------------------------

_SCORE_ROWS: list[tuple[str, str, int]] = [
    # (field, Japanese name, +1 when a higher value is better / -1 when lower is better)
    ("overreach", "過剰な権利主張スコア（低いほど良い）", -1),
    ("transparency", "透明性スコア（高いほど良い）", 1),
    ("jreadability", "jReadability（高いほど読みやすい）", 1),
    ("tateishi_rs", "建石式 RS'（高いほど読みやすい）", 1),
]
_DASH = "—"


def _number(value: float | None) -> str:
    return _DASH if value is None else f"{value:.2f}"


def _signed(value: float | None) -> str:
    if value is None:
        return _DASH
    # A change that rounds away would otherwise print as "-0.00".
    return "±0.00" if abs(value) < 0.005 else f"{value:+.2f}"


def _verdict(change: float | None, direction: int) -> str:
    if change is None:
        return _DASH
    if abs(change) < 0.005:
        return "変化なし"
    return "改善" if change * direction > 0 else "悪化"


def _counts(diff: DocumentDiff) -> list[tuple[str, int]]:
    return [
        ("追加", len(diff.added)),
        ("削除", len(diff.removed)),
        ("変更", len(diff.modified)),
        ("移動", len(diff.moved)),
        ("変更なし", diff.unchanged),
        ("増えた指摘", len(diff.findings_gained)),
        ("減った指摘", len(diff.findings_lost)),
    ]


def _doc_name(ref: DocumentRef) -> str:
    return f"{ref.title}（{ref.name}）" if ref.title else ref.name


def _finding_place(change: FindingChange) -> str:
    return change.clause_path if change.clause_path else "文書全体"


def _severity_text(change: FindingChange) -> str:
    # Good-practice labels carry no severity; gaining one is an improvement, not a risk.
    if change.kind == "good_practice":
        return "良い取組"
    return severity_ja(change.severity, "—")


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")


def _md(text: str) -> str:
    """Document text made inert in Markdown (and in any HTML a renderer might pass through)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", "").replace("\n", " "))


def _md_changed(text: str) -> str:
    # Emphasis markers around whitespace alone do not render, so show it as a visible sign.
    visible = text.replace("\r", "").replace("\n", "↵")
    if not visible.strip():
        visible = re.sub(r"\s", "␣", visible)
    return _md(visible)


def _render_ops(
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


def _md_ops(ops: list[TextOp]) -> str:
    return _render_ops(ops, _md, lambda t: f"~~{_md_changed(t)}~~", lambda t: f"**{_md_changed(t)}**")


def _md_path_change(old: ClauseSpan, new: ClauseSpan) -> str:
    return _md(old.path) if old.path == new.path else f"{_md(old.path)} → {_md(new.path)}"


def _md_findings(changes: list[FindingChange]) -> list[str]:
    if not changes:
        return ["なし", ""]
    lines = []
    for change in changes:
        severity = _severity_text(change)
        severity = severity if change.kind == "good_practice" else f"重大度 {severity}"
        lines.append(
            f"- **{_md(change.label_ja)}**（{_md(change.label)}、{severity}、"
            f"確信度 {change.confidence:.2f}）— {_md(_finding_place(change))}"
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
        f"- 旧版: {_md(_doc_name(diff.old))}",
        f"- 新版: {_md(_doc_name(diff.new))}",
        "",
        "## 概要",
        "",
        "| 区分 | 件数 |",
        "| --- | ---: |",
        *[f"| {name} | {count} |" for name, count in _counts(diff)],
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
    for field, name, direction in _SCORE_ROWS:
        score: ScoreChange = getattr(diff.scores, field)
        lines.append(
            f"| {name} | {_number(score.old)} | {_number(score.new)} | {_signed(score.change)} "
            f"| {_verdict(score.change, direction)} |"
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
            f"| {_md(c.item)} | {_md(c.title)} | {_md(c.old_ja or _DASH)} | {_md(c.new_ja or _DASH)} |"
            for c in diff.scores.guideline_items
        ]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_CSS = """
body { margin: 0; background: #f6f6f4; color: #2b2b2b;
  font-family: system-ui, -apple-system, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP",
    "Yu Gothic", Meiryo, sans-serif; line-height: 1.7; }
main { max-width: 1100px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2.5rem 0 .8rem; padding-bottom: .3rem; border-bottom: 1px solid #d8d8d2; }
h3 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
.docs { color: #555; margin: 0 0 1.5rem; }
.docs dt { font-weight: 600; float: left; width: 4em; }
.docs dd { margin: 0 0 .2rem 4em; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: .6rem; }
.count { background: #fff; border: 1px solid #e0e0da; border-radius: 6px; padding: .6rem .8rem; }
.count .n { font-size: 1.6rem; font-weight: 600; display: block; }
.count .k { color: #666; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .92rem; }
th, td { border: 1px solid #e0e0da; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #efefea; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.better { color: #2f6b3a; } .worse { color: #9a3226; }
.clause { background: #fff; border: 1px solid #e0e0da; border-radius: 6px; padding: .7rem .9rem;
  margin: 0 0 .7rem; }
.clause .path { font-weight: 600; font-size: .9rem; color: #444; margin-bottom: .3rem; }
.clause .meta { color: #777; font-weight: 400; margin-left: .5rem; }
.clause .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.added { border-left: 4px solid #6a9c72; } .removed { border-left: 4px solid #b66a5e; }
.modified { border-left: 4px solid #b59a4a; } .moved { border-left: 4px solid #6f86a8; }
del { background: #f6dcd8; color: #8a2a1e; text-decoration: line-through; }
ins { background: #dcefdc; color: #24592d; text-decoration: none; }
.none { color: #777; }
.sev-high { color: #9a3226; font-weight: 600; } .sev-medium { color: #8a6a16; } .sev-low { color: #555; }
.note { color: #666; font-size: .85rem; }
"""


def _h(text: str | None) -> str:
    return html.escape(text or "")


def _html_ops(ops: list[TextOp]) -> str:
    return _render_ops(ops, _h, lambda t: f"<del>{_h(t)}</del>", lambda t: f"<ins>{_h(t)}</ins>")


def _html_path_change(old: ClauseSpan, new: ClauseSpan) -> str:
    return _h(old.path) if old.path == new.path else f"{_h(old.path)} → {_h(new.path)}"


def _html_clause(css: str, path_html: str, body_html: str, meta: str = "") -> str:
    meta_html = f'<span class="meta">{_h(meta)}</span>' if meta else ""
    return (
        f'<div class="clause {css}"><div class="path">{path_html}{meta_html}</div>'
        f'<div class="text">{body_html}</div></div>'
    )


def _html_section(title: str, items: list[str]) -> str:
    body = "\n".join(items) if items else '<p class="none">なし</p>'
    return f"<section><h2>{_h(title)}（{len(items)}件）</h2>\n{body}\n</section>"


def _html_findings(title: str, changes: list[FindingChange]) -> str:
    if not changes:
        return f'<section><h2>{_h(title)}（0件）</h2><p class="none">なし</p></section>'
    rows = []
    for c in changes:
        severity = c.severity or ""
        rows.append(
            "<tr>"
            f"<td>{'条項' if c.level == 'clause' else '文書'}</td>"
            f'<td>{_h(c.label_ja)}<br><span class="note">{_h(c.label)}</span></td>'
            f'<td class="sev-{_h(severity)}">{_severity_text(c)}</td>'
            f"<td>{_h(_finding_place(c))}</td>"
            f'<td class="num">{c.confidence:.2f}</td>'
            f"<td>{_h(c.explanation)}</td>"
            f"<td>{_h(c.evidence) if c.evidence else _DASH}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{name}</th>" for name in ("区分", "指摘", "重大度", "箇所", "確信度", "説明", "根拠")
    )
    table = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
    return f"<section><h2>{_h(title)}（{len(changes)}件）</h2>{table}</section>"


def _html_scores(scores: ScoreDiff) -> str:
    rows = []
    for field, name, direction in _SCORE_ROWS:
        score: ScoreChange = getattr(scores, field)
        verdict = _verdict(score.change, direction)
        css = {"改善": "better", "悪化": "worse"}.get(verdict, "")
        rows.append(
            f'<tr><td>{_h(name)}</td><td class="num">{_number(score.old)}</td>'
            f'<td class="num">{_number(score.new)}</td><td class="num {css}">{_signed(score.change)}</td>'
            f'<td class="{css}">{verdict}</td></tr>'
        )
    table = (
        "<table><tr><th>指標</th><th>旧版</th><th>新版</th><th>変化</th><th>評価</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    if scores.guideline_items:
        items = "".join(
            f"<tr><td>{_h(c.item)}</td><td>{_h(c.title)}</td><td>{_h(c.old_ja or _DASH)}</td>"
            f"<td>{_h(c.new_ja or _DASH)}</td></tr>"
            for c in scores.guideline_items
        )
        table += (
            "<h3>ガイドライン項目の判定の変化</h3><table><tr><th>項目</th><th>内容</th><th>旧版</th>"
            f"<th>新版</th></tr>{items}</table>"
        )
    else:
        table += '<p class="note">ガイドライン項目の判定に変化はありません。</p>'
    return f"<section><h2>スコアの変化</h2>{table}</section>"


_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'"
_MATCHING_NOTE = (
    "条項は番号を除いた本文で対応付けています。番号の振り直しだけでは変更・移動として扱いません。"
)


def render_diff_html(diff: DocumentDiff) -> str:
    """One self-contained Japanese HTML page showing the diff."""
    counts = "".join(
        f'<div class="count"><span class="n">{n}</span><span class="k">{_h(name)}</span></div>'
        for name, n in _counts(diff)
    )
    added = [_html_clause("added", _h(e.new.path), _h(e.new.text)) for e in diff.added]
    removed = [_html_clause("removed", _h(e.old.path), _h(e.old.text)) for e in diff.removed]
    modified = [
        _html_clause(
            "modified", _html_path_change(e.old, e.new), _html_ops(e.ops), f"類似度 {e.similarity:.2f}"
        )
        for e in diff.modified
    ]
    moved = [
        _html_clause(
            "moved", _html_path_change(e.old, e.new), _h(e.new.text), "文言も変更" if e.modified else ""
        )
        for e in diff.moved
    ]
    body = "\n".join(
        [
            "<h1>文書の差分（条項単位）</h1>",
            '<dl class="docs">'
            f"<dt>旧版</dt><dd>{_h(_doc_name(diff.old))}</dd>"
            f"<dt>新版</dt><dd>{_h(_doc_name(diff.new))}</dd></dl>",
            f'<section><h2>概要</h2><div class="counts">{counts}</div></section>',
            _html_scores(diff.scores),
            _html_section("追加された条項", added),
            _html_section("削除された条項", removed),
            _html_section("変更された条項", modified),
            _html_section("移動した条項", moved),
            _html_findings("増えた指摘", diff.findings_gained),
            _html_findings("減った指摘", diff.findings_lost),
            f'<p class="note">{_MATCHING_NOTE}</p>',
        ]
    )
    title = f"差分: {_doc_name(diff.old)} → {_doc_name(diff.new)}"
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        # the page quotes documents: nothing in it may load or run anything
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# --- files -----------------------------------------------------------------------------------


def write_diff(diff: DocumentDiff, out_dir: Path) -> list[Path]:
    """Write diff.json, diff.html and diff.md into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "diff.json": json.dumps(diff.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n",
        "diff.html": render_diff_html(diff),
        "diff.md": render_diff_markdown(diff),
    }
    paths = []
    for name, content in outputs.items():
        path = out_dir / name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths
