"""Document checks, guideline-item verdicts and overreach ranking against the hand-read
document gold (``corpora/documents/document_gold.yaml``)."""

from __future__ import annotations

from pathlib import Path

import yaml
from scipy.stats import kendalltau

from analyzer.model import StructuredDocument


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _counts(tp: int, fp: int, fn: int) -> dict:
    return {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "tp": tp, "fp": fp, "fn": fn}


def evaluate_document_checks(documents: dict[str, StructuredDocument], gold_file: Path) -> dict:
    """``documents`` maps gold ids to analysed documents."""
    gold = yaml.safe_load(gold_file.read_text("utf-8"))
    absent_tp = absent_fp = absent_fn = 0
    item_tp = item_fp = item_fn = 0
    per_document = {}
    tiers, scores = [], []
    contact_agree = transmission_agree = 0
    for doc_id, expected in gold.items():
        document = documents[doc_id]
        found_absent = {f.label for f in document.document_findings if f.kind == "absent"}
        want_absent = set(expected["absent"])
        raised = {v.item for v in document.guideline_items if v.status == "raised"}
        want_items = set(expected["raised_items"])
        absent_tp += len(found_absent & want_absent)
        absent_fp += len(found_absent - want_absent)
        absent_fn += len(want_absent - found_absent)
        item_tp += len(raised & want_items)
        item_fp += len(raised - want_items)
        item_fn += len(want_items - raised)
        assert document.checks is not None and document.scores is not None
        contacts = document.checks.contacts
        contact_ok = len(contacts.channels) >= 2 and contacts.hours_stated
        contact_agree += contact_ok == expected["contact_ok"]
        incomplete = sorted(e.path for e in document.checks.external_transmission if not e.complete)
        transmission_agree += incomplete == sorted(expected["transmission_incomplete"])
        tiers.append(expected["overreach_tier"])
        scores.append(document.scores.overreach.score)
        per_document[doc_id] = {
            "absent_missed": sorted(want_absent - found_absent),
            "absent_extra": sorted(found_absent - want_absent),
            "items_missed": sorted(want_items - raised),
            "items_extra": sorted(raised - want_items),
            "contact_ok": contact_ok,
            "transmission_incomplete": incomplete,
            "overreach": document.scores.overreach.score,
            "overreach_tier": expected["overreach_tier"],
            "transparency": document.scores.transparency.score,
        }
    # Tier 1 is the furthest reach: a higher score should go with a lower tier.
    tau = kendalltau([-t for t in tiers], scores).statistic
    return {
        "documents": len(gold),
        "absent": _counts(absent_tp, absent_fp, absent_fn),
        "raised_items": _counts(item_tp, item_fp, item_fn),
        "overreach_kendall_tau_b": round(float(tau), 4),
        "contact_check_agreement": _ratio(contact_agree, len(gold)),
        "transmission_check_agreement": _ratio(transmission_agree, len(gold)),
        "per_document": per_document,
    }
