"""The batch's tables as a Parquet dataset written one document at a time.

``OUT/tables/findings/<name>.parquet``, ``OUT/tables/scores/<name>.parquet`` and
``OUT/tables/guideline_items/<name>.parquet``: each finished document adds its own part (written
atomically by the process that analysed it), so a growing batch never holds its rows in memory,
a resumed batch never rewrites a finished part and a re-analysed document replaces only its own.
``findings.csv`` and the other CSVs are exported from the parts, one document at a time.
Query the folder as one table, e.g. with DuckDB:
``SELECT label, count(*) FROM 'OUT/tables/findings/*.parquet' GROUP BY label``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analyzer.atomic import atomic_target
from analyzer.model import StructuredDocument
from analyzer.report.safe import csv_cell
from analyzer.report.tables import COLUMN_TYPES, TABLES

DATASET_FOLDER = "tables"

_ARROW = {"string": pa.string(), "int": pa.int64(), "float": pa.float64()}


def schema(table: str) -> pa.Schema:
    """The fixed Arrow schema of ``table``: every part of the dataset has it, so the folder
    reads as one table."""
    columns, _ = TABLES[table]
    return pa.schema([(column, _ARROW[COLUMN_TYPES.get(column, "string")]) for column in columns])


def part_path(root: Path, table: str, name: str) -> Path:
    return root / DATASET_FOLDER / table / f"{name}.parquet"


def write_document(root: Path, name: str, document: StructuredDocument) -> list[Path]:
    """The document's rows of every table, each table's part written atomically."""
    written = []
    for table, (columns, make) in TABLES.items():
        rows = make(document, name)
        data = {column: [_cell(row.get(column)) for row in rows] for column in columns}
        path = part_path(root, table, name)
        with atomic_target(path) as temporary:
            pq.write_table(pa.table(data, schema=schema(table)), temporary)
        written.append(path)
    return written


def _cell(value):
    return None if value == "" else value


def has_document(root: Path, name: str) -> bool:
    return all(part_path(root, table, name).is_file() for table in TABLES)


def remove_document(root: Path, name: str) -> None:
    for table in TABLES:
        part_path(root, table, name).unlink(missing_ok=True)


def prune(root: Path, keep: set[str]) -> None:
    """Drop the parts of documents outside ``keep`` (an earlier batch into the same folder) and
    the temporary files of a batch killed while writing a part."""
    for table in TABLES:
        folder = root / DATASET_FOLDER / table
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            partial = path.name.startswith(".") and path.name.endswith(".tmp")
            if partial or (path.suffix == ".parquet" and path.stem not in keep):
                path.unlink(missing_ok=True)


def rows(root: Path, table: str, names: Iterable[str]) -> Iterator[dict]:
    """The rows of ``table`` for ``names`` in that order, read one part at a time."""
    for name in names:
        path = part_path(root, table, name)
        if path.is_file():
            yield from pq.read_table(path).to_pylist()


def export_csv(root: Path, names: list[str], out_dir: Path | None = None) -> list[Path]:
    """``findings.csv``, ``scores.csv`` and ``guideline_items.csv`` from the dataset (UTF-8 with
    BOM, which spreadsheet programs read as UTF-8), streamed, each written atomically; a text
    cell a spreadsheet would run as a formula starts with an apostrophe (``safe.csv_cell``; the
    Parquet tables keep the text as it is). The dataset is under ``root``, the CSVs go to
    ``out_dir`` (default ``root``)."""
    written = []
    for table, (columns, _) in TABLES.items():
        path = (out_dir or root) / f"{table}.csv"
        with atomic_target(path) as temp, temp.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            for row in rows(root, table, names):
                writer.writerow({k: "" if v is None else csv_cell(v) for k, v in row.items()})
        written.append(path)
    return written
