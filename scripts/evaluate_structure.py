"""Score the structure stage against the sample corpus gold.

Usage: python scripts/evaluate_structure.py [corpora/documents/gold.jsonl] [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

from analyzer.evaluation.structure import evaluate_corpus

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    gold = Path(args[0]) if args else ROOT / "corpora" / "documents" / "gold.jsonl"
    scores = evaluate_corpus(gold)
    total_gold = sum(s.gold_clauses for s in scores)
    total_matched = sum(s.matched_clauses for s in scores)
    print(f"{'file':42} fmt enc type  sections   clauses(matched/gold)")
    for s in scores:
        print(
            f"{s.file:42} {'ok' if s.format_ok else 'NG':3} {'ok' if s.encoding_ok else 'NG':3} "
            f"{'ok' if s.doc_type_ok else 'NG':4}  {s.found_sections:3}/{s.gold_sections:<3}    "
            f"{s.matched_clauses:3}/{s.gold_clauses:<3} ({s.clause_recall:.1%})"
        )
        if verbose:
            problems = (("missing", s.missing), ("boundary", s.wrong_boundaries), ("extra", s.extra))
            for label, paths in problems:
                if paths:
                    print(f"    {label}: {', '.join(paths[:40])}")
    print(
        f"clause paths found with the same boundaries: {total_matched}/{total_gold} "
        f"({total_matched / total_gold:.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
