"""Parameter values as short zh/en text (policy show, check, diff)."""

from __future__ import annotations

from typing import Any

from auditor.model.fields import ENUM_ZH

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
        if value["error"] is None:
            return f"ok ≥ {value['ok']:.0%}"
        return f"ok ≥ {value['ok']:.0%}, error < {value['error']:.0%}"
    return str(value)
