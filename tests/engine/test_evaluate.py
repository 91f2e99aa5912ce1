"""Rules evaluated in batches (one polars collect for several rules) give each rule exactly
the outcome it gets alone, across policy partitions, in the rules' order."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from auditor.calendars.cn_workdays import official_calendar
from auditor.engine.evaluate import Frame, evaluate_rule, evaluate_rules
from auditor.engine.run import CASE_KEYS
from auditor.rules.registry import RULES
from tests.rules.frames import FakePolicy, FakeStack, case_frame, field_present, platform_params

AS_OF = datetime(2026, 3, 31, 23, 59, 59)


def _frame() -> tuple[Frame, FakeStack]:
    strict = FakePolicy(
        "strict@2025-01-01",
        "service",
        {**platform_params(24), "response_limit": {"amount": 1, "unit": "hours"}},
        disabled=frozenset({"W001"}),
    )
    stack = FakeStack(by_shop={"店铺B": [strict]})
    rows = []
    for i in range(12):
        rows.append(
            {
                "case_id": f"C{i}",
                "order_id": f"O{i}",
                "shop": "店铺B" if i % 3 == 0 else "店铺A",
                "case_type": "return_refund" if i % 2 else "refund_only",
                "reason_class": "no_reason" if i % 4 else "quality",
                "decision": "rejected" if i % 5 == 0 else "approved",
                "status": "open" if i % 7 == 0 else "closed",
                # Two platform versions: December 2025 and March 2026.
                "applied_at": "2025-12-20 10:00:00" if i % 4 == 1 else "2026-03-02 10:00:00",
                "first_response_at": f"2026-03-0{2 + i % 3} 1{i % 10}:00:00",
                "signed_at": "2026-02-20 10:00:00",
                "decided_at": "2026-03-20 10:00:00",
            }
        )
    cases = case_frame(rows)
    assigned = stack.assign(cases, date_col="applied_at", shop_col="shop")
    return Frame(assigned, field_present, "applied_at", CASE_KEYS), stack


def _case_rules() -> list:
    return [r for r in RULES.values() if r.scope == "case" and r.check is not None]


@pytest.mark.parametrize("batch", [1, 3, 100])
def test_a_batch_gives_each_rule_its_own_outcome(batch: int) -> None:
    frame, stack = _frame()
    assert len(frame.parts) > 2  # shops and platform versions: several partitions
    calendar = official_calendar()
    rules = _case_rules()
    batched = list(evaluate_rules(rules, frame, stack, AS_OF, calendar, batch=batch))
    assert [rule.id for rule, _ in batched] == [rule.id for rule in rules]
    fired = 0
    for rule, outcome in batched:
        alone = evaluate_rule(rule, frame, stack, AS_OF, calendar)
        assert outcome.verdicts.equals(alone.verdicts), rule.id
        assert outcome.hits.equals(alone.hits), rule.id
        assert outcome.verdicts.height == frame.data.height
        fired += outcome.hits.height
    assert fired > 0  # the frame breaks some rules, so the hits are compared too


def test_no_rules_no_outcomes() -> None:
    frame, stack = _frame()
    assert list(evaluate_rules([], frame, stack, AS_OF, official_calendar())) == []


def test_hits_are_the_judged_fired_rows() -> None:
    frame, stack = _frame()
    for rule, outcome in evaluate_rules(_case_rules(), frame, stack, AS_OF, official_calendar()):
        judged_fired = outcome.verdicts.filter(
            pl.col("_scope").fill_null(True) & pl.col("_reason").is_null() & pl.col("_fired")
        )
        assert sorted(outcome.hits.get_column("case_id").to_list()) == sorted(
            judged_fired.get_column("case_id").to_list()
        ), rule.id


def test_a_deadline_past_the_year_9999_is_not_judged_and_leaves_no_unshowable_time() -> None:
    from auditor.engine import audit_dataset
    from auditor.policies import load_stack
    from tests.rules.frames import dataset

    rows = [
        {
            "case_id": f"C-{status}-{len(decided)}",
            "order_id": "O1",
            "case_type": "return_refund",
            "reason_class": "quality",
            "applied_at": "9999-12-31 10:00:00",
            "signed_at": "9999-12-30 10:00:00",
            "status": status,
            **decided,
        }
        for status in ("open", "closed")
        for decided in ({}, {"decision": "approved", "decided_at": "9999-12-31 11:00:00"})
    ]
    result = audit_dataset(dataset(rows), load_stack(), run_started=datetime(2026, 5, 1))
    assert result.coverage["D001"]["judged"] == 0
    assert sum(result.coverage["D001"]["not_judged"].values()) == 4
    result.findings.to_dicts()  # every due and actual time is one Python (and a writer) can show
    result.todo.to_dicts()


def test_any_rule_time_past_what_python_can_show_is_blanked_and_not_judged() -> None:
    from auditor.engine.evaluate import TIME_OUT_OF_RANGE, _times_python_can_show
    from auditor.rules.terms import REASON

    verdicts = pl.LazyFrame(
        {"_reason": [None, None, "field absent"], "_n": [0, 1, 2]},
        schema={"_reason": REASON, "_n": pl.Int64},
    ).with_columns(
        *[
            pl.when(pl.col("_n") == 0)
            .then(pl.lit(datetime(2026, 3, 1)))
            .otherwise(pl.lit(datetime(9999, 12, 31)) + pl.duration(days=7))
            .cast(pl.Datetime("us"))
            .alias(name)
            for name in ("_due", "_actual", "_todo_due")
        ]
    )
    shown = verdicts.with_columns(*_times_python_can_show()).collect()
    assert shown["_reason"].cast(pl.String).to_list() == [None, TIME_OUT_OF_RANGE, "field absent"]
    assert (
        shown.select("_due", "_actual", "_todo_due").to_dicts()[1:]
        == [{"_due": None, "_actual": None, "_todo_due": None}] * 2
    )


def test_only_a_partition_with_a_time_past_python_is_rewritten() -> None:
    from auditor.engine.evaluate import RULE_TIMES, _any_beyond_python

    def times(moment) -> pl.DataFrame:
        column = pl.Series([datetime(2026, 3, 1), None]).cast(pl.Datetime("us"))
        frame = pl.DataFrame({name: column for name in RULE_TIMES})
        return frame.with_columns(
            (pl.lit(moment).cast(pl.Datetime("us")) + pl.duration(days=7)).alias("_todo_due")
        )

    assert not _any_beyond_python(times(datetime(2026, 3, 1)))
    assert _any_beyond_python(times(datetime(9999, 12, 31)))
    empty = pl.DataFrame(schema={name: pl.Datetime("us") for name in RULE_TIMES})
    assert not _any_beyond_python(empty)
