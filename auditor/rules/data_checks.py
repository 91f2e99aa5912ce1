"""Data checks Q001–Q007 (SPEC 6.4), declared for the catalogue and the workbook's rule sheet.

Q001–Q005 and Q007 are made at read time by ``auditor.io``/``auditor.model``; Q006 (a date
outside the working-day calendar) by the engine, which owns the calendar. They are not policy
rules: no policy can switch them off, so they live outside ``RULES``.
"""

from __future__ import annotations

from auditor.rules.base import Rule


def _data_check(check_id: str, name: str, zh: str, en: str, doc: str, doc_zh: str) -> Rule:
    return Rule(
        id=check_id,
        name=name,
        layer="data",
        severity="info",
        title_zh=zh,
        title_en=en,
        basis="数据质量检查：读取和清洗导出时发现（不是违规）",
        basis_en="data-quality check: found while reading and cleaning the exports "
        "(not a violation)",
        params=(),
        message_zh=zh,
        message_en=en,
        doc=doc,
        doc_zh=doc_zh,
        example_fires=None,
        example_passes=None,
        scope="data",
    )


Q001 = _data_check(
    "Q001",
    "data.schema",
    "字段格式错误",
    "Schema violation",
    "Missing required column, unparseable value, value outside its enum or range.",
    "缺少必填列、无法解析的值、超出枚举或范围的值。",
)
Q002 = _data_check(
    "Q002",
    "data.duplicate_case",
    "售后单号重复",
    "Duplicate case id",
    "A duplicated case_id: the first row (command-line file order, then sheet, then row) is "
    "audited, each later row is reported. An order listed again in an orders export without "
    "a line column (two overlapping exports) is one order: its amount is not added, the "
    "earliest payment and latest shipping and signing times are kept, and each later row is "
    "reported with the fields that differ; a repeat with another payment time is another "
    "order under the same id, and the first counts. A sub-order line listed again with other "
    "facts is one line the same way (its first amount, its times merged), each later listing "
    "reported. An order id whose lines name two or more "
    "shops (the export's shop column; a blank shop names none) is the first shop's order; "
    "each line of another shop is reported and left out. The same file given twice is read "
    "once, with a note.",
    "售后单号重复：按命令行文件、工作表、行的顺序保留第一行审计，其余行逐一报告。"
    "没有子订单列的订单导出中同一订单再次出现（如两份时间重叠的导出）时算作一个订单：金额不累加，"
    "取最早的付款时间和最晚的发货、签收时间，其后各行逐一报告并列出不一致的字段；付款时间不同的"
    "重复视为同号的另一订单，以首次出现为准。同一子订单再次列出而内容不同时同样算作一行（金额取首次的，"
    "时间合并），其后各行逐一报告。同一订单编号的订单行属于两个及以上店铺（导出的店铺列；"
    "店铺为空不算一个店铺）时，以首先出现的店铺为该订单，其他店铺的行逐一报告且不计入。"
    "同一文件给出两次只读一次，并提示。",
)
Q003 = _data_check(
    "Q003",
    "data.timeline_order",
    "时间先后矛盾",
    "Timeline out of order",
    "refunded_at, decided_at or first_response_at before applied_at; return_received_at before "
    "return_shipped_at; signed_at before shipped_at or paid_at. Reported; the times are used as given.",
    "退款/审核/首次响应时间早于申请时间；卖家收货早于买家退货；签收早于发货或付款。仅报告，时间按原值使用。",
)
Q004 = _data_check(
    "Q004",
    "data.order_not_found",
    "订单不在订单导出中",
    "Order not in the orders export",
    "A case whose order_id is not in the orders export (when one is given).",
    "售后的订单编号不在所给订单导出中。",
)
Q005 = _data_check(
    "Q005",
    "data.unclassified_reason",
    "售后原因无法归类",
    "Unclassified reason text",
    "A reason text no synonym classifies (counted per distinct text).",
    "同义词表无法归类的售后原因（按不同文本计数）。",
)
Q006 = _data_check(
    "Q006",
    "data.outside_workday_calendar",
    "日期超出工作日历年份",
    "Date outside the working-day calendar",
    "A working-day deadline the official calendar cannot count: its start is before the first "
    "year the calendar knows, or the deadline falls after its last year and the completion (or "
    "as_of, for an open case) is after the calendar's last day too. The rules named are not "
    "judged for that case or order; a completion by the calendar's last day is in time and "
    "judged. Located at the start's cell.",
    "官方工作日历无法计算的工作日期限：起算日期早于日历已知的第一年，或期限落在日历已知的最后一年之后"
    "且完成时间（未完结单为截止时间）也晚于日历的最后一天。所列规则对该售后或订单不判定；在日历最后一天"
    "之前完成的仍判定为按时。定位到起算时间所在单元格。",
)
Q007 = _data_check(
    "Q007",
    "data.future_time",
    "时间晚于运行时刻",
    "Time later than the run",
    "A time later than the moment the run started (a typo such as 2062): reported and left out "
    "of the default as_of.",
    "晚于本次运行开始时刻的时间（如误录为2062年）：报告，且不参与默认截止时间。",
)
