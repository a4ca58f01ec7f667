"""The clause detectors. Each one reads a batch of clauses (with their context and frames) and
proposes labels, every proposal carrying what the report needs to explain it: the detector's
name, the rule and the pattern that matched, the measured precision, or the model's calibrated
probability and threshold. ``combine.py`` turns the proposals into findings.

They share one small interface, :class:`ClauseDetector`, and are listed by name in
``registry.py`` (as recognizers are in Presidio's registry).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from analyzer import settings
from analyzer.detect.clause_features import ClauseSample
from analyzer.detect.document.service import handles_protected_data
from analyzer.detect.frame_checks import run_checks
from analyzer.detect.roles import ClauseInput
from analyzer.detect.rule_engine import RuleEngine
from analyzer.model import Frame


@dataclass(frozen=True)
class Proposal:
    """A label one detector proposes for one clause; ``start``/``end`` are offsets into the
    clause text (the evidence)."""

    label: str
    detector: str
    confidence: float
    start: int
    end: int
    explanation: str
    rule: str | None = None
    rule_file: str | None = None
    pattern: str | None = None
    precision: float | None = None
    probability: float | None = None
    threshold: float | None = None
    frame_index: int | None = None


class ClauseDetector(Protocol):
    name: str

    def propose(self, clauses: Sequence[ClauseInput], frames: Sequence[list[Frame]]) -> list[list[Proposal]]:
        """Proposals for each clause, in order."""
        ...


class RuleDetector:
    """YAML rules (``analyzer/detect/rules/*.yaml``); confidence is the rule's measured
    precision on the training corpus, or the confidence its file states when unmeasured."""

    name = "rules"

    def __init__(self, engine: RuleEngine, precision: dict[str, float] | None = None) -> None:
        self.engine = engine
        self.precision = precision or {}

    def propose(self, clauses: Sequence[ClauseInput], frames: Sequence[list[Frame]]) -> list[list[Proposal]]:
        out = []
        for clause in clauses:
            proposals = []
            for hit in self.engine.run(clause.text):
                precision = float(self.precision.get(hit.rule.id, hit.rule.confidence))
                proposals.append(
                    Proposal(
                        hit.label,
                        self.name,
                        precision,
                        hit.start,
                        hit.end,
                        hit.rule.explanation,
                        rule=hit.rule.id,
                        rule_file=hit.rule.source,
                        pattern=hit.pattern,
                        precision=precision,
                    )
                )
            out.append(proposals)
        return out


class FrameCheckDetector:
    """Secrecy patterns read from the frames (``frame_checks.py``); evidence is the sentence of
    the frame."""

    name = "frame_checks"

    def __init__(self, precision: dict[str, float] | None = None) -> None:
        self.precision = precision or {}

    def propose(self, clauses: Sequence[ClauseInput], frames: Sequence[list[Frame]]) -> list[list[Proposal]]:
        out = []
        for clause_frames in frames:
            proposals = []
            for check, index in run_checks(clause_frames):
                frame = clause_frames[index]
                precision = float(self.precision.get(check.id, 0.5))
                proposals.append(
                    Proposal(
                        check.label,
                        self.name,
                        precision,
                        frame.start,
                        frame.end,
                        check.explanation,
                        rule=check.id,
                        precision=precision,
                        frame_index=index,
                    )
                )
            out.append(proposals)
        return out


class ModelDetector:
    """The trained clause classifier; proposes every label whose calibrated probability reaches
    the label's threshold, and keeps every probability for the combination step."""

    name = "clause_model"

    def __init__(
        self, classifier, explanations: dict[str, str], fast: bool = False, thorough: bool = False
    ) -> None:
        self.classifier = classifier
        self.explanations = explanations
        # a cascade reads every clause with its fast model; its encoder's classifier reads again
        # the clauses near a threshold of the labels of encoder.yaml (the secrecy labels); with
        # ``thorough`` near any label's threshold; with ``fast`` none (no sentence encoder)
        self.route_labels: list[str] | None = (
            [] if fast else None if thorough else list(settings.encoder_routing()["route_labels"])
        )
        self.thorough = thorough
        self.last_probabilities: np.ndarray | None = None
        self.last_thresholds: np.ndarray | None = None

    @property
    def labels(self) -> list[str]:
        return list(self.classifier.labels)

    def probabilities(self, samples: Sequence[ClauseSample]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities and the threshold each is compared with (per clause: a
        cascade reads some clauses with its fast model and some with its full one)."""
        if not samples:
            empty = np.zeros((0, len(self.labels)))
            return empty, empty
        if hasattr(self.classifier, "fast_"):
            # training may choose a band of 0 (the fast classifier within max_f1_loss of e5's): the
            # default then reads as --fast does, and --thorough still asks e5 where a label is close
            band = (
                max(self.classifier.band_, float(settings.encoder_routing()["thorough_min_band"]))
                if self.thorough
                else None
            )
            return self.classifier.probabilities_and_thresholds(
                list(samples), band=band, labels=self.route_labels, routable=self._routable(samples)
            )
        return self.classifier.probabilities_and_thresholds(list(samples))

    def _routable(self, samples: Sequence[ClauseSample]) -> list[bool] | None:
        """When routing on the secrecy labels only: the clauses that handle protected data at
        all. Without such a frame no secrecy label can be reported (combine.py), so no secrecy
        label is in doubt and the encoder has nothing to settle."""
        if not self.route_labels or not settings.encoder_routing().get("only_with_protected_data"):
            return None
        return [
            handles_protected_data(list(sample.frames or ()), sample.clause.carrier) for sample in samples
        ]

    def propose(
        self,
        clauses: Sequence[ClauseInput],
        frames: Sequence[list[Frame]],
        rule_labels: Sequence[frozenset[str]] | None = None,
    ) -> list[list[Proposal]]:
        """Proposals for each clause; ``rule_labels`` (what the rule detector found on each) are
        features of the model, given so that the rules do not run twice."""
        samples = [
            ClauseSample(clause, tuple(found), rule_labels[row] if rule_labels is not None else None)
            for row, (clause, found) in enumerate(zip(clauses, frames, strict=True))
        ]
        probabilities, thresholds = self.probabilities(samples)
        self.last_probabilities, self.last_thresholds = probabilities, thresholds
        out = []
        for row, sample in enumerate(samples):
            proposals = []
            for column, label in enumerate(self.labels):
                probability = float(probabilities[row, column])
                threshold = float(thresholds[row, column])
                if probability >= threshold:
                    proposals.append(
                        Proposal(
                            label,
                            self.name,
                            probability,
                            0,
                            len(sample.clause.text),
                            self.explanations[label],
                            probability=probability,
                            threshold=threshold,
                        )
                    )
            out.append(proposals)
        return out
