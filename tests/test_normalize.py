"""NFKC copies map back to the original text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.normalize import normalize


def test_width_and_compatibility_forms_map_back() -> None:
    original = "ＡＢＣ　①通信㈱ｶﾞｲﾄﾞ\n\n  第１条"
    copy = normalize(original)
    assert copy.text == "ABC 1通信(株)ガイド 第1条"
    start = copy.text.index("(株)")
    assert copy.to_original(start, start + 3) == (original.index("㈱"), original.index("㈱") + 1)
    start = copy.text.index("ガイド")
    a, b = copy.to_original(start, start + 3)
    assert original[a:b] == "ｶﾞｲﾄﾞ"
    start = copy.text.index("第1条")
    a, b = copy.to_original(start, start + 3)
    assert original[a:b] == "第１条"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_every_normalised_span_maps_to_an_original_span_that_normalises_to_it(text: str) -> None:
    copy = normalize(text, fold_whitespace=False)
    assert len(copy.starts) == len(copy.text) == len(copy.ends)
    previous = 0
    for index in range(len(copy.text)):
        a, b = copy.to_original(index, index + 1)
        assert previous <= a < b <= len(text)
        previous = a
        assert copy.text[index] in unicodedata.normalize("NFKC", text[a:b])
