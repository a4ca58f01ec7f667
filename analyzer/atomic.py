"""Outputs are written atomically: a reader (or a crash) sees the old file or the whole new one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to; it replaces ``path`` when the block ends
    and is removed if the block fails (a killed process leaves only a ``.<name>.*.tmp``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temporary)
        # mkstemp creates the file private (0600); outputs are ordinary files the user shares.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` so that ``path`` is either the old file or the complete new one."""
    with atomic_target(path) as temporary:
        temporary.write_text(content, encoding="utf-8")
