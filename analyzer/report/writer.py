"""Write the batch reports from the per-document outputs, one document at a time: the CSV
tables from the Parquet dataset (``dataset.py``), ``report.html`` and ``summary.md`` from the
``scores`` rows and the analyses of the documents they describe in full."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analyzer.atomic import atomic_target
from analyzer.model import StructuredDocument
from analyzer.report import dataset
from analyzer.report.html import report_chunks
from analyzer.report.markdown import summary_chunks
from analyzer.report.tables import detail_limit, triage_order

FORMATS = ("json", "csv", "parquet", "html", "md")


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
    return chosen


def write_reports(
    out_dir: Path,
    names: list[str],
    formats: tuple[str, ...],
    load: Callable[[str], StructuredDocument],
    tables_root: Path | None = None,
    carriers: list[dict] | None = None,
) -> list[Path]:
    """The batch's reports for the documents ``names`` (whose parts are in the dataset under
    ``tables_root``, default ``out_dir``; ``load(name)`` reads one analysis): the CSV tables,
    ``report.html`` (with the carrier sets' section when ``carriers`` are given), ``summary.md``;
    with ``parquet``, the dataset itself is among the outputs."""
    root = tables_root or out_dir
    written: list[Path] = []
    if "csv" in formats:
        written += dataset.export_csv(root, names, out_dir)
    makers = {"report.html": ("html", report_chunks), "summary.md": ("md", summary_chunks)}
    index: list[dict] | None = None
    for page, (fmt, chunks) in makers.items():
        if fmt not in formats:
            continue
        if index is None:
            index = list(dataset.rows(root, "scores", names))
        detailed = [row["document"] for row in triage_order(index)[: detail_limit()]]
        documents = ((name, load(name)) for name in detailed)
        with atomic_target(out_dir / page) as target, target.open("w", encoding="utf-8") as stream:
            pieces = chunks(index, documents, carriers) if page == "report.html" else chunks(index, documents)
            for chunk in pieces:
                stream.write(chunk)
        written.append(out_dir / page)
    if "parquet" in formats:
        written.append(out_dir / dataset.DATASET_FOLDER)
    return written
