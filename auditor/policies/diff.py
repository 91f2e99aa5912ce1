"""Side-by-side comparison of policies: every parameter and rule setting, differences marked.

``build_diff`` makes the table once; the terminal, ``policy-diff.xlsx`` and ``policy-diff.html``
are three renderings of it. The files are written under temporary names and moved into place
only when both succeeded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditor.errors import AuditorError, Problem
from auditor.policies.render import severity_text, source_text, value_text
from auditor.policies.stack import ResolvedPolicy, resolve_target, segments
from auditor.rules.params import PARAMS

XLSX_NAME = "policy-diff.xlsx"
HTML_NAME = "policy-diff.html"


@dataclass(frozen=True)
class DiffRow:
    key: str  # parameter name or "rule:D001"
    label_zh: str
    label_en: str
    values_zh: tuple[str, ...]
    values_en: tuple[str, ...]
    sources: tuple[str, ...]  # the clause's source per policy ("" when unset)
    differs: bool

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh

    def values(self, lang: str) -> tuple[str, ...]:
        return self.values_en if lang == "en" else self.values_zh


@dataclass(frozen=True)
class PolicyDiff:
    policies: tuple[ResolvedPolicy, ...]
    rows: tuple[DiffRow, ...]

    def headers(self) -> list[str]:
        return [p.ref for p in self.policies]


def pick(target: str, on: date | None, root: Path | None = None) -> ResolvedPolicy:
    """``ID_OR_PATH`` (the span in force on ``on``, default the latest) or ``ID@VERSION``."""
    name, _, version = target.partition("@")
    family_target = name if version and not Path(target).exists() else target
    catalog, family = resolve_target(family_target, root)
    spans = segments(catalog, family)
    if version and family_target == name:
        chosen = [s for s in spans if s.version == version]
        if not chosen:
            versions = ", ".join(v.version for v in family.versions)
            raise AuditorError(
                [
                    Problem(
                        f"{name} 没有版本 {version}(已有: {versions})",
                        f"{name} has no version {version} (known: {versions})",
                    )
                ]
            )
        on_day = on or chosen[0].effective_from
        inside = [
            s
            for s in chosen
            if s.effective_from <= on_day and (s.effective_to is None or on_day <= s.effective_to)
        ]
        return (inside or chosen)[0]
    if on is None:
        return spans[-1]
    for span in spans:
        if span.effective_from <= on and (span.effective_to is None or on <= span.effective_to):
            return span
    raise AuditorError(
        [
            Problem(
                f"{family.id} 在 {on} 没有有效版本",
                f"no version of {family.id} is in force on {on}",
            )
        ]
    )


def build_diff(policies: list[ResolvedPolicy]) -> PolicyDiff:
    rows: list[DiffRow] = []
    for param in PARAMS:
        values = [p.param(param.name) for p in policies]
        rows.append(
            DiffRow(
                key=param.name,
                label_zh=param.zh,
                label_en=param.en,
                values_zh=tuple(value_text(param.kind.value, v, "zh") for v in values),
                values_en=tuple(value_text(param.kind.value, v, "en") for v in values),
                sources=tuple(p.param_source(param.name) or "" for p in policies),
                differs=any(v != values[0] for v in values[1:]),
            )
        )
    rule_ids = sorted({r for p in policies for f in p.chain for r in f.rules})
    for rule_id in rule_ids:
        cells = [_rule_cell(p, rule_id) for p in policies]
        rows.append(
            DiffRow(
                key=f"rule:{rule_id}",
                label_zh=f"规则 {rule_id}",
                label_en=f"rule {rule_id}",
                values_zh=tuple(c[0] for c in cells),
                values_en=tuple(c[1] for c in cells),
                sources=tuple(p.rule_source(rule_id) or "" for p in policies),
                differs=any(c != cells[0] for c in cells[1:]),
            )
        )
    return PolicyDiff(tuple(policies), tuple(rows))


def _rule_cell(policy: ResolvedPolicy, rule_id: str) -> tuple[str, str]:
    if not any(rule_id in f.rules for f in policy.chain):
        return "—", "—"
    if not policy.rule_enabled(rule_id):
        return "关闭", "off"
    severity = policy.rule_severity(rule_id) or ""
    start = policy.rule_effective_from(rule_id)
    since = f" (≥ {start})" if start and start < policy.effective_from else ""
    return f"{severity_text(severity, 'zh')}{since}", f"{severity_text(severity, 'en')}{since}"


# -- files -------------------------------------------------------------------------------


def write_outputs(diff: PolicyDiff, out_dir: Path, lang: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / XLSX_NAME, out_dir / HTML_NAME]
    temps = [t.with_name(f".{t.name}.tmp") for t in targets]
    try:
        write_xlsx(diff, temps[0], lang)
        write_html(diff, temps[1], lang)
    except Exception:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in zip(temps, targets, strict=True):
        os.replace(temp, target)
    return targets


def _text_cell(ws, row: int, col: int, value: str):  # type: ignore[no-untyped-def]
    cell = ws.cell(row=row, column=col)
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def write_xlsx(diff: PolicyDiff, path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    en = lang == "en"
    wb = Workbook()
    ws = wb.active
    ws.title = "Policy diff" if en else "策略对比"
    header = ["parameter" if en else "参数", "name" if en else "名称", *diff.headers()]
    header.append("differs" if en else "是否不同")
    bold = Font(bold=True)
    changed = PatternFill("solid", fgColor="FFF2CC")
    for col, text in enumerate(header, start=1):
        _text_cell(ws, 1, col, text).font = bold
    for r, row in enumerate(diff.rows, start=2):
        cells = [row.key, row.label(lang), *row.values(lang)]
        cells.append(("yes" if en else "是") if row.differs else "")
        for col, text in enumerate(cells, start=1):
            cell = _text_cell(ws, r, col, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row.differs:
                cell.fill = changed
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    widths = [26, 22, *([34] * len(diff.policies)), 10]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width

    sources = wb.create_sheet("Sources" if en else "来源")
    head = ["parameter" if en else "参数", "policy" if en else "策略", "source" if en else "来源"]
    for col, text in enumerate(head, start=1):
        _text_cell(sources, 1, col, text).font = bold
    r = 2
    for row in diff.rows:
        for policy, source in zip(diff.policies, row.sources, strict=True):
            if source:
                shown = source_text(source, lang)
                for col, text in enumerate((row.key, policy.ref, shown), start=1):
                    _text_cell(sources, r, col, text)
                r += 1
    sources.freeze_panes = "A2"
    for letter, width in zip("ABC", (26, 40, 100), strict=True):
        sources.column_dimensions[letter].width = width
    wb.save(path)


def write_html(diff: PolicyDiff, path: Path, lang: str) -> None:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from auditor.resources import templates_dir

    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    template = env.get_template("policy-diff.html.j2")
    en = lang == "en"
    html = template.render(
        lang=lang,
        title="Policy comparison" if en else "策略对比",
        policies=[
            {
                "ref": p.ref,
                "family": p.family,
                "version_ref": p.ref.split("@", 1)[1],
                "title": p.title["en" if en else "zh"],
                "layer": p.layer,
            }
            for p in diff.policies
        ],
        rows=[
            {
                "key": row.key,
                "label": row.label(lang),
                "values": row.values(lang),
                "sources": [source_text(source, lang) for source in row.sources],
                "differs": row.differs,
            }
            for row in diff.rows
        ],
        differing=sum(row.differs for row in diff.rows),
        labels={
            "parameter": "Parameter" if en else "参数",
            "only_diff": "Show differences only" if en else "只看不同项",
            "differs": "differs" if en else "不同",
            "summary": "parameters and rules differ" if en else "项参数或规则不同",
        },
    )
    path.write_text(html, encoding="utf-8")
