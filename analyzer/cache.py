"""A persistent cache of analysis results, so that an unchanged document or clause is never
analysed twice by the same model.

One SQLite file in WAL mode (``results.sqlite3``): several processes may read and write at once
(each opens its own connection; a writer waits for another's lock instead of failing). Keys are
SHA-256 digests that cover everything a result depends on — the input, the model's fingerprint,
the rules and data files, the output schema version and the package version — so a changed
model or schema never serves an old result; values are zlib-compressed bytes. A cache file that
cannot be read (truncated, overwritten, not a database) is moved aside and rebuilt: a broken
cache costs a re-analysis, never the run.

Where: ``--cache-dir DIR`` (CLI), else ``ANALYZER_CACHE_DIR``, else the user's cache folder
(``$XDG_CACHE_HOME/carrier-policy-analyzer``, ``~/.cache/…``; ``%LOCALAPPDATA%`` on Windows,
``~/Library/Caches`` on macOS).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
import warnings
import zlib
from collections.abc import Iterable
from pathlib import Path

ENVIRONMENT_VARIABLE = "ANALYZER_CACHE_DIR"
FILE_NAME = "results.sqlite3"
APP_NAME = "carrier-policy-analyzer"


def default_dir() -> Path:
    """The cache folder when none is given: ``ANALYZER_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / APP_NAME / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP_NAME


def digest(*parts: str | bytes) -> str:
    """SHA-256 over ``parts``, each length-prefixed (no two part lists share a digest)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


class ResultCache:
    """Key → bytes, persistent and shared between processes (see the module docstring)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()
        self.path = self.folder / FILE_NAME
        self._connection: sqlite3.Connection | None = None
        self._pid: int | None = None
        self.hits = 0
        self.misses = 0

    # --- the connection ------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL, created REAL)"
        )
        connection.execute("SELECT count(*) FROM results WHERE key = ''").fetchone()  # readable?
        return connection

    def _db(self) -> sqlite3.Connection:
        # a connection is never shared across a fork: a worker process opens its own
        if self._connection is None or self._pid != os.getpid():
            try:
                self._connection = self._open()
            except sqlite3.DatabaseError as error:
                self._rebuild(error)
            self._pid = os.getpid()
        assert self._connection is not None
        return self._connection

    def _rebuild(self, error: Exception) -> None:
        """Move an unreadable cache aside and start an empty one."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        stamp = time.strftime("%Y%m%d%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                part.replace(part.with_name(f"{part.name}.corrupt-{stamp}"))
        warnings.warn(
            f"キャッシュ {self.path} を読めないため作り直します / "
            f"rebuilding unreadable cache {self.path}: {error}",
            RuntimeWarning,
            stacklevel=3,
        )
        self._connection = self._open()

    def _run(self, action):
        try:
            return action(self._db())
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                raise
            self._rebuild(error)
            return action(self._db())

    # --- reading and writing -------------------------------------------------------------------
    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}

        def read(db: sqlite3.Connection) -> None:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
                    try:
                        found[key] = zlib.decompress(value)
                    except zlib.error:
                        continue  # a damaged entry is a miss, rewritten when recomputed

        if wanted:
            self._run(read)
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def put(self, key: str, value: bytes) -> None:
        self.put_many([(key, value)])

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        rows = [(key, zlib.compress(value, 6), time.time()) for key, value in items]

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO results (key, value, created) VALUES (?, ?, ?)", rows)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

        if rows:
            self._run(write)

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def __getstate__(self) -> dict:  # sent to worker processes: they open their own connection
        return {
            "folder": self.folder,
            "path": self.path,
            "hits": 0,
            "misses": 0,
            "_connection": None,
            "_pid": None,
        }
