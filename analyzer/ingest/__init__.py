"""Ingest: file bytes → the visible text, its source map and what the file told us about itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import AnalyzerError, IngestError
from analyzer.ingest.encoding import canonical_encoding, decode_text
from analyzer.ingest.sniff import SUFFIX_FORMATS, sniff_binary_format, sniff_text_format
from analyzer.model import SourceRun

MAX_BYTES = 50 * 1024 * 1024

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
    """Read and ingest one file. Raises :class:`IngestError` naming the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(
                f"ファイルが大きすぎます（{size:,} バイト、上限 {MAX_BYTES:,} バイト）",
                f"file too large ({size:,} bytes; limit {MAX_BYTES:,})",
                path=str(path),
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise IngestError("ディレクトリです", "is a directory", path=str(path)) from exc
    except PermissionError as exc:
        raise IngestError("読み取り権限がありません", "permission denied", path=str(path)) from exc
    except FileNotFoundError as exc:
        raise IngestError("ファイルがありません", "file not found", path=str(path)) from exc
    except OSError as exc:
        raise IngestError(f"読み込めません: {exc}", f"cannot read: {exc}", path=str(path)) from exc
    return ingest_bytes(data, str(path))


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
