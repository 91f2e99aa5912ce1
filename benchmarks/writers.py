"""Workbook writer throughput: findings per second on a bad month's finding set.

    python benchmarks/writers.py                  # 200,000 findings, every writer
    python benchmarks/writers.py --findings 50000 --writers auditor,xlsxwriter

Writes the same synthetic findings (every column of the findings sheet, realistic text
lengths, datetimes, numbers and nulls) with:

- ``auditor``: our whole `violations.xlsx` (``auditor.report.xlsx.write_violations_xlsx``
  through a real ``AuditResult``; the findings sheet is nearly all of it);
- ``xlsxwriter``: xlsxwriter in ``constant_memory`` mode, one ``write_row`` per finding,
  with text kept as text (``strings_to_formulas`` off);
- ``openpyxl``: openpyxl's write-only mode, one ``append`` per finding (it would turn
  ``=…`` text into formulas; it is timed here only as the usual alternative).

It also checks, cheaply, that a finding set longer than a sheet continues on numbered sheets:
the writer's ``max_rows`` is lowered so a few thousand findings need three sheets, and the
sheet names and row counts of the result are read back.

SPEC section 8 target: 50,000 findings a second or better.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import polars as pl

TARGET_PER_SECOND = 50_000
RULES = ("D001", "D002", "D003", "E002", "E005", "A001", "A003", "D010")
SEVERITIES = ("critical", "error", "warning", "info")


def synthetic_findings(n: int) -> pl.DataFrame:
    """`n` findings in the engine's findings schema, built column-wise (no row loop)."""
    from auditor.engine.findings import FINDING_SCHEMA

    i = pl.int_range(0, n, eager=True).alias("i")
    base = datetime(2026, 3, 1)
    frame = pl.DataFrame(i).select(
        pl.lit(pl.Series(RULES)).gather(pl.col("i") % len(RULES)).alias("rule"),
        pl.lit(pl.Series(SEVERITIES)).gather(pl.col("i") % 4).alias("severity"),
        pl.when(pl.col("i") % 3 == 0)
        .then(pl.lit("law"))
        .otherwise(pl.lit("service"))
        .alias("layer"),
        pl.format("2260310{}", pl.col("i").cast(pl.String).str.zfill(11)).alias("case_id"),
        pl.format("4260310{}", (pl.col("i") * 7).cast(pl.String).str.zfill(11)).alias("order_id"),
        pl.format("悦享生活旗舰店{}", pl.col("i") % 5).alias("shop"),
        pl.lit("platform-standard@2026-01-01").alias("policy"),
        pl.lit("《消费者权益保护法》第二十四条；平台规则 4.2").alias("basis"),
        pl.format(
            "审核超时：申请后 48 小时内应审核，实际 {} 小时（售后单 {}）",
            pl.col("i") % 97 + 49,
            pl.col("i"),
        ).alias("message"),
        (pl.lit(base) + pl.duration(minutes=pl.col("i") % 40_000)).alias("due"),
        pl.when(pl.col("i") % 5 == 0)
        .then(None)
        .otherwise(pl.lit(base) + pl.duration(minutes=pl.col("i") % 40_000 + 600))
        .alias("actual"),
        ((pl.col("i") % 1000) / 7).alias("overdue_hours"),
        pl.format("{}|case:{}|platform-standard", pl.col("i"), pl.col("i")).alias("fingerprint"),
        pl.lit("售后-2026-03.xlsx").alias("source_file"),
        pl.lit("Sheet1").alias("source_sheet"),
        (pl.col("i") + 2).alias("source_row"),
        pl.lit("2026-03").alias("month"),
    )
    return frame.cast(FINDING_SCHEMA)


def audit_result(findings: pl.DataFrame):
    """A real AuditResult around `findings` (other frames empty, as in a findings-only test)."""
    from auditor.engine.findings import TODO_SCHEMA
    from auditor.engine.request import AuditResult
    from auditor.engine.scorecards import KPI_SCHEMA
    from auditor.io.issues import ISSUE_SCHEMA
    from auditor.rules.registry import RULES as REGISTRY

    return AuditResult(
        findings=findings,
        todo=pl.DataFrame(schema=TODO_SCHEMA),
        coverage={},
        kpis=pl.DataFrame(schema=KPI_SCHEMA),
        data_issues=pl.DataFrame(schema=ISSUE_SCHEMA),
        inputs=[],
        policies=["platform-standard@2026-01-01"],
        as_of=datetime(2026, 3, 31, 23, 59, 59),
        as_of_source="--as-of",
        cases=findings.height * 10,
        lang="zh",
        rules=list(REGISTRY),
    )


def sheet_frame(findings: pl.DataFrame) -> pl.DataFrame:
    """The findings sheet's columns (labels.frame_columns), the frame the other writers get."""
    from auditor.report.labels import frame_columns

    columns = frame_columns("findings")
    return findings.select(
        pl.col(c) if c in findings.columns else pl.lit(None, dtype=pl.String).alias(c)
        for c in columns
    )


def write_auditor(findings: pl.DataFrame, path: Path) -> None:
    from auditor.report.xlsx import write_violations_xlsx

    write_violations_xlsx(audit_result(findings), path, "zh")


def write_xlsxwriter(findings: pl.DataFrame, path: Path) -> None:
    import xlsxwriter

    frame = sheet_frame(findings)
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd hh:mm:ss",
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        sheet = book.add_worksheet("违规明细")
        sheet.write_row(0, 0, frame.columns)
        for row_number, row in enumerate(frame.iter_rows(), start=1):
            sheet.write_row(row_number, 0, row)


def write_openpyxl(findings: pl.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    frame = sheet_frame(findings)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("违规明细")
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(row)
    book.save(str(path))


WRITERS: dict[str, Callable[[pl.DataFrame, Path], None]] = {
    "auditor": write_auditor,
    "xlsxwriter": write_xlsxwriter,
    "openpyxl": write_openpyxl,
}


def time_writer(name: str, findings: pl.DataFrame, folder: Path, repeat: int = 1) -> dict:
    """Best and median of `repeat` runs: on a shared 2-core machine one run varies by ±20%."""
    path = folder / f"{name}.xlsx"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        WRITERS[name](findings, path)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    return {
        "writer": name,
        "findings": findings.height,
        "runs": repeat,
        "seconds": round(best, 2),
        "per_second": round(findings.height / best),
        "median_per_second": round(findings.height / median),
        "mb": round(path.stat().st_size / 2**20, 1),
    }


def split_check(folder: Path, findings: int = 5_000, max_rows: int = 2_001) -> dict:
    """Write `findings` with a sheet limit of `max_rows` and read back the findings sheets."""
    import fastexcel

    from auditor.report.labels import SHEETS
    from auditor.report.xlsx import EXCEL_MAX_ROWS, split_rows, write_violations_xlsx

    path = folder / "split.xlsx"
    write_violations_xlsx(audit_result(synthetic_findings(findings)), path, "zh", max_rows)
    reader = fastexcel.read_excel(str(path))
    base = SHEETS["zh"]["findings"]
    sheets = [n for n in reader.sheet_names if n.startswith(base)]
    rows = [reader.load_sheet(n, dtypes="string").height for n in sheets]
    return {
        "findings": findings,
        "max_rows": max_rows,
        "sheets": sheets,
        "rows": rows,
        "ok": sum(rows) == findings and all(r <= max_rows - 1 for r in rows) and len(sheets) > 1,
        "sheets_for_1.5M": len(split_rows(1_500_000, EXCEL_MAX_ROWS)),
    }


def render(rows: list[dict]) -> str:
    lines = [
        "| writer | findings | runs | best s | findings / s (best) | findings / s (median) "
        "| file MB | best vs target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['writer']} | {row['findings']:,} | {row.get('runs', 1)} | "
            f"{row['seconds']:.1f} | {row['per_second']:,} | "
            f"{row.get('median_per_second', row['per_second']):,} | {row['mb']:.1f} | "
            f"{row['per_second'] / TARGET_PER_SECOND:.2f}× |"
        )
    return "\n".join(lines)


def run(findings: int, writers: list[str], repeat: int = 3) -> tuple[list[dict], dict]:
    frame = synthetic_findings(findings)
    rows = []
    with tempfile.TemporaryDirectory(prefix="auditor-writers-") as tmp:
        folder = Path(tmp)
        for name in writers:
            # The slow alternatives take a minute or two each: they run once.
            row = time_writer(name, frame, folder, repeat if name == "auditor" else 1)
            rows.append(row)
            print(
                f"writer {name:<10} {row['findings']:>9,} findings  best {row['seconds']:6.1f}s  "
                f"{row['per_second']:>9,}/s  median {row['median_per_second']:>9,}/s "
                f"({row['runs']} runs)",
                flush=True,
            )
        split = split_check(folder)
    print(
        f"sheet split: {split['findings']:,} findings at max_rows {split['max_rows']:,} → "
        f"{split['sheets']} rows {split['rows']} ({'ok' if split['ok'] else 'WRONG'}); "
        f"1,500,000 findings would take {split['sheets_for_1.5M']} sheets",
        flush=True,
    )
    return rows, split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of our writer (best, median)")
    args = parser.parse_args()
    rows, _ = run(args.findings, args.writers.split(","), args.repeat)
    print()
    print(render(rows))


if __name__ == "__main__":
    main()
