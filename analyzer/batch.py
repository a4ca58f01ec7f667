"""Run the pipeline over many files: progress, parallel jobs, one error never stops the batch.

Each finished document is written at once (atomically), and each failure is appended to
``errors.csv`` as it happens, so an interrupted batch keeps everything it finished.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.atomic import write_atomic
from analyzer.errors import AnalyzerError, internal_error
from analyzer.report import dataset
from analyzer.report.inputs import load_analysis
from analyzer.structure.metadata import ManifestRow, manifest_entry

ERRORS_HEADER = ["path", "reason_ja", "reason_en"]


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    resumed: list[Path] = field(default_factory=list)  # analyses kept from an earlier run
    interrupted: bool = False  # stopped by Ctrl-C before every file was done


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


@dataclass(frozen=True)
class Job:
    """What to do with each file: ``segment`` (structure only) or ``analyze`` (with findings)."""

    kind: str = "segment"
    model: str | None = None  # a model bundle path; None: the bundled default
    rules_only: bool = False
    profile: str | None = None  # the reporting profile; None: combination.yaml's default
    cache: str | bool = False  # the result cache: a folder, True for the default one, False none
    fast: bool = False  # the cascade's fast model alone (no sentence encoder)

    @property
    def suffix(self) -> str:
        return ".structure.json" if self.kind == "segment" else ".json"


Task = tuple[str, str, str, Job, ManifestRow | None]


# One configured analyzer per job and worker process: the models load once, not per document.
_ANALYZERS: dict[Job, object] = {}


def _analyzer(job: Job):
    from analyzer.pipeline import Analyzer

    if job not in _ANALYZERS:
        _ANALYZERS[job] = Analyzer(
            job.model, rules_only=job.rules_only, profile=job.profile, cache=job.cache, fast=job.fast
        )
    return _ANALYZERS[job]


def _work(task: Task) -> tuple[str, str | None, tuple[str, str] | None]:
    """Process one file in a worker: returns (path, output file or None, error or None)."""
    from analyzer.pipeline import segment_file
    from analyzer.structure.metadata import apply_manifest

    source, out_dir, name, job, meta = task
    try:
        if job.kind == "segment":
            document = segment_file(source)
            if meta is not None:
                apply_manifest(document, meta)
        else:
            document = _analyzer(job).analyze(source, meta=meta)
    except AnalyzerError as error:
        return source, None, (error.reason_ja, error.reason_en)
    except Exception as error:
        internal = internal_error(error, source)
        return source, None, (internal.reason_ja, internal.reason_en)
    target = Path(out_dir) / f"{name}{job.suffix}"
    write_atomic(target, document.model_dump_json(indent=1))
    if job.kind == "analyze":
        # the document's rows of the batch's tables, written here, as it finishes: the batch
        # never holds them all
        dataset.write_document(Path(out_dir), name, document)
        # written last: a batch killed before it redoes this file
        key = _analyzer(job).input_key(source, meta)
        if key is not None:
            write_atomic(_key_file(Path(out_dir), name), key)
    return source, str(target), None


# Beside each analysis, the key of the input and configuration it was made from (``--resume``)
RESUME_FOLDER = ".analyzer-resume"


def _key_file(out_dir: Path, name: str) -> Path:
    return out_dir / RESUME_FOLDER / f"{name}.key"


def finished(job: Job, out_dir: Path, name: str, source: str, meta: ManifestRow | None) -> bool:
    """Whether ``out_dir`` already holds the analysis of ``source`` made from the same bytes,
    manifest row, model, rules, data files, schema and package versions."""
    target, key_file = out_dir / f"{name}{job.suffix}", _key_file(out_dir, name)
    if job.kind != "analyze" or not target.is_file() or not key_file.is_file():
        return False
    key = _analyzer(job).input_key(source, meta)
    return key is not None and key_file.read_text("utf-8") == key


def run_batch(
    files: list[Path],
    out_dir: Path,
    *,
    jobs: int = 1,
    job: Job | None = None,
    on_progress: Callable[[str, bool], None] | None = None,
    manifest: dict[str, ManifestRow] | None = None,
    resume: bool = False,
    scheduler: str | None = None,
) -> BatchResult:
    """Run ``job`` on ``files`` into ``out_dir``; ``on_progress(path, ok)`` after each file.
    ``manifest`` rows (by path or file name) override carrier, document type and date. With
    ``resume``, a file whose analysis is already in ``out_dir`` for the same input and
    configuration (:func:`finished`) is not analysed again (``BatchResult.resumed``). With
    ``jobs`` > 1 the files are analysed on a local Dask cluster of that many worker processes,
    with ``scheduler`` (a Dask scheduler's address) on that cluster."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = output_names(files)
    job = job or Job()
    tasks: list[Task] = [
        (str(path), str(out_dir), names[path], job, manifest_entry(manifest, path)) for path in files
    ]
    result = BatchResult()
    # what a batch killed while writing left behind: its temporary files (atomic.py), never an
    # output; the outputs themselves are whole or absent
    for folder in (out_dir, out_dir / RESUME_FOLDER):
        for partial in folder.glob(".*.tmp"):
            partial.unlink(missing_ok=True)
    if job.kind == "analyze":
        # the dataset holds this batch's documents only: parts of an earlier batch into the
        # same folder go, and so do those of every document analysed again below
        dataset.prune(out_dir, keep=set(names.values()) if resume else set())
    if resume:
        remaining = []
        for task in tasks:
            source, _, name, _, meta = task
            if finished(job, out_dir, name, source, meta):
                if not dataset.has_document(out_dir, name):  # a run without ``parquet`` drops them
                    dataset.write_document(out_dir, name, load_analysis(out_dir / f"{name}{job.suffix}"))
                result.written.append(out_dir / f"{name}{job.suffix}")
                result.resumed.append(Path(source))
                if on_progress is not None:
                    on_progress(source, True)
            else:
                remaining.append(task)
                dataset.remove_document(out_dir, name)
        tasks = remaining
    errors_path = out_dir / "errors.csv"
    with errors_path.open("w", encoding="utf-8", newline="") as errors_file:
        writer = csv.writer(errors_file)
        writer.writerow(ERRORS_HEADER)
        errors_file.flush()
        results = _results(tasks, jobs, scheduler)
        try:
            for source, output, error in results:
                if error is None and output is not None:
                    result.written.append(Path(output))
                else:
                    assert error is not None
                    result.failed.append((source, *error))
                    writer.writerow([source, *error])
                    errors_file.flush()
                if on_progress is not None:
                    on_progress(source, error is None)
        except KeyboardInterrupt:
            # Ctrl-C: what is finished stays written (each analysis atomically); the caller
            # reports the rest as not done and ``--resume`` picks it up
            result.interrupted = True
            results.close()
    return result


def _results(
    tasks: list[Task], jobs: int, scheduler: str | None = None
) -> Iterator[tuple[str, str | None, tuple[str, str] | None]]:
    """The files' results as they complete: in this process (one job: the models' own threads
    use every core), on a local Dask cluster of ``jobs`` single-threaded worker processes, or on
    the Dask cluster at ``scheduler``."""
    if scheduler or (jobs > 1 and len(tasks) > 1):
        yield from _dask_results(tasks, scheduler, jobs)
        return
    for task in tasks:
        yield _work(task)


def _dask_client(scheduler: str | None, jobs: int):
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``jobs`` worker
    processes on 127.0.0.1, and that local cluster (None for a scheduler's)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="30s"), None
    except (OSError, TimeoutError) as error:
        raise AnalyzerError(
            f"Dask のスケジューラ {scheduler} に接続できません: {error}",
            f"cannot connect to the Dask scheduler {scheduler}: {error}",
        ) from error


def _dask_results(
    tasks: list[Task], scheduler: str | None, jobs: int
) -> Iterator[tuple[str, str | None, tuple[str, str] | None]]:
    """The files analysed on a Dask cluster (``dask scheduler`` and ``dask worker`` processes
    with the package installed, sharing the output folder's file system, or a local cluster),
    as they complete. Each worker process builds its analyzer once (``_analyzer``) and writes
    each analysis and its table rows itself, atomically."""
    from dask.distributed import as_completed

    client, cluster = _dask_client(scheduler, jobs)
    futures = []
    try:
        # pure=False: two files with the same bytes are still two tasks (they have two outputs)
        futures = [client.submit(_work, task, pure=False) for task in tasks]
        source_of = {future.key: task[0] for future, task in zip(futures, tasks, strict=True)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # a worker lost: the file is reported, the batch goes on
                internal = internal_error(error, source_of[future.key])
                yield source_of[future.key], None, (internal.reason_ja, internal.reason_en)
    finally:
        # on Ctrl-C (or any early stop) the queued files are dropped at once
        client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()
