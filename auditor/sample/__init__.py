"""Realistic synthetic after-sales (and order) exports: `auditor sample`.

    from auditor.sample import SampleRequest, write_sample
    result = write_sample(SampleRequest(cases=1000, out=Path("demo"), profile="douyin-aftersales",
                                        orders=True))

writes ``demo/cases.xlsx``, ``demo/orders.xlsx`` and ``demo/sample-manifest.json`` (what
was planted: violations by kind with the rules they should fire, quirks and bad rows by
case id). The same request and seed always give the same frames, whatever the format.

For scenarios built by hand (a second month that fixes some cases, …):
``synthesize(request)`` returns the canonical frames without writing, and
``write_frames(cases, path, profile=…, orders=…, orders_path=…)`` writes edited canonical
frames in any layout and format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from auditor.errors import AuditorError, Problem
from auditor.sample.generate import GenerateSpec, Synthetic, generate_month
from auditor.sample.layout import Layout, fold_lines, load_layout, orders_layout_for, render
from auditor.sample.quirks import Planted, plant_cells, plant_rows, plant_times
from auditor.sample.violations import KIND
from auditor.sample.writers import write_frame

FORMATS = ("xlsx", "csv", "parquet")
ENCODINGS = ("utf-8", "gb18030")
MAX_CASES = 5_000_000
MANIFEST = "sample-manifest.json"


@dataclass(frozen=True)
class SampleRequest:
    cases: int
    out: Path
    profile: str = "generic"
    format: str = "xlsx"
    encoding: str = "utf-8"
    bom: bool = True
    orders: bool = False
    orders_profile: str | None = None
    month: str = "2026-03"
    violation_rate: float = 0.1
    seed: int = 0
    shops: int = 3
    quirks: bool = True
    title_rows: int = 0
    lang: str = "zh"
    force: bool = False
    orders_per_case: float = 2.0


@dataclass
class SampleResult:
    files: list[Path]
    cases: int
    orders: int
    profile: str
    orders_profile: str | None
    planted: dict[str, int]
    quirks: dict[str, list[str]]
    export_at: str
    manifest: Path
    expected_rules: dict[str, int] = field(default_factory=dict)


def _problem(zh: str, en: str) -> AuditorError:
    return AuditorError([Problem(zh, en)])


def _check(request: SampleRequest) -> None:
    if not 1 <= request.cases <= MAX_CASES:
        raise _problem(
            f"--cases 须在 1 到 {MAX_CASES} 之间（收到 {request.cases}）",
            f"--cases must be between 1 and {MAX_CASES} (got {request.cases})",
        )
    if not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", request.month):
        raise _problem(
            f"--month 须为 YYYY-MM（收到 {request.month}）",
            f"--month must be YYYY-MM (got {request.month})",
        )
    if not 0 <= request.violation_rate <= 0.5:
        raise _problem(
            "--violation-rate 须在 0 到 0.5 之间",
            "--violation-rate must be between 0 and 0.5",
        )
    if request.format not in FORMATS or request.encoding not in ENCODINGS:
        raise _problem("不支持的格式或编码", "unsupported format or encoding")
    if request.encoding != "utf-8" and request.format != "csv":
        raise _problem("--encoding 只用于 csv 格式", "--encoding applies to the csv format only")


def _targets(request: SampleRequest) -> list[Path]:
    names = [f"cases.{request.format}"] + ([f"orders.{request.format}"] if request.orders else [])
    paths = [request.out / name for name in names] + [request.out / MANIFEST]
    existing = [p for p in paths if p.exists()]
    if existing and not request.force:
        raise AuditorError(
            [
                Problem(
                    "文件已存在，未覆盖（加 --force 覆盖）",
                    "file exists, not overwritten (add --force to overwrite)",
                    file=str(p),
                )
                for p in existing
            ]
        )
    return paths


def _fields(cases_layout: Layout, orders_layout: Layout | None) -> frozenset[str]:
    """What the auditor will see: the case layout, plus what the orders join fills in."""
    fields = set(cases_layout.fields)
    if orders_layout is not None:
        fields.add("orders")
        joined = orders_layout.fields & {"signed_at", "paid_amount", "shop", "category"}
        fields |= joined
        if {"shipped_at", "paid_at"} <= orders_layout.fields:
            fields.add("orders_shipped_at")
    return frozenset(fields)


def synthesize(request: SampleRequest) -> tuple[Synthetic, Layout, Layout | None]:
    """The canonical frames for a request (no files written)."""
    _check(request)
    cases_layout = load_layout(request.profile, "cases")
    orders_layout = None
    if request.orders:
        orders_layout = load_layout(
            request.orders_profile or orders_layout_for(cases_layout), "orders"
        )
    spec = GenerateSpec(
        cases=request.cases,
        month=request.month,
        violation_rate=request.violation_rate,
        seed=request.seed,
        shops=request.shops,
        case_types=cases_layout.case_types,
        fields=_fields(cases_layout, orders_layout),
        orders=request.orders,
        orders_per_case=request.orders_per_case,
    )
    return generate_month(spec), cases_layout, orders_layout


def _titles(layout: Layout, request: SampleRequest, what_zh: str, rows: int) -> tuple[str, ...]:
    """Title rows above the header, as some back-office exports print them (--title-rows)."""
    lines = (
        f"{what_zh}导出（{layout.id}）",
        f"统计月份：{request.month}",
        f"共 {rows} 条记录",
    )
    return lines[: request.title_rows]


def write_sample(request: SampleRequest) -> SampleResult:
    """Generate, render and write the sample files into `request.out`."""
    synthetic, cases_layout, orders_layout = synthesize(request)
    paths = _targets(request)
    request.out.mkdir(parents=True, exist_ok=True)
    planted = Planted()
    cases, orders = synthetic.cases, synthetic.orders if orders_layout is not None else None
    if request.quirks:
        cases, orders = plant_rows(cases, orders, request.seed, planted)
        cases = plant_times(cases, request.seed, planted, cases_layout.fields)
    rendered, id_headers = render(cases, cases_layout, request.lang)
    if request.quirks:
        headers = {
            name: next(a for a in cases_layout.columns[name] if a in rendered.columns)
            for name in cases_layout.columns
            if any(a in rendered.columns for a in cases_layout.columns[name])
        }
        rendered = plant_cells(rendered, cases, headers, request.seed, planted)
    sheet = "售后信息" if cases_layout.platform == "pdd" else "Sheet1"
    write_frame(
        rendered,
        paths[0],
        request.format,
        encoding=request.encoding,
        bom=request.bom,
        id_headers=id_headers,
        platform=cases_layout.platform,
        sheet=sheet,
        titles=_titles(cases_layout, request, "售后单", rendered.height),
    )
    files = [paths[0]]
    order_rows = 0
    if orders_layout is not None and orders is not None:
        if "line_id" not in orders_layout.columns:
            orders = fold_lines(orders)
        rendered_orders, order_ids = render(orders, orders_layout, request.lang)
        write_frame(
            rendered_orders,
            paths[1],
            request.format,
            encoding=request.encoding,
            bom=request.bom,
            id_headers=order_ids,
            platform=orders_layout.platform,
            titles=_titles(orders_layout, request, "订单", rendered_orders.height),
        )
        files.append(paths[1])
        order_rows = rendered_orders.height
    counts = dict(synthetic.planted)
    expected: dict[str, int] = {}
    for kind, count in counts.items():
        for rule in KIND[kind].rules:
            expected[rule] = expected.get(rule, 0) + count
    result = SampleResult(
        files=files,
        cases=rendered.height,
        orders=order_rows,
        profile=cases_layout.id,
        orders_profile=orders_layout.id if orders_layout else None,
        planted=counts,
        quirks=planted.rows,
        export_at=synthetic.export_at.isoformat(),
        manifest=paths[-1],
        expected_rules=dict(sorted(expected.items())),
    )
    _write_manifest(result, request, cases, planted)
    return result


def write_frames(
    cases: pl.DataFrame,
    path: Path,
    *,
    profile: str = "generic",
    orders: pl.DataFrame | None = None,
    orders_path: Path | None = None,
    orders_profile: str | None = None,
    encoding: str = "utf-8",
    lang: str = "zh",
) -> list[Path]:
    """Write canonical frames (as `synthesize` gives them, edited or not) in a layout.

    The format follows the file suffix (.xlsx, .csv, .parquet); no quirks are added.
    """
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise _problem(f"不支持的文件类型 {path.name}", f"unsupported file type {path.name}")
    layout = load_layout(profile, "cases")
    rendered, ids = render(cases, layout, lang)
    write_frame(rendered, path, fmt, encoding=encoding, id_headers=ids, platform=layout.platform)
    written = [path]
    if orders is not None and orders_path is not None:
        orders_layout = load_layout(orders_profile or orders_layout_for(layout), "orders")
        if "line_id" not in orders_layout.columns:
            orders = fold_lines(orders)
        rendered_orders, order_ids = render(orders, orders_layout, lang)
        order_fmt = orders_path.suffix.lstrip(".").lower()
        write_frame(
            rendered_orders,
            orders_path,
            order_fmt,
            encoding=encoding,
            id_headers=order_ids,
            platform=orders_layout.platform,
        )
        written.append(orders_path)
    return written


def _write_manifest(
    result: SampleResult, request: SampleRequest, cases: pl.DataFrame, planted: Planted
) -> None:
    violations = (
        cases.filter(pl.col("_violation").is_not_null())
        .group_by("_violation", maintain_order=True)
        .agg(pl.col("case_id"))
    )
    manifest = {
        "request": {
            "cases": request.cases,
            "profile": result.profile,
            "orders_profile": result.orders_profile,
            "format": request.format,
            "encoding": request.encoding if request.format == "csv" else None,
            "month": request.month,
            "violation_rate": request.violation_rate,
            "seed": request.seed,
            "shops": request.shops,
            "quirks": request.quirks,
        },
        "files": [p.name for p in result.files],
        "rows": {"cases": result.cases, "orders": result.orders},
        "export_at": result.export_at,
        "planted": result.planted,
        "expected_rules_at_least": result.expected_rules,
        "violations": {
            kind: {"rules": list(KIND[kind].rules), "case_ids": ids}
            for kind, ids in zip(
                violations["_violation"], violations["case_id"].to_list(), strict=True
            )
        },
        "quirks": {"rows": planted.rows, "columns": planted.columns},
    }
    tmp = result.manifest.with_name(f".{result.manifest.name}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(result.manifest)
