"""The monthly workflow around an audit: waivers and a baseline (issue 8).

``prepare`` reads the waivers file and the baseline before any input is read, so a bad one
stops the run at once (exit 2); ``annotate`` adds the waiver and state columns to the
findings and the tallies to the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditor.engine.baseline import FindingsFile, load_findings_json, mark_states, no_state_column
from auditor.engine.request import AuditRequest, AuditResult
from auditor.engine.waivers import (
    WaiverFile,
    apply_waivers,
    category_lookup,
    find_beside,
    load_waivers,
    no_waiver_columns,
)
from auditor.errors import AuditorError, Problem


@dataclass(frozen=True)
class Monthly:
    waivers: WaiverFile | None
    baseline: FindingsFile | None
    new_only: bool


def prepare(request: AuditRequest) -> Monthly:
    """The waivers file (given, or found beside the inputs unless --no-waivers) and baseline."""
    if request.new_only and request.baseline is None:
        raise AuditorError(
            [
                Problem(
                    "--new-only 需要同时给出 --baseline",
                    "--new-only needs --baseline",
                    column="--new-only",
                )
            ]
        )
    if request.no_waivers and request.waivers is not None:
        raise AuditorError(
            [
                Problem(
                    "--waivers 与 --no-waivers 只能选一个",
                    "--waivers and --no-waivers cannot be used together",
                    column="--no-waivers",
                )
            ]
        )
    waivers = None
    if not request.no_waivers:
        if request.waivers is not None:
            waivers = load_waivers(Path(request.waivers))
        else:
            beside = find_beside([*request.cases, *request.orders])
            waivers = load_waivers(beside, found_beside_inputs=True) if beside else None
    baseline = load_findings_json(request.baseline) if request.baseline is not None else None
    return Monthly(waivers=waivers, baseline=baseline, new_only=request.new_only)


def annotate(result: AuditResult, dataset: Any, monthly: Monthly) -> AuditResult:
    """The result with waiver columns, a state column and their tallies."""
    findings = result.findings
    outcome = None
    if monthly.waivers is None:
        findings = no_waiver_columns(findings)
    else:
        categories = category_lookup(dataset.cases, getattr(dataset, "orders", None))
        findings, outcome = apply_waivers(findings, monthly.waivers, result.as_of, categories)
    absent = None
    if monthly.baseline is None:
        findings = no_state_column(findings)
    else:
        findings, absent = mark_states(findings, monthly.baseline)
    return replace(
        result,
        findings=findings,
        waivers=outcome,
        baseline=monthly.baseline.path if monthly.baseline else None,
        baseline_absent=absent,
        new_only=monthly.new_only,
    )
