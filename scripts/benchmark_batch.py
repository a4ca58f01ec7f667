"""Batch scaling: time and peak memory of ``analyzer analyze`` on 1,000, 5,000 and 10,000
generated documents (time should grow linearly, memory stay flat), and the same 1,000 documents
in one process, on a local Dask cluster (``--jobs 2``) and on a scheduler with two workers
started here as separate processes on 127.0.0.1.

Usage: python scripts/benchmark_batch.py [--sizes 1000,5000,10000] [--mode fast|rules|full]
       [--cluster-size 1000 (0: no cluster runs)] [--work DIR] [--out models/benchmark_batch.json]

The documents are excerpts of the sample corpus's text documents — a title and a run of
consecutive articles or sections, some dropped — with the carrier's name replaced by a generated
one and every date moved, so that no two documents have the same bytes (the result cache is off
in any case). ``--mode`` chooses the analysis: ``fast`` (the cascade's fast model, ``--fast``,
the default here so that 16,000 documents fit in well under an hour on 2 cores), ``rules``
(``--rules-only``) or ``full`` (the shipped cascade). Peak memory is sampled every 0.2 s over
every process of a run (the analyzer, Dask's scheduler, nannies and workers): the largest
process and the sum over processes. Each run writes every output (JSON, the Parquet tables, the
CSVs exported from them, report.html, summary.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "corpora" / "documents").glob("*.txt")),
    *sorted((ROOT / "corpora" / "documents").glob("*.md")),
    *sorted((ROOT / "corpora" / "documents" / "handmade").glob("*.txt")),
    *sorted((ROOT / "corpora" / "documents" / "handmade").glob("*.md")),
]
NAME_HEADS = [
    "あおば",
    "いろは",
    "うみかぜ",
    "えにし",
    "おおぞら",
    "かすみ",
    "きぼう",
    "くろしお",
    "けやき",
    "こだま",
    "さざなみ",
    "しらさぎ",
    "すずらん",
    "せせらぎ",
    "たちばな",
    "つばさ",
    "ときわ",
    "なぎさ",
    "のぞみ",
    "ひばり",
]
NAME_TAILS = [
    "ネット",
    "モバイル",
    "テレコム",
    "ケーブル",
    "コミュニケーションズ",
    "通信",
    "ブロードバンド",
    "ワイヤレス",
]
DATE = re.compile(r"(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日")
MODES = {"fast": ["--fast"], "rules": ["--rules-only"], "full": []}


def sources() -> list[tuple[str, str | None]]:
    """Each sample text document's text (decoded by the analyzer's reader) and carrier."""
    from analyzer import segment_file

    out = []
    for path in SOURCES:
        document = segment_file(path)
        out.append((document.document.text, document.document.carrier))
    return out


def generate(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """``count`` documents in ``folder`` (``doc-00001.txt`` …), the same for the same seed."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    bases = sources()
    paths = []
    for number in range(1, count + 1):
        text, carrier = bases[rng.randrange(len(bases))]
        blocks = [b for b in text.split("\n\n") if b.strip()]
        title, body = blocks[0], blocks[1:]
        size = min(len(body), rng.randint(4, 10))
        start = rng.randrange(0, len(body) - size + 1)
        window = [b for b in body[start : start + size] if rng.random() > 0.15] or body[start : start + 1]
        name = f"株式会社{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{number}"
        document = "\n\n".join([title, *window]) + "\n"
        if carrier:
            document = document.replace(carrier, name)
        year = rng.randint(2015, 2026)
        document = DATE.sub(lambda _, y=year: f"{y}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", document)
        path = folder / f"doc-{number:05d}.txt"
        path.write_text(document, encoding="utf-8")
        paths.append(path)
    return paths


class PeakMemory:
    """The peak resident memory of this process's descendants, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.largest = 0
        self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            sizes = []
            for process in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a process that just ended
                    sizes.append(process.memory_info().rss)
            if sizes:
                self.largest = max(self.largest, max(sizes))
                self.total = max(self.total, sum(sizes))
            self._stop.wait(0.2)


def analyze(folder: Path, out: Path, mode: str, *extra: str) -> dict:
    """One ``analyzer analyze`` run over ``folder``: wall time and peak memory."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "analyzer", "analyze", str(folder), "-o", str(out), "--no-cache"]
    command += [*MODES[mode], *extra]
    with PeakMemory() as memory:
        started = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"analyze failed ({run.returncode}): {run.stderr[-2000:]}")
    documents = len(list(out.glob("tables/scores/*.parquet")))
    characters = sum(len(p.read_text("utf-8")) for p in folder.iterdir())
    return {
        "documents": documents,
        "characters": characters,
        "seconds": round(seconds, 1),
        "seconds_per_1000_documents": round(1000 * seconds / documents, 1),
        "characters_per_second": round(characters / seconds),
        "peak_largest_process_mb": round(memory.largest / 2**20),
        "peak_all_processes_mb": round(memory.total / 2**20),
    }


def scheduler_and_workers(folder: Path) -> tuple[str, list[subprocess.Popen]]:
    """``dask scheduler`` and two single-threaded ``dask worker`` processes on 127.0.0.1."""
    dask = str(Path(sys.executable).with_name("dask"))
    scheduler_file = folder / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                          "--scheduler-file", str(scheduler_file)], **quiet)
    ]  # fmt: skip
    while not scheduler_file.exists():
        time.sleep(0.1)
    for name in ("worker-a", "worker-b"):
        processes.append(
            subprocess.Popen([dask, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1",
                              "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--name", name,
                              "--local-directory", str(folder / name)], **quiet)
        )  # fmt: skip
    from distributed import Client

    address = json.loads(scheduler_file.read_text("utf-8"))["address"]
    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    return address, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--mode", choices=sorted(MODES), default="fast")
    parser.add_argument("--cluster-size", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "analyzer-benchmark-batch")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "benchmark_batch.json")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    documents = generate(max([*sizes, args.cluster_size]), args.work / "all")
    report: dict = {"mode": args.mode, "cpu_count": psutil.cpu_count(), "sizes": {}, "cluster": {}}

    def subset(count: int) -> Path:
        folder = args.work / f"docs-{count}"
        if not folder.is_dir() or len(list(folder.iterdir())) != count:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for path in documents[:count]:
                (folder / path.name).hardlink_to(path)
        return folder

    for count in sizes:
        report["sizes"][count] = analyze(subset(count), args.work / f"out-{count}", args.mode)
        print(count, report["sizes"][count], flush=True)
    smallest, largest = report["sizes"][sizes[0]], report["sizes"][sizes[-1]]
    report["time_ratio_per_document"] = round(
        largest["seconds_per_1000_documents"] / smallest["seconds_per_1000_documents"], 3
    )
    report["memory_ratio_largest_process"] = round(
        largest["peak_largest_process_mb"] / smallest["peak_largest_process_mb"], 3
    )

    if args.cluster_size == 0:  # --cluster-size 0: the scaling runs only
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    folder = subset(args.cluster_size)
    report["cluster"]["one_process"] = report["sizes"].get(args.cluster_size) or analyze(
        folder, args.work / "out-one", args.mode
    )
    report["cluster"]["local_cluster_jobs_2"] = analyze(
        folder, args.work / "out-local", args.mode, "--jobs", "2"
    )
    print("local cluster", report["cluster"]["local_cluster_jobs_2"], flush=True)
    address, processes = scheduler_and_workers(args.work)
    try:
        report["cluster"]["scheduler_two_workers"] = analyze(
            folder, args.work / "out-remote", args.mode, "--scheduler", address
        )
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(30)
    print("scheduler", report["cluster"]["scheduler_two_workers"], flush=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
