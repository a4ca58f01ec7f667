"""GiNZA's Japanese pipeline, used two ways.

Tokenising (Sudachi: surface, lemma, part of speech) runs at ~100,000 characters/s here; the
full GiNZA parse (dependencies) at ~2,500. So rules ask for tokens by default and for a parse
only when a dependency pattern must be checked, and only on the clauses a cheap regular
expression has already picked. Tokens come from a blank Japanese pipeline with ``ja_ginza``'s
tokenizer settings; the trained components load on the first parse, into the same vocabulary.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from analyzer.settings import limits


def _without_subtokens(tokenizer):
    """A shallow copy of spaCy's Japanese tokenizer (same Sudachi object, same vocabulary)
    that skips the sub-token split; ``copy.copy`` would go through ``__reduce__`` and load the
    dictionary a second time."""
    if not hasattr(tokenizer, "need_subtokens"):
        return tokenizer
    clone = object.__new__(type(tokenizer))
    clone.__dict__.update(tokenizer.__dict__)
    clone.need_subtokens = False
    return clone


def _tokenizer_config(model: str) -> dict:
    """The ``[nlp.tokenizer]`` block of an installed spaCy model package's config (for
    ``ja_ginza``: Sudachi in split mode C), read without importing the package."""
    from spacy.util import get_package_path, is_package, load_config

    root = Path(model) if not is_package(model) else get_package_path(model)
    for path in [root / "config.cfg", *sorted(root.glob("*/config.cfg"))]:
        if path.is_file():
            return dict(load_config(path)["nlp"]["tokenizer"])
    raise OSError(f"no config.cfg in {root} (spaCy model {model!r})")


class JapaneseNLP:
    """Tokenise or parse Japanese text with ``ja_ginza``."""

    def __init__(self, model: str = "ja_ginza") -> None:
        import spacy

        self.model = model
        # Tokens come from the model's own tokenizer settings on a blank Japanese pipeline: the
        # trained components (tagger, parser, NER: ~1 s to load) are loaded on the first parse,
        # into the same vocabulary, and most runs never parse.
        self._blank: Language = spacy.blank("ja", config={"nlp": {"tokenizer": _tokenizer_config(model)}})
        self._parser: Language | None = None
        self._tokens: dict[str, Doc] = {}
        # Tokenising alone needs no Sudachi sub-tokens (only GiNZA's compound splitter reads
        # them, in a parse): splitting every morpheme again in modes A and B cost more than
        # Sudachi's own tokenisation.
        self._tokenizer = _without_subtokens(self._blank.tokenizer)

    @property
    def vocab(self):
        return self._blank.vocab

    @property
    def _nlp(self) -> Language:
        """The full GiNZA pipeline, loaded on first use into the shared vocabulary."""
        if self._parser is None:
            import spacy

            self._parser = spacy.load(self.model, vocab=self._blank.vocab)
        return self._parser

    def tokenize(self, text: str) -> Doc:
        """Tokens with lemma, tag and part of speech; no parse. The last few thousand texts are
        remembered: the frames read a clause's own text, the rules its sentences and the
        classifier its NFKC copy, which for half of all clauses are the same string. Callers
        read the tokens and never change them."""
        doc = self._tokens.get(text)
        if doc is None:
            if len(self._tokens) >= 4096:
                self._tokens.clear()
            doc = self._tokens[text] = self._make_doc(text)
        return doc

    def _make_doc(self, text: str) -> Doc:
        """Sudachi refuses inputs over 49,149 bytes: a longer text is tokenised in pieces cut
        at sentence or phrase ends (:func:`pieces`) and the pieces joined into one ``Doc``
        whose text is ``text`` unchanged."""
        most = limits()["nlp"]["max_tokenize_bytes"]
        if len(text.encode("utf-8")) <= most:
            return self._tokenizer(text)
        docs = [self._tokenizer(piece) for piece in pieces(text, most)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # W102: Sudachi's sub-token data is not merged
            return Doc.from_docs(docs, ensure_whitespace=False)

    def tokenize_many(self, texts: Iterable[str]) -> list[Doc]:
        return [self.tokenize(text) for text in texts]

    def parse(self, text: str) -> Doc:
        """The full GiNZA analysis (dependencies, bunsetu). Slow: call it sparingly, and only
        on texts within Sudachi's input limit (callers keep to ``max_parse_characters``)."""
        return self._nlp(text)

    def parse_many(self, texts: Iterable[str], batch_size: int = 32) -> list[Doc]:
        return list(self._nlp.pipe(texts, batch_size=batch_size))


_CUTS = ("。", "\n", "、", " ", "　")


def pieces(text: str, most_bytes: int) -> list[str]:
    """``text`` cut into pieces of at most ``most_bytes`` UTF-8 bytes, each cut after the last
    「。」 or line end within the piece, else after 「、」 or a space, else where the bytes end;
    the pieces joined give ``text``."""
    out: list[str] = []
    start = 0
    while start < len(text):
        # the longest prefix within the byte budget (a character is at most 4 bytes)
        end = min(len(text), start + most_bytes // 4)
        while end < len(text) and len(text[start : end + 1].encode("utf-8")) <= most_bytes:
            end = min(len(text), end + max(1, (most_bytes - len(text[start:end].encode("utf-8"))) // 4))
        if end < len(text):
            window = text[start:end]
            for mark in _CUTS:
                cut = window.rfind(mark)
                if cut > 0:
                    end = start + cut + 1
                    break
        out.append(text[start:end])
        start = end
    return out


@cache
def get_nlp() -> JapaneseNLP:
    """The shared pipeline (loaded once per process: ~1.5 s)."""
    return JapaneseNLP()
