"""One lazily loaded GiNZA pipeline, used two ways.

Tokenising (Sudachi: surface, lemma, part of speech) runs at ~100,000 characters/s here; the
full GiNZA parse (dependencies) at ~2,500. So rules ask for tokens by default and for a parse
only when a dependency pattern must be checked, and only on the clauses a cheap regular
expression has already picked.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc


class JapaneseNLP:
    """Tokenise or parse Japanese text with ``ja_ginza``."""

    def __init__(self, model: str = "ja_ginza") -> None:
        import spacy

        self._nlp: Language = spacy.load(model)
        self._tokens: dict[str, Doc] = {}

    @property
    def vocab(self):
        return self._nlp.vocab

    def tokenize(self, text: str) -> Doc:
        """Tokens with lemma, tag and part of speech; no parse. The last few thousand texts are
        remembered: the frames read a clause's own text, the rules its sentences and the
        classifier its NFKC copy, which for half of all clauses are the same string. Callers
        read the tokens and never change them."""
        doc = self._tokens.get(text)
        if doc is None:
            if len(self._tokens) >= 4096:
                self._tokens.clear()
            doc = self._tokens[text] = self._nlp.make_doc(text)
        return doc

    def tokenize_many(self, texts: Iterable[str]) -> list[Doc]:
        return [self.tokenize(text) for text in texts]

    def parse(self, text: str) -> Doc:
        """The full GiNZA analysis (dependencies, bunsetu). Slow: call it sparingly."""
        return self._nlp(text)

    def parse_many(self, texts: Iterable[str], batch_size: int = 32) -> list[Doc]:
        return list(self._nlp.pipe(texts, batch_size=batch_size))


@cache
def get_nlp() -> JapaneseNLP:
    """The shared pipeline (loaded once per process: ~1.5 s)."""
    return JapaneseNLP()
