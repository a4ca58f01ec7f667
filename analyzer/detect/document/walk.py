"""Clauses with the sections around them, which the document checks need for context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.model import Clause, Section, StructuredDocument


@dataclass(frozen=True)
class PlacedClause:
    clause: Clause
    sections: tuple[Section, ...]  # outermost first

    @property
    def headings(self) -> str:
        parts = [s.heading or "" for s in self.sections]
        if self.clause.heading:
            parts.append(self.clause.heading)
        return " ".join(parts)

    @property
    def labels(self) -> dict[str, float]:
        return {f.label: f.confidence for f in self.clause.findings}


def placed_clauses(document: StructuredDocument) -> Iterator[PlacedClause]:
    """Every clause in document order, with its enclosing sections."""

    def walk_clauses(clauses: list[Clause], chain: tuple[Section, ...]) -> Iterator[PlacedClause]:
        for clause in clauses:
            yield PlacedClause(clause, chain)
            yield from walk_clauses(clause.clauses, chain)

    def walk_sections(sections: list[Section], chain: tuple[Section, ...]) -> Iterator[PlacedClause]:
        for section in sections:
            inner = (*chain, section)
            yield from walk_clauses(section.clauses, inner)
            yield from walk_sections(section.sections, inner)

    yield from sorted(walk_sections(document.sections, ()), key=lambda p: (p.clause.start, -p.clause.end))
