"""`auditor diff A/findings.json B/findings.json`: what changed between two runs (issue 8).

Every fingerprint of either run is ``new`` (only in B), ``resolved`` (only in A),
``unchanged`` or ``updated`` (in both; updated when severity, due, actual, overdue hours or
policy version differ — the comparison of ``auditor audit --baseline``, see
:mod:`auditor.engine.baseline`). Counts by rule, severity and shop are the month-over-month
view; the writers in :mod:`auditor.rundiff.outputs` render it.

    diff = run_diff("2026-03/findings.json", "2026-04/findings.json")
    diff.totals()          # {"new": 12, "resolved": 30, "unchanged": 80, "updated": 5}
    diff.by("rule")        # rule, new, resolved, unchanged, updated, before, after, change
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from auditor.engine.baseline import FACTS, FindingsFile, classify, load_findings_json

DIFF_STATES = ("new", "resolved", "updated", "unchanged")  # the order tables and lists use
GROUPINGS = ("rule", "severity", "shop")
_SEVERITY_ORDER = {"critical": 0, "error": 1, "warning": 2, "info": 3}


@dataclass(frozen=True)
class RunDiff:
    a: FindingsFile  # the earlier run
    b: FindingsFile  # the later run
    findings: pl.DataFrame  # one row per fingerprint: comparable columns, before_*, state

    def totals(self) -> dict[str, int]:
        counts = self.findings.group_by("state").len()
        found = dict(zip(counts["state"].to_list(), counts["len"].to_list(), strict=True))
        return {state: int(found.get(state, 0)) for state in DIFF_STATES}

    def by(self, key: str) -> pl.DataFrame:
        """Counts per value of ``key`` (rule, severity or shop): one column per state, the
        totals of each run (``before`` = A, ``after`` = B) and the change."""
        counts = self.findings.group_by(key).agg(
            *((pl.col("state") == state).sum().cast(pl.Int64).alias(state) for state in DIFF_STATES)
        )
        table = counts.with_columns(
            (pl.col("resolved") + pl.col("updated") + pl.col("unchanged")).alias("before"),
            (pl.col("new") + pl.col("updated") + pl.col("unchanged")).alias("after"),
        ).with_columns((pl.col("after") - pl.col("before")).alias("change"))
        if key == "severity":
            rank = pl.col("severity").replace_strict(_SEVERITY_ORDER, default=9)
            return table.sort(rank, "severity", nulls_last=True)
        return table.sort(key, nulls_last=True)

    def ordered(self) -> pl.DataFrame:
        """Every finding, changes first: new, resolved, updated, unchanged; then by case or
        order id and rule."""
        rank = pl.col("state").replace_strict({s: i for i, s in enumerate(DIFF_STATES)})
        return self.findings.sort(
            [rank, pl.col("case_id").is_null(), "case_id", "order_id", "rule", "fingerprint"],
            nulls_last=True,
            maintain_order=True,
        )

    def changed_facts(
        self, labels: Mapping[str, str] | None = None, separator: str = ", "
    ) -> pl.Expr:
        """For an updated finding, the names of the facts that changed ("severity, due"),
        or their ``labels`` (the column headers the reader sees: 严重程度、截止时间)."""
        labels = labels or {}
        names = [
            pl.when(~pl.col(f).eq_missing(pl.col(f"before_{f}"))).then(pl.lit(labels.get(f, f)))
            for f in FACTS
        ]
        return (
            pl.when(pl.col("state") == "updated")
            .then(pl.concat_str(names, separator=separator, ignore_nulls=True))
            .alias("changed")
        )


def run_diff(a: Path | str, b: Path | str) -> RunDiff:
    """Compare two findings.json files (A earlier, B later)."""
    before = load_findings_json(a, what=("findings.json", "findings.json"))
    after = load_findings_json(b, what=("findings.json", "findings.json"))
    states = classify(after.findings, before.findings).with_columns(
        pl.col("state").replace("absent", "resolved")
    )
    return RunDiff(a=before, b=after, findings=states)
