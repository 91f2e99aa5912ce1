"""Counts and orderings shared by every output, so the JSON, the workbook and the terminal agree."""

from __future__ import annotations

import polars as pl

from auditor.report.labels import SEVERITIES


def sorted_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """Case findings by case id then rule; order-level findings (no case id) after them, by
    order id then rule. Policy and fingerprint break any remaining tie so the order is total."""
    return findings.sort(
        [
            pl.col("case_id").is_null(),
            pl.col("case_id"),
            pl.col("order_id"),
            pl.col("rule"),
            pl.col("policy"),
            pl.col("fingerprint"),
        ],
        nulls_last=True,
        maintain_order=True,
    )


def sorted_kpis(kpis: pl.DataFrame) -> pl.DataFrame:
    return kpis.sort(["rule", "shop", "agent", "month"], nulls_last=False, maintain_order=True)


def sorted_data_issues(issues: pl.DataFrame) -> pl.DataFrame:
    return issues.sort(
        ["check", "source_file", "source_sheet", "source_row", "column", "case_id", "value"],
        nulls_last=False,
        maintain_order=True,
    )


def sorted_todo(todo: pl.DataFrame) -> pl.DataFrame:
    """The fix-list: soonest deadline first."""
    return todo.sort(["due", "case_id", "rule"], nulls_last=True, maintain_order=True)


def by_rule_counts(findings: pl.DataFrame) -> dict[str, int]:
    counts = findings.group_by("rule").len().sort("rule")
    return dict(zip(counts["rule"].to_list(), counts["len"].to_list(), strict=True))


def by_severity_counts(findings: pl.DataFrame) -> dict[str, int]:
    """All four severities, most severe first, zero when none."""
    counts = findings.group_by("severity").len()
    found = dict(zip(counts["severity"].to_list(), counts["len"].to_list(), strict=True))
    return {severity: int(found.get(severity, 0)) for severity in SEVERITIES}


def cases_with_findings(findings: pl.DataFrame) -> int:
    return int(findings["case_id"].drop_nulls().n_unique())


def rule_severity_table(findings: pl.DataFrame) -> pl.DataFrame:
    """Findings per rule and severity (a rule re-graded by a shop policy shows twice)."""
    return findings.group_by("rule", "severity").len("findings").sort("rule", "severity")


def summary_table(findings: pl.DataFrame) -> pl.DataFrame:
    """Findings per rule, severity, shop and month: the workbook's summary sheet."""
    return (
        findings.group_by("rule", "severity", "shop", "month")
        .len("findings")
        .sort(["rule", "severity", "shop", "month"], nulls_last=True)
    )
