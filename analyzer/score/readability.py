"""How hard the text is to read: jReadability (Lee & Hasebe), Tateishi's RS', the distribution
of sentence lengths, kanji ratio, parenthesis nesting and double negatives — per document, per
top-level section, and the hardest sentences.

jReadability is computed here from MeCab/UniDic tokens (fugashi + unidic-lite, the tokenizer
the ``jreadability`` package uses) so that its parts can be shown; the result equals the
package's ``compute_readability`` on the same text.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from analyzer.model import (
    DocumentFinding,
    Evidence,
    HardSentence,
    ReadabilityMetrics,
    ReadabilityScore,
    SectionReadability,
    Sentence,
    StructuredDocument,
)
from analyzer.settings import compiled, document_patterns, limits, scoring

_SENTENCE_END = ("。", "？", "！", "．")


@cache
def _tagger():
    from fugashi import Tagger

    return Tagger()


@dataclass(frozen=True)
class JReadability:
    score: float
    mean_words_per_sentence: float
    kango_percent: float
    wago_percent: float
    verb_percent: float
    particle_percent: float


def _chunks(text: str) -> list[str]:
    """``text`` in pieces of whole lines of at most ``max_chunk_characters`` (limits.yaml; a
    longer line is cut where the budget ends): MeCab never tags a whole document at once."""
    most = limits()["readability"]["max_chunk_characters"]
    out: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > most:
            if current:
                out.append(current)
                current = ""
            out.append(line[:most])
            line = line[most:]
        if len(current) + len(line) > most:
            out.append(current)
            current = ""
        current += line
    if current:
        out.append(current)
    return out


@dataclass(frozen=True)
class _Counts:
    """What the formula reads from a tagged text: tokens, sentence ends, the tokens after the
    last end (a sentence still running), and the counts of each word class."""

    tokens: int = 0
    ends: int = 0
    trailing: int = 0
    kango: int = 0
    wago: int = 0
    verbs: int = 0
    particles: int = 0


def _count_lines(text: str) -> list[_Counts]:
    """The counts of each line of ``text`` (``\\n``-separated), from one tagging of the whole
    text a bounded piece at a time (a sentence runs on across pieces as across lines)."""
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    counts = [[0] * 7 for _ in line_starts]  # tokens, ends, trailing, kango, wago, verbs, particles
    offset = 0
    for chunk in _chunks(text):
        consumed = 0
        for token in _tagger()(chunk):
            consumed += len(token.white_space)
            line = counts[bisect_right(line_starts, offset + consumed) - 1]
            consumed += len(token.surface)
            line[0] += 1
            line[2] += 1
            if token.surface in _SENTENCE_END:
                line[1] += 1
                line[2] = 0
            feature = token.feature
            if feature.goshu == "漢":
                line[3] += 1
            elif feature.goshu == "和":
                line[4] += 1
            if feature.pos1 == "動詞" and feature.pos2 != "非自立可能":
                line[5] += 1
            elif feature.pos1 == "助詞":
                line[6] += 1
        offset += len(chunk)
    return [_Counts(*line) for line in counts]


def _count(text: str) -> _Counts:
    """The counts of the whole of ``text``."""
    return _joined(_count_lines(text))


def _joined(parts: list[_Counts]) -> _Counts:
    """The counts of texts read one after another (one per line), as if tagged together."""
    current = 0
    for part in parts:
        current = part.trailing if part.ends else current + part.tokens
    return _Counts(
        sum(p.tokens for p in parts),
        sum(p.ends for p in parts),
        current,
        sum(p.kango for p in parts),
        sum(p.wago for p in parts),
        sum(p.verbs for p in parts),
        sum(p.particles for p in parts),
    )


def _formula(counts: _Counts) -> JReadability | None:
    n = counts.tokens
    if not n:
        return None
    sentences = counts.ends + (1 if counts.trailing else 0)
    mean_length = n / sentences
    parts = (
        100.0 * counts.kango / n,
        100.0 * counts.wago / n,
        100.0 * counts.verbs / n,
        100.0 * counts.particles / n,
    )
    # The same operations in the same order as the package, so the floats agree.
    w = scoring()["jreadability_formula"]
    score = (
        mean_length * w["mean_sentence_length"]
        + parts[0] * w["kango_percent"]
        + parts[1] * w["wago_percent"]
        + parts[2] * w["verb_percent"]
        + parts[3] * w["particle_percent"]
        + w["const"]
    )
    return JReadability(score, mean_length, *parts)


def jreadability(text: str) -> JReadability | None:
    """Lee & Hasebe's formula on ``text``; None when the text has no tokens."""
    return _formula(_count(text))


def jreadability_band(score: float) -> str:
    for band in scoring()["jreadability_bands"]:
        if score >= float(band["min"]):
            return band["band"]
    return scoring()["jreadability_bands"][-1]["band"]


def _char_class(ch: str) -> str | None:
    if "ぁ" <= ch <= "ゖ" or ch in "ゝゞ":
        return "h"
    if "ァ" <= ch <= "ヺ" or ch in "ーヽヾ" or "ｦ" <= ch <= "ﾟ":
        return "k"
    if "一" <= ch <= "鿿" or "㐀" <= ch <= "䶿" or ch in "々〆ヶ":
        return "c"
    if (ch.isascii() and ch.isalpha()) or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
        return "a"
    return None


def tateishi_rs(sentences: list[str]) -> tuple[float, dict[str, float]] | None:
    """Tateishi, Ono & Yamada (1988) RS' from character runs; None without sentences."""
    if not sentences:
        return None
    runs: dict[str, list[int]] = {"a": [], "h": [], "c": [], "k": []}
    for sentence in sentences:
        previous, length = None, 0
        for ch in sentence + "\0":
            kind = _char_class(ch)
            if kind == previous and kind is not None:
                length += 1
                continue
            if previous is not None:
                runs[previous].append(length)
            previous, length = kind, 1
    text = "".join(sentences)
    kuten = text.count("。") + text.count("．") or len(sentences)
    toten = text.count("、") + text.count("，")
    parts = {
        "ls": sum(len(s) for s in sentences) / len(sentences),
        "la": statistics.fmean(runs["a"]) if runs["a"] else 0.0,
        "lh": statistics.fmean(runs["h"]) if runs["h"] else 0.0,
        "lc": statistics.fmean(runs["c"]) if runs["c"] else 0.0,
        "lk": statistics.fmean(runs["k"]) if runs["k"] else 0.0,
        "cp": toten / kuten,
    }
    weights = scoring()["tateishi_rs"]
    score = weights["const"] + sum(weights[k] * v for k, v in parts.items())
    return score, {k: round(v, 4) for k, v in parts.items()}


def paren_depth(text: str) -> int:
    config = document_patterns()["readability"]
    opens, closes = config["open_parens"], config["close_parens"]
    depth = best = 0
    for ch in text:
        if ch in opens:
            depth += 1
            best = max(best, depth)
        elif ch in closes and depth:
            depth -= 1
    return best


def double_negatives(text: str) -> int:
    return sum(len(compiled(p).findall(text)) for p in document_patterns()["readability"]["double_negatives"])


def _percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def readability_text(sentences: list[str]) -> str:
    """The text the readability formulas read: the sentences, one per line."""
    return "\n".join(sentences)


def measure(sentences: list[str], tagged: list[_Counts] | None = None) -> ReadabilityMetrics:
    """All readability metrics of a run of sentences; with ``tagged`` (the counts of each
    sentence, in order) jReadability is read from those counts instead of tagging the run."""
    if tagged is not None:
        kept = [(s, c) for s, c in zip(sentences, tagged, strict=True) if s.strip()]
        sentences, tagged = [s for s, _ in kept], [c for _, c in kept]
    else:
        sentences = [s for s in sentences if s.strip()]
    text = readability_text(sentences)
    lengths = [len(s) for s in sentences] or [0]
    long_sentence = scoring()["long_sentence_chars"]
    visible = [ch for ch in text if not ch.isspace()]
    if not sentences:
        jr = None
    elif tagged is not None:
        jr = _formula(_joined(tagged))
    else:
        jr = jreadability(text)
    rs = tateishi_rs(sentences)
    return ReadabilityMetrics(
        characters=len(visible),
        sentences=len(sentences),
        jreadability=round(jr.score, 6) if jr else None,
        jreadability_band=jreadability_band(jr.score) if jr else None,
        jreadability_parts=(
            {
                "mean_words_per_sentence": round(jr.mean_words_per_sentence, 4),
                "kango_percent": round(jr.kango_percent, 4),
                "wago_percent": round(jr.wago_percent, 4),
                "verb_percent": round(jr.verb_percent, 4),
                "particle_percent": round(jr.particle_percent, 4),
            }
            if jr
            else {}
        ),
        tateishi_rs=round(rs[0], 4) if rs else None,
        tateishi_parts=rs[1] if rs else {},
        sentence_length_mean=round(statistics.fmean(lengths), 2),
        sentence_length_median=float(statistics.median(lengths)),
        sentence_length_p90=round(_percentile(lengths, 0.9), 2),
        share_over_100=round(sum(1 for n in lengths if n > long_sentence) / len(lengths), 4)
        if sentences
        else 0.0,
        kanji_ratio=round(sum(1 for ch in visible if _char_class(ch) == "c") / len(visible), 4)
        if visible
        else 0.0,
        max_paren_depth=max((paren_depth(s) for s in sentences), default=0),
        double_negatives=sum(double_negatives(s) for s in sentences),
    )


def threshold_reasons(metrics: ReadabilityMetrics) -> list[str]:
    """The documented thresholds (scoring.yaml) this text crosses, in Japanese."""
    t = scoring()["readability_thresholds"]
    reasons = []
    if metrics.jreadability is not None and metrics.jreadability < t["jreadability_below"]:
        reasons.append(f"jReadability {metrics.jreadability:.2f}（{metrics.jreadability_band}）")
    if metrics.tateishi_rs is not None and metrics.tateishi_rs < t["tateishi_rs_below"]:
        reasons.append(f"建石RS' {metrics.tateishi_rs:.1f}")
    if metrics.share_over_100 > t["share_over_100_above"]:
        reasons.append(f"{scoring()['long_sentence_chars']}字超の文が{metrics.share_over_100:.0%}")
    if metrics.sentence_length_p90 > t["sentence_length_p90_above"]:
        reasons.append(f"文長の90パーセンタイル{metrics.sentence_length_p90:.0f}字")
    if metrics.double_negatives >= t["double_negatives_at_least"]:
        reasons.append(f"二重否定{metrics.double_negatives}箇所")
    if metrics.max_paren_depth >= t["paren_depth_at_least"]:
        reasons.append(f"括弧の入れ子{metrics.max_paren_depth}重")
    return reasons


def _sentences_with_paths(document: StructuredDocument) -> list[tuple[str, Sentence]]:
    return [(clause.path, s) for clause in document.iter_clauses() for s in clause.sentences]


def score_readability(document: StructuredDocument) -> ReadabilityScore:
    placed = _sentences_with_paths(document)
    # the document is tagged once, whole (its score equals the package's); the sections and the
    # hardest sentences are read from the counts of their lines in that one tagging
    texts = [s.text for _, s in placed]
    kept = [index for index, text in enumerate(texts) if text.strip()]
    lines = _count_lines(readability_text([texts[index] for index in kept]))
    counts: dict[int, _Counts] = {}
    line = 0
    for index in kept:
        spanned = texts[index].count("\n") + 1
        counts[index] = _joined(lines[line : line + spanned])
        line += spanned
    empty = _Counts()
    tagged = [counts.get(index, empty) for index in range(len(texts))]
    overall = measure(texts, tagged)
    sections = []
    for section in document.sections:
        inside = [index for index, (_, s) in enumerate(placed) if section.start <= s.start < section.end]
        if inside:
            metrics = measure([texts[i] for i in inside], [tagged[i] for i in inside])
            sections.append(SectionReadability(path=section.path, heading=section.heading, metrics=metrics))
    config = scoring()
    candidates = []
    for index, (path, sentence) in enumerate(placed):
        if len(sentence.text) < config["hardest_min_characters"] or index not in counts:
            continue
        jr = _formula(counts[index])
        if jr is not None:
            candidates.append((jr.score, path, sentence))
    candidates.sort(key=lambda c: (c[0], c[2].start))
    hardest = [
        HardSentence(
            clause_path=path,
            start=s.start,
            end=s.end,
            text=s.text,
            characters=len(s.text),
            jreadability=round(score, 4),
        )
        for score, path, s in candidates[: config["hardest_count"]]
    ]
    reasons = threshold_reasons(overall)
    return ReadabilityScore(
        document=overall,
        sections=sections,
        hardest_sentences=hardest,
        below_threshold=len(reasons) >= config["readability_min_reasons"],
        reasons=reasons,
    )


def readability_findings(score: ReadabilityScore) -> list[DocumentFinding]:
    if not score.below_threshold:
        return []
    return [
        DocumentFinding(
            id="readability",
            kind="readability",
            guideline_items=["1-i"],
            severity="low",
            confidence=1.0,
            explanation="平易で分かりやすい記載とはいえません：" + "、".join(score.reasons) + "。",
            evidence=[Evidence(start=h.start, end=h.end, text=h.text) for h in score.hardest_sentences[:3]],
            details={"reasons": score.reasons, "thresholds": scoring()["readability_thresholds"]},
        )
    ]
