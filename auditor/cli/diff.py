"""`auditor diff A/findings.json B/findings.json`: what got better or worse between two runs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.exit_codes import EXIT_OK

HELP = """对比两次审计结果 · Compare two audit runs (new, resolved, updated, unchanged).

对比两次审计的 findings.json：新增、已解决、有更新、未变，按规则、严重程度和店铺统计。
Compare two runs' findings.json: new, resolved, updated and unchanged findings, by rule,
severity and shop (the month-over-month view).

\b
示例 Example:
  auditor diff 审计结果-03/findings.json 审计结果-04/findings.json --out 对比-04
\b
  → 对比-04/run-diff.xlsx   (汇总 · 按规则 · 按严重程度 · 按店铺 · 明细)
  → 对比-04/run-diff.html   (一页报告，离线可看 · one self-contained page)
  → 对比-04/run-diff.json   (machine-readable)

\b
同一指纹（规则 + 售后单号/订单号 + 政策族）即同一条违规；严重程度、期限、实际时间、
超时小时数或政策版本不同即为「有更新」，说明文字、语言和行号不算。
A finding is identified by its fingerprint (rule + case or order id + policy family); it is
updated when severity, due, actual, overdue hours or policy version differ — not message,
language or row.

\b
退出码 Exit codes: 0 完成 done · 2 无法运行 could not be done
"""


@click.command(name="diff", help=HELP)
@click.argument("before", type=click.Path(path_type=Path), metavar="A/findings.json")
@click.argument("after", type=click.Path(path_type=Path), metavar="B/findings.json")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="写出 run-diff.xlsx/.html/.json 的目录 · folder for run-diff.xlsx, .html and .json",
)
@click.option(
    "--lang",
    type=click.Choice(("zh", "en")),
    default="zh",
    show_default=True,
    help="输出语言 · language of the outputs",
)
@click.option("--quiet", "-q", is_flag=True, help="只打印错误 · print errors only")
@click.pass_context
def diff(
    ctx: click.Context, before: Path, after: Path, out_dir: Path | None, lang: str, quiet: bool
) -> None:
    from auditor.report.terminal import fit_encoding
    from auditor.rundiff import run_diff
    from auditor.rundiff.outputs import render_text, write_outputs

    result = run_diff(before, after)
    written = (
        write_outputs(result, out_dir, lang, protected=(before, after))
        if out_dir is not None
        else []
    )
    if not quiet:
        encoding = getattr(sys.stdout, "encoding", None)
        click.echo(fit_encoding(render_text(result, lang), encoding))  # a GBK console too
        for path in written:
            click.echo(("wrote " if lang == "en" else "已写出 ") + str(path))
    ctx.exit(EXIT_OK)
