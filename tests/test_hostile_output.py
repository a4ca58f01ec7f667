"""What a hostile document cannot do to the outputs: start a spreadsheet formula, put raw HTML
or a live link into Markdown, send a control sequence to the terminal, break a Rich message;
what a careless command line cannot do: overwrite someone else's files, read the tool's own
outputs back as documents, end in a traceback; and what SIGKILL cannot leave: a truncated output
that parses as complete."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.report.safe import csv_cell, markdown_text, terminal_text
from tests.conftest import CORPUS, batch_outputs

runner = CliRunner()

# A short privacy policy whose title, carrier and clauses carry payloads; the clauses are ones
# the rules flag, so the payloads reach findings' evidence too.
HOSTILE_POLICY = (
    '=HYPERLINK("http://x.example/","開く") プライバシーポリシー <script>alert(1)</script>\n\n'
    "第1条（適用）\n本ポリシーは、株式会社@かがり通信（以下「当社」といいます。）の"
    "インターネット接続サービスに適用されます。\n"
    "第2条（第三者提供）\n=当社は、利用者の同意なく、通信履歴を第三者に提供することがあります。"
    "<img src=x onerror=alert(1)> [詳細](javascript:alert(1))\x1b[2J\x1b]0;title\x07\n"
    "第3条（変更）\n-当社は、事前に通知することなく、本ポリシーを変更できるものとします。| a | b |\n"
    "第4条（取得する情報）\n当社は、本サービスの提供に当たり、契約者の氏名、住所、電話番号、"
    "メールアドレス、料金の支払に関する情報及び本サービスの利用状況に関する情報を取得します。\n"
    "第5条（利用目的）\n当社は、取得した情報を、本サービスの提供、料金の請求、"
    "お問い合わせへの対応、設備の保守及び障害の復旧並びに本サービスの改善のために利用します。\n"
    "第6条（安全管理）\n当社は、取得した情報への不正なアクセス、情報の紛失、破壊、改ざん及び"
    "漏えいを防止するため、アクセス権限の管理その他の必要かつ適切な安全管理措置を講じます。\n"
    "第7条（お問い合わせ）\n本ポリシーに関するお問い合わせは、当社カスタマーセンター"
    "（電話 0120-000-000、受付時間 平日10時から17時まで）までご連絡ください。\n"
)
FORMULA = re.compile(r"^[=+\-@\t\r]")


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "+cmd|' calc'!A0.txt").write_text(HOSTILE_POLICY, encoding="utf-8")
    (docs / "=1+2 <b>bad[bold].txt").write_text(HOSTILE_POLICY.replace("第3条", "第四条"), encoding="utf-8")
    # a path with Rich markup in it ("[/x]bad[bold]") that fails: its error message must print
    (docs / "[").mkdir()
    (docs / "[" / "x]bad[bold].txt").write_bytes(b"")
    out = folder / "out"
    result = runner.invoke(app, ["analyze", str(docs), "-o", str(out), "--rules-only", "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "[/x]bad[bold].txt" in result.output.replace("\n", "")
    return out


def test_no_csv_cell_starts_a_formula(hostile_out: Path) -> None:
    seen = 0
    for table in ("findings", "scores", "guideline_items", "errors", "skipped"):
        with (hostile_out / f"{table}.csv").open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.reader(stream):
                for cell in row:
                    seen += 1
                    assert not FORMULA.match(cell), (table, cell)
    assert seen > 100
    with (hostile_out / "scores.csv").open(encoding="utf-8-sig", newline="") as stream:
        scores = list(csv.DictReader(stream))
    # the payloads are still there, shown as text
    assert sorted(row["document"] for row in scores) == ["'+cmd|' calc'!A0", "'=1+2 <b>bad[bold]"]
    assert {row["title"][:11] for row in scores} == {"'=HYPERLINK"}


def test_summary_markdown_carries_no_raw_html_link_or_control(hostile_out: Path) -> None:
    summary = (hostile_out / "summary.md").read_text("utf-8")
    # no unescaped tag or link: a backslash makes each character show as itself
    assert not re.search(r"(?<!\\)<[a-zA-Z/]", summary) and not re.search(r"(?<!\\)\]\(", summary)
    assert "\x1b" not in summary and "\x07" not in summary
    assert "\\<script\\>" in summary  # escaped, so it shows as text
    for line in summary.splitlines():
        if line.startswith("|"):  # table rows keep their column count: no cell opened by a payload
            assert len(re.findall(r"(?<!\\)\|", line)) in {4, 6, 8}, line


def test_report_html_escapes_and_forbids_scripts(hostile_out: Path) -> None:
    page = (hostile_out / "report.html").read_text("utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)" in page and "default-src 'none'" in page


def test_screen_and_explain_send_no_control_sequence(hostile_out: Path) -> None:
    screened = runner.invoke(app, ["screen", str(hostile_out)])
    assert screened.exit_code in {0, 1}, screened.output
    assert "\x1b" not in screened.output and "\x07" not in screened.output
    assert "=1+2 <b>bad[bold]" in screened.output  # the file name, as it is
    analysis = next(p for p in hostile_out.glob("*.json") if "bad" in p.name)
    explained = runner.invoke(app, ["explain", str(analysis), "--clause", "第2条"])
    assert explained.exit_code == 0, explained.output
    assert "\x1b" not in explained.output and "\x07" not in explained.output
    assert "通信履歴を第三者に提供" in explained.output


def test_safe_text_helpers_on_the_payloads() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "当社", -1, 0.5)] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "当社", -1, 0.5,
    ]  # fmt: skip
    assert terminal_text("a\x1b[31mb\x07c\r\nd\te") == "a\ufffd[31mb\ufffdc\ufffd\nd\te"
    assert markdown_text("<b>x</b> [a](javascript:1) | `c` *d*\n#e") == (
        "\\<b\\>x\\</b\\> \\[a\\](javascript:1) \\| \\`c\\` *d* \\#e"
    )


def test_a_document_named_like_an_output_keeps_its_own_name_and_is_screened(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for stem in ("report", "findings", "summary"):
        (docs / f"{stem}.txt").write_text(HOSTILE_POLICY, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(docs), "-o", str(out), "--rules-only", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.json")) == [
        "docs__findings.json", "docs__report.json", "docs__summary.json",
    ]  # fmt: skip
    screened = runner.invoke(app, ["screen", str(out), "--fail-on", "medium"])
    assert "3 of 3 fail" in screened.output.replace("\n", ""), screened.output
    assert screened.exit_code == 1


def _policy_folder(tmp_path: Path) -> Path:
    """``tmp_path/docs`` holding one hostile policy."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.txt").write_text(HOSTILE_POLICY, encoding="utf-8")
    return docs


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    docs = _policy_folder(tmp_path)
    out = docs / "out"
    args = ["analyze", str(docs), "-o", str(out), "--rules-only", "--no-cache"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.glob("*.json")) == ["policy.json"]
    with (out / "skipped.csv").open(encoding="utf-8-sig", newline="") as stream:
        reasons = {Path(row["path"]).name: row["reason_en"] for row in csv.DictReader(stream)}
    assert reasons == {"out": "an analyzer output folder"}


def test_someone_elses_files_are_not_overwritten_without_overwrite(tmp_path: Path) -> None:
    docs = _policy_folder(tmp_path)
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "summary.md").write_text("# 自分のメモ\n", encoding="utf-8")
    refused = runner.invoke(app, ["analyze", str(docs), "-o", str(mine), "--rules-only", "--no-cache"])
    assert refused.exit_code == 2 and "summary.md" in refused.output and "--overwrite" in refused.output
    assert (mine / "summary.md").read_text("utf-8") == "# 自分のメモ\n"
    same = runner.invoke(app, ["analyze", str(docs), "-o", str(docs), "--rules-only"])
    assert same.exit_code == 2 and "input folder" in same.output.replace("\n", "")
    forced = runner.invoke(
        app, ["analyze", str(docs), "-o", str(mine), "--rules-only", "--no-cache", "--overwrite"]
    )
    assert forced.exit_code == 0, forced.output
    assert (mine / "summary.md").read_text("utf-8").startswith("# 分析結果の要約")


def test_formats_without_json_keep_an_earlier_runs_json(tmp_path: Path) -> None:
    docs = _policy_folder(tmp_path)
    out = tmp_path / "out"
    base = ["analyze", str(docs), "-o", str(out), "--rules-only", "--no-cache"]
    assert runner.invoke(app, base).exit_code == 0
    before = (out / "policy.json").read_bytes()
    (docs / "policy.txt").write_text(
        HOSTILE_POLICY + "第9条（準拠法）\n本ポリシーは日本法に準拠します。\n", "utf-8"
    )
    assert runner.invoke(app, [*base, "--format", "csv"]).exit_code == 0
    assert (out / "policy.json").read_bytes() == before
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert int(next(csv.DictReader(stream))["clauses"]) >= 4  # the new version's tables


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", ""], "--format"),
        (["--format", " , "], "--format"),
        (["--jobs", str(2 * (os.cpu_count() or 1) + 1)], "--jobs"),
        (["--model", "missing-model.joblib"], "missing-model.joblib"),
        (["--profile", "everything"], "--profile"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(tmp_path: Path, extra: list[str], message: str) -> None:
    document = tmp_path / "policy.txt"
    document.write_text(HOSTILE_POLICY, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(document), "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output.replace("\n", "") and "Traceback" not in result.output


def test_an_output_path_that_is_a_file_or_read_only_is_a_usage_error(tmp_path: Path) -> None:
    document = tmp_path / "policy.txt"
    document.write_text(HOSTILE_POLICY, encoding="utf-8")
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(document), "-o", str(taken), "--rules-only"])
    assert result.exit_code == 2 and "is a file" in result.output.replace("\n", "")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            result = runner.invoke(app, ["analyze", str(document), "-o", str(locked), "--rules-only"])
            assert result.exit_code == 2 and "not writable" in result.output.replace("\n", "")
        finally:
            locked.chmod(0o700)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    formats=st.lists(st.sampled_from(["json", "csv", "parquet", "html", "md", "xlsx", "", " "]), max_size=4),
    jobs=st.sampled_from(["0", "1", "-3", "abc", "64"]),
    profile=st.sampled_from([None, "screening", "recall", "", "[red]x"]),
    flags=st.lists(
        st.sampled_from(["--rules-only", "--no-cache", "--resume", "--thorough", "--overwrite"]), max_size=3
    ),
)
def test_any_combination_of_options_ends_in_an_exit_code_not_a_traceback(
    tmp_path: Path, formats: list[str], jobs: str, profile: str | None, flags: list[str]
) -> None:
    document = tmp_path / "policy.txt"
    document.write_text(HOSTILE_POLICY, encoding="utf-8")
    args = [
        "analyze",
        str(document),
        "-o",
        str(tmp_path / "out"),
        "--format",
        ",".join(formats),
        "--jobs",
        jobs,
    ]
    args += ["--rules-only", "--no-cache", *flags] + (["--profile", profile] if profile is not None else [])
    result = runner.invoke(app, args)
    assert result.exit_code in {0, 1, 2}, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def _killed_outputs_are_whole(out: Path, reference: dict[str, object]) -> None:
    """Every output present after a kill is one an uninterrupted run also wrote, byte for byte
    (parsed for JSON and Parquet), and report.html is either absent or whole."""
    found = batch_outputs(out)
    for name, content in found.items():
        assert content == reference[name], name
    page = out / "report.html"
    if page.exists():
        assert page.read_text("utf-8").endswith("</html>\n")


def test_sigkill_during_analysis_or_reports_leaves_no_truncated_output(tmp_path: Path) -> None:
    documents = sorted(str(p) for p in CORPUS.glob("*.txt"))
    command = [sys.executable, "-m", "analyzer", "analyze", *documents, "--rules-only", "--no-cache"]
    whole = tmp_path / "whole"
    assert subprocess.run([*command, "-o", str(whole)], capture_output=True).returncode == 0
    reference = batch_outputs(whole)
    killed_in_reports = 0
    for attempt, wait_for in enumerate(["analysis", "analysis", "reports", "reports", "reports"]):
        out = tmp_path / f"killed-{attempt}"
        process = subprocess.Popen(
            [*command, "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            analysed = len(list(out.glob("*.json"))) if out.is_dir() else 0
            # errors.csv takes its name when the last document is done: the reports start
            if (wait_for == "analysis" and analysed >= 1 + attempt) or (
                wait_for == "reports" and (out / "errors.csv").exists()
            ):
                break
            time.sleep(0.002)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed_in_reports += wait_for == "reports"
        process.wait()
        _killed_outputs_are_whole(out, reference)
    assert killed_in_reports >= 1
