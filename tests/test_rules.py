"""Every rule fires on its positive example and stays silent on its near-miss negative."""

from __future__ import annotations

import pytest

from analyzer.detect.rule_engine import RuleEngine, load_rules

RULES = load_rules()


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(RULES)


def test_every_rule_has_a_positive_and_a_near_miss_example() -> None:
    for rule in RULES:
        assert rule.positive_examples and rule.negative_examples, rule.id


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_fires_on_positive_and_not_on_near_miss(rule, engine: RuleEngine) -> None:
    single = RuleEngine([rule])
    for text in rule.positive_examples:
        hits = single.run(text)
        assert hits, f"{rule.id} should fire on: {text}"
        hit = hits[0]
        assert 0 <= hit.start < hit.end <= len(text)
    for text in rule.negative_examples:
        assert not single.run(text), f"{rule.id} should not fire on: {text}"


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        # the storing itself is negated at the end of the sentence
        (
            "当社は、アクセスログを障害調査のため一時的に保存しますが、永続的な一括保存は行いません。",
            "indefinite_retention.no_limit",
        ),
        # the user's own right to leave is no suspension by the carrier
        (
            "会員は、いつでも所定の手続によりアカウントを削除し、本サービスの利用を停止することができます。",
            "unilateral_suspension.discretion",
        ),
        # the carrier's power to cancel is no way for the user to stop a use
        (
            "当社は、契約者が次のいずれかに該当する場合は、いつでも本契約を解除することができるものとします。",
            "opt_out_available.how_to_stop",
        ),
    ],
)
def test_rule_does_not_fire_on_the_other_sense(text: str, rule_id: str, engine: RuleEngine) -> None:
    assert rule_id not in {hit.rule.id for hit in engine.run(text)}


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("当社は、保存期間を定めておりません。", "indefinite_retention.no_limit"),
        (
            "当社は、契約者が次のいずれかに該当する場合は、いつでも本契約を解除することができるものとします。",
            "unilateral_suspension.discretion",
        ),
        (
            "会員は、当社が予告なく本サービスの提供を停止する場合があることを承諾します。",
            "unilateral_suspension.discretion",
        ),
    ],
)
def test_rule_still_fires_where_the_problem_is_stated(text: str, rule_id: str, engine: RuleEngine) -> None:
    assert rule_id in {hit.rule.id for hit in engine.run(text)}


def test_a_rule_reads_across_a_definition_in_brackets(engine: RuleEngine) -> None:
    """Real 規約 define a term inside the sentence (「（以下「利用者」という。）」); its 「。」 ends no
    sentence, so the rule fires as it does without the aside, and its span points into the original."""
    text = "本サービスを利用しようとする者（以下「利用者」という。）は、本利用規約に同意したものとする。"
    hits = {hit.rule.id: hit for hit in engine.run(text)}
    assert "deemed_consent.use_as_acceptance" in hits
    hit = hits["deemed_consent.use_as_acceptance"]
    assert text[hit.start : hit.end].startswith("利用しようとする者（以下「利用者」という。）は")
    liability = "当社は、本サービスの利用により利用者に生じたいかなる損害（通信内容の漏えいによるものを含みます。）についても、一切の責任を負いません。"
    assert "leak_liability.no_responsibility" in {hit.rule.id for hit in engine.run(liability)}
