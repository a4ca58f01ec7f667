"""Rule recognizers: YAML rules over regular expressions and spaCy token/dependency patterns.

A rule (one entry of ``analyzer/detect/rules/*.yaml``) says which label it evidences, what text
triggers it, what must also be present in the same sentence (``context``), and what cancels it
(``unless``: carve-outs and negations such as 「法令に基づく場合を除き」「同意を得た場合に限り」
「〜しません」, checked in the same sentence; ``unless_clause``: anywhere in the clause).
Regular expressions run on an NFKC copy of each sentence with whitespace folded; every match is
mapped back to the original offsets. Token patterns run on Sudachi lemmas; dependency patterns
need the GiNZA parse, which is computed only for sentences that pass the rule's ``prefilter``.
``{{NAME}}`` in a pattern is replaced by the snippet NAME from ``_snippets.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from analyzer.errors import AnalyzerError
from analyzer.normalize import NormalizedText, mask_asides, normalize
from analyzer.settings import limits
from analyzer.structure.sentences import split_sentences
from analyzer.taxonomy import labels

_SNIPPET = re.compile(r"\{\{([A-Z_]+)\}\}")


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    confidence: float
    explanation: str
    regex: tuple[re.Pattern[str], ...] = ()
    tokens: tuple[list[dict], ...] = ()
    dependency: tuple[list[dict], ...] = ()
    prefilter: re.Pattern[str] | None = None
    context: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    unless_clause: tuple[re.Pattern[str], ...] = ()
    positive_examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired on a text: ``start``/``end`` are offsets into that text."""

    rule: Rule
    start: int
    end: int
    pattern: str = ""  # which pattern matched: regex#1, tokens#0, dependency#0

    @property
    def label(self) -> str:
        return self.rule.label


def _expand(pattern: str, snippets: dict[str, str], where: str) -> re.Pattern[str]:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in snippets:
            raise AnalyzerError(
                f"ルール {where}: 未定義のスニペット {name}", f"rule {where}: unknown snippet {name}"
            )
        return snippets[name]

    expanded = pattern
    for _ in range(5):  # snippets may use snippets
        expanded = _SNIPPET.sub(replace, expanded)
    try:
        return re.compile(expanded)
    except re.error as exc:
        raise AnalyzerError(
            f"ルール {where}: 正規表現が不正です（{exc}）", f"rule {where}: invalid regular expression: {exc}"
        ) from exc


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def load_rules(paths: list[Path] | None = None) -> list[Rule]:
    """Rules from the bundled YAML files (or ``paths``: a user's own rule files, which may add
    labels' rules without touching code)."""
    package = resources.files("analyzer.detect.rules")
    snippets: dict[str, str] = yaml.safe_load(package.joinpath("_snippets.yaml").read_text("utf-8"))
    sources: list[tuple[str, str]] = []
    if paths is None:
        for entry in sorted(package.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
                sources.append((entry.name, entry.read_text("utf-8")))
    else:
        sources = [(str(p), Path(p).read_text("utf-8")) for p in paths]
    known = labels()
    rules: list[Rule] = []
    seen: set[str] = set()
    for name, text in sources:
        for entry in yaml.safe_load(text) or []:
            rule_id = entry.get("id")
            where = f"{name}:{rule_id}"
            if not rule_id or rule_id in seen:
                raise AnalyzerError(
                    f"ルール {where}: id が無いか重複しています", f"rule {where}: missing or duplicate id"
                )
            seen.add(rule_id)
            if entry.get("label") not in known:
                raise AnalyzerError(
                    f"ルール {where}: 未知のラベル {entry.get('label')}",
                    f"rule {where}: unknown label {entry.get('label')}",
                )
            match = entry.get("match") or {}
            examples = entry.get("examples") or {}
            rules.append(
                Rule(
                    id=rule_id,
                    label=entry["label"],
                    confidence=float(entry.get("confidence", 0.8)),
                    explanation=entry["explanation"],
                    regex=tuple(_expand(p, snippets, where) for p in _as_list(match.get("regex"))),
                    tokens=tuple(_as_list(match.get("tokens"))),
                    dependency=tuple(_as_list(match.get("dependency"))),
                    prefilter=_expand(entry["prefilter"], snippets, where)
                    if entry.get("prefilter")
                    else None,
                    context=tuple(_expand(p, snippets, where) for p in _as_list(entry.get("context"))),
                    unless=tuple(_expand(p, snippets, where) for p in _as_list(entry.get("unless"))),
                    unless_clause=tuple(
                        _expand(p, snippets, where) for p in _as_list(entry.get("unless_clause"))
                    ),
                    positive_examples=tuple(_as_list(examples.get("positive"))),
                    negative_examples=tuple(_as_list(examples.get("negative"))),
                    source=name,
                )
            )
    return rules


@dataclass
class _Sentence:
    start: int
    end: int
    copy: NormalizedText
    doc: object | None = None
    parsed: object | None = None
    masked: str = ""

    def __post_init__(self) -> None:
        # a 「。」 inside brackets ends no sentence: the regular expressions run on a copy
        # without it (normalize.mask_asides), of the same length, so offsets map back as they are
        self.masked = mask_asides(self.copy.text)


@dataclass
class RuleEngine:
    """Runs every rule over a text; one hit per (rule, text) at most, the first match."""

    rules: list[Rule] = field(default_factory=load_rules)

    def __post_init__(self) -> None:
        self._matchers: dict[str, object] = {}
        self._memo: dict[str, list[RuleHit]] = {}

    def _token_matcher(self, rule: Rule):
        if rule.id not in self._matchers:
            from spacy.matcher import Matcher

            from analyzer.nlp import get_nlp

            matcher = Matcher(get_nlp().vocab)
            matcher.add(rule.id, list(rule.tokens))
            self._matchers[rule.id] = matcher
        return self._matchers[rule.id]

    def _dependency_matcher(self, rule: Rule):
        key = f"dep:{rule.id}"
        if key not in self._matchers:
            from spacy.matcher import DependencyMatcher

            from analyzer.nlp import get_nlp

            matcher = DependencyMatcher(get_nlp().vocab)
            matcher.add(rule.id, list(rule.dependency))
            self._matchers[key] = matcher
        return self._matchers[key]

    def run(self, text: str) -> list[RuleHit]:
        """Hits of every rule on ``text`` (a clause's own text)."""
        if text in self._memo:
            return self._memo[text]
        hits = self._run(text)
        # texts recur across folds and training steps; bounded, so a long batch stays flat
        if len(self._memo) < 30_000:
            self._memo[text] = hits
        return hits

    def _run(self, text: str) -> list[RuleHit]:
        sentences = [
            _Sentence(start, end, normalize(text[start:end]))
            for start, end in split_sentences(text, 0, len(text))
        ]
        clause_copy = normalize(text)
        hits: list[RuleHit] = []
        for rule in self.rules:
            if any(p.search(clause_copy.text) for p in rule.unless_clause):
                continue
            hit = self._first_hit(rule, sentences)
            if hit is not None:
                hits.append(hit)
        return hits

    def _first_hit(self, rule: Rule, sentences: list[_Sentence]) -> RuleHit | None:
        for sentence in sentences:
            normalized = sentence.masked
            if rule.context and not all(p.search(normalized) for p in rule.context):
                continue
            if any(p.search(normalized) for p in rule.unless):
                continue
            found = self._match(rule, sentence)
            if found is None:
                continue
            (start, end), pattern = sentence.copy.to_original(*found[0]), found[1]
            return RuleHit(rule, sentence.start + start, sentence.start + end, pattern)
        return None

    def _match(self, rule: Rule, sentence: _Sentence) -> tuple[tuple[int, int], str] | None:
        """The matched span of the normalised sentence and the name of the pattern that matched."""
        for number, pattern in enumerate(rule.regex, 1):
            match = pattern.search(sentence.masked)
            if match and match.end() > match.start():
                return (match.start(), match.end()), f"regex#{number}"
        normalized = sentence.copy.text
        if rule.prefilter is not None and not rule.prefilter.search(normalized):
            return None
        if rule.tokens:
            from analyzer.nlp import get_nlp

            if sentence.doc is None:
                sentence.doc = get_nlp().tokenize(normalized)
            for _, start, end in self._token_matcher(rule)(sentence.doc):
                span = sentence.doc[start:end]
                return (span.start_char, span.end_char), "tokens"
        if rule.dependency and len(normalized) <= limits()["nlp"]["max_parse_characters"]:
            # a sentence longer than any real one is matched on its tokens only (limits.yaml)
            from analyzer.nlp import get_nlp

            if sentence.parsed is None:
                sentence.parsed = get_nlp().parse(normalized)
            for _, token_ids in self._dependency_matcher(rule)(sentence.parsed):
                tokens = [sentence.parsed[i] for i in token_ids]
                return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)), "dependency"
        return None


@cache
def default_engine() -> RuleEngine:
    return RuleEngine()
