"""One line per screened document (``analyzer screen``): OK/NG, the worst finding, where, how
sure, which guideline items, the evidence — with no control character from the document."""

from __future__ import annotations

from analyzer.compare.screening import ScreenResult
from analyzer.report.safe import terminal_text
from analyzer.settings import severity_ja


def format_line(result: ScreenResult) -> str:
    status = "NG" if result.failed else "OK"
    if result.worst is None:
        return terminal_text(f"{status}\t{result.name}\t指摘なし")
    w = result.worst
    evidence = " ".join(w.evidence.split())
    evidence = evidence if len(evidence) <= 60 else evidence[:59] + "…"
    items = ",".join(w.items)
    quoted = f"「{evidence}」" if evidence else "—"
    return terminal_text(
        f"{status}\t{result.name}\t[{severity_ja(w.severity)}] {w.name} ({w.label})\t{w.where}\t"
        f"{w.confidence:.2f}\t{items}\t{quoted}\t計{result.counted}件"
    )
