"""Hard-wrapped text (PDF extraction, fixed-width mail): the display width at which lines were
broken, so that a line that reaches it continues on the next."""

from __future__ import annotations

import unicodedata

from analyzer.structure.layout import layout_policy
from analyzer.structure.lines import Line


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap_column(lines: list[Line]) -> int | None:
    """The display width at which the text was broken, when it was (layout.yaml: ``wrap_*``)."""
    policy = layout_policy()
    widths = [display_width(line.text) for line in lines if len(line.text) >= policy.wrap_min_line]
    if len(widths) < policy.wrap_min_lines:
        return None
    counts: dict[int, int] = {}
    for width in widths:
        counts[width] = counts.get(width, 0) + 1
    spread = range(-policy.wrap_tolerance, 1)
    column = max(counts, key=lambda w: (sum(counts.get(w + d, 0) for d in spread), w))
    at_column = sum(1 for width in widths if column - policy.wrap_tolerance <= width <= column)
    return column if at_column >= policy.wrap_min_share * len(widths) else None
