"""Check the sample-document sources in corpora/documents/src before building.

Usage: python scripts/check_corpus_source.py [FILE.yaml ...]

Reports, per source: schema problems, characters that the target encoding cannot carry, and the
approximate length of the rendered text (the corpus asks for 2,000-10,000 characters).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "corpora" / "documents" / "src"
ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "utf-16": "utf-16",
}
DOC_TYPES = {"privacy_policy", "terms", "app_policy", "external_transmission", "other"}
FORMATS = {"txt", "md", "html", "pdf", "docx"}
SECTION_KEYS = {"marker", "heading", "paragraphs", "sections"}
PARAGRAPH_KEYS = {"text", "items", "definitions"}
ITEM_KEYS = {"marker", "text", "items"}


def _walk_texts(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"text", "heading", "title", "term", "marker"} and isinstance(value, str):
                yield value
            else:
                yield from _walk_texts(value)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, str):
                yield value
            else:
                yield from _walk_texts(value)


def _check_items(items: object, where: str, problems: list[str]) -> None:
    if not isinstance(items, list):
        problems.append(f"{where}: items must be a list")
        return
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not {"marker", "text"} <= item.keys():
            problems.append(f"{where} item {n}: needs marker and text")
            continue
        extra = set(item) - ITEM_KEYS
        if extra:
            problems.append(f"{where} item {n}: unknown keys {sorted(extra)}")
        if "items" in item:
            _check_items(item["items"], f"{where} item {item['marker']}", problems)


def _check_sections(sections: object, where: str, problems: list[str]) -> None:
    if not isinstance(sections, list):
        problems.append(f"{where}: sections must be a list")
        return
    for section in sections:
        if not isinstance(section, dict) or "marker" not in section:
            problems.append(f"{where}: every section needs a marker")
            continue
        here = f"{where} > {section['marker']}"
        extra = set(section) - SECTION_KEYS
        if extra:
            problems.append(f"{here}: unknown keys {sorted(extra)}")
        for n, para in enumerate(section.get("paragraphs") or [], 1):
            if not isinstance(para, dict) or "text" not in para:
                problems.append(f"{here} paragraph {n}: needs text")
                continue
            extra = set(para) - PARAGRAPH_KEYS
            if extra:
                problems.append(f"{here} paragraph {n}: unknown keys {sorted(extra)}")
            if "items" in para:
                _check_items(para["items"], f"{here} paragraph {n}", problems)
            for row in para.get("definitions") or []:
                if not isinstance(row, dict) or set(row) != {"term", "text"}:
                    problems.append(f"{here} paragraph {n}: definition rows need term and text")
        if "sections" in section:
            _check_sections(section["sections"], here, problems)


def check(path: Path) -> list[str]:
    problems: list[str] = []
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"YAML error: {exc}"]
    for key in ("id", "carrier", "doc_type", "quality", "format", "title", "sections"):
        if key not in doc:
            problems.append(f"missing key {key}")
    if doc.get("doc_type") not in DOC_TYPES:
        problems.append(f"doc_type must be one of {sorted(DOC_TYPES)}")
    if doc.get("format") not in FORMATS:
        problems.append(f"format must be one of {sorted(FORMATS)}")
    encoding = doc.get("encoding", "utf-8")
    if encoding not in ENCODINGS:
        problems.append(f"encoding must be one of {sorted(ENCODINGS)}")
    _check_sections(doc.get("sections"), doc.get("id", path.stem), problems)
    texts = list(_walk_texts(doc))
    codec = ENCODINGS.get(encoding, "utf-8")
    for text in texts:
        for char in text:
            try:
                char.encode(codec)
            except UnicodeEncodeError:
                problems.append(f"{char!r} (U+{ord(char):04X}) cannot be written in {encoding}")
    length = sum(len(t) + 2 for t in texts)
    print(f"{path.name}: about {length} characters")
    if not 2000 <= length <= 10000:
        problems.append(f"length {length} outside 2,000-10,000")
    return sorted(set(problems))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(ROOT.glob("*.yaml"))
    failed = False
    for path in paths:
        for problem in check(path):
            failed = True
            print(f"  {path.name}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
