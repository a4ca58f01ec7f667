"""Run the pipeline over many files: progress, parallel jobs, one error never stops the batch.

Each finished document is written at once (atomically), and each failure is appended to
``errors.csv`` as it happens, so an interrupted batch keeps everything it finished.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.atomic import atomic_target, write_atomic
from analyzer.errors import AnalyzerError, internal_error
from analyzer.ingest.files import OUTPUT_MARKER
from analyzer.report import dataset
from analyzer.report.inputs import load_analysis
from analyzer.report.safe import csv_row
from analyzer.structure.metadata import ManifestRow, manifest_entry

ERRORS_HEADER = ["path", "reason_ja", "reason_en"]


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    resumed: list[Path] = field(default_factory=list)  # analyses kept from an earlier run
    interrupted: bool = False  # stopped by Ctrl-C before every file was done


# Stems of the batch's own outputs (and of compare's and diff's): no document's output takes one
RESERVED_NAMES = {"report", "summary", "errors", "skipped", "findings", "scores", "guideline_items",
                  "compare", "diff", "heatmap", "topics", "tables"}  # fmt: skip


def output_names(files: list[Path]) -> dict[Path, str]:
    """A distinct output stem per input file, derived from its path: stems that clash, or that
    are the name of one of the batch's own outputs (``report``, ``findings``…), get their
    folder's name added."""
    names: dict[Path, str] = {}
    used: set[str] = set()
    for path in files:
        stem = path.stem or path.name
        name = stem
        if name in used or name.lower() in RESERVED_NAMES:
            name = f"{path.parent.name or 'document'}__{stem}"
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
    fast: bool = False  # the cascade's fast classifier alone (no sentence encoder)
    thorough: bool = False  # the cascade's e5 classifier reads the clauses near any threshold

    @property
    def suffix(self) -> str:
        return ".structure.json" if self.kind == "segment" else ".json"


# Beside each analysis, the key of the input and configuration it was made from (``--resume``)
RESUME_FOLDER = ".analyzer-resume"
# What the batch needs but the user did not ask to keep (the JSON without ``--format json``,
# the Parquet tables without ``parquet``): kept out of sight, for the reports and ``--resume``
WORK_FOLDER = ".analyzer-work"


@dataclass(frozen=True)
class Places:
    """Where a batch writes: the output folder, the per-document JSON, the Parquet dataset's
    root (``<tables>/tables/``) and the resume keys."""

    out: str
    json: str
    tables: str

    @classmethod
    def of(cls, out_dir: Path, keep_json: bool = True, keep_tables: bool = True) -> Places:
        work = out_dir / WORK_FOLDER
        return cls(str(out_dir), str(out_dir if keep_json else work), str(out_dir if keep_tables else work))

    def analysis(self, name: str, job: Job) -> Path:
        return Path(self.json) / f"{name}{job.suffix}"

    def key_file(self, name: str) -> Path:
        return Path(self.out) / RESUME_FOLDER / f"{name}.key"


Task = tuple[str, Places, str, Job, ManifestRow | None]


# One configured analyzer per job and worker process: the models load once, not per document.
_ANALYZERS: dict[Job, object] = {}


def _analyzer(job: Job):
    from analyzer.pipeline import Analyzer

    if job not in _ANALYZERS:
        _ANALYZERS[job] = Analyzer(
            job.model,
            rules_only=job.rules_only,
            profile=job.profile,
            cache=job.cache,
            fast=job.fast,
            thorough=job.thorough,
        )
    return _ANALYZERS[job]


def _work(task: Task) -> tuple[str, str | None, tuple[str, str] | None]:
    """Process one file in a worker: returns (path, output file or None, error or None)."""
    from analyzer.pipeline import segment_file
    from analyzer.structure.metadata import apply_manifest

    source, places, name, job, meta = task
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
    target = places.analysis(name, job)
    write_atomic(target, document.model_dump_json(indent=1))
    if job.kind == "analyze":
        # the document's rows of the batch's tables, written here, as it finishes: the batch
        # never holds them all
        dataset.write_document(Path(places.tables), name, document)
        # written last: a batch killed before it redoes this file
        key = _analyzer(job).input_key(source, meta)
        if key is not None:
            write_atomic(places.key_file(name), key)
    return source, str(target), None


def finished(job: Job, places: Places, name: str, source: str, meta: ManifestRow | None) -> bool:
    """Whether the batch's folders already hold the analysis of ``source`` made from the same
    bytes, manifest row, model, rules, data files, schema and package versions."""
    target, key_file = places.analysis(name, job), places.key_file(name)
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
    keep_json: bool = True,
    keep_tables: bool = True,
) -> BatchResult:
    """Run ``job`` on ``files`` into ``out_dir``; ``on_progress(path, ok)`` after each file.
    ``manifest`` rows (by path or file name) override carrier, document type and date. With
    ``resume``, a file whose analysis is already there for the same input and configuration
    (:func:`finished`) is not analysed again (``BatchResult.resumed``). With ``jobs`` > 1 the
    files are analysed on a local Dask cluster of that many worker processes, with
    ``scheduler`` (a Dask scheduler's address) on that cluster. Without ``keep_json`` or
    ``keep_tables`` the analyses or the Parquet tables go to ``OUT/.analyzer-work/`` instead of
    ``OUT`` (so that no earlier output in ``OUT`` is replaced by a file the user did not ask
    for)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / OUTPUT_MARKER, "analyzer output folder: not read as documents\n")
    job = job or Job()
    places = Places.of(out_dir, keep_json or job.kind != "analyze", keep_tables)
    names = output_names(files)
    tasks: list[Task] = [
        (str(path), places, names[path], job, manifest_entry(manifest, path)) for path in files
    ]
    result = BatchResult()
    # what a batch killed while writing left behind: its temporary files (atomic.py), never an
    # output; the outputs themselves are whole or absent
    for folder in {out_dir, Path(places.json), out_dir / RESUME_FOLDER}:
        if folder.is_dir():
            for partial in folder.glob(".*.tmp"):
                partial.unlink(missing_ok=True)
    tables = Path(places.tables)
    if job.kind == "analyze":
        # the dataset holds this batch's documents only: parts of an earlier batch into the
        # same folder go, and so do those of every document analysed again below
        dataset.prune(tables, keep=set(names.values()) if resume else set())
    if resume:
        remaining = []
        for task in tasks:
            source, _, name, _, meta = task
            if finished(job, places, name, source, meta):
                if not dataset.has_document(tables, name):  # a run without ``parquet`` dropped them
                    dataset.write_document(tables, name, load_analysis(places.analysis(name, job)))
                result.written.append(places.analysis(name, job))
                result.resumed.append(Path(source))
                if on_progress is not None:
                    on_progress(source, True)
            else:
                remaining.append(task)
                dataset.remove_document(tables, name)
        tasks = remaining
    # errors.csv grows beside its final name as failures happen (each row flushed) and takes
    # that name when the batch ends, stopped or not: a killed batch leaves no truncated table
    with (
        atomic_target(out_dir / "errors.csv") as errors_path,
        errors_path.open("w", encoding="utf-8", newline="") as errors_file,
    ):
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
                    writer.writerow(csv_row([source, *error]))
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
