"""Hard-wrapped text (PDF extraction, fixed-width mail): the display width at which lines were
broken, so that a line that reaches it continues on the next."""

from __future__ import annotations

import unicodedata

from analyzer.structure.lines import Line


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap_column(lines: list[Line]) -> int | None:
    """The display width at which the text was broken, when it was: the width most lines of 15
    characters or more reach (within 2), if at least 40% of them do."""
    widths = [display_width(line.text) for line in lines if len(line.text) >= 15]
    if len(widths) < 10:
        return None
    counts: dict[int, int] = {}
    for width in widths:
        counts[width] = counts.get(width, 0) + 1
    column = max(counts, key=lambda w: (sum(counts.get(w + d, 0) for d in (-2, -1, 0)), w))
    at_column = sum(1 for width in widths if column - 2 <= width <= column)
    return column if at_column >= 0.4 * len(widths) else None
