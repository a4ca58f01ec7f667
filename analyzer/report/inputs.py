"""What the report commands read: analysis JSON files (``analyzer analyze`` output, or folders
of them) or documents, which are analysed on the way."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from analyzer.errors import AnalyzerError
from analyzer.model import StructuredDocument

REPORT_FILES = {
    "findings", "scores", "guideline_items", "errors", "skipped", "report", "summary", "compare", "diff",
}  # fmt: skip


def load_analysis(path: Path) -> StructuredDocument:
    """An ``analyzer analyze`` JSON file; raises AnalyzerError naming the file and the reason."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return StructuredDocument.model_validate(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnalyzerError(
            f"分析結果の JSON を読めません: {error}", f"cannot read analysis JSON: {error}", path=str(path)
        ) from error
    except ValidationError as error:
        raise AnalyzerError(
            "analyzer analyze の出力形式ではありません",
            f"not an analyzer analyze output: {error.error_count()} schema errors",
            path=str(path),
        ) from error


def _analysis_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.glob("*.json")
        if not p.name.endswith(".structure.json")
        and p.stem not in REPORT_FILES
        and not p.name.startswith(".")
    )


def collect(
    paths: list[Path],
    *,
    analyse: Callable[[Path], StructuredDocument] | None = None,
    on_error: Callable[[str, AnalyzerError], None] | None = None,
) -> list[tuple[str, StructuredDocument]]:
    """``(name, document)`` for every input: JSON files and folders holding them are loaded,
    document files and folders of documents are analysed with ``analyse``. A file that fails
    is reported through ``on_error`` and skipped."""
    from analyzer.ingest.files import discover

    out: list[tuple[str, StructuredDocument]] = []

    def attempt(path: Path, loader: Callable[[Path], StructuredDocument]) -> None:
        try:
            document = loader(path)
        except AnalyzerError as error:
            if on_error is None:
                raise
            on_error(str(path), error)
            return
        out.append((path.stem, document))

    for path in paths:
        if path.is_dir() and _analysis_files(path):
            for file in _analysis_files(path):
                attempt(file, load_analysis)
        elif path.suffix.lower() == ".json":
            attempt(path, load_analysis)
        else:
            if analyse is None:
                raise AnalyzerError(
                    "分析結果の JSON を指定してください", "expected analysis JSON files", path=str(path)
                )
            files, _ = discover([path])
            for file in files:
                attempt(file, analyse)
    return out
