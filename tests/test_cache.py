"""The result cache: the same findings with and without it, never served to another model or
schema, shared safely by processes writing at once, and rebuilt when its file is broken."""

from __future__ import annotations

import copy
import json
import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import analyzer
from analyzer.cache import FILE_NAME, ResultCache
from analyzer.detect import engine as engine_module
from analyzer.detect.engine import DetectionEngine, load_model
from tests.conftest import CORPUS

SAMPLE = CORPUS / "kumo_mvno_privacy.txt"
CLAUSES = [
    "当社は、契約者の通信履歴を、本サービスの提供に必要な範囲で利用します。",
    "本規約に関する一切の紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とします。",
    "当社は、契約者の同意を得ることなく、位置情報を提携先に提供することがあります。",
]


def test_values_come_back_as_written_and_a_missing_key_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_many([("a", "通信履歴".encode()), ("b", b"\x00" * 10_000)])
    assert cache.get_many(["a", "b", "c"]) == {"a": "通信履歴".encode(), "b": b"\x00" * 10_000}
    assert (cache.hits, cache.misses) == (2, 1)
    assert (tmp_path / FILE_NAME).is_file()
    mode = sqlite3.connect(tmp_path / FILE_NAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def _write_many(folder: str, prefix: str) -> None:
    cache = ResultCache(folder)
    for number in range(200):
        cache.put(f"{prefix}{number}", f"{prefix}-{number}".encode())


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), p)) for p in ("x", "y")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    found = ResultCache(tmp_path).get_many([f"{p}{n}" for p in ("x", "y") for n in range(200)])
    assert len(found) == 400 and found["y199"] == b"y-199"


def test_a_corrupt_cache_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    ResultCache(tmp_path).put("a", b"old")
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"{FILE_NAME}{suffix}").unlink(missing_ok=True)
    cache = ResultCache(tmp_path)
    with pytest.warns(RuntimeWarning, match="rebuilding unreadable cache"):
        assert cache.get("a") is None
    cache.put("a", b"new")
    assert ResultCache(tmp_path).get("a") == b"new"
    assert list(tmp_path.glob(f"{FILE_NAME}.corrupt-*"))


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_the_engine_serves_what_it_cached_only_to_the_same_model_and_schema(
    shipped, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ResultCache(tmp_path)
    first = DetectionEngine(shipped, cache=cache)
    computed = first.analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (0, 3)
    again = DetectionEngine(shipped, cache=cache).analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (3, 3)
    assert [[d.__dict__ for d in r.decisions] for r in again] == [
        [d.__dict__ for d in r.decisions] for r in computed
    ]
    assert [[f.model_dump() for f in r.frames] for r in again] == [
        [f.model_dump() for f in r.frames] for r in computed
    ]

    # a retrained model (another fingerprint) is never served the old results
    retrained = copy.copy(shipped)
    retrained.fingerprint_ = "0" * 64
    DetectionEngine(retrained, cache=cache).analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (3, 6)
    # nor is another schema version of the output
    monkeypatch.setattr(engine_module, "SCHEMA_VERSION", "99.0")
    DetectionEngine(shipped, cache=cache).analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (3, 9)
    monkeypatch.undo()
    # nor is another version of the package's code (a reading changed without a version bump)
    monkeypatch.setattr(engine_module, "code_digest", lambda: "f" * 64)
    DetectionEngine(shipped, cache=cache).analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (3, 12)
    monkeypatch.undo()
    # a model without a fingerprint is not cached at all
    unnamed = copy.copy(shipped)
    del unnamed.fingerprint_
    DetectionEngine(unnamed, cache=cache).analyse(CLAUSES)
    assert (cache.hits, cache.misses) == (3, 12)


def _findings(document: analyzer.StructuredDocument) -> list:
    return [
        (c.path, f.label, f.method, f.evidence.start, f.evidence.end)
        for c in document.iter_clauses()
        for f in c.findings
    ]


def test_a_document_gives_the_same_analysis_with_and_without_the_cache(tmp_path: Path) -> None:
    plain = analyzer.Analyzer().analyze(SAMPLE)
    cached = analyzer.Analyzer(cache=tmp_path)
    first, second = cached.analyze(SAMPLE), cached.analyze(SAMPLE)
    assert cached.cache is not None and cached.cache.hits == 1  # the second read the whole file's entry
    assert first.model_dump_json() == plain.model_dump_json() == second.model_dump_json()
    # an edited copy: a new file entry, most clauses from the clause entries
    edited = tmp_path / "edited.txt"
    edited.write_text(SAMPLE.read_text("utf-8").replace("。", "。\n", 1), "utf-8")
    hits = cached.cache.hits
    from_cache = cached.analyze(edited)
    assert cached.cache.hits > hits + 10
    assert _findings(from_cache) == _findings(analyzer.Analyzer().analyze(edited))


def test_the_cli_caches_where_told_and_not_at_all_with_no_cache(tmp_path: Path) -> None:
    def run(*extra: str, out: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "analyzer",
                "analyze",
                str(SAMPLE),
                "-o",
                str(tmp_path / out),
                "--format",
                "json",
                *extra,
            ],
            capture_output=True,
            text=True,
        )

    assert run("--cache-dir", str(tmp_path / "c"), out="one").returncode == 0
    assert (tmp_path / "c" / FILE_NAME).is_file()
    assert run("--cache-dir", str(tmp_path / "c"), out="two").returncode == 0
    assert run("--no-cache", "--cache-dir", str(tmp_path / "n"), out="three").returncode == 0
    assert not (tmp_path / "n").exists()
    outputs = [
        json.loads((tmp_path / out / "kumo_mvno_privacy.json").read_text("utf-8"))
        for out in ("one", "two", "three")
    ]
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_code_digest_follows_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.version as version

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 2\n")
    monkeypatch.setattr(version, "__file__", str(package / "version.py"))

    def fresh() -> str:
        version.code_digest.cache_clear()
        return version.code_digest()

    first = fresh()
    assert fresh() == first  # the same sources, the same digest
    (package / "sub" / "b.py").write_text("y = 3\n")
    assert fresh() != first  # one changed line anywhere below the package changes it
    version.code_digest.cache_clear()
