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
