"""The data files that steer document checks and scores, loaded once per process."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("analyzer.data").joinpath(name).read_text("utf-8"))


@cache
def scoring() -> dict:
    """Weights and thresholds (``analyzer/data/scoring.yaml``)."""
    return _load("scoring.yaml")


@cache
def document_patterns() -> dict:
    """Patterns of the document checks (``analyzer/data/document_patterns.yaml``)."""
    return _load("document_patterns.yaml")


@cache
def guideline_item_specs() -> dict[str, dict]:
    """The 27 guideline items and what raises each (``analyzer/data/guideline_items.yaml``)."""
    return _load("guideline_items.yaml")


@cache
def label_texts() -> dict[str, dict]:
    """Japanese explanation of each label (``analyzer/data/label_texts.yaml``)."""
    return _load("label_texts.yaml")


def items_raised_by(check: str) -> list[str]:
    """The guideline items whose ``checks`` (guideline_items.yaml) include the document check
    ``check`` (``contact_channels``, ``unresolved_reference``, ``absent:<label>``…)."""
    return [item for item, spec in guideline_item_specs().items() if check in spec.get("checks", [])]


@cache
def names_ja() -> dict:
    """Japanese names of document types and severities (``analyzer/data/names_ja.yaml``)."""
    return _load("names_ja.yaml")


def doc_type_ja(doc_type: str, form: str = "title") -> str:
    """The Japanese name of ``doc_type`` (``form``: ``title`` or ``in_sentence``)."""
    entry = names_ja()["doc_types"].get(doc_type)
    return entry[form] if entry else doc_type


def severity_ja(severity: str | None, missing: str = "") -> str:
    """高・中・低 for a severity; ``missing`` for none."""
    return names_ja()["severities"].get(severity or "", missing)


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def carrier_sets() -> dict:
    """Carrier grouping and contradiction topics (``analyzer/data/carriers.yaml``)."""
    return _load("carriers.yaml")


@cache
def limits() -> dict:
    """What one input may be and expand to (``analyzer/data/limits.yaml``)."""
    return _load("limits.yaml")


@cache
def clause_model() -> dict:
    """The clause model's feature blocks, classifier and calibration settings
    (``analyzer/data/clause_model.yaml``)."""
    return _load("clause_model.yaml")


@cache
def encoder_routing() -> dict:
    """Which clauses the cascade's encoder reads at run time (``analyzer/data/encoder.yaml``)."""
    return _load("encoder.yaml")


@cache
def communications_service() -> dict:
    """The cues that show a provider carries its users' communications
    (``analyzer/data/service.yaml``)."""
    return _load("service.yaml")


def data_bytes(name: str) -> bytes:
    """The raw bytes of a data file (for fingerprints)."""
    return resources.files("analyzer.data").joinpath(name).read_bytes()
