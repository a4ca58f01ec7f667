"""Assemble visible text piece by piece while recording where each piece came from."""

from __future__ import annotations

from analyzer.model import SourceRun


class TextBuilder:
    """Append text with its source position; ``build()`` returns the text and its source map.

    Pieces appended without a source position (line breaks between blocks, tab between table
    cells, list numbers a browser would draw) are synthetic: no run covers them.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._runs: list[SourceRun] = []
        self._length = 0
        self.line_hints: dict[int, str] = {}

    @property
    def length(self) -> int:
        return self._length

    def ends_with(self, suffix: str) -> bool:
        tail = "".join(self._parts[-4:])
        return tail.endswith(suffix)

    def last_char(self) -> str | None:
        return self._parts[-1][-1] if self._parts else None

    def add(
        self,
        piece: str,
        source_start: int | None = None,
        *,
        source_end: int | None = None,
        page: int | None = None,
        element: int | None = None,
    ) -> None:
        if not piece:
            return
        start = self._length
        self._parts.append(piece)
        self._length += len(piece)
        if source_start is None:
            return
        if source_end is None:
            source_end = source_start + len(piece)
        last = self._runs[-1] if self._runs else None
        if (
            last is not None
            and last.end == start
            and last.source_end == source_start
            and last.page == page
            and last.element == element
            and last.end - last.start == last.source_end - last.source_start
            and source_end - source_start == len(piece)
        ):
            last.end = self._length
            last.source_end = source_end
            return
        self._runs.append(
            SourceRun(
                start=start,
                end=self._length,
                source_start=source_start,
                source_end=source_end,
                page=page,
                element=element,
            )
        )

    def newline(self) -> None:
        """End the current line unless the text is empty or already ends one."""
        if self._length and not self.ends_with("\n"):
            self.add("\n")

    def blank_line(self) -> None:
        """Leave one empty line (paragraph break) after the current text."""
        if not self._length:
            return
        self.newline()
        if not self.ends_with("\n\n"):
            self.add("\n")

    def hint_line(self, kind: str) -> None:
        """Mark the line that starts at the current position (e.g. ``heading``)."""
        self.line_hints[self._length] = kind

    def build(self) -> tuple[str, list[SourceRun]]:
        return "".join(self._parts), list(self._runs)
