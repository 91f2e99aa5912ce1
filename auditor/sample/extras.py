"""Columns a real export carries that the canonical model does not use.

A platform export has dozens of columns the auditor ignores (payment numbers, logistics,
remarks) and some that hold buyer personal data (receiver, phone, address; masked by the
platforms, and masked here too). Writing a few of each keeps the samples honest: the reader
must match by header name among unknown columns, and must drop the personal ones at read
time (SPEC 7). Header names follow ../shared/research/platform-exports.md.

Each extra is (header, filler); fillers are column expressions over the canonical frame.
"""

from __future__ import annotations

import polars as pl

_ROW = pl.int_range(pl.len(), dtype=pl.Int64)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def _digits(lead: str, width: int, salt: int) -> pl.Expr:
    """`lead` + `width` (at most 18) digits, distinct per row."""
    number = (_ROW * 7_919 + salt) % (10**width)
    return pl.lit(lead) + number.cast(pl.String).str.zfill(width)


def _masked_name() -> pl.Expr:
    letter = (_ROW * 7) % len(_SURNAMES)
    return pl.lit(_SURNAMES).str.slice(letter, 1) + pl.lit("**")


def _masked_phone() -> pl.Expr:
    """138****5678, as exports mask phone numbers."""
    prefix = pl.lit("1") + ((_ROW % 7) + 3).cast(pl.String) + ((_ROW * 3) % 10).cast(pl.String)
    return prefix + pl.lit("****") + ((_ROW * 37) % 10_000).cast(pl.String).str.zfill(4)


def _address() -> pl.Expr:
    cities = ["浙江省杭州市西湖区****", "广东省深圳市南山区****", "江苏省南京市鼓楼区****"]
    return pl.lit(pl.Series(cities)).gather(_ROW % len(cities))


def _goods_state() -> pl.Expr:
    return (
        pl.when(pl.col("return_shipped_at").is_not_null())
        .then(pl.lit("买家已退货"))
        .when(pl.col("signed_at").is_not_null())
        .then(pl.lit("买家已收到货"))
        .otherwise(pl.lit("买家未收到货"))
    )


def _stage() -> pl.Expr:
    return pl.when(pl.col("signed_at").is_null()).then(pl.lit("售中")).otherwise(pl.lit("售后"))


def _shipping_state() -> pl.Expr:
    return (
        pl.when(pl.col("shipped_at").is_null()).then(pl.lit("未发货")).otherwise(pl.lit("已发货"))
    )


def _refund_note() -> pl.Expr:
    return pl.when(pl.col("reason").str.contains("质量|破损|瑕疵")).then(pl.lit("见图片"))


def _duration_days() -> pl.Expr:
    """完结时间 as the Taobao export prints it: the days from application to close, `3.5天`.
    A case closed before its application (a planted bad row) has no such length: blank."""
    days = (pl.col("closed_at") - pl.col("applied_at")).dt.total_seconds() / 86_400
    return pl.when(days >= 0).then(days.round(1).cast(pl.String) + pl.lit("天"))


_TAOBAO_REFUND = [
    ("支付宝交易号", lambda: _digits("20260301220014", 14, 11)),
    ("商品编码", lambda: _digits("SKU", 6, 5)),
    ("货物状态", _goods_state),
    ("售中或售后", _stage),
    ("买家退款说明", _refund_note),
    (
        "退货物流单号",
        lambda: pl.when(pl.col("return_shipped_at").is_not_null()).then(_digits("SF", 12, 3)),
    ),
    ("手工退款/系统退款", lambda: pl.lit("系统退款")),
    ("完结时间", _duration_days),
    ("商家备注", lambda: pl.lit(None, dtype=pl.String)),
]

EXTRAS: dict[str, list] = {
    "taobao-refund-a": _TAOBAO_REFUND,
    "taobao-refund-b": _TAOBAO_REFUND,
    "taobao-refund-c": [
        ("支付单号", lambda: _digits("20260301220014", 14, 11)),
        *_TAOBAO_REFUND[1:],
    ],
    "douyin-aftersales": [
        ("商品ID", lambda: _digits("3", 18, 17)),
        ("商品发货状态", lambda: pl.lit("已发货")),
        (
            "退货物流单号",
            lambda: pl.when(pl.col("return_shipped_at").is_not_null()).then(_digits("YT", 13, 9)),
        ),
        ("用户售后说明", _refund_note),
        ("售后备注", lambda: pl.lit("-")),
    ],
    "pdd-aftersales": [
        ("商品ID", lambda: _digits("", 11, 23)),
        ("商家编码", lambda: _digits("SKU", 6, 5)),
        (
            "退货运单号",
            lambda: pl.when(pl.col("return_shipped_at").is_not_null()).then(_digits("ZTO", 12, 7)),
        ),
    ],
    "jd-aftersales": [
        ("商品编号", lambda: _digits("10", 10, 29)),
        ("取件方式", lambda: pl.lit("上门取件")),
        ("客户姓名", _masked_name),
        ("联系电话", _masked_phone),
    ],
    "taobao-orders-classic": [
        ("买家会员名", _masked_name),
        ("收货人姓名", _masked_name),
        ("收货地址 ", _address),  # the trailing space is the export's own
        ("联系手机", _masked_phone),
        ("订单状态", lambda: pl.lit("交易成功")),
    ],
    "taobao-orders-qianniu": [
        ("支付单号", lambda: _digits("20260301220014", 14, 11)),
        ("订单状态", lambda: pl.lit("交易成功")),
        ("收货地址", _address),
        ("物流单号", lambda: _digits("SF", 12, 13)),
    ],
    "douyin-orders": [
        ("收件人", _masked_name),
        ("收件人手机号", _masked_phone),
        ("详细地址", _address),
        ("订单状态", lambda: pl.lit("已完成")),
    ],
    "pdd-orders": [
        ("收货人", _masked_name),
        ("手机", _masked_phone),
        ("订单状态", _shipping_state),
    ],
    "jd-orders": [
        ("客户姓名", _masked_name),
        ("客户地址", _address),
        ("订单状态", lambda: pl.lit("完成")),
    ],
}


def extra_columns(profile_id: str, frame: pl.DataFrame, written: set[str]) -> list[pl.Expr]:
    """The extra columns of `profile_id` a frame can fill and the layout does not already write."""
    exprs = []
    for header, filler in EXTRAS.get(profile_id, []):
        if header.strip() in written:
            continue
        expr = filler()
        if not set(expr.meta.root_names()) <= set(frame.columns):
            continue
        exprs.append(expr.alias(header))
    return exprs
