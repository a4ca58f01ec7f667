"""Clause roles: title, heading, definition, list item (and what its lead-in lists), revision
history, contact block, lead-in or body — decided from the clause's own text, its kind and its
context before any label is. Patterns and policies live in ``analyzer/data/roles.yaml``.

A role limits the problem labels a clause may carry: a title or a heading states nothing, a
definition defines, a change-log line dates; a list item is read with its lead-in (a purpose
item that mentions 苦情 is a purpose, not a refusal of complaints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from analyzer.normalize import normalize


@dataclass(frozen=True)
class ClauseInput:
    """A clause as the detectors see it: its own text and the context a reader uses."""

    text: str
    heading: str | None = None
    lead_in: str | None = None
    kind: str | None = None  # paragraph, item, definition (None: unknown, e.g. a corpus line)
    has_items: bool = False
    first: bool = False  # the first clause of the document (where a title stands)
    antecedent: str | None = None  # the clauses before it, which 「前項」「前条」 refer to
    in_document: bool = False  # False for a corpus line, whose antecedent is not known
    # later paragraphs of the same article that speak of this one (「前各項の利用の停止を求める
    # ことはできません」「前項の取扱いには…同意したものとみなします」): their consent route covers it
    covering: str | None = None
    # the later paragraphs of the same article (their notice before a change or a suspension
    # takes effect, combination.yaml: later_paragraph_vetoes); None for a corpus line
    later: str | None = None
    # whether the document's provider carries its users' communications (document/service.py);
    # None for a text given without its document, read as a carrier's
    carrier: bool | None = None
    # terms the document defines as communications data, with the data each names
    # (detect/definitions.py: 「「コンテンツ」とは、…他の利用者に送信し…情報をいいます」); empty for a
    # text read without its document
    defined: tuple[tuple[str, str], ...] = ()


def as_input(value: str | ClauseInput) -> ClauseInput:
    return value if isinstance(value, ClauseInput) else ClauseInput(value)


@dataclass(frozen=True)
class RolePolicy:
    predicate_end: re.Pattern[str]
    sentence_end: re.Pattern[str]
    roles: dict[str, dict]
    list_roles: list[tuple[str, re.Pattern[str]]]
    allowed: dict[str, list[str]]
    allowed_good: dict[str, list[str]]
    allowed_by_list: dict[str, list[str]]
    fragment_max: int
    fragment_allowed: list[str]
    item_fragment_allowed: list[str]
    item_marker: re.Pattern[str]
    discretionary_ground: re.Pattern[str]
    # a lead-in whose items list the handlings it speaks of, and the labels its items carry instead
    listed_handling: re.Pattern[str]
    items_carry: frozenset[str]
    # labels a grounds lead-in leaves to the item that carries them, unless its own text is the
    # operator's discretion
    leaves_to_items: frozenset[str]


@cache
def policy() -> RolePolicy:
    raw = yaml.safe_load(resources.files("analyzer.data").joinpath("roles.yaml").read_text("utf-8"))
    roles = {}
    for name, spec in raw["roles"].items():
        roles[name] = {**spec, "any": [re.compile(p) for p in spec["any"]]}
    return RolePolicy(
        predicate_end=re.compile(raw["predicate_end"]),
        sentence_end=re.compile(raw["sentence_end"]),
        roles=roles,
        list_roles=[(name, re.compile(p)) for name, p in raw["list_roles"].items()],
        allowed=raw["allowed_problem_labels"],
        allowed_good=raw["allowed_good_practice_labels"],
        allowed_by_list=raw["allowed_problem_labels_by_list"],
        fragment_max=int(raw["fragment"]["max_chars"]),
        fragment_allowed=list(raw["fragment"]["allowed_problem_labels"]),
        item_fragment_allowed=list(raw["fragment"]["item_allowed_problem_labels"]),
        item_marker=re.compile(raw["item_marker"]),
        discretionary_ground=re.compile(raw["discretionary_ground"]),
        listed_handling=re.compile(raw["lead_in_listing_handlings"]["pattern"]),
        items_carry=frozenset(raw["lead_in_listing_handlings"]["items_carry"]),
        leaves_to_items=frozenset(raw["lead_in_leaves_to_items"]),
    )


def _flat(text: str) -> str:
    return normalize(text).text.strip()


def states_something(text: str) -> bool:
    """Whether some line of ``text`` ends in a predicate or a sentence ends in it."""
    rules = policy()
    flat = _flat(text)
    if rules.sentence_end.search(flat):
        return True
    return any(
        rules.predicate_end.search(line.strip())
        for line in normalize(text, fold_whitespace=False).text.splitlines()
        if line.strip()
    )


def _matches(spec: dict, flat: str, clause: ClauseInput) -> bool:
    if len(flat) > spec.get("max_chars", 10_000):
        return False
    if spec.get("first_only") and not clause.first:
        return False
    if spec.get("requires_no_predicate") and states_something(clause.text):
        return False
    if "max_sentences" in spec and len(re.findall(r"[。．]", flat)) > spec["max_sentences"]:
        return False
    return any(p.search(flat) for p in spec["any"])


def list_role(lead_in: str | None) -> str | None:
    """What a lead-in lists: purposes, data_items, recipients, exceptions, … (or ``other``)."""
    if not lead_in:
        return None
    flat = _flat(lead_in)
    for name, pattern in policy().list_roles:
        if pattern.search(flat):
            return name
    return "other"


def clause_role(clause: ClauseInput) -> tuple[str, str | None]:
    """``(role, list_role)`` of a clause."""
    rules = policy()
    flat = _flat(clause.text)
    if not flat:
        return "heading", None
    for name in ("revision_history", "definition"):
        if _matches(rules.roles[name], flat, clause):
            return name, None
    if clause.kind == "definition":
        return "definition", None
    # ① and （１） are matched on the original too: NFKC turns ① into a bare 1
    marked = rules.item_marker.match(flat) or rules.item_marker.match(clause.text.strip())
    if clause.lead_in is not None or clause.kind == "item" or marked:
        return "list_item", list_role(clause.lead_in)
    for name in ("contact_block", "title", "heading"):
        if _matches(rules.roles[name], flat, clause):
            return name, None
    if clause.has_items:
        return "lead_in", None
    return "body", None


def allowed_problem_labels(clause: ClauseInput, role: str, role_of_list: str | None) -> set[str] | None:
    """The problem labels a clause of this role may carry; ``None``: any."""
    rules = policy()
    if role in rules.allowed:
        return set(rules.allowed[role])
    flat = _flat(clause.text)
    if role == "lead_in" and rules.listed_handling.search(flat) and list_role(clause.text) != "data_items":
        from analyzer.taxonomy import problem_labels

        return set(problem_labels()) - rules.items_carry
    fragment = len(flat) <= rules.fragment_max and not states_something(clause.text)
    if role == "list_item":
        # an item's predicate is its lead-in's: 「(4) その他当社が必要と判断した場合」 under
        # 「次の場合を除き、提供しません」 states a ground; only some lists cannot hold problems
        listed = rules.allowed_by_list.get(role_of_list or "")
        if listed is not None:
            return set(listed)
        if role_of_list == "suspension_grounds" and not rules.discretionary_ground.search(flat):
            return set()
        if role_of_list is None and fragment:
            return set(rules.item_fragment_allowed)
        return None
    if fragment:
        return set(rules.fragment_allowed)
    return None


def allowed_good_practice_labels(role: str) -> set[str] | None:
    """The good-practice labels a clause of this role may carry; ``None``: any."""
    listed = policy().allowed_good.get(role)
    return None if listed is None else set(listed)
