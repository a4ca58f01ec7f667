"""Ingest: encodings, formats, HTML main text, PDF layout, DOCX, and clear errors."""

from __future__ import annotations

import io

import pytest

from analyzer.errors import IngestError
from analyzer.ingest import ingest_bytes
from analyzer.ingest.encoding import decode_text
from tests.conftest import make_pdf

POLICY = (
    "第1条（目的）\n本規約は、株式会社テスト通信（以下「当社」といいます。）が提供する"
    "通信サービスの利用条件を定めるものです。\n２　当社は、お客様の通信の秘密を守ります。\n"
)


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp932", "cp932"),
        ("euc_jp", "euc-jp"),
        ("iso2022_jp", "iso-2022-jp"),
        ("utf-16", "utf-16"),
    ],
)
def test_each_japanese_encoding_is_detected_and_reported(codec: str, reported: str) -> None:
    text, encoding = decode_text(POLICY.encode(codec))
    assert encoding == reported
    assert text == POLICY


def test_short_cp932_and_euc_jp_are_not_confused() -> None:
    sample = "当社は、個人情報を適切に取り扱います。"
    assert decode_text(sample.encode("cp932"))[1] == "cp932"
    assert decode_text(sample.encode("euc_jp"))[1] == "euc-jp"


def test_euc_jp_with_circled_numbers_decodes() -> None:
    sample = "①　当社は、お客様の同意を得て利用します。"
    text, encoding = decode_text(sample.encode("euc_jis_2004"))
    assert (text, encoding) == (sample, "euc-jp")


def test_undecodable_bytes_raise_instead_of_mojibake() -> None:
    garbage = bytes(range(0x80, 0x100)) * 8
    with pytest.raises(IngestError) as raised:
        decode_text(garbage)
    assert "文字コード" in raised.value.reason_ja or "バイナリ" in raised.value.reason_ja


def test_empty_and_whitespace_files_are_errors_naming_the_file() -> None:
    with pytest.raises(IngestError) as raised:
        ingest_bytes(b"", "empty.txt")
    assert raised.value.path == "empty.txt"
    assert "空" in raised.value.reason_ja and "empty" in raised.value.reason_en
    with pytest.raises(IngestError):
        ingest_bytes("　\n \n".encode(), "blank.txt")


def test_crlf_is_unified_and_mapped_back_to_the_source() -> None:
    source = "第1条　本規約は適用されます。\r\n２　当社は通知します。\r\n"
    result = ingest_bytes(source.encode("cp932"), "a.txt")
    assert result.text == source.replace("\r\n", "\n")
    for run in result.source_map:
        visible = result.text[run.start : run.end]
        raw = source[run.source_start : run.source_end]
        assert visible == raw or (visible, raw) == ("\n", "\r\n")


HTML = """<!DOCTYPE html><html lang="ja"><head><meta charset="Shift_JIS">
<title>個人情報保護方針 | テスト通信</title><style>p{color:red}</style>
<script>var secret = "表示されない";</script></head>
<body><header><a href="/">テスト通信</a><nav><ul><li>ホーム</li><li>サポート</li></ul></nav></header>
<main><h1>個人情報保護方針</h1>
<p>当社は、お客様の
情報を保護します。&nbsp;詳しくは&lt;窓口&gt;へ。&#12300;引用&#12301;</p>
<h2>1. 利用目的</h2>
<ol><li>サービスの提供</li><li>料金の請求</li></ol>
<table><tr><th>用語</th><td>意味</td></tr><tr><td>契約者</td><td>当社と契約した者</td></tr></table>
<div hidden>隠し要素</div>
</main>
<aside>関連リンク</aside><footer>&copy; テスト通信</footer></body></html>"""


def test_html_keeps_main_visible_text_as_lines() -> None:
    result = ingest_bytes(HTML.encode("cp932"), "policy.html")
    text = result.text
    assert result.format == "html" and result.encoding == "cp932"
    assert result.title_hint == "個人情報保護方針 | テスト通信"
    for hidden in ("表示されない", "color:red", "ホーム", "関連リンク", "©", "隠し要素"):
        assert hidden not in text
    # a source line break between two Japanese characters is not a space
    assert "お客様の情報を保護します。" in text
    assert "\xa0詳しくは<窓口>へ。「引用」" in text
    assert "1. サービスの提供\n2. 料金の請求" in text  # numbers the browser draws
    assert "用語\t意味\n契約者\t当社と契約した者" in text
    lines = text.split("\n")
    assert lines[0] == "個人情報保護方針" and "1. 利用目的" in lines


def test_html_source_map_points_at_the_source_characters() -> None:
    source = HTML
    result = ingest_bytes(source.encode("utf-8"), "policy.html")
    for run in result.source_map:
        visible = result.text[run.start : run.end]
        raw = source[run.source_start : run.source_end]
        if run.end - run.start == run.source_end - run.source_start:
            assert visible == raw
        else:  # an entity or a collapsed space
            assert raw.startswith(("&", " ", "\n")) or raw.isspace()


def test_html_declared_charset_that_lies_is_reported() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>当社は情報を守ります。</p></body></html>'
    result = ingest_bytes(page.encode("cp932"), "x.html")
    assert result.encoding == "cp932"
    assert any("utf-8" in warning for warning in result.warnings)


def _wrapped(text: str, width: int = 40) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def test_pdf_drops_running_header_and_page_numbers_and_joins_pages() -> None:
    # 80 characters: two full lines, so the sentence runs on to page 2
    first = "当社は、契約者の通信の秘密を保護するため、通信履歴を適切に管理し、法令に基づく場合を除き、これを第三者に提供せず、"
    first = (first * 2)[:80]
    page1 = ["第1条（通信の秘密）", *_wrapped(first)]
    page2 = [
        "契約者に対し、その管理の状況を説明します。",
        "第2条（料金）",
        "料金は、別表に定めるとおりとします。",
    ]
    data = make_pdf([page1, page2], header="テスト通信 サービス契約約款", page_numbers="- {n} -")
    result = ingest_bytes(data, "yakkan.pdf")
    assert result.format == "pdf" and result.encoding is None
    assert "サービス契約約款" not in result.text
    assert "- 1 -" not in result.text and "- 2 -" not in result.text
    lines = result.text.strip().split("\n")
    assert lines[0] == "第1条（通信の秘密）"
    assert lines[1].endswith("契約者に対し、その管理の状況を説明します。")  # joined across the page
    assert lines[2:] == ["第2条（料金）", "料金は、別表に定めるとおりとします。"]
    for run in result.source_map:
        assert run.page in (1, 2)


def test_pdf_page_numbers_of_the_n_of_m_kind_are_removed() -> None:
    data = make_pdf(
        [["第1条　本約款を定めます。"], ["第2条　料金を定めます。"]], page_numbers="{n} / {total}"
    )
    result = ingest_bytes(data, "a.pdf")
    assert "/ 2" not in result.text
    assert result.text.split("\n")[:2] == ["第1条\u3000本約款を定めます。", "第2条\u3000料金を定めます。"]


def test_pdf_footnotes_are_kept_apart_from_the_body() -> None:
    data = make_pdf(
        [["第1条　料金は月額とします。※1", "第2条　支払方法は当社が定めます。"]],
        footnote="※1　表示金額は税込みです。",
    )
    result = ingest_bytes(data, "a.pdf")
    body, notes = result.text[: result.body_end], result.text[result.body_end :]
    assert "表示金額は税込みです" not in body
    assert "※1\u3000表示金額は税込みです。" in notes
    assert "月額とします。※1" in body


def test_truncated_pdf_is_an_error() -> None:
    data = make_pdf([["第1条　本約款を定めます。"]])
    with pytest.raises(IngestError) as raised:
        ingest_bytes(data[: len(data) // 2], "broken.pdf")
    assert "PDF" in raised.value.reason_ja and raised.value.path == "broken.pdf"


def test_docx_paragraphs_and_tables_in_order() -> None:
    import docx

    document = docx.Document()
    document.add_heading("利用規約", level=0)
    document.add_heading("第1条（定義）", level=1)
    document.add_paragraph("本規約における用語は、次の表のとおりとします。")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "用語", "意味"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "会員", "本サービスに登録した者"
    document.add_paragraph("２　当社は、本規約を変更できます。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = ingest_bytes(buffer.getvalue(), "terms.docx")
    assert result.format == "docx"
    assert result.text.split("\n")[:6] == [
        "利用規約",
        "第1条（定義）",
        "本規約における用語は、次の表のとおりとします。",
        "用語\t意味",
        "会員\t本サービスに登録した者",
        "２　当社は、本規約を変更できます。",
    ]
    assert result.line_hints.get(0) == "heading"


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "policy.pdf", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "terms.docx", "旧形式"),
        (b"PK\x03\x04garbage", "terms.docx", "ZIP"),
        (bytes(range(256)) * 4, "policy.txt", "バイナリ"),
    ],
)
def test_unreadable_content_is_an_error_with_a_reason(data: bytes, name: str, fragment: str) -> None:
    with pytest.raises(IngestError) as raised:
        ingest_bytes(data, name)
    assert fragment in raised.value.reason_ja
    assert raised.value.reason_en and raised.value.path == name


def test_content_beats_a_lying_suffix() -> None:
    result = ingest_bytes(HTML.encode("utf-8"), "policy.txt")
    assert result.format == "html"
    assert any(".txt" in warning for warning in result.warnings)
    pdf = make_pdf([["第1条　本約款を定めます。"]])
    assert ingest_bytes(pdf, "policy.html").format == "pdf"
