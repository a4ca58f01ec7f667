"""Lines of the text, with the offsets of their content (leading/trailing blanks excluded)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANKS = " \t\u3000\xa0\r\f\v"
_MD_PREFIX = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]*|\*\*(?=\S))")
_BOLD_LINE = re.compile(r"^\*\*[^*]{1,40}\*\*$")


def _indent(blanks: str) -> int:
    return sum(4 if char == "\t" else 2 if char == "\u3000" else 1 for char in blanks)


@dataclass
class Line:
    """One non-empty line: ``text`` is ``source[start:end]``; ``body`` starts after any
    Markdown heading/quote prefix (``body_start``)."""

    start: int
    end: int
    text: str
    body_start: int
    blank_before: bool
    hint: str | None = None
    body_end: int = -1
    # how deep the line sits: the nesting of an HTML list, else the width of its indentation
    # (a Markdown sub-list 「  - 」); compared only between items of one list family
    depth: int = 0

    @property
    def body(self) -> str:
        end = self.end if self.body_end < 0 else self.body_end
        return self.text[self.body_start - self.start : end - self.start]


def split_lines(text: str, start: int, end: int, hints: dict[int, str] | None = None) -> list[Line]:
    """Non-empty lines of ``text[start:end]``; ``blank_before`` marks a preceding empty line."""
    hints = hints or {}
    lines: list[Line] = []
    position = start
    blank = False
    while position < end:
        newline = text.find("\n", position, end)
        stop = end if newline < 0 else newline
        left, right = position, stop
        # every character ``str.isspace`` counts (also U+001C–001F, U+0085, U+2028), as the spans of
        # clauses and sections are trimmed (``tree.trim_span``): a line of them alone is blank
        while left < right and (text[left] in _BLANKS or text[left].isspace()):
            left += 1
        while right > left and (text[right - 1] in _BLANKS or text[right - 1].isspace()):
            right -= 1
        if right > left:
            content = text[left:right]
            prefix = _MD_PREFIX.match(content)
            body_start = left + (prefix.end() if prefix else 0)
            body_end = right
            if prefix and content.startswith("**") and content.endswith("**") and len(content) > 4:
                body_end = right - 2  # **第1条（目的）**: Markdown bold around a heading
            hint = hints.get(position) or hints.get(left)
            depth = _indent(text[position:left])
            if hint and hint.startswith("item:"):
                hint, depth = "item", int(hint[5:])
            if prefix and content.startswith("#"):
                hint = "heading"
            elif _BOLD_LINE.match(content) and not content.endswith(("。**", "。")):
                hint = hint or "heading"  # 「**本規約の改定**」 alone on its line heads a section
            lines.append(Line(left, right, content, body_start, blank, hint, body_end, depth))
            blank = False
        else:
            blank = True
        position = stop + 1
    return lines
