"""The document files among the paths a user names: folders are walked, hidden files and other
suffixes are passed over (and reported), a file named on the command line is always read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analyzer.ingest.sniff import SUFFIX_FORMATS

__all__ = ["discover"]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to read and files passed over. A file named on the command line is always read;
    inside a folder, files with a document suffix (or PDF/DOCX content) are read, hidden files
    and other suffixes are passed over."""
    selected: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(p.startswith(".") for p in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUFFIX_FORMATS or _looks_like_document(child):
                    selected.append(child)
                else:
                    skipped.append(child)
        else:
            selected.append(path)
    return selected, skipped


def _looks_like_document(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"%PDF-", b"PK\x03\x04"))
