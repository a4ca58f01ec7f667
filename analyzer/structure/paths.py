"""Citation paths, given once the tree is complete: 「第5条」 or 「第5条第1項」 depends on how many
paragraphs the article turns out to have; unnumbered headings are cited by their line; a full
decimal number names its clause by itself; repeated paths get 「[2]」."""

from __future__ import annotations

from analyzer.structure.tree import ARTICLE_LIKE, ClauseBuilder, SectionBuilder


def join_path(path: str, part: str) -> str:
    if path and part and path[-1].isdigit() and part[0].isdigit():
        return f"{path} {part}"
    return path + part


def assign_paths(sections: list[SectionBuilder]) -> None:
    seen_sections: dict[str, int] = {}
    seen_clauses: dict[str, int] = {}

    def unique(path: str, seen: dict[str, int]) -> str:
        seen[path] = seen.get(path, 0) + 1
        return path if seen[path] == 1 else f"{path}[{seen[path]}]"

    def section_path(section: SectionBuilder) -> str:
        parent = section.parent
        parent_path = parent.path if parent else ""
        marker = section.marker
        if section.kind == "preamble":
            return "前文"
        if marker is None:
            return section.label or "見出し"
        cited = marker.cite(1)
        if section.kind == "division":
            return join_path(parent_path if parent and parent.kind == "chapter" else "", cited)
        if section.kind == "article":
            return join_path("附則", cited) if parent and parent.kind == "supplementary" else cited
        if section.kind == "heading":
            if marker.spec.self_contained:
                return cited
            if parent is not None and parent.kind in {"heading", "appendix", "supplementary"}:
                return join_path(parent_path, cited)
            return cited
        return cited

    def clause_paths(section: SectionBuilder) -> None:
        paragraphs = [c for c in section.clauses if c.kind == "paragraph"]
        several = len(paragraphs) > 1
        article_like = section.kind in ARTICLE_LIKE
        for position, clause in enumerate(paragraphs, 1):
            if several:
                part = f"第{clause.number}項" if article_like else f"第{position}段落"
                clause.path = unique(join_path(section.path, part), seen_clauses)
            else:
                clause.path = unique(section.path, seen_clauses)
        children_paths(section.path, [c for c in section.clauses if c.kind != "paragraph"])
        for clause in paragraphs:
            children_paths(clause.path, clause.children)

    def children_paths(parent_path: str, children: list[ClauseBuilder]) -> None:
        positions: dict[str, int] = {}
        for clause in children:
            if clause.kind == "definition":
                clause.path = unique(f"{parent_path}「{clause.term}」", seen_clauses)
            else:
                assert clause.marker is not None
                family = clause.marker.family
                positions[family] = positions.get(family, 0) + 1
                cited = clause.marker.cite(positions[family])
                # a full decimal number (「6.4.」) names the clause by itself, as the document cites it
                own = cited if clause.marker.spec.self_contained else join_path(parent_path, cited)
                clause.path = unique(own, seen_clauses)
            children_paths(clause.path, clause.children)

    def walk(items: list[SectionBuilder]) -> None:
        for section in items:
            section.path = unique(section_path(section), seen_sections)
            clause_paths(section)
            walk(section.sections)

    walk(sections)
