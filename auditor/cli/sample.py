"""`auditor sample`: realistic synthetic exports (demos, tests, benchmarks)."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.options import FiniteFloatRange

HELP = """生成逼真的模拟售后导出（可含订单导出）。Make realistic synthetic after-sales exports.

\b
示例 Example:
  auditor sample --cases 400 --orders --out demo
  auditor audit demo/cases.xlsx --orders demo/orders.xlsx
\b
  auditor sample --cases 100000 --profile taobao-refund-c --format csv \\
      --encoding gb18030 --orders --month 2026-03 --seed 7 --out bench

\b
写出 Writes: DIR/cases.<ext>, DIR/orders.<ext> (--orders) and DIR/sample-manifest.json,
which lists what was planted: breaches by kind with the rules they fire, quirks and bad rows
by case id. With --violation-rate R, about R x N breaches are planted, one rule of SPEC 6.3
each (a late refund after a return fires D004 and D008 together); every other case is
clean. A few rows carry real export quirks (2026/3/1 10:02, ¥1,299.00; in CSV, ids guarded
as ="…", '… or a leading tab, the platform's way) and bad rows (a duplicated case id, an
impossible date, a refund before its application, a case whose order is missing):
--no-quirks leaves them out. Existing files are not overwritten without --force.
"""


@click.command(name="sample", help=HELP)
@click.option("--cases", "n_cases", type=int, required=True, help="售后单数 Number of cases.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="输出目录 Output folder.",
)
@click.option(
    "--profile",
    default="generic",
    show_default=True,
    help="售后版式 Layout profile id (auditor profiles) or a profile .yaml.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "parquet"]),
    default="xlsx",
    show_default=True,
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "gb18030"]),
    default="utf-8",
    show_default=True,
    help="CSV 编码 CSV encoding.",
)
@click.option("--bom/--no-bom", default=True, show_default=True, help="UTF-8 CSV 带 BOM.")
@click.option("--orders", is_flag=True, help="同时写出订单导出 Also write the orders export.")
@click.option(
    "--orders-profile",
    default=None,
    help="订单版式 Orders layout (default: the platform's own, generic-orders for generic).",
)
@click.option("--month", default="2026-03", show_default=True, help="申请月份 YYYY-MM.")
@click.option(
    "--violation-rate",
    type=float,
    default=0.1,
    show_default=True,
    help="违规案件占比 Share of cases with a planted breach.",
)
# numpy seeds are non-negative; the cap keeps the seed an int64 in the manifest's readers.
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=0,
    show_default=True,
    help="随机种子 Random seed.",
)
@click.option(
    "--shops", type=click.IntRange(1, 5), default=3, show_default=True, help="店铺数 Shops."
)
@click.option(
    "--quirks/--no-quirks", default=True, show_default=True, help="导出怪癖与坏行 Quirks, bad rows."
)
@click.option(
    "--title-rows",
    type=click.IntRange(0, 3),
    default=0,
    show_default=True,
    help="表头上方标题行数 Title rows above the header.",
)
@click.option(
    "--orders-per-case",
    type=FiniteFloatRange(1.0, 20.0),
    default=2.0,
    show_default=True,
    help="订单数/售后单数 Orders per case in the orders export.",
)
@click.option("--force", is_flag=True, help="覆盖已有文件 Overwrite existing sample files.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_context
def sample(ctx: click.Context, **options: object) -> None:
    from auditor.sample import SampleRequest, write_sample

    lang = str(options["lang"])
    request = SampleRequest(
        cases=int(options["n_cases"]),  # type: ignore[call-overload]
        out=options["out"],  # type: ignore[arg-type]
        profile=str(options["profile"]),
        format=str(options["fmt"]),
        encoding=str(options["encoding"]),
        bom=bool(options["bom"]),
        orders=bool(options["orders"]),
        orders_profile=options["orders_profile"],  # type: ignore[arg-type]
        month=str(options["month"]),
        violation_rate=float(options["violation_rate"]),  # type: ignore[arg-type]
        seed=int(options["seed"]),  # type: ignore[call-overload]
        shops=int(options["shops"]),  # type: ignore[call-overload]
        quirks=bool(options["quirks"]),
        title_rows=int(options["title_rows"]),  # type: ignore[call-overload]
        lang=lang,
        force=bool(options["force"]),
        orders_per_case=float(options["orders_per_case"]),  # type: ignore[arg-type]
    )
    result = write_sample(request)
    planted = sum(result.planted.values())
    for path in result.files:
        click.echo(str(path))
    if lang == "en":
        click.echo(
            f"{result.cases} cases ({result.profile})"
            + (
                f", {result.orders} order rows ({result.orders_profile})"
                if result.orders_profile
                else ""
            )
            + f"; {planted} planted violations; exported at {result.export_at}; manifest {result.manifest}"
        )
    else:
        click.echo(
            f"售后单 {result.cases} 行（{result.profile}）"
            + (
                f"，订单 {result.orders} 行（{result.orders_profile}）"
                if result.orders_profile
                else ""
            )
            + f"；植入违规 {planted} 处；导出时间 {result.export_at}；清单 {result.manifest}"
        )
    ctx.exit(0)
