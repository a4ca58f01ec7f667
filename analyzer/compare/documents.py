"""Compare many analysed documents: label × group heat map, guideline item × group matrix,
scores side by side with rankings, and topic alignment — for each topic (a label, a query, or a
chosen clause) the closest clause of each document by embedding similarity. Rendered by
``analyzer/report/compare.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from analyzer.compare.carriers import carrier_key
from analyzer.compare.prototypes import load_prototypes
from analyzer.model import StructuredDocument
from analyzer.settings import guideline_item_specs, label_texts
from analyzer.taxonomy import all_labels, labels

GROUPINGS = ("carrier", "doc_type")


@dataclass
class Topic:
    id: str
    name: str
    query: str
    vector: list[float] | None = None  # a centred label prototype, used instead of the query
    centre: list[float] | None = None  # the corpus mean the prototype is relative to


@dataclass
class Alignment:
    document: str
    clause_path: str
    text: str
    similarity: float
    start: int
    end: int
    labelled: bool = False  # the analyzer found the topic's label on this clause


@dataclass
class Comparison:
    by: str
    groups: list[str]
    documents: list[dict]
    heatmap: dict[str, dict[str, int]]
    items: dict[str, dict[str, dict[str, int]]]
    group_scores: dict[str, dict[str, float | None]]
    topics: list[dict] = field(default_factory=list)


def group_key(document: StructuredDocument, by: str) -> str:
    """The group of a document: its type, or its carrier set (``carriers.carrier_key``: one
    carrier however its legal form is written)."""
    if by == "doc_type":
        return document.document.doc_type
    return carrier_key(document.document.carrier) or "（事業者不明）"


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def _ranks(values: list[float | None], descending: bool = True) -> list[int | None]:
    order = sorted(
        (i for i, v in enumerate(values) if v is not None),
        key=lambda i: -values[i] if descending else values[i],  # type: ignore[operator]
    )
    ranks: list[int | None] = [None] * len(values)
    for rank, i in enumerate(order, start=1):
        ranks[i] = rank
    return ranks


def label_topics() -> list[Topic]:
    """One topic per label: its prototype (models/label_prototypes.npz) when built, else the
    label's name and one-line explanation as the query."""
    texts = label_texts()
    loaded = load_prototypes()
    prototypes, centre = (loaded[0], loaded[1].tolist()) if loaded else ({}, None)
    return [
        Topic(
            label,
            labels()[label].ja,
            f"{labels()[label].ja}：{texts[label]['explanation']}",
            prototypes[label].tolist() if label in prototypes else None,
            centre if label in prototypes else None,
        )
        for label in all_labels()
    ]


def align_topics(
    documents: list[tuple[str, StructuredDocument]],
    topics: list[Topic],
    embed: Callable[[list[str]], np.ndarray],
) -> list[dict]:
    """For each topic, the most similar clause (own text) of every document."""
    clauses = [
        (name, clause)
        for name, document in documents
        for clause in document.iter_clauses()
        if clause.own_text.strip()
    ]
    if not clauses or not topics:
        return []
    clause_vectors = embed([c.own_text for _, c in clauses])
    queries = [t.query for t in topics if t.vector is None]
    embedded = iter(embed(queries)) if queries else iter(())
    centred: dict[tuple, np.ndarray] = {}
    out = []
    for topic in topics:
        if topic.vector is not None and topic.centre is not None:
            key = tuple(topic.centre[:4])
            if key not in centred:
                shifted = clause_vectors - np.asarray(topic.centre, dtype=np.float32)
                centred[key] = shifted / np.linalg.norm(shifted, axis=1, keepdims=True)
            scores = centred[key] @ np.asarray(topic.vector, dtype=np.float32)
        else:
            scores = clause_vectors @ next(embedded)
        best: dict[str, Alignment] = {}
        for j, (name, clause) in enumerate(clauses):
            score = float(scores[j])
            if name not in best or score > best[name].similarity:
                labelled = any(f.label == topic.id for f in clause.findings)
                best[name] = Alignment(
                    name, clause.path, clause.own_text, round(score, 4), clause.start, clause.end, labelled
                )
        out.append(
            {**asdict(topic), "documents": [asdict(best[name]) for name, _ in documents if name in best]}
        )
    return out


def compare_documents(
    documents: list[tuple[str, StructuredDocument]],
    by: str = "carrier",
    topics: list[Topic] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> Comparison:
    groups: list[str] = []
    shown: dict[str, str] = {}  # a carrier set's key → the name its first document gives
    for _, document in documents:
        key = group_key(document, by)
        if key not in groups:
            groups.append(key)
            shown[key] = (document.document.carrier or key) if by == "carrier" else key
    heatmap: dict[str, dict[str, int]] = {label: dict.fromkeys(groups, 0) for label in all_labels()}
    items = {item: {g: {"raised": 0, "documents": 0} for g in groups} for item in guideline_item_specs()}
    rows = []
    for name, document in documents:
        key = group_key(document, by)
        for clause in document.iter_clauses():
            for finding in clause.findings:
                heatmap[finding.label][key] += 1
        for verdict in document.guideline_items:
            cell = items[verdict.item][key]
            cell["documents"] += 1
            cell["raised"] += verdict.status == "raised"
        s = document.scores
        rows.append(
            {
                "document": name,
                "title": document.document.title or name,
                "group": key,
                "carrier": document.document.carrier,
                "doc_type": document.document.doc_type,
                "effective_date": document.document.effective_date,
                "overreach": s.overreach.score if s else None,
                "transparency": s.transparency.score if s else None,
                "jreadability": s.readability.document.jreadability if s else None,
                "jreadability_band": s.readability.document.jreadability_band if s else None,
                "problem_findings": sum(
                    1 for c in document.iter_clauses() for f in c.findings if f.kind == "problem"
                ),
                "items_raised": sum(1 for v in document.guideline_items if v.status == "raised"),
            }
        )
    # Rank 1 = furthest reach, most transparent, easiest to read.
    for key, descending in (("overreach", True), ("transparency", True), ("jreadability", True)):
        for row, rank in zip(rows, _ranks([r[key] for r in rows], descending), strict=True):
            row[f"{key}_rank"] = rank
    group_scores = {
        g: {
            "documents": sum(1 for r in rows if r["group"] == g),
            "overreach": _mean([r["overreach"] for r in rows if r["group"] == g]),
            "transparency": _mean([r["transparency"] for r in rows if r["group"] == g]),
            "jreadability": _mean([r["jreadability"] for r in rows if r["group"] == g]),
        }
        for g in groups
    }
    aligned = align_topics(documents, topics or [], embed) if embed is not None else []
    # the groups are shown by the name their first document gives
    for row in rows:
        row["group"] = shown[row["group"]]
    heatmap = {label: {shown[g]: n for g, n in cells.items()} for label, cells in heatmap.items()}
    items = {item: {shown[g]: cell for g, cell in cells.items()} for item, cells in items.items()}
    group_scores = {shown[g]: scores for g, scores in group_scores.items()}
    return Comparison(by, [shown[g] for g in groups], rows, heatmap, items, group_scores, aligned)


def topic_from_clause(spec: str, documents: list[tuple[str, StructuredDocument]]) -> Topic | None:
    """``name#path`` (a document of the comparison and a clause path) → a topic on that clause."""
    if "#" not in spec:
        return None
    name, path = spec.split("#", 1)
    for doc_name, document in documents:
        if doc_name == name or Path(document.document.name).stem == name:
            for clause in document.iter_clauses():
                if clause.path == path:
                    return Topic(f"{doc_name}#{path}", f"{doc_name} {path}", clause.own_text)
    return None


def parse_topics(values: list[str], documents: list[tuple[str, StructuredDocument]]) -> list[Topic]:
    topics = []
    for i, value in enumerate(values, start=1):
        topic = topic_from_clause(value, documents)
        topics.append(topic or Topic(f"query-{i}", value, value))
    return topics
