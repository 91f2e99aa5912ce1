"""Test helpers: canonical frames with the contract's dtypes, and small stand-ins for the
policy stack and the io Dataset (contracts.md sections 1 and 3), so rules and engine are
tested on frames built in the test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS, Field, Kind
from auditor.rules.params import PARAM

_DTYPE = {
    Kind.ID: pl.String,
    Kind.TEXT: pl.String,
    Kind.ENUM: pl.String,
    Kind.AMOUNT: pl.Float64,
    Kind.DATETIME: pl.Datetime("us"),
    Kind.BOOL: pl.Boolean,
    Kind.INT: pl.Int64,
}


def _value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATETIME and isinstance(value, str):
        text = value.strip()
        return datetime.fromisoformat(text if len(text) > 10 else text + " 00:00:00")
    if kind is Kind.DATETIME and isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if kind is Kind.ID:
        return str(value)
    if kind is Kind.AMOUNT:
        return float(value)
    return value


def _frame(
    fields: tuple[Field, ...], rows: Iterable[Mapping[str, Any]], prefix: str
) -> pl.DataFrame:
    rows = list(rows)
    schema: dict[str, Any] = {f.name: _DTYPE[f.kind] for f in fields}
    schema.update(
        {
            "_src_file": pl.String,
            "_src_sheet": pl.String,
            "_src_row": pl.Int64,
            "_input": pl.Int32,
            "_absent": pl.List(pl.String),
        }
    )
    if prefix == "case":
        schema["_paid_amount_multiline"] = pl.Boolean
    kinds = {f.name: f.kind for f in fields}
    data: dict[str, list[Any]] = {name: [] for name in schema}
    for i, row in enumerate(rows):
        unknown = set(row) - set(schema)
        assert not unknown, f"unknown fields {unknown}"
        for name in schema:
            value = row.get(name)
            if name in kinds:
                value = _value(kinds[name], value)
            data[name].append(value)
        data["_src_file"][-1] = row.get("_src_file", f"{prefix}s.xlsx")
        data["_src_sheet"][-1] = row.get("_src_sheet", "Sheet1")
        data["_src_row"][-1] = row.get("_src_row", i + 2)
        data["_input"][-1] = row.get("_input", 0)
        data["_absent"][-1] = list(row.get("_absent", []))
        if prefix == "case":
            data["_paid_amount_multiline"][-1] = bool(row.get("_paid_amount_multiline", False))
    return pl.DataFrame(data, schema=schema)


def case_frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """Canonical cases; a row's ``_absent`` lists fields its layout does not carry."""
    return _frame(CASE_FIELDS, rows, "case")


def order_frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    return _frame(ORDER_FIELDS, rows, "order")


def field_present(name: str) -> pl.Expr:
    return ~pl.col("_absent").list.contains(name).fill_null(False)


# -- policies ---------------------------------------------------------------------------------
@dataclass(eq=False)
class FakePolicy:
    ref: str
    layer: str
    params: dict[str, Any] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    severities: dict[str, str] = field(default_factory=dict)

    @property
    def family(self) -> str:  # a segment ref "a@v1+base@v2" is family a, version v1
        return self.ref.split("+")[0].split("@")[0]

    @property
    def version(self) -> str:
        return self.ref.split("+")[0].split("@")[1]

    def param(self, name: str) -> Any:
        return self.params.get(name)

    def rule_enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def rule_severity(self, rule_id: str) -> str | None:
        return self.severities.get(rule_id)


def law_params() -> dict[str, Any]:
    return {p.name: p.default for p in PARAM.values() if p.layer == "law"}


def hours(n: float) -> dict[str, Any]:
    return {"amount": n, "unit": "hours", "from": "applied_at"}


def platform_params(response: int) -> dict[str, Any]:
    params = {p.name: p.default for p in PARAM.values() if p.layer == "service"}
    params["response_limit"] = hours(response)
    params["refund_only_limit"] = {"amount": response, "unit": "hours", "from": "decided_at"}
    return params


LAW_VERSIONS = ("2014-03-15", "2017-03-15", "2020-10-23", "2024-07-01")


class FakeStack:
    """cn-law (four versions; before the first → the first) and one service family per shop."""

    def __init__(
        self,
        service: list[FakePolicy] | None = None,
        by_shop: dict[str, list[FakePolicy]] | None = None,
        law_disabled: dict[str, frozenset[str]] | None = None,
    ) -> None:
        law_disabled = law_disabled or {}
        self.law = [
            FakePolicy(f"cn-law@{v}", "law", law_params(), law_disabled.get(v, frozenset()))
            for v in LAW_VERSIONS
        ]
        self.service = (
            service
            if service is not None
            else [
                FakePolicy("platform-standard@2025-01-01", "service", platform_params(48)),
                FakePolicy("platform-standard@2026-01-01", "service", platform_params(24)),
            ]
        )
        self.by_shop = by_shop or {}
        self._by_ref = {
            p.ref: p
            for p in [*self.law, *self.service, *[q for v in self.by_shop.values() for q in v]]
        }

    def get(self, ref: str) -> FakePolicy:
        return self._by_ref[ref]

    @staticmethod
    def _chain(day: pl.Expr, versions: list[FakePolicy], before_first: str | None) -> pl.Expr:
        expr: Any = pl
        if before_first is not None and versions:
            start = date.fromisoformat(versions[0].version)
            expr = expr.when(day < pl.lit(start)).then(pl.lit(before_first))
        for policy in reversed(versions):
            start = date.fromisoformat(policy.version)
            expr = expr.when(day >= pl.lit(start)).then(pl.lit(policy.ref))
        if expr is pl:
            return pl.lit(None, dtype=pl.String)
        return expr.otherwise(pl.lit(None, dtype=pl.String))

    def assign(self, frame: pl.DataFrame, date_col: str, shop_col: str | None = "shop"):
        day = pl.col(date_col).cast(pl.Date)
        law = self._chain(day, self.law, self.law[0].ref)
        service = self._chain(day, self.service, None)
        for shop, versions in self.by_shop.items():
            own = self._chain(day, versions, None)
            service = pl.when(pl.col(shop_col) == shop).then(own).otherwise(service)
        return frame.with_columns(law.alias("_law_ref"), service.alias("_service_ref"))


# -- dataset ----------------------------------------------------------------------------------
@dataclass
class FakeInput:
    path: str
    kind: str
    fields: frozenset[str]
    sha256: str = "0" * 64
    profile: str = "generic"
    rows: int = 0
    sheets: tuple[str, ...] = ()


@dataclass
class FakeDataset:
    cases: pl.DataFrame
    orders: pl.DataFrame | None = None
    inputs: list[Any] = field(default_factory=list)
    data_issues: pl.DataFrame | None = None

    def field_present(self, name: str) -> pl.Expr:
        return field_present(name)


def dataset(cases: list[dict], orders: list[dict] | None = None) -> FakeDataset:
    order_rows = order_frame(orders) if orders is not None else None
    inputs: list[Any] = []
    if order_rows is not None:
        from auditor.model.fields import CASE_FIELD, ORDER_FIELD

        inputs = [
            FakeInput("cases.xlsx", "cases", frozenset(CASE_FIELD)),
            FakeInput("orders.xlsx", "orders", frozenset(ORDER_FIELD)),
        ]
        order_rows = order_rows.with_columns(pl.lit(1, dtype=pl.Int32).alias("_input"))
    return FakeDataset(case_frame(cases), order_rows, inputs)
