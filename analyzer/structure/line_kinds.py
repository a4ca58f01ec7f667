"""What a line is, read from its text: a date or metadata line, an unnumbered or bracketed
heading, a list lead-in, a note or footnote, a table row or header, a contact line; a marker
behind a bullet; a heading with its English translation."""

from __future__ import annotations

import re
from dataclasses import replace

from analyzer.structure.layout import layout_policy
from analyzer.structure.markers import Marker, find_markers

DATE = (
    r"(?:(?:令和|平成|昭和)\s*(?:[0-9０-９]+|元)|[0-9０-９]{4})\s*年"
    r"\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
)
DATE_WORD = r"(?:制定|改定|改正|施行|更新|最終改定|最終更新|公表|発効|作成|実施)(?:日)?"
DATED = rf"[（(【\[]?\s*(?:{DATE_WORD}\s*[:：　 ]*)?{DATE}\s*(?:{DATE_WORD}|から施行)?\s*[）)】\]]?"
META_LINE = re.compile(rf"^{DATED}(?:[\s　/／、]*{DATED})*$|^以\s*上$")
UNNUMBERED_HEADING = re.compile(r"^(?:【[^【】。]{1,30}】|[■□◆◇][^。]{1,40})$")
PAREN_HEADING = re.compile(r"^[（(]([^（）()。]{1,40})[）)]$")
PAREN_BEFORE_ARTICLE = re.compile(
    r"^[（(]([^（）()。]{1,40})[）)]\s*(?=第\s*[0-9０-９一二三四五六七八九十百]+\s*条)"
)
LEAD_IN = re.compile(r"(次の|以下の|下記の|次に掲げる|以下に掲げる|以下のとおり|次のとおり|各号)")
NOTE = re.compile(r"^(※|＊|\*(?!\s)|注[:：　 ]|\(注\)|（注）)")
FOOTNOTE_MARK = re.compile(r"^(※\s*\d+|\*\s*\d+|注\s*\d+|[(（]注\s*\d+[)）])")
TABLE_ROW = re.compile(r"^(\S{1,24}?)(?:\t+|\u3000{2,}|[ ]{2,}|\u3000[ ]+|[ ]+\u3000)\s*(\S.*)$")
HEADER_WORDS = {"用語", "意味", "定義", "用語の意味", "項目", "内容", "名称", "説明", "区分", "備考", "語句"}
SENTENCE_END = ("。", "！", "？", "!", "?")
# A bracketed aside (「（以下「規約等」といいます。）」) ends no sentence of the line around it.
BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)|「[^「」]*」|『[^『』]*』")


def looks_like_header(cells: list[str]) -> bool:
    """「会社名　所在地　主な事業」: short labels with no punctuation open a table."""
    longest = layout_policy().table_header_cell_max_length
    return len(cells) >= 2 and all(
        len(c) <= longest and not re.search(r"[。、，,（(0-9０-９]|株式会社|合同会社|有限会社", c)
        for c in cells
    )


def marker_after(body: str, offset: int) -> Marker | None:
    """The marker that starts at ``body[offset:]``, its offsets counted from the start of
    ``body`` (a marker behind a bullet or a bracketed heading)."""
    found = find_markers(body[offset:])
    if not found:
        return None
    marker = found[0]
    return replace(
        marker, start=marker.start + offset, end=marker.end + offset, rest_start=marker.rest_start + offset
    )


def contact_line(body: str) -> bool:
    """A line of an address or contact block: 「〒530-0099」「電話：06-…」「…サポートセンター」."""
    body = body.strip()
    return bool(layout_policy().contact_line.search(body)) and not body.endswith(SENTENCE_END)


# A heading's English translation after a slash (「アカウント停止・制限 / Account Termination &
# Restrictions」), which bilingual pages add, does not make it a sentence.
TRANSLATION = re.compile(r"\s*[/／]\s*[A-Za-z][A-Za-z0-9\s&,.'’()\-:]*$")


def sentence_inside(body: str) -> bool:
    """Whether a 「。」 ends a sentence before the line's own end, asides in brackets aside."""
    return "。" in BRACKETED.sub("", body).rstrip("。")


def phrase_item(body: str) -> bool:
    """Whether a line reads as an item's phrase: no 「。」 at all (「…により本サービスの運営ができなく
    なった場合」), or a phrase closed by 「。」 (「…を侵害する行為。」), perhaps with one sentence
    more (「…提供を行うため。ただし、…提供は行いません。」); not a sentence of its own predicate."""
    policy = layout_policy()
    sentences = [s.strip() for s in BRACKETED.sub("", body).rstrip("。").split("。")]
    if len(sentences) == 1 and not body.endswith("。"):
        return True
    return len(sentences) <= policy.unmarked_phrase_item_max_sentences and bool(
        policy.unmarked_phrase_item_end.search(sentences[0])
    )


def item_text(body: str) -> bool:
    """Text that a list's item could be: one phrase (「…により運営ができなくなった場合」, up to
    ``unmarked_phrase_item_max_length``) or one short sentence (up to ``unmarked_item_max_length``),
    no sentence inside it but a phrase's proviso, no address and no subject of its own (layout.yaml)."""
    policy = layout_policy()
    phrase = phrase_item(body)
    longest = policy.unmarked_phrase_item_max_length if phrase else policy.unmarked_item_max_length
    return (
        0 < len(body) <= longest
        and (phrase or not sentence_inside(body))
        and not policy.unmarked_item_excludes.search(body)
    )


def list_phrase(text: str) -> bool:
    """「統計データの作成のため」「その他の当社の事業活動（各種連絡等）」: one line that names a
    purpose, a ground or an item without being a sentence, as the items of a list are written."""
    body = text.strip()
    return "\n" not in body and not body.endswith(SENTENCE_END) and item_text(body)


def is_heading_text(rest: str) -> bool:
    own = TRANSLATION.sub("", rest) or rest
    return (
        bool(rest) and len(own) <= layout_policy().heading_text_max_length and not rest.endswith(SENTENCE_END)
    )
