"""The literal strings every match of a regular expression must contain.

The frame lexicon runs some fifty patterns over every clause; most of them cannot match most
clauses, and a substring test rules a pattern out far faster than the regex engine does (its
patterns open with character classes and bounded gaps, which defeat the engine's own literal
prefix scan). :func:`required_literals` reads the parsed pattern and returns a set of literals of
which every match contains at least one, or None when it cannot tell: a necessary condition,
so skipping a pattern when none of them occurs never changes what the pattern finds.
"""

from __future__ import annotations

import re

try:  # the parser behind ``re`` (Python 3.11+); without it no pattern is ruled out
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]

    _REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
except ImportError:  # pragma: no cover
    parser = None


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Literals of which every match of ``pattern`` contains one (None: none is certain)."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    if parser is None:
        return None
    try:
        tree = parser.parse(source, flags)
    except (re.error, RecursionError, TypeError):
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return _sequence(tree.data)


def _better(current: frozenset[str] | None, candidate: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two sufficient sets: the one whose shortest literal is longer."""
    if not candidate or "" in candidate:
        return current
    if current is None:
        return candidate
    return candidate if min(map(len, candidate)) > min(map(len, current)) else current


def _sequence(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:  # consecutive literals are contiguous in every match
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = value
            if not add_flags & (re.IGNORECASE | re.VERBOSE):
                best = _better(best, _sequence(sub.data))
        elif op is sre.BRANCH:
            branches = [_sequence(branch.data) for branch in value[1]]
            if all(branches):
                best = _better(best, frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, _high, sub = value
            if low >= 1:
                best = _better(best, _sequence(sub.data))
        elif op is sre.IN and value and all(kind is sre.LITERAL for kind, _ in value):
            best = _better(best, frozenset(chr(code) for _, code in value))
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best
