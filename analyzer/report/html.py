"""``report.html``: one self-contained page (inline CSS, JS and SVG; a Content-Security-Policy
that forbids any network access) with an index of the documents in triage order and, per
document, its guideline-item checklist, its text with each finding's evidence highlighted in
place (explanation on hover and click), its scores and what it fails to disclose.

Every piece of document text goes through :func:`html.escape`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from datetime import datetime
from html import escape
from importlib import resources
from itertools import pairwise
from pathlib import Path

from analyzer.model import StructuredDocument
from analyzer.report.svg import band_scale, contribution_bars, score_bar
from analyzer.report.tables import detail_limit, score_row, triage_order
from analyzer.settings import doc_type_ja, guideline_item_specs, scoring, severity_ja
from analyzer.taxonomy import SEVERITY_RANK, labels
from analyzer.version import __version__


def _asset(name: str) -> str:
    return resources.files("analyzer.report").joinpath("assets", name).read_text("utf-8")


def page_frame(title: str, *, script: bool = True) -> tuple[str, str]:
    """The start and the end of a complete HTML page with the shared style (and script), for a
    body written between them (piece by piece for a long batch)."""
    nonce = secrets.token_urlsafe(12)
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " + (
        f"script-src 'nonce-{nonce}'" if script else "script-src 'none'"
    )
    js = f'<script nonce="{nonce}">{_asset("report.js")}</script>' if script else ""
    head = (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
    )
    return head, f'<div id="popup" role="dialog" hidden></div>{js}</body></html>\n'


def page(title: str, body: str, *, script: bool = True) -> str:
    """A complete HTML page around ``body`` with the shared style (and script)."""
    head, tail = page_frame(title, script=script)
    return head + body + tail


def _span_marks(document: StructuredDocument, doc_id: str) -> tuple[str, list[dict]]:
    """The document text as HTML with <mark> around every evidence span, and the findings
    the marks refer to (clause findings first, then document findings)."""
    text = document.document.text
    findings: list[dict] = []
    for clause in document.iter_clauses():
        for f in clause.findings:
            findings.append(
                {
                    "clause_path": clause.path,
                    "label": f.label,
                    "name": labels()[f.label].ja,
                    "kind": f.kind,
                    "severity": f.severity,
                    "confidence": f.confidence,
                    "method": f.method,
                    "items": f.guideline_items,
                    "explanation": f.explanation,
                    "frame": f.frame or "",
                    "how": f.source.combination if f.source else "",
                    "start": f.evidence.start,
                    "end": f.evidence.end,
                    "evidence": f.evidence.text,
                }
            )
    for f in document.document_findings:
        for span in f.evidence[:6]:
            findings.append(
                {
                    "clause_path": "",
                    "label": f.id,
                    "name": "文書全体の指摘",
                    "kind": "document",
                    "severity": f.severity,
                    "confidence": f.confidence,
                    "method": "document_check",
                    "items": f.guideline_items,
                    "explanation": f.explanation,
                    "start": span.start,
                    "end": span.end,
                    "evidence": span.text,
                }
            )
    for k, f in enumerate(findings):
        f["id"] = f"{doc_id}-f{k}"
    bounds = {0, len(text)}
    for f in findings:
        if f["end"] > f["start"]:
            bounds.update((f["start"], f["end"]))
    cuts = sorted(bounds)
    out: list[str] = []
    first_mark: dict[str, str] = {}
    for left, right in pairwise(cuts):
        chunk = escape(text[left:right])
        covering = [f for f in findings if f["start"] <= left and right <= f["end"] and f["end"] > f["start"]]
        if not covering:
            out.append(chunk)
            continue
        problems = [f for f in covering if f["kind"] == "problem"]
        if problems:
            worst = max(problems, key=lambda f: SEVERITY_RANK[f["severity"]])
            css = f"sev-{worst['severity']}"
        elif any(f["kind"] == "document" for f in covering):
            css = "doccheck"
        else:
            css = "good"
        mark_id = f"{doc_id}-m{left}"
        for f in covering:
            first_mark.setdefault(f["id"], mark_id)
        tip = " / ".join(f"{f['name']}: {f['explanation']}" for f in covering)
        ids = " ".join(f["id"] for f in covering)
        out.append(f'<mark id="{mark_id}" class="{css}" data-f="{ids}" title="{escape(tip)}">{chunk}</mark>')
    for f in findings:
        f["mark"] = first_mark.get(f["id"], "")
    return "".join(out), findings


def _finding_detail(f: dict) -> str:
    severity = f["severity"] or "good"
    chip = severity_ja(f["severity"], "良") if f["kind"] != "good_practice" else "良い取組"
    where = f"{escape(f['clause_path'])} · " if f["clause_path"] else ""
    return (
        f'<div class="detail"><span class="chip {severity if f["kind"] != "good_practice" else "good"}">'
        f"{escape(chip)}</span> <b>{escape(f['name'])}</b> <code>{escape(f['label'])}</code><br>"
        f'<span class="hint">{where}確信度 {f["confidence"]:.2f} · {escape(f["method"])} · '
        f"指針 {escape('、'.join(f['items']) or '—')}</span><br>{escape(f['explanation'])}"
        + (f'<br><span class="frame">読み取り：{escape(f["frame"])}</span>' if f.get("frame") else "")
        + (f'<br><span class="hint">判定の根拠：{escape(f["how"])}</span>' if f.get("how") else "")
        + "</div>"
    )


def _checklist(document: StructuredDocument, doc_id: str, findings: list[dict]) -> str:
    marks = {(f["clause_path"], f["label"]): f["mark"] for f in findings}
    doc_marks = {f["label"]: f["mark"] for f in findings if f["kind"] == "document"}
    specs = guideline_item_specs()
    rows = ['<table class="items"><tr><th>項目</th><th>内容</th><th>判定</th></tr>']
    group = None
    for v in document.guideline_items:
        spec_group = specs.get(v.item, {}).get("group", "")
        if spec_group != group:
            group = spec_group
            rows.append(f'<tr class="group"><td colspan="3">{escape(group)}</td></tr>')
        sub = []
        for ref in v.findings[:8]:
            if ref.source == "clause":
                target = marks.get((ref.clause_path, ref.label), "")
                name = labels()[ref.label].ja if ref.label in labels() else ref.label
                link = f' <a class="jump" href="#{target}">本文へ</a>' if target else ""
                sub.append(
                    f"{escape(ref.clause_path or '')}：{escape(name or '')}（{ref.confidence:.2f}）{link}"
                )
            else:
                target = doc_marks.get(ref.finding_id or "", "")
                link = f' <a class="jump" href="#{target}">本文へ</a>' if target else ""
                sub.append(f"文書全体：{escape(ref.finding_id or '')}{link}")
        for statement in v.statements[:3]:
            short = statement.text if len(statement.text) <= 70 else statement.text[:69] + "…"
            sub.append(f"記載：{escape(statement.clause_path)}「{escape(short)}」")
        if v.note and v.status != "raised":
            sub.append(escape(v.note))
        body = (
            f"<details><summary>{escape(v.title)}</summary>"
            + "".join(f'<div class="sub">{s}</div>' for s in sub)
            + "</details>"
            if sub
            else escape(v.title)
        )
        rows.append(
            f'<tr><td>{escape(v.item)}</td><td>{body}</td><td><span class="chip {v.status}">'
            f"{escape(v.status_ja)}</span></td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _scores(document: StructuredDocument) -> str:
    if document.scores is None:
        return '<p class="hint">スコアはありません（構造のみの解析）。</p>'
    s = document.scores
    r = s.readability.document
    bands = [(float(b["min"]), b["band"]) for b in scoring()["jreadability_bands"]]
    top = [
        (c.reason.split("（")[0] if c.source != "vague_marker" else c.reason, c.points)
        for c in s.overreach.contributions[:8]
    ]
    needed = scoring()["readability_min_reasons"]
    verdict = "該当" if s.readability.below_threshold else "非該当"
    reasons = f"1-i {verdict}（閾値を超えた指標 {len(s.readability.reasons)} 個、{needed} 個以上で該当）" + (
        "：" + "、".join(s.readability.reasons) if s.readability.reasons else ""
    )
    return (
        '<div class="scores">'
        f'<div class="row"><span class="label">過剰性 (0–100)</span>{score_bar(s.overreach.score, "#c0392b")}</div>'
        f'<div class="row"><span class="label">透明性 (0–100)</span>{score_bar(s.transparency.score, "#2e7d5b")}</div>'
        f'<div class="row"><span class="label">jReadability</span>{band_scale(r.jreadability, bands)}</div>'
        f'<p class="hint">jReadability {_num(r.jreadability, 2)}'
        f"（{escape(r.jreadability_band or '—')}）· 建石RS' {_num(r.tateishi_rs, 1)}"
        f" · 平均文長 {r.sentence_length_mean:.0f}字 · 100字超 {r.share_over_100:.0%}"
        f" · 漢字率 {r.kanji_ratio:.0%} · 括弧の入れ子 {r.max_paren_depth} · 二重否定 {r.double_negatives}"
        f"<br>{escape(reasons)}</p>"
        '<div class="label hint">過剰性の内訳（上位）</div>'
        f"{contribution_bars(top)}</div>"
    )


def _document_section(index: int, name: str, document: StructuredDocument) -> str:
    doc_id = f"doc-{index}"
    info = document.document
    marked, findings = _span_marks(document, doc_id)
    clause_findings = [f for f in findings if f["kind"] != "document"]
    clause_findings.sort(key=lambda f: (f["kind"] != "problem", -SEVERITY_RANK[f["severity"]], f["start"]))
    missing = document.scores.transparency.missing if document.scores else []
    hardest = document.scores.readability.hardest_sentences if document.scores else []
    parts = [
        f'<section class="doc" id="{doc_id}">',
        f"<h2>{escape(info.title or name)}</h2>",
        f'<p class="meta">{escape(info.name)} · 事業者 {escape(info.carrier or "不明")} · '
        f"{escape(doc_type_ja(info.doc_type))}（確信度 {info.doc_type_confidence:.2f}）· "
        f"施行・改定日 {escape(info.effective_date or '不明')}"
        f"{'（' + escape(info.effective_date_kind) + '）' if info.effective_date_kind else ''}</p>",
        (
            f'<p class="meta">通信の媒介: {escape(document.checks.service.reason)}</p>'
            if document.checks and document.checks.service
            else ""
        ),
        '<div class="layout"><div>',
        '<div class="card"><h3 style="margin-top:0">本文（指摘箇所を強調）</h3>',
        '<div class="legend"><span><span class="sw" style="background:#fde4e1;border-bottom:2px solid #b42318">'
        '</span>重大度 高</span><span><span class="sw" style="background:#fff1c7;border-bottom:2px solid #9a5b00">'
        '</span>中</span><span><span class="sw" style="background:#e3ecf5;border-bottom:2px solid #3e5c76"></span>'
        '低</span><span><span class="sw" style="border-bottom:2px dotted #1e7a45"></span>良い取組</span>'
        '<span><span class="sw" style="outline:1px dashed #52606d"></span>文書全体の指摘</span>'
        '<label><input type="checkbox" class="toggle-good" checked> 良い取組を表示</label>'
        "<span>強調部分をクリックすると説明を表示します。</span></div>",
        f'<div class="doc-text">{marked}</div></div>',
        '<div class="card"><h3 style="margin-top:0">指摘一覧</h3><table class="findings">'
        "<tr><th>条項</th><th>ラベル</th><th>重大度</th><th>確信度</th><th>根拠の記載</th></tr>",
    ]
    for f in clause_findings:
        sev = severity_ja(f["severity"]) if f["kind"] == "problem" else "良い取組"
        css = f["severity"] if f["kind"] == "problem" else "good"
        evidence = f["evidence"] if len(f["evidence"]) <= 90 else f["evidence"][:89] + "…"
        link = f' <a class="jump" href="#{f["mark"]}">本文へ</a>' if f["mark"] else ""
        parts.append(
            f'<tr id="{f["id"]}"><td>{escape(f["clause_path"])}</td><td>{escape(f["name"])}'
            f'<div hidden>{_finding_detail(f)}</div></td><td><span class="chip {css}">{escape(sev)}</span></td>'
            f'<td>{f["confidence"]:.2f}</td><td class="ev">{escape(evidence)}{link}</td></tr>'
        )
    if not clause_findings:
        parts.append('<tr><td colspan="5" class="hint">条項の指摘はありません。</td></tr>')
    parts.append("</table>")
    for f in findings:
        if f["kind"] == "document":
            parts.append(f'<div id="{f["id"]}" hidden>{_finding_detail(f)}</div>')
    parts.append("</div></div><aside>")
    parts.append(f'<div class="card"><h3 style="margin-top:0">スコア</h3>{_scores(document)}</div>')
    parts.append('<div class="card"><h3 style="margin-top:0">不足している開示</h3>')
    if missing:
        parts.append(
            '<ul class="plain">'
            + "".join(
                f"<li>{escape(m.name)}"
                + (f"（{m.present:.0%} 充足）" if 0 < m.present < 1 else "")
                + f' <span class="hint">重み {m.weight:g}</span></li>'
                for m in missing
            )
            + "</ul>"
        )
    else:
        parts.append('<p class="hint">期待される開示はすべて見つかりました。</p>')
    if document.document_findings:
        parts.append('<h3>文書全体の指摘</h3><ul class="plain">')
        for f in document.document_findings:
            parts.append(
                f'<li><span class="chip {f.severity}">{severity_ja(f.severity)}</span> '
                f'{escape(f.explanation)} <span class="hint">{escape("、".join(f.guideline_items))}</span></li>'
            )
        parts.append("</ul>")
    parts.append("</div>")
    parts.append(
        '<div class="card"><h3 style="margin-top:0">指針の27項目</h3>'
        f"{_checklist(document, doc_id, findings)}</div>"
    )
    if hardest:
        parts.append('<div class="card"><h3 style="margin-top:0">読みにくい文（上位5）</h3><ol>')
        for h in hardest:
            parts.append(
                f'<li>{escape(h.text)} <span class="hint">{escape(h.clause_path)} · {h.characters}字 · '
                f"jReadability {h.jreadability:.2f}</span></li>"
            )
        parts.append("</ol></div>")
    parts.append("</aside></div></section>")
    return "".join(parts)


def carrier_section(carriers: list[dict]) -> str:
    """The carriers of the batch (``compare/carriers.py``): each set's documents, the 27 items at
    carrier level, what no document discloses and the contradictions side by side, both quotes
    highlighted — the carriers with the most contradictions first, at most the detail limit."""
    ordered = sorted(
        carriers,
        key=lambda c: (
            -len(c["contradictions"]),
            -sum(i["status"] == "raised" for i in c["guideline_items"]),
        ),
    )[: detail_limit()]
    parts = [
        '<section class="carriers card"><h3 style="margin-top:0">事業者ごとの判定（文書をまとめて）</h3>'
    ]
    for number, carrier in enumerate(ordered, start=1):
        items = carrier["guideline_items"]
        raised = [i for i in items if i["status"] == "raised"]
        parts.append(
            f'<details class="carrier" id="carrier-{number}"{" open" if number == 1 else ""}>'
            f"<summary><b>{escape(carrier['carrier'])}</b>（文書 {len(carrier['documents'])}・"
            f"矛盾 {len(carrier['contradictions'])}・該当の疑い {len(raised)} / {len(items)}）</summary>"
            '<p class="hint">'
            + "、".join(
                f"{escape(d['file'])}（{escape(doc_type_ja(d['doc_type']))}・{escape(d['date'] or '日付不明')}）"
                for d in carrier["documents"]
            )
            + "</p>"
        )
        if carrier["absent"]:
            parts.append(
                "<p>どの文書にも記載がない事項："
                + "、".join(
                    f"{escape(a['label_ja'])}（期待される文書: {escape('、'.join(a['expected_in']))}）"
                    for a in carrier["absent"]
                )
                + "</p>"
            )
        parts.append('<table class="pairs"><tr><th>論点</th><th>一方の記載</th><th>他方の記載</th></tr>')
        for c in carrier["contradictions"]:
            parts.append(
                f'<tr><td>{escape(c["topic_ja"])}<br><span class="hint">{escape(c["data"])}</span></td>'
                + "".join(
                    f'<td><span class="hint">{escape(side["document"])} {escape(side["clause_path"])}</span><br>'
                    f'<span class="quote">{escape(side["quote"])}</span></td>'
                    for side in (c["a"], c["b"])
                )
                + f'</tr><tr><td></td><td colspan="2" class="hint">{escape(c["explanation"])}'
                + (f"（ほか {len(c['b_also'])} か所）" if c.get("b_also") else "")
                + "</td></tr>"
            )
        if not carrier["contradictions"]:
            parts.append('<tr><td colspan="3" class="hint">文書間の矛盾は見つかりませんでした。</td></tr>')
        parts.append("</table>")
        parts.append(
            '<table class="items"><tr><th>項目</th><th>内容</th><th>事業者としての判定</th></tr>'
            + "".join(
                f"<tr><td>{escape(i['item'])}</td><td>{escape(i['title'])}"
                + (
                    '<div class="sub">'
                    + escape("、".join(sorted({b["document"] for b in i["behind"]})))
                    + "</div>"
                    if i["behind"]
                    else ""
                )
                + f'</td><td><span class="chip {i["status"]}">{escape(i["status_ja"])}</span></td></tr>'
                for i in items
            )
            + "</table></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def report_chunks(
    index_rows: list[dict],
    documents: Iterable[tuple[str, StructuredDocument]],
    carriers: list[dict] | None = None,
) -> Iterator[str]:
    """The report piece by piece: the index of every document from its ``scores`` row (in
    triage order), then a section per document of ``documents`` — the first of that order, which
    :func:`detail_limit` bounds so that a batch of any size gives a readable page."""
    ordered = triage_order(index_rows)
    head, tail = page_frame("文書分析レポート")
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    detailed = min(len(ordered), detail_limit())
    items = len(guideline_item_specs())
    yield head
    yield (
        '<header class="top"><h1>通信の秘密・利用規約 文書分析レポート</h1>'
        f"<p>{len(ordered)} 文書 · 作成 {generated} · carrier-policy-analyzer {escape(__version__)} · "
        "総務省「通信の秘密の確保に支障があるときの業務の改善命令の発動に係る指針（案）」の27項目に照らした分析"
        "（自動判定であり、最終的な判断には原文の確認が必要です）</p>"
        + (
            f"<p>詳細は優先度の高い {detailed} 文書について示します。全文書の指摘は findings.csv と "
            "tables/ にあります。</p>"
            if detailed < len(ordered)
            else ""
        )
        + "</header><main>"
    )
    yield (
        '<div class="card"><h3 style="margin-top:0">文書一覧（優先度順：重大度「高」の指摘数、過剰性スコア）</h3>'
        '<table class="index"><tr><th>#</th><th>文書</th><th>事業者</th><th>種別</th><th>施行・改定日</th>'
        "<th>重大度「高」</th><th>該当の疑い</th><th>過剰性</th><th>透明性</th><th>読みやすさ</th></tr>"
    )
    for i, row in enumerate(ordered, start=1):
        title = escape(row["title"] or row["document"])
        yield (
            f'<tr class="row" data-doc="doc-{i}"><td class="num">{i}</td>'
            + (f'<td><a href="#doc-{i}">{title}</a><br>' if i <= detailed else f"<td>{title}<br>")
            + f'<span class="hint">{escape(Path(row["path"] or row["document"]).name)}</span></td>'
            f"<td>{escape(row['carrier'] or '不明')}</td>"
            f"<td>{escape(doc_type_ja(row['doc_type']))}</td>"
            f'<td style="white-space:nowrap">{escape(row["effective_date"] or "—")}</td>'
            f'<td class="num">{row["high_findings"]}</td>'
            f'<td class="num">{row["items_raised"]} / {items}</td>'
            f"<td>{score_bar(row['overreach'], '#c0392b', 90)}</td>"
            f"<td>{score_bar(row['transparency'], '#2e7d5b', 90)}</td>"
            f"<td>{escape(row['jreadability_band'] or '—')}</td></tr>"
        )
    yield "</table></div>"
    if carriers:
        yield carrier_section(carriers)
    for i, (name, document) in enumerate(documents, start=1):
        if i > detailed:
            break
        yield _document_section(i, name, document)
    yield "</main>"
    yield tail


def render_report(documents: list[tuple[str, StructuredDocument]], carriers: list[dict] | None = None) -> str:
    """The whole report for ``(name, document)`` pairs held in memory (and their carrier sets'
    judgements, ``compare.carriers.carrier_report``)."""
    rows = [{k: None if v == "" else v for k, v in score_row(d, n).items()} for n, d in documents]
    by_name = dict(documents)
    ordered = [(row["document"], by_name[row["document"]]) for row in triage_order(rows)]
    return "".join(report_chunks(rows, ordered, carriers))
