"""The package version (pyproject.toml reads it from here), and a digest of the package's own
code: cached results are keyed by it too, so a changed reading is never served from an old run
whatever the version says."""

import hashlib
from functools import cache
from pathlib import Path

__version__ = "0.1.0"


@cache
def code_digest() -> str:
    """SHA-256 over the package's Python sources (path and bytes, in path order)."""
    root = Path(__file__).resolve().parent
    hasher = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix().encode()
        data = path.read_bytes()
        hasher.update(len(relative).to_bytes(4, "big") + relative + len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()
