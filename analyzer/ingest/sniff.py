"""Decide a file's format from its content; the suffix is only a hint."""

from __future__ import annotations

import io
import re
import zipfile

from analyzer.errors import IngestError

SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

# Content we recognise but cannot read: (magic prefix, Japanese name, English name).
_UNSUPPORTED_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG画像", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG画像", "a JPEG image"),
    (b"GIF87a", "GIF画像", "a GIF image"),
    (b"GIF89a", "GIF画像", "a GIF image"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "旧形式のOffice文書（.doc/.xls）",
        "a legacy Office file (.doc/.xls)",
    ),
    (b"{\\rtf", "RTF文書", "an RTF document"),
    (b"\x1f\x8b", "gzip圧縮ファイル", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z圧縮ファイル", "a 7z archive"),
    (b"Rar!", "RAR圧縮ファイル", "a RAR archive"),
    (b"\x7fELF", "実行ファイル", "an executable"),
    (b"MZ", "実行ファイル", "an executable"),
)

_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(rb"</?(p|div|h[1-6]|li|table|span|br)[\s/>]", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise IngestError(
            "ZIP形式（.docx など）として壊れています。ファイルが途中で切れている可能性があります",
            f"broken ZIP container (.docx?): {exc}",
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise IngestError(
            "Excel ファイル（.xlsx）は対応していません", "Excel files (.xlsx) are not supported"
        )
    if any(n.startswith("ppt/") for n in names):
        raise IngestError(
            "PowerPoint ファイル（.pptx）は対応していません", "PowerPoint files (.pptx) are not supported"
        )
    raise IngestError("Word 文書ではない ZIP ファイルです", "a ZIP archive that is not a Word document")


def sniff_binary_format(data: bytes) -> str | None:
    """``pdf`` or ``docx`` when the bytes are one of them, None for text; raises on formats we
    recognise but do not read."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, name_ja, name_en in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise IngestError(
                f"内容が{name_ja}で、対応形式（txt・md・html・pdf・docx）ではありません",
                f"the content is {name_en}, not a supported format (txt, md, html, pdf, docx)",
            )
    return None


def sniff_text_format(data: bytes, text: str, suffix: str) -> str:
    """``html``, ``md`` or ``txt`` for decoded text, from its content first, its suffix second."""
    head = data[:8192]
    if _HTML_START.search(head) or (SUFFIX_FORMATS.get(suffix) == "html" and _HTML_TAG.search(head)):
        return "html"
    if SUFFIX_FORMATS.get(suffix) == "md":
        return "md"
    if SUFFIX_FORMATS.get(suffix) in (None, "pdf", "docx", "html") and _MD_HEADING.search(text[:8192]):
        return "md"
    return "txt"
