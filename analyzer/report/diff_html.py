"""``diff.html``: the diff as one self-contained page under a Content-Security-Policy that lets
nothing load or run."""

from __future__ import annotations

import html

from analyzer.compare.diff_schema import (
    ClauseSpan,
    DocumentDiff,
    FindingChange,
    ScoreChange,
    ScoreDiff,
    TextOp,
)
from analyzer.report import diff_text as shared

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
    return shared.render_ops(ops, _h, lambda t: f"<del>{_h(t)}</del>", lambda t: f"<ins>{_h(t)}</ins>")


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
            f'<td class="sev-{_h(severity)}">{shared.severity_text(c)}</td>'
            f"<td>{_h(shared.finding_place(c))}</td>"
            f'<td class="num">{c.confidence:.2f}</td>'
            f"<td>{_h(c.explanation)}</td>"
            f"<td>{_h(c.evidence) if c.evidence else shared.DASH}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{name}</th>" for name in ("区分", "指摘", "重大度", "箇所", "確信度", "説明", "根拠")
    )
    table = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
    return f"<section><h2>{_h(title)}（{len(changes)}件）</h2>{table}</section>"


def _html_scores(scores: ScoreDiff) -> str:
    rows = []
    for field, name, direction in shared.SCORE_ROWS:
        score: ScoreChange = getattr(scores, field)
        verdict = shared.score_verdict(score.change, direction)
        css = {"改善": "better", "悪化": "worse"}.get(verdict, "")
        rows.append(
            f'<tr><td>{_h(name)}</td><td class="num">{shared.number(score.old)}</td>'
            f'<td class="num">{shared.number(score.new)}</td>'
            f'<td class="num {css}">{shared.signed(score.change)}</td>'
            f'<td class="{css}">{verdict}</td></tr>'
        )
    table = (
        "<table><tr><th>指標</th><th>旧版</th><th>新版</th><th>変化</th><th>評価</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    if scores.guideline_items:
        items = "".join(
            f"<tr><td>{_h(c.item)}</td><td>{_h(c.title)}</td><td>{_h(c.old_ja or shared.DASH)}</td>"
            f"<td>{_h(c.new_ja or shared.DASH)}</td></tr>"
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
        for name, n in shared.change_counts(diff)
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
            f"<dt>旧版</dt><dd>{_h(shared.doc_name(diff.old))}</dd>"
            f"<dt>新版</dt><dd>{_h(shared.doc_name(diff.new))}</dd></dl>",
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
    title = f"差分: {shared.doc_name(diff.old)} → {shared.doc_name(diff.new)}"
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        # the page quotes documents: nothing in it may load or run anything
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
