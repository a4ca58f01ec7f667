"""The document tree while it is built (sections holding clauses holding sub-clauses), and its
conversion into the data model once paths are assigned: spans trimmed of blanks, sentences
split, every offset into the original text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from analyzer.model import Clause, Footnote, Section, Sentence, Span
from analyzer.structure.layout import layout_policy
from analyzer.structure.markers import Marker
from analyzer.structure.sentences import split_sentences

SECTION_KINDS = {"chapter", "division", "article", "supplementary", "appendix"}
ARTICLE_LIKE = {"article", "supplementary"}


@dataclass
class ClauseBuilder:
    kind: str
    start: int
    end: int
    content_start: int
    marker: Marker | None = None
    number: int | None = None
    term: str | None = None
    parent: ClauseBuilder | None = None
    children: list[ClauseBuilder] = field(default_factory=list)
    own_end: int | None = None  # where the clause's own text stops (a list or table follows)
    number_text: str | None = None  # a paragraph's 項 number as written (２, ２．, 2)
    depth: int = 0  # the line's nesting (lines.Line.depth)
    path: str = ""

    @property
    def family(self) -> str | None:
        return self.marker.family if self.marker else None


@dataclass
class SectionBuilder:
    kind: str
    family: str
    start: int
    end: int
    marker: Marker | None = None
    heading: str | None = None
    parent: SectionBuilder | None = None
    sections: list[SectionBuilder] = field(default_factory=list)
    clauses: list[ClauseBuilder] = field(default_factory=list)
    paragraphs: int = 0
    label: str | None = None  # how an unnumbered heading is cited: its line as written
    path: str = ""


@dataclass
class SegmentResult:
    title: str | None
    dates: list[Span]
    sections: list[Section]
    footnotes: list[Footnote]


def drop_empty_history(sections: list[SectionBuilder]) -> None:
    """A 「改定履歴」 heading over nothing but date lines heads no text of the document."""
    pattern = layout_policy().revision_heading
    for section in list(sections):
        drop_empty_history(section.sections)
        title = unicodedata.normalize("NFKC", section.heading or section.label or "").strip()
        if (
            section.kind == "heading"
            and not section.clauses
            and not section.sections
            and pattern.match(title)
        ):
            sections.remove(section)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def to_clause(text: str, clause: ClauseBuilder) -> Clause:
    start, end = trim_span(text, clause.start, clause.end)
    own_end = min(end, clause.own_end) if clause.own_end is not None else end
    sentences = [
        Sentence(start=s, end=e, text=text[s:e])
        for s, e in split_sentences(text, clause.content_start, own_end)
    ]
    _, own_end = trim_span(text, start, own_end)
    return Clause(
        path=clause.path,
        kind=clause.kind,  # type: ignore[arg-type]
        marker=(clause.marker.text or None) if clause.marker else clause.number_text,
        start=start,
        end=end,
        own_end=own_end,
        text=text[start:end],
        sentences=sentences,
        clauses=[to_clause(text, child) for child in clause.children],
    )


def to_section(text: str, section: SectionBuilder) -> Section:
    start, end = trim_span(text, section.start, section.end)
    return Section(
        path=section.path,
        kind=section.kind,  # type: ignore[arg-type]
        marker=section.marker.text if section.marker else None,
        heading=section.heading,
        start=start,
        end=end,
        text=text[start:end],
        sections=[to_section(text, child) for child in section.sections],
        clauses=[to_clause(text, clause) for clause in section.clauses],
    )
