"""``OUT/carriers/<carrier>.json`` (one per carrier set: its documents, what none of them
discloses, the 27 items at carrier level, the contradictions between its documents) and
``carriers.csv`` (a row per carrier), each written atomically."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from analyzer.atomic import atomic_target, write_atomic
from analyzer.report.safe import csv_row

CARRIER_COLUMNS = [
    "carrier", "documents", "files", "absent", "items_raised", "items_needing_operational_evidence",
    "contradictions", "contradiction_topics",
]  # fmt: skip


def carrier_file_name(report: dict) -> str:
    """A file name for the carrier (its key, without characters a file system refuses)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", report["key"]).strip(". ") or "carrier"


def carrier_row(report: dict) -> list:
    """The report's row of ``carriers.csv``."""
    items = report["guideline_items"]
    return [
        report["carrier"],
        len(report["documents"]),
        ";".join(d["file"] for d in report["documents"]),
        ";".join(a["label"] for a in report["absent"]),
        sum(1 for i in items if i["status"] == "raised"),
        sum(1 for i in items if i["status"] == "needs_operational_evidence"),
        len(report["contradictions"]),
        ";".join(sorted({c["topic"] for c in report["contradictions"]})),
    ]


def write_carrier(out_dir: Path, report: dict) -> Path:
    """``OUT/carriers/<carrier>.json``, atomically."""
    path = out_dir / "carriers" / f"{carrier_file_name(report)}.json"
    write_atomic(path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return path


def write_carrier_table(out_dir: Path, rows: list[list]) -> Path:
    """``carriers.csv`` from the rows of :func:`carrier_row`, atomically."""
    table = out_dir / "carriers.csv"
    with atomic_target(table) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CARRIER_COLUMNS)
        writer.writerows(csv_row(row) for row in rows)
    return table


def write_carriers(out_dir: Path, reports: list[dict]) -> list[Path]:
    """Every carrier's file and ``carriers.csv``."""
    written = [write_carrier(out_dir, report) for report in reports]
    written.append(write_carrier_table(out_dir, [carrier_row(r) for r in reports]))
    return written
