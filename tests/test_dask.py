"""Batches on a Dask cluster: a scheduler and two workers started here on 127.0.0.1, and
``analyzer analyze --scheduler`` (or ``--jobs 2``, a local cluster) giving the outputs of a run
in one process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, batch_outputs

pytest.importorskip("distributed")

DOCUMENTS = [
    str(CORPUS / name) for name in ("kumo_mvno_privacy.txt", "kazenet_isp_terms.txt", "hikari_app_privacy.md")
]
DASK = (
    str(Path(sys.executable).with_name("dask"))
    if Path(sys.executable).with_name("dask").exists()
    else shutil.which("dask")
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; yields the address."""
    assert DASK, "the dask command is not installed"
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    processes = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        for name in ("worker-a", "worker-b"):
            processes.append(
                subprocess.Popen(
                    [DASK, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1",
                     "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--name", name,
                     "--local-directory", str(folder / name)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        from distributed import Client

        address = json.loads(scheduler_file.read_text("utf-8"))["address"]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_scheduler_and_two_workers_give_the_outputs_of_a_local_run(cluster: str, tmp_path: Path) -> None:
    def analyze(out: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "analyzer", "analyze", *DOCUMENTS, "-o", str(out), "--format", "json,csv,parquet",
             "--no-cache", *extra],
            capture_output=True, text=True,
        )  # fmt: skip

    local = analyze(tmp_path / "local")
    assert local.returncode == 0, local.stderr
    remote = analyze(tmp_path / "remote", "--scheduler", cluster)
    assert remote.returncode == 0, remote.stderr
    assert "wrote 3" in remote.stderr.replace("\n", "")
    assert batch_outputs(tmp_path / "remote") == batch_outputs(tmp_path / "local")
    # the models are loaded once per worker process, never per document
    from distributed import Client

    with Client(cluster) as client:
        built = client.run(lambda: __import__("analyzer.batch", fromlist=["_ANALYZERS"])._ANALYZERS.__len__())
    assert len(built) == 2 and all(count <= 1 for count in built.values()) and sum(built.values()) >= 1
    # --jobs 2: a local cluster of two worker processes, started and closed by the batch itself
    pooled = analyze(tmp_path / "pooled", "--jobs", "2")
    assert pooled.returncode == 0, pooled.stderr
    assert batch_outputs(tmp_path / "pooled") == batch_outputs(tmp_path / "local")


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "analyzer", "analyze", DOCUMENTS[0], "-o", str(tmp_path / "out"), "--rules-only",
         "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2
    assert "tcp://127.0.0.1:9" in run.stderr.replace("\n", "")
