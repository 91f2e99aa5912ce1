"""Rule parameters: declared once here, set by policy files, read by rules and the policy lint.

A policy file sets parameters by these names (``params: {response_limit: {amount: 24,
unit: hours, source: "…"}}``). Law-layer parameters are the statutory values; a service
policy may restate them as the shop's own promise (more generous binds the shop; less
generous is what ``auditor policy check`` reports). Values are validated by
``auditor.policies`` against ``kind`` and ``units``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ParamKind(StrEnum):
    LIMIT = "limit"  # {amount, unit, from} or {unspecified: true, text}
    LIMIT_BY_CATEGORY = "limit_by_category"  # {category keyword: limit}
    KEYWORDS = "keywords"  # list of substrings matched against the category text
    REASONS = "reasons"  # list of reason classes
    FREIGHT_BY_REASON = "freight_by_reason"  # {reason class: buyer|seller|platform|insurance}
    AMOUNT = "amount"  # yuan
    TARGET = "target"  # {ok: share, error: share|null} for scorecards; `max` for K005
    COUNT = "count"
    CLAUSES = "clauses"  # quoted policy sentences (void-clause lint, P008)


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Param:
    name: str
    kind: ParamKind
    default: object  # the cn-law / platform-standard 2026 value; None = not set
    layer: str  # "law" or "service": whose value it is by default
    zh: str
    en: str
    units: tuple[Unit, ...] = ()
    starts: tuple[str, ...] = ()  # events a LIMIT may count from; first is the default


def _limit(amount: int, unit: Unit, start: str) -> dict:
    return {"amount": amount, "unit": unit.value, "from": start}


PARAMS: tuple[Param, ...] = (
    # -- law layer (cn-law); a service policy may promise more ---------------------------
    Param(
        "no_reason_window",
        ParamKind.LIMIT,
        _limit(7, Unit.CALENDAR_DAYS, "signed_at"),
        "law",
        "七天无理由退货期限",
        "no-reason return window",
        (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.HOURS),
        ("signed_at", "paid_at", "ordered_at"),
    ),
    Param(
        "statutory_exclusions",
        ParamKind.KEYWORDS,
        # Words of the platforms' own category names (cn-law version files); never a bare
        # 数字/虚拟, which match 数字油画 and VR虚拟现实眼镜, goods the law does not exclude.
        [
            *("定制", "订制", "定作", "定做", "订做"),
            *("鲜活", "生鲜", "新鲜", "水产", "熟食", "鲜花"),
            *(
                "数字化商品",
                "数字内容",
                "数字阅读",
                "虚拟商品",
                "虚拟物品",
                "点卡",
                "游戏币",
                "网游装备",
            ),
            *("报纸", "期刊", "杂志"),
        ],
        "law",
        "法定不适用七天无理由的类目",
        "statutory exclusions from no-reason returns",
    ),
    Param(
        "confirm_required",
        ParamKind.KEYWORDS,
        [
            *("内衣", "贴身", "化妆品", "美妆", "彩妆", "护肤", "个护化妆", "香水"),
            *("隐形眼镜", "计生", "情趣用品", "激活", "临期", "瑕疵"),
        ],
        "law",
        "经消费者确认方可不适用的类目",
        "categories excluded only with the consumer's confirmation",
    ),
    Param(
        "no_reason_exclusions",
        ParamKind.KEYWORDS,
        None,
        "service",
        "店铺声明不适用七天无理由的类目",
        "categories the policy excludes from no-reason returns",
    ),
    Param(
        "quality_return_window",
        ParamKind.LIMIT,
        _limit(7, Unit.CALENDAR_DAYS, "signed_at"),
        "law",
        "质量问题退货期限",
        "quality return window",
        (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS),
        ("signed_at", "paid_at", "ordered_at"),
    ),
    Param(
        "quality_exchange_window",
        ParamKind.LIMIT,
        _limit(15, Unit.CALENDAR_DAYS, "signed_at"),
        "law",
        "质量问题换货期限",
        "quality exchange window",
        (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS),
        ("signed_at", "paid_at", "ordered_at"),
    ),
    Param(
        "warranty",
        ParamKind.LIMIT,
        _limit(12, Unit.MONTHS, "signed_at"),
        "law",
        "保修期",
        "warranty",
        (Unit.MONTHS, Unit.CALENDAR_DAYS),
        ("signed_at", "paid_at", "ordered_at"),
    ),
    Param(
        "warranty_by_category",
        ParamKind.LIMIT_BY_CATEGORY,
        {},
        "law",
        "分类目保修期",
        "warranty per category",
        (Unit.MONTHS,),
        ("signed_at", "paid_at", "ordered_at"),
    ),
    Param(
        "freight_by_reason",
        ParamKind.FREIGHT_BY_REASON,
        {
            "quality": "seller",
            "not_as_described": "seller",
            "wrong_item": "seller",
            "damaged_in_transit": "seller",
        },
        "law",
        "退换货运费承担",
        "who pays return freight, by reason",
    ),
    Param(
        "refund_after_return_law",
        ParamKind.LIMIT,
        _limit(7, Unit.CALENDAR_DAYS, "return_received_at"),
        "law",
        "无理由退货收货后退款期限",
        "refund after the no-reason return arrives",
        (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.HOURS),
        ("return_received_at",),
    ),
    Param(
        "refund_after_return_penalty",
        ParamKind.LIMIT,
        _limit(15, Unit.CALENDAR_DAYS, "return_received_at"),
        "law",
        "无理由退货超期退款处罚线",
        "penalty line for a late no-reason refund",
        (Unit.CALENDAR_DAYS,),
        ("return_received_at",),
    ),
    Param(
        "decision_limit_penalty",
        ParamKind.LIMIT,
        _limit(15, Unit.CALENDAR_DAYS, "applied_at"),
        "law",
        "无理由退货处理期限处罚线",
        "penalty line for an undecided no-reason return",
        (Unit.CALENDAR_DAYS,),
        ("applied_at",),
    ),
    Param(
        "repair_limit",
        ParamKind.LIMIT,
        _limit(30, Unit.CALENDAR_DAYS, "return_received_at"),
        "law",
        "维修期限",
        "repair limit",
        (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS),
        ("return_received_at",),
    ),
    Param(
        "amount_tolerance", ParamKind.AMOUNT, 0.01, "law", "金额容差(元)", "amount tolerance (yuan)"
    ),
    # -- service layer (platform-standard and the families that replace it) ---------------
    Param(
        "response_limit",
        ParamKind.LIMIT,
        _limit(24, Unit.HOURS, "applied_at"),
        "service",
        "首次响应时限",
        "first response limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("applied_at",),
    ),
    Param(
        "decision_limit",
        ParamKind.LIMIT,
        _limit(1, Unit.WORKING_DAYS, "applied_at"),
        "service",
        "审核时限",
        "decision limit",
        (Unit.WORKING_DAYS, Unit.HOURS, Unit.CALENDAR_DAYS),
        ("applied_at",),
    ),
    Param(
        "refund_after_return",
        ParamKind.LIMIT,
        _limit(3, Unit.WORKING_DAYS, "return_received_at"),
        "service",
        "收到退货后退款时限",
        "refund after the return arrives",
        (Unit.WORKING_DAYS, Unit.HOURS, Unit.CALENDAR_DAYS),
        ("return_received_at",),
    ),
    Param(
        "refund_only_limit",
        ParamKind.LIMIT,
        _limit(24, Unit.HOURS, "decided_at"),
        "service",
        "仅退款退款时限",
        "refund-only limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("decided_at", "applied_at"),
    ),
    Param(
        "exchange_ship_limit",
        ParamKind.LIMIT,
        _limit(24, Unit.HOURS, "return_received_at"),
        "service",
        "换货发出时限",
        "exchange shipment limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("return_received_at",),
    ),
    Param(
        "return_handling_limit",
        ParamKind.LIMIT,
        _limit(72, Unit.HOURS, "return_received_at"),
        "service",
        "退换货处理时限",
        "return/exchange handling limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("return_received_at",),
    ),
    Param(
        "complaint_limit",
        ParamKind.LIMIT,
        _limit(24, Unit.HOURS, "applied_at"),
        "service",
        "投诉处理时限",
        "complaint handling limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("applied_at",),
    ),
    Param(
        "ship_limit",
        ParamKind.LIMIT,
        _limit(48, Unit.HOURS, "paid_at"),
        "service",
        "发货时限",
        "shipping limit",
        (Unit.HOURS, Unit.WORKING_DAYS, Unit.CALENDAR_DAYS),
        ("paid_at",),
    ),
    Param(
        "evidence_required_reasons",
        ParamKind.REASONS,
        ["quality", "not_as_described"],
        "service",
        "需凭证的原因",
        "reasons that need proof",
    ),
    Param("void_clauses", ParamKind.CLAUSES, [], "service", "格式条款", "standard-form clauses"),
    Param(
        "kpi_min_cases",
        ParamKind.COUNT,
        20,
        "service",
        "考核最少样本数",
        "minimum cases for a scorecard",
    ),
    Param(
        "kpi_satisfaction",
        ParamKind.TARGET,
        {"ok": 0.95, "error": 0.90},
        "service",
        "满意度目标",
        "satisfaction target",
    ),
    Param(
        "kpi_response",
        ParamKind.TARGET,
        {"ok": 0.95, "error": None},
        "service",
        "响应及时率目标",
        "response-in-time target",
    ),
    Param(
        "kpi_first_contact",
        ParamKind.TARGET,
        {"ok": 0.90, "error": 0.80},
        "service",
        "一次解决率目标",
        "first-contact resolution target",
    ),
    Param(
        "kpi_return_handling",
        ParamKind.TARGET,
        {"ok": 0.95, "error": None},
        "service",
        "退换货处理及时率目标",
        "return/exchange handling target",
    ),
    Param(
        "kpi_no_reason_rate",
        ParamKind.TARGET,
        {"max": 0.05},
        "service",
        "无理由退货率上限",
        "no-reason return rate ceiling",
    ),
    Param(
        "kpi_complaint_satisfaction",
        ParamKind.TARGET,
        {"ok": 0.95, "error": 0.90},
        "service",
        "投诉满意度目标",
        "complaint satisfaction target",
    ),
)

PARAM = {p.name: p for p in PARAMS}
