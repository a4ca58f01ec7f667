"""A memo of bounded size for per-text results that recur (clauses across folds of a
cross-validation, boilerplate across the documents of a batch): a batch of any length keeps the
memory of a short one."""

from __future__ import annotations

from typing import TypeVar

V = TypeVar("V")


class BoundedMemo(dict[str, V]):
    """A dict that starts afresh when it reaches ``limit`` entries: the texts that recur are
    back in it after a few documents, and its size never grows with the batch."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: str, value: V) -> None:
        if key not in self and len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)
