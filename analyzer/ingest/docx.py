"""DOCX: body paragraphs and tables in document order, one line each (cells tab-separated)."""

from __future__ import annotations

import io
import zipfile

from analyzer.errors import IngestError
from analyzer.ingest.textbuilder import TextBuilder
from analyzer.settings import limits

_HEADING_STYLES = ("heading", "見出し", "title", "表題")


def check_members(data: bytes) -> None:
    """Refuse a .docx whose zip holds too many members or unpacks beyond the limit
    (limits.yaml ``docx``), before anything is unpacked. The sizes are the declared ones, which
    bound what Python's zip reader will ever return."""
    limit = limits()["docx"]
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise IngestError("Word 文書（.docx）として読めません", f"unreadable .docx: {exc!r}") from exc
    if len(members) > limit["max_members"]:
        raise IngestError(
            f"Word 文書（.docx）の構成ファイルが多すぎます（{len(members):,} 個、上限 max_members "
            f"{limit['max_members']:,} 個）",
            f"too many members in the .docx ({len(members):,}; limit max_members {limit['max_members']:,})",
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit["max_uncompressed_bytes"]:
        raise IngestError(
            f"Word 文書（.docx）を展開すると大きすぎます（{unpacked:,} バイト、上限 "
            f"max_uncompressed_bytes {limit['max_uncompressed_bytes']:,} バイト）",
            f"the .docx unpacks to {unpacked:,} bytes (limit max_uncompressed_bytes "
            f"{limit['max_uncompressed_bytes']:,})",
        )


def extract_docx(data: bytes) -> tuple[TextBuilder, list[str]]:
    """Return the text and warnings (automatic numbering Word draws but does not store)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_members(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError("Word 文書（.docx）として読めません", f"unreadable .docx: {exc!r}") from exc
    except Exception as exc:  # lxml raises its own XMLSyntaxError for broken parts
        if type(exc).__name__ == "XMLSyntaxError":
            raise IngestError(
                "Word 文書（.docx）の XML が壊れています", f"broken XML in .docx: {exc}"
            ) from exc
        raise
    builder = TextBuilder()
    numbered = 0
    # python-docx resolves a paragraph without a style of its own by scanning every style of the
    # document for the default: resolve each style id once
    style_names: dict[str | None, str] = {}
    for index, block in enumerate(document.iter_inner_content()):
        if isinstance(block, Paragraph):
            text = block.text
            if not text.strip():
                builder.blank_line()
                continue
            builder.newline()
            style_id = block._p.style
            if style_id not in style_names:
                resolved = block.style
                style_names[style_id] = (resolved.name if resolved is not None else "") or ""
            style = style_names[style_id]
            if style.lower().startswith(_HEADING_STYLES):
                builder.hint_line("heading")
            properties = block._p.pPr
            if properties is not None and properties.numPr is not None:
                numbered += 1
            builder.add(text, 0, element=index)
            builder.newline()
        elif isinstance(block, Table):
            builder.newline()
            for row in block.rows:
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell.text.replace("\n", " "))
                for position, cell_text in enumerate(cells):
                    if position:
                        builder.add("\t")
                    builder.add(cell_text, 0, element=index)
                builder.newline()
    warnings = []
    if numbered:
        warnings.append(
            f"自動番号付きの段落が {numbered} 個あります（Word が描く番号は本文に含まれません） / "
            f"{numbered} paragraphs use Word automatic numbering, which is not part of the text"
        )
    return builder, warnings
