"""The engine on frames built in the test: findings shape, messages, order, coverage, as_of,
to-do list, policy layers and Q006."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from auditor.engine import audit_dataset
from auditor.engine.findings import FINDING_COLUMNS, FINDING_SCHEMA
from auditor.errors import AuditorError
from tests.rules.frames import FakePolicy, FakeStack, dataset, platform_params

RUN = datetime(2026, 4, 1, 9, 0)


def _case(case_id: str, **fields) -> dict:
    base = {
        "case_id": case_id,
        "order_id": "O-" + case_id,
        "shop": "店铺A",
        "case_type": "refund_only",
        "applied_at": "2026-03-02 10:00:00",
        "status": "closed",
    }
    return {**base, **fields}


def _late_response(case_id: str, **fields) -> dict:
    return _case(case_id, **{"first_response_at": "2026-03-03 12:30:00", **fields})


def _audit(cases, orders=None, stack=None, **kwargs):
    kwargs.setdefault("run_started", RUN)
    return audit_dataset(dataset(cases, orders), stack or FakeStack(), **kwargs)


def _rules_of(result, case_id: str) -> list[str]:
    return result.findings.filter(pl.col("case_id") == case_id).get_column("rule").to_list()


def test_finding_columns_types_and_keys() -> None:
    result = _audit([_late_response("C1")], as_of="2026-03-31")
    assert tuple(result.findings.columns) == FINDING_COLUMNS
    assert dict(result.findings.schema) == FINDING_SCHEMA
    row = result.findings.filter(pl.col("rule") == "D001").row(0, named=True)
    assert row["severity"] == "warning" and row["layer"] == "service"
    assert row["policy"] == "platform-standard@2026-01-01"
    assert row["fingerprint"] == "D001|case:C1|platform-standard"
    assert row["due"] == datetime(2026, 3, 3, 10, 0)
    assert row["actual"] == datetime(2026, 3, 3, 12, 30)
    assert row["overdue_hours"] == 2.5
    assert row["source_file"] == "cases.xlsx" and row["source_row"] == 2
    assert row["month"] == "2026-03" and row["order_id"] == "O-C1"
    assert "24小时" in row["message"] and "2026-03-03 12:30:00" in row["message"]


def test_open_case_past_due_says_not_done_as_of() -> None:
    case = _case("C1", status="open", decision="pending", first_response_at=None)
    for lang, words in (("zh", "截至 2026-03-31 23:59:59 仍未完成"), ("en", "not done as of")):
        result = _audit([case], as_of="2026-03-31", lang=lang)
        row = result.findings.filter(pl.col("rule") == "D001").row(0, named=True)
        assert row["actual"] is None
        assert words in row["message"]
        assert row["overdue_hours"] == round(
            (datetime(2026, 3, 31, 23, 59, 59) - datetime(2026, 3, 3, 10)).total_seconds() / 3600, 2
        )


def test_messages_fill_facts_in_the_requested_language() -> None:
    case = _case(
        "C1",
        paid_amount=100,
        refund_amount=120.5,
        reason_class="quality",
        decision="approved",
        evidence=False,
    )
    zh = _audit([case], as_of="2026-03-31")
    en = _audit([case], as_of="2026-03-31", lang="en")
    a001_zh = zh.findings.filter(pl.col("rule") == "A001").item(0, "message")
    a001_en = en.findings.filter(pl.col("rule") == "A001").item(0, "message")
    assert a001_zh == "退款金额 120.50 元超过实付金额 100.00 元"
    assert a001_en == "refund 120.50 yuan exceeds the 100.00 yuan paid"
    assert "质量问题" in zh.findings.filter(pl.col("rule") == "E001").item(0, "message")
    assert "quality" in en.findings.filter(pl.col("rule") == "E001").item(0, "message")


def test_sorted_case_findings_then_order_findings_and_deterministic() -> None:
    cases = [_late_response("C2"), _late_response("C10", evidence=False), _late_response("C1")]
    orders = [
        {"order_id": "O9", "paid_at": "2026-03-01 10:00:00", "shipped_at": "2026-03-05 10:00:00"},
        {"order_id": "O1", "paid_at": "2026-03-01 10:00:00", "shipped_at": "2026-03-05 10:00:00"},
    ]
    first = _audit(cases, orders, as_of="2026-03-31")
    keys = first.findings.select(pl.coalesce("case_id", "order_id"), "rule").rows()
    assert keys == [("C1", "D001"), ("C10", "D001"), ("C2", "D001"), ("O1", "D010"), ("O9", "D010")]
    assert first.findings.filter(pl.col("rule") == "D010").get_column("fingerprint").to_list() == [
        "D010|order:O1|platform-standard",
        "D010|order:O9|platform-standard",
    ]
    assert _audit(cases, orders, as_of="2026-03-31").findings.equals(first.findings)
    shuffled = _audit(list(reversed(cases)), list(reversed(orders)), as_of="2026-03-31")
    assert shuffled.findings.drop("source_row").equals(first.findings.drop("source_row"))


def test_coverage_counts_judged_fired_and_reasons() -> None:
    cases = [
        _late_response("C1"),
        _case("C2", first_response_at="2026-03-02 11:00:00"),
        _case("C3", first_response_at=None, _absent=["first_response_at"]),
        _case("C4", applied_at="2024-06-01 10:00:00", first_response_at="2024-06-09 10:00:00"),
        _case("C5", case_type="complaint"),
    ]
    result = _audit(cases, as_of="2026-03-31")
    assert result.coverage["D001"] == {
        "judged": 2,
        "fired": 1,
        "not_judged": {
            "field absent: first_response_at": 1,
            "no policy version in force": 1,
        },
    }
    assert list(result.coverage)[:3] == ["W001", "X001", "W002"]
    assert result.cases == 5


def test_as_of_default_is_latest_input_time_not_in_the_future() -> None:
    cases = [
        _case("C1", first_response_at="2026-03-20 08:00:00"),
        _case("C2", closed_at="2062-03-20 08:00:00"),  # a typo (Q007): left out of as_of
    ]
    result = _audit(cases)
    assert result.as_of == datetime(2026, 3, 20, 8, 0)
    assert result.as_of_source == "latest input time"


def test_as_of_option_date_means_end_of_day_and_bad_value_is_located() -> None:
    result = _audit([_case("C1")], as_of="2026-03-31")
    assert result.as_of == datetime(2026, 3, 31, 23, 59, 59)
    assert result.as_of_source == "--as-of"
    assert _audit([_case("C1")], as_of=date(2026, 3, 5)).as_of == datetime(2026, 3, 5, 23, 59, 59)
    assert _audit([_case("C1")], as_of="2026-03-05 18:30").as_of == datetime(2026, 3, 5, 18, 30)
    with pytest.raises(AuditorError) as error:
        _audit([_case("C1")], as_of="2026-13-45")
    assert "--as-of" in str(error.value)


def test_open_case_before_and_after_as_of() -> None:
    case = _case("C1", status="open", decision="pending", first_response_at=None)
    before = _audit([case], as_of="2026-03-03 09:59")
    assert "D001" not in _rules_of(before, "C1")
    assert before.coverage["D001"]["not_judged"] == {"open, not yet due": 1}
    after = _audit([case], as_of="2026-03-03 10:01")
    assert "D001" in _rules_of(after, "C1")


def test_todo_lists_open_deadlines_ahead_soonest_first() -> None:
    cases = [
        _case("C1", status="open", decision="pending", applied_at="2026-03-30 08:00:00"),
        _case("C2", status="open", decision="pending", applied_at="2026-03-30 07:00:00"),
        _case("C3", case_type="complaint", status="open", applied_at="2026-03-30 09:00:00"),
        _case("C4", status="closed", applied_at="2026-03-30 09:00:00"),
    ]
    result = _audit(cases, as_of="2026-03-30 12:00", lang="en")
    todo = result.todo
    assert todo.columns == ["case_id", "order_id", "shop", "rule", "action", "due"]
    assert todo.get_column("due").to_list() == sorted(todo.get_column("due").to_list())
    assert set(todo.get_column("case_id")) == {"C1", "C2", "C3"}
    first = todo.row(0, named=True)
    assert (first["case_id"], first["rule"], first["action"]) == (
        "C2",
        "D001",
        "respond to the buyer",
    )
    assert first["due"] == datetime(2026, 3, 31, 7, 0)
    assert todo.filter(pl.col("case_id") == "C3").get_column("rule").to_list() == ["D009"]
    zh = _audit(cases, as_of="2026-03-30 12:00")
    assert "首次响应买家" in zh.todo.get_column("action").to_list()


def test_platform_version_switch_on_applied_at() -> None:
    cases = [
        _case("C1", applied_at="2025-12-31 10:00:00", first_response_at="2026-01-01 20:00:00"),
        _case("C2", applied_at="2026-01-01 10:00:00", first_response_at="2026-01-02 20:00:00"),
    ]
    result = _audit(cases, as_of="2026-03-31")
    assert _rules_of(result, "C1") == []
    assert _rules_of(result, "C2") == ["D001"]
    assert result.findings.item(0, "policy") == "platform-standard@2026-01-01"
    assert "platform-standard@2025-01-01" in result.policies


def _no_reason_rejected(case_id: str, applied_at: str, **fields) -> dict:
    defaults = {
        "case_type": "return_refund",
        "reason_class": "no_reason",
        "decision": "rejected",
        "reject_reason": "不支持",
        "category": "服装",
        "signed_at": "2026-03-01 10:00:00",
        "applied_at": applied_at,
        "first_response_at": applied_at,
        "decided_at": applied_at,
    }
    return _case(case_id, **{**defaults, **fields})


def _shop_policy(**overrides) -> FakeStack:
    params = platform_params(24)
    params.update(overrides.pop("params", {}))
    shop = FakePolicy("my-shop@2025-06-01", "service", params, **overrides)
    return FakeStack(by_shop={"店铺A": [shop]})


def test_a_longer_promised_window_binds_the_shop_and_a_shorter_never_relaxes() -> None:
    day_10 = _no_reason_rejected("C1", "2026-03-11 10:00:00")
    day_5 = _no_reason_rejected("C2", "2026-03-06 10:00:00")
    generous = _shop_policy(
        params={"no_reason_window": {"amount": 15, "unit": "calendar_days", "from": "signed_at"}}
    )
    stingy = _shop_policy(
        params={"no_reason_window": {"amount": 3, "unit": "calendar_days", "from": "signed_at"}}
    )
    assert _rules_of(_audit([day_10, day_5], stack=generous, as_of="2026-03-31"), "C1") == ["W001"]
    result = _audit([day_10, day_5], stack=stingy, as_of="2026-03-31")
    assert _rules_of(result, "C1") == []
    assert _rules_of(result, "C2") == ["W001"]


def test_service_policy_switches_off_and_regrades_its_own_rules_only() -> None:
    stack = _shop_policy(
        disabled=frozenset({"D001", "W001"}), severities={"E002": "info", "W001": "info"}
    )
    cases = [
        _no_reason_rejected("C1", "2026-03-05 10:00:00", reject_reason=None),
        _late_response("C2"),
    ]
    result = _audit(cases, stack=stack, as_of="2026-03-31")
    assert _rules_of(result, "C1") == ["E002", "W001"]
    severities = dict(result.findings.select("rule", "severity").rows())
    assert severities == {"E002": "info", "W001": "error"}
    assert result.coverage["D001"]["not_judged"] == {"switched off by policy": 2}
    assert "my-shop@2025-06-01" in result.findings.get_column("policy").to_list()


def test_each_shop_is_judged_by_its_own_service_policy() -> None:
    strict = FakePolicy(
        "strict@2025-01-01",
        "service",
        {
            **platform_params(24),
            "response_limit": {"amount": 1, "unit": "hours", "from": "applied_at"},
        },
    )
    stack = FakeStack(by_shop={"店铺B": [strict]})
    cases = [
        _case("C1", first_response_at="2026-03-02 12:00:00"),
        _case("C2", shop="店铺B", first_response_at="2026-03-02 12:00:00"),
    ]
    result = _audit(cases, stack=stack, as_of="2026-03-31")
    assert _rules_of(result, "C1") == []
    assert _rules_of(result, "C2") == ["D001"]
    assert result.findings.item(0, "fingerprint") == "D001|case:C2|strict"


def test_date_outside_the_calendar_is_q006_and_not_judged() -> None:
    cases = [
        _case(
            "C1",
            applied_at="2026-12-31 10:00:00",
            decided_at="2027-01-06 10:00:00",
            decision="approved",
            first_response_at="2026-12-31 11:00:00",
        )
    ]
    result = _audit(cases, as_of="2027-01-31")
    assert "D002" not in _rules_of(result, "C1")
    assert result.coverage["D002"]["not_judged"] == {"date outside calendar: applied_at": 1}
    issue = result.data_issues.filter(pl.col("check") == "Q006").row(0, named=True)
    assert issue["case_id"] == "C1" and issue["column"] == "applied_at"
    assert issue["value"] == "2026-12-31 10:00:00"
    assert issue["source_file"] == "cases.xlsx" and issue["source_row"] == 2
    assert issue["message_zh"] and issue["message_en"]


def test_order_rules_without_orders_are_not_judged_and_partitions_do_not_lose_rows() -> None:
    cases = [
        _late_response(
            f"C{i}",
            applied_at=f"202{5 + i % 2}-03-02 10:00:00",
            first_response_at=f"202{5 + i % 2}-03-04 12:00:00",
        )
        for i in range(6)
    ]
    result = _audit(cases, as_of="2026-03-31")
    assert result.coverage["D010"] == {"judged": 0, "fired": 0, "not_judged": {}}
    assert result.coverage["D001"]["judged"] == 6
    assert result.findings.height == 6


def test_findings_name_the_policy_as_family_at_version_even_for_a_resolved_segment() -> None:
    shop = FakePolicy(
        "mine@2025-01-01+platform-standard@2026-01-01", "service", platform_params(24)
    )
    result = _audit(
        [_late_response("C1")], stack=FakeStack(by_shop={"店铺A": [shop]}), as_of="2026-03-31"
    )
    row = result.findings.row(0, named=True)
    assert row["policy"] == "mine@2025-01-01"
    assert row["fingerprint"] == "D001|case:C1|mine"


def test_a_faster_refund_promise_binds_the_law_rule_and_the_message_says_so() -> None:
    promise = {"amount": 3, "unit": "working_days", "from": "return_received_at"}
    stack = _shop_policy(params={"refund_after_return_law": promise})
    base = {
        "case_type": "return_refund",
        "reason_class": "no_reason",
        "decision": "approved",
        "category": "服装",
        "signed_at": "2026-03-01 10:00:00",
        "applied_at": "2026-03-02 10:00:00",
        "return_received_at": "2026-03-05 10:00:00",
    }
    # Thu 03-05 + 3 working days = Tue 03-10; the law's 7 days end 03-12.
    late_for_promise = _case("C1", **base, refunded_at="2026-03-11 10:00:00")
    in_time = _case("C2", **base, refunded_at="2026-03-10 20:00:00")
    result = _audit([late_for_promise, in_time], stack=stack, as_of="2026-03-31")
    d003 = result.findings.filter(pl.col("rule") == "D003")
    assert d003.get_column("case_id").to_list() == ["C1"]
    assert d003.item(0, "due") == datetime(2026, 3, 10, 23, 59, 59)
    assert "店铺承诺的3个工作日" in d003.item(0, "message")
    plain = _audit([late_for_promise], as_of="2026-03-31")
    assert "D003" not in _rules_of(plain, "C1")


def test_window_messages_say_when_the_application_came() -> None:
    cases = [
        _no_reason_rejected("C1", "2026-03-08 23:59:00"),
        _no_reason_rejected("C2", "2026-02-28 09:00:00"),
    ]
    zh = _audit(cases, as_of="2026-03-31")
    messages = dict(
        zh.findings.filter(pl.col("rule") == "W001").select("case_id", "message").rows()
    )
    assert messages["C1"] == (
        "七天无理由退货于签收后第7天申请（期限截至2026-03-08 23:59:59），"
        "类目「服装」不属于不适用范围，却被拒绝"
    )
    assert "于签收前申请" in messages["C2"]
    en = _audit(cases, as_of="2026-03-31", lang="en")
    w001 = en.findings.filter((pl.col("rule") == "W001") & (pl.col("case_id") == "C1"))
    assert w001.item(0, "message").startswith("no-reason return applied on day 7 after signing")


@pytest.mark.parametrize(
    "given", ["0001-01-01", "1999-12-31 23:59", "2100-01-01", date(9999, 1, 1)]
)
def test_as_of_outside_the_years_2000_to_2099_is_refused(given) -> None:
    with pytest.raises(AuditorError) as error:
        _audit([_case("C1")], as_of=given)
    problem = error.value.problems[0]
    assert problem.column == "--as-of"
    assert "2000-01-01" in problem.message_zh and "2099-12-31" in problem.message_en


def test_as_of_on_the_first_and_last_day_of_the_years_is_taken() -> None:
    assert _audit([_case("C1")], as_of="2000-01-01").as_of == datetime(2000, 1, 1, 23, 59, 59)
    assert _audit([_case("C1")], as_of="2099-12-31").as_of == datetime(2099, 12, 31, 23, 59, 59)


def test_the_not_done_message_writes_as_of_with_a_four_digit_year() -> None:
    from auditor.engine.findings import _actual_text

    frame = pl.DataFrame(
        {"actual": [None], "due": [datetime(26, 3, 1, 7)], "overdue_hours": [1.0]},
        schema={"actual": pl.Datetime("us"), "due": pl.Datetime("us"), "overdue_hours": pl.Float64},
    )
    text = frame.select(_actual_text(datetime(26, 3, 1, 8), "en")).item()
    assert text == "not done as of 0026-03-01 08:00:00, 1.0 h overdue"


def test_an_open_case_whose_due_is_after_the_calendar_is_on_the_todo_list_by_its_end() -> None:
    cases = [
        _case(
            "C1",
            case_type="return_refund",
            decision="approved",
            status="open",
            return_received_at="2026-12-29 10:00:00",
        )
    ]
    result = _audit(cases, as_of="2026-12-30 12:00:00")
    todo = result.todo.filter(pl.col("rule") == "D004").row(0, named=True)
    assert todo["case_id"] == "C1" and todo["due"] == datetime(2026, 12, 31, 23, 59, 59)
    assert result.data_issues.filter(pl.col("check") == "Q006").height == 0
