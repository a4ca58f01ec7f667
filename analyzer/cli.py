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


@app.command()
def segment(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="文書ファイルまたはフォルダ (files or folders)"),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="出力フォルダ (output folder)")] = Path("out"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="並列プロセス数 (parallel jobs)")] = 1,
) -> None:
    """文書を読み込み、章・条・項・号と文に分割して OUT/<name>.structure.json に書き出します。

    Exit code: 0 all files read, 1 some failed (see OUT/errors.csv), 2 usage error.
    """
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
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(files))

        def advance(path: str, ok: bool) -> None:
            progress.update(task, advance=1, description=("" if ok else "[red]✗[/red] ") + Path(path).name)

        result = run_batch(files, out, jobs=jobs, on_progress=advance)
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


@app.command()
def schema() -> None:
    """出力 JSON のスキーマ (JSON Schema) を表示します。"""
    from analyzer.model import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
