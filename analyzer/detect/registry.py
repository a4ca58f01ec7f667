"""Every detector by name, in one place.

Clause detectors propose labels for clauses (``detectors.py``); document checks read a whole
document whose clauses carry findings (``document/``). A finding records the names of the
detectors behind it, so a reader can look each one up here.
"""

from __future__ import annotations

from analyzer.detect.detectors import FrameCheckDetector, ModelDetector, RuleDetector

# name -> the class that implements it, and what it does (shown by ``analyzer explain``)
CLAUSE_DETECTORS: dict[str, tuple[type, str]] = {
    RuleDetector.name: (RuleDetector, "YAML rules over the NFKC text, Sudachi tokens or a GiNZA parse"),
    FrameCheckDetector.name: (FrameCheckDetector, "secrecy patterns read from information-handling frames"),
    ModelDetector.name: (ModelDetector, "trained multi-label classifier (calibrated probabilities)"),
}

DOCUMENT_CHECKS: dict[str, str] = {
    "absent": "good practices a document of its type is expected to show and does not",
    "contacts": "contact channels and hours (4-i, 4-iv)",
    "transmission": "external-transmission entries: information, recipient, purpose (27条の12)",
    "references": "「別途定める」「当社所定の」 rules never named",
    "readability": "readability thresholds (1-i)",
}


def describe(name: str) -> str:
    """What the detector or check called ``name`` does."""
    if name in CLAUSE_DETECTORS:
        return CLAUSE_DETECTORS[name][1]
    return DOCUMENT_CHECKS.get(name, name)
