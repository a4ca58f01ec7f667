"""The data of a clause-level diff (``diff.json``): what was added, removed, reworded or moved,
which findings appeared or went away, how the scores moved."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OpName = Literal["equal", "insert", "delete", "replace"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentRef(_Strict):
    """Which file a side of the diff is."""

    name: str
    path: str
    title: str | None
    sha256: str
    doc_type: str
    analysed: bool = Field(description="Whether findings and scores were computed")


class ClauseSpan(_Strict):
    """A clause's own text (without sub-items); offsets into that document's text."""

    path: str
    start: int
    end: int
    text: str


class TextOp(_Strict):
    """One step of the character diff between two own texts."""

    op: OpName
    old: str
    new: str


class AddedClause(_Strict):
    new: ClauseSpan


class RemovedClause(_Strict):
    old: ClauseSpan


class ModifiedClause(_Strict):
    old: ClauseSpan
    new: ClauseSpan
    similarity: float = Field(description="SequenceMatcher ratio of the normalised texts")
    ops: list[TextOp]


class MovedClause(_Strict):
    old: ClauseSpan
    new: ClauseSpan
    modified: bool = Field(description="Whether the text also changed")


class FindingChange(_Strict):
    """A finding present in one version and not the other."""

    level: Literal["clause", "document"]
    label: str = Field(description="Taxonomy label; for document findings without one, their kind")
    label_ja: str
    id: str | None = Field(default=None, description="DocumentFinding.id for document findings")
    kind: str = Field(description="problem / good_practice for clauses; the finding kind for documents")
    severity: Literal["high", "medium", "low"] | None
    clause_path: str | None = Field(description="New path for gained, old path for lost")
    confidence: float
    evidence: str | None
    explanation: str


class ScoreChange(_Strict):
    old: float | None
    new: float | None
    change: float | None


class ItemStatusChange(_Strict):
    item: str
    title: str
    old: str | None
    new: str | None
    old_ja: str | None = None
    new_ja: str | None = None


class ScoreDiff(_Strict):
    overreach: ScoreChange
    transparency: ScoreChange
    jreadability: ScoreChange
    tateishi_rs: ScoreChange
    guideline_items: list[ItemStatusChange] = Field(default_factory=list)


class DocumentDiff(_Strict):
    """Everything that differs between ``old`` and ``new``."""

    old: DocumentRef
    new: DocumentRef
    unchanged: int = Field(description="Clauses whose normalised own text is identical")
    added: list[AddedClause] = Field(default_factory=list)
    removed: list[RemovedClause] = Field(default_factory=list)
    modified: list[ModifiedClause] = Field(default_factory=list)
    moved: list[MovedClause] = Field(default_factory=list)
    findings_gained: list[FindingChange] = Field(default_factory=list)
    findings_lost: list[FindingChange] = Field(default_factory=list)
    scores: ScoreDiff
