"""Which articles a clause cites (「第１２条第１項の情報」 → 第12条), and the number a clause's own
text opens with (「第５条（同意）」), which names the clause itself, not an earlier one."""

from __future__ import annotations

import re

from analyzer.normalize import normalize

# on the NFKC copy: 「第 ５ 条の２」 reads 「第 5 条の2」
ARTICLE_CITATION = re.compile(r"第\s*([0-9]+)\s*条(?:\s*の\s*([0-9]+))?")

# on the original text: 「第５条（同意）」「第 3 2 条」「第6条の2」
OWN_ARTICLE = re.compile(
    r"^\s*第\s*[0-9０-９一二三四五六七八九十百\s]+条(?:\s*の\s*[0-9０-９一二三四五六七八九十]+)?\s*(?:[（(][^）)]{0,30}[）)])?"
)


def article_key(number: str, branch: str | None) -> str:
    return f"第{int(number)}条" + (f"の{int(branch)}" if branch else "")


def cited_articles(text: str) -> list[str]:
    """Articles ``text`` cites, in order, each once."""
    matches = ARTICLE_CITATION.finditer(normalize(text).text)
    return list(dict.fromkeys(article_key(*m.groups()) for m in matches))


def heading_article(heading: str | None) -> str | None:
    """The article a heading numbers (「第 ５ 条（利用目的）」 → 第5条), or None."""
    match = ARTICLE_CITATION.match(normalize(heading or "").text.strip())
    return article_key(*match.groups()) if match else None
