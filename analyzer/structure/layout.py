"""What surrounds the document on its page: running headers and page numbers of PDF-extracted
text, breadcrumbs and banners of web pages, a table of contents. These lines are not clauses;
the table of contents also names the headings the body will use.

The patterns live in ``layout.yaml`` (with the order in which the segmenter tries line kinds).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from analyzer.structure.lines import Line
from analyzer.structure.markers import find_markers


@dataclass(frozen=True)
class LayoutPolicy:
    breadcrumb: re.Pattern[str]
    banner: re.Pattern[str]
    page_number: re.Pattern[str]
    running_header_min_repeats: int
    running_header_max_length: int
    toc_caption: re.Pattern[str]
    continuation_opener: re.Pattern[str]
    bare_heading_max_length: int
    issuer_line: re.Pattern[str]
    contact_line: re.Pattern[str]
    revision_heading: re.Pattern[str]
    title_max_length: int
    heading_text_max_length: int
    article_heading_max_length: int
    table_header_cell_max_length: int
    wrap_min_line: int
    wrap_min_lines: int
    wrap_tolerance: int
    wrap_min_share: float
    unmarked_item_max_length: int
    unmarked_phrase_item_max_length: int
    unmarked_phrase_item_end: re.Pattern[str]
    unmarked_phrase_item_max_sentences: int
    unmarked_item_excludes: re.Pattern[str]


@cache
def layout_policy() -> LayoutPolicy:
    raw = yaml.safe_load(resources.files("analyzer.structure").joinpath("layout.yaml").read_text("utf-8"))
    return LayoutPolicy(
        breadcrumb=re.compile(raw["breadcrumb"]),
        banner=re.compile("|".join(f"(?:{p})" for p in raw["banner"])),
        page_number=re.compile(raw["page_number"]),
        running_header_min_repeats=int(raw["running_header_min_repeats"]),
        running_header_max_length=int(raw["running_header_max_length"]),
        toc_caption=re.compile(raw["toc_caption"]),
        continuation_opener=re.compile(raw["continuation_opener"]),
        bare_heading_max_length=int(raw["bare_heading_max_length"]),
        issuer_line=re.compile(raw["issuer_line"]),
        contact_line=re.compile(raw["contact_line"]),
        revision_heading=re.compile(raw["revision_heading"]),
        title_max_length=int(raw["title_max_length"]),
        heading_text_max_length=int(raw["heading_text_max_length"]),
        article_heading_max_length=int(raw["article_heading_max_length"]),
        table_header_cell_max_length=int(raw["table_header_cell_max_length"]),
        wrap_min_line=int(raw["wrap_min_line"]),
        wrap_min_lines=int(raw["wrap_min_lines"]),
        wrap_tolerance=int(raw["wrap_tolerance"]),
        wrap_min_share=float(raw["wrap_min_share"]),
        unmarked_item_max_length=int(raw["unmarked_item_max_length"]),
        unmarked_phrase_item_max_length=int(raw["unmarked_phrase_item_max_length"]),
        unmarked_phrase_item_end=re.compile(raw["unmarked_phrase_item_end"]),
        unmarked_phrase_item_max_sentences=int(raw["unmarked_phrase_item_max_sentences"]),
        unmarked_item_excludes=re.compile("|".join(f"(?:{p})" for p in raw["unmarked_item_excludes"])),
    )


def comparable_line(text: str) -> str:
    """A line reduced for comparison: NFKC, no whitespace, no dot leaders or page number."""
    folded = re.sub(r"[\s()（）【】「」\[\]]+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?:[.・…‥]{2,}|[.・…‥]*\s*)[0-9]{0,3}$", "", folded) if folded else folded


@dataclass
class PageLayout:
    """Indices (into the list of lines) of page furniture and of the table of contents, and the
    headings the table of contents names (as :func:`comparable_line`)."""

    furniture: set[int] = field(default_factory=set)
    contents: set[int] = field(default_factory=set)
    headings: set[str] = field(default_factory=set)

    @property
    def dropped(self) -> set[int]:
        return self.furniture | self.contents


def read_layout(lines: list[Line]) -> PageLayout:
    policy = layout_policy()
    layout = PageLayout()
    bodies = [unicodedata.normalize("NFKC", line.body).strip() for line in lines]
    pages = [i for i, body in enumerate(bodies) if policy.page_number.match(body)]
    for index, body in enumerate(bodies):
        if policy.breadcrumb.match(body) or policy.banner.match(body):
            layout.furniture.add(index)
    layout.furniture.update(pages)
    if len(pages) >= 2:
        # a running header or footer repeats on every page of PDF-extracted text
        counts: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            key = re.sub(r"\s+", "", bodies[index])
            if key and len(key) <= policy.running_header_max_length and not find_markers(line.body):
                counts.setdefault(key, []).append(index)
        for found in counts.values():
            if len(found) >= policy.running_header_min_repeats:
                layout.furniture.update(found)
    _table_of_contents(lines, bodies, layout, policy)
    return layout


def _table_of_contents(
    lines: list[Line], bodies: list[str], layout: PageLayout, policy: LayoutPolicy
) -> None:
    """「目次」 and the entries under it, up to the line where the body repeats the first entry."""
    for index, body in enumerate(bodies):
        if not policy.toc_caption.match(body):
            continue
        entries: list[int] = []
        cursor = index + 1
        while cursor < len(lines):
            text = bodies[cursor]
            if entries and comparable_line(text) == comparable_line(bodies[entries[0]]):
                break
            if text.endswith(("。", "：", ":")) or len(text) > 60:
                break
            entries.append(cursor)
            cursor += 1
        if len(entries) >= 2 and cursor < len(lines):
            layout.contents.add(index)
            layout.contents.update(entries)
            layout.headings.update(comparable_line(bodies[i]) for i in entries)
        return
