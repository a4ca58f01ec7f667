"""Footnotes after the body (「※1」「注2」「(注3)」): each with its mark and its span."""

from __future__ import annotations

import re

from analyzer.model import Footnote
from analyzer.structure.line_kinds import FOOTNOTE_MARK
from analyzer.structure.lines import Line


def read_footnotes(text: str, lines: list[Line]) -> list[Footnote]:
    notes: list[list[int]] = []
    marks: list[str] = []
    for line in lines:
        match = FOOTNOTE_MARK.match(line.body)
        if match:
            notes.append([line.start, line.end])
            marks.append(re.sub(r"\s", "", match.group(1)))
        elif notes:
            notes[-1][1] = line.end
    return [
        Footnote(mark=mark, start=start, end=end, text=text[start:end])
        for mark, (start, end) in zip(marks, notes, strict=True)
    ]
