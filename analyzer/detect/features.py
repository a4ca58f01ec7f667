"""Context features of a clause for the classifier: its role, what its lead-in lists, and the
slots of its information-handling frames (frames.md: "Frames are also features of the
classifier"). One 0/1 column per name in :data:`FEATURE_NAMES`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analyzer.detect.frame_checks import CHECKS, excess_purposes, outside_recipients, run_checks
from analyzer.detect.roles import ClauseInput, clause_role
from analyzer.model import Frame

ROLES = (
    "title",
    "heading",
    "definition",
    "list_item",
    "revision_history",
    "contact_block",
    "lead_in",
    "body",
)
LIST_ROLES = (
    "purposes",
    "data_items",
    "recipients",
    "exceptions",
    "suspension_grounds",
    "prohibited_acts",
    "consent_items",
    "other",
)
DATA = (
    "comms_content",
    "comms_metadata",
    "browsing",
    "location_network",
    "location_device",
    "device_ids",
    "subscriber",
    "derived",
)
CONSENT = ("individual", "via_terms", "deemed_by_use", "opt_out", "none_sought", "legal_basis")
ACTIONS = ("acquire", "analyse", "use", "provide", "retain", "delete", "stop")
RETENTION = ("period", "until_purpose", "indefinite", "extendable")

FEATURE_NAMES: tuple[str, ...] = (
    *(f"role:{r}" for r in ROLES),
    *(f"list:{r}" for r in LIST_ROLES),
    *(f"data:{d}" for d in DATA),
    *(f"secrecy_data:{c}" for c in CONSENT),
    *(f"consent:{c}" for c in CONSENT),
    *(f"action:{a}" for a in ACTIONS),
    *(f"retention:{r}" for r in RETENTION),
    "secrecy",
    "secrecy_affirmed",
    "secrecy_negated",
    "limited",
    "negated",
    "condition:required_for_service",
    "condition:cannot_stop",
    "condition:optional",
    "purpose:beyond_service",
    "recipient:outside",
    *(f"check:{c}" for c in CHECKS),
)
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}


def context_features(clauses: Sequence[ClauseInput], frames: Sequence[list[Frame]]) -> np.ndarray:
    """``(n_clauses, len(FEATURE_NAMES))`` 0/1 matrix."""
    matrix = np.zeros((len(clauses), len(FEATURE_NAMES)), dtype=np.float32)
    for row, (clause, clause_frames) in enumerate(zip(clauses, frames, strict=True)):
        on: set[str] = set()
        role, list_role = clause_role(clause)
        on.add(f"role:{role}")
        if list_role:
            on.add(f"list:{list_role}")
        for frame in clause_frames:
            on.update(f"data:{d}" for d in frame.data)
            on.update(f"consent:{c}" for c in frame.consent)
            on.update(f"action:{a}" for a in frame.actions)
            if frame.retention:
                on.add(f"retention:{frame.retention}")
            if frame.condition:
                on.add(f"condition:{frame.condition}")
            if frame.polarity in ("negated", "limited"):
                on.add(frame.polarity)
            if set(frame.purposes) & excess_purposes():
                on.add("purpose:beyond_service")
            if set(frame.recipients) & outside_recipients():
                on.add("recipient:outside")
            if frame.protected:
                on.add("secrecy")
                on.add("secrecy_negated" if frame.polarity == "negated" else "secrecy_affirmed")
                on.update(f"secrecy_data:{c}" for c in frame.consent)
        on.update(f"check:{check.id}" for check, _ in run_checks(list(clause_frames)))
        for name in on:
            if name in _INDEX:
                matrix[row, _INDEX[name]] = 1.0
    return matrix
