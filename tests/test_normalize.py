"""NFKC copies map back to the original text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.normalize import mask_asides, normalize


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


def test_a_full_stop_inside_an_aside_is_masked_and_nothing_else_moves() -> None:
    """「（以下「利用者」という。）」 ends no sentence: its 「。」 becomes a space, the sentence's own
    「。」 stays, and the copy keeps its length, so offsets into it are offsets into the NFKC copy."""
    copy = normalize(
        "本サービスを利用しようとする者（以下「利用者」という。）は、本規約に同意したものとする。"
    ).text
    masked = mask_asides(copy)
    assert len(masked) == len(copy)
    assert masked.count("。") == 1 and masked.endswith("。")
    assert "(以下「利用者」という )" in masked
    assert (
        mask_asides("前項の「通信履歴」とは、接続の記録をいう。")
        == "前項の「通信履歴」とは、接続の記録をいう。"
    )
