"""Carrier sets: documents grouped by the carrier they name, good practice judged over the set,
and contradictions between frames on the same data (small documents written for each case)."""

from __future__ import annotations

import pytest

from analyzer import analyze_bytes
from analyzer.compare.carriers import carrier_key, combined_absences, contradictions, group_documents

POLICY = (
    "株式会社ゆうやけ通信　プライバシーポリシー\n\n"
    "第1条（保存期間）\n当社は、接続記録を取得した日から6か月間保存し、その後速やかに消去します。\n"
    "第2条（安全管理）\n当社は、通信履歴への不正なアクセスを防止するため、アクセス権限の管理、"
    "従業者の教育その他の安全管理措置を講じます。\n"
)
TERMS = (
    "ゆうやけWi-Fi利用規約\n\n"
    "第1条（適用）\n本規約は、ゆうやけ通信株式会社（以下「当社」といいます。）が提供する公衆無線LANサービス"
    "「ゆうやけWi-Fi」の利用条件を定めるものです。\n"
    "第2条（記録）\n当社は、接続記録を、当社が必要と認める期間保存します。\n"
)
OTHER = (
    "株式会社あさなぎネット　個人情報保護方針\n\n"
    "第1条（保存期間）\n当社は、接続記録を取得した日から1年間保存し、その後消去します。\n"
)


@pytest.fixture(scope="module")
def documents():
    return [
        ("policy", analyze_bytes(POLICY.encode(), "policy.txt", rules_only=True)),
        ("terms", analyze_bytes(TERMS.encode(), "terms.txt", rules_only=True)),
        ("other", analyze_bytes(OTHER.encode(), "other.txt", rules_only=True)),
    ]


def test_a_carrier_is_one_however_its_legal_form_is_written() -> None:
    assert carrier_key("株式会社ゆうやけ通信") == carrier_key("ゆうやけ通信（株）") == "ゆうやけ通信"
    assert carrier_key("株式会社ゆうやけ通信") != carrier_key("株式会社あさなぎネット")


def test_compare_by_carrier_puts_a_carriers_documents_in_one_group(documents) -> None:
    from analyzer.compare.documents import compare_documents

    comparison = compare_documents(documents, by="carrier")
    assert comparison.groups == ["株式会社ゆうやけ通信", "株式会社あさなぎネット"]
    assert comparison.group_scores["株式会社ゆうやけ通信"]["documents"] == 2


def test_documents_are_grouped_by_carrier_or_by_folder(documents) -> None:
    by_carrier = {s.key: sorted(n for n, _ in s.documents) for s in group_documents(documents)}
    assert sorted(by_carrier.values()) == [["other"], ["policy", "terms"]]
    folders = {"policy": "a", "terms": "b", "other": "a"}
    by_folder = {s.name: sorted(n for n, _ in s.documents) for s in group_documents(documents, folders)}
    assert by_folder == {"a": ["other", "policy"], "b": ["terms"]}


def test_a_retention_period_and_an_open_ended_one_contradict(documents) -> None:
    (carrier,) = [s for s in group_documents(documents) if len(s.documents) == 2]
    found = contradictions(carrier)
    assert [(c.topic, c.a.document, c.b.document) for c in found] == [("retention", "policy", "terms")]
    (c,) = found
    assert "6か月間保存" in c.a.frame.text and "当社が必要と認める期間保存" in c.b.frame.text
    assert c.a.clause_path == "第1条" and c.b.clause_path == "第2条"
    assert "保存期間" in c.explanation
    # two documents of different carriers are never compared
    (alone,) = [s for s in group_documents(documents) if len(s.documents) == 1]
    assert contradictions(alone) == []


def test_good_practice_disclosed_in_one_document_is_not_absent_for_the_carrier(documents) -> None:
    (carrier,) = [s for s in group_documents(documents) if len(s.documents) == 2]
    absent, elsewhere = combined_absences(carrier)
    absent_labels = {a["label"] for a in absent}
    assert "safety_measures" not in absent_labels  # the policy states safeguards
    assert "incident_notification" in absent_labels  # neither document speaks of leaks
    moved = {e["label"]: e for e in elsewhere}
    if "safety_measures" in moved:
        assert moved["safety_measures"]["disclosed_in"] == ["policy"]


def test_analyze_writes_each_carrier_set_with_items_consistent_with_its_documents(tmp_path) -> None:
    import csv
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from analyzer.cli import app

    carriers = Path(__file__).resolve().parents[1] / "corpora" / "carriers"
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(carriers), "-o", str(out), "--rules-only", "--no-cache"])
    assert result.exit_code == 0, result.output
    with (out / "carriers.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = {row["carrier"]: row for row in csv.DictReader(stream)}
    assert set(rows) == {"株式会社あけぼの通信", "みずかがみケーブル株式会社", "そよかぜモバイル株式会社"}
    assert {c: int(row["documents"]) for c, row in rows.items()} == {
        "株式会社あけぼの通信": 4,
        "みずかがみケーブル株式会社": 4,
        "そよかぜモバイル株式会社": 5,
    }
    for path in (out / "carriers").glob("*.json"):
        report = json.loads(path.read_text("utf-8"))
        assert len(report["guideline_items"]) == 27
        documents = {
            d["document"]: json.loads((out / f"{d['document']}.json").read_text("utf-8"))
            for d in report["documents"]
        }
        absent = {a["label"] for a in report["absent"]}
        for item in report["guideline_items"]:
            verdicts = [
                v for doc in documents.values() for v in doc["guideline_items"] if v["item"] == item["item"]
            ]
            # a clause finding in any document raises the item for the carrier
            clause_grounds = any(f["source"] == "clause" for v in verdicts for f in v["findings"])
            # an absence raises it only when no document of the set makes it good
            absence_grounds = any(
                f["source"] == "document"
                and (f["finding_id"] or "").startswith("absent:")
                and f["finding_id"].split(":", 1)[1] in absent
                for v in verdicts
                for f in v["findings"]
            )
            other_grounds = any(
                f["source"] == "document" and not (f["finding_id"] or "").startswith("absent:")
                for v in verdicts
                for f in v["findings"]
            )
            expected = clause_grounds or absence_grounds or other_grounds
            assert (item["status"] == "raised") == expected, (path.name, item["item"])
        for contradiction in report["contradictions"]:
            for side in ("a", "b"):
                text = documents[contradiction[side]["document"]]["document"]["text"]
                s = contradiction[side]
                assert text[s["start"] : s["end"]] == s["quote"]


def test_the_sample_carriers_meet_their_gold() -> None:
    """corpora/carriers (three carriers, 13 documents, read by hand): combined absences and
    contradictions at precision and recall 0.9 or more (scripts/evaluate_carriers.py)."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_carriers.py"
    spec = importlib.util.spec_from_file_location("evaluate_carriers", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.evaluate()
    assert report["contradictions"]["precision"] >= 0.9 and report["contradictions"]["recall"] >= 0.9
    assert report["absent"]["precision"] >= 0.9 and report["absent"]["recall"] >= 0.9
    assert all(len(entry["sets"]) == 1 for entry in report["carriers"].values())
