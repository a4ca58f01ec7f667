"""The analyzer as a user installs it: a built wheel carries its model, a missing model is a usage
error and never a silent fall back to rules alone, and the Python API gives what the CLI gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
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
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built by ``python -m build`` from a copy of the sources, installed into a new
    virtual environment outside the repository. The environment reaches the test environment's
    site-packages for the dependencies only (a path line, so the checkout's editable install
    there is not activated); the analyzer itself comes from the wheel."""
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
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--no-compile", str(wheel)],
        check=True,
    )
    return python


def test_a_wheel_in_a_fresh_venv_finds_its_model_and_reports_what_the_checkout_reports(
    fresh_venv: Path, tmp_path: Path
) -> None:
    env = {
        key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "ANALYZER_MODELS_DIR"}
    }
    where = subprocess.run(
        [
            str(fresh_venv),
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
    installed = Path(where[0]).parent
    assert installed.is_relative_to(fresh_venv.parents[1]) and where[1] == str(installed / "_models")
    assert where[2] == str(installed / "_models" / "train.jsonl")  # explain's examples

    out = tmp_path / "out"
    documents = sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".jsonl" and p.suffix != ".yaml"
    )
    run = subprocess.run(
        [
            str(fresh_venv),
            "-m",
            "analyzer",
            "analyze",
            *map(str, documents),
            "-o",
            str(out),
            "--format",
            "json",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    editable = analyzer.Analyzer()
    for document in documents:
        from_wheel = _labels(json.loads((out / f"{document.stem}.json").read_text("utf-8")))
        from_checkout = _labels(json.loads(editable.analyze(document).model_dump_json()))
        assert from_wheel == from_checkout, document.name
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


USER_RULE = """
- id: user.device_fingerprint
  label: excess_access
  confidence: 0.9
  explanation: 端末の識別情報を網羅的に収集しています。
  match:
    regex: ['端末指紋']
  examples:
    positive: [当社は端末指紋を収集します。]
    negative: [当社は端末の型番を確認します。]
"""


def test_an_analyzer_reads_the_users_own_rule_files_in_place_of_the_shipped_ones(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(USER_RULE, "utf-8")
    document = tmp_path / "policy.txt"
    document.write_text(
        "第1条（取得する情報）\n当社は、本アプリの利用に際し、端末指紋を取得します。\n"
        "第2条（管轄）\n本規約に関する紛争は、東京地方裁判所を第一審の専属的合意管轄裁判所とします。\n",
        "utf-8",
    )
    found = {
        (c.path, f.label, f.rule)
        for c in analyzer.Analyzer(rules_only=True, rules=[rules]).analyze(document).iter_clauses()
        for f in c.findings
    }
    # the user's rule fires; the shipped jurisdiction rule is not loaded
    assert found == {("第1条", "excess_access", "user.device_fingerprint")}
    with pytest.raises(analyzer.AnalyzerError) as caught:
        analyzer.Analyzer(rules_only=True, rules=[tmp_path / "missing.yaml"])
    assert caught.value.path == str(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: [unclosed\n", "utf-8")
    with pytest.raises(analyzer.AnalyzerError):
        analyzer.Analyzer(rules_only=True, rules=[broken])
