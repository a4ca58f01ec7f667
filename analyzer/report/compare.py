"""Write a comparison of many documents (``analyzer/compare/documents.py``): compare.json, the
CSV tables and compare.html."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from html import escape
from pathlib import Path

from analyzer.atomic import atomic_target, write_atomic
from analyzer.compare.documents import Comparison
from analyzer.report.html import page
from analyzer.report.safe import csv_row
from analyzer.report.svg import heat_colour, score_bar
from analyzer.settings import doc_type_ja, guideline_item_specs, scoring
from analyzer.taxonomy import labels

TOPIC_TEXT_LIMIT = 160  # characters of a clause quoted in a topic's cell


def _write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    """A CSV table written atomically, formula-like text cells neutralised (``safe.csv_cell``)."""
    with atomic_target(path) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(csv_row(row) for row in rows)
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
