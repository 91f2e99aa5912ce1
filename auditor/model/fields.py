"""The canonical model (SPEC section 4): field names, kinds, Chinese names and enums.

Every reader maps a platform export onto these names; every rule reads only these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    ID = "id"  # text identifier; never a float
    TEXT = "text"
    ENUM = "enum"
    AMOUNT = "amount"  # yuan, Float64 rounded to 2 decimals, >= 0
    DATETIME = "datetime"  # naive Beijing local time, polars Datetime("us")
    BOOL = "bool"
    INT = "int"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    zh: str
    required: bool = False
    enum: tuple[str, ...] = ()


# The years an export's moments may fall in. Outside them a cell is a typo (`26-3-3` read as
# year 26, `9999-12-31`), a time-only cell Excel dates 1899-12-30, or a database null such as
# 1970-01-01 08:00: the cleaning reports it (Q001) and does not use it, and an --as-of
# outside them is refused. It also keeps every deadline inside the years outputs can show.
FIRST_YEAR, LAST_YEAR = 2000, 2099
EARLIEST = datetime(FIRST_YEAR, 1, 1)
LATEST = datetime(LAST_YEAR + 1, 1, 1)  # exclusive: 2099-12-31 23:59:59.999999 is the last

CASE_TYPES = ("return_refund", "refund_only", "exchange", "repair", "complaint", "other")
REASON_CLASSES = (
    "no_reason",
    "quality",
    "not_as_described",
    "wrong_item",
    "damaged_in_transit",
    "not_received",
    "buyer_damage",
    "other",
)
FREIGHT_PAYERS = ("buyer", "seller", "platform", "insurance")
DECISIONS = ("approved", "rejected", "pending", "unknown")
STATUSES = ("open", "closed", "cancelled")

SELLER_FAULT_REASONS = ("quality", "not_as_described", "wrong_item", "damaged_in_transit")
PROOF_NEEDED_REASONS = ("quality", "not_as_described")

ENUM_ZH: dict[str, dict[str, str]] = {
    "case_type": {
        "return_refund": "退货退款",
        "refund_only": "仅退款",
        "exchange": "换货",
        "repair": "维修",
        "complaint": "投诉",
        "other": "其他",
    },
    "reason_class": {
        "no_reason": "七天无理由",
        "quality": "质量问题",
        "not_as_described": "描述不符",
        "wrong_item": "发错/漏发",
        "damaged_in_transit": "运输破损",
        "not_received": "未收到货",
        "buyer_damage": "人为损坏",
        "other": "其他",
    },
    "freight_payer": {"buyer": "买家", "seller": "卖家", "platform": "平台", "insurance": "运费险"},
    "decision": {"approved": "同意", "rejected": "拒绝", "pending": "待处理", "unknown": "未知"},
    "status": {"open": "处理中", "closed": "已完结", "cancelled": "已撤销"},
}

CASE_FIELDS: tuple[Field, ...] = (
    Field("case_id", Kind.ID, "售后单号", required=True),
    Field("order_id", Kind.ID, "订单编号", required=True),
    Field("line_id", Kind.ID, "子订单编号"),  # Douyin 商品单号, Taobao 子订单: joins an order line
    Field("shop", Kind.TEXT, "店铺"),
    Field("category", Kind.TEXT, "商品类目"),
    Field("product", Kind.TEXT, "商品名称"),
    Field("case_type", Kind.ENUM, "售后类型", enum=CASE_TYPES),
    Field("reason", Kind.TEXT, "售后原因"),
    Field("reason_class", Kind.ENUM, "原因分类", enum=REASON_CLASSES),
    Field("paid_amount", Kind.AMOUNT, "实付金额"),
    Field("refund_amount", Kind.AMOUNT, "退款金额"),
    Field("freight_payer", Kind.ENUM, "运费承担方", enum=FREIGHT_PAYERS),
    Field("evidence", Kind.BOOL, "凭证"),
    Field("exclusion_confirmed", Kind.BOOL, "已确认不适用七天无理由"),
    Field("signed_at", Kind.DATETIME, "签收时间"),
    Field("applied_at", Kind.DATETIME, "申请时间", required=True),
    Field("first_response_at", Kind.DATETIME, "首次响应时间"),
    Field("decided_at", Kind.DATETIME, "审核时间"),
    Field("decision", Kind.ENUM, "审核结果", enum=DECISIONS),
    Field("reject_reason", Kind.TEXT, "拒绝原因"),
    Field("return_shipped_at", Kind.DATETIME, "买家退货时间"),
    Field("return_received_at", Kind.DATETIME, "卖家收货时间"),
    Field("refunded_at", Kind.DATETIME, "退款时间"),
    Field("exchange_shipped_at", Kind.DATETIME, "换货发出时间"),
    Field("repair_completed_at", Kind.DATETIME, "维修完成时间"),
    Field("closed_at", Kind.DATETIME, "完结时间"),
    Field("status", Kind.ENUM, "售后状态", enum=STATUSES),
    Field("escalated", Kind.BOOL, "平台介入"),
    Field("satisfaction", Kind.INT, "满意度"),
    Field("agent", Kind.TEXT, "处理人"),
)

ORDER_FIELDS: tuple[Field, ...] = (
    Field("order_id", Kind.ID, "订单编号", required=True),
    Field("line_id", Kind.ID, "子订单编号"),
    Field("shop", Kind.TEXT, "店铺"),
    Field("category", Kind.TEXT, "商品类目"),
    Field("product", Kind.TEXT, "商品名称"),
    Field("paid_amount", Kind.AMOUNT, "实付金额"),
    Field("ordered_at", Kind.DATETIME, "下单时间"),
    Field("paid_at", Kind.DATETIME, "付款时间"),
    Field("shipped_at", Kind.DATETIME, "发货时间"),
    Field("signed_at", Kind.DATETIME, "签收时间"),
    Field("promised_ship_hours", Kind.INT, "承诺发货时长(小时)"),
)

CASE_FIELD = {f.name: f for f in CASE_FIELDS}
ORDER_FIELD = {f.name: f for f in ORDER_FIELDS}

# Bookkeeping columns every canonical frame carries, set at read time and never recomputed.
SOURCE_COLUMNS = ("_src_file", "_src_sheet", "_src_row", "_input")
