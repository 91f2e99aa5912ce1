"""Data-driven rule tests: tests/rules/cases/<RULE>.yaml, each case on a boundary of its rule.

A file has ``rule``, optional ``as_of`` and ``defaults`` (fields every case shares) and
``cases``: a list of ``{name, case | order (+ cases), expect}`` where ``expect`` is ``fired``,
``passed``, ``not applicable`` or ``not judged: <reason>``. All cases of a file are judged
together in one frame, as the engine would judge them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from auditor.rules.registry import RULES
from tests.rules.judge import judge_cases, judge_orders

CASES = Path(__file__).parent / "cases"
FILES = sorted(CASES.glob("*.yaml"))


def _as_of(value) -> datetime:
    if value is None:
        return datetime(2026, 6, 30, 23, 59, 59)
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_rule_cases(path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = RULES[spec["rule"]]
    as_of = _as_of(spec.get("as_of"))
    defaults = spec.get("defaults") or {}
    names = [c["name"] for c in spec["cases"]]
    expected = [c["expect"] for c in spec["cases"]]
    if rule.scope == "order":
        got = []
        for i, c in enumerate(spec["cases"]):  # each order with its own cases
            order = {"order_id": f"O{i}", **(spec.get("order_defaults") or {}), **c["order"]}
            cases = [{**defaults, **k, "order_id": order["order_id"]} for k in c.get("cases", [])]
            got += judge_orders(rule.id, [order], cases, as_of=as_of)
    else:
        rows = [{**defaults, **(c.get("case") or {})} for c in spec["cases"]]
        got = judge_cases(rule.id, rows, as_of=as_of)
    assert list(zip(names, got, strict=True)) == list(zip(names, expected, strict=True))


def test_every_rule_has_a_case_file_with_a_firing_and_a_passing_case() -> None:
    for rule in RULES.values():
        if rule.scope not in ("case", "order"):
            continue
        path = CASES / f"{rule.id}.yaml"
        assert path.exists(), rule.id
        expects = [c["expect"] for c in yaml.safe_load(path.read_text("utf-8"))["cases"]]
        assert "fired" in expects and "passed" in expects, rule.id
