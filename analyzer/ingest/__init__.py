"""Ingest: file bytes → the visible text, its source map and what the file told us about itself."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import AnalyzerError, IngestError
from analyzer.ingest.encoding import canonical_encoding, decode_text
from analyzer.ingest.sniff import SUFFIX_FORMATS, sniff_binary_format, sniff_text_format
from analyzer.model import SourceRun
from analyzer.settings import limits

_FORMAT_NAMES = {"txt": "テキスト", "md": "Markdown", "html": "HTML", "pdf": "PDF", "docx": "Word (docx)"}


@dataclass
class IngestedText:
    """What ingest hands to structure."""

    path: str
    sha256: str
    format: str
    encoding: str | None
    text: str
    body_end: int
    source_map: list[SourceRun]
    line_hints: dict[int, str] = field(default_factory=dict)
    title_hint: str | None = None
    warnings: list[str] = field(default_factory=list)


def ingest_bytes(data: bytes, path: str = "<bytes>") -> IngestedText:
    """Turn ``data`` (the content of ``path``) into visible text. Raises :class:`IngestError`."""
    try:
        return _ingest(data, path)
    except AnalyzerError as error:
        raise error.with_path(path) from error.__cause__


def ingest_file(path: str | Path) -> IngestedText:
    """Read and ingest one file. Raises :class:`IngestError` naming the file. Only regular
    files are opened: a device, FIFO or socket is reported, never read."""
    path = Path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            if not os.access(path, os.R_OK | os.X_OK):
                raise IngestError(
                    "フォルダを読めません（権限がありません）", "unreadable folder (permission denied)"
                )
            raise IngestError("ディレクトリです", "is a directory")
        if not stat.S_ISREG(info.st_mode):
            kind_ja, kind_en = _special_kind(info.st_mode)
            raise IngestError(
                f"通常のファイルではありません（{kind_ja}）。読み込みません",
                f"not a regular file ({kind_en}); not read",
            )
        limit = limits()["max_file_bytes"]
        if info.st_size > limit:
            raise IngestError(
                f"ファイルが大きすぎます（{info.st_size:,} バイト、上限 max_file_bytes {limit:,} バイト）",
                f"file too large ({info.st_size:,} bytes; limit max_file_bytes {limit:,})",
            )
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # a file that grew since stat() is still cut at the limit
        if len(data) > limit:
            raise IngestError(
                f"ファイルが大きすぎます（上限 max_file_bytes {limit:,} バイト）",
                f"file too large (limit max_file_bytes {limit:,})",
            )
    except IngestError as error:
        raise error.with_path(str(path)) from error.__cause__
    except PermissionError as exc:
        raise IngestError("読み取り権限がありません", "permission denied", path=str(path)) from exc
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise IngestError(
                "シンボリックリンクの指す先がありません", "dangling symbolic link", path=str(path)
            ) from exc
        raise IngestError("ファイルがありません", "file not found", path=str(path)) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError(
                "シンボリックリンクが循環しています", "symbolic link loop", path=str(path)
            ) from exc
        raise IngestError(f"読み込めません: {exc}", f"cannot read: {exc}", path=str(path)) from exc
    return ingest_bytes(data, str(path))


def _special_kind(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "名前付きパイプ", "a FIFO"
    if stat.S_ISSOCK(mode):
        return "ソケット", "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "デバイス", "a device"
    return "特殊ファイル", "a special file"


def _ingest(data: bytes, path: str) -> IngestedText:
    if not data:
        raise IngestError("ファイルが空です（0バイト）", "the file is empty (0 bytes)")
    suffix = Path(path).suffix.lower()
    expected = SUFFIX_FORMATS.get(suffix)
    warnings: list[str] = []
    sha256 = hashlib.sha256(data).hexdigest()
    binary_format = sniff_binary_format(data)
    encoding: str | None = None
    title_hint: str | None = None
    body_end: int | None = None
    if binary_format == "pdf":
        from analyzer.ingest.pdf import extract_pdf

        builder, body_end = extract_pdf(data)
        fmt = "pdf"
    elif binary_format == "docx":
        from analyzer.ingest.docx import extract_docx

        builder, docx_warnings = extract_docx(data)
        warnings.extend(docx_warnings)
        fmt = "docx"
    else:
        from analyzer.ingest.html import declared_charset, extract_html
        from analyzer.ingest.plaintext import extract_plain

        declared_name = declared_charset(data)
        declared = canonical_encoding(declared_name) if declared_name else None
        text, encoding = decode_text(data, declared)
        if declared and declared != encoding and not (declared == "utf-8" and encoding == "utf-8-sig"):
            warnings.append(
                f"宣言された文字コード {declared_name} ではなく {encoding} として読みました / "
                f"declared charset {declared_name} did not fit; decoded as {encoding}"
            )
        fmt = sniff_text_format(data, text, suffix)
        if fmt == "html":
            builder, title_hint = extract_html(text)
        else:
            builder = extract_plain(text, markdown=fmt == "md")
    if expected is not None and expected != fmt and not {expected, fmt} <= {"txt", "md"}:
        warnings.append(
            f"拡張子は {suffix} ですが、内容は{_FORMAT_NAMES[fmt]}でした / "
            f"suffix {suffix} but the content is {fmt}"
        )
    visible, runs = builder.build()
    most = limits()["max_characters"]
    if len(visible) > most:
        raise IngestError(
            f"本文が長すぎます（{len(visible):,} 字、上限 max_characters {most:,} 字）",
            f"text too long ({len(visible):,} characters; limit max_characters {most:,})",
        )
    if not visible.strip():
        raise IngestError("本文がありません（空白のみ）", "no visible text (only whitespace)")
    return IngestedText(
        path=path,
        sha256=sha256,
        format=fmt,
        encoding=encoding,
        text=visible,
        body_end=len(visible) if body_end is None else body_end,
        source_map=runs,
        line_hints=builder.line_hints,
        title_hint=title_hint,
        warnings=warnings,
    )
