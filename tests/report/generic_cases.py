"""The generic layout's case headers, as the report tests write their CSV months."""

GENERIC_HEADER = [
    "售后单号",
    "订单编号",
    "店铺",
    "商品类目",
    "售后类型",
    "售后原因",
    "实付金额",
    "退款金额",
    "申请时间",
    "首次响应时间",
    "审核时间",
    "审核结果",
    "退款时间",
    "完结时间",
    "售后状态",
    "满意度",
    "处理人",
]
