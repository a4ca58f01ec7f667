"""The data model every stage reads and extends.

A :class:`StructuredDocument` carries one document through the flow: ingest fills
:class:`DocumentInfo` (text, format, encoding, source map), structure fills the tree of
:class:`Section` → :class:`Clause` → :class:`Sentence`. Every node's ``start``/``end`` are
character offsets into ``document.text`` and ``text`` equals ``document.text[start:end]``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

Format = Literal["txt", "md", "html", "pdf", "docx"]
DocType = Literal["privacy_policy", "terms", "app_policy", "external_transmission", "other"]
SectionKind = Literal["preamble", "chapter", "division", "article", "heading", "supplementary", "appendix"]
ClauseKind = Literal["paragraph", "item", "definition"]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int = Field(description="Offset of the first character in document.text")
    end: int = Field(description="Offset one past the last character in document.text")
    text: str = Field(description="document.text[start:end]")


class Span(_Node):
    """A stretch of the document text."""


class Sentence(_Node):
    """One sentence of a clause (the clause's own text, not its sub-items)."""


class Evidence(_Node):
    """The span of the clause that triggered a finding (offsets into document.text)."""


class ClauseFinding(BaseModel):
    """One taxonomy label on one clause, with what supports it."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="Taxonomy label id (see taxonomy.md)")
    kind: Literal["problem", "good_practice"]
    guideline_items: list[str] = Field(description="Guideline items (1-i … 4-iv, ext:…) it bears on")
    severity: Literal["high", "medium", "low"] | None = Field(
        description="Taxonomy severity; None for good-practice labels"
    )
    confidence: float = Field(ge=0.0, le=1.0)
    method: str = Field(description="rule:<id> (a rule decided), model, or rule+model (both agreed)")
    rule: str | None = Field(default=None, description="Id of the rule that fired, if one did")
    evidence: Evidence
    explanation: str = Field(description="One line in Japanese")


class Clause(_Node):
    """The unit the classifier sees: a 項, a 号 or list item, a definition row, or an
    unnumbered paragraph. A list lead-in (「次の各号」) is a clause whose ``clauses`` are its
    items; its ``sentences`` are the lead-in's own."""

    path: str = Field(description="Citation path, e.g. 第5条第2項第3号 or 3.(2)ア")
    kind: ClauseKind
    marker: str | None = Field(default=None, description="Number marker as written, e.g. （１）")
    heading: str | None = None
    own_end: int = Field(description="End of the clause's own text (a lead-in stops where its items begin)")
    sentences: list[Sentence] = Field(default_factory=list)
    findings: list[ClauseFinding] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)

    @property
    def own_text(self) -> str:
        """The clause without its sub-items or definition rows."""
        return self.text[: self.own_end - self.start]


class Section(_Node):
    """A numbered or headed part: 章, 節, 条, a policy heading, 前文, 附則, 別表."""

    path: str = Field(description="Citation path, e.g. 第2章, 第5条, 3.(2), 附則")
    kind: SectionKind
    marker: str | None = None
    heading: str | None = None
    sections: list[Section] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)


class Footnote(_Node):
    """A footnote body kept apart from the main text (PDF page foot)."""

    mark: str = Field(description="The note mark, e.g. ※1")
    page: int | None = None


class SourceRun(BaseModel):
    """Characters ``start``..``end`` of the text come from ``source_start``..``source_end`` of
    the source: the decoded file for txt/md/html, the page's extracted text for pdf (``page``
    set), the body element's text for docx (``element`` set)."""

    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    source_start: int
    source_end: int
    page: int | None = None
    element: int | None = None


class DocumentInfo(BaseModel):
    """What ingest learned about the file."""

    model_config = ConfigDict(extra="forbid")

    path: str
    name: str
    sha256: str
    format: Format
    encoding: str | None = Field(description="Detected text encoding; None for pdf/docx")
    doc_type: DocType
    doc_type_confidence: float
    title: str | None = None
    dates: list[Span] = Field(default_factory=list, description="制定・改定・施行 lines")
    warnings: list[str] = Field(default_factory=list)
    text: str = Field(description="The visible text every offset points into")
    body_end: int = Field(description="End of the main text; footnotes follow it")
    source_map: list[SourceRun] = Field(default_factory=list)


class StructuredDocument(BaseModel):
    """One document after ingest and structure."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)

    def iter_sections(self) -> list[Section]:
        """All sections, depth first, in document order."""
        out: list[Section] = []

        def walk(sections: list[Section]) -> None:
            for section in sections:
                out.append(section)
                walk(section.sections)

        walk(self.sections)
        return out

    def iter_clauses(self) -> list[Clause]:
        """All clauses (parents before their items), in document order."""
        out: list[Clause] = []

        def walk(clauses: list[Clause]) -> None:
            for clause in clauses:
                out.append(clause)
                walk(clause.clauses)

        for section in self.iter_sections():
            walk(section.clauses)
        return sorted(out, key=lambda c: (c.start, -c.end))


def json_schema() -> dict:
    """The JSON Schema of a ``<name>.structure.json`` file."""
    schema = StructuredDocument.model_json_schema()
    schema["$id"] = f"https://analyzer.example.jp/schema/structure-{SCHEMA_VERSION}.json"
    return schema
