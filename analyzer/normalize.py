"""Normalised copies of text that remember where each character came from.

Matching is easier on NFKC text (全角/半角, ①→1, ㈱→(株)) with whitespace runs folded, but every
offset we report must point into the original text. :class:`NormalizedText` holds the copy and,
for each of its characters, the original span it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class NormalizedText:
    """``text`` is the normalised copy of ``original``; character ``i`` of ``text`` comes from
    ``original[starts[i]:ends[i]]``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised ``text[start:end]``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}..{end} outside 0..{len(self.text)}")
        if start == end:
            anchor = self.starts[start] if start < len(self.starts) else len(self.original)
            return anchor, anchor
        return self.starts[start], self.ends[end - 1]

    def from_original(self, offset: int) -> int:
        """The first normalised character at or after original ``offset``."""
        return bisect_right(self.ends, offset)


# A bracketed aside of a normalised copy (「（以下「利用者」という。）」 is 「(以下「利用者」という。)」
# there), whose 「。」 ends no sentence.
_ASIDE = re.compile(r"\([^()]*\)|「[^「」]*」|『[^『』]*』")


def mask_asides(text: str) -> str:
    """``text`` (a normalised copy) with each 「。」 inside a bracketed aside turned into a space:
    patterns read 「[^。]」 as "within the sentence", and 「本サービスを利用しようとする者(以下「利用者」
    という。)は、本規約に同意したものとする」 is one sentence. The length is kept, so offsets into the
    result are offsets into ``text``."""
    return _ASIDE.sub(lambda m: m.group(0).replace("。", " "), text) if "。" in text else text


def _clusters(text: str):
    """Split into a base character plus the combining marks (and half-width voicing marks)
    that NFKC may fuse with it, so each cluster normalises on its own."""
    index = 0
    while index < len(text):
        stop = index + 1
        while stop < len(text) and (
            unicodedata.combining(text[stop]) or text[stop] in "\uff9e\uff9f\u3099\u309a"
        ):
            stop += 1
        yield index, stop
        index = stop


def normalize(text: str, *, fold_whitespace: bool = True) -> NormalizedText:
    """NFKC ``text``; with ``fold_whitespace`` every run of whitespace becomes one space."""
    return _normalize(text, fold_whitespace)


# The same clause is normalised by the rules, the roles, the frames, the combination and the
# classifier; the result is immutable, so one copy serves them all.
@lru_cache(maxsize=4096)
def _normalize(text: str, fold_whitespace: bool) -> NormalizedText:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, stop in _clusters(text):
        piece = unicodedata.normalize("NFKC", text[start:stop])
        for char in piece:
            if fold_whitespace and char.isspace():
                if out and out[-1] == " ":
                    ends[-1] = stop
                    continue
                char = " "
            out.append(char)
            starts.append(start)
            ends.append(stop)
    return NormalizedText(text, "".join(out), tuple(starts), tuple(ends))


def _compatibility_table() -> dict[int, str]:
    """Kangxi radicals, CJK radicals and compatibility ideographs that NFKC maps to one
    ideograph (⽤→用, ⼀→一, 﨑→崎): PDF extraction leaves them in place of the ideographs."""
    table: dict[int, str] = {}
    blocks = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
    for low, high in blocks:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


_COMPATIBILITY = _compatibility_table()


def fold_compatibility(text: str) -> str:
    """``text`` with compatibility ideographs and radicals replaced by the ideographs they stand
    for, one character for one: every offset into the result is an offset into ``text``."""
    return text.translate(_COMPATIBILITY)
