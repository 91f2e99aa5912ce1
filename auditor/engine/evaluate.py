"""Run one rule over a whole frame: partition by the policy versions in force (a handful of
partitions), evaluate the rule's expressions inside each, and stack the outcomes.

The outcome frame has one row per input row and the columns
``_scope`` (Boolean: the rule applies, or cannot tell), ``_reason`` (why not judged; null when
judged), ``_fired``, ``_due``, ``_actual``, ``_todo_due``, ``_severity``, ``_policy`` (the
``family@version`` of the rule's layer) and ``_f_*`` (message facts), plus the key columns.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import polars as pl

from auditor.rules.base import Rule, RuleEnv

NO_POLICY = "no policy version in force"
SWITCHED_OFF = "switched off by policy"
FIELD_ABSENT = "field absent"
DATETIME = pl.Datetime("us")


def not_in_force(since: date) -> str:
    return f"rule not in force before {since.isoformat()}"


@dataclass(frozen=True)
class Frame:
    """A frame to judge, with what the rules need to know about it."""

    data: pl.DataFrame  # carries _law_ref/_service_ref and the key columns
    present: Callable[[str], pl.Expr]
    date_col: str  # the column that chose the policy versions (applied_at / paid_at)
    keys: Sequence[str]  # columns copied into the outcome

    @cached_property
    def parts(self) -> list[tuple[str | None, str | None, pl.DataFrame]]:
        """The frame split by the policy versions in force: a handful of parts, split once
        for all rules (one part, without copying, when every row shares its versions)."""
        refs = self.data.select("_law_ref", "_service_ref").unique(maintain_order=True)
        if refs.height <= 1:
            law, service = refs.row(0) if refs.height else (None, None)
            return [(law, service, self.data)]
        split = self.data.partition_by(
            ["_law_ref", "_service_ref"], maintain_order=True, as_dict=True
        )
        return [(law, service, part) for (law, service), part in split.items()]


def _template_fields(rule: Rule, available: list[str]) -> list[str]:
    """Frame columns the rule's messages name (e.g. refund_amount), carried into the outcome."""
    names = {
        name
        for template in (rule.message_zh, rule.message_en)
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }
    return sorted(n for n in names if n in available)


def _policy_gate(rule: Rule, law: Any, service: Any) -> tuple[str | None, str, str | None]:
    """(reason every row of the partition is not judged, severity, policy ref) for its layer."""
    policy = law if rule.layer == "law" else service
    if policy is None:
        return NO_POLICY, rule.severity, None
    if not policy.rule_enabled(rule.id):
        reason = not_in_force(rule.in_force_from or date.min) if rule.layer == "law" else None
        return reason or SWITCHED_OFF, rule.severity, _family_version(policy)
    return None, policy.rule_severity(rule.id) or rule.severity, _family_version(policy)


def _family_version(policy: Any) -> str:
    """``family@version`` as findings record it (a stack ref may also name the base version
    its ``extends`` resolved to on that date: ``seed-01@2025-01-01+platform-standard@…``)."""
    family, version = getattr(policy, "family", None), getattr(policy, "version", None)
    return f"{family}@{version}" if family and version else str(policy.ref)


def _evaluate_partition(
    rule: Rule, part: pl.DataFrame, frame: Frame, env: RuleEnv, law: Any, service: Any
) -> pl.DataFrame:
    verdict = rule.check(env)  # type: ignore[misc]
    gate, severity, policy_ref = _policy_gate(rule, law, service)
    pairs: list[tuple[pl.Expr, pl.Expr]] = []
    if gate is not None:
        pairs.append((pl.lit(True), pl.lit(gate)))
    if rule.in_force_from is not None:
        since = rule.in_force_from
        early = pl.col(frame.date_col).dt.date() < pl.lit(since)
        pairs.append((early.fill_null(False), pl.lit(not_in_force(since))))
    pairs.append((verdict.not_judged.is_not_null(), verdict.not_judged))
    pairs.append((verdict.scope.is_null(), pl.lit(FIELD_ABSENT)))
    reason: Any = pl
    for condition, text in pairs:
        reason = reason.when(condition).then(text)
    reason = reason.otherwise(pl.lit(None, dtype=pl.String))
    null_time = pl.lit(None, dtype=DATETIME)
    keys = dict.fromkeys([*frame.keys, *_template_fields(rule, part.columns)])
    columns = [
        *[pl.col(k) for k in keys],
        verdict.scope.cast(pl.Boolean).alias("_scope"),
        reason.cast(pl.String).alias("_reason"),
        verdict.fired.cast(pl.Boolean).alias("_fired"),
        (verdict.due if verdict.due is not None else null_time).cast(DATETIME).alias("_due"),
        (verdict.actual if verdict.actual is not None else null_time)
        .cast(DATETIME)
        .alias("_actual"),
        (verdict.todo_due if verdict.todo_due is not None else null_time)
        .cast(DATETIME)
        .alias("_todo_due"),
        pl.lit(severity, dtype=pl.String).alias("_severity"),
        pl.lit(policy_ref, dtype=pl.String).alias("_policy"),
        *[expr.alias(f"_f_{name}") for name, expr in verdict.facts.items()],
    ]
    # Lazy, so that polars computes the sub-expressions the columns share (a due time, a
    # window) once: eager select would evaluate each copy of them again.
    return part.lazy().select(columns).collect()


def evaluate_rule(
    rule: Rule,
    frame: Frame,
    stack: Any,
    as_of: datetime,
    calendar: Any,
) -> pl.DataFrame:
    """The rule's outcome for every row of ``frame`` (see the module docstring)."""
    outcomes = []
    for law_ref, service_ref, part in frame.parts:
        law = stack.get(law_ref) if law_ref is not None else None
        service = stack.get(service_ref) if service_ref is not None else None
        env = RuleEnv(
            law=law, service=service, present=frame.present, as_of=as_of, calendar=calendar
        )
        outcomes.append(_evaluate_partition(rule, part, frame, env, law, service))
    if not outcomes:
        return pl.DataFrame()
    return pl.concat(outcomes, how="diagonal_relaxed")


def considered(outcome: pl.DataFrame) -> pl.DataFrame:
    """Rows the rule applies to (or cannot tell): the ones coverage counts."""
    if outcome.height == 0:
        return outcome
    return outcome.filter(pl.col("_scope").fill_null(True))
