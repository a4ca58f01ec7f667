"""Property tests: no input makes ingest or structure fail with anything but our own error,
and every offset they report points into the text."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.ingest import ingest_bytes
from analyzer.pipeline import segment_bytes
from analyzer.structure import segment_text
from analyzer.structure.sentences import split_sentences
from tests.conftest import assert_offsets

# Pieces real documents are made of, so that random text hits markers, brackets and lists.
PIECES = [
    "第1条",
    "第十二条",
    "（目的）",
    "第2章",
    "第1節",
    "附則",
    "別表第1",
    "２　",
    "2 ",
    "３．",
    "一　",
    "二　",
    "(1)",
    "（２）",
    "1.",
    "1-1",
    "①",
    "ⅰ",
    "i.",
    "ア　",
    "イ　",
    "(ア)",
    "a)",
    "・",
    "※",
    "【窓口】",
    "■",
    "当社は、",
    "お客様の同意を得て",
    "「",
    "」",
    "（",
    "）",
    "『",
    "』",
    "。",
    "、",
    "\n",
    "\n\n",
    "\t",
    "　",
    " ",
    "次の各号",
    "次の表のとおりとします。",
    "用語\t意味",
    "2024年4月1日　制定",
    "以上",
    "# ",
    "## ",
    "\r\n",
    "<p>",
    "</p>",
    "&amp;",
]
japanese_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=60).map("".join)
SUFFIXES = ["a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a.bin", "noext"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), name=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_raise_only_our_error(data: bytes, name: str) -> None:
    try:
        document = segment_bytes(data, name)
    except AnalyzerError as error:
        assert error.reason_ja and error.reason_en and error.path == name
        return
    assert_offsets(document)


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body>"]),
    data=st.binary(max_size=1024),
)
def test_corrupt_files_of_each_format_raise_only_our_error(prefix: bytes, data: bytes) -> None:
    with contextlib.suppress(AnalyzerError):
        ingest_bytes(prefix + data, "x")


@settings(max_examples=300, deadline=None)
@given(text=japanese_text, codec=st.sampled_from(["utf-8", "cp932", "euc_jp", "utf-16"]))
def test_japanese_like_text_round_trips_or_fails_cleanly(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    try:
        document = segment_bytes(data, "a.txt")
    except AnalyzerError:
        return
    assert_offsets(document)


@settings(max_examples=500, deadline=None)
@given(text=japanese_text)
def test_structure_offsets_always_match_the_text(text: str) -> None:
    result = segment_text(text)
    for section in result.sections:
        stack = [section]
        while stack:
            node = stack.pop()
            assert text[node.start : node.end] == node.text
            children = list(getattr(node, "sections", [])) + list(node.clauses)
            for clause in children:
                assert node.start <= clause.start <= clause.end <= node.end
            stack.extend(children)
            for sentence in getattr(node, "sentences", []):
                assert text[sentence.start : sentence.end] == sentence.text


@settings(max_examples=500, deadline=None)
@given(text=japanese_text)
def test_sentences_cover_the_text_in_order_without_overlap(text: str) -> None:
    spans = split_sentences(text, 0, len(text))
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())
