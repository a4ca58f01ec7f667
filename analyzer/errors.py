"""Errors the analyzer raises on purpose.

Every failure the user can cause (a bad file, a bad option) is an :class:`AnalyzerError` with a
Japanese reason for the report and an English one for researchers and logs. Anything else
escaping the analyzer is a bug.
"""

from __future__ import annotations


class AnalyzerError(Exception):
    """A failure with a reason in Japanese (``reason_ja``) and in English (``reason_en``)."""

    def __init__(self, reason_ja: str, reason_en: str, *, path: str | None = None) -> None:
        self.reason_ja = reason_ja
        self.reason_en = reason_en
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{reason_ja} / {reason_en}")

    def with_path(self, path: str) -> AnalyzerError:
        """Return the same error naming ``path`` (ingest helpers do not know the file name)."""
        error = type(self)(self.reason_ja, self.reason_en, path=path)
        error.__cause__ = self.__cause__
        return error


def internal_error(error: Exception, path: str | None = None) -> AnalyzerError:
    """A bug met while reading ``path``, reported on that file like any other failure (so that a
    batch goes on) and asking to be reported."""
    internal = AnalyzerError(
        f"内部エラー（{type(error).__name__}）。不具合として報告してください",
        f"internal error: {type(error).__name__}: {error}",
        path=path,
    )
    internal.__cause__ = error
    return internal


class IngestError(AnalyzerError):
    """The file could not be turned into text: empty, binary, undecodable, truncated…"""


class StructureError(AnalyzerError):
    """The text could not be segmented (should only happen on internal limits)."""
