"""Write the batch reports next to the per-document JSON files."""

from __future__ import annotations

from pathlib import Path

from analyzer.atomic import write_atomic
from analyzer.model import StructuredDocument
from analyzer.report.html import render_report
from analyzer.report.markdown import render_summary
from analyzer.report.tables import write_tables

FORMATS = ("json", "csv", "parquet", "html", "md")
DEFAULT_FORMATS = ("json", "csv", "html", "md")


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
    return chosen


def write_reports(
    documents: list[tuple[str, StructuredDocument]], out_dir: Path, formats: tuple[str, ...]
) -> list[Path]:
    """findings/scores/guideline_items tables (csv, parquet), report.html and summary.md."""
    written: list[Path] = []
    if "csv" in formats or "parquet" in formats:
        tables = write_tables(documents, out_dir, parquet="parquet" in formats)
        if "csv" not in formats:
            for path in tables:
                if path.suffix == ".csv":
                    path.unlink()
            tables = [p for p in tables if p.suffix != ".csv"]
        written += tables
    if "html" in formats:
        path = out_dir / "report.html"
        write_atomic(path, render_report(documents))
        written.append(path)
    if "md" in formats:
        path = out_dir / "summary.md"
        write_atomic(path, render_summary(documents))
        written.append(path)
    return written
