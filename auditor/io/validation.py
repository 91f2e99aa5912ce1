"""The core of `auditor validate`: load, then give plain (JSON-ready) inputs and issues.

The CLI never touches polars; it renders what this returns. The `inputs` and
`data_issues` entries have exactly the shape of findings.json (SPEC section 7).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from auditor.io.dataset import Dataset, InputInfo, load
from auditor.io.preflight import Limits


@dataclass
class Validation:
    inputs: list[dict]  # findings.json "inputs" entries
    data_issues: list[dict]  # findings.json "data_issues" entries
    details: list[dict] = field(default_factory=list)  # per input: sheets, why, columns
    counts: dict[str, int] = field(default_factory=dict)  # issues per check

    def to_json(self) -> dict:
        return {"inputs": self.inputs, "data_issues": self.data_issues}


def input_entry(info: InputInfo) -> dict:
    return {
        "path": info.path,
        "sha256": info.sha256,
        "kind": info.kind,
        "profile": info.profile,
        "rows": info.rows,
    }


def issue_entries(dataset: Dataset, lang: str) -> list[dict]:
    """findings.json `data_issues`: keys always present, null where not applicable."""
    message = "message_en" if lang == "en" else "message_zh"
    return dataset.data_issues.select(
        "check",
        "case_id",
        "order_id",
        "column",
        "cell",
        "value",
        pl.col(message).alias("message"),
        pl.struct(
            pl.col("source_file").alias("file"),
            pl.col("source_sheet").alias("sheet"),
            pl.col("source_row").alias("row"),
        ).alias("source"),
    ).to_dicts()


def _detail(info: InputInfo, lang: str = "zh") -> dict:
    return {
        "path": info.path,
        "kind": info.kind,
        "profile": info.profile,
        "format": info.format,
        "rows": info.rows,
        # Set when the input was not taken as given (a CASES file read as orders).
        "note": info.note_en if lang == "en" else info.note_zh,
        "sheets": [
            {
                "sheet": d.sheet,
                "profile": d.profile,
                "header_row": d.header_row,
                "signature": list(d.signature),
                "rows": d.rows,
                "columns": d.columns,
            }
            for d in info.details
        ],
    }


def validate_inputs(
    cases: Sequence[str | Path],
    orders: Sequence[str | Path] = (),
    profile: str = "auto",
    reasons: Sequence[str | Path] = (),
    lang: str = "zh",
    run_started: datetime | None = None,
    limits: Limits | None = None,
) -> Validation:
    dataset = load(
        cases=cases,
        orders=orders,
        profile=profile,
        reasons=reasons,
        run_started=run_started,
        limits=limits,
    )
    issues = issue_entries(dataset, lang)
    return Validation(
        inputs=[input_entry(info) for info in dataset.inputs],
        data_issues=issues,
        details=[_detail(info, lang) for info in dataset.inputs],
        counts=dict(sorted(Counter(i["check"] for i in issues).items())),
    )


def location(issue: dict) -> str:
    """`file!sheet!C12` (sheet left out for csv/parquet; row alone when no column)."""
    source = issue["source"]
    parts = [p for p in (source["file"], source["sheet"]) if p]
    if issue["cell"]:
        parts.append(issue["cell"])
    elif source["row"] is not None:
        parts.append(str(source["row"]))
    return "!".join(parts)
