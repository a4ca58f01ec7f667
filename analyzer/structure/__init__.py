"""Structure: text → sections (章・節・条, policy headings) → clauses (項・号, items) → sentences."""

from analyzer.structure.segment import SegmentResult, segment_text
from analyzer.structure.sentences import split_sentences

__all__ = ["SegmentResult", "segment_text", "split_sentences"]
