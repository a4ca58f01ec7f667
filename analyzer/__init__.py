"""Analyzer for Japanese telecom carriers' privacy policies and terms of service.

    >>> import analyzer
    >>> document = analyzer.analyze("corpora/documents/kumo_mvno_privacy.txt")
    >>> [(c.path, f.label) for c in document.iter_clauses() for f in c.findings]  # doctest: +SKIP

``analyze`` reads, segments, classifies, checks and scores one file; ``analyze_bytes`` does the
same for a document in memory; ``segment_file`` / ``segment_bytes`` stop after the structure.
``Analyzer(model=…, rules_only=…, profile=…)`` holds one configuration and its engine, with
``analyze``, ``analyze_bytes`` and ``analyze_many`` (each path with its analysis or its error).
Every failure the user can cause is an :class:`AnalyzerError` naming the file and the reason.
"""

from analyzer.errors import AnalyzerError
from analyzer.model import SCHEMA_VERSION, StructuredDocument
from analyzer.pipeline import Analyzer, analyze_bytes, segment_bytes, segment_file
from analyzer.pipeline import analyze_file as analyze
from analyzer.version import __version__

__all__ = [
    "SCHEMA_VERSION",
    "Analyzer",
    "AnalyzerError",
    "StructuredDocument",
    "__version__",
    "analyze",
    "analyze_bytes",
    "segment_bytes",
    "segment_file",
]
