"""Render the sample documents from their sources and write their gold clause trees.

Usage: python scripts/build_sample_corpus.py [--out DIR]

Reads ``corpora/documents/src/*.yaml`` (format: ``corpora/README.md``), writes
``corpora/documents/<id>.<ext>`` in the format and encoding each source asks for, and
``corpora/documents/gold.jsonl``. The gold tree is computed from the source structure with its
own implementation of the citation conventions, never from the analyzer's output.
Output is deterministic: the same sources give the same bytes (PDF and DOCX metadata fixed).
"""

from __future__ import annotations

import html
import io
import json
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "corpora" / "documents" / "src"
OUT = ROOT / "corpora" / "documents"
CODECS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "utf-16": "utf-16",
}
EXTENSIONS = {"txt": "txt", "md": "md", "html": "html", "pdf": "pdf", "docx": "docx"}
KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
DATE_FIXED = "D:20240401000000+09'00'"


# --------------------------------------------------------------------------------------------
# Gold: citation paths from the source structure
# --------------------------------------------------------------------------------------------
def kanji_number(text: str) -> int:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in KANJI:
            current = KANJI[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def section_kind(marker: str) -> str:
    m = unicodedata.normalize("NFKC", marker).strip()
    if re.fullmatch(r"第\s*\S+?\s*章", m):
        return "chapter"
    if re.fullmatch(r"第\s*\S+?\s*節", m):
        return "division"
    if re.fullmatch(r"第\s*\S+?\s*条(の\S+)?", m):
        return "article"
    if m.replace(" ", "") == "附則":
        return "supplementary"
    if re.match(r"(別表|別紙|様式)", m):
        return "appendix"
    return "heading"


def cite_section(marker: str, kind: str) -> str:
    m = unicodedata.normalize("NFKC", marker).strip().replace(" ", "")
    if kind in {"chapter", "division"}:
        number = re.fullmatch(r"第(\S+?)[章節]", m).group(1)
        return f"第{kanji_number(number)}{'章' if kind == 'chapter' else '節'}"
    if kind == "article":
        match = re.fullmatch(r"第(\S+?)条(?:の(\S+))?", m)
        cited = f"第{kanji_number(match.group(1))}条"
        return cited + (f"の{kanji_number(match.group(2))}" if match.group(2) else "")
    if kind == "supplementary":
        return "附則"
    if kind == "appendix":
        return re.sub(r"[一二三四五六七八九十]+", lambda x: str(kanji_number(x.group())), m)
    if re.fullmatch(r"第\d+", m):
        return m
    if re.fullmatch(r"\d+[.．]?", m):
        return m.rstrip(".") + "."
    if re.fullmatch(r"\(\d+\)", m):
        return m
    return m


def self_contained(marker: str) -> bool:
    return bool(re.fullmatch(r"\d+[-.]\d+\.?", unicodedata.normalize("NFKC", marker).strip()))


def cite_item(marker: str, position: int) -> str:
    raw = marker.strip()
    if re.fullmatch(r"[一二三四五六七八九十]+", raw):
        return f"第{kanji_number(raw)}号"
    if raw in {"・", "-", "●", "•", "○", "◆"}:
        return f"・{position}"
    if re.fullmatch(r"[①-⑳]|[ⅰ-ⅻ]", raw):
        return raw
    if re.fullmatch(r"[（(][ⅰ-ⅻ][)）]", raw):
        return "(" + raw[1] + ")"
    return unicodedata.normalize("NFKC", raw).replace(" ", "").rstrip("、")


def join(path: str, part: str) -> str:
    if path and part and path[-1].isdigit() and part[0].isdigit():
        return f"{path} {part}"
    return path + part


@dataclass
class Gold:
    sections: list[str] = field(default_factory=list)
    clauses: list[dict] = field(default_factory=list)


def gold_items(items: list[dict], parent: str, gold: Gold) -> None:
    positions: dict[str, int] = {}
    for item in items:
        family = "bullet" if item["marker"] in {"・", "-", "●", "•"} else "other"
        positions[family] = positions.get(family, 0) + 1
        path = join(parent, cite_item(item["marker"], positions[family]))
        gold.clauses.append({"path": path, "text": item_display(item), "labels": item.get("labels", [])})
        gold_items(item.get("items") or [], path, gold)


def gold_section(section: dict, parent_path: str, parent_kind: str | None, gold: Gold) -> None:
    kind = section_kind(section["marker"])
    cited = cite_section(section["marker"], kind)
    if kind == "division" and parent_kind == "chapter":
        path = join(parent_path, cited)
    elif kind == "article" and parent_kind == "supplementary":
        path = join("附則", cited)
    elif (
        kind == "heading"
        and not self_contained(section["marker"])
        and parent_kind in {"heading", "appendix", "supplementary"}
    ):
        path = join(parent_path, cited)
    else:
        path = cited
    gold.sections.append(path)
    paragraphs = section.get("paragraphs") or []
    article_like = kind in {"article", "supplementary"}
    for number, paragraph in enumerate(paragraphs, 1):
        if len(paragraphs) > 1:
            clause_path = join(path, f"第{number}項" if article_like else f"第{number}段落")
        else:
            clause_path = path
        prefix = paragraph_number(number, STATE["paragraph_numbers"]) if article_like and number > 1 else ""
        gold.clauses.append(
            {"path": clause_path, "text": prefix + paragraph["text"], "labels": paragraph.get("labels", [])}
        )
        for row in paragraph.get("definitions") or []:
            gold.clauses.append(
                {
                    "path": f"{clause_path}「{row['term']}」",
                    "text": row["term"] + row["text"],
                    "labels": row.get("labels", []),
                }
            )
        gold_items(paragraph.get("items") or [], clause_path, gold)
    for child in section.get("sections") or []:
        gold_section(child, path, kind, gold)


STATE: dict[str, str] = {}


def gold_tree(doc: dict) -> Gold:
    STATE["paragraph_numbers"] = doc.get("paragraph_numbers", "fullwidth")
    gold = Gold()
    preamble = doc.get("preamble") or []
    if preamble:
        gold.sections.append("前文")
        for number, entry in enumerate(preamble, 1):
            path = "前文" if len(preamble) == 1 else f"前文第{number}段落"
            text, labels = (
                (entry["text"], entry.get("labels", [])) if isinstance(entry, dict) else (entry, [])
            )
            gold.clauses.append({"path": path, "text": text, "labels": labels})
    for section in doc["sections"]:
        gold_section(section, "", None, gold)
    return gold


# --------------------------------------------------------------------------------------------
# Rendering: a list of logical lines with roles, then one writer per format
# --------------------------------------------------------------------------------------------
def paragraph_number(number: int, style: str) -> str:
    if style == "halfwidth":
        return f"{number} "
    if style == "fullwidth_dot":
        return f"{str(number).translate(FULLWIDTH_DIGITS)}．"
    return f"{str(number).translate(FULLWIDTH_DIGITS)}\u3000"


def marker_gap(marker: str) -> str:
    if re.search(r"[一二三四五六七八九十ア-ンイロハ]$", marker) or re.fullmatch(r"[0-9０-９]+", marker):
        return "\u3000"
    if marker[-1] in ".)":
        return " "
    return ""


def item_display(item: dict) -> str:
    return item["marker"] + marker_gap(item["marker"]) + item["text"]


@dataclass
class Block:
    role: str  # title | heading | paragraph | item | table | date | blank
    text: str = ""
    level: int = 0
    rows: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def render_blocks(doc: dict) -> list[Block]:
    blocks = [Block("title", doc["title"])]
    for entry in doc.get("preamble") or []:
        blocks.append(Block("paragraph", entry["text"] if isinstance(entry, dict) else entry))
    style = doc.get("article_heading_style", "inline")
    numbers = doc.get("paragraph_numbers", "fullwidth")

    def items(entries: list[dict], depth: int) -> None:
        for item in entries:
            blocks.append(Block("item", item_display(item), level=depth))
            items(item.get("items") or [], depth + 1)

    def section(node: dict, depth: int) -> None:
        kind = section_kind(node["marker"])
        marker = node["marker"]
        heading = node.get("heading")
        paragraphs = node.get("paragraphs") or []
        first_inline = False
        if kind == "article":
            if style == "above":
                if heading:
                    blocks.append(Block("heading", f"（{heading}）", level=depth))
                first_inline = bool(paragraphs)
            else:
                blocks.append(Block("heading", f"{marker}（{heading}）" if heading else marker, level=depth))
        else:
            gap = " " if marker[-1:] in ".)" or marker[-1:].isascii() else "\u3000"
            blocks.append(Block("heading", f"{marker}{gap}{heading}" if heading else marker, level=depth))
        for number, paragraph in enumerate(paragraphs, 1):
            text = paragraph["text"]
            if kind in {"article", "supplementary"} and number > 1:
                text = paragraph_number(number, numbers) + text
            if first_inline and number == 1:
                blocks.append(Block("article_first", f"{marker}\u3000{text}", level=depth))
            else:
                blocks.append(Block("paragraph", text, level=depth))
            if paragraph.get("definitions"):
                blocks.append(Block("table", rows=[(r["term"], r["text"]) for r in paragraph["definitions"]]))
            items(paragraph.get("items") or [], 1)
        for child in node.get("sections") or []:
            section(child, depth + 1)

    for node in doc["sections"]:
        section(node, 0)
    for date in doc.get("dates") or []:
        blocks.append(Block("date", date))
    return blocks


def render_txt(doc: dict, blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if block.role == "title":
            lines += [block.text, ""]
        elif block.role == "heading":
            if lines and lines[-1] != "":
                lines.append("")
            lines.append(block.text)
        elif block.role in {"paragraph", "article_first"}:
            lines.append(block.text)
        elif block.role == "item":
            lines.append("\u3000" * block.level + block.text)
        elif block.role == "table":
            lines.append("\u3000用語\u3000\u3000\u3000\u3000用語の意味")
            width = max(len(term) for term, _ in block.rows) + 2
            for term, text in block.rows:
                lines.append("\u3000" + term + "\u3000" * (width - len(term)) + text)
        elif block.role == "date":
            if lines and lines[-1] != "" and not re.search(r"\d日", lines[-1]):
                lines.append("")
            lines.append(block.text)
    lines.append("")
    return "\n".join(lines)


def render_md(doc: dict, blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if block.role == "title":
            lines += [f"# {block.text}", ""]
        elif block.role == "heading":
            lines += [f"{'#' * (block.level + 2)} {block.text}", ""]
        elif block.role in {"paragraph", "article_first"}:
            lines += [block.text, ""]
        elif block.role == "item":
            if lines and lines[-1] == "" and len(lines) > 1 and lines[-2].startswith(("  ", "-", "（", "(")):
                lines.pop()
            lines += ["  " * (block.level - 1) + block.text, ""]
        elif block.role == "table":
            lines += ["| 用語 | 用語の意味 |", "|---|---|"]
            lines += [f"| {term} | {text} |" for term, text in block.rows]
            lines.append("")
        elif block.role == "date":
            lines += [block.text, ""]
    return "\n".join(lines)


def _wrap_source(text: str, width: int = 58) -> str:
    """Break long paragraph text across source lines, as hand-written HTML often is.

    The breaks fall between characters (never inside an entity); a browser shows no space
    for a line break between two Japanese characters.
    """
    pieces = [html.escape(text[i : i + width], quote=False) for i in range(0, len(text), width)]
    return "\n      ".join(pieces)


def render_html(doc: dict, blocks: list[Block], encoding: str) -> str:
    charset = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp932": "Shift_JIS", "euc-jp": "EUC-JP"}.get(
        encoding, encoding
    )
    carrier = html.escape(doc["carrier"])
    out = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        f'<meta charset="{charset}">',
        f"<title>{html.escape(doc['title'])} | {carrier}</title>",
        "<style>body{font-family:sans-serif;line-height:1.8} .item{margin-left:1.5em}"
        " table{border-collapse:collapse} td,th{border:1px solid #999;padding:4px}</style>",
        "<script>window.dataLayer=window.dataLayer||[];"
        "function gtag(){dataLayer.push(arguments);} /* 計測タグ: 本文ではありません */</script>",
        "</head>",
        "<body>",
        '<header class="site-header"><a href="/">' + carrier + "</a>",
        '<nav><ul><li><a href="/service/">サービス</a></li><li><a href="/support/">サポート</a></li>'
        '<li><a href="/company/">企業情報</a></li></ul></nav></header>',
        '<div class="breadcrumb-wrap"><main id="content">',
        "<article>",
    ]
    depth_open = 0
    for block in blocks:
        if block.role != "item" and depth_open:
            out.append("</ul>")
            depth_open = 0
        if block.role == "title":
            out.append(f"<h1>{html.escape(block.text)}</h1>")
        elif block.role == "heading":
            level = min(block.level + 2, 6)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif block.role in {"paragraph", "article_first"}:
            out.append(f"<p>\n      {_wrap_source(block.text)}\n</p>")
        elif block.role == "item":
            if not depth_open:
                out.append('<ul style="list-style:none">')
                depth_open = 1
            indent = f' style="margin-left:{block.level * 1.5}em"'
            out.append(f'<li class="item"{indent}>{html.escape(block.text)}</li>')
        elif block.role == "table":
            out.append("<table><thead><tr><th>用語</th><th>用語の意味</th></tr></thead><tbody>")
            for term, text in block.rows:
                out.append(f"<tr><td>{html.escape(term)}</td><td>{html.escape(text)}</td></tr>")
            out.append("</tbody></table>")
        elif block.role == "date":
            out.append(f'<p class="date">{html.escape(block.text)}</p>')
    if depth_open:
        out.append("</ul>")
    out += [
        "</article>",
        "</main></div>",
        '<aside><h2>関連リンク</h2><ul><li><a href="/privacy/">個人情報の取扱い</a></li></ul></aside>',
        f"<footer><p>&copy; {carrier} All Rights Reserved.</p></footer>",
        '<script>document.addEventListener("DOMContentLoaded",function(){/* メニュー */});</script>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def render_docx(doc: dict, blocks: list[Block]) -> bytes:
    import datetime

    import docx
    from docx.shared import Pt

    document = docx.Document()
    properties = document.core_properties
    properties.author = doc["carrier"]
    properties.title = doc["title"]
    fixed = datetime.datetime(2024, 4, 1, 0, 0, 0)
    properties.created = fixed
    properties.modified = fixed
    properties.last_modified_by = doc["carrier"]
    properties.revision = 1
    for block in blocks:
        if block.role == "title":
            document.add_heading(block.text, level=0)
        elif block.role == "heading":
            document.add_heading(block.text, level=min(block.level + 1, 9))
        elif block.role in {"paragraph", "article_first", "date"}:
            document.add_paragraph(block.text)
        elif block.role == "item":
            paragraph = document.add_paragraph(block.text)
            paragraph.paragraph_format.left_indent = Pt(12 * block.level)
        elif block.role == "table":
            table = document.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text = "用語"
            table.rows[0].cells[1].text = "用語の意味"
            for term, text in block.rows:
                cells = table.add_row().cells
                cells[0].text = term
                cells[1].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Fix the timestamps inside a ZIP so that rebuilding gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def render_pdf(doc: dict, blocks: list[Block]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "HeiseiMin-W3"
    gothic = "HeiseiKakuGo-W5"
    for name in (font, gothic):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK", firstLineIndent=0)
    heading = ParagraphStyle("heading", parent=body, fontName=gothic, fontSize=11, spaceBefore=8)
    title = ParagraphStyle(
        "title", parent=body, fontName=gothic, fontSize=16, leading=22, alignment=1, spaceAfter=12
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12)
    notes = doc.get("footnotes") or []
    marks = [note["mark"] for note in notes]

    class Noted(Paragraph):
        """A paragraph that remembers which footnote marks it carries."""

        footnote_marks: tuple[str, ...] = ()

    def story() -> list:
        flowables: list = []
        for block in blocks:
            text = html.escape(block.text)
            if block.role == "title":
                flowables.append(Paragraph(text, title))
            elif block.role == "heading":
                flowables.append(Paragraph(text, heading))
            elif block.role in {"paragraph", "article_first", "date"}:
                style = ParagraphStyle(
                    "p", parent=body, firstLineIndent=10 if block.role == "paragraph" else 0
                )
                paragraph = Noted(text, style)
                paragraph.footnote_marks = tuple(m for m in marks if m in block.text)
                flowables.append(paragraph)
            elif block.role == "item":
                style = ParagraphStyle(
                    "i", parent=body, leftIndent=10 * block.level + 10, firstLineIndent=-10
                )
                paragraph = Noted(text, style)
                paragraph.footnote_marks = tuple(m for m in marks if m in block.text)
                flowables.append(paragraph)
            elif block.role == "table":
                data = [[Paragraph("用語", cell), Paragraph("用語の意味", cell)]]
                data += [
                    [Paragraph(html.escape(t), cell), Paragraph(html.escape(d), cell)] for t, d in block.rows
                ]
                table = Table(data, colWidths=[110, 330])
                table.setStyle(
                    TableStyle(
                        [("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                    )
                )
                flowables += [Spacer(1, 4), table, Spacer(1, 4)]
        return flowables

    placement: dict[str, int] = {}

    class Template(SimpleDocTemplate):
        def afterFlowable(self, flowable) -> None:  # reportlab's hook name
            for mark in getattr(flowable, "footnote_marks", []):
                placement.setdefault(mark, self.page)

    def decorate(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(56, A4[1] - 36, doc["title"])
        canvas.drawRightString(A4[0] - 56, A4[1] - 36, doc["carrier"])
        canvas.drawCentredString(A4[0] / 2, 28, f"- {template.page} -")
        on_page = [n for n in notes if placement.get(n["mark"]) == template.page]
        y = 100
        if on_page:
            canvas.line(56, y + 12, 200, y + 12)
        for note in on_page:
            text = f"{note['mark']}　{note['text']}"
            for start in range(0, len(text), 52):
                canvas.drawString(60, y, text[start : start + 52])
                y -= 11
        canvas.restoreState()

    for _ in range(2):  # first pass finds the page of each footnote mark
        buffer = io.BytesIO()
        template = Template(
            buffer,
            pagesize=A4,
            leftMargin=56,
            rightMargin=56,
            topMargin=60,
            bottomMargin=120,
            title=doc["title"],
            author=doc["carrier"],
            creator="sample corpus",
            producer="sample corpus",
            invariant=1,
        )
        template.build(story(), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def build(path: Path, out: Path = OUT) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    blocks = render_blocks(doc)
    fmt = doc["format"]
    encoding = doc.get("encoding", "utf-8") if fmt in {"txt", "md", "html"} else None
    target = out / f"{doc['id']}.{EXTENSIONS[fmt]}"
    if fmt == "txt":
        text = render_txt(doc, blocks)
        if encoding == "cp932":
            text = text.replace("\n", "\r\n")
        target.write_bytes(text.encode(CODECS[encoding]))
    elif fmt == "md":
        target.write_bytes(render_md(doc, blocks).encode(CODECS[encoding]))
    elif fmt == "html":
        target.write_bytes(render_html(doc, blocks, encoding).encode(CODECS[encoding]))
    elif fmt == "docx":
        target.write_bytes(render_docx(doc, blocks))
    elif fmt == "pdf":
        target.write_bytes(render_pdf(doc, blocks))
    gold = gold_tree(doc)
    return {
        "id": doc["id"],
        "file": target.name,
        "carrier": doc["carrier"],
        "doc_type": doc["doc_type"],
        "quality": doc["quality"],
        "format": fmt,
        "encoding": encoding,
        "title": doc["title"],
        "n_sections": len(gold.sections),
        "n_clauses": len(gold.clauses),
        "section_paths": gold.sections,
        "clauses": gold.clauses,
        "footnotes": [note["mark"] for note in doc.get("footnotes") or []],
    }


def build_all(out: Path = OUT) -> list[dict]:
    """Render every source into ``out`` and write ``out/gold.jsonl``; return the gold records."""
    out.mkdir(parents=True, exist_ok=True)
    records = [build(path, out) for path in sorted(SRC.glob("*.yaml"))]
    with (out / "gold.jsonl").open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
    records = build_all(out)
    if not records:
        print(f"no sources in {SRC}", file=sys.stderr)
        return 1
    for record in records:
        print(f"{record['file']}: {record['n_sections']} sections, {record['n_clauses']} clauses")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
