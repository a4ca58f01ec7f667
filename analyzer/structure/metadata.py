"""Who issued a document and from when it applies: the carrier's name and the effective date
(制定日・改定日・施行日), read from the text or given by a manifest."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import get_args

import yaml

from analyzer.errors import AnalyzerError
from analyzer.model import DocType, StructuredDocument

_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_DATE = re.compile(
    r"(?:(?P<era>令和|平成|昭和)(?P<eyear>元|\d{1,2})|(?P<year>(?:19|20)\d{2}))年"
    r"\s*(?P<month>\d{1,2})月\s*(?P<day>\d{1,2})日"
)
_KIND = re.compile(r"制定|改定|改正|施行|実施|適用|発効|最終更新|更新")
_IN_FORCE = re.compile(r"(?P<date>[^。\n]{0,20}日)(?:から|より)(?:施行|実施|適用)")
_KIND_NAMES = {
    "改正": "改定",
    "更新": "改定",
    "最終更新": "改定",
    "実施": "施行",
    "適用": "施行",
    "発効": "施行",
}


@dataclass(frozen=True)
class DocumentMeta:
    carrier: str | None
    effective_date: str | None  # ISO date
    date_kind: str | None  # 制定 / 改定 / 施行
    source: str  # text / manifest


def parse_japanese_date(text: str) -> date | None:
    """The first date in ``text`` (西暦 or 令和/平成/昭和, full- or half-width digits)."""
    match = _DATE.search(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    if match.group("era"):
        eyear = match.group("eyear")
        year = _ERAS[match.group("era")] + (1 if eyear == "元" else int(eyear))
    else:
        year = int(match.group("year"))
    try:
        return date(year, int(match.group("month")), int(match.group("day")))
    except ValueError:
        return None


def effective_date(document: StructuredDocument) -> tuple[str | None, str | None]:
    """The latest dated line (制定・改定・施行), or a 「…から施行します」 sentence of the 附則."""
    found: list[tuple[date, str]] = []
    for span in document.document.dates:
        when = parse_japanese_date(span.text)
        if when:
            kind = _KIND.search(span.text)
            found.append((when, _KIND_NAMES.get(kind.group(), kind.group()) if kind else "改定"))
    if not found:
        for match in _IN_FORCE.finditer(document.document.text):
            when = parse_japanese_date(match.group("date"))
            if when:
                found.append((when, "施行"))
    if not found:
        return None, None
    when, kind = max(found)
    return when.isoformat(), kind


@cache
def _names() -> dict:
    raw = yaml.safe_load(resources.files("analyzer.structure").joinpath("metadata.yaml").read_text("utf-8"))
    forms = "|".join(sorted(map(re.escape, raw["corporate_forms"]), key=len, reverse=True))
    selves = "|".join(map(re.escape, raw["self_names"]))
    part = r"[^\s、。「」『』（）()]"
    return {
        "forms": re.compile(forms),
        # 「ソフトバンク株式会社（以下、当社といいます）」「…（以下「サービス提供者」という。）」
        "self": re.compile(rf"(?P<name>{part}{{1,60}}?)\s*[（(]以下[、,]?\s*[「『]?(?:{selves})[」』]?"),
        # 「東急不動産 株式会社」 (form after the name) or 「株式会社オノコム」 (form before it)
        "company": re.compile(rf"{part}{{1,30}}?[ 　]?(?:{forms})|(?:{forms})[ 　]?{part}{{1,30}}"),
        "tail": re.compile(raw["name_tail"]),
        "recipient": re.compile(raw["recipient_context"]),
        "joins": re.compile(raw["name_joins"]),
    }


def _clean_name(candidate: str) -> str | None:
    """The first organisation named in ``candidate``, its definitional tail cut off
    (「株式会社シナプスのことをいいます」→「株式会社シナプス」); None for a bare form."""
    names = _names()
    for piece in names["joins"].split(candidate):
        piece = piece.strip()
        form = names["forms"].search(piece)
        if form is None:
            continue
        if form.start() == 0:  # 株式会社シナプス…: the name follows the form
            rest = piece[form.end() :].lstrip(" 　")
            tail = names["tail"].search(rest)
            rest = rest[: tail.start()] if tail else rest
            if rest[:1] in set("のがはをにでとへもや") and not ("\u3041" <= rest[1:2] <= "\u309f"):
                rest = ""  # 「株式会社の運営する…」: the form alone, then a particle (not 「にじいろ」)
            name = f"{form.group()}{rest}" if rest else None
        else:
            name = piece[: form.end()]
        if name:
            return re.sub(r"(?<=\S)[ 　](?=" + names["forms"].pattern + ")", "", name)
    return None


def carrier_name(document: StructuredDocument) -> str | None:
    """The company the document speaks for: what 「当社」 (or 「運営者」「サービス提供者」…) is
    defined as, else the first organisation named in the opening text, else None."""
    head = document.document.text[:3000]
    names = _names()
    for match in names["self"].finditer(head):
        name = _clean_name(match.group("name"))
        if name:
            return name
    for match in names["company"].finditer(head):
        line_start = head.rfind("\n", 0, match.start()) + 1
        before = head.rfind("\n", 0, max(line_start - 1, 0)) + 1
        line_end = head.find("\n", match.end())
        context = head[before : line_end if line_end >= 0 else len(head)]
        if names["recipient"].search(context):
            continue  # a recipient listed by the page, not the page's issuer
        name = _clean_name(match.group())
        if name:
            return name
    return None


def read_meta(document: StructuredDocument) -> DocumentMeta:
    when, kind = effective_date(document)
    return DocumentMeta(carrier=carrier_name(document), effective_date=when, date_kind=kind, source="text")


@dataclass(frozen=True)
class ManifestRow:
    carrier: str | None
    doc_type: str | None
    date: str | None


MANIFEST_COLUMNS = ("path", "carrier", "doc_type", "date")
DOC_TYPES = get_args(DocType)


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of a manifest CSV (columns path, carrier, doc_type, date; empty cells keep what the
    text says), keyed by the resolved path and by the bare file name."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AnalyzerError(
            f"マニフェストを読めません: {error}", f"cannot read manifest: {error}", path=str(path)
        ) from error
    if not rows or "path" not in rows[0]:
        raise AnalyzerError(
            "マニフェストに path 列がありません（列: path, carrier, doc_type, date）",
            "manifest has no path column (columns: path, carrier, doc_type, date)",
            path=str(path),
        )
    out: dict[str, ManifestRow] = {}
    for number, row in enumerate(rows, start=2):
        doc_type = (row.get("doc_type") or "").strip() or None
        if doc_type and doc_type not in DOC_TYPES:
            raise AnalyzerError(
                f"マニフェスト{number}行目の doc_type「{doc_type}」は "
                f"{', '.join(DOC_TYPES)} のいずれでもありません",
                f"manifest line {number}: doc_type {doc_type!r} is not one of {', '.join(DOC_TYPES)}",
                path=str(path),
            )
        raw_date = (row.get("date") or "").strip()
        parsed = None
        if raw_date:
            try:
                parsed = date.fromisoformat(raw_date).isoformat()
            except ValueError:
                when = parse_japanese_date(raw_date)
                if when is None:
                    raise AnalyzerError(
                        f"マニフェスト{number}行目の日付「{raw_date}」を読めません（例: 2024-04-01）",
                        f"manifest line {number}: cannot read date {raw_date!r} (e.g. 2024-04-01)",
                        path=str(path),
                    ) from None
                parsed = when.isoformat()
        carrier = (row.get("carrier") or "").strip() or None
        entry = ManifestRow(carrier=carrier, doc_type=doc_type, date=parsed)
        listed = Path(row["path"].strip())
        resolved = listed if listed.is_absolute() else (path.parent / listed)
        out[str(resolved.resolve())] = entry
        out.setdefault(listed.name, entry)
    return out


def manifest_entry(manifest: dict[str, ManifestRow] | None, source: str | Path) -> ManifestRow | None:
    if not manifest:
        return None
    source = Path(source)
    return manifest.get(str(source.resolve())) or manifest.get(source.name)


def apply_meta(document: StructuredDocument) -> StructuredDocument:
    """Fill the document's carrier and effective date from its text (in place)."""
    meta = read_meta(document)
    info = document.document
    info.carrier = meta.carrier
    info.effective_date = meta.effective_date
    info.effective_date_kind = meta.date_kind
    info.meta_source = "text"
    return document


def apply_manifest(document: StructuredDocument, row: ManifestRow) -> StructuredDocument:
    """Let a manifest row override carrier, document type and date (in place); empty cells keep
    what the text says."""
    info = document.document
    if row.carrier:
        info.carrier = row.carrier
    if row.date:
        info.effective_date, info.effective_date_kind = row.date, "manifest"
    if row.doc_type:
        info.doc_type = row.doc_type  # type: ignore[assignment]
        info.doc_type_confidence = 1.0
    info.meta_source = "manifest"
    return document
