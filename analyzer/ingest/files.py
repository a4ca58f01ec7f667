"""The document files among the paths a user names. Folders are walked without following links
to folders; every entry passed over is kept with its reason; nothing but a regular file is ever
opened here (a FIFO would block, a device never end).

A path named on the command line is always a candidate (ingest reports what it is). Inside a
folder, an entry with a document suffix is a candidate whatever it is — a FIFO, a dangling or
looping link — so that reading it fails with its reason in ``errors.csv`` instead of vanishing;
so is a sub-folder that cannot be read. A folder holding an analyzer output (its
``.analyzer-output`` marker) or named in ``exclude`` (the batch's own ``-o``) is passed over, so
the tool's outputs are never read back as documents.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analyzer.ingest.sniff import SUFFIX_FORMATS

__all__ = ["OUTPUT_MARKER", "Skipped", "discover"]

# The file every batch writes into its output folder
OUTPUT_MARKER = ".analyzer-output"


@dataclass(frozen=True)
class Skipped:
    """An entry passed over, and why (Japanese, English)."""

    path: Path
    reason_ja: str
    reason_en: str


def discover(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Skipped]]:
    """Files to read, and the entries passed over with their reasons."""
    excluded = {_identity(path) for path in exclude}
    selected: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            _walk(path, excluded, selected, skipped)
        else:
            selected.append(path)
    return selected, skipped


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _walk(root: Path, excluded: set, selected: list[Path], skipped: list[Skipped]) -> None:
    def unreadable(error: OSError) -> None:
        # an unreadable sub-folder becomes a candidate: ingest names it with its reason
        if error.filename and Path(error.filename) != root:
            selected.append(Path(error.filename))
        else:
            reason_ja = f"フォルダを読めません: {error.strerror}"
            skipped.append(Skipped(root, reason_ja, f"unreadable folder: {error}"))

    for folder, folders, names in os.walk(root, onerror=unreadable):
        here = Path(folder)
        if _identity(here) in excluded or (here / OUTPUT_MARKER).exists():
            reason_ja = "analyzer の出力フォルダです（文書として読みません）"
            skipped.append(Skipped(here, reason_ja, "an analyzer output folder"))
            folders[:] = []
            continue
        kept = []
        for name in sorted(folders):
            child = here / name
            if name.startswith("."):
                skipped.append(Skipped(child, "隠しフォルダです", "hidden folder"))
            elif child.is_symlink():
                reason_ja = "フォルダへのシンボリックリンクはたどりません"
                skipped.append(Skipped(child, reason_ja, "link to a folder, not followed"))
            else:
                kept.append(name)
        folders[:] = kept
        for name in sorted(names):
            _consider(here / name, selected, skipped)


def _consider(path: Path, selected: list[Path], skipped: list[Skipped]) -> None:
    if path.name.startswith("."):
        skipped.append(Skipped(path, "隠しファイルです", "hidden file"))
        return
    if path.name == OUTPUT_MARKER:
        return
    if path.suffix.lower() in SUFFIX_FORMATS:
        selected.append(path)  # whatever it is: ingest reads it or says why not
        return
    try:
        mode = path.stat().st_mode
    except OSError as error:
        skipped.append(Skipped(path, f"読めません: {error.strerror}", f"cannot stat: {error}"))
        return
    if not stat.S_ISREG(mode):
        skipped.append(Skipped(path, "通常のファイルではありません", "not a regular file"))
    elif _looks_like_document(path):
        selected.append(path)
    else:
        skipped.append(Skipped(path, "対応していない形式です", "not a document format"))


def _looks_like_document(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"%PDF-", b"PK\x03\x04"))
