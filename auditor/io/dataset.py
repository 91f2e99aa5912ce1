"""`load()`: raw files in, validated canonical frames and located data issues out.

contracts.md section 1. Steps: read every sheet of every file, find each sheet's layout
and header row, map and clean it (Q001 for unreadable cells), merge, drop duplicated case
ids, repeated order rows and lines of an order id another shop used first (Q002), classify
reasons (Q005), fold and join the orders (Q004), then validate with pandera and the
timeline/future checks (Q001, Q003, Q007), each located at its cell.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from auditor.errors import AuditorError, Problem
from auditor.io.cleaning import DATETIME
from auditor.io.issues import concat_issues, finalise_issues, issue_rows
from auditor.io.join import (
    INHERITED,
    ORDER_TIMES,
    PER_ORDER,
    fold_orders,
    join_orders,
    lines_for_join,
)
from auditor.io.layout import (
    REPEATED_AMOUNT,
    Detection,
    detect,
    map_sheet,
    missing_required_issues,
)
from auditor.io.preflight import Limits
from auditor.io.profile import Profile, bundled_profiles, resolve_profile
from auditor.io.readers import RawSheet, read_sheets
from auditor.io.reasons import apply_reasons, load_reason_table
from auditor.model import checks, schemas
from auditor.model.fields import (
    CASE_FIELDS,
    ORDER_FIELD,
    ORDER_FIELDS,
    SOURCE_COLUMNS,
    Field,
    Kind,
)

BEIJING = ZoneInfo("Asia/Shanghai")
DTYPES = {
    Kind.ID: pl.String,
    Kind.TEXT: pl.String,
    Kind.ENUM: pl.String,
    Kind.AMOUNT: pl.Float64,
    Kind.DATETIME: DATETIME,
    Kind.BOOL: pl.Boolean,
    Kind.INT: pl.Int64,
}
SOURCE_DTYPES = {
    "_src_file": pl.String,
    "_src_sheet": pl.String,
    "_src_row": pl.Int64,
    "_input": pl.Int32,
}
LETTER_SCHEMA = {
    "_input": pl.Int32,
    "_src_sheet": pl.String,
    "column": pl.String,
    "letter": pl.String,
}


@dataclass(frozen=True)
class SheetInfo:
    sheet: str | None
    profile: str
    header_row: int  # 1-based row number of the header
    signature: tuple[str, ...]  # the signature headers that matched (normalised)
    rows: int
    columns: dict[str, str]  # canonical field -> header as written in the file


@dataclass(frozen=True)
class InputInfo:
    path: str  # as given
    sha256: str
    kind: str  # "cases" | "orders"
    profile: str  # id (several sheets of different layouts: ids joined with "+")
    rows: int  # data rows read
    fields: frozenset[str]
    sheets: tuple[str | None, ...]
    format: str = ""
    details: tuple[SheetInfo, ...] = field(default=(), compare=False)
    # How the input was taken, when it was not as given: a CASES file that matches only an
    # orders layout is read as an orders export, and these say so (zh, en).
    note_zh: str = ""
    note_en: str = ""

    def why(self) -> str:
        """Which signature headers matched, per sheet."""
        parts = []
        for d in self.details:
            where = f"{d.sheet}!" if d.sheet else ""
            parts.append(f"{where}{d.header_row}: {', '.join(d.signature)}")
        return "; ".join(parts)


@dataclass
class Dataset:
    cases: pl.DataFrame
    orders: pl.DataFrame | None
    inputs: list[InputInfo]
    data_issues: pl.DataFrame
    run_started: datetime | None = None
    # Each canonical field's column letter per input and sheet (LETTER_SCHEMA), so a check
    # made after reading (Q006) can still point at its cell.
    letters: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=LETTER_SCHEMA))

    def field_present(self, name: str) -> pl.Expr:
        """True where the row's layout (or, for inherited fields, its order) has `name`."""
        if name == "shop":  # always set: the case, its order, or the file name
            return pl.col("_input").is_not_null()
        source = "reason" if name == "reason_class" else name
        carried = [i for i, info in enumerate(self.inputs) if source in info.fields]
        present = pl.col("_input").is_in(carried)
        orders_carry = any(name in i.fields for i in self.inputs if i.kind == "orders")
        if name in INHERITED and orders_carry:
            present = present | pl.col("_order_found")
        return present


# --------------------------------------------------------------------------- helpers


def beijing_now() -> datetime:
    return datetime.now(BEIJING).replace(tzinfo=None)


def _naive_beijing(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(BEIJING).replace(tzinfo=None)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _digests_in_background(paths: Sequence[str]) -> Callable[[str], str]:
    """Each input's sha256, worked out on another thread while the inputs are parsed
    (hashlib lets go of the GIL): `digest(path)` waits for it. A file that cannot be
    opened is left to the reader, whose located error comes first."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
    # Regular files only: a device or a pipe is refused by the reader, never read here.
    futures = {
        path: pool.submit(_sha256, path) for path in dict.fromkeys(paths) if Path(path).is_file()
    }
    pool.shutdown(wait=False)

    def digest(path: str) -> str:
        return futures[path].result() if path in futures else _sha256(path)

    return digest


def conform(
    frame: pl.DataFrame, fields: Sequence[Field], extra: dict | None = None
) -> pl.DataFrame:
    """Every canonical field as a typed column (null when absent), then the source columns."""
    columns = []
    for spec in fields:
        dtype = DTYPES[spec.kind]
        if spec.name in frame.columns:
            columns.append(pl.col(spec.name).cast(dtype).alias(spec.name))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(spec.name))
    for name, dtype in {**SOURCE_DTYPES, **(extra or {})}.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)


def _empty(fields: Sequence[Field]) -> pl.DataFrame:
    schema = {f.name: DTYPES[f.kind] for f in fields} | SOURCE_DTYPES
    return pl.DataFrame(schema=schema)


@dataclass
class _Read:
    frames: list[pl.DataFrame] = field(default_factory=list)
    issues: list[pl.DataFrame] = field(default_factory=list)
    letters: list[dict] = field(default_factory=list)
    inputs: list[InputInfo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _candidates(kind: str, forced: Profile | None) -> list[Profile]:
    if forced is not None and forced.kind == kind:
        return [forced]
    return [p for p in bundled_profiles().values() if p.kind == kind]


def _read_sheets(path: str, acc: _Read, limits: Limits | None) -> tuple[list[RawSheet], str] | None:
    """The file's sheets and format, or None with its problem recorded."""
    try:
        return read_sheets(path, limits)
    except AuditorError as exc:
        acc.problems.extend(exc.problems)
        return None


def _detections(
    sheets: list[RawSheet], candidates: list[Profile]
) -> list[tuple[RawSheet, Detection]]:
    """(sheet, detection) for every sheet some candidate layout matches."""
    found = ((sheet, detect(sheet, candidates)) for sheet in sheets)
    return [(sheet, detection) for sheet, detection in found if detection is not None]


def _map_input(
    path: str,
    kind: str,
    index: int,
    fmt: str,
    matched: list[tuple[RawSheet, Detection]],
    acc: _Read,
    digest: Callable[[str], str] = _sha256,
    note: tuple[str, str] = ("", ""),
) -> None:
    """Map the `matched` sheets of one input (format `fmt`) as `kind`, numbered `index`
    (`_input`)."""
    fields = CASE_FIELDS if kind == "cases" else ORDER_FIELDS
    required = [f for f in fields if f.required]
    details: list[SheetInfo] = []
    carried: set[str] = set()
    rows = 0
    for sheet, found in matched:
        mapped = map_sheet(sheet, found, input_index=index)
        acc.frames.append(mapped.frame)
        acc.issues.append(mapped.issues)
        acc.issues.append(missing_required_issues(mapped, required, path, sheet.sheet))
        acc.letters += [
            {"_input": index, "_src_sheet": sheet.sheet, "column": name, "letter": letter}
            for name, letter in mapped.letters.items()
        ]
        carried |= mapped.fields
        rows += mapped.rows
        details.append(
            SheetInfo(
                sheet.sheet,
                found.profile.id,
                sheet.row_of(found.header_index) if fmt != "parquet" else 1,
                found.signature,
                mapped.rows,
                mapped.headers_used,
            )
        )
    if "reason" in carried:
        carried.add("reason_class")
    carried.add("shop")
    profiles = list(dict.fromkeys(d.profile for d in details))
    acc.inputs.append(
        InputInfo(
            path=path,
            sha256=digest(path),
            kind=kind,
            profile="+".join(profiles),
            rows=rows,
            fields=frozenset(carried),
            sheets=tuple(d.sheet for d in details),
            format=fmt,
            details=tuple(details),
            note_zh=note[0],
            note_en=note[1],
        )
    )


def _read_input(
    path: str,
    kind: str,
    index: int,
    forced: Profile | None,
    acc: _Read,
    limits: Limits | None = None,
    digest: Callable[[str], str] = _sha256,
) -> None:
    read = _read_sheets(path, acc, limits)
    if read is None:
        return
    sheets, fmt = read
    candidates = _candidates(kind, forced)
    matched = _detections(sheets, candidates)
    if not matched:
        acc.problems.append(_no_layout_problem(path, kind, sheets, candidates, forced))
        return
    _map_input(path, kind, index, fmt, matched, acc, digest)


@dataclass
class _Moved:
    """A CASES file that matches no after-sales layout but an orders layout."""

    path: str
    fmt: str
    matched: list[tuple[RawSheet, Detection]]

    @property
    def profiles(self) -> str:
        return ", ".join(dict.fromkeys(d.profile.id for _, d in self.matched))

    def note(self) -> tuple[str, str]:
        return (
            f"不符合任何售后版式档案，但符合订单版式档案 {self.profiles}："
            "已作为订单导出（--orders）读取",
            f"matches no after-sales layout but the orders layout {self.profiles}: read as an "
            "orders export (--orders)",
        )


def _read_cases(
    paths: Sequence[str],
    forced: Profile | None,
    acc: _Read,
    limits: Limits | None,
    digest: Callable[[str], str],
) -> list[_Moved]:
    """Read the CASES files, numbered in order. One that matches no after-sales layout but
    an orders layout (`--orders orders/*.xlsx`: the shell gives the second file as a CASES
    argument) is returned, to be read as an orders export; every other one would stop the
    run as it did. Only when no CASES file is left does such a file stop the run, saying
    it belongs to --orders."""
    moved: list[_Moved] = []
    for path in paths:
        read = _read_sheets(path, acc, limits)
        if read is None:
            continue
        sheets, fmt = read
        candidates = _candidates("cases", forced)
        matched = _detections(sheets, candidates)
        if matched:
            _map_input(path, "cases", len(acc.inputs), fmt, matched, acc, digest)
            continue
        as_orders = _detections(sheets, _candidates("orders", forced))
        if as_orders:
            moved.append(_Moved(path, fmt, as_orders))
        else:
            acc.problems.append(_no_layout_problem(path, "cases", sheets, candidates, forced))
    if moved and not acc.inputs:
        acc.problems += [_orders_not_cases_problem(m) for m in moved]
        return []
    return moved


def _orders_not_cases_problem(moved: _Moved) -> Problem:
    return Problem(
        f"没有工作表符合任何售后版式档案；这是订单导出（版式 {moved.profiles}），请用 --orders "
        "给出，并给出售后导出文件",
        f"no sheet matches any after-sales layout profile; this is an orders export (layout "
        f"{moved.profiles}): give it with --orders, and give the after-sales exports as CASES",
        file=moved.path,
    )


def _no_layout_problem(path, kind, sheets, candidates, forced) -> Problem:
    seen = ""
    if sheets and sheets[0].head:
        first = next((row for row in sheets[0].head if any(c for c in row)), [])
        seen = ", ".join(str(c) for c in first if c)[:120]
    what_zh = "售后" if kind == "cases" else "订单"
    what_en = "after-sales" if kind == "cases" else "order"
    if forced is not None and forced.kind == kind:
        need = ", ".join(forced.raw_required)
        return Problem(
            f"没有工作表符合版式档案 {forced.id}（前 30 行中找不到表头 {need}）；看到的首行：{seen}",
            f"no sheet matches profile {forced.id} (no header row with {need} in the "
            f"first 30 rows); first row seen: {seen}",
            file=path,
        )
    return Problem(
        f"没有工作表符合任何{what_zh}版式档案（auditor profiles 可列出全部）；看到的首行：{seen}",
        f"no sheet matches any {what_en} layout profile (see `auditor profiles`); "
        f"first row seen: {seen}",
        file=path,
    )


def _letters_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=LETTER_SCHEMA) if rows else pl.DataFrame(schema=LETTER_SCHEMA)


def _with_letter(frame: pl.DataFrame, letters: pl.DataFrame, column: str) -> pl.DataFrame:
    mine = letters.filter(pl.col("column") == column).select(
        "_input", "_src_sheet", pl.col("letter").alias("__letter")
    )
    # Only the two key columns go through the join: joining the whole frame would copy
    # every column of a million cases for one letter per sheet.
    letter = (
        frame.select("_input", "_src_sheet")
        .join(
            mine, on=["_input", "_src_sheet"], how="left", nulls_equal=True, maintain_order="left"
        )
        .get_column("__letter")
    )
    return frame.with_columns(letter)


def locate(found: pl.DataFrame, frame: pl.DataFrame, letters: pl.DataFrame) -> pl.DataFrame:
    """Row-indexed check results (`_row`, check?, column, value, messages) -> issue rows."""
    if found.height == 0:
        return concat_issues([])
    id_cols = [c for c in ("case_id", "order_id") if c in frame.columns]
    rows = frame.select(*id_cols, *SOURCE_COLUMNS).with_row_index("_row")
    located = found.join(
        rows.with_columns(pl.col("_row").cast(pl.Int64)), on="_row", how="left"
    ).join(
        letters.rename({"letter": "__letter"}),
        on=["_input", "_src_sheet", "column"],
        how="left",
        nulls_equal=True,
    )
    if "check" not in located.columns:
        located = located.with_columns(pl.lit("Q001").alias("check"))
    parts = []
    for check in located["check"].unique(maintain_order=True).to_list():
        part = located.filter(pl.col("check") == check)
        for column in part["column"].unique(maintain_order=True).to_list():
            sub = part.filter(pl.col("column").eq_missing(column))
            parts.append(
                issue_rows(
                    sub,
                    check=check,
                    column=column,
                    value=pl.col("value"),
                    letter=pl.col("__letter"),
                    message_zh=pl.col("message_zh"),
                    message_en=pl.col("message_en"),
                )
            )
    return concat_issues(parts)


def first_occurrence(ids: pl.Series) -> pl.Series:
    """True on each id's first row, and on every null id.

    Worked out on 64-bit hashes: a row whose hash is unique is its id's only row; only the
    rows whose hash repeats (the duplicates, and any id sharing a hash by chance) are
    compared as text, in order. Exactly the text's `is_first_distinct`, 2.5x faster.
    """
    unique = ids.hash().is_unique()
    repeats = (~unique).arg_true()
    first = unique.scatter(repeats, ids.gather(repeats).is_first_distinct())
    return first | ids.is_null()


def _duplicates(cases: pl.DataFrame, letters: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Q002: a repeated case_id keeps its first row (file order, sheet, row)."""
    ids = pl.col("case_id").drop_nulls()
    # Distinct hashes prove distinct ids (the usual case) and are counted about four times
    # faster than first_occurrence finds first rows: that one runs only when some repeat.
    no_repeats = cases.select(ids.hash().n_unique() == ids.len()).item()
    if no_repeats:  # no filtered copy of every column; no issue rows
        flagged = cases.clear().with_columns(pl.lit(True).alias("__first"))
    else:
        flagged = cases.with_columns(first_occurrence(cases["case_id"]).alias("__first"))
    later = _with_letter(flagged.filter(~pl.col("__first")), letters, "case_id")
    firsts = flagged.filter(pl.col("__first"))
    kept_at = firsts.filter(pl.col("case_id").is_in(later["case_id"].unique().implode())).select(
        "case_id", _source_row().alias("__kept")
    )
    later = later.join(kept_at, on="case_id", how="left", maintain_order="left")
    issues = _q002(
        later,
        "case_id",
        message_zh=pl.format("售后单号重复；以首次出现（{} 行）为准，本行不审计", pl.col("__kept")),
        message_en=pl.format(
            "duplicate case_id; the first row ({}) is audited, this one is not", pl.col("__kept")
        ),
    )
    return (cases if no_repeats else firsts.drop("__first")), issues


def _source_row() -> pl.Expr:
    """Where a row was read, as the messages quote it: `file!sheet!row` (`file!row`)."""
    return pl.format(
        "{}{}",
        pl.when(pl.col("_src_sheet").is_not_null())
        .then(pl.format("{}!{}!", pl.col("_src_file"), pl.col("_src_sheet")))
        .otherwise(pl.format("{}!", pl.col("_src_file"))),
        pl.col("_src_row"),
    )


def _q002(later: pl.DataFrame, column: str, message_zh: pl.Expr, message_en: pl.Expr):
    """Q002 rows for the repeated rows `later` (each with its `__letter`), at their id cell."""
    return issue_rows(
        later,
        check="Q002",
        column=column,
        value=pl.col(column),
        letter=pl.col("__letter"),
        message_zh=message_zh,
        message_en=message_en,
    )


def _repeated_order_lines(
    lines: pl.DataFrame, letters: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Q002 for orders: a line listed again with every mapped field equal (the same export
    given twice, overlapping exports, a copied row) counts once, so its amount is not added
    twice; each later listing is reported with where the kept one was read."""
    mapped = [f.name for f in ORDER_FIELDS]
    # Equal rows share their order and line ids: pairs whose hash is unique (nearly every
    # row of a usual export) are proved distinct at the cost of hashing two columns.
    keys = lines.select("order_id", "line_id").hash_rows()
    if keys.n_unique() == keys.len():
        return lines, concat_issues([])
    unique = keys.is_unique()
    maybe = (~unique).arg_true()
    rows = lines.select(pl.struct(mapped).alias("__row")).get_column("__row")
    first = unique.scatter(maybe, first_occurrence(rows.gather(maybe)))
    if first.all():
        return lines, concat_issues([])
    flagged = lines.with_columns(first.alias("__first"))
    later = _with_letter(flagged.filter(~pl.col("__first")), letters, "order_id")
    kept_at = (
        flagged.filter(pl.col("__first"))
        .join(later.select(mapped).unique(), on=mapped, how="semi", nulls_equal=True)
        .select(*mapped, _source_row().alias("__kept"))
    )
    later = later.join(kept_at, on=mapped, how="left", nulls_equal=True, maintain_order="left")
    issues = _q002(
        later,
        "order_id",
        message_zh=pl.format(
            "订单行重复：与 {} 行各字段完全相同（同一导出给了两次或导出重叠？）；只计一次",
            pl.col("__kept"),
        ),
        message_en=pl.format(
            "repeated order line: every field equals the row at {} (the same export given "
            "twice, or overlapping exports?); it counts once",
            pl.col("__kept"),
        ),
    )
    return flagged.filter(pl.col("__first")).drop("__first"), issues


def _order_shop_keys(lines: pl.DataFrame) -> tuple[pl.Series, int]:
    """One key per (order id, shop): the id's hash with its lowest bits taken by the shop's
    exact number; the key divided by the returned step is the order's key."""
    # A categorical's codes number the distinct shops exactly, four times faster than a
    # dense rank (2M lines: 0.06 s against 0.25 s); null shops are 0, the others from 1.
    codes = lines.get_column("shop").cast(pl.Categorical).to_physical().cast(pl.UInt64)
    shop_rank = (codes + 1).fill_null(0)
    step = 2 ** int(shop_rank.max() or 0).bit_length()
    return lines.get_column("order_id").hash() // step * step + shop_rank, step


def _may_have_two_shops(lines: pl.DataFrame) -> pl.Series | None:
    """True on each line of an order key that has lines of two shops; None when none has.

    As many order keys as (order, shop) keys proves each order has one shop (nearly every
    export), and nothing else runs. Ids sharing a hash by chance can only add (order, shop)
    keys, so a shop is never hidden: at worst a few lines are compared for nothing.
    """
    keys, step = _order_shop_keys(lines)
    # A blank shop (an export without a shop column) is unknown, not a shop of its own:
    # only named shops are counted.
    pairs = keys.filter(keys % step != 0).unique()
    orders = pairs // step
    if orders.n_unique() == pairs.len():
        return None
    mixed = orders.filter(orders.is_duplicated())
    return (keys // step).is_in(mixed.implode())


def _other_shops_lines(
    lines: pl.DataFrame, letters: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Q002 for an order id that two shops' exports share (platforms number orders alike):
    the lines of the shop seen first (file order, sheet, row) are the order; another shop's
    lines are left out of it, each reported with where the kept order was read. Lines of
    one shop in several files (overlapping monthly exports) stay one order, and so do lines
    with a blank shop: an export without a shop column names no shop, so two of them (or
    one and a named shop) are not two shops (_orders_listed_again looks at those)."""
    maybe = _may_have_two_shops(lines) if lines.height else None
    if maybe is None:
        return lines, concat_issues([])
    named = pl.col("shop").is_not_null()
    first_shop = pl.col("shop").drop_nulls().first().over("order_id")
    # One chunk: see _orders_listed_again (a polars panic on several chunks).
    suspects = (
        lines.filter(maybe)
        .rechunk()
        .with_columns(
            (named & pl.col("shop").ne(first_shop)).alias("__other"),
            first_shop.alias("__first_shop"),
            _source_row().filter(named).first().over("order_id").alias("__kept"),
        )
    )
    other = maybe.scatter(maybe.arg_true(), suspects.get_column("__other"))
    if not other.any():
        return lines, concat_issues([])
    later = _with_letter(suspects.filter(pl.col("__other")), letters, "order_id")
    issues = _q002(
        later,
        "order_id",
        message_zh=pl.format(
            "订单编号与 {} 行的订单相同但店铺不同（本行 {}，该订单 {}）；以首次出现为准，本行不计",
            pl.col("__kept"),
            pl.col("shop"),
            pl.col("__first_shop"),
        ),
        message_en=pl.format(
            "order_id is the same as the order at {} but the shop differs (this row: {}, "
            "that order: {}); the first one counts, this line does not",
            pl.col("__kept"),
            pl.col("shop"),
            pl.col("__first_shop"),
        ),
    )
    return lines.filter(~other), issues


def _with_per_order(lines: pl.DataFrame, letters: pl.DataFrame) -> pl.DataFrame:
    """`_per_order`: the row is a whole order, from an export with no line column (Qianniu,
    PDD, generic orders), decided per export so a month mixing per-line and per-order
    exports folds each as it is. A JD-style export repeating the order's amount on each
    product row (`_amount_repeated`) is folded as before."""
    with_lines = letters.filter(pl.col("column") == "line_id").get_column("_input").unique()
    return lines.with_columns(
        (
            pl.col("line_id").is_null()
            & ~pl.col("_amount_repeated").fill_null(False)
            & ~pl.col("_input").is_in(with_lines.implode())
        ).alias(PER_ORDER)
    )


def _money(amount: pl.Expr) -> pl.Expr:
    """An amount as the messages write it: two decimals (`100.00`)."""
    cents = (amount * 100).round(0).cast(pl.Int64)
    return pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2))


def _moment(moment: pl.Expr) -> pl.Expr:
    return moment.dt.to_string("%Y-%m-%d %H:%M:%S")


def _differing_fields(
    first: pl.Expr, names: Sequence[str], lang: str, key: Sequence[str] = ("order_id",)
) -> pl.Expr:
    """The names of the fields (of `names`) whose value differs from the first row's."""
    return pl.concat_str(
        [
            pl.when(pl.col(n).ne_missing(pl.col(n).filter(first).first().over(list(key))))
            .then(pl.lit(ORDER_FIELD[n].zh if lang == "zh" else n))
            .otherwise(None)
            for n in names
        ],
        separator="、" if lang == "zh" else ", ",
        ignore_nulls=True,
    )


def _orders_listed_again(
    lines: pl.DataFrame, letters: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Q002 for an order listed again in an export of one row per order (two overlapping
    monthly exports, a repeated row): the same order, not a second line, so fold_orders
    adds its times (a shipped listing wins over one taken before shipping) but not its
    amount. Each later listing is reported with where the order was first read, the fields
    that differ, and the amount counted when its own differs. A listing paid at another
    time is another order with the same id (two shops' exports without a shop column):
    the first counts, that row is left out, as for two named shops."""
    per_order = lines.get_column(PER_ORDER)
    # One hash count proves the usual export (no order id listed twice); only the rows
    # whose hash repeats are looked at further.
    hashes = lines.get_column("order_id").hash().filter(per_order)
    if hashes.n_unique() == hashes.len():
        return lines, concat_issues([])
    # (Series.scatter writes in place: each mask is scattered into its own copy.)
    maybe = per_order.clone().scatter(per_order.arg_true(), hashes.is_duplicated())
    at = maybe.arg_true()
    first = pl.int_range(pl.len()).over("order_id") == 0
    paid_at = pl.col("paid_at").drop_nulls().first().over("order_id")
    suspects = (
        # One chunk: a window over formatted text panics in polars 2.1 on a frame of
        # several chunks (the exports concatenated), one of them emptied by the filter.
        lines.filter(maybe)
        .rechunk()
        .with_columns(
            first.alias("__first"),
            (pl.col("paid_at").ne(paid_at) & ~first).fill_null(False).alias("__other"),
            _source_row().first().over("order_id").alias("__kept"),
            _moment(paid_at).alias("__first_paid"),
        )
        .with_columns(
            # The amount fold_orders keeps: the first stated one of the rows it folds.
            pl.col("paid_amount")
            .filter(~pl.col("__other"))
            .drop_nulls()
            .first()
            .over("order_id")
            .alias("__amount")
        )
    )
    if suspects.get_column("__first").all():  # ids that only share a hash
        return lines, concat_issues([])
    other = maybe.clone().scatter(at, suspects.get_column("__other"))
    compared = [f.name for f in ORDER_FIELDS if f.name not in ("order_id", "line_id")]
    again = _with_letter(
        suspects.with_columns(
            _differing_fields(pl.col("__first"), compared, "zh").alias("__diff_zh"),
            _differing_fields(pl.col("__first"), compared, "en").alias("__diff_en"),
            pl.col("paid_amount").ne(pl.col("__amount")).fill_null(False).alias("__amount_differs"),
        ).filter(~pl.col("__first")),
        letters,
        "order_id",
    )
    amount_zh = pl.when(pl.col("__amount_differs")).then(
        pl.format(
            "；实付金额不一致（本行 {}，按 {} 计）",
            _money(pl.col("paid_amount")),
            _money(pl.col("__amount")),
        )
    )
    amount_en = pl.when(pl.col("__amount_differs")).then(
        pl.format(
            "; the paid amounts differ (this row {}, {} is counted)",
            _money(pl.col("paid_amount")),
            _money(pl.col("__amount")),
        )
    )
    issues = _q002(
        again,
        "order_id",
        message_zh=pl.when(pl.col("__other"))
        .then(
            pl.format(
                "订单编号与 {} 行的订单相同，但付款时间不同（本行 {}，该订单 {}），不是同一订单"
                "（两个店铺的订单编号相同？）；以首次出现为准，本行不计",
                pl.col("__kept"),
                _moment(pl.col("paid_at")),
                pl.col("__first_paid"),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.format(
                    "同一订单再次列出：订单编号与 {} 行相同（导出重叠？），{}不同；"
                    "按一个订单计，金额不相加，付款时间取最早、发货和签收时间取最晚",
                    pl.col("__kept"),
                    pl.col("__diff_zh"),
                ),
                amount_zh,
                ignore_nulls=True,
            )
        ),
        message_en=pl.when(pl.col("__other"))
        .then(
            pl.format(
                "order_id is the same as the order at {} but the paid time differs (this row: "
                "{}, that order: {}), so it is not the same order (two shops numbering orders "
                "alike?); the first one counts, this row does not",
                pl.col("__kept"),
                _moment(pl.col("paid_at")),
                pl.col("__first_paid"),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.format(
                    "the same order listed again: order_id as at {} (overlapping exports?), "
                    "differing in {}; counted as one order: amounts not added, the earliest "
                    "paid time and the latest shipped and signed times kept",
                    pl.col("__kept"),
                    pl.col("__diff_en"),
                ),
                amount_en,
                ignore_nulls=True,
            )
        ),
    )
    return (lines.filter(~other) if other.any() else lines), issues


LINE_KEY = ("order_id", "line_id")
# How one line's listings merge their times: it was ordered and paid once, and a later
# export may know of its shipping and signing (as fold_orders merges an order's lines).
MERGED_TIMES = {"ordered_at": "min", "paid_at": "min", "shipped_at": "max", "signed_at": "max"}


def _lines_listed_again(
    lines: pl.DataFrame, letters: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Q002 for a sub-order line listed again with other facts (two overlapping per-line
    exports, the first taken before the line shipped): one line, its first listing's
    amount, its times merged (the latest shipped and signed), so neither the fold nor a
    case naming the line keeps the stale listing. Each later listing is reported with
    where the line was first read and the fields that differ. (Listings equal in every
    field: _repeated_order_lines.)"""
    with_line = lines.get_column("line_id").is_not_null()
    keys = lines.select(*LINE_KEY).hash_rows()
    listed = keys.filter(with_line)
    # One hash count proves the usual export (every line listed once).
    if listed.n_unique() == listed.len():
        return lines, concat_issues([])
    maybe = with_line & keys.is_duplicated()
    at = maybe.arg_true()
    key = list(LINE_KEY)
    suspects = (
        lines.filter(maybe)
        .rechunk()  # one chunk: see _orders_listed_again
        .with_columns(
            (pl.int_range(pl.len()).over(key) == 0).alias("__first"),
            _source_row().first().over(key).alias("__kept"),
            *[
                getattr(pl.col(name), how)().over(key).alias(f"__merged_{name}")
                for name, how in MERGED_TIMES.items()
            ],
        )
    )
    first = suspects.get_column("__first")
    if first.all():  # (order, line) pairs that only share a hash
        return lines, concat_issues([])
    compared = [f.name for f in ORDER_FIELDS if f.name not in LINE_KEY]
    later = _with_letter(
        suspects.with_columns(
            _differing_fields(pl.col("__first"), compared, "zh", key).alias("__diff_zh"),
            _differing_fields(pl.col("__first"), compared, "en", key).alias("__diff_en"),
        ).filter(~pl.col("__first")),
        letters,
        "order_id",
    )
    issues = _q002(
        later,
        "order_id",
        message_zh=pl.format(
            "同一订单行再次列出：订单编号和子订单号与 {} 行相同（导出重叠？），{}不同；"
            "按一行计，金额不相加，付款时间取最早、发货和签收时间取最晚",
            pl.col("__kept"),
            pl.col("__diff_zh"),
        ),
        message_en=pl.format(
            "the same order line listed again: order_id and line_id as at {} (overlapping "
            "exports?), differing in {}; counted as one line: amounts not added, the earliest "
            "paid time and the latest shipped and signed times kept",
            pl.col("__kept"),
            pl.col("__diff_en"),
        ),
    )
    kept_at = at.filter(first)
    kept = suspects.filter(pl.col("__first"))
    merged = [
        lines.get_column(name).clone().scatter(kept_at, kept.get_column(f"__merged_{name}"))
        for name in MERGED_TIMES
    ]
    dropped = maybe.clone().scatter(at, ~first)
    return lines.with_columns(merged).filter(~dropped), issues


def _drop_unidentified(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    # A row with no id cannot be a case or an order; pandera has reported it (Q001).
    return frame.filter(pl.col(key).is_not_null())


def _file_stem() -> pl.Expr:
    """The row's file name without folder and extension (`店铺A-3月.xlsx` -> `店铺A-3月`)."""
    return pl.col("_src_file").str.replace(r"^.*[/\\]", "").str.replace(r"\.[^.]*$", "")


def _default_shop(frame: pl.DataFrame) -> pl.DataFrame:
    """A blank shop is the file name without folder and extension (`店铺A-3月.xlsx`)."""
    return frame.with_columns(pl.coalesce(pl.col("shop"), _file_stem()).alias("shop"))


def _order_shops(cases: pl.DataFrame, orders: pl.DataFrame) -> dict[int, str]:
    """For each orders export some of whose orders have no shop: the one shop of the cases
    that name its orders, when they are all of one shop. Such an export is then that shop's
    (its D010 judged by that shop's policy, its orders counted in that shop's K005), not a
    shop named after the orders file (`店铺A.csv` with `订单/A.csv`)."""
    if orders.get_column("shop").null_count() == 0 or "_order_input" not in cases.columns:
        return {}
    shops = (
        cases.filter(pl.col("_order_input").is_not_null())
        .group_by("_order_input")
        .agg(pl.col("shop").n_unique().alias("n"), pl.col("shop").first())
        .filter(pl.col("n") == 1)
    )
    return dict(zip(shops["_order_input"].to_list(), shops["shop"].to_list(), strict=True))


def _orders_with_shops(orders: pl.DataFrame, by_input: dict[int, str]) -> pl.DataFrame:
    """A blank order shop: its export's shop (_order_shops), else the orders file's name."""
    if orders.get_column("shop").null_count() == 0:
        return orders
    from_cases = pl.col("_input").replace_strict(by_input, default=None, return_dtype=pl.String)
    return orders.with_columns(pl.coalesce("shop", from_cases, _file_stem()).alias("shop"))


# --------------------------------------------------------------------------- load


def _taken(read: _Read) -> list[pl.DataFrame]:
    """The mapped frames, handed over: `read` lets go of them, so the columns the stage drops
    (the cleaners' flags, the raw extra headers) are freed before the run's memory peaks."""
    frames, read.frames = read.frames, []
    return frames


def _orders_stage(read: _Read, letters: pl.DataFrame, started: datetime, issues: list):
    """All order lines (for line joins) and one row per order; their Q001/Q003/Q007."""
    raw = [conform(f, ORDER_FIELDS, {REPEATED_AMOUNT: pl.Boolean}) for f in _taken(read)]
    lines = pl.concat(raw) if raw else _empty(ORDER_FIELDS)
    issues.append(locate(checks.future_issues(lines, "orders", started), lines, letters))
    issues.append(locate(checks.timeline_issues(lines, checks.ORDER_TIMELINE), lines, letters))
    issues.append(locate(schemas.failures(lines, "orders"), lines, letters))
    lines, repeated = _repeated_order_lines(_drop_unidentified(lines, "order_id"), letters)
    issues.append(repeated)
    # Two shops' exports may share an order id. An export without a shop column names no
    # shop (its file name is no evidence: orders_0301.csv and orders_0331.csv are one
    # shop's), and its lines keep a blank shop until the cases are joined, so a case takes
    # no shop from an orders file's name: the case's own file names it.
    lines, other_shops = _other_shops_lines(lines, letters)
    issues.append(other_shops)
    lines, listed_again = _orders_listed_again(_with_per_order(lines, letters), letters)
    issues.append(listed_again)
    lines, lines_again = _lines_listed_again(lines, letters)
    issues.append(lines_again)
    return lines_for_join(lines), fold_orders(lines)


def _join_stage(frame, lines, orders, letters: pl.DataFrame, issues: list) -> pl.DataFrame:
    """Blank case fields from the orders; Q004 for a missing order, Q003 signed vs order."""
    frame = join_orders(frame, lines, orders)
    missing = _with_letter(
        frame.filter(~pl.col("_order_found") & pl.col("order_id").is_not_null()),
        letters,
        "order_id",
    )
    issues.append(
        issue_rows(
            missing,
            check="Q004",
            column="order_id",
            value=pl.col("order_id"),
            letter=pl.col("__letter"),
            message_zh="订单导出中没有这个订单编号",
            message_en="order_id not found in the orders export",
        )
    )
    signed_vs_order = checks.timeline_issues(
        frame,
        (("signed_at", "shipped_at"), ("signed_at", "paid_at")),
        {t: f"__order_{t}" for t in ORDER_TIMES},
    )
    issues.append(locate(signed_vs_order, frame, letters))
    return frame.drop([f"__order_{t}" for t in ORDER_TIMES])


def _cases_stage(read: _Read, letters, started, reason_table, orders_stage, issues: list):
    """One row per case: checks, duplicates, reasons, the orders join, the schema; and the
    shop each shopless orders export belongs to (_order_shops)."""
    frames = [conform(f, CASE_FIELDS) for f in _taken(read)]
    frame = pl.concat(frames) if frames else _empty(CASE_FIELDS)
    issues.append(locate(checks.future_issues(frame, "cases", started), frame, letters))
    issues.append(locate(checks.timeline_issues(frame, checks.CASE_TIMELINE), frame, letters))
    # Duplicates go first, so a repeated case counts once everywhere (reasons, joins).
    frame, duplicate_issues = _duplicates(frame, letters)
    issues.append(duplicate_issues)
    frame, reason_issues = apply_reasons(_with_letter(frame, letters, "reason"), reason_table)
    issues.append(reason_issues)
    frame = frame.drop("__letter")
    if orders_stage is not None:
        frame = _join_stage(frame, *orders_stage, letters, issues)
    else:
        frame = frame.with_columns(
            pl.lit(False).alias("_order_found"), pl.lit(False).alias("_paid_amount_multiline")
        )
    extra = {"_paid_amount_multiline": pl.Boolean, "_order_found": pl.Boolean}
    frame = _default_shop(frame)
    order_shops = _order_shops(frame, orders_stage[1]) if orders_stage is not None else {}
    frame = conform(frame, CASE_FIELDS, extra)
    issues.append(locate(schemas.failures(frame, "cases"), frame, letters))
    return _drop_unidentified(frame, "case_id"), order_shops


def _forced_profile(profile: str | None, has_orders: bool) -> Profile | None:
    """`--profile`, unless "auto". An orders layout with no --orders file would be quietly
    passed over for detection, so the run stops and says where that layout belongs."""
    if profile in (None, "", "auto"):
        return None
    forced = resolve_profile(str(profile))
    if forced.kind == "orders" and not has_orders:
        raise AuditorError(
            [
                Problem(
                    f"版式档案 {forced.id} 是订单导出的版式，只用于 --orders 文件；"
                    "本次没有给出 --orders（售后文件的版式可用 auditor profiles 查看）",
                    f"profile {forced.id} is an orders layout and applies to --orders files; "
                    "no --orders file was given (see `auditor profiles` for after-sales layouts)",
                    column="--profile",
                )
            ]
        )
    return forced


def _once(paths: Sequence[str | Path]) -> tuple[list[str], dict[str, int]]:
    """Each file once, as first given, and how often each file given more than once was
    given: the same file twice (`a.xlsx a.xlsx`, a glob that repeats it, `./a.xlsx` and
    `a.xlsx`) is one export, so its rows are not each reported as their own repeat."""
    seen: dict[Path, str] = {}
    times: dict[str, int] = {}
    for path in map(str, paths):
        first = seen.setdefault(Path(path).resolve(), path)
        times[first] = times.get(first, 0) + 1
    return list(seen.values()), {path: n for path, n in times.items() if n > 1}


def _noted_twice(inputs: list[InputInfo], twice: dict[str, int]) -> list[InputInfo]:
    """The inputs, each file given more than once noting that it was read once."""
    if not twice:
        return inputs
    noted = []
    for info in inputs:
        n = twice.get(info.path)
        if n is not None:
            zh = f"同一文件给出{'两' if n == 2 else f' {n} '}次，只读一次：{info.path}"
            en = f"the same file was given {'twice' if n == 2 else f'{n} times'}; it is read once: {info.path}"
            info = replace(
                info,
                note_zh="；".join(filter(None, (info.note_zh, zh))),
                note_en="; ".join(filter(None, (info.note_en, en))),
            )
        noted.append(info)
    return noted


def load(
    cases: Sequence[str | Path] = (),
    orders: Sequence[str | Path] = (),
    profile: str = "auto",
    run_started: datetime | None = None,
    reasons: Sequence[str | Path] = (),
    limits: Limits | None = None,
) -> Dataset:
    """Read, clean, merge, join and validate (contracts.md section 1).

    `profile` is "auto", a bundled profile id or a profile file path; it applies to the
    inputs of its kind (a cases profile to CASES, an orders profile to --orders), the
    others are detected. `reasons` are user synonym files tried before the shipped table.
    `limits` (`--max-rows`, `--max-uncompressed-mb`) bound what one input may hold.
    Raises AuditorError (exit 2) when a file cannot be read or matches no layout.
    """
    started = _naive_beijing(run_started) if run_started else beijing_now()
    forced = _forced_profile(profile, has_orders=bool(orders))
    reason_table = load_reason_table([Path(p) for p in reasons])
    if not cases:
        raise AuditorError([Problem("没有给出售后文件", "no after-sales (cases) file given")])

    cases, twice = _once(cases)
    orders, twice_orders = _once(orders)
    case_read, order_read = _Read(), _Read()
    digest = _digests_in_background([str(p) for p in [*cases, *orders]])
    # `_input` numbers the inputs in command-line order: the cases, then the orders (a
    # CASES file read as an orders export after those given with --orders).
    moved = _read_cases([str(p) for p in cases], forced, case_read, limits, digest)
    for path in orders:
        index = len(case_read.inputs) + len(order_read.inputs)
        _read_input(str(path), "orders", index, forced, order_read, limits, digest)
    problems = case_read.problems + order_read.problems
    if problems:
        raise AuditorError(problems)
    for item in moved:
        index = len(case_read.inputs) + len(order_read.inputs)
        _map_input(
            item.path, "orders", index, item.fmt, item.matched, order_read, digest, item.note()
        )
    letters = _letters_frame(case_read.letters + order_read.letters)
    issues: list[pl.DataFrame] = case_read.issues + order_read.issues
    case_read.inputs = _noted_twice(case_read.inputs, twice)
    order_read.inputs = _noted_twice(order_read.inputs, twice_orders)

    has_orders = bool(order_read.inputs)
    orders_stage = _orders_stage(order_read, letters, started, issues) if has_orders else None
    frame, order_shops = _cases_stage(
        case_read, letters, started, reason_table, orders_stage, issues
    )
    orders_frame = None
    if orders_stage is not None:
        # An order's blank shop: its cases' one shop, else its file's name.
        orders_frame = conform(_orders_with_shops(orders_stage[1], order_shops), ORDER_FIELDS)
    return Dataset(
        cases=frame,
        orders=orders_frame,
        inputs=[*case_read.inputs, *order_read.inputs],
        data_issues=finalise_issues(concat_issues(issues)),
        run_started=started,
        letters=letters,
    )
