"""The fixed label IDs and guideline items (a copy of the product taxonomy's labels.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Label:
    id: str
    ja: str
    kind: str  # "problem" | "good_practice"
    guideline_items: tuple[str, ...]
    severity: str | None


# Severities in order (a finding without one ranks lowest).
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1, None: 0}


@cache
def _raw() -> dict:
    return json.loads(resources.files("analyzer.data").joinpath("labels.json").read_text("utf-8"))


@cache
def labels() -> dict[str, Label]:
    """Every label by id, problem labels first, in the taxonomy's order."""
    out: dict[str, Label] = {}
    for entry in _raw()["problem_labels"]:
        out[entry["id"]] = Label(
            entry["id"], entry["ja"], "problem", tuple(entry["guideline"]), entry["severity"]
        )
    for entry in _raw()["good_practice_labels"]:
        out[entry["id"]] = Label(entry["id"], entry["ja"], "good_practice", (), None)
    return out


def problem_labels() -> list[str]:
    return [label.id for label in labels().values() if label.kind == "problem"]


def good_practice_labels() -> list[str]:
    return [label.id for label in labels().values() if label.kind == "good_practice"]


def all_labels() -> list[str]:
    return list(labels())


@cache
def guideline_items() -> dict[str, dict]:
    return {item["id"]: item for item in _raw()["guideline_items"]}
