"""Baselines: this run's findings against a previous run's findings.json (SPEC section 7).

The fingerprint (rule + case id, or order id for order-level rules, + policy family) is the
identity. A finding whose fingerprint the baseline lacks is ``new``; one it has is
``unchanged``, or ``updated`` when the facts differ: severity, due, actual, overdue hours or
policy version. Message, language and source row are not facts: a re-export that moves a
row, or a run in the other language, changes nothing. The baseline's findings no longer
found are ``absent`` (resolved).

The same comparison serves ``auditor audit --baseline`` and ``auditor diff``. Facts are
compared in findings.json's own form (times to the second, hours rounded to 2 decimals), so a
finding read back from a file equals the one that wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from auditor.errors import AuditorError, Problem

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
FACTS = ("severity", "policy", "due", "actual", "overdue_hours")
STATES = ("new", "unchanged", "updated")
# Keys every findings.json of `auditor audit` has, and neither run-diff.json nor validate --json.
FINDINGS_JSON_KEYS = ("tool", "as_of", "summary", "findings", "data_issues")
_AS_IS = ("fingerprint", "rule", "severity", "layer", "case_id", "order_id", "shop", "policy")
_AS_IS = (*_AS_IS, "message")
# One previous/current finding in comparable form (what findings.json holds).
COMPARABLE_SCHEMA: dict[str, Any] = {
    "fingerprint": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "layer": pl.String,
    "case_id": pl.String,
    "order_id": pl.String,
    "shop": pl.String,
    "policy": pl.String,
    "message": pl.String,
    "due": pl.String,
    "actual": pl.String,
    "overdue_hours": pl.Float64,
    "waived": pl.Boolean,
}


@dataclass(frozen=True)
class FindingsFile:
    """A findings.json read back: where from, its as-of, and its findings (comparable form)."""

    path: str
    as_of: str | None
    lang: str | None
    findings: pl.DataFrame  # COMPARABLE_SCHEMA


def load_findings_json(
    path: Path | str, what: tuple[str, str] = ("基线", "baseline")
) -> FindingsFile:
    """Read a findings.json written by ``auditor audit``; anything else is a located error."""
    path = Path(path)
    where = str(path)
    zh, en = what
    if not path.is_file():
        raise AuditorError([Problem(f"找不到{zh}文件", f"{en} file not found", file=where)])
    try:
        document = json.loads(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise AuditorError(
            [
                Problem(
                    f"{zh}文件不是 UTF-8 编码的 JSON（第 {exc.start + 1} 个字节）",
                    f"{en} file is not UTF-8 JSON (byte {exc.start + 1})",
                    file=where,
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        # The parser's own words stay (they name the token); the place is said in the
        # reader's language.
        raise AuditorError(
            [
                Problem(
                    f"{zh}文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                    f"{en} file is not valid JSON (line {exc.lineno}, column {exc.colno}): "
                    f"{exc.msg}",
                    file=where,
                )
            ]
        ) from None
    missing = _missing_findings_json_keys(document)
    if missing:
        listed = ", ".join(missing)
        raise AuditorError(
            [
                Problem(
                    f"{zh}文件不是 auditor audit 写出的 findings.json（缺少 {listed}）",
                    f"{en} file is not a findings.json written by auditor audit (missing {listed})",
                    file=where,
                )
            ]
        )
    frame = _findings_frame(document["findings"])
    if frame is None or frame.get_column("fingerprint").null_count():
        raise AuditorError(
            [
                Problem(
                    f"{zh}文件不是 auditor 写出的 findings.json（缺少 findings 列表或 fingerprint）",
                    f"{en} file is not a findings.json written by auditor "
                    "(no findings list, or a finding without a fingerprint)",
                    file=where,
                    column="findings",
                )
            ]
        )
    _refuse_repeated_fingerprints(frame, where, zh, en)
    return FindingsFile(
        path=where,
        as_of=document.get("as_of"),
        lang=document.get("lang"),
        findings=frame,
    )


def _refuse_repeated_fingerprints(frame: pl.DataFrame, where: str, zh: str, en: str) -> None:
    """auditor writes each fingerprint once; a repeated one (a hand-edited file) would leave
    it to chance which of the two the comparison uses."""
    repeated = frame.filter(pl.col("fingerprint").is_duplicated()).get_column("fingerprint")
    if repeated.is_empty():
        return
    named = repeated.unique(maintain_order=True)
    shown = ", ".join(named.head(3).to_list()) + ("…" if named.len() > 3 else "")
    raise AuditorError(
        [
            Problem(
                f"{zh}文件中同一指纹出现多次：{shown}",
                f"{en} file lists the same fingerprint more than once: {shown}",
                file=where,
                column="fingerprint",
            )
        ]
    )


def _missing_findings_json_keys(document: Any) -> list[str]:
    """The top-level keys of an audit's findings.json this document lacks. Recognising the
    file by what it has, not by what it lacks: a run-diff.json or a validate --json file
    also holds a findings or data_issues list, and read as a baseline it would silently
    turn every new finding into an unchanged one."""
    if not isinstance(document, dict):
        return list(FINDINGS_JSON_KEYS)
    missing = [key for key in FINDINGS_JSON_KEYS if key not in document]
    tool = document.get("tool")
    if "tool" not in missing and not (isinstance(tool, dict) and tool.get("name") == "auditor"):
        missing.insert(0, "tool.name")
    return missing


def _findings_frame(findings: Any) -> pl.DataFrame | None:
    """The findings list as a comparable frame, built by polars from the parsed list (no
    Python loop per finding); None when it is not a list of finding objects."""
    if not isinstance(findings, list):
        return None
    schema = {k: v for k, v in COMPARABLE_SCHEMA.items() if k != "waived"}
    schema["waiver"] = pl.Struct({"reason": pl.String})
    try:
        frame = pl.DataFrame(findings, schema=schema, strict=False, orient="row")
    except (TypeError, ValueError, pl.exceptions.PolarsError):
        return None
    return frame.select(
        *(pl.col(k) for k in COMPARABLE_SCHEMA if k != "waived"),
        pl.col("waiver").is_not_null().alias("waived"),
    ).with_columns(pl.col("overdue_hours").round(2))


def comparable(findings: pl.DataFrame) -> pl.DataFrame:
    """The engine's findings frame in findings.json's form (times as text, hours rounded)."""

    def text_time(name: str) -> pl.Expr:
        column = pl.col(name)
        if findings.schema[name] == pl.String:
            return column
        return column.dt.strftime(TIME_FORMAT).alias(name)

    waived = (
        pl.col("waiver_reason").is_not_null()
        if "waiver_reason" in findings.columns
        else pl.lit(False)
    )
    return findings.select(
        *(pl.col(k).cast(COMPARABLE_SCHEMA[k]) for k in _AS_IS),
        text_time("due"),
        text_time("actual"),
        pl.col("overdue_hours").cast(pl.Float64).round(2),
        waived.alias("waived"),
    ).select(list(COMPARABLE_SCHEMA))


def classify(current: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """Every fingerprint of either side with its state: new, unchanged, updated or absent.

    Both frames are in comparable form. Columns: the current finding's (the previous one's for
    absent), ``state``, and ``before_<fact>`` (the previous facts, null for new ones).
    """
    previous = previous.unique(subset="fingerprint", keep="first", maintain_order=True)
    current = current.unique(subset="fingerprint", keep="first", maintain_order=True)
    before = previous.select(
        "fingerprint", *(pl.col(f).alias(f"before_{f}") for f in FACTS), pl.lit(True).alias("_seen")
    )
    joined = current.join(before, on="fingerprint", how="left")
    same = pl.all_horizontal(pl.col(f).eq_missing(pl.col(f"before_{f}")) for f in FACTS)
    present = joined.with_columns(
        pl.when(pl.col("_seen").is_null())
        .then(pl.lit("new"))
        .when(same)
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("updated"))
        .alias("state")
    ).drop("_seen")
    absent = previous.join(current.select("fingerprint"), on="fingerprint", how="anti")
    absent = absent.with_columns(
        pl.lit("absent").alias("state"), *(pl.col(f).alias(f"before_{f}") for f in FACTS)
    )
    return pl.concat([present, absent.select(present.columns)])


def mark_states(
    findings: pl.DataFrame, baseline: FindingsFile
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The findings with a ``state`` column, and the baseline's findings now absent."""
    states = classify(comparable(findings), baseline.findings)
    present = states.filter(pl.col("state") != "absent").select("fingerprint", "state")
    marked = findings.join(present, on="fingerprint", how="left", maintain_order="left")
    absent = (
        states.filter(pl.col("state") == "absent")
        .select(list(COMPARABLE_SCHEMA))
        .sort("fingerprint")
    )
    return marked, absent


def no_state_column(findings: pl.DataFrame) -> pl.DataFrame:
    return findings.with_columns(pl.lit(None, dtype=pl.String).alias("state"))


def state_counts(findings: pl.DataFrame) -> dict[str, int]:
    """new / unchanged / updated counts, zero when none."""
    if "state" not in findings.columns:
        return dict.fromkeys(STATES, 0)
    counts = findings.group_by("state").len()
    found = dict(zip(counts["state"].to_list(), counts["len"].to_list(), strict=True))
    return {state: int(found.get(state, 0)) for state in STATES}
