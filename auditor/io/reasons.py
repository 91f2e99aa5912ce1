"""Reason classification (SPEC 6.2) from the synonym table auditor/io/reasons.yaml.

Users extend the table with their own files of the same format (`--reasons FILE`); their
`exact` texts and keyword classes are tried before the shipped ones. A reason that no
entry classifies is `other` and reported once per distinct text (Q005, with its count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from auditor.errors import AuditorError, Problem
from auditor.frames import with_per_distinct
from auditor.io.issues import issue_rows
from auditor.model.fields import REASON_CLASSES
from auditor.resources import package_data


@dataclass(frozen=True)
class ReasonTable:
    exact: dict[str, str]  # normalised text -> class
    classes: tuple[tuple[str, tuple[str, ...]], ...]  # (class, normalised keywords), in order


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()


def _bad(path: Path, key: str, zh: str, en: str) -> AuditorError:
    return AuditorError([Problem(zh, en, file=str(path), column=key)])


def parse_reason_file(path: Path) -> ReasonTable:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, "", f"无法读取原因同义词表：{exc}", f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise _bad(path, "", "YAML 格式错误", f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise _bad(path, "", "应为 YAML 映射（exact / classes）", "must be a mapping")
    exact: dict[str, str] = {}
    for text, cls in (data.get("exact") or {}).items():
        if cls not in REASON_CLASSES:
            raise _bad(
                path,
                f"exact.{text}",
                f"未知的原因分类 {cls!r}；可用：{', '.join(REASON_CLASSES)}",
                f"unknown reason class {cls!r}; use one of {', '.join(REASON_CLASSES)}",
            )
        exact[_norm(text)] = cls
    classes = []
    for i, entry in enumerate(data.get("classes") or []):
        if not isinstance(entry, dict) or entry.get("class") not in REASON_CLASSES:
            raise _bad(
                path,
                f"classes.{i}.class",
                f"未知的原因分类；可用：{', '.join(REASON_CLASSES)}",
                f"unknown reason class; use one of {', '.join(REASON_CLASSES)}",
            )
        keywords = entry.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise _bad(path, f"classes.{i}.keywords", "应为文本列表", "must be a list of texts")
        classes.append((entry["class"], tuple(_norm(k) for k in keywords if _norm(k))))
    return ReasonTable(exact, tuple(classes))


def load_reason_table(extra: list[Path] | tuple[Path, ...] = ()) -> ReasonTable:
    """The shipped table, with the users' files in front (later files before earlier)."""
    shipped = parse_reason_file(package_data("io", "reasons.yaml"))
    exact: dict[str, str] = dict(shipped.exact)
    classes = list(shipped.classes)
    for path in extra:
        user = parse_reason_file(Path(path))
        exact.update(user.exact)
        classes = [*user.classes, *classes]
    return ReasonTable(exact, tuple(classes))


def classify(reason: pl.Expr, table: ReasonTable) -> pl.Expr:
    """The reason class, or null when the text is blank or no entry matches."""
    key = reason.str.replace_all(r"\s+", "").str.to_lowercase()
    exact = key.replace_strict(table.exact, default=None, return_dtype=pl.String)
    chain = None
    for cls, keywords in table.classes:
        if not keywords:
            continue
        hit = key.str.contains_any(list(keywords))
        chain = (chain.when(hit) if chain is not None else pl.when(hit)).then(pl.lit(cls))
    by_keyword = chain.otherwise(None) if chain is not None else pl.lit(None, pl.String)
    return pl.coalesce(exact, by_keyword)


def apply_reasons(cases: pl.DataFrame, table: ReasonTable) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add reason_class; unclassified texts become `other` and one Q005 per distinct text."""
    # Reasons repeat a lot (platform menus): each distinct text is classified once.
    cases = with_per_distinct(
        cases, "reason", {"__reason_class": classify(pl.col("reason"), table)}
    )
    needed = ["reason", "case_id", "order_id", "_src_file", "_src_sheet", "_src_row", "__letter"]
    unclassified = cases.select(needed).filter(
        pl.col("reason").is_not_null() & cases["__reason_class"].is_null()
    )
    firsts = unclassified.group_by("reason", maintain_order=True).agg(
        pl.first("case_id"),
        pl.first("order_id"),
        pl.first("_src_file"),
        pl.first("_src_sheet"),
        pl.first("_src_row"),
        pl.len().alias("__count"),
        pl.first("__letter"),
    )
    count = pl.col("__count").cast(pl.String)
    issues = issue_rows(
        firsts,
        check="Q005",
        column="reason",
        value=pl.col("reason"),
        letter=pl.col("__letter"),
        message_zh=pl.format(
            "售后原因「{}」无法归类，按“其他”处理（共 {} 个售后单）", pl.col("reason"), count
        ),
        message_en=pl.format(
            "reason {} matches no synonym; classed as other ({} case(s))", pl.col("reason"), count
        ),
    )
    cases = cases.with_columns(
        pl.when(pl.col("reason").is_not_null())
        .then(pl.col("__reason_class").fill_null("other"))
        .otherwise(None)
        .alias("reason_class")
    ).drop("__reason_class")
    return cases, issues
