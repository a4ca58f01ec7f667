"""Write a diff (``analyzer/compare/diff.py``) as diff.json, diff.html and diff.md."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.atomic import write_atomic
from analyzer.compare.diff_schema import DocumentDiff
from analyzer.report.diff_html import render_diff_html
from analyzer.report.diff_markdown import render_diff_markdown

__all__ = ["render_diff_html", "render_diff_markdown", "write_diff"]


def write_diff(diff: DocumentDiff, out_dir: Path) -> list[Path]:
    """Write diff.json, diff.html and diff.md into ``out_dir`` (each atomically); return their
    paths."""
    out_dir = Path(out_dir)
    outputs = {
        "diff.json": json.dumps(diff.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n",
        "diff.html": render_diff_html(diff),
        "diff.md": render_diff_markdown(diff),
    }
    paths = []
    for name, content in outputs.items():
        path = out_dir / name
        write_atomic(path, content)
        paths.append(path)
    return paths
