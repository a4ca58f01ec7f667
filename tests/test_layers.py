"""Stages only import downwards: ingest → structure → nlp → detect → score → report, with the
orchestration (pipeline, evaluation, batch, cli) above them and the shared foundations (data
model, errors, taxonomy, settings, normalisation, atomic writes, bounded memos, model files) below. A reader
finds where a clause is cut or a label decided by following the flow, never against it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "analyzer"

# The order of the flow, written here on its own (not read from the code under test). compare
# works on analysed documents (alignment, screening policy) and feeds the reports.
LEVELS: dict[str, float] = {
    "ingest": 1,
    "structure": 2,
    "nlp": 3,
    "detect": 4,
    "score": 5,
    "compare": 5.5,
    "report": 6,
    "pipeline": 7,
    "evaluation": 8,
    "batch": 8,
    "cli": 9,
    "__main__": 10,
}
FOUNDATIONS = {
    "errors",
    "model",
    "settings",
    "taxonomy",
    "normalize",
    "atomic",
    "memo",
    "cache",
    "model_files",
    "data",
    "version",
}


def _level(module: str) -> float:
    parts = module.split(".")
    if parts == ["analyzer"]:
        return 11  # the package's face re-exports the API
    top = parts[1]
    if top in FOUNDATIONS:
        return 0
    assert top in LEVELS, f"analyzer.{top} has no place in the flow: add it to LEVELS"
    return LEVELS[top]


def _is_submodule(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analyzer":
            if node.module == "analyzer":  # the package's submodules, or else its face
                found += [
                    (f"analyzer.{a.name}" if _is_submodule(a.name) else "analyzer", node.lineno)
                    for a in node.names
                ]
            else:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "analyzer"]
    return found


def test_no_module_imports_a_stage_above_its_own() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        own = _level(module)
        for imported, line in _imports(path):
            if _level(imported) > own:
                upward.append(f"{module}:{line} imports {imported}")
    assert upward == []


def test_foundations_import_no_stage() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        module = _module_name(path)
        if module.split(".")[-1] in FOUNDATIONS:
            assert all(_level(imported) == 0 for imported, _ in _imports(path)), module


def test_the_check_sees_an_upward_import() -> None:
    """The walk is not vacuous: an import of the report stage from the structure stage is caught."""
    assert _level("analyzer.report.html") > _level("analyzer.structure.segment")
    assert _imports(Path(__file__)) == []  # this file imports nothing from the package
