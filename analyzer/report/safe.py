"""Text from documents and file names made inert for where it is written: a spreadsheet cell
never starts a formula, Markdown never carries raw HTML or live syntax, a terminal never
receives a control sequence and Rich never reads markup from a path."""

from __future__ import annotations

import re

# OWASP's list: a cell starting with one of these is a formula (or becomes one) in Excel,
# LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Every C0 or C1 control character apart from newline and tab: ESC starts every terminal
# control sequence, and without it what follows is plain text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The ASCII characters that make Markdown (CommonMark, GFM tables) start HTML, a link or image,
# code, a heading or a new cell; backslash-escaped, each shows as itself. Emphasis markers are
# left alone (they cannot carry anything; file names and ids are full of underscores), and text
# is always placed after a line's own prefix, so the list markers (-, +, 1.) need nothing.
_MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]<>&|#])")


def csv_cell(value: object) -> object:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe (shown as text, never evaluated); numbers and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(row: list | tuple) -> list:
    return [csv_cell(value) for value in row]


def terminal_text(text: str) -> str:
    """``text`` with every control character (ESC, BEL, CR…; not newline or tab) shown as
    U+FFFD, one for one, so that offsets into it still hold and no control sequence reaches the
    terminal."""
    return _CONTROL.sub("\ufffd", text)


def console_text(text: str) -> str:
    """``text`` for ``rich`` output: control sequences removed and ``[…]`` not read as markup."""
    from rich.markup import escape

    return escape(terminal_text(text))


def markdown_text(text: str) -> str:
    """``text`` inside a Markdown line or table cell: control characters removed, line breaks
    made spaces, every Markdown or HTML character backslash-escaped (so ``<script>`` shows as
    text and ``[x](javascript:…)`` is no link)."""
    flat = _CONTROL.sub("", text).replace("\n", " ")
    return _MARKDOWN_ACTIVE.sub(r"\\\1", flat)
