"""`findings.json`, the machine contract (SPEC section 7).

Written as a stream: the small header blocks through :mod:`json`, the long lists (findings,
KPIs, data issues) chunk by chunk through polars' NDJSON writer, one object a line, so a
million findings never become one Python string. The bytes depend only on the result:
fixed key order, sorted lists, compact separators, UTF-8 without ASCII escapes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from auditor import __version__
from auditor.report.summary import (
    by_rule_counts,
    by_severity_counts,
    cases_with_findings,
    sorted_data_issues,
    sorted_findings,
    sorted_kpis,
)

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
CHUNK_ROWS = 50_000  # rows serialised at a time: bounded memory, few Python round trips


def write_findings_json(result: Any, path: Path, lang: str) -> None:
    with open(path, "wb") as out:
        out.write(b"{\n")
        for key, value in header_blocks(result, lang):
            out.write(f"{_dump(key)}:{_dump(value)},\n".encode())
        _write_list(out, "findings", finding_records(result.findings))
        out.write(f'"coverage":{_dump(coverage_block(result.coverage))},\n'.encode())
        _write_list(out, "kpis", kpi_records(result.kpis))
        _write_list(out, "data_issues", data_issue_records(result.data_issues, lang))
        out.write(f'"baseline_absent":{_dump(baseline_absent(result))}\n'.encode())
        out.write(b"}\n")


def header_blocks(result: Any, lang: str) -> list[tuple[str, Any]]:
    findings = result.findings
    return [
        ("tool", {"name": "auditor", "version": __version__}),
        ("as_of", _format_time(result.as_of)),
        ("as_of_source", result.as_of_source),
        ("lang", lang),
        ("inputs", [input_record(info) for info in result.inputs]),
        ("policies", sorted(result.policies)),
        (
            "summary",
            {
                "cases": int(result.cases),
                "cases_with_findings": cases_with_findings(findings),
                "findings": findings.height,
                "by_rule": by_rule_counts(findings),
                "by_severity": by_severity_counts(findings),
            },
        ),
    ]


def input_record(info: Any) -> dict[str, Any]:
    return {
        "path": str(info.path),
        "sha256": info.sha256,
        "kind": info.kind,
        "profile": info.profile,
        "rows": int(info.rows),
    }


def baseline_absent(result: Any) -> list[str] | None:
    """The previous run's fingerprints no longer found (--baseline); null without a baseline."""
    absent = getattr(result, "baseline_absent", None)
    if absent is None:
        return None
    return sorted(absent.get_column("fingerprint").cast(pl.String).drop_nulls().unique())


def coverage_block(coverage: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        rule: {
            "judged": int(entry.get("judged", 0)),
            "fired": int(entry.get("fired", 0)),
            "not_judged": {
                reason: int(n) for reason, n in sorted((entry.get("not_judged") or {}).items())
            },
        }
        for rule, entry in sorted(coverage.items())
    }


def finding_records(findings: pl.DataFrame) -> pl.DataFrame:
    """The findings in their JSON shape and order, one struct field per key."""
    frame = sorted_findings(findings)
    return frame.select(
        _text("rule"),
        _text("severity"),
        _text("layer"),
        _text("case_id"),
        _text("order_id"),
        _text("shop"),
        _text("policy"),
        _text("basis"),
        _text("message"),
        _time("due"),
        _time("actual"),
        _number("overdue_hours"),
        _text("fingerprint"),
        _source(),
        _optional(frame, "waiver"),
        _optional(frame, "state"),
    )


def _optional(frame: pl.DataFrame, name: str) -> pl.Expr:
    """Keys that apply only with --waivers / --baseline: passed through when the result has
    them, null otherwise (a key is never missing)."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Null).alias(name)


def kpi_records(kpis: pl.DataFrame) -> pl.DataFrame:
    frame = sorted_kpis(kpis)
    return frame.select(
        _text("rule"),
        _text("shop"),
        _text("agent"),
        _text("month"),
        pl.col("n").cast(pl.Int64),
        _number("value", decimals=4),
        _number("target", decimals=4),
        _text("status"),
    )


def data_issue_records(issues: pl.DataFrame, lang: str) -> pl.DataFrame:
    frame = sorted_data_issues(issues)
    message = "message_en" if lang == "en" else "message_zh"
    return frame.select(
        _text("check"),
        _text("case_id"),
        _text("order_id"),
        _text("column"),
        _text("cell"),
        _text("value"),
        _text(message).alias("message"),
        _source(),
    )


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String)


def _time(name: str) -> pl.Expr:
    return pl.col(name).dt.strftime(TIME_FORMAT).alias(name)


def _number(name: str, decimals: int = 2) -> pl.Expr:
    # A tiny negative rounds to -0.0, which prints differently from 0.0: equal values print alike.
    rounded = pl.col(name).cast(pl.Float64).round(decimals)
    return pl.when(rounded == 0).then(pl.lit(0.0)).otherwise(rounded).alias(name)


def _source() -> pl.Expr:
    return pl.struct(
        _text("source_file").alias("file"),
        _text("source_sheet").alias("sheet"),
        pl.col("source_row").cast(pl.Int64).alias("row"),
    ).alias("source")


def _write_list(out: BinaryIO, key: str, records: pl.DataFrame) -> None:
    out.write(f"{_dump(key)}:[".encode())
    first = True
    for chunk in _ndjson_chunks(records):
        out.write(b"\n" if first else b",\n")
        out.write(chunk)
        first = False
    out.write(b"\n],\n" if not first else b"],\n")


def _ndjson_chunks(records: pl.DataFrame) -> Iterator[bytes]:
    # NDJSON puts one object on each line; a raw newline never occurs inside a JSON string,
    # so joining the lines with ",\n" makes the array body. Bytes throughout: polars writes
    # UTF-8, and decoding it only to encode it again would double the cost.
    for offset in range(0, records.height, CHUNK_ROWS):
        buffer = io.BytesIO()
        records.slice(offset, CHUNK_ROWS).write_ndjson(buffer)
        yield buffer.getvalue().rstrip(b"\n").replace(b"\n", b",\n")


def _format_time(value: Any) -> str | None:
    return value.strftime(TIME_FORMAT) if value is not None else None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
