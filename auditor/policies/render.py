"""Parameter values as short zh/en text (policy show, check, diff)."""

from __future__ import annotations

import re
from typing import Any

from auditor.model.fields import ENUM_ZH
from auditor.model.grades import KPI_STATUS_LABEL, SEVERITY_LABEL

UNIT_TEXT = {
    "hours": ("小时", "hours"),
    "calendar_days": ("自然日", "calendar days"),
    "working_days": ("工作日", "working days"),
    "months": ("个月", "months"),
}
EVENT_TEXT = {
    "signed_at": ("签收", "delivery (signed_at)"),
    "paid_at": ("付款", "payment (paid_at)"),
    "ordered_at": ("下单", "order (ordered_at)"),
    "applied_at": ("申请", "application (applied_at)"),
    "decided_at": ("审核", "decision (decided_at)"),
    "return_received_at": ("卖家收到退货", "return received (return_received_at)"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def limit_text(limit: dict, lang: str = "zh", with_start: bool = True) -> str:
    if limit.get("unspecified"):
        words = limit.get("text", "")
        return f"unspecified ({words})" if lang == "en" else f"未明确({words})"
    amount = limit["amount"]
    amount = int(amount) if float(amount).is_integer() else amount
    unit = _pick(UNIT_TEXT[limit["unit"]], lang)
    if lang == "en" and amount == 1:
        unit = unit.removesuffix("s")  # "1 working day", "1 month"
    text = f"{amount} {unit}" if lang == "en" else f"{amount}{unit}"
    start = limit.get("from")
    if with_start and start:
        event = _pick(EVENT_TEXT.get(start, (start, start)), lang)
        text += f" from {event}" if lang == "en" else f"(自{event}起)"
    return text


def _enum(field: str, value: str, lang: str) -> str:
    return value if lang == "en" else ENUM_ZH.get(field, {}).get(value, value)


def value_text(kind: str, value: Any, lang: str = "zh") -> str:
    """A resolved parameter value, whatever its kind."""
    if value is None:
        return "—"
    if isinstance(value, dict) and value.get("unspecified"):
        return limit_text(value, lang)
    sep = ", " if lang == "en" else "、"
    if kind == "limit":
        return limit_text(value, lang)
    if kind == "limit_by_category":
        return "; ".join(f"{k}: {limit_text(v, lang)}" for k, v in value.items()) or "—"
    if kind == "freight_by_reason":
        return "; ".join(
            f"{_enum('reason_class', r, lang)}: {_enum('freight_payer', p, lang)}"
            for r, p in value.items()
        )
    if kind == "reasons":
        return sep.join(_enum("reason_class", r, lang) for r in value) or "—"
    if kind in ("keywords", "clauses"):
        return sep.join(value) or "—"
    if kind == "target":
        if "max" in value:
            return f"< {value['max']:.0%}"
        status = KPI_STATUS_LABEL["en" if lang == "en" else "zh"]
        text = f"{status['ok']} ≥ {value['ok']:.0%}"
        if value["error"] is None:
            return text
        joint = ", " if lang == "en" else "，"
        return f"{text}{joint}{status['error']} < {value['error']:.0%}"
    return str(value)


def severity_text(severity: str, lang: str = "zh") -> str:
    """A rule's severity in the reader's language, with the words the audit outputs use."""
    return SEVERITY_LABEL["en" if lang == "en" else "zh"].get(severity, severity)


# The bundled policies cite the rule catalogue as "SPEC 6.3 D004" (the design document the
# numbers were taken from, which users do not have); users are sent to the rule's page.
_SPEC_RULE = re.compile(r"SPEC \d+(?:\.\d+)*[ :：]*(?=[A-Z]\d{3}\b)")
_SPEC_OTHER = re.compile(r"SPEC \d+(?:\.\d+)*(?=[ :：(（;；]|$)")
# "第 335 行" / "第 101、103 行" / "种子文档 04": the tool's own words around a quoted sentence.
_LINES_ZH = re.compile(r"第 (\d+(?:、\d+)*) 行")
_SEED_DOC_ZH = re.compile(r"种子文档 (\d+)")


def source_text(source: str, lang: str = "zh") -> str:
    """A clause's ``source`` as shown to users: catalogue references point at ``auditor
    rules <ID>`` (and docs/rules.md), and under ``--lang en`` the tool's own framing words
    ("第 N 行", "种子文档") are English; the quoted sentence itself stays as written."""
    text = _SPEC_RULE.sub("auditor rules ", source)
    text = _SPEC_OTHER.sub("docs/rules.md", text)
    if lang == "en":
        text = _LINES_ZH.sub(
            lambda m: ("lines " if "、" in m[1] else "line ") + m[1].replace("、", ", "), text
        )
        text = _SEED_DOC_ZH.sub(r"seed document \1", text)
    return text
