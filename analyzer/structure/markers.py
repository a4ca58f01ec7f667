"""Recognise the number marker at the start of a line (第5条, ２, （１）, ①, ア, …).

The marker table lives in ``markers.yaml``; this module compiles it and reads numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_SEPARATORS = " \t\u3000\xa0.．、:："


@dataclass(frozen=True)
class MarkerSpec:
    id: str
    kind: str
    family: str
    pattern: re.Pattern[str]
    ordinal: str
    path: str
    self_contained: bool = False


@dataclass(frozen=True)
class Marker:
    """A marker found at ``start``..``end`` of a line; ``rest`` starts after the separators."""

    spec: MarkerSpec
    text: str
    number: int | None
    sub: int | None
    start: int
    end: int
    rest_start: int

    @property
    def family(self) -> str:
        return self.spec.family

    @property
    def kind(self) -> str:
        return self.spec.kind

    def cite(self, position: int) -> str:
        """How this marker appears in a citation path (``position``: 1-based sibling index)."""
        normalized = unicodedata.normalize("NFKC", self.text).strip()
        if self.spec.ordinal == "circled" or self.spec.id in {"roman_small", "paren_roman_small"}:
            normalized = self.text.strip().replace("（", "(").replace("）", ")").rstrip(".．")
        normalized = re.sub(r"\s+", "", normalized)
        if self.spec.id in {"katakana", "iroha", "roman_small"}:
            normalized = normalized.rstrip(".、")
        cited = self.spec.path.format(n=self.number, m=normalized, k=position)
        if self.spec.id == "article" and self.sub is not None:
            cited += f"の{self.sub}"
        if self.spec.id == "appendix":
            cited = re.sub(r"[一二三四五六七八九十]+", lambda m: str(kanji_to_int(m.group())), cited)
        return cited


def kanji_to_int(text: str) -> int:
    """Read 一…九十九 (and arabic digits of any width)."""
    normalized = unicodedata.normalize("NFKC", text)
    if normalized.isdigit():
        return int(normalized)
    total = 0
    current = 0
    for char in text:
        if char in _KANJI_DIGITS:
            current = _KANJI_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _ordinal(kind: str, raw: str) -> int | None:
    raw = unicodedata.normalize("NFKC", raw) if kind in {"arabic", "alpha"} else raw
    if kind == "arabic":
        return kanji_to_int(raw)
    if kind == "circled":
        code = ord(raw)
        return code - 0x2460 + 1 if code <= 0x2473 else code - 0x3251 + 21
    if kind == "roman":
        if "ⅰ" <= raw <= "ⅻ":
            return ord(raw) - ord("ⅰ") + 1
        return _ROMAN.index(raw) + 1 if raw in _ROMAN else None
    if kind == "aiueo":
        return _AIUEO.index(raw) + 1 if raw in _AIUEO else None
    if kind == "iroha":
        return _IROHA.index(raw) + 1 if raw in _IROHA else None
    if kind == "alpha":
        return ord(raw.lower()) - ord("a") + 1
    return None


@cache
def marker_specs() -> tuple[MarkerSpec, ...]:
    raw = yaml.safe_load(resources.files("analyzer.structure").joinpath("markers.yaml").read_text("utf-8"))
    return tuple(
        MarkerSpec(
            id=entry["id"],
            kind=entry["kind"],
            family=entry["family"],
            pattern=re.compile(entry["pattern"]),
            ordinal=entry["ordinal"],
            path=entry["path"],
            self_contained=bool(entry.get("self_contained", False)),
        )
        for entry in raw
    )


def find_markers(line: str) -> list[Marker]:
    """Every reading of the marker at the start of ``line`` (stripped), most specific first.

    Several readings can fit (「イ」 is the 2nd of アイウエオ and the 1st of イロハ; 「i.」 is a
    roman numeral or a letter); the structure stage picks the one that continues a list.
    """
    found: list[Marker] = []
    for spec in marker_specs():
        match = spec.pattern.match(line)
        if not match:
            continue
        end = match.end()
        rest = end
        while rest < len(line) and line[rest] in _SEPARATORS:
            rest += 1
        number_text = match.groupdict().get("num")
        sub_text = match.groupdict().get("sub")
        number = _ordinal(spec.ordinal, number_text) if number_text else None
        found.append(
            Marker(
                spec=spec,
                text=line[:end],
                number=number,
                sub=kanji_to_int(sub_text) if sub_text else None,
                start=0,
                end=end,
                rest_start=rest,
            )
        )
    return found


def unmarked_marker() -> Marker:
    """The marker of a list item whose bullet was lost (markers.yaml: ``unmarked``)."""
    spec = next(s for s in marker_specs() if s.id == "unmarked")
    return Marker(spec=spec, text="", number=None, sub=None, start=0, end=0, rest_start=0)
