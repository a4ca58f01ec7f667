"""NLP: Sudachi tokens and lemmas through GiNZA's spaCy pipeline, parsed only where needed."""

from analyzer.nlp.pipeline import JapaneseNLP, get_nlp

__all__ = ["JapaneseNLP", "get_nlp"]
