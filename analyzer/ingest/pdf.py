"""PDF: the body text in reading order, without running headers, footers and page numbers,
with lines and pages joined where a sentence runs on, and footnote bodies kept apart.

Layout comes from pdfminer.six (pure Python, reads the CID fonts Japanese PDFs use).
Decisions are geometric first (where a line sits on the page, whether it reaches the right
margin, its font size) and textual second (a line that starts with a number marker begins a
new unit).
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from analyzer.errors import IngestError
from analyzer.ingest.textbuilder import TextBuilder
from analyzer.settings import limits


@cache
def _layout() -> dict:
    """Ratios and distances of the PDF reading (``pdf_layout.yaml``)."""
    return yaml.safe_load(resources.files("analyzer.ingest").joinpath("pdf_layout.yaml").read_text("utf-8"))


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—―‐ー－]\s*\d+\s*[-–—―‐ー－]|\d+\s*/\s*\d+|[pP]\.?\s*\d+|\d+|"
    r"\d+\s*ページ|第?\s*\d+\s*頁|\(\s*\d+\s*\)|（\s*\d+\s*）)\s*$"
)
_STANDALONE_HEADING = re.compile(r"^[（(【][^（）()【】。]{1,30}[）)】]$")
_NOTE_MARK = re.compile(r"^\s*(※\s*\d+|\*\s*\d+|注\s*\d+|[(（]注\s*\d+[)）]|[¹²³⁴⁵⁶⁷⁸⁹]+)")
_STARTS_UNIT = re.compile(
    r"^\s*(第\s*[0-9０-９一二三四五六七八九十百]+\s*[章節条款]|[0-9０-９]+\s*[.．、　 )）]|"
    r"[(（〔][0-9０-９一二三四五六七八九十ア-ンa-zA-Zⅰ-ⅹ]+[)）〕]|[①-⑳ⅰ-ⅹ]|"
    r"[一二三四五六七八九十]+[　 ]|[ア-ン][　 .．]|[・●■□◆※]|附\s*則|別\s*[表紙])"
)


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str
    source_start: int  # offset into the page's raw text (lines joined with "\n")
    cells: list[_Line] = field(default_factory=list)  # further cells of a table row

    @property
    def last_x0(self) -> float:
        return self.cells[-1].x0 if self.cells else self.x0


def _same_row(left: _Line, right: _Line) -> bool:
    """Two text lines side by side on one baseline: cells of a table row."""
    layout = _layout()
    return (
        abs(left.y1 - right.y1) < layout["same_row_baseline"] * min(left.size, right.size)
        and right.x0 > left.x1 + layout["cell_gap"]
    )


def _read_pages(data: bytes) -> list[tuple[float, float, list[_Line]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise IngestError(
            "PDF が途中で切れています（末尾の %%EOF がありません）",
            "truncated PDF: the %%EOF trailer is missing",
        )
    pages: list[tuple[float, float, list[_Line]]] = []
    try:
        for number, layout in enumerate(
            extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=_layout()["line_margin"])), 1
        ):
            if number > limits()["pdf"]["max_pages"]:
                most = limits()["pdf"]["max_pages"]
                raise IngestError(
                    f"PDF のページが多すぎます（上限 max_pages {most:,} ページ）",
                    f"too many PDF pages (limit max_pages {most:,})",
                )
            raw_offset = 0
            lines: list[_Line] = []
            items: list[tuple[float, float, object]] = []
            for element in layout:
                if isinstance(element, LTTextContainer):
                    for line in element:
                        if isinstance(line, LTTextLine):
                            items.append((-line.y1, line.x0, line))
            for _, _, line in sorted(items, key=lambda t: (round(t[0], 0), t[1])):
                text = line.get_text().rstrip("\n")
                sizes = [c.size for c in line if isinstance(c, LTChar)]
                if not text.strip():
                    continue
                current = _Line(
                    page=number,
                    x0=line.x0,
                    x1=line.x1,
                    y0=line.y0,
                    y1=line.y1,
                    size=statistics.median(sizes) if sizes else _layout()["default_font_size"],
                    text=text,
                    source_start=raw_offset,
                )
                raw_offset += len(text) + 1
                if lines and _same_row(lines[-1], current):
                    lines[-1].cells.append(current)
                    lines[-1].x1 = max(lines[-1].x1, current.x1)
                    continue
                lines.append(current)
            pages.append((layout.width, layout.height, lines))
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise IngestError("PDF が暗号化されています", f"encrypted PDF: {exc}") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise IngestError("PDF として読めません（破損しています）", f"unreadable PDF: {exc!r}") from exc
    return pages


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", unicodedata.normalize("NFKC", text).strip())


def _running_lines(pages: list[tuple[float, float, list[_Line]]]) -> set[int]:
    """ids of lines that repeat in the top/bottom band of most pages, or are page numbers."""
    counts: dict[tuple[str, str], int] = {}
    banded: list[tuple[_Line, str]] = []
    for _, height, lines in pages:
        seen: set[tuple[str, str]] = set()
        for line in lines:
            if line.y0 >= height * (1 - _layout()["margin_band"]):
                band = "top"
            elif line.y1 <= height * _layout()["margin_band"]:
                band = "bottom"
            else:
                continue
            banded.append((line, band))
            seen.add((band, _key(line.text)))
        for key in seen:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    running: set[int] = set()
    for line, band in banded:
        if _PAGE_NUMBER.match(unicodedata.normalize("NFKC", line.text)) or (
            len(pages) > 1 and counts.get((band, _key(line.text)), 0) >= needed
        ):
            running.add(id(line))
    return running


_STREAM = re.compile(rb"stream\r?\n")


def check_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams inflate beyond the limits (limits.yaml ``pdf``)
    before any is decompressed whole: each stream is inflated here a megabyte at a time and
    only counted."""
    limit = limits()["pdf"]
    total = 0
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        pending = data[match.end() : end]
        size = 0
        try:
            while pending:
                size += len(inflater.decompress(pending, 1 << 20))
                pending = inflater.unconsumed_tail
                if size > limit["max_stream_bytes"] or total + size > limit["max_total_stream_bytes"]:
                    raise IngestError(
                        "PDF のストリームが展開すると大きすぎます（上限 max_stream_bytes "
                        f"{limit['max_stream_bytes']:,} / max_total_stream_bytes "
                        f"{limit['max_total_stream_bytes']:,} バイト）",
                        "a PDF stream inflates beyond the limit (max_stream_bytes "
                        f"{limit['max_stream_bytes']:,}, max_total_stream_bytes "
                        f"{limit['max_total_stream_bytes']:,})",
                    )
        except zlib.error:
            pass  # not Flate data (or damaged): pdfminer reads it or reports it
        total += size


def extract_pdf(data: bytes) -> tuple[TextBuilder, int]:
    """Return the text (body, then footnotes) and the offset where the footnotes start."""
    check_streams(data)
    pages = _read_pages(data)
    running = _running_lines(pages)
    body: list[_Line] = []
    notes: list[_Line] = []
    all_sizes = [ln.size for _, _, lines in pages for ln in lines if id(ln) not in running]
    if not all_sizes:
        raise IngestError(
            "PDF から文字を取り出せません（画像だけの PDF の可能性があります）",
            "no extractable text in the PDF (scanned image?)",
        )
    body_size = statistics.median(all_sizes)
    for _, height, lines in pages:
        in_note = False
        for line in lines:
            if id(line) in running:
                continue
            small = line.size <= body_size * _layout()["footnote_size"]
            low = line.y1 <= height * _layout()["footnote_height"]
            if small and low and (_NOTE_MARK.match(line.text) or in_note):
                in_note = True
                notes.append(line)
            else:
                in_note = False
                body.append(line)
    builder = TextBuilder()
    _join(builder, body)
    builder.newline()
    body_end = builder.length
    if notes:
        builder.add("\n")
        _join(builder, notes, notes=True)
        builder.newline()
    return builder, body_end


def _margins(lines: list[_Line]) -> dict[int, tuple[float, float]]:
    """Left and right text margins per page, from the lines that will be joined."""
    margins: dict[int, tuple[float, float]] = {}
    for line in lines:
        left, right = margins.get(line.page, (line.x0, line.x1))
        margins[line.page] = (min(left, line.x0), max(right, line.x1))
    return margins


def _join(builder: TextBuilder, lines: list[_Line], *, notes: bool = False) -> None:
    margins = _margins(lines)
    previous: _Line | None = None
    for line in lines:
        text = line.text.strip()
        lead = len(line.text) - len(line.text.lstrip())
        if previous is not None:
            if _continues(previous, line, margins, notes=notes):
                last = builder.last_char() or ""
                if last.isascii() and last.isalnum() and text[:1].isascii() and text[:1].isalnum():
                    builder.add(" ")
            else:
                builder.newline()
        builder.add(text, line.source_start + lead, page=line.page)
        for cell in line.cells:
            builder.add("\t")
            cell_text = cell.text.strip()
            cell_lead = len(cell.text) - len(cell.text.lstrip())
            builder.add(cell_text, cell.source_start + cell_lead, page=cell.page)
        previous = line


def _continues(previous: _Line, line: _Line, margins: dict[int, tuple[float, float]], *, notes: bool) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (a wrap, not a new unit)."""
    text = line.text.strip()
    if notes and _NOTE_MARK.match(text):
        return False
    if line.cells:
        return False
    layout = _layout()
    if previous.cells and abs(line.x0 - previous.last_x0) < layout["cell_continuation"] * line.size:
        return True  # the next line of a table cell that wraps
    if _STARTS_UNIT.match(text) or _STANDALONE_HEADING.match(text):
        return False
    _, right = margins.get(previous.page, (previous.x0, previous.x1))
    reaches_margin = previous.x1 >= right - layout["margin_reach"] * previous.size
    if not reaches_margin:
        return False
    next_left, _ = margins.get(line.page, (line.x0, line.x1))
    indent = layout["indent"] * line.size
    indented = line.x0 - next_left > indent and line.x0 - previous.x0 > indent
    ends_sentence = previous.text.rstrip().endswith(("。", "：", ":"))
    return not (ends_sentence and indented)
