"""Guess what kind of document a text is (privacy policy, terms, app policy, …)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml


@cache
def _settings() -> dict:
    return yaml.safe_load(resources.files("analyzer.data").joinpath("doc_types.yaml").read_text("utf-8"))


@cache
def _cues() -> dict[str, list[tuple[re.Pattern[str], float]]]:
    return {
        doc_type: [(re.compile(cue["pattern"]), float(cue["weight"])) for cue in cues]
        for doc_type, cues in _settings()["cues"].items()
    }


def guess_doc_type(text: str, title: str | None = None) -> tuple[str, float]:
    """Return ``(doc_type, confidence)``; confidence is the winner's share of all cue points."""
    head = text[: _settings()["head_chars"]]
    title_weight = _settings()["title_weight"]
    scores: dict[str, float] = {}
    for doc_type, cues in _cues().items():
        score = 0.0
        for pattern, weight in cues:
            if title and pattern.search(title):
                score += title_weight * weight
            if pattern.search(head):
                score += weight
        scores[doc_type] = score
    total = sum(scores.values())
    if total == 0:
        return "other", 0.0
    best = max(scores, key=lambda k: scores[k])
    return best, round(scores[best] / total, 3)
