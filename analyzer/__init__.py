"""Analyzer for Japanese telecom carriers' privacy policies and terms of service."""

from analyzer.model import SCHEMA_VERSION, StructuredDocument
from analyzer.pipeline import segment_bytes, segment_file

__version__ = "0.1.0"

__all__ = ["SCHEMA_VERSION", "StructuredDocument", "__version__", "segment_bytes", "segment_file"]
