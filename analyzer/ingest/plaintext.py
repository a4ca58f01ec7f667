"""Plain text and Markdown: the decoded file is what the user sees, line breaks unified."""

from __future__ import annotations

import re

from analyzer.ingest.textbuilder import TextBuilder

_LINE_BREAK = re.compile(r"\r\n|\r|\f|\u2028|\u2029")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+")


def extract_plain(source: str, *, markdown: bool = False) -> TextBuilder:
    """Copy ``source`` with CRLF/CR/form feeds turned into LF; mark Markdown headings."""
    builder = TextBuilder()
    position = 0
    for match in _LINE_BREAK.finditer(source):
        _add_lines(builder, source, position, match.start(), markdown)
        builder.add("\n", match.start(), source_end=match.end())
        position = match.end()
    _add_lines(builder, source, position, len(source), markdown)
    return builder


def _add_lines(builder: TextBuilder, source: str, start: int, end: int, markdown: bool) -> None:
    if markdown:
        for offset, line in _split_keep(source, start, end):
            at_line_start = builder.length == 0 or builder.ends_with("\n")
            if at_line_start and _MD_HEADING.match(line):
                builder.hint_line("heading")
            builder.add(line, offset)
        return
    builder.add(source[start:end], start)


def _split_keep(source: str, start: int, end: int):
    position = start
    while position < end:
        newline = source.find("\n", position, end)
        stop = end if newline < 0 else newline + 1
        yield position, source[position:stop]
        position = stop
