"""P001–P008: every clause less favourable than the law, nothing for the law or the platform."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from auditor.policies.lint import check
from auditor.policies.spans import due_date

SEEDS = {
    "seed-01-platform-policy": {
        ("P002", "no_reason_window.from"),
        ("P002", "quality_return_window.from"),
        ("P002", "quality_exchange_window.from"),
        ("P005", "freight_by_reason.not_as_described"),
        ("P005", "freight_by_reason.wrong_item"),
        ("P006", "quality_exchange_window"),
    },
    "seed-02-aftersales-rules": {("P006", "quality_exchange_window"), ("P008", "void_clauses")},
    "seed-03-terms-norms": {("P006", "quality_exchange_window")},
    "seed-04-reward-penalty": set(),
    "seed-05-platform-rules": {("P002", "no_reason_window.from")},
    "seed-06-platform-rules-latest": {
        ("P003", "refund_after_return_law"),
        ("P006", "quality_exchange_window"),
    },
    "seed-07-service-standard": set(),
    "seed-08-process-rules": {
        ("P006", "quality_return_window"),
        ("P006", "quality_exchange_window"),
        ("P007", "warranty"),
        ("P007", "warranty.from"),
    },
    "seed-09-management-rules": set(),
}

UNSPECIFIED = {
    "seed-01-platform-policy": {"return_handling_limit", "refund_after_return_law"},
    "seed-02-aftersales-rules": {"warranty"},
    "seed-03-terms-norms": {"response_limit", "decision_limit", "complaint_limit"},
    "seed-05-platform-rules": {"quality_return_window", "freight_by_reason"},
    "seed-07-service-standard": {"refund_after_return_law", "response_limit", "warranty"},
}


def found(target: str) -> set[tuple[str, str]]:
    return {(f.rule, f.clause) for report in check(target) for f in report.findings}


@pytest.mark.parametrize("family", sorted(SEEDS))
def test_seed_policy_findings(family: str) -> None:
    reports = check(family)
    assert [r.ref for r in reports] == [f"{family}@2025-01-01"]
    assert reports[0].law_refs == ("cn-law@2024-07-01",)
    assert {(f.rule, f.clause) for f in reports[0].findings} == SEEDS[family]
    assert {u.clause for u in reports[0].unspecified} == UNSPECIFIED.get(family, set())


def test_law_is_clean() -> None:
    reports = check("cn-law")
    assert reports and all(not r.findings and not r.unspecified for r in reports)


def test_platform_only_its_working_day_refund_level() -> None:
    # "3个工作日内退款" (seed-06 line 269) can end 13 days after a return arriving before the
    # Spring Festival: P003, as for seed-06, whichever key states it (SPEC 6.5)
    reports = check("platform-standard")
    assert reports and all(not r.unspecified for r in reports)
    assert {(f.rule, f.clause) for r in reports for f in r.findings} == {
        ("P003", "refund_after_return")
    }


def test_finding_names_clause_value_minimum_and_basis() -> None:
    (report,) = check("seed-08-process-rules")
    warranty = next(f for f in report.findings if f.clause == "warranty")
    assert warranty.policy_value_zh == "6个月(自付款起)"
    assert warranty.legal_zh == "12个月(自签收起)"
    assert warranty.legal_en == "12 months from delivery (signed_at)"
    assert "实施条例第十八条" in warranty.basis
    assert warranty.source.startswith("第 355、357 行:")
    assert "申请维修的时间一般在购买后的六个月内。" in warranty.source
    assert warranty.origin == "seed-08-process-rules@2025-01-01"


def test_working_day_refund_judged_at_its_longest() -> None:
    (report,) = check("seed-06-platform-rules-latest")
    refund = next(f for f in report.findings if f.rule == "P003")
    # the worst case straddles a long holiday: 3 working days outrun 7 calendar days
    start = date.fromisoformat(refund.detail_en.split("from ")[1][:10])
    due = due_date({"amount": 3, "unit": "working_days"}, start)
    assert due > start + timedelta(days=7)
    assert start.month in (1, 2, 9, 10)  # Spring Festival or National Day
    assert f"ends {due}" in refund.detail_en


# -- synthetic policies ---------------------------------------------------------------------

HEAD = """\
id: lint-probe
version: "2026-01-01"
title: {zh: 检查样例, en: Lint probe}
layer: service
effective_from: 2026-01-01
params:
"""


def lint_params(write, params: str) -> set[tuple[str, str]]:
    path = write("probe.yaml", HEAD + params)
    return found(str(path))


@pytest.mark.parametrize(
    ("limit", "fires"),
    [
        ("{amount: 5, unit: calendar_days, from: signed_at}", True),
        ("{amount: 7, unit: calendar_days, from: signed_at}", False),
        ("{amount: 15, unit: calendar_days}", False),
        ("{amount: 5, unit: working_days, from: signed_at}", True),  # Mon→Fri is 4 days
        ("{amount: 7, unit: working_days, from: signed_at}", False),
        ("{amount: 168, unit: hours, from: signed_at}", True),  # signed at 00:05: law gives ~8 days
        ("{amount: 192, unit: hours, from: signed_at}", False),
    ],
)
def test_p001_window_length(write, limit: str, fires: bool) -> None:
    got = lint_params(write, f"  no_reason_window: {{source: x, {limit[1:]}\n")
    assert (("P001", "no_reason_window") in got) is fires


def test_p002_says_the_audit_still_counts_the_law_from_delivery(write) -> None:
    """A window from payment is no less binding on the shop: P002 must not read as if the
    audit ignored it (it takes the later of the law's end and this one)."""
    path = write("probe.yaml", HEAD + "  no_reason_window: "
                 "{amount: 30, unit: calendar_days, from: paid_at, source: x}\n")  # fmt: skip
    [p002] = [f for r in check(str(path)) for f in r.findings if f.rule == "P002"]
    assert "审计仍按法定期限自签收起算" in p002.detail("zh")
    assert "ends later" in p002.detail("en")


def test_p001_and_p002_are_judged_separately(write) -> None:
    got = lint_params(
        write, "  no_reason_window: {amount: 7, unit: calendar_days, from: ordered_at, source: x}\n"
    )
    assert got == {("P002", "no_reason_window.from")}


@pytest.mark.parametrize(
    ("limit", "fires"),
    [
        ("{amount: 7, unit: calendar_days}", False),
        ("{amount: 8, unit: calendar_days}", True),
        ("{amount: 5, unit: calendar_days}", False),
        ("{amount: 1, unit: working_days}", True),  # received 30 September: due 8 October
        ("{amount: 3, unit: working_days}", True),  # across the Spring Festival
        ("{amount: 168, unit: hours}", False),
        ("{amount: 169, unit: hours}", True),
    ],
)
def test_p003_refund_at_its_longest(write, limit: str, fires: bool) -> None:
    got = lint_params(write, f"  refund_after_return_law: {{source: x, {limit[1:]}\n")
    assert (("P003", "refund_after_return_law") in got) is fires


def test_p004_exclusions(write) -> None:
    got = lint_params(
        write,
        "  no_reason_exclusions: {value: [定制家具, 内衣, 食品], source: x}\n"
        "  statutory_exclusions: {value: [鲜活水产, 电子产品], source: x}\n"
        "  confirm_required: {value: [化妆品, 手机], source: x}\n",
    )
    assert got == {
        ("P004", "no_reason_exclusions: 内衣"),
        ("P004", "no_reason_exclusions: 食品"),
        ("P004", "statutory_exclusions: 电子产品"),
        ("P004", "confirm_required: 手机"),
    }


def test_p004_says_why(write) -> None:
    path = write("probe.yaml", HEAD + "  no_reason_exclusions: {value: [内衣, 食品], source: x}\n")
    findings = {f.clause: f for f in check(str(path))[0].findings}
    assert findings["no_reason_exclusions: 内衣"].detail_en == (
        "may be excluded only with the consumer's confirmation at purchase"
    )
    assert findings["no_reason_exclusions: 食品"].detail_en == (
        "outside the statutory and confirm-required lists"
    )


def test_p005_buyer_pays_for_seller_fault(write) -> None:
    got = lint_params(
        write,
        "  freight_by_reason: {value: {quality: buyer, damaged_in_transit: insurance, "
        "no_reason: buyer, wrong_item: seller}, source: x}\n",
    )
    assert got == {("P005", "freight_by_reason.quality")}


def test_p006_quality_windows(write) -> None:
    got = lint_params(
        write,
        "  quality_return_window: {amount: 6, unit: calendar_days, from: signed_at, source: x}\n"
        "  quality_exchange_window: {amount: 15, unit: calendar_days, from: signed_at, source: x}\n",
    )
    assert got == {("P006", "quality_return_window")}


def test_p007_warranty(write) -> None:
    got = lint_params(
        write,
        "  warranty: {amount: 365, unit: calendar_days, from: signed_at, source: x}\n"
        "  warranty_by_category:\n"
        "    value:\n"
        "      手机: {amount: 6, unit: months}\n"
        "      电脑: {amount: 24, unit: months, from: paid_at}\n"
        "    source: x\n",
    )
    assert got == {
        ("P007", "warranty"),  # 365 days is a day short after a 29 February
        ("P007", "warranty_by_category.手机"),
        ("P007", "warranty_by_category.电脑.from"),
    }


def test_p008_void_clauses(write) -> None:
    got = check(
        str(
            write(
                "probe.yaml",
                HEAD + "  void_clauses:\n"
                "    value: [本店对活动拥有最终解释权。, 签收即视为商品质量合格。, 商品拆封后不予退货。,"
                " 本店不接受任何投诉。, 请将商品妥善包装后寄回。]\n"
                "    source: x\n",
            )
        )
    )[0].findings
    assert [f.policy_value_zh for f in got] == [
        "本店对活动拥有最终解释权。",
        "签收即视为商品质量合格。",
        "商品拆封后不予退货。",
        "本店不接受任何投诉。",
    ]
    assert {f.rule for f in got} == {"P008"}


def test_generous_and_vague_terms_never_fire(write) -> None:
    got = lint_params(
        write,
        "  no_reason_window: {amount: 30, unit: calendar_days, from: signed_at, source: x}\n"
        "  quality_exchange_window: {unspecified: true, text: 一定时间内, source: x}\n"
        "  freight_by_reason: {value: {no_reason: seller}, source: x}\n",
    )
    assert got == set()
    path = write(
        "vague.yaml", HEAD + "  warranty: {unspecified: true, text: 一定期限, source: y}\n"
    )
    (report,) = check(str(path))
    assert report.findings == []
    assert [(u.clause, u.text, u.source) for u in report.unspecified] == [
        ("warranty", "一定期限", "y")
    ]


def test_inherited_clauses_are_checked_too(write) -> None:
    path = write(
        "child.yaml",
        HEAD.replace("params:\n", "extends: seed-08-process-rules\nparams:\n")
        + "  response_limit: {amount: 12, unit: hours, from: applied_at, source: x}\n",
    )
    (report,) = check(str(path))
    assert {(f.rule, f.origin) for f in report.findings} == {
        ("P006", "seed-08-process-rules@2025-01-01"),
        ("P007", "seed-08-process-rules@2025-01-01"),
    }


def test_p008_names_the_void_clause_basis() -> None:
    (report,) = check("seed-02-aftersales-rules")
    void = next(f for f in report.findings if f.rule == "P008")
    assert void.policy_value_zh == "消费者需保持商品的原样,包括标签、包装等完好无损。"
    assert void.legal_en == (
        "void: opening to inspect or reasonable trial does not make goods unfit for return"
    )
    assert void.basis.startswith("网络购买商品七日无理由退货暂行办法第八条")
