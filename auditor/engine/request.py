"""What the audit is asked (``AuditRequest``) and what it answers (``AuditResult``).

contracts.md section 4. The CLI builds a request and hands the result to the writers in
``auditor.report``; neither side touches the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

AS_OF_GIVEN = "--as-of"
AS_OF_LATEST = "latest input time"
AS_OF_RUN_START = "run start"  # no usable time in the inputs at all


@dataclass(frozen=True)
class AuditRequest:
    cases: Sequence[Path | str]
    orders: Sequence[Path | str] = ()
    policies: Sequence[str] = ()  # --policy values: "ID_OR_PATH" or "SHOP=ID_OR_PATH"
    as_of: datetime | date | str | None = None  # a date alone means 23:59:59 of that day
    profile: str = "auto"
    lang: str = "zh"
    run_started: datetime | None = None  # default: now, Beijing time
    reasons: Sequence[Path | str] = ()  # user reason-synonym files, tried before the shipped one
    waivers: Path | str | None = None  # --waivers; default: a waivers.yaml beside the inputs
    no_waivers: bool = False  # --no-waivers: apply none, not even one found beside the inputs
    baseline: Path | str | None = None  # --baseline PREVIOUS/findings.json
    new_only: bool = False  # --new-only: --fail-on counts new findings only
    limits: Any = None  # auditor.io.preflight.Limits (--max-rows, --max-uncompressed-mb)
    progress: Callable[[str], None] | None = None  # told "read", then "check", as each stage starts


@dataclass
class AuditResult:
    findings: pl.DataFrame
    todo: pl.DataFrame
    coverage: dict[str, dict[str, Any]]
    kpis: pl.DataFrame
    data_issues: pl.DataFrame
    inputs: list[Any]
    policies: list[str]
    as_of: datetime
    as_of_source: str
    cases: int
    lang: str
    rules: list[str] = field(default_factory=list)  # ids evaluated, catalogue order
    stack: Any = None  # the PolicyStack used (rule sheet: parameters in force)
    waivers: Any = None  # auditor.engine.waivers.WaiverOutcome when a waivers file was used
    baseline: str | None = None  # the --baseline path
    baseline_absent: pl.DataFrame | None = None  # baseline findings no longer found
    new_only: bool = False
