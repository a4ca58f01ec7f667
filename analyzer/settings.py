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


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
