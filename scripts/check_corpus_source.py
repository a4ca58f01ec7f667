"""Check the sample-document sources in corpora/documents/src before building.

Usage: python scripts/check_corpus_source.py [FILE.yaml ...]

Reports, per source: schema problems, characters that the target encoding cannot carry, and the
approximate length of the rendered text (the corpus asks for 2,000-10,000 characters).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from analyzer.structure.metadata import DOC_TYPES

ROOT = Path(__file__).resolve().parents[1] / "corpora" / "documents" / "src"
ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "utf-16": "utf-16",
}
FORMATS = {"txt", "md", "html", "pdf", "docx"}
SECTION_KEYS = {"marker", "heading", "paragraphs", "sections"}
PARAGRAPH_KEYS = {"text", "items", "definitions", "labels"}
ITEM_KEYS = {"marker", "text", "items", "labels"}
VALID_LABELS = {
    entry["id"]
    for key in ("problem_labels", "good_practice_labels")
    for entry in json.loads(
        (Path(__file__).resolve().parents[1] / "analyzer" / "data" / "labels.json").read_text("utf-8")
    )[key]
}


def _walk_texts(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "labels":
                continue
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


def _check_labels(node: dict, where: str, problems: list[str]) -> None:
    labels = node.get("labels", [])
    if not isinstance(labels, list) or any(label not in VALID_LABELS for label in labels):
        problems.append(f"{where}: labels must be a list of taxonomy label ids, got {labels!r}")


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
        _check_labels(item, f"{where} item {item['marker']}", problems)


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
            _check_labels(para, f"{here} paragraph {n}", problems)
            for row in para.get("definitions") or []:
                if not isinstance(row, dict) or not {"term", "text"} <= set(row) <= {
                    "term",
                    "text",
                    "labels",
                }:
                    problems.append(f"{here} paragraph {n}: definition rows need term and text")
                else:
                    _check_labels(row, f"{here} paragraph {n} row {row['term']}", problems)
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
    for n, entry in enumerate(doc.get("preamble") or [], 1):
        if isinstance(entry, dict):
            _check_labels(entry, f"preamble {n}", problems)
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
