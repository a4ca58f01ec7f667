"""Why a clause got its findings: the rule that fired (with its pattern and examples) or the
labelled training clauses nearest to it in the classifier's own character n-gram space, and
the guideline text of the items concerned."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from analyzer import model_files
from analyzer.detect.rule_engine import Rule, load_rules
from analyzer.model import Clause, StructuredDocument
from analyzer.settings import guideline_item_specs
from analyzer.taxonomy import guideline_items as taxonomy_items

EXT_ITEMS = {
    "ext:consumer-contract-8": "消費者契約法8条（事業者の損害賠償の責任を免除する条項等の無効）",
    "ext:consumer-contract-10": "消費者契約法10条（消費者の利益を一方的に害する条項の無効）",
    "ext:civil-548-4": "民法548条の4（定型約款の変更：効力発生時期を定め、周知すること）",
    "ext:telecom-27-12": "電気通信事業法27条の12（利用者に関する情報の外部送信：通知又は公表）",
}


@dataclass
class Neighbour:
    text: str
    labels: list[str]
    similarity: float
    source: str


@dataclass
class FindingExplanation:
    label: str
    method: str
    rule: Rule | None
    neighbours: list[Neighbour] = field(default_factory=list)
    pattern: str | None = None  # the rule's pattern that matched, as recorded in the finding


def find_clause(document: StructuredDocument, path: str) -> Clause | None:
    wanted = path.replace(" ", "")
    for clause in document.iter_clauses():
        if clause.path.replace(" ", "") == wanted:
            return clause
    return None


@cache
def _rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


_TRAINING: dict[int, tuple[list[dict], object]] = {}


def _training(classifier) -> tuple[list[dict], object] | None:
    """Training lines and their vectors in the character n-gram space of ``classifier``
    (None without the training data, which a source checkout alone holds)."""
    training = model_files.training_clauses()
    if classifier is None or not hasattr(classifier, "ngram_vectors") or not training.is_file():
        return None
    if id(classifier) not in _TRAINING:
        rows = [json.loads(line) for line in training.read_text("utf-8").splitlines() if line.strip()]
        _TRAINING[id(classifier)] = (rows, classifier.ngram_vectors([r["text"] for r in rows]))
    return _TRAINING[id(classifier)]


def nearest_examples(text: str, classifier, label: str | None = None, k: int = 3) -> list[Neighbour]:
    """The ``k`` training clauses most like ``text`` in ``classifier``'s n-gram space (only those
    carrying ``label`` if given)."""
    data = _training(classifier)
    if data is None:
        return []
    rows, vectors = data
    query = classifier.ngram_vectors([text])
    scores = np.asarray((vectors @ query.T).todense()).ravel()
    order = np.argsort(-scores)
    out = []
    for i in order:
        row = rows[int(i)]
        if label and label not in row["labels"]:
            continue
        out.append(Neighbour(row["text"], row["labels"], float(scores[i]), row.get("source", "")))
        if len(out) == k:
            break
    return out


def _pattern(rule: Rule, name: str | None) -> str | None:
    """The text of the pattern a finding recorded (``regex#2``), read from the rule."""
    if not name:
        return None
    if name.startswith("regex#"):
        index = int(name.split("#", 1)[1]) - 1
        return rule.regex[index].pattern if 0 <= index < len(rule.regex) else None
    return str(rule.tokens or rule.dependency)


def explain_clause(clause: Clause, classifier=None) -> list[FindingExplanation]:
    """What stands behind each finding of ``clause``: what the finding recorded when it was made
    (its ``source``), the rule it names, and — for the model's part — the nearest training lines
    in ``classifier``'s space (none without a classifier)."""
    out = []
    for finding in clause.findings:
        rule = _rules().get(finding.rule) if finding.rule else None
        model_voted = finding.source is None or "clause_model" in finding.source.detectors
        neighbours = nearest_examples(clause.own_text, classifier, finding.label) if model_voted else []
        pattern = _pattern(rule, finding.source.pattern if finding.source else None) if rule else None
        out.append(FindingExplanation(finding.label, finding.method, rule, neighbours, pattern))
    return out


def item_text(item: str) -> tuple[str, str]:
    """(title, guideline text) of a guideline item or an external provision."""
    spec = guideline_item_specs().get(item)
    if spec:
        return spec["title"], spec["guideline"]
    if item in EXT_ITEMS:
        return item, EXT_ITEMS[item]
    summary = taxonomy_items().get(item, {}).get("summary", "")
    return item, summary
