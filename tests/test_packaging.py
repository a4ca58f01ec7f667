"""The analyzer as a user installs it: a built wheel carries its model, a missing model is a usage
error and never a silent fall back to rules alone, and the Python API gives what the CLI gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analyzer
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = CORPUS / "kumo_mvno_privacy.txt"


def _labels(document: dict) -> list[tuple[str, str, str]]:
    """(clause path, label, method) of every clause finding in an analysis JSON."""
    found = []

    def walk(clauses: list[dict]) -> None:
        for clause in clauses:
            found.extend((clause["path"], f["label"], f["method"]) for f in clause["findings"])
            walk(clause["clauses"])

    def sections(items: list[dict]) -> None:
        for section in items:
            walk(section["clauses"])
            sections(section["sections"])

    sections(document["sections"])
    return sorted(found)


def _run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel from a copy of the sources and installed into a folder of its
    own (dependencies come from the test environment)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "analyzer", source / "analyzer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", source / "models")
    (source / "corpora" / "clauses").mkdir(parents=True)
    shutil.copy2(ROOT / "corpora" / "clauses" / "train.jsonl", source / "corpora" / "clauses" / "train.jsonl")
    wheels = work / "dist"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)], check=True
    )
    target = work / "site"
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-compile", "--target", str(target), str(wheel)], check=True
    )
    return target


def test_installed_wheel_finds_its_model_and_reports_what_the_checkout_reports(
    installed: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("ANALYZER_MODELS_DIR", None)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import analyzer, analyzer.model_files as m; print(analyzer.__file__); print(m.models_dir()); "
            "print(m.training_clauses())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert where[0].startswith(str(installed)) and where[1] == str(installed / "analyzer" / "_models")
    assert where[2] == str(installed / "analyzer" / "_models" / "train.jsonl")  # explain's examples

    out = tmp_path / "out"
    run = _run_cli(["analyze", str(SAMPLE), "-o", str(out), "--format", "json"], tmp_path, env)
    assert run.returncode == 0, run.stderr
    from_wheel = _labels(json.loads((out / "kumo_mvno_privacy.json").read_text("utf-8")))
    from_checkout = _labels(json.loads(analyzer.analyze(SAMPLE).model_dump_json()))
    assert from_wheel == from_checkout
    # the regression this guards: an installed copy once ran on rules alone without a word
    assert any(method in {"model", "rule+model"} for _, _, method in from_wheel)


def test_a_missing_model_is_a_usage_error_not_a_rules_only_run(tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {**os.environ, "ANALYZER_MODELS_DIR": str(empty)}
    out = tmp_path / "out"
    run = _run_cli(["analyze", str(SAMPLE), "-o", str(out)], tmp_path, env)
    assert run.returncode == 2
    message = (run.stdout + run.stderr).replace("\n", "")  # the console wraps long paths
    assert "clause_model.joblib" in message and str(empty) in message
    assert not out.exists() or not any(out.iterdir())
    # asked for explicitly, rules alone still run
    run = _run_cli(
        ["analyze", str(SAMPLE), "-o", str(out), "--rules-only", "--format", "json"], tmp_path, env
    )
    assert run.returncode == 0, run.stdout + run.stderr
    rules = _labels(json.loads((out / "kumo_mvno_privacy.json").read_text("utf-8")))
    assert rules and all(method.startswith("rule:") for _, _, method in rules)


def test_python_api_reads_paths_and_bytes_alike_and_names_bad_files(tmp_path: Path) -> None:
    from_path = analyzer.analyze(SAMPLE)
    from_bytes = analyzer.analyze_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    assert _labels(json.loads(from_path.model_dump_json())) == _labels(
        json.loads(from_bytes.model_dump_json())
    )
    assert len(from_path.guideline_items) == 27 and from_path.scores is not None
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(analyzer.AnalyzerError) as caught:
        analyzer.analyze(empty)
    assert caught.value.path == str(empty)


def test_an_analyzer_object_keeps_its_own_configuration(tmp_path: Path) -> None:
    """Two analyzers with different profiles side by side: each reports what its profile allows
    (the careful location policy: nothing raised by the screening default, the model's
    indefinite-retention reading in the recall profile), neither changes the other."""
    document = CORPUS / "hoshizora_location_policy.docx"
    screening = analyzer.Analyzer()
    recall = analyzer.Analyzer(profile="recall")

    def problems(document_: analyzer.StructuredDocument) -> set[str]:
        return {f.label for c in document_.iter_clauses() for f in c.findings if f.kind == "problem"}

    assert problems(screening.analyze(document)) == set()
    assert "indefinite_retention" in problems(recall.analyze(document))
    assert problems(screening.analyze(document)) == set()
    with pytest.raises(analyzer.AnalyzerError):
        analyzer.Analyzer(profile="lenient")
    with pytest.raises(analyzer.AnalyzerError):
        analyzer.Analyzer(model=tmp_path / "missing.joblib")


def test_analyze_many_goes_on_past_a_bad_file_in_the_order_given(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [broken, SAMPLE, empty]
    results = list(analyzer.Analyzer(rules_only=True).analyze_many(paths))
    assert [path for path, _ in results] == paths
    assert isinstance(results[0][1], analyzer.AnalyzerError) and results[0][1].path == str(broken)
    assert isinstance(results[1][1], analyzer.StructuredDocument) and len(results[1][1].guideline_items) == 27
    assert isinstance(results[2][1], analyzer.AnalyzerError) and results[2][1].path == str(empty)
