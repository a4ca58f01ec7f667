"""Split a clause's text into sentences without breaking inside brackets or quotes."""

from __future__ import annotations

_OPENERS = "「『（(【［[〔〈《｛{"
_CLOSERS = "」』）)】］]〕〉》｝}"
_ENDERS = "。！？!?"


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of ``text[start:end]``.

    A sentence ends at 。！？ outside any bracket. A line break ends the bracket nesting, so
    one unbalanced 「 cannot swallow the rest of a clause. Spans exclude surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    sentence_start = start
    index = start
    while index < end:
        char = text[index]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char == "\n":
            if depth:  # an unbalanced bracket: the line break is the only safe boundary
                spans.append((sentence_start, index))
                sentence_start = index + 1
            depth = 0
        elif char in _ENDERS and depth == 0:
            stop = index + 1
            while stop < end and text[stop] in _ENDERS:
                stop += 1
            spans.append((sentence_start, stop))
            sentence_start = stop
            index = stop
            continue
        index += 1
    spans.append((sentence_start, end))
    trimmed = []
    for left, right in spans:
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if right > left:
            trimmed.append((left, right))
    return trimmed
