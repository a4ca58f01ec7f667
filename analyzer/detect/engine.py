"""The detection engine: every clause detector proposes, ``combine.py`` decides.

For each clause the engine reads its role (``roles.py``) and its information-handling frames
(``frames.py``) with the clause's heading and list lead-in as context, asks every registered
detector (rules, frame checks, the trained model; ``registry.py``) for proposals, and combines
them. Every finding carries the span that supports it — the rule's match, the frame's sentence,
or the sentence of the clause that pushes the classifier most towards the label — and a record
of how it was made (detectors, rule and pattern, probability and threshold, combination, frame).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

from analyzer import model_files, settings
from analyzer.cache import ResultCache, digest
from analyzer.detect.citations import ARTICLE_CITATION, article_key, cited_articles
from analyzer.detect.clause_features import ClauseSample
from analyzer.detect.combine import ClauseDecisions, Decision, Suppressed, combine, profile_settings
from analyzer.detect.definitions import defined_data
from analyzer.detect.detectors import FrameCheckDetector, ModelDetector, Proposal, RuleDetector
from analyzer.detect.document import annotate_document
from analyzer.detect.document.lead_ins import leave_labels_to_items
from analyzer.detect.document.service import read_service
from analyzer.detect.frames import (
    FrameReader,
    antecedent_window,
    copy_frame,
    default_reader,
    reaches_own_article,
)
from analyzer.detect.frames import lexicon as frame_lexicon
from analyzer.detect.roles import ClauseInput, as_input, clause_role, list_role
from analyzer.detect.rule_engine import RuleEngine, default_engine
from analyzer.model import (
    SCHEMA_VERSION,
    Clause,
    ClauseFinding,
    Evidence,
    FindingSource,
    Frame,
    FrameCue,
    StructuredDocument,
    SuppressedFinding,
)
from analyzer.normalize import normalize
from analyzer.structure.line_kinds import LEAD_IN, list_phrase
from analyzer.structure.sentences import split_sentences
from analyzer.taxonomy import labels
from analyzer.version import __version__, code_digest

__all__ = ["ClauseDecisions", "Decision", "DetectionEngine", "load_model"]


@cache
def _label_texts() -> dict[str, dict]:
    return yaml.safe_load(resources.files("analyzer.data").joinpath("label_texts.yaml").read_text("utf-8"))


def guideline_items_for(label: str) -> list[str]:
    entry = labels()[label]
    if entry.kind == "problem":
        return list(entry.guideline_items)
    return list(_label_texts()[label].get("items", []))


class DetectionEngine:
    """Finds taxonomy labels in clauses.

    ``model`` is a fitted :class:`~analyzer.detect.clause_model.ClauseModel` (see
    :func:`load_model`) or None for rules and frame checks alone (each then stands on its own).
    """

    def __init__(
        self,
        model=None,
        rules: RuleEngine | None = None,
        frames: FrameReader | None = None,
        profile: str | None = None,
        cache: ResultCache | None = None,
        fast: bool = False,
        thorough: bool = False,
    ) -> None:
        profile_settings(profile)  # an unknown profile fails here, before any document
        self.profile = profile
        self.cache = cache
        if fast and thorough:
            raise ValueError(
                "fast (no encoder) and thorough (the encoder near any threshold) exclude each other"
            )
        self.fast = fast
        self.thorough = thorough
        self.clause_model = model
        self.rules = rules or default_engine()
        self.frame_reader = frames or default_reader()
        self.rule_precision: dict[str, float] = getattr(model, "rule_precision_", {})
        self.detectors = [
            RuleDetector(self.rules, self.rule_precision),
            FrameCheckDetector(getattr(model, "frame_check_precision_", {})),
        ]
        explanations = {label: spec["explanation"] for label, spec in _label_texts().items()}
        self.classifier = model.classifier_ if model is not None else None
        if (fast or thorough) and self.classifier is not None and not hasattr(self.classifier, "fast_"):
            raise ValueError(
                "this model is not a cascade: it has no fast classifier to choose the encoder's clauses"
            )
        self.model = (
            ModelDetector(self.classifier, explanations, fast=fast, thorough=thorough)
            if self.classifier is not None
            else None
        )
        self._sentence_cache: dict[tuple, np.ndarray] = {}

    @property
    def method(self) -> str:
        return "hybrid" if self.model is not None else "rules"

    @property
    def config_key(self) -> str | None:
        """What every result of this engine depends on besides the clause: the model's
        fingerprint, the rules, the data files, the profile, the schema and package versions and
        the package's code (None: a model without a fingerprint, whose results are never cached)."""
        if not hasattr(self, "_config_key"):
            model_id = (
                "rules-only"
                if self.clause_model is None
                else getattr(self.clause_model, "fingerprint_", None)
            )
            self._config_key = (
                None
                if model_id is None
                else digest(
                    model_id,
                    repr(self.rules.rules),  # the engine's own rules, given or shipped
                    *(entry.name.encode() + entry.read_bytes() for entry in _data_files()),
                    self.profile or "",
                    "fast" if self.fast else "thorough" if self.thorough else "",
                    SCHEMA_VERSION,
                    __version__,
                    code_digest(),
                )
            )
        return self._config_key

    def analyse(self, clauses: Sequence[str | ClauseInput]) -> list[ClauseDecisions]:
        """Role, frames, findings and suppressed proposals of each clause (from the cache when
        this engine has one and has seen the clause, with its context, before)."""
        inputs = [as_input(c) for c in clauses]
        if self.cache is None or self.config_key is None or not inputs:
            return self._analyse(inputs)
        keys = [digest(self.config_key, json.dumps(asdict(c), ensure_ascii=False)) for c in inputs]
        found = self.cache.get_many(keys)
        missing = [row for row, key in enumerate(keys) if key not in found]
        computed = dict(zip(missing, self._analyse([inputs[row] for row in missing]), strict=True))
        if computed:
            self.cache.put_many((keys[row], encode_decisions(result)) for row, result in computed.items())
        return [
            computed[row] if row in computed else decode_decisions(found[keys[row]])
            for row in range(len(inputs))
        ]

    def _analyse(self, inputs: list[ClauseInput]) -> list[ClauseDecisions]:
        threads = settings.encoder_routing().get("blas_threads")
        if threads is None or self.model is None:
            return self._analyse_all(inputs)
        # the BLAS threads spin after each small product on the cores the sentence encoder needs
        with threadpool_limits(limits=int(threads), user_api="blas"):
            return self._analyse_all(inputs)

    def _analyse_all(self, inputs: list[ClauseInput]) -> list[ClauseDecisions]:
        roles = [clause_role(c) for c in inputs]
        frames = [self.frame_reader.read_input(c) for c in inputs]
        proposals: list[list[Proposal]] = [[] for _ in inputs]
        for detector in self.detectors:
            for row, found in enumerate(detector.propose(inputs, frames)):
                proposals[row].extend(found)
        probabilities: list[dict[str, tuple[float, float]] | None] = [None] * len(inputs)
        if self.model is not None and inputs:
            # the model reads the frames and the rule hits found above, never computing them again
            rule_labels = [frozenset(p.label for p in found if p.detector == "rules") for found in proposals]
            for row, found in enumerate(self.model.propose(inputs, frames, rule_labels)):
                proposals[row].extend(found)
            matrix, thresholds = self.model.last_probabilities, self.model.last_thresholds
            assert matrix is not None and thresholds is not None
            for row in range(len(inputs)):
                probabilities[row] = {
                    label: (float(matrix[row, column]), float(thresholds[row, column]))
                    for column, label in enumerate(self.model.labels)
                }
        out = [
            combine(
                clause,
                *roles[row],
                frames[row],
                proposals[row],
                probabilities[row],
                stands_alone=None if self.model is not None else 0.0,
                profile=self.profile,
            )
            for row, clause in enumerate(inputs)
        ]
        pending = [
            (row, decision)
            for row, result in enumerate(out)
            for decision in result.decisions
            if decision.method == "model" and decision.frame_index is None
        ]
        self._score_sentences([inputs[row] for row, _ in pending])
        for row, decision in pending:
            decision.start, decision.end = self._model_evidence(inputs[row], decision.label)
        return out

    def detect(self, clauses: Sequence[str | ClauseInput]) -> list[list[Decision]]:
        """The findings of each clause (its own text, with context when given)."""
        return [result.decisions for result in self.analyse(clauses)]

    def _model_evidence(self, clause: ClauseInput, label: str) -> tuple[int, int]:
        """The sentence of ``clause`` to show as the evidence of a finding of the model alone."""
        text = clause.text
        sentences = split_sentences(text, 0, len(text)) or [(0, len(text))]
        if len(sentences) == 1 or self.model is None:
            return sentences[0]
        # The sentence the whole model scores highest for the label is the one to show.
        # Character n-grams alone chose the sentence a rule of the same label matched in
        # 37 of 43 sample cases; the whole model in 39 (models/MODEL_CARD.md).
        self._score_sentences([clause])
        column = list(self.classifier.labels).index(label)
        scores = self._sentence_cache[(text, clause.heading, clause.lead_in)]
        return sentences[int(np.argmax(scores[:, column]))]

    def _score_sentences(self, clauses: list[ClauseInput]) -> None:
        """The model's scores of every sentence of each clause of more than one sentence, in one
        pass of the classifier for all clauses not scored yet (``_sentence_cache``)."""
        if self.model is None:
            return
        wanted: dict[tuple, list[ClauseInput]] = {}
        for clause in clauses:
            key = (clause.text, clause.heading, clause.lead_in)
            if key in self._sentence_cache or key in wanted:
                continue
            sentences = split_sentences(clause.text, 0, len(clause.text))
            if len(sentences) > 1:
                wanted[key] = [
                    ClauseInput(clause.text[s:e], clause.heading, clause.lead_in) for s, e in sentences
                ]
        if not wanted:
            return
        parts = [part for group in wanted.values() for part in group]
        scores = self.classifier.decision_function(
            [
                ClauseSample(
                    part,
                    tuple(self.frame_reader.read(part.text, part.heading, part.lead_in)),
                    frozenset(hit.label for hit in self.rules.run(part.text)),
                )
                for part in parts
            ]
        )
        if len(self._sentence_cache) + len(wanted) > 256:
            self._sentence_cache.clear()
        row = 0
        for key, group in wanted.items():
            self._sentence_cache[key] = scores[row : row + len(group)]
            row += len(group)

    def annotate(self, document: StructuredDocument) -> StructuredDocument:
        """Fill ``role``, ``list_role``, ``frames``, ``findings`` and ``suppressed`` of every
        clause of ``document`` (a list's lead-in leaving a label to the item that carries it),
        then the document-level ``checks`` and ``document_findings`` (in place; also returned)."""
        service = read_service(document.document.text)
        contexts = clause_contexts(document, carrier=service.carries_communications)
        clauses = [clause for clause, _ in contexts]
        results = self.analyse([context for _, context in contexts])
        text = document.document.text
        for clause, result in zip(clauses, results, strict=True):
            clause.role = result.role  # type: ignore[assignment]
            clause.list_role = result.list_role
            clause.frames = [_shift_frame(frame, clause.start) for frame in result.frames]
            clause.findings = [self._finding(text, clause, decision) for decision in result.decisions]
            clause.suppressed = [
                SuppressedFinding(
                    label=s.label, detectors=s.detectors, confidence=s.confidence, reason=s.reason
                )
                for s in result.suppressed
            ]
        return annotate_document(leave_labels_to_items(document), service)

    @staticmethod
    def _finding(text: str, clause: Clause, decision: Decision) -> ClauseFinding:
        label = labels()[decision.label]
        start, end = clause.start + decision.start, clause.start + decision.end
        frame = clause.frames[decision.frame_index] if decision.frame_index is not None else None
        return ClauseFinding(
            label=label.id,
            kind="problem" if label.kind == "problem" else "good_practice",
            guideline_items=guideline_items_for(label.id),
            severity=decision.severity,  # type: ignore[arg-type]
            confidence=decision.confidence,
            method=decision.method,
            evidence=Evidence(start=start, end=end, text=text[start:end]),
            explanation=decision.explanation,
            rule=decision.rule,
            frame=frame.reading if frame is not None else None,
            source=FindingSource(
                detectors=decision.detectors,
                rule=decision.rule,
                rule_file=decision.rule_file,
                pattern=decision.pattern,
                rule_precision=decision.rule_precision,
                model_probability=decision.model_probability,
                model_threshold=decision.model_threshold,
                combination=decision.combination,
                frame_index=decision.frame_index,
                severity_reason=decision.severity_reason,
            ),
        )


def _data_files() -> list:
    """The data and rule files a result depends on, in a fixed order."""
    folders = [resources.files("analyzer.data"), resources.files("analyzer.detect.rules")]
    return [
        entry
        for folder in folders
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".json"))
    ]


def encode_decisions(result: ClauseDecisions) -> bytes:
    """A clause's result as JSON bytes (the cache's value)."""
    return json.dumps(
        {
            "role": result.role,
            "list_role": result.list_role,
            "frames": [frame.model_dump(mode="json") for frame in result.frames],
            "decisions": [asdict(d) for d in result.decisions],
            "suppressed": [asdict(s) for s in result.suppressed],
        },
        ensure_ascii=False,
    ).encode("utf-8")


def decode_decisions(data: bytes) -> ClauseDecisions:
    raw = json.loads(data)
    return ClauseDecisions(
        raw["role"],
        raw["list_role"],
        [Frame.model_validate(frame) for frame in raw["frames"]],
        [Decision(**d) for d in raw["decisions"]],
        [Suppressed(**s) for s in raw["suppressed"]],
    )


def _shift_frame(frame: Frame, offset: int) -> Frame:
    """The frame with offsets into the document text (cues of a lead-in are not the clause's)."""
    shifted = copy_frame(frame)
    shifted.start += offset
    shifted.end += offset
    shifted.cues = [
        FrameCue(slot=c.slot, value=c.value, start=c.start + offset, end=c.end + offset, text=c.text)
        for c in frame.cues
    ]
    return shifted


def clause_contexts(
    document: StructuredDocument, carrier: bool | None = None
) -> list[tuple[Clause, ClauseInput]]:
    """Every clause in document order with the context a reader uses: the nearest heading,
    the lead-in of a list item, its kind, whether it has items, whether it opens the document,
    and whether its provider carries communications (``carrier``; None: not read)."""
    text = document.document.text
    out: list[tuple[Clause, ClauseInput]] = []
    articles = _article_texts(document)
    defined = defined_data(text, frame_lexicon().gate_data)

    def walk(
        clauses: list[Clause],
        heading: str | None,
        lead_in: str | None,
        covering: list[str | None],
        open_lead_in: str | None = None,
        later: list[str | None] | None = None,
    ) -> None:
        after = later or [None] * len(clauses)
        for clause, covered_by, followed_by in zip(clauses, covering, after, strict=True):
            own = text[clause.start : clause.own_end]
            listed_under = lead_in
            if listed_under is None and open_lead_in is not None and _listed(text, clause):
                listed_under = open_lead_in
            # what 「前項」「前条」 refer to, and the articles 「第12条の情報」 names
            window = antecedent_window(own)
            reach = list(range(max(0, len(out) - window), len(out))) if window else []
            here = clause.heading or heading
            if reaches_own_article(own):
                # 「第1項第2号から第5号まで」: the earlier clauses of its own article
                same = [i for i, (_, context) in enumerate(out) if context.heading == here]
                reach = sorted(set(reach) | set(same[-frame_lexicon().own_article_reach :]))
            earlier = [out[i][1].text for i in reach]
            earlier += [articles[key] for key in cited_articles(own) if key in articles]
            out.append(
                (
                    clause,
                    ClauseInput(
                        own,
                        heading=clause.heading or heading,
                        lead_in=listed_under,
                        kind=clause.kind,
                        has_items=bool(clause.clauses),
                        first=not out,
                        antecedent="\n".join(earlier) or None,
                        in_document=True,
                        covering=covered_by,
                        later=followed_by,
                        carrier=carrier,
                        defined=defined,
                    ),
                )
            )
            walk(
                clause.clauses,
                clause.heading or heading,
                own if clause.clauses else None,
                [covered_by] * len(clause.clauses),
                later=[followed_by] * len(clause.clauses),
            )

    def sections(items, heading: str | None, open_lead_in: str | None) -> None:
        for section in items:
            here = section.heading or heading
            # 「以下の利用目的で利用します。」 and then sub-headings 「(1) お客様に関する個人情報」
            # over lines of purposes: the lines are the lead-in's items under each sub-heading,
            # when the list starts right under the sub-heading
            listed = open_lead_in if section.clauses and _listed(text, section.clauses[0]) else None
            walk(
                section.clauses,
                here,
                None,
                _covering(text, section.clauses),
                listed,
                _later(text, section.clauses),
            )
            inner = open_lead_in
            if section.clauses:
                last = section.clauses[-1]
                own = text[last.start : last.own_end]
                # a preamble's 「以下のとおり公表します。」 introduces the document, not a list
                leads = section.kind != "preamble" and not last.clauses and _leads_a_list(own)
                inner = own if leads else None
            sections(section.sections, here, inner)

    sections(document.sections, None, None)
    out.sort(key=lambda pair: (pair[0].start, -pair[0].end))
    return out


def _listed(text: str, clause: Clause) -> bool:
    """Whether a clause reads as a list's item: one phrase on its first line, no sentence."""
    return list_phrase(text[clause.start : clause.own_end].split("\n", 1)[0])


def _leads_a_list(own: str) -> bool:
    """A clause that announces a list of something a reader names (「以下の目的で利用します。」: purposes,
    data items, grounds, acts, exceptions, recipients) and is followed by none of its own. A lead-in
    to a contact desk (「以下の窓口までご連絡ください。」) lists nothing of the kind."""
    return (
        bool(LEAD_IN.search(own))
        and own.rstrip().endswith(("。", "：", ":"))
        and list_role(own) not in (None, "other")
    )


def _covering(text: str, paragraphs: list[Clause]) -> list[str | None]:
    """For each paragraph of a section, the later paragraphs that speak of it: those that reach
    back over all earlier ones (「前各項」「本条の」) and the next one when it says 「前項」."""
    lex = frame_lexicon()
    owns = [text[p.start : p.own_end] for p in paragraphs]
    copies = [normalize(own).text for own in owns]
    out: list[str | None] = []
    for index in range(len(owns)):
        later = [
            owns[j]
            for j in range(index + 1, len(owns))
            if lex.covers_all_earlier.search(copies[j])
            or (j == index + 1 and lex.covers_previous.search(copies[j]))
        ]
        out.append("\n".join(later) or None)
    return out


def _later(text: str, paragraphs: list[Clause]) -> list[str | None]:
    """For each paragraph of a section, the text of the paragraphs after it (with their items)."""
    return [
        "\n".join(text[p.start : p.end] for p in paragraphs[i + 1 :]) or None for i in range(len(paragraphs))
    ]


def _article_texts(document: StructuredDocument) -> dict[str, str]:
    """The own text of every article's clauses, by its number (第12条, 第24条の3)."""
    text = document.document.text
    out: dict[str, str] = {}
    for section in document.iter_sections():
        if section.kind != "article" or not section.marker:
            continue
        match = ARTICLE_CITATION.search(normalize(section.marker).text)
        if match is None:
            continue
        own = [text[c.start : c.own_end] for c in section.clauses]
        out.setdefault(article_key(*match.groups()), "\n".join(own))
    return out


def load_model(path: Path | None = None):
    """The fitted :class:`~analyzer.detect.clause_model.ClauseModel` at ``path`` (default: the
    shipped model, see :mod:`analyzer.model_files`), or None when there is no file."""
    from analyzer.detect.model_store import read_model

    path = path or model_files.path(model_files.CLAUSE_MODEL)
    if not path.exists():
        return None
    return read_model(path)
