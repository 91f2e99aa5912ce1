"""Render canonical frames into an export layout, by reading the layout profile files.

The profiles (auditor/io/profiles/<id>.yaml) say how a platform's headers and texts map to
the canonical model; rendering runs that mapping backwards: the header is the first alias
(the export's own spelling), enum values are the platform text that maps to the canonical
value, the status text is chosen consistently with decision and status, and fields the
layout lacks are simply not written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from auditor.errors import AuditorError, Problem
from auditor.model.fields import CASE_FIELD, CASE_TYPES, ENUM_ZH, ORDER_FIELD, Kind
from auditor.resources import package_data
from auditor.sample import vocab
from auditor.sample.extras import extra_columns

PROFILE_DIR = package_data("io", "profiles")

# The orders export that goes with each after-sales layout (same platform, same era).
ORDERS_FOR = {
    "generic": "generic-orders",
    "taobao-refund-a": "taobao-orders-classic",
    "taobao-refund-b": "taobao-orders-classic",
    "taobao-refund-c": "taobao-orders-qianniu",
    "douyin-aftersales": "douyin-orders",
    "pdd-aftersales": "pdd-orders",
    "jd-aftersales": "jd-orders",
}

# Exports that list refunds only (Taobao's 退款管理): exchanges and repairs are not in them.
REFUND_ONLY_PLATFORMS = ("taobao",)


@dataclass(frozen=True)
class Layout:
    id: str
    kind: str  # cases | orders
    platform: str
    columns: dict[str, list[str]]
    values: dict[str, dict[str, Any]]
    status_text: dict[str, Any] | None
    required: tuple[str, ...]
    hours_between: dict[str, dict[str, str]]

    @property
    def fields(self) -> frozenset[str]:
        """Canonical fields an auditor reading this layout gets."""
        names = set(self.columns)
        if self.status_text:
            names |= {"decision", "status"}
            for entry in self.status_text.get("map", {}).values():
                names |= set((entry or {}).get("from_columns", {}))
        return frozenset(names | set(self.hours_between))

    @property
    def case_types(self) -> tuple[str, ...]:
        """The case types the layout can express (a refund export holds refunds only)."""
        if self.platform in REFUND_ONLY_PLATFORMS:
            return ("return_refund", "refund_only")
        mapped = self.values.get("case_type")
        if "case_type" not in self.columns or not mapped:
            return CASE_TYPES
        present = set(mapped.values())
        return tuple(t for t in CASE_TYPES if t in present)


def profile_ids(kind: str) -> list[str]:
    ids = []
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("kind") == kind:
            ids.append(path.stem)
    return ids


def load_layout(name: str, kind: str) -> Layout:
    """A bundled profile by id, or a user's profile file by path."""
    path = Path(name) if name.endswith((".yaml", ".yml")) else PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(profile_ids(kind))
        raise AuditorError(
            [
                Problem(
                    f"未知的版式 {name}（可用：{known}）",
                    f"unknown layout profile {name} (known: {known})",
                )
            ]
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        layout = _layout(data, path, kind)
    except (yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        raise AuditorError(
            [Problem(f"版式文件无法读取：{exc}", f"cannot read the profile: {exc}", file=str(path))]
        ) from exc
    if not layout.columns:
        raise AuditorError(
            [Problem("版式文件没有 columns", "the profile has no columns", file=str(path))]
        )
    return layout


def _layout(data: dict, path: Path, kind: str) -> Layout:
    if data.get("kind", kind) != kind:
        raise AuditorError(
            [
                Problem(
                    f"版式 {path.stem} 是 {data.get('kind')} 版式，这里需要 {kind} 版式",
                    f"profile {path.stem} is a {data.get('kind')} layout; a {kind} layout is needed here",
                    file=str(path),
                )
            ]
        )
    return Layout(
        id=str(data.get("id", path.stem)),
        kind=kind,
        platform=str(data.get("platform", "generic")),
        columns={k: list(v) for k, v in (data.get("columns") or {}).items()},
        values={k: dict(v) for k, v in (data.get("values") or {}).items()},
        status_text=data.get("status_text"),
        required=tuple((data.get("detect") or {}).get("required", ())),
        hours_between=dict(data.get("hours_between") or {}),
    )


def orders_layout_for(cases_layout: Layout) -> str:
    return ORDERS_FOR.get(cases_layout.id, "generic-orders")


# -- rendering -----------------------------------------------------------------------------
def _header(layout: Layout, field: str, lang: str, zh_name: str) -> str:
    aliases = layout.columns[field]
    if layout.platform == "generic" and lang == "zh" and zh_name in aliases:
        return zh_name
    return aliases[0]


YES_NO = ("是", "否")


def _enum_text(layout: Layout, field: str, lang: str, header: str = "") -> dict[str, str]:
    """canonical value -> text the layout writes (the first platform text that maps to it).

    One values table can serve two headers (Taobao: 是否需要退货 takes 是/否, 售后类型 takes
    退货退款/仅退款): a yes/no question header gets the 是/否 texts, any other header the rest.
    """
    mapped = layout.values.get(field)
    if mapped:
        question = header.startswith("是否")
        mapped = {t: v for t, v in mapped.items() if (str(t) in YES_NO) == question} or mapped
    zh = ENUM_ZH.get(field, {})
    if not mapped:
        return dict(zh) if lang == "zh" else {v: v for v in zh}
    inverse: dict[str, str] = {}
    for text, value in mapped.items():
        if text in ("", "*") or not isinstance(value, str):
            continue
        inverse.setdefault(value, str(text))
    if layout.platform == "generic":  # both spellings map: write the one --lang asks for
        for value, text in zh.items():
            if lang == "zh" and text in mapped:
                inverse[value] = text
            elif lang == "en" and value in mapped:
                inverse[value] = value
    return inverse


def _bool_texts(layout: Layout, field: str, lang: str) -> tuple[str, str]:
    mapped = layout.values.get(field)
    if not mapped:
        return ("是", "否") if lang == "zh" else ("true", "false")
    true = next((str(t) for t, v in mapped.items() if v is True and t not in ("", "*")), None)
    false = next((str(t) for t, v in mapped.items() if v is False and t not in ("", "*")), "")
    if true is None:
        true = vocab.ESCALATED_TEXT.get(layout.platform, "已介入")
    return true, false


# A more specific status text for a case further along (the first text of a decision/status
# pair is the default): goods on their way back, an exchange, a re-sent item.
_PROGRESS_TEXTS = (
    ("收货", pl.col("return_shipped_at").is_not_null()),
    ("换货", pl.col("case_type") == "exchange"),
    ("补寄", pl.col("case_type") == "other"),
)


def _status_text(status_text: dict[str, Any]) -> pl.Expr:
    """One status text per row, consistent with decision, status and the case's progress."""
    by_pair: dict[tuple[Any, Any], list[str]] = {}
    for text, spec in status_text["map"].items():
        spec = spec or {}
        by_pair.setdefault((spec.get("decision"), spec.get("status")), []).append(str(text))
    progress, exact, loose, by_decision, by_status = [], [], [], [], []
    for (decision, status), texts in by_pair.items():
        on_decision = pl.col("decision") == decision if decision else pl.lit(True)
        on_status = pl.col("status") == status if status else pl.lit(True)
        both = (on_decision & on_status).fill_null(False)
        for keyword, condition in _PROGRESS_TEXTS:
            special = next((t for t in texts[1:] if keyword in t), None)
            if special is not None:
                progress.append(((both & condition).fill_null(False), special))
        (exact if decision and status else loose).append((both, texts[0]))
        if decision:
            by_decision.append((on_decision.fill_null(False), texts[0]))
        if status:
            by_status.append((on_status.fill_null(False), texts[0]))
    # strongest match first: a when/then chain takes the first condition that holds
    ordered = progress + exact + loose + by_decision + by_status
    chain: Any = pl
    for condition, text in ordered:
        chain = chain.when(condition).then(pl.lit(text))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def render(frame: pl.DataFrame, layout: Layout, lang: str = "zh") -> tuple[pl.DataFrame, list[str]]:
    """The export frame (headers and texts of the layout) and the headers holding ids."""
    fields = CASE_FIELD if layout.kind == "cases" else ORDER_FIELD
    exprs: list[pl.Expr] = []
    id_headers: list[str] = []
    for name in layout.columns:
        field = fields.get(name)
        if field is None or name not in frame.columns:
            continue
        header = _header(layout, name, lang, field.zh)
        col = pl.col(name)
        if field.kind is Kind.ENUM:
            col = col.replace_strict(
                _enum_text(layout, name, lang, header), default=None, return_dtype=pl.String
            )
        elif field.kind is Kind.BOOL:
            true, false = _bool_texts(layout, name, lang)
            col = pl.when(col).then(pl.lit(true)).otherwise(pl.lit(false))
        elif field.kind is Kind.ID:
            id_headers.append(header)
        if name == "decided_at" and "同意" in header:  # Douyin: the approval time only
            col = pl.when(pl.col("decision") == "approved").then(col)
        exprs.append(col.alias(header))
    if layout.status_text:
        exprs.append(_status_text(layout.status_text).alias(layout.status_text["column"]))
    for name, spec in layout.hours_between.items():
        if name in frame.columns and spec.get("from") in frame.columns:
            hours = pl.duration(hours=pl.col(name))
            exprs.append((pl.col(spec["from"]) + hours).alias(spec["column"]))
    written = {
        alias for name in layout.columns if name in frame.columns for alias in layout.columns[name]
    }
    if layout.status_text:
        written.add(layout.status_text["column"])
    for header in layout.required:
        if header not in written:
            exprs.append(_filler(header, frame).alias(header))
            written.add(header)
    exprs.extend(extra_columns(layout.id, frame, written))
    return frame.select(exprs), id_headers


def _filler(header: str, frame: pl.DataFrame) -> pl.Expr:
    """A plausible value for a header the profile detects by but does not map."""
    if "id" in header.lower() and "product" in frame.columns:
        products = [item.product for item in vocab.CATALOGUE]
        ids = {p: str(600_000_000_000 + n * 7_919_113) for n, p in enumerate(products)}
        return pl.col("product").replace_strict(ids, default=None, return_dtype=pl.String)
    if "发货" in header:
        return pl.lit("已发货")
    if "订单状态" in header:
        return pl.lit("已完成")
    return pl.lit(None, dtype=pl.String)


def fold_lines(orders: pl.DataFrame) -> pl.DataFrame:
    """One row per order, for order-level exports (amounts summed, times as SPEC 4 folds them)."""
    return orders.group_by("order_id", maintain_order=True).agg(
        pl.col("shop", "category", "product", "promised_ship_hours").first(),
        pl.col("paid_amount").sum().round(2),
        pl.col("ordered_at", "paid_at").min(),
        pl.col("shipped_at", "signed_at").max(),
        pl.col("_violation").drop_nulls().first(),
    )
