"""`auditor audit`: read the exports, judge every case, write the outputs, print a summary.

The command only parses options, calls :func:`auditor.engine.run_audit`, hands the result to
the writers of :mod:`auditor.report` and exits with the code of SPEC section 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.exit_codes import EXIT_FINDINGS, EXIT_OK, exit_code_for
from auditor.cli.options import input_limits
from auditor.errors import AuditorError, Problem
from auditor.io.preflight import Limits

FAIL_ON = ("critical", "error", "warning", "info", "never")

HELP = """审计售后导出文件，输出违规明细、待办清单、报告和 findings.json。

Audit after-sales exports; write the violations workbook, the fix-list, the report and
findings.json.

\b
示例 Example:
  auditor audit 售后-2026-03.xlsx --orders 订单-2026-03.xlsx \\
      --policy 旗舰店=my-shop-policy.yaml --as-of 2026-03-31 --out 审计结果
\b
  → 审计结果/violations.xlsx  (汇总 · 违规明细 · 待办 · 数据问题 · KPI · 规则)
  → 审计结果/report.html      (一页报告，离线可看 · one self-contained page)
  → 审计结果/findings.json    (machine-readable; schema ships with the tool)

\b
只要 findings.json（流水线用） · findings.json only, for a pipeline:
  auditor audit 售后-2026-03.csv --outputs json --out 审计结果
  (其余两个旧输出会被删除 · the other two outputs left from an earlier run are removed)

\b
每月复核 Monthly:
  auditor audit 售后-2026-04.xlsx --waivers waivers.yaml \\
      --baseline 审计结果-03/findings.json --new-only --out 审计结果-04
  (豁免的违规仍列出但不计入退出码 · waived findings stay listed, never counted;
   输入文件旁的 waivers.yaml 会自动使用 · a waivers.yaml beside the inputs is used)

\b
退出码 Exit codes:
  0  没有达到 --fail-on 级别的违规 · no finding at or above --fail-on (default: error)
  1  有达到该级别的违规 · some finding at or above it
     (数据问题和 KPI 不影响退出码，除非 --fail-on-data-issues ·
      data issues and KPIs never do, unless --fail-on-data-issues)
  2  无法运行（文件、参数或政策有误），原有输出保持不变 ·
     the run could not be done; earlier outputs are left untouched
"""


@click.command(name="audit", help=HELP)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--orders",
    "orders",
    multiple=True,
    type=click.Path(path_type=Path),
    help="订单导出（可重复） · orders export (repeatable)",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    metavar="[SHOP=]ID_OR_PATH",
    help="服务层政策（全部店铺，或 店铺=政策；可重复） · service policy for every shop or SHOP=…",
)
@click.option(
    "--out",
    "out_dir",
    default="audit-out",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="输出目录 · output folder",
)
@click.option(
    "--outputs",
    "outputs",
    multiple=True,
    metavar="xlsx,html,json",
    callback=lambda ctx, param, value: _parse_outputs(value),
    help="要写出的文件（逗号分隔或重复；默认全部；未选的旧输出会从 --out 删除） · outputs to "
    "write (comma list or repeated; default: all three; unchosen ones left in --out by an "
    "earlier run are removed)",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATETIME",
    help="判定未完结售后单的截止时刻；只给日期表示当天 23:59:59（默认：输入中最晚的时间）"
    " · judge open cases as of this moment; a date alone means 23:59:59 "
    "(default: the latest time in the inputs)",
)
@click.option(
    "--profile",
    default="auto",
    show_default=True,
    help="导出格式（auto 自动识别） · export layout (auto detects)",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="达到此严重程度即退出码 1 · exit 1 when a finding is at least this severe",
)
@click.option(
    "--fail-on-data-issues",
    is_flag=True,
    help="有数据问题也退出码 1 · exit 1 on data issues too",
)
@click.option(
    "--lang",
    type=click.Choice(("zh", "en")),
    default="zh",
    show_default=True,
    help="输出语言 · language of messages and outputs",
)
@click.option(
    "--waivers",
    "waivers",
    type=click.Path(path_type=Path),
    help="豁免清单 waivers.yaml（默认：输入文件旁的 waivers.yaml） · accepted exceptions "
    "(default: a waivers.yaml beside the inputs)",
)
@click.option("--no-waivers", is_flag=True, help="不用任何豁免，显示全部 · apply no waivers")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    metavar="PREVIOUS/findings.json",
    help="上次的 findings.json：每条违规标为 新增/未变/有更新 · mark findings new, unchanged "
    "or updated against a previous run",
)
@click.option(
    "--new-only",
    is_flag=True,
    help="--fail-on 只看新增违规（需 --baseline） · --fail-on counts new findings only",
)
@input_limits
@click.option("--quiet", "-q", is_flag=True, help="只打印错误 · print errors only")
@click.option("--verbose", "-v", is_flag=True, help="打印更多细节 · print more detail")
@click.pass_context
def audit(
    ctx: click.Context,
    cases: tuple[Path, ...],
    orders: tuple[Path, ...],
    policies: tuple[str, ...],
    out_dir: Path,
    outputs: tuple[str, ...] | None,
    as_of: str | None,
    profile: str,
    fail_on: str,
    fail_on_data_issues: bool,
    lang: str,
    waivers: Path | None,
    no_waivers: bool,
    baseline: Path | None,
    new_only: bool,
    max_rows: int,
    max_uncompressed_mb: int,
    quiet: bool,
    verbose: bool,
) -> None:
    # Imported here so `auditor --help` stays instant.
    from auditor.cli.progress import StageProgress
    from auditor.engine import AuditRequest, run_audit
    from auditor.engine.waivers import counted_severities
    from auditor.report.outputs import write_outputs
    from auditor.report.terminal import render_summary

    _require_files([*cases, *orders, *(p for p in (waivers, baseline) if p is not None)])
    progress = StageProgress(lang, quiet=quiet)
    request = AuditRequest(
        cases=list(cases),
        orders=list(orders),
        policies=list(policies),
        as_of=as_of,
        profile=profile,
        lang=lang,
        waivers=waivers,
        no_waivers=no_waivers,
        baseline=baseline,
        new_only=new_only,
        limits=Limits(max_rows=max_rows, max_uncompressed_mb=max_uncompressed_mb),
        progress=progress.stage,
    )
    inputs = [*cases, *orders, *(p for p in (waivers, baseline) if p is not None)]
    with progress:
        result = run_audit(request)
        progress.stage("write")
        written = write_outputs(result, out_dir, lang, protected=inputs, formats=outputs)
    if not quiet:
        encoding = getattr(sys.stdout, "encoding", None)
        click.echo(render_summary(result, written, lang, verbose=verbose, encoding=encoding))
    # Waived findings never count; with --new-only, only new ones do.
    code = exit_code_for(counted_severities(result.findings, new_only), fail_on)
    if fail_on_data_issues and result.data_issues.height:
        code = EXIT_FINDINGS
    ctx.exit(code if code else EXIT_OK)


def _parse_outputs(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """`--outputs xlsx,json --outputs html` → ("xlsx", "json", "html"); none given → None (all)."""
    if not values:
        return None
    from auditor.report.outputs import output_formats  # imported late: `--help` stays instant

    known = output_formats()
    parts = (v.strip().lower() for item in values for v in item.split(","))
    chosen = tuple(dict.fromkeys(v for v in parts if v))
    unknown = [v for v in chosen if v not in known]
    if unknown or not chosen:
        shown = ", ".join(repr(v) for v in unknown) or "''"
        raise click.BadParameter(
            f"未知的输出 {shown}，可选 {', '.join(known)} · unknown output {shown}; "
            f"choose from {', '.join(known)}",
            param_hint="'--outputs'",
        )
    return chosen


def _require_files(paths: list[Path]) -> None:
    problems = [_not_a_file(path) for path in paths if not path.is_file()]
    if problems:
        raise AuditorError(problems)


def _not_a_file(path: Path) -> Problem:
    if path.is_dir():
        return Problem("是文件夹，不是文件", "is a folder, not a file", file=str(path))
    return Problem("文件不存在", "no such file", file=str(path))
