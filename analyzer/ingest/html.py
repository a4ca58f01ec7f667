"""HTML: keep the main visible text, as lines, with the position of every character.

The standard library's ``html.parser`` is the tokenizer on purpose: it reports the source
position of each text run and entity, which keeps the source map exact; tree builders (lxml,
selectolax, BeautifulSoup) drop those positions. Real-world policy pages are fragments of
templates with unclosed tags, which this event-based walk tolerates.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from analyzer.errors import IngestError
from analyzer.ingest.textbuilder import TextBuilder
from analyzer.settings import limits

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "svg",
    "iframe",
    "object",
    "select",
    "button",
    "form",
    "canvas",
    "map",
    "head",
    "dialog",
}
_CHROME = {"header", "footer"}  # page chrome, unless inside the main content
_MAIN = {"main", "article"}
_TABLE_TAGS = {"table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption"}
_BLOCK = {
    "p",
    "div",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "blockquote",
    "pre",
    "hr",
    "br",
    "figure",
    "figcaption",
    "address",
    "main",
    "article",
    "header",
    "footer",
    "details",
    "summary",
    "fieldset",
    "legend",
}
# Elements whose end tag may be left out (HTML's optional end tags)
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
                 "rt", "rp", "colgroup", "caption", "html", "head", "body"}  # fmt: skip
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WS = re.compile(r"[ \t\n\r\f]+")
_MARKER_START = re.compile(
    r"^\s*([0-9０-９]|[(（〔［\[]|[①-⑳ⅰ-ⅹⅠ-Ⅹ]|[一二三四五六七八九十]+[　 、.]"
    r"|第[0-9０-９一二三四五六七八九十]+[条章節款項号]|[ア-ン][　 .．)）]"
    r"|[a-zａ-ｚ][.)．）]|[・•●○◆■□※\-－*])"
)
_MAIN_PRESENT = re.compile(r"<(main|article)[\s>]|role\s*=\s*[\"']?main", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset named by ``<meta charset>`` or ``http-equiv`` in the first 4 KiB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _is_wide(char: str) -> bool:
    code = ord(char)
    return 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def _ordinal(number: int, kind: str) -> str:
    if kind == "a":
        return chr(ord("a") + (number - 1) % 26)
    if kind == "A":
        return chr(ord("A") + (number - 1) % 26)
    if kind in {"i", "I"}:
        numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
        text = numerals[(number - 1) % len(numerals)]
        return text.upper() if kind == "I" else text
    return str(number)


class _VisibleText(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.builder = TextBuilder()
        self.title: str | None = None
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._only_main = bool(_MAIN_PRESENT.search(source))
        self._main_depth = 0
        self._skip: list[str] = []
        self._pre = 0
        self._pending_space: tuple[int, int, bool] | None = None
        self._lists: list[dict] = []
        self._pending_marker: str | None = None
        self._cell_index = 0
        self._cells = 0  # open table cells: blocks inside a cell do not break the row
        self._in_title = False
        self._title_parts: list[str] = []
        self._after_dt = False
        self._limits = limits()["html"]
        self._elements = 0
        self._depth = 0

    # --- positions -------------------------------------------------------------------
    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    @property
    def _visible(self) -> bool:
        return not self._skip and (not self._only_main or self._main_depth > 0)

    # --- tags ------------------------------------------------------------------------
    def _count(self, tag: str) -> None:
        """Refuse a page with more elements or deeper nesting than limits.yaml ``html`` allows
        (elements whose end tag HTML lets authors leave out do not count towards the depth)."""
        self._elements += 1
        if tag not in _VOID and tag not in _OPTIONAL_END:
            self._depth += 1
        most, deepest = self._limits["max_elements"], self._limits["max_depth"]
        if self._elements > most:
            raise IngestError(
                f"HTML の要素が多すぎます（上限 max_elements {most:,} 個）",
                f"too many HTML elements (limit max_elements {most:,})",
            )
        if self._depth > deepest:
            raise IngestError(
                f"HTML の入れ子が深すぎます（上限 max_depth {deepest:,} 段）",
                f"HTML nested too deep (limit max_depth {deepest:,})",
            )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._count(tag)
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        if tag in _MAIN or attributes.get("role") == "main":
            self._main_depth += 1
        hidden = (
            "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or re.search(r"display\s*:\s*none", attributes.get("style", ""), re.IGNORECASE)
        )
        chrome = tag in _CHROME and self._main_depth == 0
        if tag not in _VOID and (tag in _SKIP or chrome or hidden or self._skip):
            self._skip.append(tag)  # nested tags are pushed too, so the matching end pops them
            return
        if not self._visible:
            return
        if tag == "dd" and self._after_dt:
            self._pending_space = None
            self.builder.add("\t")
        elif tag in _BLOCK and not (self._cells and tag not in _TABLE_TAGS):
            # a Word table puts a <p> in every cell: the row stays one line, cells apart by tabs
            self._break_line()
        self._after_dt = False
        if tag in _HEADINGS:
            self.builder.hint_line("heading")
        elif tag == "li":
            self.builder.hint_line(f"item:{len(self._lists)}")
        elif tag == "br" and self.builder.length and not self.builder.ends_with("\n\n"):
            # a <br> breaks the line, not the paragraph
            self.builder.hint_line("continue")
        if tag == "pre":
            self._pre += 1
        elif tag in {"ol", "ul"}:
            style = attributes.get("style", "").replace(" ", "").lower()
            self._lists.append(
                {
                    "tag": tag,
                    "type": attributes.get("type", "1"),
                    "next": int(attributes.get("start", "1") or 1)
                    if attributes.get("start", "1").isdigit()
                    else 1,
                    "draw": "list-style:none" not in style and "list-style-type:none" not in style,
                }
            )
        elif tag == "li" and self._lists:
            current = self._lists[-1]
            if current["draw"]:
                if current["tag"] == "ol":
                    self._pending_marker = _ordinal(current["next"], current["type"]) + ". "
                else:
                    self._pending_marker = "・"
            current["next"] += 1
        elif tag == "tr":
            self._cell_index = 0
        elif tag in {"td", "th"}:
            if self._cell_index:
                self.builder.add("\t")
            self._cell_index += 1
            self._cells += 1
            self._pending_space = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END and self._depth:
            self._depth -= 1
        if tag == "title":
            self._in_title = False
            if self._title_parts and self.title is None:
                self.title = _WS.sub(" ", "".join(self._title_parts)).strip() or None
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            elif tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            if tag in _MAIN and self._main_depth:
                self._main_depth -= 1
            return
        if tag in _MAIN and self._main_depth:
            self._break_line()
            self._main_depth -= 1
            return
        if not self._visible:
            return
        if tag == "dt":
            self._after_dt = True  # the <dd> that follows goes on the same line
            return
        if tag in {"td", "th"} and self._cells:
            self._cells -= 1
        if tag in _BLOCK and not (self._cells and tag not in _TABLE_TAGS):
            self._break_line()
        if tag == "pre" and self._pre:
            self._pre -= 1
        elif tag in {"ol", "ul"} and self._lists:
            self._lists.pop()

    def _break_line(self) -> None:
        self._pending_space = None
        self._pending_marker = None
        self.builder.newline()

    # --- text ------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        if not self._visible:
            return
        self._emit(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name}", name)

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name}", name)

    def _entity(self, raw: str, name: str) -> None:
        start = self._offset()
        length = len(raw)
        if self.source.startswith(";", start + length):
            length += 1
        char = html.unescape(self.source[start : start + length])
        if self._in_title:
            self._title_parts.append(char)
        if not self._visible:
            return
        if char.isspace() and char != "\u3000" and char != "\xa0" and not self._pre:
            self._note_space(start, start + length, "\n" in char)
            return
        self._emit_text(char, start, start + length)

    def _emit(self, data: str, offset: int) -> None:
        if self._pre:
            self._emit_text(data, offset, offset + len(data))
            return
        position = 0
        for match in _WS.finditer(data):
            if match.start() > position:
                self._emit_text(data[position : match.start()], offset + position)
            self._note_space(offset + match.start(), offset + match.end(), "\n" in match.group())
            position = match.end()
        if position < len(data):
            self._emit_text(data[position:], offset + position)

    def _note_space(self, start: int, end: int, has_newline: bool) -> None:
        if self.builder.length == 0 or self.builder.ends_with("\n") or self.builder.ends_with("\t"):
            return
        if self._pending_space is None:
            self._pending_space = (start, end, has_newline)

    def _emit_text(self, text: str, start: int, end: int | None = None) -> None:
        if self._pending_marker is not None:
            if not _MARKER_START.match(text):
                self.builder.add(self._pending_marker)
            self._pending_marker = None
        if self._pending_space is not None:
            space_start, space_end, has_newline = self._pending_space
            self._pending_space = None
            last = self.builder.last_char()
            # CSS segment-break rule: a source line break between two wide (CJK) characters
            # renders as nothing, elsewhere as one space.
            if not (has_newline and last is not None and _is_wide(last) and _is_wide(text[0])):
                self.builder.add(" ", space_start, source_end=space_end)
        self.builder.add(text, start, source_end=end)


def extract_html(source: str) -> tuple[TextBuilder, str | None]:
    """Return the visible main text of ``source`` and the page ``<title>``."""
    parser = _VisibleText(source)
    parser.feed(source)
    parser.close()
    return parser.builder, parser.title
