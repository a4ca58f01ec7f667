"""A verdict on each of the guideline's 27 items: raised (with the findings behind it), not
raised, or needing operational evidence (with what the document says on the topic).
The mapping is data: guideline_items.yaml."""

from __future__ import annotations

from analyzer.detect.document.walk import placed_clauses
from analyzer.model import (
    DocumentFinding,
    GuidelineItemVerdict,
    ItemFindingRef,
    ItemStatement,
    StructuredDocument,
)
from analyzer.settings import compiled, guideline_item_specs

STATUS_JA = {
    "raised": "該当の疑い",
    "not_raised": "文書上は該当なし",
    "needs_operational_evidence": "文書外の確認が必要",
}
MAX_STATEMENTS = 5


def _check_matches(check: str, finding: DocumentFinding) -> bool:
    return finding.id == check or finding.id.startswith(check + ":")


def judge_items(document: StructuredDocument, findings: list[DocumentFinding]) -> list[GuidelineItemVerdict]:
    placed = list(placed_clauses(document))
    verdicts = []
    for item, spec in guideline_item_specs().items():
        refs: list[ItemFindingRef] = []
        raising = set(spec.get("labels", []))
        for p in placed:
            for finding in p.clause.findings:
                if finding.label in raising:
                    refs.append(
                        ItemFindingRef(
                            source="clause",
                            label=finding.label,
                            clause_path=p.clause.path,
                            confidence=finding.confidence,
                            evidence=finding.evidence,
                        )
                    )
        for check in spec.get("checks", []):
            for finding in findings:
                if _check_matches(check, finding):
                    refs.append(
                        ItemFindingRef(
                            source="document",
                            label=finding.label,
                            finding_id=finding.id,
                            confidence=finding.confidence,
                            evidence=finding.evidence[0] if finding.evidence else None,
                        )
                    )
        evidence_kind = spec["evidence"]
        if refs:
            status = "raised"
        elif "ops" in evidence_kind:
            status = "needs_operational_evidence"
        else:
            status = "not_raised"
        statements = _statements(placed, spec.get("statements")) if "ops" in evidence_kind else []
        related = [f.id for check in spec.get("related", []) for f in findings if _check_matches(check, f)]
        note = ""
        if status == "needs_operational_evidence":
            note = "文書の記載だけでは判断できません。運用の実態（規程・記録・事故報告等）の確認が必要です。"
        if related:
            note = (note + " 関連する文書上の指摘: " + ", ".join(related)).strip()
        verdicts.append(
            GuidelineItemVerdict(
                item=item,
                title=spec["title"],
                evidence_kind=evidence_kind,
                status=status,
                status_ja=STATUS_JA[status],
                findings=sorted(refs, key=lambda r: -r.confidence),
                statements=statements,
                note=note,
            )
        )
    return verdicts


def _statements(placed, spec: dict | None) -> list[ItemStatement]:
    if not spec:
        return []
    wanted = set(spec.get("labels", []))
    pattern = compiled(spec["pattern"]) if spec.get("pattern") else None
    out = []
    for p in placed:
        own = p.clause.own_text
        if wanted & set(p.labels) or (pattern and pattern.search(own)):
            end = p.clause.start + len(own)
            out.append(ItemStatement(clause_path=p.clause.path, start=p.clause.start, end=end, text=own))
        if len(out) >= MAX_STATEMENTS:
            break
    return out
