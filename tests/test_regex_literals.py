"""Literals every match of a pattern must contain: a necessary condition, never a guess."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from analyzer.detect import frames
from analyzer.detect.frames import find_cues, lexicon
from analyzer.detect.regex_literals import required_literals

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ログ|IPアドレス", {"ログ", "IPアドレス"}),
        ("[^。]{0,20}(?:停止|中止)", {"停止", "中止"}),
        ("(?:同意)?しない", {"しない"}),  # an optional group requires nothing
        ("[0-9]+か月", {"か月"}),
        ("ab?c", {"a"}),  # the b may be absent: "a" and "c" are each required, "abc" is not
        ("(?:保存|保管)期間", {"期間"}),  # the longer of two required runs
    ],
)
def test_required_literals_of_small_patterns(pattern: str, expected: set[str]) -> None:
    assert required_literals(pattern) == expected


@pytest.mark.parametrize("pattern", ["(?i)cookie", "(?:a|b*)", ".*", "[^。]+", "(?:x)?"])
def test_no_literal_when_none_is_certain(pattern: str) -> None:
    assert required_literals(pattern) is None


def _corpus_texts() -> list[str]:
    texts = []
    for path in (
        ROOT / "corpora" / "clauses" / "heldout.jsonl",
        ROOT / "corpora" / "clauses" / "train.jsonl",
    ):
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()][:400]
    return texts


def test_every_match_of_the_frame_lexicon_contains_a_required_literal() -> None:
    lex = lexicon()
    patterns = [p for values in lex.patterns.values() for _, p in values] + list(lex.exceptions.values())
    checked = 0
    for text in _corpus_texts():
        for pattern in patterns:
            needed = lex.required[pattern.pattern]
            for match in pattern.finditer(text):
                assert needed is None or any(literal in match.group(0) for literal in needed), (
                    pattern.pattern[:60],
                    match.group(0),
                )
                checked += 1
    assert checked > 1000


def test_cues_are_the_same_without_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _corpus_texts()[:300]
    with_filter = [find_cues(text) for text in texts]
    plain = replace(lexicon(), required={})
    monkeypatch.setattr(frames, "lexicon", lambda: plain)
    assert [find_cues(text) for text in texts] == with_filter
