"""Decode the bytes of a text file, telling which encoding it was in.

Japanese documents arrive as UTF-8 (with or without BOM), CP932/Shift_JIS, EUC-JP, ISO-2022-JP
or UTF-16. Several of these decode the same bytes without error, so a strict decode alone is not
proof: when more than one candidate decodes, the one whose text looks most like Japanese prose
wins. A file no candidate decodes is an error; we never return mojibake.
"""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

from analyzer.errors import IngestError

# Reported name → Python codecs tried in order (the later ones are supersets some writers use).
_CODECS: dict[str, tuple[str, ...]] = {
    "utf-8": ("utf-8",),
    "cp932": ("cp932",),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_2004", "iso2022_jp_ext"),
}
_DECLARED_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "cp932": "cp932",
    "ms932": "cp932",
    "euc-jp": "euc-jp",
    "x-euc-jp": "euc-jp",
    "eucjp": "euc-jp",
    "iso-2022-jp": "iso-2022-jp",
}
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(B", b"\x1b$(Q", b"\x1b$(D")


def canonical_encoding(declared: str) -> str | None:
    """Map a declared charset name (HTML meta) to one of our reported names, or None."""
    return _DECLARED_ALIASES.get(declared.strip().lower())


def _strict(data: bytes, name: str) -> str | None:
    for codec in _CODECS[name]:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def japanese_score(text: str) -> float:
    """How much ``text`` looks like Japanese prose, from -1 to 1.

    Hiragana, full-width punctuation and common kanji count for; half-width katakana, private
    use and control characters (what a wrong multi-byte decode produces) count against.
    """
    if not text:
        return 0.0
    good = bad = total = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        total += 1
        if 0x3040 <= code <= 0x30FF or 0x3000 <= code <= 0x303F or 0x4E00 <= code <= 0x9FFF:
            good += 1
        elif (
            0xFF61 <= code <= 0xFF9F
            or 0xE000 <= code <= 0xF8FF
            or 0x80 <= code <= 0x9F
            or unicodedata.category(char) in {"Co", "Cn", "Cc"}
        ):
            bad += 1
    if total == 0:
        return 0.0
    return (good - 2 * bad) / total


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _check_not_binary(text: str, encoding: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise IngestError(
            f"制御文字が多すぎます（{encoding} として {controls} 個）。バイナリファイルの可能性があります",
            f"too many control characters ({controls} as {encoding}); probably a binary file",
        )


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` with the encoding's reported name.

    ``declared`` is a charset the file states about itself (HTML ``<meta charset>``); it is
    used when it decodes cleanly. Raises :class:`IngestError` when nothing fits.
    """
    if not data:
        raise IngestError("ファイルが空です（0バイト）", "the file is empty (0 bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"UTF-8 の BOM がありますが、{exc.start} バイト目以降が UTF-8 として読めません",
                f"UTF-8 BOM present but byte {exc.start} is not valid UTF-8",
            ) from exc
        _check_not_binary(text, "utf-8-sig")
        return text, "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(
                "UTF-16 の BOM がありますが、内容が UTF-16 として読めません",
                "UTF-16 BOM present but the content is not valid UTF-16",
            ) from exc
        _check_not_binary(text, "utf-16")
        return text, "utf-16"
    if any(escape in data for escape in _ISO2022_ESCAPES) and max(data) < 0x80:
        text = _strict(data, "iso-2022-jp")
        if text is not None:
            _check_not_binary(text, "iso-2022-jp")
            return text, "iso-2022-jp"
    if b"\x00" in data:
        raise IngestError(
            "NUL バイトを含むバイナリファイルです（テキストでも対応形式でもありません）",
            "binary file (contains NUL bytes; neither text nor a supported format)",
        )
    if declared and declared in _CODECS:
        text = _strict(data, declared)
        if text is not None:
            _check_not_binary(text, declared)
            return text, declared
    text = _strict(data, "utf-8")
    if text is not None:
        _check_not_binary(text, "utf-8")
        return text, "utf-8"
    decoded = {name: _strict(data, name) for name in ("cp932", "euc-jp")}
    scored = sorted(
        ((japanese_score(text), name, text) for name, text in decoded.items() if text is not None),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.3 or charset_normalizer.is_binary(data):
        raise IngestError(
            "文字コードを判定できません"
            "（UTF-8・UTF-16・CP932・EUC-JP・ISO-2022-JP のいずれとしても読めません）",
            "cannot decode: not valid UTF-8, UTF-16, CP932, EUC-JP or ISO-2022-JP text",
        )
    _, name, text = scored[0]
    _check_not_binary(text, name)
    return text, name
