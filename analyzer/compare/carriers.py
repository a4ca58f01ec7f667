"""A carrier's documents judged as one set: which documents belong together, what none of them
discloses, and where two of them (or two clauses of one) say incompatible things about the same
data — frames (``Frame``) on one data category taking the two stances of one topic of
``data/carriers.yaml`` (a policy's 6-month retention against a 約款's 「当社が必要と認める期間」,
individual consent against consent deemed by use, opt-out at any time against only by
cancelling…)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from analyzer.detect.document.absent import (
    document_scope,
    expected_labels,
    good_practice_presence,
    is_present,
)
from analyzer.model import Frame, GuidelineItemVerdict, StructuredDocument
from analyzer.score.verdicts import STATUS_JA
from analyzer.settings import carrier_sets
from analyzer.taxonomy import labels

settings = carrier_sets


def carrier_key(name: str | None) -> str:
    """The carrier a name identifies, with legal-form words and spaces removed (NFKC)."""
    if not name:
        return ""
    return re.sub(settings()["carrier_name_noise"], "", unicodedata.normalize("NFKC", name))


@dataclass(frozen=True)
class Statement:
    """One frame of one clause, where the reader finds it."""

    document: str
    clause_path: str
    frame: Frame


@dataclass
class DocumentDigest:
    """What the carrier checks read of one analysed document — kept instead of the document, so
    that a set of hundreds of documents is judged in the memory of a few."""

    carrier: str | None
    file: str
    doc_type: str
    date: str | None
    presence: dict[str, float]
    expected: list[str]
    statements: list[Statement]
    items: list[GuidelineItemVerdict]


def digest(name: str, document: StructuredDocument) -> DocumentDigest:
    scope, _ = document_scope(document)
    info = document.document
    return DocumentDigest(
        carrier=info.carrier,
        file=info.name,
        doc_type=info.doc_type,
        date=info.effective_date,
        presence=good_practice_presence(document),
        expected=list(expected_labels(info.doc_type, scope)),
        statements=document_statements(name, document),
        items=list(document.guideline_items),
    )


@dataclass
class CarrierSet:
    """The documents of one carrier (``name`` as the first document states it)."""

    key: str
    name: str
    documents: list[tuple[str, DocumentDigest]] = field(default_factory=list)


def group_documents(
    documents: list[tuple[str, StructuredDocument | DocumentDigest]], folders: dict[str, str] | None = None
) -> list[CarrierSet]:
    """Carrier sets: by the carrier each document names (``document.carrier``, as read from the
    text or given by ``--meta``), or by ``folders`` (document name → its folder) when given.
    A document naming no carrier forms a set of its own."""
    sets: dict[str, CarrierSet] = {}
    for name, document in documents:
        summary = document if isinstance(document, DocumentDigest) else digest(name, document)
        carrier = summary.carrier
        if folders is not None:
            key = f"folder:{folders[name]}"
            label = folders[name]
        elif carrier_key(carrier):
            key, label = carrier_key(carrier), carrier or ""
        else:
            key, label = f"document:{name}", name
        sets.setdefault(key, CarrierSet(key, label)).documents.append((name, summary))
    return sorted(sets.values(), key=lambda s: s.key)


# --- combined disclosures -------------------------------------------------------------------


def combined_absences(carrier: CarrierSet) -> tuple[list[dict], list[dict]]:
    """Good practice no document of the set discloses (each with the documents expected to hold
    it), and good practice one document lacks but another discloses."""
    presence = {name: d.presence for name, d in carrier.documents}
    expected: dict[str, list[str]] = {}
    for name, d in carrier.documents:
        for label in d.expected:
            expected.setdefault(label, []).append(name)
    absent, elsewhere = [], []
    for label in labels():
        if label not in expected:
            continue
        holders = [name for name, _ in carrier.documents if is_present(label, presence[name])]
        missing = [name for name in expected[label] if name not in holders]
        if not holders:
            absent.append({"label": label, "label_ja": labels()[label].ja, "expected_in": expected[label]})
        elif missing:
            elsewhere.append(
                {
                    "label": label,
                    "label_ja": labels()[label].ja,
                    "disclosed_in": holders,
                    "missing_from": missing,
                }
            )
    return absent, elsewhere


# --- contradictions -------------------------------------------------------------------------


@dataclass
class Contradiction:
    topic: str
    data: str
    a: Statement
    b: Statement
    explanation: str
    # other places of b's document that take b's stance against a (rows of one table, items of
    # one list), and of a's document that take a's stance against the same place of b: one
    # contradiction, shown with all of them
    b_also: list[Statement] = field(default_factory=list)
    a_also: list[Statement] = field(default_factory=list)

    def as_dict(self) -> dict:
        def side(s: Statement) -> dict:
            return {
                "document": s.document,
                "clause_path": s.clause_path,
                "quote": s.frame.text,
                "start": s.frame.start,
                "end": s.frame.end,
                "reading": s.frame.reading,
            }

        return {
            "topic": self.topic,
            "topic_ja": settings()["topics"][self.topic]["ja"],
            "data": self.data,
            "a": side(self.a),
            "b": side(self.b),
            "b_also": [side(s) for s in self.b_also],
            "a_also": [side(s) for s in self.a_also],
            "explanation": self.explanation,
        }


def _holds(frame: Frame, stance: dict) -> bool:
    def any_of(values: list[str] | str | None, wanted: list[str]) -> bool:
        if values is None:
            return False
        values = [values] if isinstance(values, str) else values
        return any(v in wanted for v in values)

    checks = {
        "consent": lambda w: any_of(frame.consent, w),
        "retention": lambda w: any_of(frame.retention, w),
        "polarity": lambda w: frame.polarity in w,
        "actions": lambda w: any_of(frame.actions, w),
        "purposes": lambda w: any_of(frame.purposes, w),
        "recipients": lambda w: any_of(frame.recipients, w),
        "purposes_only": lambda w: bool(frame.purposes) and all(p in w for p in frame.purposes),
        "recipients_not": lambda w: not any_of(frame.recipients, w),
        "consent_not": lambda w: not any_of(frame.consent, w),
        "purposes_not": lambda w: not any_of(frame.purposes, w),
        "data_not": lambda w: not any_of(frame.data, w),
        "data_from": lambda w: frame.data_from in w,
        "any": lambda w: any(_holds(frame, alternative) for alternative in w),
        "text": lambda w: re.search(w, unicodedata.normalize("NFKC", frame.text)) is not None,
        "text_not": lambda w: re.search(w, unicodedata.normalize("NFKC", frame.text)) is None,
    }
    return all(checks[key](wanted) for key, wanted in stance.items() if key != "ja")


def document_statements(name: str, document: StructuredDocument) -> list[Statement]:
    """The frames of a document that state something on the data of ``carriers.yaml``: not a
    frame whose data an earlier clause out of view would name, nor an exception item of a list."""
    config = settings()
    wanted = set(config["data"])
    out = []
    for clause in document.iter_clauses():
        for frame in clause.frames:
            if frame.data_from == "unresolved" or not set(frame.data) & wanted:
                continue
            text = unicodedata.normalize("NFKC", frame.text)
            if "actions" in frame.inherited and re.search(config["exception_item"], text):
                continue
            data = list(frame.data)
            if document.document.doc_type == "external_transmission":
                data = [d for d in data if d not in config["external_transmission_drops"]]
            if "location_network" in data and not re.search(config["device_location_cue"], text):
                data = [d for d in data if d != "location_device"]
            if data:
                out.append(Statement(name, clause.path, frame.model_copy(update={"data": data})))
    return out


def statements(carrier: CarrierSet) -> list[Statement]:
    return [statement for _, d in carrier.documents for statement in d.statements]


def contradictions(carrier: CarrierSet) -> list[Contradiction]:
    """Pairs of statements on one data category taking the two stances of one topic, between
    two documents of the set or two clauses of one document: one per topic, statement and other
    document, with every place of that document taking the other stance (``b_also``)."""
    found: dict[tuple, Contradiction] = {}
    said = statements(carrier)
    wanted = set(settings()["data"])
    for topic, spec in settings()["topics"].items():
        one, other = spec["stances"].values()
        ones = [s for s in said if _holds(s.frame, one)]
        others = [s for s in said if _holds(s.frame, other)]
        for a in ones:
            for b in others:
                if (a.document, a.clause_path) == (b.document, b.clause_path):
                    continue
                shared = sorted(set(a.frame.data) & set(b.frame.data) & wanted)
                if not shared:
                    continue
                key = (topic, a.document, a.clause_path, b.document)
                if key in found:
                    if b.clause_path != found[key].b.clause_path:
                        found[key].b_also.append(b)
                    continue
                found[key] = Contradiction(
                    topic,
                    shared[0],
                    a,
                    b,
                    f"{a.document}（{a.clause_path}）は{spec['ja']}について「{one['ja']}」としているが、"
                    f"{b.document}（{b.clause_path}）は「{other['ja']}」としている。",
                )
    # one sentence of b against two sentences of a's document on the same topic is one
    # contradiction too
    merged: dict[tuple, Contradiction] = {}
    for c in found.values():
        key = (c.topic, c.a.document, c.b.document, c.b.clause_path)
        if key in merged:
            merged[key].a_also.append(c.a)
        else:
            merged[key] = c
    return list(merged.values())


# --- the 27 items at carrier level ---------------------------------------------------------


def carrier_items(carrier: CarrierSet, absent_labels: set[str]) -> list[dict]:
    """Each guideline item for the carrier: raised when some document raises it on grounds that
    hold for the set — a clause finding, or a document check other than an absence that another
    document of the set makes good; otherwise as its evidence kind says (operational evidence
    needed, or not raised). Each with the documents and clauses behind it."""
    per_item: dict[str, dict] = {}
    for name, d in carrier.documents:
        for verdict in d.items:
            entry = per_item.setdefault(
                verdict.item,
                {
                    "item": verdict.item,
                    "title": verdict.title,
                    "evidence_kind": verdict.evidence_kind,
                    "behind": [],
                },
            )
            for ref in verdict.findings:
                made_good = (
                    ref.source == "document"
                    and (ref.finding_id or "").startswith("absent:")
                    and (ref.finding_id or "").split(":", 1)[1] not in absent_labels
                )
                if not made_good:
                    entry["behind"].append(
                        {
                            "document": name,
                            "source": ref.source,
                            "label": ref.label,
                            "finding_id": ref.finding_id,
                            "clause_path": ref.clause_path,
                            "confidence": ref.confidence,
                        }
                    )
    items = []
    for entry in per_item.values():
        if entry["behind"]:
            status = "raised"
        elif "ops" in entry["evidence_kind"]:
            status = "needs_operational_evidence"
        else:
            status = "not_raised"
        items.append({**entry, "status": status, "status_ja": STATUS_JA[status]})
    return items


def carrier_report(carrier: CarrierSet) -> dict:
    """Everything ``OUT/carriers/<carrier>.json`` holds."""
    absent, elsewhere = combined_absences(carrier)
    return {
        "carrier": carrier.name,
        "key": carrier.key,
        "documents": [
            {"document": name, "file": d.file, "doc_type": d.doc_type, "date": d.date}
            for name, d in carrier.documents
        ],
        "absent": absent,
        "disclosed_elsewhere": elsewhere,
        "guideline_items": carrier_items(carrier, {a["label"] for a in absent}),
        "contradictions": [c.as_dict() for c in contradictions(carrier)],
    }
