"""Terms a document defines as communications data.

A 利用規約 defines 「コンテンツ」 as what the customer sends to other users through the service and
then speaks only of 「コンテンツ」: 「当社がコンテンツの内容を確認する場合があることに予め同意する
ものとします」. Read alone, the clause names no data; read with the document's definition, it names
the users' messages. ``defined_data`` reads the definitions of a document once, and the frame reader
gives each later use of a defined term the data its definition names (``ClauseInput.defined``).
Patterns in ``analyzer/data/definitions.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from analyzer.normalize import normalize


@dataclass(frozen=True)
class DefinitionPatterns:
    definition: re.Pattern[str]
    abbreviation: re.Pattern[str]
    body_head: re.Pattern[str]
    not_data_terms: re.Pattern[str]
    body_data: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def patterns() -> DefinitionPatterns:
    raw = yaml.safe_load(resources.files("analyzer.data").joinpath("definitions.yaml").read_text("utf-8"))
    return DefinitionPatterns(
        definition=re.compile(raw["definition"]),
        abbreviation=re.compile(raw["abbreviation"]),
        body_head=re.compile(raw["body_head"]),
        not_data_terms=re.compile(raw["not_data_terms"]),
        body_data=tuple(
            (value, re.compile("|".join(f"(?:{p})" for p in cues)))
            for value, cues in raw["body_data"].items()
        ),
    )


def defined_data(text: str, protected: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """``(term, data value)`` for every term ``text`` defines as data of a value in ``protected``
    (the frames lexicon's gate data): by what the frames lexicon reads in the definition's body, or
    by ``body_data``. Terms as written in ``text``, longest first, so that a longer term is
    matched before a shorter one it contains."""
    from analyzer.detect.frames import find_cues

    spec = patterns()
    found: dict[str, list[str]] = {}
    for pattern in (spec.definition, spec.abbreviation):
        for match in pattern.finditer(text):
            term, body = match.group("term"), match.group("body").strip()
            flat = normalize(body).text
            if spec.not_data_terms.search(normalize(term).text) or not spec.body_head.search(flat):
                continue
            values = [c.value for c in find_cues(body) if c.slot == "data" and c.value in protected]
            values += [value for value, cue in spec.body_data if value in protected and cue.search(flat)]
            if values:
                known = found.setdefault(term, [])
                known += [v for v in dict.fromkeys(values) if v not in known]
    return tuple((term, value) for term in sorted(found, key=len, reverse=True) for value in found[term])
