"""The clause model on disk: a gzip-compressed pickle (protocol 5).

joblib's own format is read through its pure-Python unpickler, which took ~2 s of the ~3.3 s a
process needed to its first result; the same object as a plain pickle loads in ~0.15 s. The file
stays readable by ``joblib.load`` (it recognises gzip and plain pickles), and a model written in
joblib's format by an earlier version is still read.
"""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

_GZIP_MAGIC = b"\x1f\x8b"


def save_model(model, path: Path) -> None:
    """Write ``model`` to ``path`` atomically (a partial file renamed into place); ``mtime=0``
    keeps the bytes the same for the same model."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as out:
        pickle.dump(model, out, protocol=5)
    partial.replace(path)


def read_model(path: Path):
    """The object saved at ``path`` by :func:`save_model` or by ``joblib.dump``."""
    data = path.read_bytes()
    if data[:2] == _GZIP_MAGIC:
        try:
            return pickle.loads(gzip.decompress(data))
        except (pickle.UnpicklingError, EOFError, OSError, AttributeError, TypeError):
            pass  # a gzip-compressed joblib file: its unpickler below
    import joblib

    return joblib.load(path)
