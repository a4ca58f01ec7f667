"""Contact channels and hours (guideline 4-i, 4-iv): how many distinct ways a user has to reach
the carrier, and whether the document says when."""

from __future__ import annotations

from analyzer.detect.document.walk import placed_clauses
from analyzer.model import ContactChannel, ContactCheck, DocumentFinding, Evidence, StructuredDocument
from analyzer.settings import compiled, document_patterns, items_raised_by, scoring

CHANNEL_JA = {
    "phone": "電話",
    "mail": "郵送",
    "fax": "FAX",
    "email": "電子メール",
    "web_form": "Webフォーム",
    "chat": "チャット",
    "counter": "窓口（来店）",
}


def check_contacts(document: StructuredDocument) -> ContactCheck:
    patterns = document_patterns()["contacts"]
    heading = compiled(patterns["section_heading"])
    cue = compiled(patterns["clause_cue"])
    channel_patterns = {name: compiled(p) for name, p in patterns["channels"].items()}
    hours_pattern = compiled(patterns["hours"])
    refusal = compiled(patterns["refusal"])
    part_split = compiled(patterns["part_split"])
    text = document.document.text

    channels: dict[str, ContactChannel] = {}
    hours: list[Evidence] = []
    paths: list[str] = []
    for placed in placed_clauses(document):
        clause = placed.clause
        own = clause.own_text
        offered = _offered(own, channel_patterns, refusal, part_split)
        is_contact = (
            "contact_point" in placed.labels
            or bool(heading.search(placed.headings))
            or (bool(cue.search(own)) and bool(offered))
        )
        if not is_contact:
            continue
        paths.append(clause.path)
        for name, (start, end) in offered.items():
            if name not in channels:
                start, end = clause.start + start, clause.start + end
                channels[name] = ContactChannel(
                    channel=name, evidence=Evidence(start=start, end=end, text=text[start:end])
                )
        for match in hours_pattern.finditer(own):
            start, end = clause.start + match.start(), clause.start + match.end()
            hours.append(Evidence(start=start, end=end, text=text[start:end]))
    ordered = [channels[name] for name in CHANNEL_JA if name in channels]
    return ContactCheck(channels=ordered, hours_stated=bool(hours), hours=hours, clause_paths=paths)


def _offered(own: str, channel_patterns, refusal, part_split) -> dict[str, tuple[int, int]]:
    """Channels the text offers (first span of each), leaving out parts that refuse them."""
    found: dict[str, tuple[int, int]] = {}
    start = 0
    for piece in [*part_split.finditer(own), None]:
        stop = piece.end() if piece else len(own)
        part = own[start:stop]
        if not refusal.search(part):
            for name, pattern in channel_patterns.items():
                match = pattern.search(part)
                if match and name not in found:
                    found[name] = (start + match.start(), start + match.end())
        start = stop
    return found


def contact_findings(contacts: ContactCheck, present: dict[str, float]) -> list[DocumentFinding]:
    """4-iv when the document has contact text but too few channels or no hours (a document
    with no contact text at all gets the absent finding instead)."""
    if not contacts.clause_paths:
        return []
    config = scoring()
    few = len(contacts.channels) < config["contact_min_channels"]
    no_hours = config["contact_require_hours"] and not contacts.hours_stated
    if not (few or no_hours):
        return []
    severity = config["document_finding_severity"]["contact_channels"]
    names = "・".join(CHANNEL_JA[c.channel] for c in contacts.channels) or "なし"
    problems = []
    if few:
        problems.append(f"受付手段が{len(contacts.channels)}種類（{names}）")
    if no_hours:
        problems.append("受付時間の記載なし")
    return [
        DocumentFinding(
            id="contact_channels",
            kind="contact_channels",
            guideline_items=items_raised_by("contact_channels"),
            severity=severity["few_channels"] if few else severity["default"],
            confidence=1.0,
            explanation="問合せ・苦情の受付態勢が不十分です：" + "、".join(problems) + "。",
            evidence=[c.evidence for c in contacts.channels] + contacts.hours[:2],
            details={
                "channels": [c.channel for c in contacts.channels],
                "hours_stated": contacts.hours_stated,
                "min_channels": config["contact_min_channels"],
                "clause_paths": contacts.clause_paths,
            },
        )
    ]
