"""The sample documents and their gold are exactly what the build script makes from the sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location(
        "build_sample_corpus", ROOT / "scripts" / "build_sample_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


def test_rebuilding_the_corpus_reproduces_the_committed_files(build_script, tmp_path: Path) -> None:
    records = build_script.build_all(tmp_path)
    assert len(records) == len(list((ROOT / "corpora" / "documents" / "src").glob("*.yaml")))
    for built in sorted(tmp_path.iterdir()):
        committed = ROOT / "corpora" / "documents" / built.name
        assert committed.read_bytes() == built.read_bytes(), (
            f"{built.name} is stale: run scripts/build_sample_corpus.py"
        )


def test_gold_paths_follow_the_citation_conventions(build_script) -> None:
    assert build_script.cite_item("（１）", 1) == "(1)"
    assert build_script.cite_item("三", 3) == "第3号"
    assert build_script.cite_item("・", 4) == "・4"
    assert build_script.cite_section("第十二条", "article") == "第12条"
    assert build_script.cite_section("１．", "heading") == "1."
    assert build_script.join("第1", "1.") == "第1 1."


def test_double_annotation_review_is_the_majority_of_three() -> None:
    """review/z_double_annotation_consent.jsonl is what the two blind annotations and the
    original labels decide by majority (scripts/adjudicate_double_annotation.py)."""
    script = ROOT / "scripts" / "adjudicate_double_annotation.py"
    spec = importlib.util.spec_from_file_location("adjudicate", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    original = module.labels_before_adjudication()
    a = {r["id"]: set(r["labels"]) for r in module.read(module.FOLDER / "annot_A.jsonl")}
    b = {r["id"]: set(r["labels"]) for r in module.read(module.FOLDER / "annot_B.jsonl")}
    assert set(a) == set(b) and len(a) == 658
    recorded = {d["id"]: d for d in module.read(module.REVIEW)}
    for clause_id in a:
        for label in module.LABELS:
            votes = (label in original[clause_id]) + (label in a[clause_id]) + (label in b[clause_id])
            decision = recorded.get(clause_id, {})
            if votes >= 2 and label not in original[clause_id]:
                assert label in decision.get("add", []), (clause_id, label)
            elif votes <= 1 and label in original[clause_id]:
                assert label in decision.get("remove", []), (clause_id, label)
            else:
                assert label not in decision.get("add", []) + decision.get("remove", []), (clause_id, label)
