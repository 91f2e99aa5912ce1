"""`auditor validate`: reading and data checks only; prints layouts, row counts, data issues."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click

from auditor.cli.exit_codes import EXIT_FINDINGS, EXIT_OK
from auditor.cli.options import input_limits
from auditor.errors import AuditorError, Problem
from auditor.io.preflight import Limits
from auditor.report.labels import os_error_text

HELP = """读取并检查售后导出文件，不做合规审计 · Read and check exports only (no audit).

\b
对每个输入文件，打印识别出的版式档案及依据（匹配到的表头）、读取的行数，
以及数据问题表（位置如 文件!工作表!C12）。
For each input: the layout profile chosen and why (the signature headers found),
the rows read, and the data issues located as file!sheet!C12.

\b
版式档案列表 List of layout profiles:  auditor profiles
退出码 Exit codes: 0 无数据问题 no data issue · 1 有数据问题 some · 2 无法读取 could not read

\b
示例 Example:
  auditor validate 售后3月.xlsx 抖店售后.csv --orders 订单3月.xlsx --json checks.json
  auditor validate export.xlsx --profile taobao-refund-c --lang en
  auditor validate my.xlsx --profile ./my-layout.yaml --reasons ./my-reasons.yaml
"""

TEXT = {
    "zh": {
        "input": "输入",
        "cases": "售后",
        "orders": "订单",
        "profile": "版式",
        "why": "依据表头",
        "header": "表头行",
        "rows": "行数",
        "none": "没有数据问题。",
        "issues": "数据问题",
        "location": "位置",
        "check": "检查",
        "column": "字段",
        "value": "原值",
        "message": "说明",
        "more": "……另有 {n} 条，完整列表请用 --json 输出",
        "json": "已写入 {path}",
        "total": "合计 {n} 条：{by}",
    },
    "en": {
        "input": "input",
        "cases": "cases",
        "orders": "orders",
        "profile": "profile",
        "why": "matched headers",
        "header": "header row",
        "rows": "rows",
        "none": "No data issues.",
        "issues": "Data issues",
        "location": "location",
        "check": "check",
        "column": "column",
        "value": "value",
        "message": "message",
        "more": "... {n} more; write them all with --json",
        "json": "wrote {path}",
        "total": "{n} in total: {by}",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Pad (or cut) to a display width, counting CJK characters as two columns."""
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            return out[:-1] + "…" + " " * (width - used) if out else ""
        out += ch
        used += w
    return out + " " * (width - used)


def render_table(
    headers: list[str], rows: list[list[str]], max_width: int = 40, whole: tuple[int, ...] = (0,)
) -> list[str]:
    """Aligned columns; cells longer than `max_width` are cut, except in the `whole`
    columns (the location) and the last one (the message)."""
    last = len(headers) - 1
    widths = []
    for i, header in enumerate(headers):
        width = max([_width(header)] + [_width(r[i]) for r in rows])
        widths.append(width if i in whole else min(max_width, width))
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [_fit(c, w) for c, w in zip(row[:last], widths[:last], strict=True)]
        lines.append("  ".join([*cells, row[last]]).rstrip())
    return lines


def _refuse_overwriting_inputs(json_path: Path, inputs: list[str]) -> None:
    """--json naming one of the run's own inputs would replace the export with JSON."""
    from auditor.report.outputs import same_file_identity  # the same identity check as audit --out

    if json_path.exists() and same_file_identity(json_path) in {
        same_file_identity(Path(p)) for p in inputs
    }:
        raise AuditorError(
            [
                Problem(
                    "--json 会覆盖输入文件，请换一个文件名",
                    "--json would overwrite an input file; choose another file name",
                    file=str(json_path),
                )
            ]
        )


def _write_json(path: Path, data: dict) -> None:
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise AuditorError(
            [
                Problem(
                    f"无法写入：{os_error_text(exc, 'zh')}",
                    f"cannot write: {os_error_text(exc, 'en')}",
                    file=str(path),
                )
            ]
        ) from exc


@click.command(name="validate", help=HELP)
@click.argument("cases", nargs=-1, required=True)
@click.option(
    "--orders", "orders", multiple=True, metavar="FILE", help="订单导出（可重复）Orders export."
)
@click.option(
    "--profile",
    default="auto",
    show_default=True,
    metavar="NAME|PATH",
    help="版式档案 id 或 YAML 文件；auto 为自动识别 Layout profile id or file (see auditor profiles).",
)
@click.option(
    "--reasons",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="补充的售后原因同义词表（YAML，优先于内置表）Extra reason synonyms.",
)
@click.option(
    "--json",
    "json_path",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help='写出 {"inputs", "data_issues"}（findings.json 同结构）Write inputs and data issues.',
)
@click.option(
    "--show",
    "show",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="最多打印多少条数据问题（0 = 全部）Issues printed at most (0 = all).",
)
@input_limits
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_context
def validate(
    ctx: click.Context,
    cases: tuple[str, ...],
    orders: tuple[str, ...],
    profile: str,
    reasons: tuple[str, ...],
    json_path: str | None,
    show: int,
    max_rows: int,
    max_uncompressed_mb: int,
    lang: str,
) -> None:
    from auditor.io.validation import location, validate_inputs

    t = TEXT[lang]
    if json_path:
        profile_file = [] if profile == "auto" else [profile]  # a YAML layout file, maybe
        _refuse_overwriting_inputs(Path(json_path), [*cases, *orders, *reasons, *profile_file])
    limits = Limits(max_rows=max_rows, max_uncompressed_mb=max_uncompressed_mb)
    result = validate_inputs(
        cases, orders, profile=profile, reasons=reasons, lang=lang, limits=limits
    )
    for detail in result.details:
        click.echo(
            f"{t['input']} [{t[detail['kind']]}] {detail['path']}: "
            f"{t['profile']} {detail['profile']}, {t['rows']} {detail['rows']}"
        )
        if detail.get("note"):
            click.echo(f"    {detail['note']}")
        for sheet in detail["sheets"]:
            where = f"{sheet['sheet']} · " if sheet["sheet"] else ""
            click.echo(
                f"    {where}{t['header']} {sheet['header_row']} · {sheet['profile']} · "
                f"{t['why']}: {', '.join(sheet['signature'])} · {t['rows']} {sheet['rows']}"
            )
    issues = result.data_issues
    if not issues:
        click.echo(t["none"])
    else:
        shown = issues if show == 0 else issues[:show]
        headers = [t["location"], t["check"], t["column"], t["value"], t["message"]]
        rows = [
            [location(i), i["check"], i["column"] or "", i["value"] or "", i["message"] or ""]
            for i in shown
        ]
        click.echo(f"\n{t['issues']}:")
        for line in render_table(headers, rows):
            click.echo(line)
        if len(shown) < len(issues):
            click.echo(t["more"].format(n=len(issues) - len(shown)))
        by = ", ".join(f"{check} {n}" for check, n in result.counts.items())
        click.echo(t["total"].format(n=len(issues), by=by))
    if json_path:
        _write_json(Path(json_path), result.to_json())
        click.echo(t["json"].format(path=json_path), err=True)
    ctx.exit(EXIT_FINDINGS if issues else EXIT_OK)
