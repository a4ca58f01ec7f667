"""Does the document's provider carry its users' communications? (``analyzer/data/service.yaml``)

The secrecy of communications binds whoever carries them: an ISP, an MVNO, a Wi-Fi operator, a
telephone or mail service, a service relaying messages or calls between its users. A website or
app that carries none records its visitors (access logs, pages viewed, cookies, usage history)
as personal information; the secrecy labels do not rest on those records (frames.md). This
reading is done once per document, before its clauses are judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from analyzer.detect.frames import copy_frame
from analyzer.model import Frame, ServiceReading, Span
from analyzer.settings import communications_service as service_settings


@dataclass(frozen=True)
class _Cue:
    name: str
    weight: float
    pattern: re.Pattern[str]


@cache
def _cues() -> tuple[_Cue, ...]:
    return tuple(
        _Cue(cue["name"], float(cue["weight"]), re.compile(cue["pattern"]))
        for cue in service_settings()["cues"]
    )


def protected_without_carrier() -> frozenset[str]:
    """The data categories that stay protected when the provider carries no communications."""
    return frozenset(service_settings()["protected_without_carrier"])


def read_service(text: str) -> ServiceReading:
    """Whether the provider of ``text`` carries its users' communications: each cue of
    service.yaml found anywhere in the text counts once with its weight; the first match of each
    is the evidence (offsets into ``text``)."""
    threshold = float(service_settings()["threshold"])
    score, names, evidence = 0.0, [], []
    for cue in _cues():
        match = cue.pattern.search(text)
        if match is None:
            continue
        score += cue.weight
        names.append(cue.name)
        evidence.append(Span(start=match.start(), end=match.end(), text=match.group(0)))
    carries = score >= threshold
    found = "・".join(f"「{span.text}」" for span in evidence[:4])
    if carries:
        reason = f"利用者の通信を媒介するサービスと読み取りました（{found}）"
    else:
        hint = f"（手掛かり {found} のみ）" if evidence else ""
        reason = (
            f"利用者の通信を媒介するサービスとは読み取れません{hint}。"
            "自社サイト・アプリの閲覧履歴やログは通信の秘密として扱いません"
        )
    return ServiceReading(
        carries_communications=carries,
        score=score,
        threshold=threshold,
        cues=names,
        evidence=evidence,
        reason=reason,
    )


def _protected_for_provider(frame: Frame, kept: frozenset[str]) -> bool:
    return frame.protected and (bool(set(frame.data) & kept) or frame.data_from == "unresolved")


def handles_protected_data(frames: list[Frame], carrier: bool | None) -> bool:
    """Whether a frame of the clause handles protected data, as the provider's kind makes it
    (what :func:`frames_for_provider` would mark, without copying the frames)."""
    if carrier is not False:
        return any(frame.protected for frame in frames)
    kept = protected_without_carrier()
    return any(_protected_for_provider(frame, kept) for frame in frames)


def frames_for_provider(frames: list[Frame], carrier: bool | None) -> list[Frame]:
    """The frames as the provider's kind makes them: for a provider that carries no
    communications (``carrier`` False), only the categories of service.yaml's
    ``protected_without_carrier`` are protected — a site's own logs and pages viewed are not the
    secrecy of communications (copies; the frames given are not changed)."""
    if carrier is not False:
        return frames
    kept = protected_without_carrier()
    out = []
    for frame in frames:
        copy = copy_frame(frame)
        copy.secrecy = copy.secrecy and bool(set(copy.data) & kept)
        copy.protected = _protected_for_provider(copy, kept)
        out.append(copy)
    return out
