"""Scorecards K001–K006 (SPEC 6.4): declared here, computed by ``auditor.engine.scorecards``.

They are service-layer rules: the service policy sets their targets and may switch them off.
A group whose denominator has fewer than ``kpi_min_cases`` (20) cases gets status ``n/a``.
"""

from __future__ import annotations

from auditor.rules.base import Example, Rule

_BASIS = "seed-04 电商售后奖罚规则制度；平台标准考核指标"
_BASIS_EN = "seed-04 after-sales reward and penalty rules; the platform standard's KPI targets"


def _scorecard(
    rule_id: str,
    name: str,
    zh: str,
    en: str,
    param: str,
    doc: str,
    doc_zh: str,
    fires: tuple[str, str],
    passes: tuple[str, str],
) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        layer="service",
        severity="warning",
        title_zh=zh,
        title_en=en,
        basis=_BASIS,
        basis_en=_BASIS_EN,
        params=(param, "kpi_min_cases"),
        message_zh=zh + "：{value}（目标 {target}，样本 {n}）",
        message_en=en + ": {value} (target {target}, n = {n})",
        doc=doc,
        doc_zh=doc_zh,
        example_fires=Example(*fires),
        example_passes=Example(*passes),
        scope="scorecard",
    )


K001 = _scorecard(
    "K001",
    "kpis.satisfaction",
    "满意度",
    "Satisfaction",
    "kpi_satisfaction",
    "Per shop × month and per agent × month: the share of rated non-complaint cases with "
    "satisfaction ≥ 4. ok ≥ 95%, warning below, error below 90%.",
    "按店铺×月、客服×月：有评分的非投诉售后中满意度≥4的占比。≥95%达标，低于为警告，低于90%为错误。",
    ("100 单评分中 89 单≥4（89%）→ 错误", "89 of 100 rated cases ≥ 4 (89%) → error"),
    ("100 单评分中 96 单≥4 → 达标", "96 of 100 rated cases ≥ 4 → ok"),
)
K002 = _scorecard(
    "K002",
    "kpis.response_in_time",
    "响应及时率",
    "Response in time",
    "kpi_response",
    "Per shop × month and per agent × month: the share of cases judged by D001 that D001 did "
    "not flag. ok ≥ 95%, warning below.",
    "按店铺×月、客服×月：D001 判定的售后中未触发 D001 的占比。≥95%达标，低于为警告。",
    ("D001 判定 40 单，触发 3 单（92.5%）→ 警告", "40 judged by D001, 3 flagged (92.5%) → warning"),
    ("D001 判定 40 单，触发 1 单（97.5%）→ 达标", "40 judged by D001, 1 flagged (97.5%) → ok"),
)
K003 = _scorecard(
    "K003",
    "kpis.first_contact_resolution",
    "一次解决率",
    "First-contact resolution",
    "kpi_first_contact",
    "Per shop × month and per agent × month: the share of closed cases not escalated. ok ≥ 90%, "
    "warning below, error below 80%.",
    "按店铺×月、客服×月：已完结售后中未平台介入的占比。≥90%达标，低于为警告，低于80%为错误。",
    ("已完结 50 单，介入 12 单（76%）→ 错误", "50 closed, 12 escalated (76%) → error"),
    ("已完结 50 单，介入 2 单（96%）→ 达标", "50 closed, 2 escalated (96%) → ok"),
)
K004 = _scorecard(
    "K004",
    "kpis.return_handling_in_time",
    "退换货处理及时率",
    "Return/exchange handled in time",
    "kpi_return_handling",
    "Per shop × month and per agent × month: the share of cases judged by D008 that D008 did "
    "not flag. ok ≥ 95%, warning below.",
    "按店铺×月、客服×月：D008 判定的售后中未触发 D008 的占比。≥95%达标，低于为警告。",
    ("D008 判定 30 单，触发 3 单（90%）→ 警告", "30 judged by D008, 3 flagged (90%) → warning"),
    ("D008 判定 30 单，无触发 → 达标", "30 judged by D008, none flagged → ok"),
)
K005 = _scorecard(
    "K005",
    "kpis.no_reason_return_rate",
    "无理由退货率",
    "No-reason return rate",
    "kpi_no_reason_rate",
    "Per shop × month: no_reason return_refund cases (month of applied_at) ÷ the shop's orders "
    "paid that month (month of paid_at). ok < 5%, warning at or above. Needs an orders export.",
    "按店铺×月：七天无理由退货退款售后数（按申请月）÷ 当月付款订单数（按付款月）。<5%达标，≥5%为警告。需订单导出。",
    (
        "1000 单订单，60 单无理由退货（6%）→ 警告",
        "1000 orders, 60 no-reason returns (6%) → warning",
    ),
    ("1000 单订单，30 单无理由退货（3%）→ 达标", "1000 orders, 30 no-reason returns (3%) → ok"),
)
K006 = _scorecard(
    "K006",
    "kpis.complaint_satisfaction",
    "投诉满意度",
    "Complaint satisfaction",
    "kpi_complaint_satisfaction",
    "As K001, over complaint cases.",
    "同 K001，统计投诉售后。",
    ("投诉评分 25 单中 22 单≥4（88%）→ 错误", "22 of 25 rated complaints ≥ 4 (88%) → error"),
    ("投诉评分 25 单中 24 单≥4（96%）→ 达标", "24 of 25 rated complaints ≥ 4 (96%) → ok"),
)
