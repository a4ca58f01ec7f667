"""The data model every stage reads and extends.

A :class:`StructuredDocument` carries one document through the flow: ingest fills
:class:`DocumentInfo` (text, format, encoding, source map), structure fills the tree of
:class:`Section` → :class:`Clause` → :class:`Sentence`. Every node's ``start``/``end`` are
character offsets into ``document.text`` and ``text`` equals ``document.text[start:end]``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.4"

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


class FrameCue(_Node):
    """A lexicon match behind a frame slot (``frames.yaml``)."""

    slot: str = Field(description="data, action, recipient, purpose, consent, condition, scope, retention")
    value: str


class Frame(_Node):
    """What one sentence of a clause does with whose data (shared/spec/frames.md)."""

    data: list[str] = Field(default_factory=list, description="Data categories (comms_content, browsing, …)")
    data_from: Literal["clause", "lead_in", "heading", "antecedent", "unresolved"] = Field(
        default="clause",
        description="Where the data slot comes from; unresolved: 「前項の情報」, earlier clause unseen",
    )
    actions: list[str] = Field(default_factory=list, description="acquire, analyse, use, provide, retain, …")
    recipients: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    consent: list[str] = Field(
        default_factory=list,
        description="individual, via_terms, deemed_by_use, opt_out, none_sought, legal_basis",
    )
    condition: str | None = Field(default=None, description="required_for_service, cannot_stop or optional")
    polarity: Literal["affirmed", "negated", "limited"] = "affirmed"
    retention: str | None = Field(default=None, description="period, until_purpose, indefinite, extendable")
    inherited: list[str] = Field(
        default_factory=list,
        description=(
            "Slots taken from the context: the list lead-in, another sentence, a later paragraph, "
            "the clause referred to"
        ),
    )
    secrecy: bool = Field(default=False, description="A data category is communications-secrecy information")
    protected: bool = Field(
        default=False,
        description="A data category the consent-route labels rest on: secrecy data or device location",
    )
    reading: str = Field(default="", description="The frame in one Japanese line")
    cues: list[FrameCue] = Field(default_factory=list)


class FindingSource(BaseModel):
    """How a finding was made, recorded when it was made (``analyzer explain`` reads it)."""

    model_config = ConfigDict(extra="forbid")

    detectors: list[str] = Field(description="Registered detectors that proposed the label")
    rule: str | None = Field(default=None, description="Rule id")
    rule_file: str | None = None
    pattern: str | None = Field(default=None, description="Which pattern of the rule matched")
    rule_precision: float | None = Field(default=None, description="The rule's measured precision")
    model_probability: float | None = Field(default=None, description="Calibrated probability")
    model_threshold: float | None = None
    combination: str = Field(description="How the detectors' votes were combined, in words")
    frame_index: int | None = Field(default=None, description="Index into the clause's frames")
    severity_reason: str | None = Field(default=None, description="Why the severity differs from the label's")


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
    frame: str | None = Field(
        default=None, description="The frame the finding rests on, in one Japanese line"
    )
    source: FindingSource | None = None


class SuppressedFinding(BaseModel):
    """A label a detector proposed that the clause's role or frames do not support."""

    model_config = ConfigDict(extra="forbid")

    label: str
    detectors: list[str]
    confidence: float
    reason: str


ClauseRole = Literal[
    "title", "heading", "definition", "list_item", "revision_history", "contact_block", "lead_in", "body"
]


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
    role: ClauseRole = Field(default="body", description="What the clause is in the document")
    list_role: str | None = Field(
        default=None,
        description="For list items, what their lead-in lists: purposes, data_items, recipients, …",
    )
    frames: list[Frame] = Field(default_factory=list)
    findings: list[ClauseFinding] = Field(default_factory=list)
    suppressed: list[SuppressedFinding] = Field(default_factory=list)
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
    carrier: str | None = Field(default=None, description="The issuing company (from the text or a manifest)")
    effective_date: str | None = Field(default=None, description="ISO date of the latest 制定・改定・施行")
    effective_date_kind: str | None = Field(default=None, description="制定 / 改定 / 施行 / manifest")
    meta_source: Literal["text", "manifest"] | None = None
    dates: list[Span] = Field(default_factory=list, description="制定・改定・施行 lines")
    warnings: list[str] = Field(default_factory=list)
    text: str = Field(description="The visible text every offset points into")
    body_end: int = Field(description="End of the main text; footnotes follow it")
    source_map: list[SourceRun] = Field(default_factory=list)


class DocumentFinding(BaseModel):
    """A finding on the document as a whole: a good practice it never shows, too few contact
    channels, an incomplete external-transmission entry, references to documents never named,
    text below the readability threshold."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable within the document, e.g. absent:policy_access")
    kind: Literal[
        "absent", "contact_channels", "external_transmission", "unresolved_reference", "readability"
    ]
    label: str | None = Field(default=None, description="The good-practice label, for kind absent")
    guideline_items: list[str]
    severity: Literal["high", "medium", "low"]
    confidence: float = Field(ge=0.0, le=1.0)
    explanation: str = Field(description="One line in Japanese")
    evidence: list[Evidence] = Field(
        default_factory=list, description="Spans behind the finding (empty when it is an absence)"
    )
    details: dict = Field(default_factory=dict, description="Measurements behind the finding")


class ContactChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["phone", "mail", "fax", "email", "web_form", "chat", "counter"]
    evidence: Evidence


class ContactCheck(BaseModel):
    """What the document says about how to reach the carrier (guideline 4-i, 4-iv)."""

    model_config = ConfigDict(extra="forbid")

    channels: list[ContactChannel] = Field(default_factory=list, description="One per distinct channel")
    hours_stated: bool = False
    hours: list[Evidence] = Field(default_factory=list)
    clause_paths: list[str] = Field(default_factory=list, description="Clauses read as contact text")


class TransmissionEntry(BaseModel):
    """One tag or module of an external-transmission disclosure (電気通信事業法27条の12)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The module as the document names it (its heading)")
    path: str = Field(description="Section path of the entry")
    information: bool
    recipient: bool
    purpose: bool
    complete: bool
    missing: list[Literal["information", "recipient", "purpose"]] = Field(default_factory=list)
    evidence: Span


class ReferenceFinding(BaseModel):
    """A reference to 「別途定める」/「当社所定の」 rules, and whether the document names them."""

    model_config = ConfigDict(extra="forbid")

    clause_path: str
    resolved: bool
    evidence: Evidence


class ServiceReading(BaseModel):
    """Whether the document's provider carries its users' communications (internet access,
    mobile lines, Wi-Fi, telephone, mail, messages or calls between users). For one that does
    not, what its own site or app records of a visitor (access logs, pages viewed, cookies) is not
    the secrecy of communications, and the secrecy labels do not rest on it (frames.md)."""

    model_config = ConfigDict(extra="forbid")

    carries_communications: bool
    score: float = Field(description="Sum of the weights of the cues found (service.yaml)")
    threshold: float
    cues: list[str] = Field(default_factory=list, description="Names of the cues found")
    evidence: list[Span] = Field(default_factory=list, description="The first match of each cue")
    reason: str = Field(description="One line in Japanese")


class DocumentChecks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: str
    doc_type_confidence: float
    scope: Literal["whole", "excerpt"] = Field(
        default="whole", description="excerpt: a notice, summary or FAQ, not held to a whole document's list"
    )
    scope_reason: str = ""
    good_practice_present: dict[str, float] = Field(
        default_factory=dict, description="Best confidence of each good-practice label found"
    )
    contacts: ContactCheck = Field(default_factory=ContactCheck)
    external_transmission: list[TransmissionEntry] = Field(default_factory=list)
    references: list[ReferenceFinding] = Field(default_factory=list)
    service: ServiceReading | None = Field(
        default=None, description="Whether the provider carries its users' communications"
    )


class ItemStatement(BaseModel):
    """A clause that speaks to an item needing operational evidence."""

    model_config = ConfigDict(extra="forbid")

    clause_path: str
    start: int
    end: int
    text: str


class ItemFindingRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Literal["clause", "document"]
    label: str | None = None
    finding_id: str | None = Field(default=None, description="DocumentFinding.id for document findings")
    clause_path: str | None = None
    confidence: float
    evidence: Evidence | None = None


class GuidelineItemVerdict(BaseModel):
    """The verdict on one of the guideline's 27 items for this document."""

    model_config = ConfigDict(extra="forbid")

    item: str = Field(description="1-i … 4-iv")
    title: str
    evidence_kind: str = Field(description="clause / doc / ops, as in the taxonomy")
    status: Literal["raised", "not_raised", "needs_operational_evidence"]
    status_ja: str
    findings: list[ItemFindingRef] = Field(default_factory=list, description="What raised it")
    statements: list[ItemStatement] = Field(
        default_factory=list, description="What the document says on the topic (ops items)"
    )
    note: str = ""


class Contribution(BaseModel):
    """One traced part of a score."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["finding", "vague_marker", "mitigation"]
    label: str | None = None
    clause_path: str | None = None
    evidence: Evidence | None = None
    raw_points: float = Field(description="Points before scaling to 0–100 (negative for mitigations)")
    points: float = Field(description="Share of the final score (the contributions sum to it)")
    reason: str


class OverreachScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0.0, le=100.0)
    raw: float = Field(description="Sum of raw points before the 0–100 scaling")
    contributions: list[Contribution] = Field(default_factory=list)


class DisclosureCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    weight: float
    present: float = Field(ge=0.0, le=1.0, description="1 present, 0 missing, between: partly")


class TransparencyScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0.0, le=100.0)
    expected: list[DisclosureCheck] = Field(default_factory=list)
    missing: list[DisclosureCheck] = Field(default_factory=list)


class HardSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clause_path: str
    start: int
    end: int
    text: str
    characters: int
    jreadability: float


class ReadabilityMetrics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    characters: int
    sentences: int
    jreadability: float | None = Field(description="Lee & Hasebe; higher is easier (0.5–6.4)")
    jreadability_band: str | None = Field(description="初級前半 … 上級後半")
    jreadability_parts: dict[str, float] = Field(default_factory=dict)
    tateishi_rs: float | None = Field(description="Tateishi et al. RS' (mean 50, sd 10; higher is easier)")
    tateishi_parts: dict[str, float] = Field(default_factory=dict)
    sentence_length_mean: float
    sentence_length_median: float
    sentence_length_p90: float
    share_over_100: float
    kanji_ratio: float
    max_paren_depth: int
    double_negatives: int


class SectionReadability(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    heading: str | None = None
    metrics: ReadabilityMetrics


class ReadabilityScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: ReadabilityMetrics
    sections: list[SectionReadability] = Field(default_factory=list)
    hardest_sentences: list[HardSentence] = Field(default_factory=list)
    below_threshold: bool
    reasons: list[str] = Field(default_factory=list, description="Which thresholds the text crosses")


class Scores(BaseModel):
    model_config = ConfigDict(extra="forbid")

    readability: ReadabilityScore
    overreach: OverreachScore
    transparency: TransparencyScore


class StructuredDocument(BaseModel):
    """One document after ingest and structure; after analysis also its document checks,
    guideline-item verdicts and scores."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    checks: DocumentChecks | None = None
    document_findings: list[DocumentFinding] = Field(default_factory=list)
    guideline_items: list[GuidelineItemVerdict] = Field(default_factory=list)
    scores: Scores | None = None

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
