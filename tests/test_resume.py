"""A batch killed midway (SIGKILL) and resumed ends with the outputs of an uninterrupted run:
nothing finished is redone, nothing partial is left, no row is written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analyzer.batch import RESUME_FOLDER
from tests.conftest import CORPUS, batch_outputs

DOCUMENTS = sorted(str(p) for p in CORPUS.iterdir() if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"})


def _command(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "analyzer", "analyze", *DOCUMENTS, "-o", str(out),
        "--format", "json,csv,parquet", "--rules-only", "--no-cache", *extra,
    ]  # fmt: skip


def test_a_batch_killed_midway_and_resumed_ends_as_an_uninterrupted_run(tmp_path: Path) -> None:
    whole = subprocess.run(_command(tmp_path / "whole"), capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr

    part = tmp_path / "part"
    keys = part / RESUME_FOLDER
    process = subprocess.Popen(_command(part), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if keys.is_dir() and len(list(keys.glob("*.key"))) >= 3:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    kept = len(list(keys.glob("*.key")))
    assert 3 <= kept < len(DOCUMENTS)
    assert not (part / "findings.csv").exists()  # killed before the tables

    resumed = subprocess.run(_command(part, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    message = resumed.stderr.replace("\n", "")
    assert f"({kept} kept from an earlier run)" in message
    assert batch_outputs(part) == batch_outputs(tmp_path / "whole")
    assert len(list(part.glob("tables/*/*.parquet"))) == 3 * len(DOCUMENTS)
    assert (
        not list(part.glob(".*.tmp"))
        and not list(part.glob("*/.*.tmp"))
        and not list(part.glob("*/*/.*.tmp"))
    )


def test_resume_redoes_a_file_whose_bytes_changed(tmp_path: Path) -> None:
    source = tmp_path / "docs"
    source.mkdir()
    document = source / "policy.txt"
    document.write_text(
        "第1条（管轄）\n本規約に関する紛争は、東京地方裁判所を第一審の専属的合意管轄裁判所とします。\n",
        "utf-8",
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "analyzer", "analyze", str(source), "-o", str(out), "--format", "json"]
    command += ["--rules-only", "--no-cache", "--resume"]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
    again = subprocess.run(command, capture_output=True, text=True)
    assert "(1 kept from an earlier run)" in again.stderr.replace("\n", "")
    document.write_text(
        document.read_text("utf-8") + "第2条（準拠法）\n本規約は日本法に準拠します。\n", "utf-8"
    )
    changed = subprocess.run(command, capture_output=True, text=True)
    assert "(0 kept from an earlier run)" in changed.stderr.replace("\n", "")
    analysis = json.loads((out / "policy.json").read_text("utf-8"))
    assert "準拠法" in analysis["document"]["text"]


@pytest.mark.parametrize("jobs", ["1", "2"])  # in this process, or on a local Dask cluster
def test_ctrl_c_stops_with_a_message_and_keeps_what_is_finished(tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    keys = out / RESUME_FOLDER
    # the batch runs as from a terminal, where Ctrl-C is delivered: a test run started in the
    # background of a non-interactive shell ignores SIGINT, and children inherit that
    process = subprocess.Popen(
        _command(out, "--jobs", jobs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if keys.is_dir() and len(list(keys.glob("*.key"))) >= 2:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and time.monotonic() - started < 60
    assert "--resume" in stderr.replace("\n", "")
    finished = sorted(key.stem for key in keys.glob("*.key"))
    assert 2 <= len(finished) < len(DOCUMENTS)
    for name in finished:  # every kept analysis is whole
        assert json.loads((out / f"{name}.json").read_text("utf-8"))["schema_version"]
    again = subprocess.run(_command(out, "--resume"), capture_output=True, text=True)
    assert again.returncode == 0
    assert f"({len(finished)} kept from an earlier run)" in again.stderr.replace("\n", "")
