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
