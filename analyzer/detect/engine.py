"""The detection engine: rules and the trained classifier decide each clause's labels together.

How the two combine is measured, per label, when the model is trained (``training.py``):
``model`` — the classifier decides (it sees the rule hits as features); ``union`` — a label
is found when the classifier or a rule finds it. The chosen mode per label is stored with the
model and reported in ``models/MODEL_CARD.md``. Without a trained model the rules decide alone.

Every finding carries the span that supports it: the rule's match when a rule fired, otherwise
the sentence of the clause that pushes the classifier most towards the label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from analyzer.detect.rule_engine import RuleEngine, RuleHit, default_engine
from analyzer.model import ClauseFinding, Evidence, StructuredDocument
from analyzer.structure.sentences import split_sentences
from analyzer.taxonomy import labels

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "clause_model.joblib"


@dataclass(frozen=True)
class Decision:
    """One label found on a text; ``start``/``end`` are offsets into that text."""

    label: str
    confidence: float
    method: str
    start: int
    end: int
    explanation: str
    rule: str | None = None  # the rule that fired, when one did


@cache
def _label_texts() -> dict[str, dict]:
    return yaml.safe_load(resources.files("analyzer.data").joinpath("label_texts.yaml").read_text("utf-8"))


def guideline_items_for(label: str) -> list[str]:
    entry = labels()[label]
    if entry.kind == "problem":
        return list(entry.guideline_items)
    return list(_label_texts()[label].get("items", []))


class DetectionEngine:
    """Finds taxonomy labels in clause texts.

    ``bundle`` is a trained model bundle (see :func:`load_bundle`) or None for rules only.
    """

    def __init__(self, bundle: dict | None = None, rules: RuleEngine | None = None) -> None:
        self.bundle = bundle
        self.rules = rules or default_engine()
        self.classifier = bundle["classifier"] if bundle else None
        self._sentence_cache: dict[str, np.ndarray] = {}
        meta = bundle["meta"] if bundle else {}
        self.modes: dict[str, str] = meta.get("modes", {})
        self.rule_precision: dict[str, float] = meta.get("rule_precision", {})

    @property
    def method(self) -> str:
        return "hybrid" if self.classifier is not None else "rules"

    def detect(self, texts: Sequence[str]) -> list[list[Decision]]:
        """Decisions for each text (a clause's own text)."""
        texts = list(texts)
        hits = [self.rules.run(text) for text in texts]
        if self.classifier is None:
            return [self._rules_only(text_hits) for text_hits in hits]
        probabilities = self.classifier.predict_proba(texts) if texts else np.zeros((0, 0))
        thresholds = self.classifier.thresholds_
        out = []
        for row, text in enumerate(texts):
            by_label: dict[str, list[RuleHit]] = {}
            for hit in hits[row]:
                by_label.setdefault(hit.label, []).append(hit)
            decisions = []
            for column, label in enumerate(self.classifier.labels):
                probability = float(probabilities[row, column])
                model_says = probability >= thresholds[column]
                rule_hits = by_label.get(label, [])
                mode = self.modes.get(label, "model")
                if model_says and rule_hits:
                    decisions.append(
                        self._from_rule(
                            rule_hits[0], max(probability, self._precision(rule_hits[0])), "rule+model"
                        )
                    )
                elif model_says:
                    decisions.append(self._from_model(text, label, column, probability))
                elif rule_hits and mode == "union":
                    hit = rule_hits[0]
                    decisions.append(self._from_rule(hit, self._precision(hit), f"rule:{hit.rule.id}"))
            out.append(decisions)
        return out

    def _precision(self, hit: RuleHit) -> float:
        return float(self.rule_precision.get(hit.rule.id, hit.rule.confidence))

    def _rules_only(self, hits: list[RuleHit]) -> list[Decision]:
        seen: set[str] = set()
        decisions = []
        for hit in hits:
            if hit.label in seen:
                continue
            seen.add(hit.label)
            decisions.append(self._from_rule(hit, self._precision(hit), f"rule:{hit.rule.id}"))
        return decisions

    @staticmethod
    def _from_rule(hit: RuleHit, confidence: float, method: str) -> Decision:
        return Decision(
            hit.label,
            round(min(confidence, 1.0), 3),
            method,
            hit.start,
            hit.end,
            hit.rule.explanation,
            hit.rule.id,
        )

    def _from_model(self, text: str, label: str, column: int, probability: float) -> Decision:
        sentences = split_sentences(text, 0, len(text)) or [(0, len(text))]
        start, end = sentences[0]
        if len(sentences) > 1:
            # The sentence the whole model scores highest for the label is the one to show.
            # Character n-grams alone chose the sentence a rule of the same label matched in
            # 37 of 43 sample cases; the whole model in 39 (models/MODEL_CARD.md).
            scores = self._sentence_scores(text, sentences)[:, column]
            start, end = sentences[int(np.argmax(scores))]
        return Decision(
            label, round(probability, 3), "model", start, end, _label_texts()[label]["explanation"]
        )

    def _sentence_scores(self, text: str, sentences: list[tuple[int, int]]) -> np.ndarray:
        """Decision scores of every label for each sentence of ``text`` (once per clause)."""
        if text not in self._sentence_cache:
            if len(self._sentence_cache) > 256:
                self._sentence_cache.clear()
            self._sentence_cache[text] = self.classifier.decision_function([text[s:e] for s, e in sentences])
        return self._sentence_cache[text]

    def annotate(self, document: StructuredDocument) -> StructuredDocument:
        """Fill ``findings`` of every clause of ``document`` (in place; also returned)."""
        clauses = document.iter_clauses()
        text = document.document.text
        own_texts = [text[c.start : c.own_end] for c in clauses]
        for clause, decisions in zip(clauses, self.detect(own_texts), strict=True):
            clause.findings = [self._finding(text, clause.start, decision) for decision in decisions]
        return document

    @staticmethod
    def _finding(text: str, offset: int, decision: Decision) -> ClauseFinding:
        label = labels()[decision.label]
        start, end = offset + decision.start, offset + decision.end
        return ClauseFinding(
            label=label.id,
            kind="problem" if label.kind == "problem" else "good_practice",
            guideline_items=guideline_items_for(label.id),
            severity=label.severity,  # type: ignore[arg-type]
            confidence=decision.confidence,
            method=decision.method,
            evidence=Evidence(start=start, end=end, text=text[start:end]),
            explanation=decision.explanation,
            rule=decision.rule,
        )


def load_bundle(path: Path | None = None) -> dict | None:
    """The trained model bundle at ``path`` (default: ``models/clause_model.joblib``), or None."""
    import joblib

    path = path or DEFAULT_MODEL
    if not path.exists():
        return None
    return joblib.load(path)


@cache
def default_detector() -> DetectionEngine:
    return DetectionEngine(load_bundle())
