"""Compare many analysed documents: label × group heat map, guideline item × group matrix,
scores side by side with rankings, and topic alignment — for each topic (a label, a query, or a
chosen clause) the closest clause of each document by embedding similarity."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

import numpy as np

from analyzer.atomic import write_atomic
from analyzer.model import StructuredDocument
from analyzer.report.html import page
from analyzer.report.prototypes import load_prototypes
from analyzer.report.svg import heat_colour, score_bar
from analyzer.settings import doc_type_ja, guideline_item_specs, label_texts, scoring
from analyzer.taxonomy import all_labels, labels

GROUPINGS = ("carrier", "doc_type")
TOPIC_TEXT_LIMIT = 160


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
    if by == "doc_type":
        return document.document.doc_type
    return document.document.carrier or "（事業者不明）"


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
    for _, document in documents:
        key = group_key(document, by)
        if key not in groups:
            groups.append(key)
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
    return Comparison(by, groups, rows, heatmap, items, group_scores, aligned)


def _write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_comparison(comparison: Comparison, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = comparison.groups
    written = [
        _write_csv(
            out_dir / "heatmap.csv",
            ["label", "label_ja", *groups],
            [
                [label, labels()[label].ja, *(row[g] for g in groups)]
                for label, row in comparison.heatmap.items()
            ],
        ),
        _write_csv(
            out_dir / "guideline_items.csv",
            ["item", "title", *groups],
            [
                [
                    item,
                    guideline_item_specs()[item]["title"],
                    *(f"{row[g]['raised']}/{row[g]['documents']}" for g in groups),
                ]
                for item, row in comparison.items.items()
            ],
        ),
        _write_csv(
            out_dir / "scores.csv",
            list(comparison.documents[0]) if comparison.documents else ["document"],
            [list(r.values()) for r in comparison.documents],
        ),
        _write_csv(
            out_dir / "topics.csv",
            ["topic", "topic_name", "document", "clause_path", "similarity", "text"],
            [
                [t["id"], t["name"], d["document"], d["clause_path"], d["similarity"], d["text"]]
                for t in comparison.topics
                for d in t["documents"]
            ],
        ),
    ]
    json_path = out_dir / "compare.json"
    write_atomic(json_path, json.dumps(asdict(comparison), ensure_ascii=False, indent=1))
    html_path = out_dir / "compare.html"
    write_atomic(html_path, render_comparison(comparison))
    return [*written, json_path, html_path]


def _group_name(comparison: Comparison, group: str) -> str:
    return doc_type_ja(group) if comparison.by == "doc_type" else group


def render_comparison(comparison: Comparison) -> str:
    groups = comparison.groups
    heads = "".join(f"<th>{escape(_group_name(comparison, g))}</th>" for g in groups)
    maximum = max((v for row in comparison.heatmap.values() for v in row.values()), default=0)
    parts = [
        '<header class="top"><h1>文書の比較</h1>'
        f"<p>{len(comparison.documents)} 文書 · {len(groups)} グループ（"
        f"{'事業者' if comparison.by == 'carrier' else '文書の種別'}別）</p></header><main>",
        '<div class="card"><h3 style="margin-top:0">ラベル × グループ（指摘件数のヒートマップ）</h3>'
        f'<div style="overflow-x:auto"><table class="heat"><tr><th>ラベル</th>{heads}</tr>',
    ]
    for label, row in comparison.heatmap.items():
        kind = "問題" if labels()[label].kind == "problem" else "良い取組"
        cells = "".join(
            f'<td class="num" data-label="{label}" data-group="{escape(g)}" '
            f'style="background:{heat_colour(row[g], maximum) if kind == "問題" else "#fff"}">{row[g]}</td>'
            for g in groups
        )
        parts.append(
            f'<tr><td>{escape(labels()[label].ja)} <span class="hint">{kind}</span></td>{cells}</tr>'
        )
    parts.append("</table></div></div>")
    parts.append(
        '<div class="card"><h3 style="margin-top:0">指針の項目 × グループ（該当の疑いがある文書数 / 文書数）</h3>'
        f'<div style="overflow-x:auto"><table><tr><th>項目</th><th>内容</th>{heads}</tr>'
    )
    for item, row in comparison.items.items():
        cells = "".join(
            f'<td class="num"><span class="chip {"raised" if row[g]["raised"] else "not_raised"}">'
            f"{row[g]['raised']} / {row[g]['documents']}</span></td>"
            for g in groups
        )
        parts.append(
            f"<tr><td>{escape(item)}</td><td>{escape(guideline_item_specs()[item]['title'])}</td>{cells}</tr>"
        )
    parts.append("</table></div></div>")
    parts.append(
        '<div class="card"><h3 style="margin-top:0">スコアと順位</h3><table><tr><th>文書</th><th>グループ</th>'
        "<th>過剰性</th><th>順位</th><th>透明性</th><th>順位</th><th>jReadability</th><th>順位</th></tr>"
    )
    for row in sorted(comparison.documents, key=lambda r: r["overreach_rank"] or 10**6):
        parts.append(
            f'<tr><td>{escape(row["title"])}<br><span class="hint">{escape(row["document"])}</span></td>'
            f"<td>{escape(_group_name(comparison, row['group']))}</td>"
            f'<td>{score_bar(row["overreach"], "#c0392b", 110)}</td><td class="num">{row["overreach_rank"] or "—"}</td>'
            f'<td>{score_bar(row["transparency"], "#2e7d5b", 110)}</td><td class="num">{row["transparency_rank"] or "—"}</td>'
            f"<td>{row['jreadability'] if row['jreadability'] is not None else '—'}"
            f'（{escape(row["jreadability_band"] or "—")}）</td><td class="num">{row["jreadability_rank"] or "—"}</td></tr>'
        )
    parts.append("</table></div>")
    if comparison.topics:
        weak_similarity = scoring()["compare_weak_similarity"]
        names = [r["document"] for r in comparison.documents]
        doc_heads = "".join(f"<th>{escape(n)}</th>" for n in names)
        parts.append(
            '<div class="card"><h3 style="margin-top:0">論点ごとの対応条項（埋め込みの類似度が最も高い条項）</h3>'
            '<p class="hint">「指摘あり」はその条項にこの論点のラベルが付いていること、灰色は類似度が低く'
            "対応する記載が見当たらないことを示します。</p>"
            f'<div style="overflow-x:auto"><table class="topics"><tr><th style="min-width:9em">論点</th>{doc_heads}</tr>'
        )
        for topic in comparison.topics:
            by_doc = {d["document"]: d for d in topic["documents"]}
            cells = []
            for n in names:
                d = by_doc.get(n)
                if d is None:
                    cells.append("<td>—</td>")
                    continue
                text = (
                    d["text"]
                    if len(d["text"]) <= TOPIC_TEXT_LIMIT
                    else d["text"][: TOPIC_TEXT_LIMIT - 1] + "…"
                )
                weak = d["similarity"] < weak_similarity and not d["labelled"]
                badge = ' <span class="chip raised">指摘あり</span>' if d["labelled"] else ""
                note = '<br><span class="hint">（近い記載なし）</span>' if weak else ""
                style = "min-width:220px" + (";color:#9aa5b1" if weak else "")
                cells.append(
                    f'<td style="{style}"><b>{escape(d["clause_path"])}</b> '
                    f'<span class="hint">類似度 {d["similarity"]:.2f}</span>{badge}{note}<br>{escape(text)}</td>'
                )
            parts.append(f"<tr><td>{escape(topic['name'])}</td>{''.join(cells)}</tr>")
        parts.append("</table></div></div>")
    parts.append("</main>")
    return page("文書の比較", "".join(parts), script=False)


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
