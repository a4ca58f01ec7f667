"""A list's lead-in of grounds leaves a problem label to the item that carries it.

Taxonomy §5: list lead-ins carry no label, each item carries its own. 「当社は、ユーザーが以下の
いずれかに該当する場合には、事前の通知なく…利用を制限できるものとします。」 states a power over
named grounds; the item 「その他、当社が…適当でないと判断した場合」 is where it becomes unilateral,
and the clause classifier flags both. On real documents the finding on such a lead-in was judged
wrong where its catch-all item carried the same label (field check 18). A lead-in whose own text is
the operator's discretion (「…に該当すると当社が判断したときは」) keeps its label, as does one none of
whose items carries it: the power then rests on the lead-in.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.detect.document.walk import placed_clauses
from analyzer.detect.roles import policy
from analyzer.model import Clause, StructuredDocument, SuppressedFinding
from analyzer.normalize import normalize


def _items(clause: Clause) -> Iterator[Clause]:
    for item in clause.clauses:
        yield item
        yield from _items(item)


def leave_labels_to_items(document: StructuredDocument) -> StructuredDocument:
    """Move a lead-in's finding of a label in roles.yaml ``lead_in_leaves_to_items`` that one of its
    items also carries to the lead-in's ``suppressed``, naming the item, unless the lead-in's own
    text is the operator's discretion (in place; also returned)."""
    rules = policy()
    for placed in placed_clauses(document):
        lead_in = placed.clause
        if not lead_in.clauses or not any(f.label in rules.leaves_to_items for f in lead_in.findings):
            continue
        if rules.discretionary_ground.search(normalize(lead_in.own_text).text):
            continue
        carried: dict[str, str] = {}
        for item in _items(lead_in):
            for finding in item.findings:
                if finding.label in rules.leaves_to_items and finding.label not in carried:
                    carried[finding.label] = item.path
                    # the item's finding names the power its lead-in states
                    power = " ".join(lead_in.own_text.split())
                    power = power if len(power) <= 60 else power[:59] + "…"
                    finding.explanation += f"（列挙の導入文「{power}」が定める権限の裁量的な事由です）"
        kept = []
        for finding in lead_in.findings:
            if finding.label not in carried:
                kept.append(finding)
                continue
            lead_in.suppressed.append(
                SuppressedFinding(
                    label=finding.label,
                    detectors=list(finding.source.detectors) if finding.source else [],
                    confidence=finding.confidence,
                    reason=(
                        f"列挙の導入文です。このラベルは裁量的な事由を挙げる各号（{carried[finding.label]}）"
                        "が負い、導入文自身は当社の判断に拠る事由を述べていません"
                    ),
                )
            )
        lead_in.findings = kept
    return document
