"""A folder with every hostile input next to good documents (``hostile_files.py``): every good
document is analysed, every hostile one is named in errors.csv with its reason, the reports are
complete, and the run stays within 2 GB and 2 minutes. The million-character document runs on
its own (it alone takes most of a minute)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests import hostile_files as hostile

LIMIT_BYTES = 2 * 1024**3
LIMIT_SECONDS = 120
# What errors.csv must say for each case (the English reason)
REASONS = {
    "html_many_elements": "too many HTML elements",
    "html_deep_nesting": "HTML nested too deep",
    "docx_bomb": "the .docx unpacks to",
    "docx_many_members": "too many members in the .docx",
    "pdf_stream_bomb": "a PDF stream inflates beyond the limit",
    "pdf_many_pages": "too many PDF pages",
    "fifo": "not a regular file (a FIFO)",
    "symlink_loop": "symbolic link loop",
    "dangling_link": "dangling symbolic link",
    "unreadable_folder": "unreadable folder",
    "zero_device": "not a regular file (a device)",
}


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess, int, float]:
    """``python -m analyzer`` with ``args``: the result, the peak resident memory of the process
    (sampled every 0.1 s) and the wall time; killed at the time limit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "analyzer", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0

    def sample() -> None:
        nonlocal peak
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                peak = max(peak, watched.memory_info().rss)
            except psutil.Error:
                break
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"analyzer {' '.join(args[:2])} ran over {LIMIT_SECONDS} s")
    sampler.join()
    return (
        subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr),
        peak,
        time.monotonic() - started,
    )


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile-cases")
    built = hostile.build_all(folder / "cases")
    # the million-character document runs on its own (it alone takes most of a minute)
    huge = built.pop("huge_text")
    built["huge_text"] = huge.rename(folder / huge.name)
    yield folder, built
    hostile.restore_permissions(folder / "cases")


def test_a_folder_of_hostile_inputs_fails_each_alone_and_completes(cases) -> None:
    folder, built = cases
    inputs = [str(folder / "cases")] + ([str(built["zero_device"])] if "zero_device" in built else [])
    out = folder / "out"
    run, peak, seconds = _run(["analyze", *inputs, "-o", str(out), "--rules-only", "--no-cache"])
    assert run.returncode == 1, run.stderr[-3000:]
    assert peak <= LIMIT_BYTES, f"peak memory {peak / 2**20:.0f} MB"
    assert "Traceback" not in run.stderr

    errors = _rows(out / "errors.csv")
    failed = {row["path"]: row["reason_en"] for row in errors}
    for case, reason in REASONS.items():
        if case not in built or (case == "unreadable_folder" and hostile.RUNNING_AS_ROOT):
            continue
        named = [
            r for p, r in failed.items() if Path(p).is_relative_to(built[case]) or Path(p) == built[case]
        ]
        assert named and all(reason in r for r in named), (case, named)
    # nothing else failed: every good, bounded and payload-carrying document was analysed
    expected_failures = {
        p for p in failed for case in REASONS if case in built and Path(p).is_relative_to(built[case])
    } | ({str(built["zero_device"])} if "zero_device" in built else set())
    assert set(failed) == expected_failures

    analysed = {row["path"] for row in _rows(out / "scores.csv")}
    wanted = [built["good"] / name for name in hostile.GOOD_NAMES]
    wanted += [built["report_named"] / name for name in hostile.REPORT_NAMES]
    wanted += [built["injection_payloads"] / name for name in hostile.INJECTION_NAMES]
    wanted += [built["long_sentence"]]
    assert {str(p) for p in wanted} <= {p.lstrip("'") for p in analysed}
    # the reports are complete: one section and one summary per analysed document
    page = (out / "report.html").read_text("utf-8")
    assert page.endswith("</html>\n") and page.count('<section class="doc"') == len(analysed)
    summary = (out / "summary.md").read_text("utf-8")
    assert summary.count("\n## ") == len(analysed)
    assert not re.search(r"(?<!\\)<[a-zA-Z/]", summary) and "\x1b" not in summary
    skipped = {Path(row["path"]).name: row["reason_en"] for row in _rows(out / "skipped.csv")}
    assert skipped.get("loop") == "link to a folder, not followed"
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    print(f"hostile folder: {seconds:.1f} s, peak {peak / 2**20:.0f} MB")


def test_a_million_character_document_is_analysed_in_pieces(cases) -> None:
    folder, built = cases
    out = folder / "huge-out"
    run, peak, seconds = _run(
        ["analyze", str(built["huge_text"]), "-o", str(out), "--rules-only", "--no-cache", "--format", "csv"]
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert peak <= LIMIT_BYTES, f"peak memory {peak / 2**20:.0f} MB"
    (score,) = _rows(out / "scores.csv")
    assert int(score["clauses"]) > 5_000 and score["jreadability"]
    print(f"huge document: {seconds:.1f} s, peak {peak / 2**20:.0f} MB")
