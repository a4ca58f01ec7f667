"""Run the pipeline over many files: progress, parallel jobs, one error never stops the batch.

Each finished document is written at once (atomically), and each failure is appended to
``errors.csv`` as it happens, so an interrupted batch keeps everything it finished.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.ingest.sniff import SUFFIX_FORMATS
from analyzer.structure.metadata import ManifestRow, manifest_entry

ERRORS_HEADER = ["path", "reason_ja", "reason_en"]


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to read and files passed over. A file named on the command line is always read;
    inside a folder, files with a document suffix (or PDF/DOCX content) are read, hidden files
    and other suffixes are passed over."""
    selected: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(p.startswith(".") for p in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUFFIX_FORMATS or _looks_like_document(child):
                    selected.append(child)
                else:
                    skipped.append(child)
        else:
            selected.append(path)
    return selected, skipped


def _looks_like_document(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"%PDF-", b"PK\x03\x04"))


def output_names(files: list[Path]) -> dict[Path, str]:
    """A distinct output stem per input file (stems that clash get their folder name added)."""
    names: dict[Path, str] = {}
    used: set[str] = set()
    for path in files:
        stem = path.stem or path.name
        name = stem
        if name in used:
            name = f"{path.parent.name}__{stem}" if path.parent.name else stem
        counter = 2
        base = name
        while name in used:
            name = f"{base}-{counter}"
            counter += 1
        used.add(name)
        names[path] = name
    return names


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` so that ``path`` is either the old file or the complete new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        # mkstemp creates the file private (0600); outputs are ordinary files the user shares.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Job:
    """What to do with each file: ``segment`` (structure only) or ``analyze`` (with findings)."""

    kind: str = "segment"
    model: str | None = None  # a model bundle path; None: the bundled default
    rules_only: bool = False
    profile: str | None = None  # the reporting profile; None: combination.yaml's default

    @property
    def suffix(self) -> str:
        return ".structure.json" if self.kind == "segment" else ".json"


Task = tuple[str, str, str, Job, ManifestRow | None]


def _work(task: Task) -> tuple[str, str | None, tuple[str, str] | None]:
    """Process one file in a worker: returns (path, output file or None, error or None)."""
    from analyzer.pipeline import analyze_file, segment_file
    from analyzer.structure.metadata import apply_manifest

    source, out_dir, name, job, meta = task
    try:
        if job.kind == "segment":
            document = segment_file(source)
            if meta is not None:
                apply_manifest(document, meta)
        else:
            document = analyze_file(
                source, model=job.model, rules_only=job.rules_only, meta=meta, profile=job.profile
            )
    except AnalyzerError as error:
        return source, None, (error.reason_ja, error.reason_en)
    except Exception as error:
        return (
            source,
            None,
            (
                f"内部エラー（{type(error).__name__}）。不具合として報告してください",
                f"internal error: {type(error).__name__}: {error}",
            ),
        )
    target = Path(out_dir) / f"{name}{job.suffix}"
    write_atomic(target, document.model_dump_json(indent=1))
    return source, str(target), None


def run_batch(
    files: list[Path],
    out_dir: Path,
    *,
    jobs: int = 1,
    job: Job | None = None,
    on_progress: Callable[[str, bool], None] | None = None,
    manifest: dict[str, ManifestRow] | None = None,
) -> BatchResult:
    """Run ``job`` on ``files`` into ``out_dir``; ``on_progress(path, ok)`` after each file.
    ``manifest`` rows (by path or file name) override carrier, document type and date."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = output_names(files)
    job = job or Job()
    tasks: list[Task] = [
        (str(path), str(out_dir), names[path], job, manifest_entry(manifest, path)) for path in files
    ]
    result = BatchResult()
    errors_path = out_dir / "errors.csv"
    with errors_path.open("w", encoding="utf-8", newline="") as errors_file:
        writer = csv.writer(errors_file)
        writer.writerow(ERRORS_HEADER)
        errors_file.flush()
        for source, output, error in _results(tasks, jobs):
            if error is None and output is not None:
                result.written.append(Path(output))
            else:
                assert error is not None
                result.failed.append((source, *error))
                writer.writerow([source, *error])
                errors_file.flush()
            if on_progress is not None:
                on_progress(source, error is None)
    return result


def _results(tasks: list[Task], jobs: int) -> Iterator[tuple[str, str | None, tuple[str, str] | None]]:
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield _work(task)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_work, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()
