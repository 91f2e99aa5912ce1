"""The rules applied, as a table: read from the rule registry and the policies the run used.

The workbook's 规则/Rules sheet and ``auditor rules`` read the same registry, so the two can
never disagree about a rule's title, layer, severity or basis.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS
from auditor.report.labels import SEVERITY_LABEL, lang_key, reason_text
from auditor.rules.params import PARAM
from auditor.rules.registry import DATA_CHECKS, RULES
from auditor.rules.terms import WINDOW_PARAMS

UNIT_LABEL = {
    "zh": {
        "hours": "小时",
        "calendar_days": "个自然日",
        "working_days": "个工作日",
        "months": "个月",
    },
    "en": {
        "hours": "hours",
        "calendar_days": "calendar days",
        "working_days": "working days",
        "months": "months",
    },
}


FIELD_ZH = {f.name: f.zh for f in (*ORDER_FIELDS, *CASE_FIELDS)}


def rule_titles(lang: str) -> dict[str, str]:
    return {rid: rule.title(lang) for rid, rule in (*RULES.items(), *DATA_CHECKS.items())}


def rules_table(result: Any, lang: str) -> pl.DataFrame:
    """One row per rule the run evaluated (all of the catalogue when the result does not say):
    id, title, layer, default severity, parameters with the values
    of the policies the run used, basis, and the run's coverage of it."""
    coverage = result.coverage or {}
    applied = [rid for rid in (getattr(result, "rules", None) or RULES) if rid in RULES]
    rows = [_rule_row(RULES[rid], result, coverage.get(rid, {}), lang) for rid in applied]
    return pl.DataFrame(
        rows,
        schema={
            "rule": pl.String,
            "title": pl.String,
            "layer": pl.String,
            "severity": pl.String,
            "parameters": pl.String,
            "basis": pl.String,
            "judged": pl.Int64,
            "fired": pl.Int64,
            "not_judged": pl.String,
        },
        orient="row",
    )


def _rule_row(rule: Any, result: Any, coverage: dict[str, Any], lang: str) -> tuple:
    not_judged = coverage.get("not_judged") or {}
    return (
        rule.id,
        rule.title(lang),
        rule.layer,
        _severity_text(rule, result, lang),
        "; ".join(_param_text(name, rule.layer, result, lang) for name in rule.params),
        rule.basis_text(lang),
        coverage.get("judged"),
        coverage.get("fired"),
        "; ".join(f"{reason_text(reason, lang)}: {n}" for reason, n in sorted(not_judged.items()))
        or None,
    )


def _severity_text(rule: Any, result: Any, lang: str) -> str:
    """The catalogue grade, plus `ref: grade` for each policy used that re-grades or switches
    the rule off (a shop may do so for service rules)."""
    names = SEVERITY_LABEL[lang_key(lang)]
    changes = []
    for ref, policy in _policies(rule.layer, result).items():
        if not policy.rule_enabled(rule.id):
            changes.append(f"{ref}: {'off' if lang == 'en' else '停用'}")
        elif (graded := policy.rule_severity(rule.id) or rule.severity) != rule.severity:
            changes.append(f"{ref}: {names.get(graded, graded)}")
    text = names.get(rule.severity, rule.severity)
    return text + (f" ({'; '.join(changes)})" if changes else "")


def _policies(layer: str, result: Any) -> dict[str, Any]:
    """The policy versions the run used, of one layer, by ref."""
    stack = getattr(result, "stack", None)
    if stack is None:
        return {}
    found = {}
    for ref in result.policies:
        try:
            policy = stack.get(ref)
        except KeyError:
            continue
        if policy.layer == layer:
            found[ref] = policy
    return found


def _param_text(name: str, layer: str, result: Any, lang: str) -> str:
    """`name = value` as the policies used set it (`policy@version: value` when they differ),
    or the declared default when the run carries no policy objects; a consumer window of the
    law adds the service versions that promise one (see _promises)."""
    param = PARAM[name]
    label = param.en if lang == "en" else param.zh
    values = _policy_values(name, layer, result)
    if not values:
        text = f"{label} = {_shown(param, param.default, lang)}"
    elif len(distinct := {_shown(param, v, lang) for v in values.values()}) == 1:
        text = f"{label} = {distinct.pop()}"
    else:
        parts = ", ".join(f"{ref}: {_shown(param, v, lang)}" for ref, v in sorted(values.items()))
        text = f"{label} = {parts}"
    if layer != "law":
        return text
    law = {_shown(param, v, lang) for v in values.values()} or {_shown(param, param.default, lang)}
    return text + _promises(name, result, lang, law)


# The law's consumer windows a shop's own promise widens (rules/terms.py window() and
# widen(): a longer promise binds, a shorter one never relaxes the law), so a finding's
# deadline may be the promise's rather than the law's.
PROMISED_WINDOWS = (*WINDOW_PARAMS, "warranty_by_category")


def _promises(name: str, result: Any, lang: str, law: set[str]) -> str:
    """The service versions the run used that promise this window, each named, for the law
    rules judged against the wider of the law's window and the promise (a promise that
    restates the law's ``law`` window changes nothing and is left out)."""
    if name not in PROMISED_WINDOWS:
        return ""
    param = PARAM[name]
    shown = {
        ref: _shown(param, v, lang) for ref, v in _policy_values(name, "service", result).items()
    }
    parts = ", ".join(f"{ref}: {text}" for ref, text in sorted(shown.items()) if text not in law)
    if not parts:
        return ""
    if lang == "en":
        return f" (where longer, the shop's promise applies: {parts})"
    return f"（店铺承诺更长的按承诺：{parts}）"


# Kinds whose values are codes (reasons, payers) or targets: shown in words exactly as
# `auditor policy show` shows them (质量问题：卖家), not as the policy file's codes.
_WORDED_KINDS = ("freight_by_reason", "reasons", "target")


def _shown(param: Any, value: Any, lang: str) -> str:
    from auditor.policies.render import value_text

    kind = param.kind.value
    if value is not None and kind in _WORDED_KINDS:
        return value_text(kind, value, lang)
    if kind == "limit_by_category" and not value:
        return "—" if lang == "en" else "无"
    return format_value(value, lang)


def _policy_values(name: str, layer: str, result: Any) -> dict[str, Any]:
    values = {}
    for ref, policy in _policies(layer, result).items():
        value = policy.param(name)
        if value is not None:
            values[ref] = value
    return values


def format_value(value: Any, lang: str) -> str:
    """A parameter value in words: limits with their unit and start, lists joined."""
    if value is None:
        return "—" if lang == "en" else "未设定"
    if isinstance(value, dict) and value.get("unspecified"):
        return (
            f"unspecified ({value.get('text', '')})"
            if lang == "en"
            else f"未明确（{value.get('text', '')}）"
        )
    if isinstance(value, dict) and "amount" in value and "unit" in value:
        unit = UNIT_LABEL["en" if lang == "en" else "zh"].get(value["unit"], value["unit"])
        amount = _number(value["amount"])
        start = value.get("from")
        if lang == "en":
            return f"{amount} {unit}" + (f" after {start}" if start else "")
        return (f"{FIELD_ZH.get(start, start)}后" if start else "") + f"{amount}{unit}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value(v, lang)}" for k, v in value.items()) or "{}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) if lang != "en" else ", ".join(map(str, value))
    return _number(value) if isinstance(value, float) else str(value)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
