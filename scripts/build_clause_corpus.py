"""Merge the labelled clause parts, drop near-duplicates, and split by group.

Usage: python scripts/build_clause_corpus.py

Reads ``corpora/clauses/parts/*.jsonl`` (one file per label family) and applies the
cross-family review decisions in ``corpora/clauses/review/*.jsonl`` (labels added or removed,
hard negatives tagged); writes ``corpora/clauses/train.jsonl``, ``corpora/clauses/heldout.jsonl``
and ``corpora/clauses/stats.json``. The held-out split takes one group in five of every family
(groups ordered by a hash of their name), so each family is on both sides and the split does
not depend on line order.

Near-duplicates: two clauses whose texts are the same once names, numbers and list markers are
blanked (the later one is dropped; when their labels disagree the pair is printed as a labelling
conflict), or whose character-trigram Jaccard similarity is 0.9 or more with the same labels.
Near-identical pairs with different labels are kept: they are the minimal pairs (a carve-out, a
negation) that teach the classifier where a label stops.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = ROOT / "corpora" / "clauses"
LABELS = ROOT / "analyzer" / "data" / "labels.json"
HELDOUT_SHARE = 5  # one group in five (by hash) is held out
NEAR_DUPLICATE = 0.9
OUTPUT_KEYS = (
    "id",
    "text",
    "labels",
    "doc_type",
    "source",
    "group",
    "heading",
    "lead_in",
    "hard_negative",
    "hard_negative_of",
)


def skeleton(text: str) -> str:
    """The text with what varies between near-twins blanked: names, numbers, markers, spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^(?:\(?\d+\)?|[一二三四五六七八九十]+|[ア-ン]|[①-⑳]|・|第\d+条)[.．、)]?", "", text)
    text = re.sub(
        r"(?:株式会社|合同会社|有限会社)[^、。,()「」]{0,20}|[^、。,()「」]{0,20}(?:株式会社|合同会社)",
        "社",
        text,
    )
    text = re.sub(r"「[^」]{0,30}」", "「」", text)
    text = re.sub(r"[0-9０-９]+", "0", text)
    text = re.sub(r"[A-Za-z][A-Za-z0-9._\-]*", "A", text)
    return text


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


def heldout_groups(groups: set[str]) -> set[str]:
    """One group in HELDOUT_SHARE of each family (the prefix before the first '-')."""
    families: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        families[group.split("-", 1)[0]].append(group)
    chosen: set[str] = set()
    for members in families.values():
        ordered = sorted(members, key=lambda g: hashlib.sha1(g.encode("utf-8")).hexdigest())
        chosen.update(ordered[::HELDOUT_SHARE])
    return chosen


def jsonl_objects(folder: Path, problems: list[str]):
    """``(where, object)`` for every line of every JSONL file in ``folder``; bad lines are
    reported in ``problems`` and skipped."""
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                yield f"{path.name}:{number}", json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{path.name}:{number}: not JSON ({exc})")


def apply_reviews(records: list[dict], valid: set[str], problems: list[str]) -> None:
    """Apply every review decision: add/remove labels, collect hard-negative tags."""
    by_id = {record["id"]: record for record in records}
    for where, decision in jsonl_objects(CLAUSES / "review", problems):
        record = by_id.get(decision.get("id"))
        named = decision.get("add", []) + decision.get("remove", []) + decision.get("hard_negative_of", [])
        if record is None or any(label not in valid for label in named):
            problems.append(f"{where}: unknown id or label")
            continue
        labels = set(record["labels"]) | set(decision.get("add", []))
        labels -= set(decision.get("remove", []))
        record["labels"] = sorted(labels)
        # a part may already list the tags (a list); the decisions add to them
        record["hard_negative_of"] = set(record.get("hard_negative_of") or ()) | set(
            decision.get("hard_negative_of", [])
        )


def main() -> int:
    spec = json.loads(LABELS.read_text("utf-8"))
    valid = {entry["id"] for entry in spec["problem_labels"] + spec["good_practice_labels"]}
    problem = [entry["id"] for entry in spec["problem_labels"]]
    good = [entry["id"] for entry in spec["good_practice_labels"]]
    records: list[dict] = []
    problems: list[str] = []
    seen_ids: set[str] = set()
    for where, record in jsonl_objects(CLAUSES / "parts", problems):
        unknown = [label for label in record.get("labels", []) if label not in valid]
        if unknown or not record.get("text") or not record.get("group") or record.get("id") in seen_ids:
            problems.append(f"{where}: unknown labels {unknown} / missing text, group or duplicate id")
            continue
        seen_ids.add(record["id"])
        records.append(record)
    apply_reviews(records, valid, problems)
    for record in records:
        record["labels"] = sorted(set(record["labels"]), key=lambda label: (label not in problem, label))
        # a hard negative carries none of the problem labels it imitates
        imitated = set(record.pop("hard_negative_of", set())) - set(record["labels"])
        record["hard_negative"] = bool(imitated) and not (set(record["labels"]) & set(problem))
        if record["hard_negative"]:
            record["hard_negative_of"] = sorted(imitated)
    kept: list[dict] = []
    by_skeleton: dict[str, dict] = {}
    index: dict[str, list[int]] = defaultdict(list)
    grams: list[set[str]] = []
    removed = 0
    conflicts: list[tuple[dict, dict]] = []
    for record in records:
        # a list item is the same clause only under the same lead-in
        key = skeleton(record["text"]) + "|" + skeleton(record.get("lead_in") or "")
        twin = by_skeleton.get(key)
        if twin is None:
            mine = trigrams(key)
            counts: Counter[int] = Counter()
            for gram in mine:
                for other in index[gram]:
                    counts[other] += 1
            for other, shared in counts.most_common(5):
                union = len(mine) + len(grams[other]) - shared
                if union and shared / union >= NEAR_DUPLICATE and kept[other]["labels"] == record["labels"]:
                    twin = kept[other]
                    break
        if twin is not None:
            removed += 1
            if twin["labels"] != record["labels"]:
                conflicts.append((twin, record))
            continue
        by_skeleton[key] = record
        position = len(kept)
        kept.append(record)
        mine = trigrams(key)
        grams.append(mine)
        for gram in mine:
            index[gram].append(position)
    splits: dict[str, list[dict]] = {"train": [], "heldout": []}
    held = heldout_groups({record["group"] for record in kept})
    for record in kept:
        splits["heldout" if record["group"] in held else "train"].append(record)
    for name, rows in splits.items():
        with (CLAUSES / f"{name}.jsonl").open("w", encoding="utf-8") as stream:
            for row in sorted(rows, key=lambda r: r["id"]):
                stream.write(
                    json.dumps(
                        {key: row[key] for key in OUTPUT_KEYS if row.get(key) is not None}, ensure_ascii=False
                    )
                    + "\n"
                )
    stats = {
        "clauses": len(kept),
        "removed_near_duplicates": removed,
        "groups": len({r["group"] for r in kept}),
    }
    for name, rows in splits.items():
        counter: Counter[str] = Counter(label for row in rows for label in row["labels"])
        stats[name] = {
            "clauses": len(rows),
            "groups": len({row["group"] for row in rows}),
            "none": sum(1 for row in rows if not row["labels"]),
            "hard_negatives": sum(1 for row in rows if row["hard_negative"]),
            "hard_negatives_of": dict(
                Counter(label for row in rows for label in row.get("hard_negative_of", []))
            ),
            "labels": {label: counter.get(label, 0) for label in problem + good},
        }
    (CLAUSES / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(stats, ensure_ascii=False, indent=1))
    for problem_line in problems:
        print("PROBLEM", problem_line, file=sys.stderr)
    for first, second in conflicts:
        print(
            f"CONFLICT {first['id']} {first['labels']} ~ {second['id']} {second['labels']}", file=sys.stderr
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
