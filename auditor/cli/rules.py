"""`auditor rules [RULE_ID]`: the rule catalogue, or one rule's page (like `ruff rule`).

Both read the registry (``auditor.rules.registry``), as the workbook's rule sheet does.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import click

from auditor.errors import AuditorError, Problem
from auditor.rules.params import PARAM, ParamKind

HELP = """规则目录，或某条规则的说明 · The rule catalogue, or one rule's documentation.

\b
不带参数：列出全部规则（编号、严重度、层级、标题）。
带规则编号或名称：打印该规则的说明页——检查什么、法律或政策依据（条款号）、
参数及默认值、一个触发的例子和一个不触发的例子。
Without an argument: every rule (id, severity, layer, title).
With a rule id or dotted name: its page — what it checks, the basis with article
numbers, the parameters and their defaults, an example that fires and one that does not.

\b
示例 Example:
  auditor rules
  auditor rules W001
  auditor rules deadlines.first_response --lang en
"""

SEVERITY = {
    "zh": {"critical": "严重", "error": "错误", "warning": "警告", "info": "提示"},
    "en": {"critical": "critical", "error": "error", "warning": "warning", "info": "info"},
}
LAYER = {
    "zh": {"law": "法律层", "service": "服务层", "data": "数据检查"},
    "en": {"law": "law", "service": "service", "data": "data"},
}
TEXT = {
    "zh": {
        "head": ("编号", "严重度", "层级", "标题"),
        "checks": "检查内容",
        "basis": "依据",
        "params": "参数及默认值",
        "no_params": "（无参数）",
        "fires": "触发的例子",
        "passes": "不触发的例子",
        "fields": "字段",
        "layer": "层级",
        "severity": "默认严重度",
        "in_force": "生效日期",
        "name": "名称",
        "regrade": "服务层政策可停用或调整其严重度",
        "fixed": "法律层规则：店铺政策不能停用或放宽",
        "unknown": "未知规则「{id}」；可用 `auditor rules` 查看全部规则",
        "total": "共 {n} 条规则、{m} 项数据检查；`auditor rules 编号` 查看说明",
        "lint_head": "政策检查（`auditor policy check`，检查政策文件本身，不审计售后数据）：",
        "lint_layer": "政策检查",
        "lint_how": (
            "由 `auditor policy check 文件或策略族` 对照法律层 cn-law 检查政策文件；"
            "每条发现都列出所依据的法条。"
        ),
        "unset": "未设定",
        "from": "自 {start} 起",
    },
    "en": {
        "head": ("id", "severity", "layer", "title"),
        "checks": "What it checks",
        "basis": "Basis",
        "params": "Parameters and defaults",
        "no_params": "(no parameters)",
        "fires": "Example that fires",
        "passes": "Example that does not fire",
        "fields": "fields",
        "layer": "layer",
        "severity": "default severity",
        "in_force": "in force from",
        "name": "name",
        "regrade": "a service policy may switch it off or re-grade it",
        "fixed": "law rule: no shop policy can switch it off or relax it",
        "unknown": "unknown rule '{id}'; `auditor rules` lists them all",
        "total": "{n} rules and {m} data checks; `auditor rules ID` shows one",
        "lint_head": "Policy checks (`auditor policy check`: a policy file itself, not the data):",
        "lint_layer": "policy check",
        "lint_how": (
            "`auditor policy check FILE_OR_FAMILY` checks a policy file against the law layer "
            "cn-law; each finding names the article it rests on."
        ),
        "unset": "not set",
        "from": "from {start}",
    },
}
UNITS = {
    "zh": {
        "hours": "小时",
        "calendar_days": "个自然日",
        "working_days": "个工作日",
        "months": "个月",
    },
    "en": {
        "hours": " hours",
        "calendar_days": " calendar days",
        "working_days": " working days",
        "months": " months",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _limit(value: dict[str, Any], lang: str) -> str:
    if value.get("unspecified"):
        return str(value.get("text") or TEXT[lang]["unset"])
    text = f"{value['amount']}{UNITS[lang][value['unit']]}"
    if value.get("from"):
        text += "（" if lang == "zh" else " ("
        text += TEXT[lang]["from"].format(start=value["from"])
        text += "）" if lang == "zh" else ")"
    return text


def param_value_text(name: str, value: Any, lang: str) -> str:
    """A parameter's value in words (limits with their unit and start event)."""
    kind = PARAM[name].kind
    if value is None or value == {} or value == []:
        return TEXT[lang]["unset"]
    if kind is ParamKind.LIMIT:
        return _limit(value, lang)
    if kind is ParamKind.LIMIT_BY_CATEGORY:
        return "; ".join(f"{k}: {_limit(v, lang)}" for k, v in value.items())
    if kind is ParamKind.TARGET:
        return ", ".join(f"{k} {'—' if v is None else v}" for k, v in value.items())
    if isinstance(value, dict):
        return ", ".join(f"{k} → {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) if lang == "zh" else ", ".join(map(str, value))
    return str(value)


def catalogue_lines(lang: str) -> list[str]:
    from auditor.policies.lint import RULE_TITLES
    from auditor.rules.registry import DATA_CHECKS, RULES

    head = TEXT[lang]["head"]
    rows = [
        (r.id, SEVERITY[lang].get(r.severity, r.severity), LAYER[lang][r.layer], r.title(lang))
        for r in (*RULES.values(), *DATA_CHECKS.values())
    ]
    widths = [max(_width(x[i]) for x in [head, *rows]) for i in range(3)]
    lines = ["  ".join([*(_pad(head[i], widths[i]) for i in range(3)), head[3]])]
    lines += ["  ".join([*(_pad(row[i], widths[i]) for i in range(3)), row[3]]) for row in rows]
    lines += ["", TEXT[lang]["lint_head"]]
    lines += [f"{rule_id}  {_title(rule_id, lang)}" for rule_id in RULE_TITLES]
    lines.append("")
    lines.append(TEXT[lang]["total"].format(n=len(RULES), m=len(DATA_CHECKS)))
    return lines


def _title(lint_id: str, lang: str) -> str:
    from auditor.policies.lint import RULE_TITLES

    zh, en = RULE_TITLES[lint_id]
    return en if lang == "en" else zh


def lint_page(lint_id: str, lang: str) -> list[str]:
    """A policy check's page: it reads a policy file, so it has no severity, no parameters
    and no data examples of its own."""
    from auditor.policies.lint import RULE_DESCRIPTIONS

    t = TEXT[lang]
    zh, en = RULE_DESCRIPTIONS[lint_id]
    return [
        f"{lint_id}  {_title(lint_id, lang)}",
        f"{t['layer']}: {t['lint_layer']}",
        "",
        f"{t['checks']}:",
        f"  {en if lang == 'en' else zh}",
        "",
        f"  {t['lint_how']}",
    ]


def _example_lines(example: Any, lang: str) -> list[str]:
    lines = [f"  {example.en if lang == 'en' else example.zh}"]
    rows = []
    if example.case:
        rows.append(example.case)
    if example.order:
        rows.append(example.order)
    rows.extend(example.cases)
    for row in rows:
        fields = ", ".join(f"{k}={v}" for k, v in row.items())
        lines.append(f"    {TEXT[lang]['fields']}: {fields}")
    return lines


def rule_page(rule_id: str, lang: str) -> list[str]:
    from auditor.policies.lint import RULE_TITLES
    from auditor.rules.registry import get_rule

    if rule_id.upper() in RULE_TITLES:
        return lint_page(rule_id.upper(), lang)
    try:
        rule = get_rule(rule_id)
    except KeyError:
        text = {k: TEXT[k]["unknown"].format(id=rule_id) for k in ("zh", "en")}
        raise AuditorError([Problem(text["zh"], text["en"])]) from None
    t = TEXT[lang]
    lines = [f"{rule.id}  {rule.title(lang)}", f"{t['name']}: {rule.name}"]
    facts = [
        f"{t['layer']}: {LAYER[lang][rule.layer]}",
        f"{t['severity']}: {SEVERITY[lang].get(rule.severity, rule.severity)}",
    ]
    if rule.in_force_from:
        facts.append(f"{t['in_force']}: {rule.in_force_from.isoformat()}")
    lines.append(" · ".join(facts))
    if rule.layer in ("law", "service"):
        lines.append(t["fixed"] if rule.layer == "law" else t["regrade"])
    lines += ["", f"{t['checks']}:", f"  {rule.describe(lang)}", "", f"{t['basis']}:"]
    lines.append(f"  {rule.basis_text(lang)}")
    lines += ["", f"{t['params']}:"]
    if not rule.params:
        lines.append(f"  {t['no_params']}")
    for name in rule.params:
        param = PARAM[name]
        label = param.en if lang == "en" else param.zh
        value = param_value_text(name, param.default, lang)
        lines.append(f"  {name} ({label}) = {value}")
    for key, example in (("fires", rule.example_fires), ("passes", rule.example_passes)):
        if example is not None:
            lines += ["", f"{t[key]}:", *_example_lines(example, lang)]
    return lines


@click.command(name="rules", help=HELP)
@click.argument("rule_id", required=False)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="输出语言 · output language",
)
def rules(rule_id: str | None, lang: str) -> None:
    lines = rule_page(rule_id, lang) if rule_id else catalogue_lines(lang)
    click.echo("\n".join(lines))
