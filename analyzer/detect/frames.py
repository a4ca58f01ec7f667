"""Information-handling frames: what a clause does with whose data (``shared/spec/frames.md``).

A frame is read per sentence of a clause's own text: which data (通信の内容, 通信履歴, 閲覧履歴,
基地局の位置情報 …), which action (取得・分析・利用・提供・保存 …), to whom, for what, on which consent
route, under which condition, with which scope and retention. The Japanese cues of every slot
value live in ``analyzer/data/frames.yaml``.

The reader is a spaCy component (``clause_frames``) over the Sudachi tokens of an NFKC copy of
the clause: lexicon matches become spans of ``doc.spans["frame_cues"]`` (label ``slot:value``),
and the scope of a negation is read from the tokens — an action is negated when the predicate
it heads ends in a negative auxiliary (「提供することはありません」「利用しません」), not when the
negation belongs to a condition (「同意しない場合」) or makes an obligation
(「しなければならない」). Slots a list item leaves empty are filled from its lead-in
(「当社は、次の情報を第三者に提供します。」 gives each item action=provide,
recipient=third_party), and the data slot, last, from the heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from analyzer.detect.citations import ARTICLE_CITATION, OWN_ARTICLE
from analyzer.detect.regex_literals import required_literals
from analyzer.model import Frame, FrameCue
from analyzer.normalize import mask_asides, normalize
from analyzer.structure.sentences import split_sentences

SLOTS = ("data", "action", "recipient", "purpose", "consent", "condition", "scope", "retention")
# Negative auxiliaries (Sudachi lemmas): 「ない」「ぬ」(ません) 「ず」.
_NEGATIVE = {"ない", "ぬ", "ず"}
# A negation followed by one of these belongs to a condition or an obligation, not to the act.
_CONDITION_AFTER = re.compile(
    r"^(?:場合|とき|時|限り|ければ|ならない|なりません|いけない|ように|よう|と|ば|方|者)"
)
_OPEN = set("（(「『【［[")
_CLOSE = set("）)」』】］]")
_NOMINALISERS = {"こと", "もの", "の", "ため", "上", "場合", "とき", "旨", "点"}
# Retention values in the order in which one overrides another.
_RETENTION_ORDER = ("indefinite", "extendable", "period", "until_purpose")

if not Doc.has_extension("frames"):
    Doc.set_extension("frames", default=None)


@dataclass(frozen=True)
class Lexicon:
    patterns: dict[str, list[tuple[str, re.Pattern[str]]]]  # slot -> [(value, pattern)]
    exceptions: dict[str, re.Pattern[str]]  # value -> pattern that cancels an overlapping cue
    secrecy_data: frozenset[str]
    gate_data: frozenset[str]
    anaphora: re.Pattern[str]
    ja: dict[str, str]
    covers_all_earlier: re.Pattern[str]
    covers_previous: re.Pattern[str]
    use_step: re.Pattern[str]
    # signing or entering the contract, and a step of use named as the occasion of a consent
    contract_step: re.Pattern[str]
    use_occasion: re.Pattern[str]
    # the control that accepts the terms (「「同意して始める」をタップ」「同意ボタンの押下」): pressing
    # it is agreeing to the terms, not a step of use
    agree_control: re.Pattern[str]
    # words of a sentence that speak of the data an earlier sentence of the same clause named
    sentence_anaphora: re.Pattern[str]
    # how many clauses of its own article 「第1項第2号から…」 reaches back at most
    own_article_reach: int
    # a sentence that accepts the terms themselves, not a handling
    terms_acceptance: re.Pattern[str]
    # slot -> values a clause referring back takes from the clauses it refers to
    from_antecedent: dict[str, frozenset[str]]
    # per pattern, literals one of which every match contains (regex_literals.py; None: unknown)
    required: dict[str, frozenset[str] | None]


@cache
def lexicon() -> Lexicon:
    raw = yaml.safe_load(resources.files("analyzer.data").joinpath("frames.yaml").read_text("utf-8"))
    patterns: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for slot in SLOTS:
        patterns[slot] = [
            (value, re.compile("|".join(f"(?:{p})" for p in cues))) for value, cues in raw[slot].items()
        ]
    exceptions = {
        value: re.compile("|".join(f"(?:{p})" for p in cues)) for value, cues in raw["except"].items()
    }
    return Lexicon(
        patterns,
        exceptions,
        frozenset(raw["secrecy_data"]),
        frozenset(raw["label_gate_data"]),
        re.compile(raw["anaphora"]),
        dict(raw["ja"]),
        re.compile(raw["covers_all_earlier"]),
        re.compile(raw["covers_previous"]),
        re.compile(raw["use_step"]),
        re.compile(raw["contract_step"]),
        re.compile(raw["use_occasion"]),
        re.compile(raw["agree_control"]),
        re.compile(raw["sentence_anaphora"]),
        int(raw["own_article_reach"]),
        re.compile(raw["terms_acceptance"]),
        {slot: frozenset(values) for slot, values in raw["from_antecedent"].items()},
        {
            pattern.pattern: required_literals(pattern)
            for pattern in [p for values in patterns.values() for _, p in values] + list(exceptions.values())
        },
    )


# 「前項」 alone reaches the paragraph just before; 「前各項」「前条」「上記」「これらの情報」 reach further
_PREVIOUS_ONLY = re.compile(r"前項|同項")
_WIDER = re.compile(r"前各項|前[0-9二三四五六七八九十]+項")
# an article cited with its paragraph or item (「第8条第2項」「第3条第1号」) is looked up by number
_CITED = re.compile(ARTICLE_CITATION.pattern + r"(?:\s*第\s*[0-9]+\s*(?:項|号))*")


def antecedent_window(text: str) -> int:
    """How many clauses before ``text`` its references back can reach: 0 when it refers back
    with nothing but article numbers (「第8条に定める」, whose articles are looked up by number),
    1 for 「前項」 alone, else 3."""
    copy = _CITED.sub("", normalize(OWN_ARTICLE.sub("", text)).text)
    if not lexicon().anaphora.search(copy):
        return 0
    rest = _PREVIOUS_ONLY.sub("", _WIDER.sub("前各項", copy))
    return 3 if lexicon().anaphora.search(rest) else 1


# 「第1項第2号から第5号まで」「第4項に定める」 without an article: a paragraph or item of the
# clause's own article (an article cited with it is looked up by number, ``_CITED``)
_OWN_PARAGRAPH = re.compile(r"(?<![条0-9])第\s*[0-9一二三四五六七八九十]+\s*(?:項|号)")


def reaches_own_article(text: str) -> bool:
    """Whether ``text`` refers to a paragraph or item of its own article by number (「第1項第2号
    から第5号までの利用」), which may lie further back than 「前各項」 reaches."""
    copy = _CITED.sub("", normalize(OWN_ARTICLE.sub("", text)).text)
    return bool(_OWN_PARAGRAPH.search(copy))


def secrecy_data() -> frozenset[str]:
    """Data values that are communications-secrecy information."""
    return lexicon().secrecy_data


# Slots whose values may overlap one another, and the values that still take their words
# from every later value of the slot.
_SHARED_SLOTS = frozenset({"consent"})
_EXCLUSIVE_VALUES = frozenset({"none_sought", "individual"})
# conditions under which the handling is the price of the service: refusing means no service
# (required_for_service), or the handling cannot be refused or stopped (cannot_stop)
FORCED_CONDITIONS = frozenset({"required_for_service", "cannot_stop"})
# what a clause does with the data (a consent route is about one of these)
HANDLING_ACTIONS = frozenset({"acquire", "analyse", "use", "provide", "retain"})


def find_cues(text: str) -> list[FrameCue]:
    """Lexicon matches in ``text`` (offsets into ``text``), one value per stretch and slot
    (consent routes excepted, see ``_SHARED_SLOTS``)."""
    copy = normalize(text)
    # a 「。」 inside brackets ends no sentence: patterns run on a copy without it, of the same length
    masked = mask_asides(copy.text)
    lex = lexicon()
    blocked: dict[str, list[tuple[int, int]]] = {}

    def can_match(pattern: re.Pattern[str]) -> bool:
        # a substring test rules most patterns out before the regex engine runs
        needed = lex.required.get(pattern.pattern)
        return needed is None or any(literal in copy.text for literal in needed)

    def blocked_spans(value: str) -> list[tuple[int, int]]:
        if value not in blocked:
            pattern = lex.exceptions.get(value)
            blocked[value] = (
                [m.span() for m in pattern.finditer(masked)]
                if pattern is not None and can_match(pattern)
                else []
            )
        return blocked[value]

    cues: list[FrameCue] = []
    for slot, values in lex.patterns.items():
        taken: list[tuple[int, int]] = []
        for value, pattern in values:
            if not can_match(pattern):
                continue
            # routes of consent may share words: 「「同意して接続」ボタンを押さずに接続された場合でも、
            # 接続をもって…同意」 is both a button of the terms and a step of use; a refusal
            # (none_sought) and an individual consent (「会員の同意を得る」, which a long route pattern
            # ending on the same 同意 would misread) still take their words from every later route
            shares = slot in _SHARED_SLOTS and value not in _EXCLUSIVE_VALUES
            for match in pattern.finditer(masked):
                start, end = match.span()
                if end <= start or any(s < end and start < e for s, e in taken):
                    continue
                if any(s <= start and end <= e for s, e in blocked_spans(value)):
                    continue
                if not shares:
                    taken.append((start, end))
                original = copy.to_original(start, end)
                cues.append(
                    FrameCue(
                        slot=slot,
                        value=value,
                        start=original[0],
                        end=original[1],
                        text=text[original[0] : original[1]],
                    )
                )
    return sorted(cues, key=lambda c: (c.start, c.end))


@Language.factory("clause_frames")
def make_clause_frames(nlp: Language, name: str) -> ClauseFrames:
    return ClauseFrames()


class ClauseFrames:
    """spaCy component: ``doc.spans["frame_cues"]`` (label ``slot:value``) and ``doc._.frames``
    (one :class:`Frame` per sentence that handles data), offsets into ``doc.text``.

    Assigns: ``doc.spans["frame_cues"]``, ``doc._.frames``.
    """

    def __call__(self, doc: Doc) -> Doc:
        # Doc.text joins every token on each access: read it once
        text = doc.text
        cues = find_cues(text)
        spans = []
        for cue in cues:
            span = doc.char_span(cue.start, cue.end, label=f"{cue.slot}:{cue.value}", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["frame_cues"] = spans
        frames = []
        for start, end in split_sentences(text, 0, len(text)):
            inside = [c for c in cues if start <= c.start and c.end <= end]
            frame = _frame(doc, text, start, end, inside)
            if frame is not None:
                frames.append(frame)
        doc._.frames = frames
        return doc


def _negated_after(
    doc: Doc, end_char: int, sentence_end: int, owned: list[tuple[int, int]] | None = None
) -> bool:
    """Whether the predicate an action cue ending at ``end_char`` heads is negative: the first
    negative auxiliary after it (before 。 or a clause boundary 「、」 after 場合/とき) that does not
    open a condition or an obligation, nor lies inside a route or condition cue (``owned``)."""
    span: Span | None = doc.char_span(end_char, sentence_end, alignment_mode="expand")
    if span is None:
        return False
    tokens = list(span)
    # 「利用をお断りいただくことはできません」「利用を停止することはできません」: the act is the
    # object of another verb, and the negation is that verb's
    head = [t for t in tokens[:4] if t.text not in ("お", "ご")]
    if (
        len(head) >= 2
        and head[0].text == "を"
        and head[1].pos_ == "VERB"
        and head[1].lemma_ not in _LIGHT_VERBS
    ):
        return False
    depth = 0
    for index, token in enumerate(tokens):
        # a parenthesis (「（閲覧したURLを含みます。）」) defines; its 。 ends no predicate
        if token.text in _OPEN:
            depth += 1
            continue
        if token.text in _CLOSE:
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if token.text in ("。", "！", "？"):
            return False
        if token.text == "、":
            if index and tokens[index - 1].lemma_ in ("場合", "とき", "時", "ば", "限り"):
                return False
            if _new_subject(tokens[index + 1 : index + 8]):
                # 「…提供条件であり、当社は…締結しない」: the negation is another clause's
                return False
        if token.lemma_ in _NEGATIVE and token.pos_ == "AUX":
            if any(s <= token.idx < e for s, e in owned or ()):
                continue
            rest = "".join(t.text for t in tokens[index + 1 : index + 4])
            previous = tokens[index - 1].text if index else ""
            if _CONDITION_AFTER.match(rest) or previous.endswith("け"):  # なければ / 〜ずに済む
                continue
            return True
        if token.text == "なく" and index and tokens[index - 1].text in ("は", "も"):
            return True  # 「利用することはなく」 denies the act
        if token.text in ("なく", "なし", "ずに") and token.pos_ in ("AUX", "ADJ", "VERB"):
            # 「〜することなく」 negates the act itself (「確認することなく提供」 does not negate 提供)
            return False
    return False


_LIGHT_VERBS = frozenset(
    {"する", "いたす", "致す", "行う", "できる", "ある", "おる", "いる", "なる", "ござる"}
)


def _inside_brackets(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside （） or 「」 of its sentence ``text``."""
    depth = 0
    for char in text[:start]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


def _new_subject(tokens: list) -> bool:
    """Whether a clause with its own topic (「当社は」「利用者は」) opens in ``tokens``, before
    the next comma."""
    for index, token in enumerate(tokens):
        if token.text == "、":
            return False
        if token.text != "は" or token.pos_ != "ADP" or not index:
            continue
        before = tokens[index - 1]
        # 「…することは」 nominalises the act itself; a subject is a noun such as 当社・利用者
        if before.pos_ in ("NOUN", "PRON", "PROPN") and before.lemma_ not in _NOMINALISERS:
            return True
    return False


def _frame(doc: Doc, text: str, start: int, end: int, cues: list[FrameCue]) -> Frame | None:
    by_slot: dict[str, list[FrameCue]] = {slot: [] for slot in SLOTS}
    for cue in cues:
        by_slot[cue.slot].append(cue)
    if not (by_slot["data"] or by_slot["action"] or by_slot["consent"] or by_slot["condition"]):
        return None
    # an act named inside a parenthesis (「（閲覧したウェブサイトのURLを含みます。）」) describes
    # data; the sentence's own acts decide its polarity
    acts = [
        c for c in by_slot["action"] if not _inside_brackets(text[start:end], c.start - start, c.end - start)
    ]
    actions = by_slot["action"]
    # a negation inside a route or a condition is theirs (「異議を述べない」「同意しない場合」)
    owned = [(c.start, c.end) for c in by_slot["consent"] + by_slot["condition"]]
    condition = by_slot["condition"][0].value if by_slot["condition"] else None
    if any(c.value == "required_for_service" for c in by_slot["condition"]):
        # 「停止する設定は設けていないため、望まない方は接続を控えるものとします」: the refusal of
        # the service, wherever in the sentence, over the blocked way out
        condition = "required_for_service"
    # 「記録を望まない方には本サービスを提供できません」「撤回することはできない」: what is refused is
    # the service or the way out, and the handling is the price of the service
    forced = condition in FORCED_CONDITIONS
    negated = not forced and bool(acts) and all(_negated_after(doc, cue.end, end, owned) for cue in acts)
    # 「…第三者への勧誘…内容の送信を禁止します」: a prohibition after the acts denies them all
    negated = negated or (
        bool(acts)
        and not forced
        and any(c.value == "prohibited" and c.start >= max(a.end for a in acts) for c in by_slot["scope"])
    )
    limited = any(c.value == "limited" for c in by_slot["scope"])
    retention = None
    for value in _RETENTION_ORDER:
        if any(c.value == value for c in by_slot["retention"]):
            retention = value
            break
    consent = _values(by_slot["consent"])
    # the sentence's NFKC copy, which the route patterns read
    span = normalize(text[start:end]).text if {"declared", "deemed_by_use"} & set(consent) else ""
    if "declared" in consent:
        # 「会員は、あらかじめこれを承諾するものとします」: the terms declare the consent, unless
        # the sentence names a step of use that counts as it (「利用をもってこれを承諾する」)
        # — and when the sentence names such a step as the occasion without a connective
        # (「本サービスへの接続を行った契約者は、…異議を述べないものとします」), use is the route
        consent.remove("declared")
        if not {"via_terms", "deemed_by_use"} & set(consent):
            step = lexicon().use_step.search(span)
            consent.append("deemed_by_use" if step else "via_terms")
    occasion = lexicon().use_occasion.search(lexicon().agree_control.sub("", span)) if span else None
    if "deemed_by_use" in consent and not occasion:
        if "via_terms" in consent:
            # 「本規約に同意することにより、…に同意したものとみなします」: the deemed wording is
            # the terms' own; no step of use counts as the consent
            consent.remove("deemed_by_use")
        elif lexicon().contract_step.search(span):
            # 「申込書への署名をもって、…承諾したものとみなします」: signing the contract, not
            # using the service, is the occasion — the terms route, however worded
            consent[consent.index("deemed_by_use")] = "via_terms"
    return Frame(
        start=start,
        end=end,
        text=text[start:end],
        data=_values(by_slot["data"]),
        actions=_values(actions),
        recipients=_values(by_slot["recipient"]),
        purposes=_values(by_slot["purpose"]),
        consent=consent,
        condition=condition,
        polarity="negated" if negated else ("limited" if limited else "affirmed"),
        retention=retention,
        cues=[c for c in cues if c.slot != "scope" or c.value not in ("negated", "prohibited") or negated],
    )


def _blocked_only(frame: Frame) -> bool:
    """Sort key: frames whose only condition is a blocked way out come last."""
    return frame.condition == "cannot_stop"


def _values(cues: Iterable[FrameCue]) -> list[str]:
    return list(dict.fromkeys(c.value for c in cues))


class FrameReader:
    """Reads the frames of clause texts with their heading and lead-in as context."""

    def __init__(self) -> None:
        self.component = ClauseFrames()
        self._memo: dict[tuple, list[Frame]] = {}
        self._frames_of: dict[str, list[Frame]] = {}
        self._headings: dict[str, tuple[str, ...]] = {}

    def read(
        self,
        text: str,
        heading: str | None = None,
        lead_in: str | None = None,
        antecedent: str | None = None,
        in_document: bool = False,
        covering: str | None = None,
        defined: tuple[tuple[str, str], ...] = (),
    ) -> list[Frame]:
        """Frames of ``text`` (offsets into ``text``); slots a frame leaves empty are taken from
        ``lead_in`` (data, action, recipient, purpose, consent), then — when the clause refers
        back (「前項の情報」) — from ``antecedent``, then from ``heading`` (data). A clause that
        refers back with no antecedent in view (``in_document`` False) has data ``unresolved``.
        A frame with no route of its own takes the route of a later paragraph of its article that
        speaks of it (``covering``). A term the document defines as data (``defined``, from
        ``definitions.defined_data``) names that data wherever it is used."""
        key = (text, heading, lead_in, antecedent, in_document, covering, defined)
        if key in self._memo:
            return self._memo[key]
        frames = self._own(text)
        inherited = self._own(lead_in) if lead_in else []
        heading_data = list(self._heading_data(heading)) if heading else []
        if inherited and not frames and text.strip():
            # a bare list item (「・通信日時」「(2) 広告配信のため」) takes its lead-in's frame
            frames = [Frame(start=0, end=len(text), text=text, polarity="affirmed")]
            frames[0].cues = find_cues(text)
            frames[0].data = _values(c for c in frames[0].cues if c.slot == "data")
            frames[0].purposes = _values(c for c in frames[0].cues if c.slot == "purpose")
            frames[0].recipients = _values(c for c in frames[0].cues if c.slot == "recipient")
        if defined:
            _add_defined_data(frames, defined)
            _add_defined_data(inherited, defined)
        for position, frame in enumerate(frames):
            from_sibling = False
            if not frame.data and position and lexicon().sentence_anaphora.search(frame.text):
                # 「…接続ログを送信します。これらの情報は公衆の閲覧に供されます。」: the data is the one
                # the sentence before named, not the lead-in's or an earlier clause's
                earlier = [d for f in frames[:position] for d in f.data]
                if earlier:
                    frame.data = list(dict.fromkeys(earlier))
                    from_sibling = True
            for parent in inherited:
                if not frame.data and parent.data:
                    frame.data, frame.data_from = list(parent.data), "lead_in"
                elif set(frame.data) == {"derived"} and set(parent.data) - {"derived"}:
                    # 「(4) 事業者に対する来訪傾向データの提供」 under 「接続記録を次の各号の目的で利用」:
                    # what an item derives is derived from the data its lead-in names
                    frame.data = list(dict.fromkeys(list(parent.data) + frame.data))
                    frame.data_from = "lead_in"
                elif (
                    frame.purposes
                    and not set(frame.data) & lexicon().gate_data
                    and set(parent.data) & lexicon().gate_data
                ):
                    # 「(4) 会員の属性及び利用傾向の推定」 under 「当社が通信履歴を次の各号の目的で利用」:
                    # a purpose item that names the subscriber's attributes works on the data its
                    # lead-in names
                    frame.data = list(dict.fromkeys(list(parent.data) + frame.data))
                    frame.data_from = "lead_in"
                for slot in ("actions", "recipients", "purposes", "consent"):
                    if not getattr(frame, slot) and getattr(parent, slot):
                        setattr(frame, slot, list(getattr(parent, slot)))
                        frame.inherited.append(slot)
                if not frame.condition and parent.condition:
                    frame.condition = parent.condition
                    frame.inherited.append("condition")
                if parent.polarity == "negated" and frame.polarity == "affirmed":
                    frame.polarity = "limited"  # an item of 「次の場合を除き、提供しません」 is an exception
            if not frame.consent and not frame.condition:
                # a route stated in another sentence of the same clause (「…広告に使います。接続を
                # もって同意とさせていただきます。」「…ご利用の条件です。」) covers the clause's handling
                # (a refusal of the service, when one sentence states it, over a blocked way out)
                for sibling in sorted(frames, key=_blocked_only):
                    if sibling is frame or frame.polarity == "negated":
                        continue
                    if (
                        not sibling.data
                        and not sibling.actions
                        and lexicon().terms_acceptance.search(normalize(sibling.text).text)
                    ):
                        # accepting the terms is no consent to what another sentence handles
                        continue
                    routes = [v for v in sibling.consent if v not in ("opt_out", "legal_basis")]
                    if routes or sibling.condition:
                        frame.consent = routes
                        frame.condition = sibling.condition
                        frame.inherited.append("consent")
                        break
            if not frame.consent and not frame.condition and covering and frame.polarity != "negated":
                for later in sorted(self._own(covering), key=_blocked_only):
                    routes = [v for v in later.consent if v != "legal_basis"]
                    if routes or later.condition:
                        frame.consent = routes
                        frame.condition = later.condition
                        frame.inherited.append("article_route")
                        break
            own_text = OWN_ARTICLE.sub("", frame.text) if frame.start == 0 else frame.text
            refers_back = not from_sibling and (
                lexicon().anaphora.search(own_text) or lexicon().anaphora.search(normalize(own_text).text)
            )
            # the handling an affirmed clause referred to states (「前項の利用」「第5条に定める取扱い」)
            earlier_frames = (
                [f for f in self._own(antecedent) if f.data and f.polarity != "negated"]
                if refers_back and antecedent
                else []
            )
            # 「前項の分析結果」「第10条の記録の統計」: what is derived from earlier data is of that data
            if refers_back and set(frame.data) <= {"derived"}:
                earlier = [d for f in earlier_frames for d in f.data]
                # (statistics from unnamed data, 「(3) 匿名加工情報の作成」, name no data)
                if set(earlier) - {"derived"}:
                    frame.data = list(dict.fromkeys(earlier + frame.data))
                    frame.data_from = "antecedent"
                elif not in_document:
                    frame.data_from = "unresolved"
            # 「前項の利用は、本規約への同意をもって承諾を得たものとします」: the purposes and recipients
            # of the use referred to are those of the earlier clause (a 約款 states the use in one
            # paragraph and how consent to it is taken in another). Only what goes beyond the
            # service is taken: the clauses before may hold other handlings, and a purpose of the
            # service's own would excuse a use it does not cover. (A clause about stopping that
            # use — 「前項の利用を望まない場合は解約により停止」 — is about the opt-out, not the use;
            # an item of a list, 「(5) その他上記に付随する目的」, refers to its siblings, not to a use.)
            takes_use = bool(earlier_frames) and "stop" not in frame.actions and not lead_in
            if takes_use and (frame.consent or frame.condition) and not set(frame.actions) & HANDLING_ACTIONS:
                # 「前項の閲覧及び複製に同意したものとみなします」「前各項の取扱いに同意しない入居者
                # には提供しません」: the route or the refusal is about the handling referred to
                acts = list(
                    dict.fromkeys(a for f in earlier_frames for a in f.actions if a in HANDLING_ACTIONS)
                )
                if acts:
                    frame.actions = list(dict.fromkeys(frame.actions + acts))
                    frame.inherited.append("antecedent_actions")
            for slot, beyond in lexicon().from_antecedent.items():
                if takes_use and not getattr(frame, slot):
                    values = list(
                        dict.fromkeys(v for f in earlier_frames for v in getattr(f, slot) if v in beyond)
                    )
                    if values:
                        setattr(frame, slot, values)
                        frame.inherited.append(f"antecedent_{slot}")
            if not frame.data and heading_data:
                frame.data, frame.data_from = list(heading_data), "heading"
            frame.secrecy = bool(set(frame.data) & secrecy_data())
            frame.protected = bool(set(frame.data) & lexicon().gate_data) or frame.data_from == "unresolved"
            frame.reading = reading(frame)
        if len(self._memo) < 30_000:
            self._memo[key] = frames
        return frames

    def _heading_data(self, heading: str) -> tuple[str, ...]:
        """The data categories a heading names (memoised: a heading stands over many clauses)."""
        if heading not in self._headings:
            if len(self._headings) >= 30_000:
                self._headings.clear()
            self._headings[heading] = tuple(_values(c for c in find_cues(heading) if c.slot == "data"))
        return self._headings[heading]

    def read_input(self, clause) -> list[Frame]:
        """Frames of a :class:`~analyzer.detect.roles.ClauseInput` with all its context."""
        return self.read(
            clause.text,
            clause.heading,
            clause.lead_in,
            clause.antecedent,
            clause.in_document,
            clause.covering,
            clause.defined,
        )

    def _own(self, text: str) -> list[Frame]:
        """The frames of ``text`` alone (copies: callers fill inherited slots in). Memoised: a
        lead-in is read once for all its items, a clause once for every clause referring to it."""
        from analyzer.nlp import get_nlp

        if text not in self._frames_of:
            if len(self._frames_of) >= 30_000:
                self._frames_of.clear()
            self._frames_of[text] = self.component(get_nlp().tokenize(text))._.frames
        return [copy_frame(frame) for frame in self._frames_of[text]]


def _add_defined_data(frames: list[Frame], defined: tuple[tuple[str, str], ...]) -> None:
    """Give each frame the data of the defined terms it uses (「当社がコンテンツの内容を確認する」 with
    「コンテンツ」 defined as the messages users send), as a data cue on the term."""
    for frame in frames:
        for term, value in defined:
            at = frame.text.find(term)
            if at < 0 or value in frame.data:
                continue
            frame.data.append(value)
            start = frame.start + at
            frame.cues.append(
                FrameCue(slot="data", value=value, start=start, end=start + len(term), text=term)
            )


def copy_frame(frame: Frame) -> Frame:
    """A copy whose lists and cues are its own (what ``model_copy(deep=True)`` gives, without
    ``copy.deepcopy``'s walk: the fields are strings, lists of strings and flat cues)."""
    return frame.model_copy(
        update={
            name: [cue.model_copy() for cue in value] if name == "cues" else list(value)
            for name, value in frame.__dict__.items()
            if isinstance(value, list)
        }
    )


def reading(frame: Frame) -> str:
    """The frame in one Japanese line, e.g. 「[閲覧履歴] を [広告配信] に [利用]：
    [約款への同意をもって同意とする]、停止の方法なし」."""
    ja = lexicon().ja

    def names(values: list[str]) -> str:
        return "・".join(ja.get(v, v) for v in values)

    subject = names(frame.data) or ("前項等で定める情報" if frame.data_from == "unresolved" else "情報")
    source = {"lead_in": "（導入文から）", "heading": "（見出しから）", "antecedent": "（前の条項から）"}
    parts = [f"[{subject}]{source.get(frame.data_from, '')} を"]
    earlier = "（前の条項から）"
    if frame.recipients:
        mark = earlier if "antecedent_recipients" in frame.inherited else ""
        parts.append(f"[{names(frame.recipients)}]{mark} に")
    if frame.purposes:
        mark = earlier if "antecedent_purposes" in frame.inherited else ""
        parts.append(f"[{names(frame.purposes)}]{mark} のため")
    parts.append(f"[{names(frame.actions) or '取扱い'}]")
    line = " ".join(parts)
    if frame.polarity == "negated":
        line += "（しない）"
    elif frame.polarity == "limited":
        line += "（限定付き）"
    routes = [v for v in frame.consent if v != "opt_out"]
    tail = []
    if routes:
        tail.append("・".join(ja[v] for v in routes))
    elif frame.polarity == "affirmed" and frame.actions:
        tail.append("同意への言及なし")
    if frame.condition:
        tail.append(ja[frame.condition])
    if "opt_out" in frame.consent:
        tail.append(ja["opt_out"])
    elif set(routes) & {"via_terms", "deemed_by_use"}:
        tail.append("停止の方法なし")
    if frame.retention:
        tail.append(f"保存: {ja[frame.retention]}")
    return line + ("：" + "、".join(tail) if tail else "")


@cache
def default_reader() -> FrameReader:
    return FrameReader()
