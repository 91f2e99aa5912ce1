"""Waivers: accepted exceptions that stay visible (SPEC section 7, issue 8).

A ``waivers.yaml`` lists entries naming a rule and a case id (or an order id, or a scope of
shop / category / month, in any combination), each with a reason, an approver and an expiry
date. A finding an entry matches keeps its place in the findings with the waiver's reason,
approver and expiry beside it; it no longer counts for the exit code. Expiry is judged
against ``as_of`` (not the clock), so a re-run of the same month reproduces. An expired entry
stops applying and is reported, and so is an entry that matched nothing.

Matching is a join per *shape* of entry (which keys it names: at most 2^5 shapes), never a
loop over findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from auditor.errors import AuditorError, Problem

WAIVERS_FILE_NAMES = ("waivers.yaml", "waivers.yml")
MAX_WAIVER_BYTES = 5_000_000  # thousands of entries at most; a bigger file is a mistake
SCOPE_KEYS = ("case_id", "order_id", "shop", "category", "month")
WAIVER_COLUMNS: dict[str, Any] = {
    "waiver_reason": pl.String,
    "waiver_approved_by": pl.String,
    "waiver_expires": pl.Date,
}
WAIVER_STRUCT = pl.Struct({"reason": pl.String, "approved_by": pl.String, "expires": pl.String})
ENTRY_SCHEMA: dict[str, Any] = {
    "entry": pl.Int64,  # 1-based position in the file
    "line": pl.Int64,
    "rule": pl.String,
    **{key: pl.String for key in SCOPE_KEYS},
    "reason": pl.String,
    "approved_by": pl.String,
    "expires": pl.Date,
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# -- the file ------------------------------------------------------------------------------


class Waiver(BaseModel):
    """One entry of waivers.yaml."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)

    rule: str
    case_id: str | None = None
    order_id: str | None = None
    shop: str | None = None
    category: str | None = None
    month: str | None = None
    reason: str
    approved_by: str
    expires: date

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        from auditor.rules.registry import RULES

        rule_id = value.upper()
        rule = RULES.get(rule_id)
        if rule is None or rule.scope not in ("case", "order"):
            raise ValueError(f"unknown rule {value!r}")
        return rule_id

    @field_validator("reason", "approved_by")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("month")
    @classmethod
    def _month_format(cls, value: str | None) -> str | None:
        if value is not None and not _MONTH.match(value):
            raise ValueError("month must be YYYY-MM")
        return value

    @model_validator(mode="after")
    def _scoped(self) -> Waiver:
        if all(getattr(self, key) is None for key in SCOPE_KEYS):
            raise ValueError("no scope")
        return self


@dataclass(frozen=True)
class WaiverFile:
    path: Path
    entries: pl.DataFrame  # ENTRY_SCHEMA, one row per entry in file order
    found_beside_inputs: bool = False


class _WaiverLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe types only (libyaml's parser when present: a file of thousands of entries still
    reads in a blink); no aliases (see ``_refuse_aliases``); no duplicate keys; ids like 0123
    or 4012345678901 stay text (YAML 1.1 would read the first as octal 83)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Numbers and dates stay text: ids keep their digits, and a date like 2026-02-30 becomes a
# located error of its entry (pydantic) instead of a crash inside the YAML parser.
_TEXT_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
_WaiverLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _TEXT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[Any, Any]:
    """The composed node tree and the document built from it (one parse)."""
    loader = _WaiverLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _refuse_aliases(root: Any) -> None:
    """An alias makes one node appear twice in the tree: refused before anything is built, so
    an alias bomb never expands. A walk over the file's nodes, not over findings."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.MarkedYAMLError(
                problem="aliases are not allowed", problem_mark=node.start_mark
            )
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


def find_beside(inputs: list[Path | str]) -> Path | None:
    """The waivers.yaml in the folder of the first input that has one."""
    for folder in dict.fromkeys(Path(p).resolve().parent for p in inputs):
        for name in WAIVERS_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_waivers(path: Path | str, found_beside_inputs: bool = False) -> WaiverFile:
    """Read and check a waivers file; every problem is an AuditorError naming the entry."""
    path = Path(path)
    where = str(path)
    document, lines = _read_document(path)
    if document is None:
        document = {"waivers": []}
    if not isinstance(document, dict) or not isinstance(document.get("waivers"), list):
        raise AuditorError(
            [
                Problem(
                    "豁免文件须以 waivers: 开头，下面是条目列表",
                    "a waivers file must have a top-level 'waivers:' list of entries",
                    file=where,
                    column="waivers",
                )
            ]
        )
    extra = sorted(str(k) for k in document if k != "waivers")
    problems = [
        Problem(f"未知的键「{k}」", f"unknown key '{k}'", file=where, column=k) for k in extra
    ]
    rows: list[dict[str, Any]] = []
    for number, (raw, line) in enumerate(zip(document["waivers"], lines, strict=True), start=1):
        entry, entry_problems = _check_entry(raw, number, line, where)
        problems += entry_problems
        if entry is not None:
            rows.append({"entry": number, "line": line, **entry.model_dump()})
    if problems:
        raise AuditorError(problems)
    return WaiverFile(path, pl.DataFrame(rows, schema=ENTRY_SCHEMA), found_beside_inputs)


def _read_document(path: Path) -> tuple[Any, list[int]]:
    where = str(path)
    if not path.is_file():
        raise AuditorError([Problem("找不到豁免文件", "waivers file not found", file=where)])
    if path.stat().st_size > MAX_WAIVER_BYTES:
        raise AuditorError([Problem("豁免文件过大", "waivers file too large", file=where)])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AuditorError(
            [Problem("豁免文件不是 UTF-8 编码", "waivers file is not UTF-8 text", file=where)]
        ) from None
    try:
        node, document = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        what = exc.problem or "syntax error"
        raise AuditorError(
            [
                Problem(
                    f"YAML 格式错误（第 {line} 行第 {column} 列）：{what}",
                    f"invalid YAML at line {line}, column {column}: {what}",
                    file=where,
                )
            ]
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise AuditorError(
            [Problem(f"YAML 格式错误：{exc}", f"invalid YAML: {exc}", file=where)]
        ) from None
    return document, _entry_lines(node)


def _entry_lines(node: Any) -> list[int]:
    """1-based line of each entry under ``waivers:`` (for messages that name the entry)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "waivers" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _check_entry(
    raw: Any, number: int, line: int, where: str
) -> tuple[Waiver | None, list[Problem]]:
    label_zh = f"第 {number} 条豁免（第 {line} 行）"
    label_en = f"waiver #{number} (line {line})"
    if not isinstance(raw, dict):
        return None, [
            Problem(
                f"{label_zh}：应为 rule/case_id/reason/approved_by/expires 等键组成的条目",
                f"{label_en}: expected an entry of keys rule, case_id, reason, approved_by, expires",
                file=where,
                column=f"waivers[{number}]",
            )
        ]
    try:
        return Waiver.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            _problem(error, raw, label_zh, label_en, number, where) for error in exc.errors()
        ]


def _problem(
    error: Any, raw: dict, label_zh: str, label_en: str, number: int, where: str
) -> Problem:
    key = ".".join(str(p) for p in error.get("loc", ()))
    column = f"waivers[{number}].{key}" if key else f"waivers[{number}]"
    kind = error.get("type", "")
    if kind == "missing":
        zh, en = f"缺少必填项 {key}", f"'{key}' is required"
    elif kind == "extra_forbidden":
        zh, en = f"未知的键「{key}」", f"unknown key '{key}'"
    elif kind == "value_error" and "no scope" in str(error.get("msg")):
        zh = "须写明 case_id、order_id，或 shop/category/month 范围"
        en = "name a case_id or order_id, or a shop/category/month scope"
    elif key == "rule":
        zh, en = f"未知的规则「{raw.get('rule')}」", f"unknown rule '{raw.get('rule')}'"
    elif key == "expires":
        zh = f"expires 须为日期 YYYY-MM-DD（收到 {raw.get('expires')!r}）"
        en = f"expires must be a date YYYY-MM-DD (got {raw.get('expires')!r})"
    elif key == "month":
        zh = f"month 须为 YYYY-MM（收到 {raw.get('month')!r}）"
        en = f"month must be YYYY-MM (got {raw.get('month')!r})"
    else:
        zh = f"{key} 的值无效：{error.get('msg')}"
        en = f"invalid value for {key}: {error.get('msg')}"
    return Problem(f"{label_zh}：{zh}", f"{label_en}: {en}", file=where, column=column)


# -- applying ------------------------------------------------------------------------------


@dataclass
class WaiverOutcome:
    """What the waivers did in one run (for the terminal, report, workbook and JSON)."""

    file: str
    found_beside_inputs: bool
    waived: int  # findings carrying a waiver
    entries: int
    expired: pl.DataFrame  # ENTRY_SCHEMA + "matches" (findings it would have covered)
    unused: pl.DataFrame  # ENTRY_SCHEMA + "matches" (always 0)
    used: dict[int, int] = field(default_factory=dict)  # entry → findings waived


def no_waiver_columns(findings: pl.DataFrame) -> pl.DataFrame:
    """The waiver columns, all null (no waivers file, or --no-waivers)."""
    return findings.with_columns(
        *(pl.lit(None, dtype=dtype).alias(name) for name, dtype in WAIVER_COLUMNS.items()),
        pl.lit(None, dtype=WAIVER_STRUCT).alias("waiver"),
    )


def apply_waivers(
    findings: pl.DataFrame,
    waivers: WaiverFile,
    as_of: datetime,
    categories: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, WaiverOutcome]:
    """Mark the findings the file's unexpired entries cover (first entry in the file wins).

    ``categories``: ``key, category`` where key is a case id or ``order:`` + order id, needed
    only for entries scoped by category (the findings frame has no category column).
    """
    entries = waivers.entries.with_columns(
        (pl.col("expires") < pl.lit(as_of.date())).alias("_expired")
    )
    matches = _matches(findings, entries, categories)
    active = matches.join(
        entries.filter(~pl.col("_expired")).select("entry"), on="entry", how="semi"
    )
    chosen = active.group_by("_finding").agg(pl.col("entry").min())
    per_entry = matches.group_by("entry").len("matches")
    annotated = (
        findings.with_row_index("_finding")
        .join(chosen, on="_finding", how="left")
        .join(entries.select("entry", "reason", "approved_by", "expires"), on="entry", how="left")
        .sort("_finding")
    )
    marked = annotated.with_columns(
        pl.col("reason").alias("waiver_reason"),
        pl.col("approved_by").alias("waiver_approved_by"),
        pl.col("expires").alias("waiver_expires"),
        pl.when(pl.col("entry").is_not_null())
        .then(
            pl.struct(
                pl.col("reason"),
                pl.col("approved_by"),
                pl.col("expires").dt.strftime("%Y-%m-%d").alias("expires"),
            )
        )
        .alias("waiver"),
    ).select(*findings.columns, *WAIVER_COLUMNS, "waiver")
    counted = entries.join(per_entry, on="entry", how="left").with_columns(
        pl.col("matches").fill_null(0).cast(pl.Int64)
    )
    used = active.group_by("entry").len()
    outcome = WaiverOutcome(
        file=str(waivers.path),
        found_beside_inputs=waivers.found_beside_inputs,
        waived=chosen.height,
        entries=entries.height,
        expired=counted.filter(pl.col("_expired")).drop("_expired"),
        unused=counted.filter(~pl.col("_expired") & (pl.col("matches") == 0)).drop("_expired"),
        used=dict(zip(used["entry"].to_list(), used["len"].to_list(), strict=True)),
    )
    return marked, outcome


def _matches(
    findings: pl.DataFrame, entries: pl.DataFrame, categories: pl.DataFrame | None
) -> pl.DataFrame:
    """(finding index, entry) for every entry that covers a finding, expired ones included."""
    indexed = findings.select("rule", "case_id", "order_id", "shop", "month").with_row_index(
        "_finding"
    )
    if entries.get_column("category").is_not_null().any():
        indexed = _with_category(indexed, categories)
    shape = pl.concat_str(
        [pl.col(k).is_not_null().cast(pl.Int8).cast(pl.String) for k in SCOPE_KEYS]
    )
    shaped = entries.with_columns(shape.alias("_shape"))
    parts = [pl.DataFrame(schema={"_finding": pl.UInt32, "entry": pl.Int64})]
    for flags in shaped.get_column("_shape").unique().sort().to_list():  # ≤ 31 shapes
        keys = ["rule", *(k for k, flag in zip(SCOPE_KEYS, flags, strict=True) if flag == "1")]
        group = shaped.filter(pl.col("_shape") == flags).select("entry", *keys)
        parts.append(indexed.join(group, on=keys, how="inner").select("_finding", "entry"))
    return pl.concat(parts)


def _with_category(indexed: pl.DataFrame, categories: pl.DataFrame | None) -> pl.DataFrame:
    key = pl.coalesce(pl.col("case_id"), pl.format("order:{}", pl.col("order_id"))).alias("key")
    if categories is None or categories.height == 0:
        return indexed.with_columns(pl.lit(None, dtype=pl.String).alias("category"))
    lookup = categories.select(pl.col("key").cast(pl.String), pl.col("category").cast(pl.String))
    lookup = lookup.unique(subset="key", keep="first")
    return indexed.with_columns(key).join(lookup, on="key", how="left").drop("key").sort("_finding")


def category_lookup(cases: pl.DataFrame, orders: pl.DataFrame | None) -> pl.DataFrame:
    """``key, category`` for case findings (case id) and order findings (``order:`` id)."""
    parts = [cases.select(pl.col("case_id").alias("key"), pl.col("category").cast(pl.String))]
    if orders is not None and "category" in orders.columns:
        parts.append(
            orders.select(
                pl.format("order:{}", pl.col("order_id")).alias("key"),
                pl.col("category").cast(pl.String),
            )
        )
    return pl.concat(parts, how="vertical_relaxed")


def counted_severities(findings: pl.DataFrame, new_only: bool = False) -> set[str]:
    """The severities that count for the exit code: not waived, and only new ones with
    ``--new-only``."""
    counting = pl.lit(True)
    if "waiver_reason" in findings.columns:
        counting &= pl.col("waiver_reason").is_null()
    if new_only and "state" in findings.columns:
        counting &= pl.col("state") == "new"
    return set(findings.filter(counting).get_column("severity").drop_nulls().unique().to_list())
