"""Rule decisions on their boundaries, through the real command line: generic-layout CSVs
written in the test, `auditor audit … --outputs json`, findings.json read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from auditor.cli.main import main

HEADERS = [
    "售后单号",
    "订单编号",
    "店铺",
    "商品类目",
    "商品名称",
    "售后类型",
    "售后原因",
    "实付金额",
    "退款金额",
    "凭证",
    "签收时间",
    "申请时间",
    "首次响应时间",
    "审核时间",
    "审核结果",
    "拒绝原因",
    "卖家收货时间",
    "退款时间",
    "售后状态",
    "处理人",
]
ORDER_HEADERS = ["订单编号", "店铺", "商品类目", "实付金额", "付款时间", "发货时间", "签收时间"]
BASE = {
    "店铺": "旗舰店",
    "商品类目": "服装",
    "商品名称": "T恤",
    "售后类型": "退货退款",
    "售后原因": "不想要了",
    "实付金额": "100",
    "凭证": "否",
    "签收时间": "2026-03-03 10:00:00",
    "售后状态": "已完结",
    "处理人": "小王",
}


def _write(path: Path, headers: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def case(case_id: str, **values: str) -> dict:
    return {**BASE, "售后单号": case_id, "订单编号": "O" + case_id, **values}


@pytest.fixture
def audit(tmp_path, capsys):
    """audit(cases, *args, orders=…, headers=…) → findings.json as a dict."""

    def run(rows, *args, orders=None, headers=HEADERS, lang="zh") -> dict:
        out = tmp_path / "out"
        command = ["audit", str(_write(tmp_path / "cases.csv", headers, rows))]
        command += ["--profile", "generic", "--outputs", "json", "--out", str(out)]
        command += ["--no-waivers", "--lang", lang, *args]
        if orders is not None:
            command += ["--orders", str(_write(tmp_path / "orders.csv", ORDER_HEADERS, orders))]
        with pytest.raises(SystemExit) as exited:
            main(command)
        captured = capsys.readouterr()
        assert exited.value.code in (0, 1), captured.err
        assert "Traceback" not in captured.err + captured.out
        return json.loads((out / "findings.json").read_text(encoding="utf-8"))

    return run


def fired(data: dict, rule: str) -> set[str]:
    return {f["case_id"] or f["order_id"] for f in data["findings"] if f["rule"] == rule}


def finding(data: dict, rule: str, key: str) -> dict:
    (found,) = [
        f for f in data["findings"] if f["rule"] == rule and key in (f["case_id"], f["order_id"])
    ]
    return found


# -- a shop's longer promise counted from payment ---------------------------------------------
PAID_POLICY = """\
id: paid-shop
version: "2026-01-01"
title: {zh: 自购买起算的店铺承诺, en: Promises counted from purchase}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
  no_reason_window: {amount: 30, unit: calendar_days, from: paid_at, source: 购买后30天无理由退货}
  warranty: {amount: 24, unit: months, from: paid_at, source: 购买后两年保修}
"""


def _paid_cases() -> list[dict]:
    no_reason = {"申请时间": "2026-03-20 10:00:00", "审核时间": "2026-03-20 11:00:00"}
    return [
        # signed 03-03, paid 03-01: the law's 7 days end 03-10, the promise's 30 days 03-31.
        case("P30-REJ", 审核结果="拒绝", 拒绝原因="超过七天", **no_reason),
        case("P30-APPR", 审核结果="同意", **no_reason),
        # the promise cannot reach 04-05 (30 days even from signing end 04-02): judged anyway.
        case(
            "P30-LATE",
            审核结果="同意",
            申请时间="2026-04-05 10:00:00",
            审核时间="2026-04-05 11:00:00",
        ),
        # inside the law's 7 days: the promise cannot change the answer.
        case(
            "P30-IN",
            审核结果="拒绝",
            拒绝原因="不支持",
            申请时间="2026-03-05 10:00:00",
            审核时间="2026-03-05 11:00:00",
        ),
        # a quality repair 15 months after payment, inside the promised 24 months.
        case(
            "P24-REPAIR",
            售后类型="维修",
            售后原因="质量问题",
            审核结果="拒绝",
            拒绝原因="过保",
            申请时间="2027-06-01 10:00:00",
            审核时间="2027-06-01 11:00:00",
        ),
    ]


def _paid_orders(paid: str = "2026-03-01 09:00:00") -> list[dict]:
    return [
        {
            "订单编号": "O" + c["售后单号"],
            "店铺": "旗舰店",
            "付款时间": paid,
            "签收时间": "2026-03-03 10:00:00",
        }
        for c in _paid_cases()
    ]


def test_a_longer_promise_counted_from_payment_binds_the_shop(audit, tmp_path) -> None:
    policy = tmp_path / "paid.yaml"
    policy.write_text(PAID_POLICY, encoding="utf-8")
    data = audit(
        _paid_cases(), "--as-of", "2027-06-30", "--policy", str(policy), orders=_paid_orders()
    )
    assert fired(data, "W001") == {"P30-REJ", "P30-IN"}
    assert finding(data, "W001", "P30-REJ")["due"] == "2026-03-31T23:59:59"
    assert fired(data, "W002") == {"P30-LATE"}  # not P30-APPR: inside the shop's 30 days
    assert fired(data, "W004") == {"P24-REPAIR"}
    assert finding(data, "W004", "P24-REPAIR")["due"] == "2028-03-01T23:59:59"
    assert data["coverage"]["W002"]["not_judged"] == {}


def test_a_promise_from_payment_without_the_payment_time_is_not_judged(audit, tmp_path) -> None:
    policy = tmp_path / "paid.yaml"
    policy.write_text(PAID_POLICY, encoding="utf-8")
    args = ("--as-of", "2027-06-30", "--policy", str(policy))
    data = audit(_paid_cases(), *args)  # no orders export: no payment time anywhere
    assert fired(data, "W001") == {"P30-IN"}  # inside the law's window: judged
    assert fired(data, "W002") == {"P30-LATE"}  # beyond any reach of the promise: judged
    assert data["coverage"]["W001"]["not_judged"] == {"field absent: paid_at": 1}
    assert data["coverage"]["W002"]["not_judged"] == {"field absent: paid_at": 1}
    assert data["coverage"]["W004"]["not_judged"] == {"field absent: paid_at": 1}
    blank = audit(_paid_cases(), *args, orders=_paid_orders(paid=""))
    assert blank["coverage"]["W002"]["not_judged"] == {"field blank: paid_at": 1}
    assert fired(blank, "W001") == {"P30-IN"}


def test_an_order_from_an_export_without_payment_times_has_them_absent(tmp_path, capsys):
    """Orders split over two exports, one without 付款时间: that export's orders have no
    payment time to fill in, so the reason says the column is absent, not a cell blank."""
    policy = tmp_path / "paid.yaml"
    policy.write_text(PAID_POLICY, encoding="utf-8")
    orders = _paid_orders()
    with_paid = [o for o in orders if o["订单编号"] != "OP30-APPR"]
    # Taobao's classic order report, exported without its 订单付款时间 column.
    classic = ["订单编号", "店铺名称", "买家实际支付金额", "订单创建时间"]
    without_paid = [
        {"订单编号": "OP30-APPR", "店铺名称": "旗舰店", "买家实际支付金额": "100",
         "订单创建时间": "2026-02-28 09:00:00"}
    ]  # fmt: skip
    out = tmp_path / "out"
    command = ["audit", str(_write(tmp_path / "cases.csv", HEADERS, _paid_cases()))]
    command += ["--orders", str(_write(tmp_path / "o1.csv", ORDER_HEADERS, with_paid))]
    command += ["--orders", str(_write(tmp_path / "o2.csv", classic, without_paid))]
    command += ["--profile", "generic", "--outputs", "json", "--out", str(out), "--no-waivers"]
    command += ["--as-of", "2027-06-30", "--policy", str(policy)]
    with pytest.raises(SystemExit) as exited:
        main(command)
    assert exited.value.code in (0, 1), capsys.readouterr().err
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["coverage"]["W002"]["not_judged"] == {"field absent: paid_at": 1}
    assert fired(data, "W002") == {"P30-LATE"}


def test_a_shorter_promise_from_payment_never_relaxes_nor_blocks_the_law(audit) -> None:
    # seed-01 promises 7 days from purchase: it never gives more than the law's 7 days from
    # signing, so without a payment time every case is still judged by the law.
    rows = [
        case(
            "S1-IN",
            审核结果="拒绝",
            拒绝原因="不支持",
            申请时间="2026-03-09 10:00:00",
            审核时间="2026-03-09 11:00:00",
        ),
        case(
            "S1-OUT",
            审核结果="同意",
            申请时间="2026-03-11 10:00:00",
            审核时间="2026-03-11 11:00:00",
        ),
    ]
    data = audit(rows, "--as-of", "2026-03-31", "--policy", "seed-01-platform-policy")
    assert fired(data, "W001") == {"S1-IN"} and fired(data, "W002") == {"S1-OUT"}
    assert data["coverage"]["W001"]["not_judged"] == {}
    assert data["coverage"]["W002"]["not_judged"] == {}


# -- a blank category ---------------------------------------------------------------------------
def test_a_blank_category_leaves_eligibility_unknown(audit) -> None:
    rows = [
        case(
            "BC-REJ",
            商品类目="",
            审核结果="拒绝",
            拒绝原因="生鲜不支持七天无理由",
            申请时间="2026-03-04 10:00:00",
            审核时间="2026-03-04 11:00:00",
        ),
        case(
            "BC-LATE",
            商品类目="",
            审核结果="同意",
            申请时间="2026-03-04 10:00:00",
            审核时间="2026-03-04 11:00:00",
            卖家收货时间="2026-03-05 10:00:00",
            退款时间="2026-03-25 10:00:00",
        ),
    ]
    data = audit(rows, "--as-of", "2026-03-31")
    for rule in ("W001", "D003", "D011"):
        assert fired(data, rule) == set(), rule
        assert data["coverage"][rule]["not_judged"] == {"field blank: category": 1}, rule
    assert fired(data, "D004") == {"BC-LATE"}  # a rule that does not hang on the category


# -- the date that chooses the policy version -----------------------------------------------
def test_an_order_without_its_payment_time_says_so(audit) -> None:
    rows = [
        case(
            "PT-1", 审核结果="同意", 申请时间="2026-03-04 10:00:00", 审核时间="2026-03-04 11:00:00"
        )
    ]
    orders = [
        {"订单编号": "OPT-1", "店铺": "旗舰店", "付款时间": "", "发货时间": "2026-03-02 10:00:00"},
        {
            "订单编号": "OPT-2",
            "店铺": "旗舰店",
            "付款时间": "2026-03-01 10:00:00",
            "发货时间": "2026-03-04 10:00:00",
        },
    ]
    data = audit(rows, "--as-of", "2026-03-31", orders=orders)
    assert data["coverage"]["D010"]["not_judged"] == {"field blank: paid_at": 1}
    assert fired(data, "D010") == {"OPT-2"}


# -- how late -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("refunded", "zh", "en"),
    [
        ("2026-03-13 00:00:00", "超时 1 秒", "1 s late"),
        ("2026-03-13 00:25:30", "超时 25 分钟", "25 min late"),
        ("2026-03-13 01:59:59", "超时 2.0 小时", "2.0 h late"),
    ],
)
def test_a_finding_never_says_it_is_zero_hours_late(audit, refunded, zh, en) -> None:
    row = case(
        "OV-1",
        审核结果="同意",
        签收时间="2026-03-01 10:00:00",
        申请时间="2026-03-02 10:00:00",
        审核时间="2026-03-02 11:00:00",
        卖家收货时间="2026-03-05 10:00:00",
        退款时间=refunded,
    )
    found = finding(audit([row], "--as-of", "2026-03-31"), "D003", "OV-1")
    assert found["message"].endswith(zh) and found["overdue_hours"] > 0
    assert finding(audit([row], "--as-of", "2026-03-31", lang="en"), "D003", "OV-1")[
        "message"
    ].endswith(en)


def test_an_open_case_a_few_minutes_overdue_says_minutes(audit) -> None:
    row = case(
        "OV-2",
        审核结果="同意",
        签收时间="2026-03-01 10:00:00",
        申请时间="2026-03-02 10:00:00",
        审核时间="2026-03-02 11:00:00",
        卖家收货时间="2026-03-05 10:00:00",
        售后状态="处理中",
    )
    found = finding(audit([row], "--as-of", "2026-03-13 00:09:59"), "D003", "OV-2")
    assert found["message"].endswith("已超时 10 分钟") and found["overdue_hours"] == 0.17


# -- the start event a deadline counts from -------------------------------------------------
def test_the_refund_only_message_names_the_start_the_policy_counts_from(audit) -> None:
    # seed-09 counts the refund-only 24 h from the application, not the approval.
    row = case(
        "S9-LATE",
        售后类型="仅退款",
        售后原因="未收到货",
        签收时间="",
        审核结果="同意",
        申请时间="2026-03-01 10:00:00",
        首次响应时间="2026-03-01 10:05:00",
        审核时间="2026-03-01 20:00:00",
        退款时间="2026-03-02 10:00:01",
    )
    args = ("--as-of", "2026-03-31", "--policy", "seed-09-management-rules")
    zh = finding(audit([row], *args), "D005", "S9-LATE")["message"]
    assert zh.startswith("仅退款申请后24小时内应退款（截至 2026-03-02 10:00:00）")
    en = finding(audit([row], *args, lang="en"), "D005", "S9-LATE")["message"]
    assert "within 24 hours of the application (by 2026-03-02 10:00:00)" in en
    row["退款时间"] = "2026-03-02 20:00:01"
    default = finding(audit([row], "--as-of", "2026-03-31"), "D005", "S9-LATE")["message"]
    assert default.startswith("仅退款同意后24小时内应退款（截至 2026-03-02 20:00:00）")


def test_every_deadline_whose_start_a_policy_may_choose_names_it() -> None:
    from auditor.rules.params import PARAM
    from auditor.rules.registry import RULES

    for rule in RULES.values():
        if any(len(PARAM[p].starts) > 1 for p in rule.params) and rule.id.startswith("D"):
            assert "{since}" in rule.message_zh and "{since}" in rule.message_en, rule.id


# -- working days near the calendar's end (chinese_calendar knows 2004–2026) -----------------
def _year_end_rows() -> list[dict]:
    received = {
        "审核结果": "同意",
        "签收时间": "2026-12-20 10:00:00",
        "申请时间": "2026-12-21 10:00:00",
    }
    received |= {"审核时间": "2026-12-21 11:00:00", "首次响应时间": "2026-12-21 10:30:00"}
    received |= {"商品类目": "生鲜"}  # not a statutory return: D004 alone judges the refund
    return [
        case(
            "YE-FAST",
            卖家收货时间="2026-12-29 10:00:00",
            退款时间="2026-12-29 11:00:00",
            **received,
        ),
        case(
            "YE-LAST",
            卖家收货时间="2026-12-29 10:00:00",
            退款时间="2026-12-31 23:59:59",
            **received,
        ),
        case(
            "YE-NEXT",
            卖家收货时间="2026-12-29 10:00:00",
            退款时间="2027-01-01 00:00:00",
            **received,
        ),
        case("YE-OPEN", 卖家收货时间="2026-12-29 10:00:00", 售后状态="处理中", **received),
    ]


def test_a_working_day_due_after_the_calendar_still_judges_what_was_done_in_time(audit) -> None:
    data = audit(_year_end_rows(), "--as-of", "2027-01-20")
    assert fired(data, "D004") == set()
    not_judged = {"date outside calendar: return_received_at": 2}  # YE-NEXT, YE-OPEN
    assert data["coverage"]["D004"]["not_judged"] == not_judged
    assert data["coverage"]["D004"]["judged"] == 2  # YE-FAST, YE-LAST
    q006 = {i["case_id"]: i for i in data["data_issues"] if i["check"] == "Q006"}
    assert set(q006) == {"YE-NEXT", "YE-OPEN"}
    issue = q006["YE-NEXT"]
    assert issue["cell"] == f"{chr(ord('A') + HEADERS.index('卖家收货时间'))}4"
    assert issue["value"] == "2026-12-29 10:00:00"
    assert issue["message"] == (
        "从「卖家收货时间」2026-12-29 10:00:00 起算的期限落在工作日日历已知的最后一年（2026）之后，"
        "该售后的 D004 不判定"
    )
    en = audit(_year_end_rows(), "--as-of", "2027-01-20", lang="en")
    message = next(i["message"] for i in en["data_issues"] if i["case_id"] == "YE-NEXT")
    assert message == (
        "the deadline counted from return_received_at 2026-12-29 10:00:00 falls after the last "
        "year the working-day calendar knows (2026), so D004 is not judged for this case"
    )


def test_an_open_case_before_the_calendar_ends_is_not_yet_due(audit) -> None:
    data = audit(_year_end_rows(), "--as-of", "2026-12-31 23:59:59")
    assert data["coverage"]["D004"]["not_judged"] == {
        "open, not yet due": 1,  # YE-OPEN
        "date outside calendar: return_received_at": 1,  # YE-NEXT, refunded in 2027
    }
    q006 = {i["case_id"] for i in data["data_issues"] if i["check"] == "Q006"}
    assert q006 == {"YE-NEXT"}


SHIP_POLICY = """\
id: ship-days
version: "2026-01-01"
title: {zh: 工作日发货, en: Shipping in working days}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
  ship_limit: {amount: 2, unit: working_days, from: paid_at, source: 付款后2个工作日内发货}
"""


def test_shipping_in_working_days_near_the_calendar_end(audit, tmp_path) -> None:
    policy = tmp_path / "ship.yaml"
    policy.write_text(SHIP_POLICY, encoding="utf-8")
    paid = {"店铺": "旗舰店", "付款时间": "2026-12-30 10:00:00"}
    orders = [
        {"订单编号": "O-IN", **paid, "发货时间": "2026-12-31 23:59:59"},
        {"订单编号": "O-NEXT", **paid, "发货时间": "2027-01-01 00:00:00"},
    ]
    rows = [
        case(
            "SH-1", 审核结果="同意", 申请时间="2026-12-31 10:00:00", 审核时间="2026-12-31 11:00:00"
        )
    ]
    data = audit(rows, "--as-of", "2027-01-20", "--policy", str(policy), orders=orders)
    assert data["coverage"]["D010"]["judged"] == 1 and fired(data, "D010") == set()
    assert data["coverage"]["D010"]["not_judged"] == {"date outside calendar: paid_at": 1}
    (issue,) = [
        i for i in data["data_issues"] if i["check"] == "Q006" and i["order_id"] == "O-NEXT"
    ]
    assert issue["case_id"] is None and issue["cell"] == "E3"
    assert issue["message"].startswith("从「付款时间」2026-12-30 10:00:00 起算的期限")
    assert issue["message"].endswith("该订单的 D010 不判定")
