"""Clause-level diff of two versions of one document: the alignment of their clauses (exact,
then similar, then the moves among the pairs), the text operations of each reworded clause,
and the findings and scores that changed."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from analyzer import taxonomy
from analyzer.compare.diff_schema import (
    AddedClause,
    ClauseSpan,
    DocumentDiff,
    DocumentRef,
    FindingChange,
    ItemStatusChange,
    ModifiedClause,
    MovedClause,
    RemovedClause,
    ScoreChange,
    ScoreDiff,
    TextOp,
)
from analyzer.model import Clause, ClauseFinding, DocumentFinding, StructuredDocument

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
