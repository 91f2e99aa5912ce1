"""Every user-facing word the outputs write: sheet names, column headers, enum labels (zh/en).

One table per output so the workbook, the terminal and the tests read the same names.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Mapping

from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS

# The grade words live in the canonical model (the policy views use them too); the outputs
# take them from here with the rest of their words.
from auditor.model.grades import KPI_STATUS_LABEL as KPI_STATUS_LABEL
from auditor.model.grades import SEVERITIES as SEVERITIES
from auditor.model.grades import SEVERITY_LABEL as SEVERITY_LABEL
from auditor.rules.params import PARAM

LAYER_LABEL = {
    "zh": {"law": "法律", "service": "服务", "data": "数据"},
    "en": {"law": "law", "service": "service", "data": "data"},
}

# Sheet keys in workbook order; an overflowing sheet continues as name + "2", "3", ...
SHEETS = {
    "zh": {
        "summary": "汇总",
        "findings": "违规明细",
        "todo": "待办",
        "data_issues": "数据问题",
        "kpis": "KPI",
        "rules": "规则",
    },
    "en": {
        "summary": "Summary",
        "findings": "Findings",
        "todo": "To do",
        "data_issues": "Data issues",
        "kpis": "KPI",
        "rules": "Rules",
    },
}

# Column headers per sheet: (frame column, zh header, en header).
COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "summary": (
        ("rule", "规则", "Rule"),
        ("title", "规则名称", "Title"),
        ("severity", "严重程度", "Severity"),
        ("shop", "店铺", "Shop"),
        ("month", "月份", "Month"),
        ("findings", "违规数", "Findings"),
    ),
    "findings": (
        ("rule", "规则", "Rule"),
        ("severity", "严重程度", "Severity"),
        ("layer", "层级", "Layer"),
        ("case_id", "售后单号", "Case ID"),
        ("order_id", "订单编号", "Order ID"),
        ("shop", "店铺", "Shop"),
        ("policy", "政策版本", "Policy"),
        ("basis", "依据", "Basis"),
        ("message", "说明", "Message"),
        ("due", "截止时间", "Due"),
        ("actual", "实际时间", "Actual"),
        ("overdue_hours", "超时(小时)", "Overdue (hours)"),
        ("fingerprint", "指纹", "Fingerprint"),
        ("source_file", "来源文件", "Source file"),
        ("source_sheet", "来源工作表", "Source sheet"),
        ("source_row", "来源行", "Source row"),
        ("state", "对比上次", "vs baseline"),
        ("waiver_reason", "豁免原因", "Waiver reason"),
        ("waiver_approved_by", "豁免批准人", "Waiver approved by"),
        ("waiver_expires", "豁免到期", "Waiver expires"),
    ),
    "todo": (
        ("case_id", "售后单号", "Case ID"),
        ("order_id", "订单编号", "Order ID"),
        ("shop", "店铺", "Shop"),
        ("rule", "规则", "Rule"),
        ("action", "待办事项", "What to do"),
        ("due", "截止时间", "Due"),
    ),
    "data_issues": (
        ("check", "检查", "Check"),
        ("case_id", "售后单号", "Case ID"),
        ("order_id", "订单编号", "Order ID"),
        ("column", "字段", "Column"),
        ("cell", "单元格", "Cell"),
        ("value", "值", "Value"),
        ("message", "说明", "Message"),
        ("source_file", "来源文件", "Source file"),
        ("source_sheet", "来源工作表", "Source sheet"),
        ("source_row", "来源行", "Source row"),
    ),
    "kpis": (
        ("rule", "指标", "KPI"),
        ("title", "名称", "Title"),
        ("shop", "店铺", "Shop"),
        ("agent", "处理人", "Agent"),
        ("month", "月份", "Month"),
        ("n", "样本数", "Cases"),
        ("value", "实际值", "Value"),
        ("target", "目标", "Target"),
        ("status", "状态", "Status"),
    ),
    "rules": (
        ("rule", "规则", "Rule"),
        ("title", "规则名称", "Title"),
        ("layer", "层级", "Layer"),
        ("severity", "严重程度", "Severity"),
        ("parameters", "参数", "Parameters"),
        ("basis", "依据", "Basis"),
        ("judged", "已判定", "Judged"),
        ("fired", "违规", "Fired"),
        ("not_judged", "未判定(原因)", "Not judged (reason)"),
    ),
}

# Column widths in Excel character units, by frame column (default 14).
WIDTHS = {
    "rule": 8,
    "title": 36,
    "severity": 10,
    "layer": 8,
    "case_id": 22,
    "order_id": 22,
    "shop": 16,
    "month": 9,
    "policy": 28,
    "basis": 40,
    "message": 60,
    "due": 20,
    "actual": 20,
    "overdue_hours": 11,
    "fingerprint": 36,
    "source_file": 28,
    "source_sheet": 12,
    "source_row": 8,
    "action": 50,
    "check": 8,
    "column": 18,
    "cell": 8,
    "value": 24,
    "agent": 12,
    "n": 8,
    "target": 8,
    "status": 10,
    "parameters": 50,
    "state": 10,
    "waiver_reason": 30,
    "waiver_approved_by": 12,
    "waiver_expires": 12,
    "findings": 9,
    "judged": 9,
    "fired": 9,
    "not_judged": 40,
}


def headers(sheet: str, lang: str) -> list[str]:
    index = 2 if lang == "en" else 1
    return [spec[index] for spec in COLUMNS[sheet]]


def frame_columns(sheet: str) -> list[str]:
    return [spec[0] for spec in COLUMNS[sheet]]


def lang_key(lang: str) -> str:
    return "en" if lang == "en" else "zh"


# The engine's not-judged reasons are fixed English phrases (findings.json keeps them so);
# the Chinese workbook, page and terminal summary translate them.
_REASON_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^field absent: (?P<field>\w+)$"), "导出中没有该字段：{field}"),
    (re.compile(r"^field blank: (?P<field>\w+)$"), "字段为空：{field}"),
    (re.compile(r"^field absent$"), "所需字段不在导出中"),
    (re.compile(r"^no policy version in force$"), "当日没有生效的政策版本"),
    (re.compile(r"^switched off by policy$"), "政策关闭了该规则"),
    (re.compile(r"^rule not in force before (?P<date>[\d-]+)$"), "{date} 之前该规则尚未生效"),
    (re.compile(r"^limit unspecified: (?P<param>\w+)$"), "政策未明确期限：{param}"),
    (re.compile(r"^time outside the years 1-9999$"), "时间超出可显示的年份（1–9999）"),
    (re.compile(r"^closed without (?P<field>\w+)$"), "已完结但没有{field}"),
    (re.compile(r"^cancelled without (?P<field>\w+)$"), "已撤销但没有{field}"),
    (re.compile(r"^date outside calendar: (?P<field>\w+)$"), "日期超出工作日日历的年份：{field}"),
    (re.compile(r"^open, not yet due$"), "处理中，尚未到期"),
)


def field_names() -> dict[str, str]:
    return {f.name: f.zh for f in (*CASE_FIELDS, *ORDER_FIELDS)}


def _param_name(name: str) -> str:
    """A policy parameter as 收到退货后退款时限（refund_after_return）: the code alone means
    nothing to a zh reader, and the code is what policy files and `policy show` use."""
    param = PARAM.get(name)
    return f"{param.zh}（{name}）" if param is not None else name


def reason_text(reason: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A not-judged reason as the reader's language shows it (English reasons stay as given);
    `names` (field -> Chinese name) spares building field_names() once per reason."""
    if lang_key(lang) == "en":
        return reason
    names = names if names is not None else field_names()
    for pattern, template in _REASON_PATTERNS:
        found = pattern.match(reason)
        if found:
            values = found.groupdict()
            if "field" in values:
                name = values["field"]
                values["field"] = f"{names[name]}（{name}）" if name in names else name
            if "param" in values:
                values["param"] = _param_name(values["param"])
            return template.format(**values)
    return reason


# Why an output could not be written, in the reader's language: the OS's own text
# (strerror) is English whatever --lang says, so the usual causes are said here.
OS_ERROR_ZH = {
    errno.ENOENT: "所在文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读文件系统，无法写入",
    errno.EEXIST: "已存在同名的文件或文件夹",
}


def os_error_text(exc: OSError, lang: str) -> str:
    """An OSError's cause for a located message: zh words for the usual errno values,
    the OS's own text otherwise (and under --lang en)."""
    text = exc.strerror or str(exc)
    if lang_key(lang) == "en":
        return text
    words = OS_ERROR_ZH.get(exc.errno) if exc.errno is not None else None
    return words or f"系统错误：{text}"
