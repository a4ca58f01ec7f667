"""Build the tree of sections → clauses → sentences the way a Japanese lawyer reads a document.

One pass over the lines keeps two stacks: the open sections (章 > 節 > 条, or nested policy
headings) and, inside the current section, the open clauses (項 > 号 > イ…, or a lead-in and
its list). Each marker family (（１）, ①, ア, …) is one nesting level: a marker of a family
already open closes everything opened after it and becomes its sibling; a new family nests.
Paths are given once the tree is complete (``paths.py``); what a line is comes from
``line_kinds.py``, hard wraps from ``wrap.py``, the tree and its conversion from ``tree.py``,
footnotes from ``footnotes.py``.
"""

from __future__ import annotations

import re
import unicodedata

from analyzer.model import Span
from analyzer.normalize import fold_compatibility
from analyzer.structure.footnotes import read_footnotes
from analyzer.structure.layout import comparable_line, layout_policy, read_layout
from analyzer.structure.line_kinds import (
    HEADER_WORDS,
    LEAD_IN,
    META_LINE,
    NOTE,
    PAREN_BEFORE_ARTICLE,
    PAREN_HEADING,
    SENTENCE_END,
    TABLE_ROW,
    UNNUMBERED_HEADING,
    contact_line,
    is_heading_text,
    item_text,
    looks_like_header,
    marker_after,
    phrase_item,
)
from analyzer.structure.lines import Line, split_lines
from analyzer.structure.markers import Marker, find_markers, unmarked_marker
from analyzer.structure.paths import assign_paths
from analyzer.structure.tree import (
    ARTICLE_LIKE,
    SECTION_KINDS,
    ClauseBuilder,
    SectionBuilder,
    SegmentResult,
    drop_empty_history,
    to_section,
)
from analyzer.structure.wrap import display_width, wrap_column


class _Segmenter:
    def __init__(
        self,
        text: str,
        lines: list[Line],
        *,
        markdown: bool = False,
        explicit_blocks: bool = False,
        headings: set[str] | None = None,
    ) -> None:
        self.text = text
        self.lines = lines
        # headings a table of contents named: the body's lines that repeat them head sections
        self.known_headings = headings or set()
        self.explicit_blocks = explicit_blocks
        self.started = False
        # Markdown joins consecutive lines into one paragraph; so does fixed-width wrapping.
        self.markdown = markdown
        self.column = wrap_column(lines)
        self.wrapped = self.column is not None
        self.roots: list[SectionBuilder] = []
        self.stack: list[SectionBuilder] = []
        self.clauses: list[ClauseBuilder] = []
        self.title: str | None = None
        self.dates: list[Span] = []
        self.pending_heading: Line | None = None
        self.in_table = False
        self.previous: Line | None = None
        self.previous_was_heading = False

    # --- helpers ---------------------------------------------------------------------------
    @property
    def section(self) -> SectionBuilder | None:
        return self.stack[-1] if self.stack else None

    def _extend(self, end: int) -> None:
        for section in self.stack:
            section.end = max(section.end, end)
        for clause in self.clauses:
            clause.end = max(clause.end, end)

    def _open_section(self, section: SectionBuilder, parent_kinds: set[str] | None) -> None:
        """Pop to the right parent and push ``section``. ``parent_kinds`` None: by family."""
        if parent_kinds is None:
            families = [s.family for s in self.stack]
            if section.family in families:
                del self.stack[families.index(section.family) :]
            while self.stack and self.stack[-1].kind in ARTICLE_LIKE - {"supplementary"}:
                self.stack.pop()
        else:
            while self.stack and self.stack[-1].kind not in parent_kinds:
                self.stack.pop()
        section.parent = self.stack[-1] if self.stack else None
        (section.parent.sections if section.parent else self.roots).append(section)
        self.stack.append(section)
        self.clauses = []
        self.in_table = False
        self._extend(section.end)

    def _ensure_section(self, line: Line) -> SectionBuilder:
        if self.section is None:
            preamble = SectionBuilder("preamble", "preamble", line.start, line.end)
            self.roots.append(preamble)
            self.stack.append(preamble)
            self.clauses = []
        assert self.section is not None
        return self.section

    def _add_clause(self, clause: ClauseBuilder, parent: ClauseBuilder | None) -> None:
        clause.parent = parent
        if parent is None:
            assert self.section is not None
            self.section.clauses.append(clause)
            index = 0
        else:
            if parent.own_end is None:
                # where its own last line ends: page furniture dropped between a lead-in and its
                # first item is not the lead-in's text
                parent.own_end = parent.end
            parent.children.append(clause)
            index = self.clauses.index(parent) + 1
        del self.clauses[index:]
        self.clauses.append(clause)
        self._extend(clause.end)

    # --- line kinds ----------------------------------------------------------------------
    def _next_line(self, index: int) -> Line | None:
        return self.lines[index + 1] if index + 1 < len(self.lines) else None

    def _choose_marker(self, markers: list[Marker]) -> Marker:
        """Among readings of one marker, prefer the one that continues an open list."""
        if len(markers) == 1:
            return markers[0]
        for marker in markers:
            for clause in reversed(self.clauses):
                if clause.family == marker.family and (
                    marker.number is None or clause.number is None or marker.number == clause.number + 1
                ):
                    return marker
        for marker in markers:
            if marker.number in (None, 1):
                return marker
        return markers[0]

    def _reads_as_heading(self, line: Line, marker: Marker, index: int) -> bool:
        rest = line.body[marker.rest_start :].strip()
        if line.hint == "heading":
            return True
        if self.column is not None and display_width(line.text) >= self.column - 2:
            return False  # a line broken at the wrap column runs on: an item, not a heading
        section = self.section
        if section is not None and section.kind in ARTICLE_LIKE:
            return False
        if any(c.family == marker.family for c in self.clauses):
            return False
        open_heading = next((s for s in reversed(self.stack) if s.family == marker.family), None)
        if open_heading is not None:
            previous_number = open_heading.marker.number if open_heading.marker else None
            if (
                marker.number is not None
                and previous_number is not None
                and marker.number != previous_number + 1
            ):
                return False  # 「1.」 under heading 「2.」 starts a list, it does not head a section
            return is_heading_text(rest) or not rest
        if marker.spec.id == "policy_dai":
            return True
        if not rest:
            return True
        if not is_heading_text(rest):
            return False
        following = self._next_line(index)
        if following is not None:
            markers = find_markers(following.body)
            if markers and any(m.family == marker.family for m in markers):
                return False
            if not markers and not following.hint:
                return True
        previous = self.previous
        return previous is None or not (previous.text.endswith(("：", ":")) or LEAD_IN.search(previous.text))

    # --- main loop -------------------------------------------------------------------------
    def run(self) -> None:
        for index, line in enumerate(self.lines):
            self._line(index, line)
            self.previous = line

    def _line(self, index: int, line: Line) -> None:
        body = line.body
        is_meta = bool(META_LINE.match(unicodedata.normalize("NFKC", body).strip()))
        if self.title is None and not self.started and not is_meta:
            markers = find_markers(body)
            if (
                (not markers or markers[0].kind not in SECTION_KINDS)
                and (len(body) <= layout_policy().title_max_length and not body.endswith(SENTENCE_END))
                and not (markers and line.hint != "heading" and len(markers[0].text) < len(body))
                and not PAREN_BEFORE_ARTICLE.match(body)
            ):
                self.title = body
                self.started = True
                self.previous_was_heading = True
                return
        if is_meta:
            self.dates.append(Span(start=line.start, end=line.end, text=line.text))
            return
        self.started = True
        before_any_section = not self.stack or (self.stack[-1].kind == "preamble" and not self.clauses)
        if before_any_section and layout_policy().issuer_line.match(body.strip()):
            return  # 「つばめモバイル株式会社」 under the title: who issues it, not a clause
        paren = PAREN_HEADING.match(body)
        if paren and not line.hint:
            following = self._next_line(index)
            if following is not None:
                markers = find_markers(following.body)
                if markers and markers[0].kind == "article":
                    self.pending_heading = line
                    return
        markers = find_markers(body)
        if markers and markers[0].family == "bullet":
            # 「- 第1条（定義）」: a Markdown bullet around an article heading
            inner = marker_after(body, markers[0].rest_start)
            if inner and inner.kind in SECTION_KINDS and is_heading_text(body[markers[0].rest_start :]):
                self._section_line(line, inner)
                return
        if markers and markers[0].kind in SECTION_KINDS:
            self._section_line(line, markers[0])
            return
        before = PAREN_BEFORE_ARTICLE.match(body)
        if before and not markers:
            # 「(規約の変更)第 2 条」: the heading in brackets, then the article number, on one line
            inner = marker_after(body, before.end())
            if inner and inner.kind == "article":
                self._section_line(line, inner, heading_before=before.group(1))
                return
        if comparable_line(body) in self.known_headings:
            marker = markers[0] if markers and markers[0].kind == "heading" else None
            self._heading_line(line, marker)
            return
        if markers:
            marker = self._choose_marker(markers)
            if self._may_head(line, marker) and self._reads_as_heading(line, marker, index):
                self._heading_line(line, marker)
                return
            if self._paragraph_number(line, marker):
                return
            self._item_line(line, marker)
            return
        if line.hint == "heading" or UNNUMBERED_HEADING.match(body) or self._bare_heading(index, line):
            self._heading_line(line, None)
            return
        if self._table_row(line):
            return
        if self._unmarked_item(index, line):
            self._item_line(line, unmarked_marker())
            return
        self._text_line(line)

    def _bare_item(self, line: Line | None) -> bool:
        """A line that could be a list item with its bullet lost: one phrase, or one short sentence,
        and no marker."""
        if line is None or line.hint or line.blank_before:
            return False
        body = line.body.strip()
        return (
            item_text(body)
            and not find_markers(body)
            and not NOTE.match(body)
            and not layout_policy().continuation_opener.match(body)
            and not re.search(r"[|｜\t]", body)
            and not UNNUMBERED_HEADING.match(body)
        )

    def _unmarked_item(self, index: int, line: Line) -> bool:
        """「以下の行為を禁止します。」 then 「法令に違反する行為」「他の利用者への迷惑行為」 on lines of
        their own: a text copy of a web page dropped the bullets, and a lawyer reads the lines as
        the lead-in's items, not as 項 of their own. Only in plain text (HTML, Word and Markdown
        keep their lists), and only for two or more such lines, so a single short sentence after
        a lead-in stays what it is."""
        if self.markdown or self.wrapped or self.explicit_blocks or not self.clauses or self.previous is None:
            return False
        if not self._bare_item(line):
            return False
        last = self.clauses[-1]
        form = phrase_item(line.body.strip())
        if last.family == "unmarked":
            # the list goes on, line after line, its items all written alike (phrases, or short
            # sentences): 「当事務局は、…一切の責任を負いません。」 after phrases is the article's next
            # sentence
            return last.start == self.previous.start and form == phrase_item(self.previous.body.strip())
        lead = self.previous.body.strip()
        following = self._next_line(index)
        return (
            last.end == self.previous.end
            and lead.endswith(("。", "：", ":"))
            and bool(LEAD_IN.search(lead))
            and self._bare_item(following)
            and following is not None
            and phrase_item(following.body.strip()) == form
        )

    def _bare_heading(self, index: int, line: Line) -> bool:
        """「本規約の適用」 alone on its line after a blank, a body sentence right under it: an
        unnumbered heading of a page pasted as text."""
        body = line.body.strip()
        following = self._next_line(index)
        if (
            self.markdown
            or self.wrapped
            or line.hint
            or not line.blank_before
            or len(body) > layout_policy().bare_heading_max_length
            or body.endswith((*SENTENCE_END, "：", ":", "、"))
            or following is None
            or following.blank_before
            or following.hint == "heading"
        ):
            return False
        if re.search(r"[0-9０-９]{2,}|[:：@＠]|https?://|〒", body):
            return False  # a contact line, an address or a date
        return following.body.rstrip().endswith(SENTENCE_END) or bool(find_markers(following.body))

    def _section_line(self, line: Line, marker: Marker, heading_before: str | None = None) -> None:
        body = line.body
        rest = body[marker.rest_start :]
        heading: str | None = None
        first_text_at: int | None = None
        stripped = rest.strip()
        paren = re.match(r"^[（(【]([^（）()【】]{1,40})[）)】]", stripped)
        if paren:
            heading = paren.group(1)
            after = stripped[paren.end() :].strip()
            if after and marker.kind != "article" and is_heading_text(after):
                heading = f"{heading}　{after}"  # 「別紙（第4条関係）　取得する情報」
            elif after:
                first_text_at = line.body_start + body.index(after, marker.rest_start)
        elif stripped:
            # 「第1条　本約款は…」: the first paragraph starts on the article's own line
            if marker.kind == "article" and (
                not is_heading_text(stripped) or len(stripped) > layout_policy().article_heading_max_length
            ):
                first_text_at = line.body_start + marker.rest_start
            else:
                heading = stripped
        start = line.start
        if self.pending_heading is not None:
            heading = heading or PAREN_HEADING.match(self.pending_heading.body).group(1)
            start = self.pending_heading.start
            self.pending_heading = None
        heading = heading or heading_before
        section = SectionBuilder(marker.kind, marker.family, start, line.end, marker=marker, heading=heading)
        parents = {
            "chapter": set(),
            "division": {"chapter"},
            "article": {"chapter", "division", "supplementary"},
            "supplementary": set(),
            "appendix": set(),
        }[marker.kind]
        self._open_section(section, parents)
        self.previous_was_heading = first_text_at is None
        if first_text_at is not None:
            self._new_paragraph(first_text_at, line.end, None)

    def _heading_line(self, line: Line, marker: Marker | None) -> None:
        body = line.body
        if marker is not None:
            heading = body[marker.rest_start :].strip() or None
            family = marker.family
        else:
            heading = body.strip()
            family = "unnumbered"
        label = re.sub(r"\s+", "", unicodedata.normalize("NFKC", heading)) if heading else None
        if heading:
            paren = re.fullmatch(r"[（(【]([^（）()【】]+)[）)】]", heading)
            heading = paren.group(1) if paren else heading
        section = SectionBuilder(
            "heading",
            family,
            line.start,
            line.end,
            marker=marker,
            heading=heading,
            label=label if marker is None else None,
        )
        self._open_section(section, None)
        self.previous_was_heading = True

    def _may_head(self, line: Line, marker: Marker) -> bool:
        """Whether a marker could open a heading here (it could also be a list item)."""
        if line.hint == "item":  # an HTML <li>: a list item whatever its number looks like
            return False
        if marker.kind == "heading":
            return True
        # 「1　取得する情報」 under 「第2」: a bare number heads a sub-section outside articles
        section = self.section
        return marker.family == "bare_number" and section is not None and section.kind == "heading"

    def _paragraph_number(self, line: Line, marker: Marker) -> bool:
        """A 項 number (２, ２．, 2) inside an article: a new paragraph."""
        section = self.section
        if section is None or section.kind not in ARTICLE_LIKE:
            return False
        if marker.family not in {"bare_number", "dot_number", "kou_number"} or marker.number is None:
            return False
        if marker.family == "kou_number":
            # 「2項（非常時の利用制限）」 names itself a 項: a paragraph whatever came before it
            self._new_paragraph(line.body_start, line.end, marker)
            return True
        open_items = [c for c in self.clauses[1:] if c.family == marker.family]
        if open_items and (open_items[-1].number is None or marker.number == open_items[-1].number + 1):
            return False  # the next item of an open list, not the next paragraph
        if self.previous is not None and self.previous.text.endswith(("：", ":")):
            return False
        expected = section.paragraphs + 1
        if not (marker.number == expected or (2 <= marker.number <= expected)):
            return False
        if (
            marker.number == 1
            and self.clauses
            and LEAD_IN.search(self.previous.text if self.previous else "")
        ):
            return False
        self._new_paragraph(line.body_start, line.end, marker)
        return True

    def _new_paragraph(self, start: int, end: int, marker: Marker | None) -> None:
        section = self.section
        assert section is not None
        section.paragraphs = marker.number if marker is not None and marker.number else section.paragraphs + 1
        # ``start`` is where the marker (if any) begins: the body of the line
        content = start + (marker.rest_start if marker else 0)
        clause = ClauseBuilder(
            "paragraph",
            start,
            end,
            content,
            number=section.paragraphs,
            number_text=marker.text if marker else None,
        )
        self.clauses = []
        self._add_clause(clause, None)
        self.in_table = False
        self.previous_was_heading = False

    def _item_line(self, line: Line, marker: Marker) -> None:
        self._ensure_section(line)
        parent: ClauseBuilder | None = None
        sibling_index = None
        for index in range(len(self.clauses) - 1, -1, -1):
            if self.clauses[index].family == marker.family:
                sibling_index = index
                break
        if sibling_index is not None and (self.markdown or line.hint == "item"):
            # Markdown indentation and HTML list nesting say how deep an item sits: 「  - 著作権…」
            # under 「- 当社又は第三者の権利…」 is a deeper list of the same bullet
            same = [i for i, c in enumerate(self.clauses) if c.family == marker.family]
            above = [i for i in same if self.clauses[i].depth <= line.depth]
            if above and self.clauses[above[-1]].depth < line.depth:
                parent = self.clauses[-1]
            else:
                parent = self.clauses[above[-1] if above else same[0]].parent
        elif sibling_index is not None:
            parent = self.clauses[sibling_index].parent
        elif self.clauses:
            parent = self.clauses[-1]
        clause = ClauseBuilder(
            "item",
            line.start,
            line.end,
            line.body_start + marker.rest_start,
            marker=marker,
            number=marker.number,
            depth=line.depth,
        )
        self._add_clause(clause, parent)
        self.in_table = False
        self.previous_was_heading = False

    def _table_row(self, line: Line) -> bool:
        body = line.body
        if "\t" in body:
            cells = [c.strip() for c in body.split("\t") if c.strip()]
        else:
            lead = self.previous is not None and (
                self.in_table or re.search(r"(表|定義|用語|意味).*(とおり|通り)", self.previous.text)
            )
            match = TABLE_ROW.match(body) if lead else None
            if not match:
                return False
            cells = [match.group(1), match.group(2)]
        if len(cells) < 2:
            return False
        if all(re.sub(r"\s", "", c) in HEADER_WORDS for c in cells) or (
            not self.in_table and looks_like_header(cells)
        ):
            self.in_table = True
            self._ensure_section(line)
            if self.clauses and self.clauses[-1].own_end is None:
                self.clauses[-1].own_end = self.clauses[-1].end
            self._extend(line.end)
            return True
        self._ensure_section(line)
        parent = None
        for clause in reversed(self.clauses):
            if clause.kind != "definition":
                parent = clause
                break
        term = cells[0]
        definition_at = line.body_start + body.index(cells[1], len(term))
        clause = ClauseBuilder("definition", line.start, line.end, definition_at, term=term)
        self._add_clause(clause, parent)
        self.in_table = True
        return True

    def _text_line(self, line: Line) -> None:
        self._ensure_section(line)
        previous = self.previous
        note = bool(NOTE.match(line.body))
        if self.clauses and line.hint == "continue":
            self._extend(line.end)
            return
        section = self.section
        if (
            section is not None
            and section.kind in ARTICLE_LIKE
            and self.clauses
            and self.clauses[0].kind == "paragraph"
            and self.clauses[0].number_text is not None
            and not self.explicit_blocks
            and not re.search(r"[|｜\t]", line.body)  # a table row is not running text
        ):
            # 「1.　…。」 then an unnumbered line, in an article whose 項 are numbered: the line
            # belongs to that 項, or to the item it follows (web terms put each sentence on its
            # own line); it is not a 項 of its own that would take the next number
            self._extend(line.end)
            return
        if (
            self.clauses
            and not self.explicit_blocks
            and self.clauses[-1].kind == "paragraph"
            and not self.previous_was_heading
            and layout_policy().continuation_opener.match(line.body)
        ):
            # 「ただし、…」「なお、…」 on its own line of plain text: the same 項. Not after a list
            # item (a ただし書 there speaks of the whole list), nor where the format marks its
            # paragraphs (an HTML <p>, a Word paragraph)
            self._extend(line.end)
            return
        if (
            self.clauses
            and self.clauses[-1].kind == "paragraph"
            and previous is not None
            and not line.blank_before
            and contact_line(previous.body)
            and contact_line(line.body)
        ):
            self._extend(line.end)  # the next line of an address or contact block
            return
        continues = (
            (self.wrapped or self.markdown)
            and self.clauses
            and previous is not None
            and not self.previous_was_heading
            and not line.blank_before
            and not previous.text.endswith((*SENTENCE_END, "」"))
        ) or (note and self.clauses)
        if continues:
            self._extend(line.end)
            return
        self._new_paragraph(line.start, line.end, None)


def segment_text(
    text: str,
    body_end: int | None = None,
    hints: dict[int, str] | None = None,
    *,
    markdown: bool = False,
    explicit_blocks: bool = False,
) -> SegmentResult:
    """Segment ``text[:body_end]`` into sections and clauses; ``text[body_end:]`` holds footnotes."""
    body_end = len(text) if body_end is None else body_end
    # decisions are taken on a copy with compatibility ideographs folded (⼀→一), one character
    # for one, so that every offset found on it points into ``text``
    work = fold_compatibility(text)
    lines = split_lines(work, 0, body_end, hints)
    layout = read_layout(lines)
    kept = [line for index, line in enumerate(lines) if index not in layout.dropped]
    segmenter = _Segmenter(
        work, kept, markdown=markdown, explicit_blocks=explicit_blocks, headings=layout.headings
    )
    segmenter.run()
    drop_empty_history(segmenter.roots)
    assign_paths(segmenter.roots)
    return SegmentResult(
        title=segmenter.title,
        dates=[Span(start=d.start, end=d.end, text=text[d.start : d.end]) for d in segmenter.dates],
        sections=[to_section(text, section) for section in segmenter.roots],
        footnotes=read_footnotes(text, split_lines(text, body_end, len(text))),
    )
