"""The rule catalogue as a Markdown page (docs/rules.md), generated from the registry.

``python -m auditor.report.catalogue`` rewrites docs/rules.md; ``--check`` exits 1 when the
committed page differs from what the registry gives (a test does the same), so the user guide's
catalogue cannot drift from the rules the tool really applies. Both languages are on the page:
each rule's Chinese text, then its English text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditor.report.labels import LAYER_LABEL, SEVERITY_LABEL

# The page lives in the source checkout (the package sits at <repo>/auditor/report/).
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
REGENERATE = "python -m auditor.report.catalogue"

SCOPE_LABEL = {
    "case": ("每个售后单", "each case"),
    "order": ("每个订单（订单导出）", "each order (orders export)"),
    "scorecard": ("店铺 × 月、处理人 × 月考核", "shop × month and agent × month scorecard"),
    "data": ("数据检查", "data check"),
}
GROUPS = (
    ("W", "退货、换货、维修的审核", "Return, exchange and repair decisions"),
    ("X", "退货、换货、维修的审核", "Return, exchange and repair decisions"),
    ("C", "运费", "Freight"),
    ("A", "金额", "Amounts"),
    ("D", "时限", "Deadlines"),
    ("E", "凭证与拒绝理由", "Evidence and reasons"),
    ("K", "KPI 考核", "KPI scorecards"),
    ("Q", "数据检查", "Data checks"),
)


def _format_limit(value: dict) -> str:
    if value.get("unspecified"):
        return f"未规定（{value.get('text', '')}）/ unspecified"
    start = f", from {value['from']}" if value.get("from") else ""
    return f"{value.get('amount')} {value.get('unit')}{start}"


def format_default(value: Any) -> str:
    """A parameter's default as one line of Markdown-safe text."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        if "amount" in value or "unspecified" in value:
            return _format_limit(value)
        if not value:
            return "—"
        parts = []
        for key, item in value.items():
            shown = _format_limit(item) if isinstance(item, dict) else item
            parts.append(f"{key}: {'—' if shown is None else shown}")
        return "; ".join(parts)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) if value else "—"
    return str(value)


def _params_lines(names: Iterable[str]) -> list[str]:
    from auditor.rules.params import PARAM

    lines = []
    for name in names:
        param = PARAM.get(name)
        if param is None:
            lines.append(f"  - `{name}`")
            continue
        lines.append(
            f"  - `{name}` {param.zh} / {param.en}: default `{format_default(param.default)}`"
        )
    return lines


def _example_lines(example: Any, zh: str, en: str) -> list[str]:
    if example is None:
        return []
    return [f"- **{zh}**：{example.zh}", f"- **{en}**: {example.en}"]


def rule_section(rule: Any) -> list[str]:
    """One rule's part of the page."""
    scope_zh, scope_en = SCOPE_LABEL.get(rule.scope, (rule.scope, rule.scope))
    layer_zh = LAYER_LABEL["zh"].get(rule.layer, rule.layer)
    severity_zh = SEVERITY_LABEL["zh"].get(rule.severity, rule.severity)
    lines = [
        f'<a id="{rule.id.lower()}"></a>',
        "",
        f"### {rule.id} {rule.title_zh}",
        "",
        f"*{rule.title_en}* · `{rule.name}`",
        "",
        f"- **层级 / layer**：{layer_zh} / {rule.layer}",
        f"- **严重程度 / severity**：{severity_zh} / {rule.severity}",
        f"- **适用对象 / scope**：{scope_zh} / {scope_en}",
    ]
    if rule.in_force_from:
        lines.append(f"- **生效日期 / in force from**：{rule.in_force_from.isoformat()}")
    if rule.basis:
        lines.append(f"- **依据 / basis**：{rule.basis}")
    if rule.basis_en:
        lines.append(f"  *{rule.basis_en}*")
    if rule.params:
        lines.append("- **参数 / parameters**：")
        lines += _params_lines(rule.params)
    lines.append("")
    if rule.doc_zh:
        lines += [rule.doc_zh, ""]
    if rule.doc:
        lines += [rule.doc, ""]
    examples = _example_lines(rule.example_fires, "触发示例", "Fires")
    examples += _example_lines(rule.example_passes, "不触发示例", "Does not fire")
    if examples:
        lines += [*examples, ""]
    return lines


def params_table() -> list[str]:
    """Every parameter a policy may set: the names, kinds, units and defaults of params.py."""
    from auditor.rules.params import PARAMS

    lines = [
        '<a id="parameters"></a>',
        "",
        "## 参数 · Parameters",
        "",
        "政策文件 `params:` 下可以设置的参数（写法见 docs/guide/policy-files.md）。",
        "The parameters a policy file may set under `params:`.",
        "",
        "| 参数 parameter | 名称 | name | 类型 kind | 单位 units | 起算 from | 默认 default | 层级 layer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for param in PARAMS:
        units = ", ".join(u.value for u in param.units) or "—"
        starts = ", ".join(param.starts) or "—"
        lines.append(
            f"| `{param.name}` | {param.zh} | {param.en} | {param.kind.value} | {units} | "
            f"{starts} | {format_default(param.default)} | {param.layer} |"
        )
    return [*lines, ""]


def render_markdown() -> str:
    """The whole catalogue page."""
    from auditor.rules.registry import all_checks

    rules = all_checks()
    lines = [
        "# 规则目录 · Rule catalogue",
        "",
        "<!-- Generated from auditor.rules.registry by `" + REGENERATE + "`: do not edit. -->",
        "",
        "本页由规则注册表自动生成，与 `auditor rules ID` 和报告中的规则说明出自同一处。",
        "This page is generated from the rule registry, the same source as `auditor rules ID`",
        "and the rule sections of report.html.",
        "",
        "| 规则 rule | 名称 | title | 层级 layer | 严重程度 severity |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| [{rule.id}](#{rule.id.lower()}) | {rule.title_zh} | {rule.title_en} | "
            f"{rule.layer} | {rule.severity} |"
        )
    lines += ["", "参数一览见 [参数 · Parameters](#parameters)。", ""]
    seen_groups: set[str] = set()
    for rule in rules:
        group = next((g for g in GROUPS if rule.id.startswith(g[0])), None)
        if group and group[1] not in seen_groups:
            seen_groups.add(group[1])
            lines += [f"## {group[1]} · {group[2]}", ""]
        lines += rule_section(rule)
    lines += params_table()
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the rule catalogue page from the registry.")
    parser.add_argument("path", nargs="?", type=Path, default=DOC_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    text = render_markdown()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        if current != text:
            print(f"{args.path} is out of date: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
