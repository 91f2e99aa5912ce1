"""Every rule's documented examples are true: the one that fires fires, the other does not."""

from __future__ import annotations

import pytest

from auditor.rules.registry import RULES
from tests.rules.judge import judge_cases, judge_orders

CHECKED = [r for r in RULES.values() if r.scope in ("case", "order")]


@pytest.mark.parametrize("rule", CHECKED, ids=lambda r: r.id)
def test_documented_examples_hold(rule):
    outcomes = []
    for example in (rule.example_fires, rule.example_passes):
        if rule.scope == "order":
            outcomes += judge_orders(
                rule.id, [dict(example.order)], [dict(c) for c in example.cases]
            )
        else:
            outcomes += judge_cases(rule.id, [dict(example.case)])
    assert outcomes == ["fired", "passed"]
