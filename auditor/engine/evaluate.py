"""Run one rule over a whole frame: partition by the policy versions in force (a handful of
partitions), evaluate the rule's expressions inside each, and stack the outcomes.

``_scope`` is Boolean (the rule applies; null = cannot tell), ``_reason`` says why a case in
scope is not judged (null = judged), ``_fired`` whether it broke the rule; ``_policy`` is the
``family@version`` of the rule's layer (a law finding that fired only because the shop
promised a longer window also names the service version: ``cn-law@v+shop@w``), ``_basis_zh``
and ``_basis_en`` the citation of the law version in force, and ``_f_*`` the message facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import polars as pl

from auditor.frames import ENGINE
from auditor.rules import citations
from auditor.rules.base import Rule, RuleEnv
from auditor.rules.terms import PROMISE_FACT, REASON, reason_lit

NO_POLICY = "no policy version in force"
SWITCHED_OFF = "switched off by policy"
FIELD_ABSENT = "field absent"
TIME_OUT_OF_RANGE = "time outside the years 1-9999"
DATETIME = pl.Datetime("us")


def not_in_force(since: date) -> str:
    return f"rule not in force before {since.isoformat()}"


@dataclass(frozen=True)
class Frame:
    """A frame to judge, with what the rules need to know about it."""

    data: pl.DataFrame  # carries _law_ref/_service_ref and the key columns
    present: Callable[[str], pl.Expr]
    date_col: str  # the column that chose the policy versions (applied_at / paid_at)
    keys: Sequence[str]  # columns kept beside each verdict (ids and shop)

    @cached_property
    def parts(self) -> list[tuple[str | None, str | None, pl.DataFrame]]:
        """The frame split by the policy versions in force: a handful of parts, split once
        for all rules (one part, without copying, when every row shares its versions)."""
        if self.data.height == 0:
            return [(None, None, self.data)]
        # Counting each column's values is far quicker than finding the distinct pairs, and
        # settles the usual case: one version of each in force for the whole month.
        counts = self.data.select(
            pl.col("_law_ref").n_unique(), pl.col("_service_ref").n_unique()
        ).row(0)
        if counts == (1, 1):
            law, service = self.data.select("_law_ref", "_service_ref").row(0)
            return [(law, service, self.data)]
        split = self.data.partition_by(
            ["_law_ref", "_service_ref"], maintain_order=True, as_dict=True
        )
        return [(law, service, part) for (law, service), part in split.items()]


def _policy_gate(rule: Rule, law: Any, service: Any) -> tuple[str | None, str, str | None]:
    """(reason every row of the partition is not judged, severity, policy ref) for its layer."""
    policy = law if rule.layer == "law" else service
    if policy is None:
        return NO_POLICY, rule.severity, None
    if not policy.rule_enabled(rule.id):
        reason = not_in_force(rule.in_force_from or date.min) if rule.layer == "law" else None
        return reason or SWITCHED_OFF, rule.severity, _family_version(policy)
    return None, policy.rule_severity(rule.id) or rule.severity, _family_version(policy)


def _basis(rule: Rule, law: Any) -> tuple[str, str]:
    """(zh, en) basis of a law rule's finding: the citation the law version in force gives
    it (a 2016 case may not cite the Interim Measures of 2017), else the rule's own text."""
    source = getattr(law, "rule_source", None)
    cited = source(rule.id) if rule.layer == "law" and callable(source) else None
    if not cited or cited == rule.basis:
        return rule.basis_text("zh"), rule.basis_text("en")
    return cited, citations.english(cited) or cited


def _promise_basis(basis: tuple[str, str], service_ref: str) -> tuple[str, str]:
    """The basis of a finding the shop's longer promise set the window of."""
    return (
        f"{basis[0]}；店铺政策 {service_ref} 承诺的更长期限约束店铺",
        f"{basis[1]}; the longer window promised by shop policy {service_ref} binds the shop",
    )


def _family_version(policy: Any) -> str:
    """``family@version`` as findings record it (a stack ref may also name the base version
    its ``extends`` resolved to on that date: ``seed-01@2025-01-01+platform-standard@…``)."""
    family, version = getattr(policy, "family", None), getattr(policy, "version", None)
    return f"{family}@{version}" if family and version else str(policy.ref)


@dataclass(frozen=True)
class Outcome:
    """A rule's outcome: ``verdicts`` has one slim row per input row (the keys, ``_scope``,
    ``_reason``, ``_fired``, ``_todo_due``) for coverage, the to-do list and the scorecards;
    ``hits`` has the rows where it was judged and fired, with every column a finding and its
    message need (``_due``, ``_actual``, ``_severity``, ``_policy``, ``_f_*`` facts)."""

    verdicts: pl.DataFrame
    hits: pl.DataFrame


def _reason(
    rule: Rule, verdict: Any, gate: str | None, date_col: str, present: Callable[[str], pl.Expr]
) -> pl.Expr:
    """Why a case in scope is not judged; null when it is judged."""
    # The date that chooses the policy versions comes first: without it no version can be in
    # force, and "no policy version in force" would send the user to the policy dates.
    pairs: list[tuple[pl.Expr, pl.Expr]] = [
        (~present(date_col), reason_lit(f"field absent: {date_col}")),
        (pl.col(date_col).is_null(), reason_lit(f"field blank: {date_col}")),
    ]
    if gate is not None:
        pairs.append((pl.lit(True), reason_lit(gate)))
    if rule.in_force_from is not None:
        since = rule.in_force_from
        early = pl.col(date_col).dt.date() < pl.lit(since)
        pairs.append((early.fill_null(False), reason_lit(not_in_force(since))))
    pairs.append((verdict.not_judged.is_not_null(), verdict.not_judged.cast(REASON)))
    pairs.append((verdict.scope.is_null(), reason_lit(FIELD_ABSENT)))
    reason: Any = pl
    for condition, text in pairs:
        reason = reason.when(condition).then(text)
    return reason.otherwise(reason_lit(None))


@dataclass(frozen=True)
class _PartPlan:
    """One partition's lazy query for a rule, and what finishing its outcome needs."""

    part: pl.DataFrame
    query: pl.LazyFrame
    facts: dict[str, pl.Expr]
    severity: str
    policy_ref: str | None
    basis: tuple[str, str]  # (zh, en), of the law version in force
    service_ref: str | None  # the service version, named where its promise set the window


def _plan_partition(
    rule: Rule, part: pl.DataFrame, frame: Frame, env: RuleEnv, law: Any, service: Any
) -> _PartPlan:
    verdict = rule.check(env)  # type: ignore[misc]
    gate, severity, policy_ref = _policy_gate(rule, law, service)
    null_time = pl.lit(None, dtype=DATETIME)

    def time_of(expr: pl.Expr | None) -> pl.Expr:
        return (expr if expr is not None else null_time).cast(DATETIME)

    # Lazy, so that polars computes the sub-expressions the columns share (a due time, a
    # window, the statutory-return test) once; eager evaluation would repeat each copy.
    prelude = [name for name, _ in verdict.prelude]
    query = (
        part.lazy()
        .with_columns(*[expr.alias(name) for name, expr in verdict.prelude])
        .select(
            *prelude,
            verdict.scope.cast(pl.Boolean).alias("_scope"),
            _reason(rule, verdict, gate, frame.date_col, frame.present).alias("_reason"),
            verdict.fired.cast(pl.Boolean).alias("_fired"),
            time_of(verdict.due).alias("_due"),
            time_of(verdict.actual).alias("_actual"),
            time_of(verdict.todo_due).alias("_todo_due"),
        )
    )
    service_ref = _family_version(service) if service is not None else None
    return _PartPlan(
        part, query, dict(verdict.facts), severity, policy_ref, _basis(rule, law), service_ref
    )


def _beyond_python(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & ~pl.col(column).is_between(
        pl.lit(datetime.min, dtype=DATETIME), pl.lit(datetime.max, dtype=DATETIME)
    )


RULE_TIMES = ("_due", "_actual", "_todo_due")


def _any_beyond_python(computed: pl.DataFrame) -> bool:
    """Whether any rule time lies outside the years Python can show: one min and max per
    column, so the usual partition (dates already held to 2000-2099) pays nothing more."""
    low, high = pl.lit(datetime.min, dtype=DATETIME), pl.lit(datetime.max, dtype=DATETIME)
    # Compared inside polars: such a time cannot even be handed to Python to compare.
    outside = [(pl.col(c).min() < low) | (pl.col(c).max() > high) for c in RULE_TIMES]
    return bool(computed.select(pl.any_horizontal(outside).fill_null(False)).item())


def _times_python_can_show() -> list[pl.Expr]:
    """A deadline worked out from an extreme date (9999-12-31 + 7 days) is a time polars
    holds but no writer can show: the row is not judged, and the time is left blank."""
    times = RULE_TIMES
    beyond = pl.any_horizontal([_beyond_python(c) for c in times])
    return [
        pl.coalesce(pl.col("_reason"), pl.when(beyond).then(reason_lit(TIME_OUT_OF_RANGE))).alias(
            "_reason"
        ),
        *[pl.when(~_beyond_python(c)).then(pl.col(c)).alias(c) for c in times],
    ]


def _finish_partition(plan: _PartPlan, new_columns: pl.DataFrame, frame: Frame) -> Outcome:
    computed = plan.part.hstack(new_columns)  # shares the input's columns, copies nothing
    if _any_beyond_python(computed):
        computed = computed.with_columns(*_times_python_can_show())
    fired = pl.col("_scope").fill_null(True) & pl.col("_reason").is_null() & pl.col("_fired")
    # Message facts are worked out for the fired rows only.
    hits = (
        computed.filter(fired)
        .rechunk()
        .with_columns(
            pl.lit(plan.severity, dtype=pl.String).alias("_severity"),
            *[expr.alias(f"_f_{name}") for name, expr in plan.facts.items()],
        )
        .with_columns(*_provenance(plan))
    )
    keys = [k for k in frame.keys if k in computed.columns]
    verdicts = computed.select(*keys, "_scope", "_reason", "_fired", "_todo_due")
    return Outcome(verdicts, hits)


def _provenance(plan: _PartPlan) -> list[pl.Expr]:
    """``_policy`` and ``_basis_zh``/``_basis_en`` of the fired rows: the law's, and where the
    shop's longer promise set the window, the service version's beside it (SPEC 5: the
    version used is recorded on every finding)."""
    zh, en = plan.basis
    columns = {"_policy": plan.policy_ref, "_basis_zh": zh, "_basis_en": en}
    plain = [pl.lit(value, dtype=pl.String).alias(name) for name, value in columns.items()]
    if PROMISE_FACT not in plan.facts or plan.service_ref is None or plan.policy_ref is None:
        return plain
    promised_zh, promised_en = _promise_basis(plan.basis, plan.service_ref)
    promised = {
        "_policy": f"{plan.policy_ref}+{plan.service_ref}",
        "_basis_zh": promised_zh,
        "_basis_en": promised_en,
    }
    by_promise = pl.col(f"_f_{PROMISE_FACT}").fill_null(False)
    return [
        pl.when(by_promise)
        .then(pl.lit(promised[name], dtype=pl.String))
        .otherwise(pl.lit(value, dtype=pl.String))
        .alias(name)
        for name, value in columns.items()
    ]


def _plan_rule(
    rule: Rule, frame: Frame, stack: Any, as_of: datetime, calendar: Any
) -> list[_PartPlan]:
    plans = []
    for law_ref, service_ref, part in frame.parts:
        law = stack.get(law_ref) if law_ref is not None else None
        service = stack.get(service_ref) if service_ref is not None else None
        env = RuleEnv(
            law=law,
            service=service,
            present=frame.present,
            as_of=as_of,
            calendar=calendar,
            columns=frozenset(part.columns),
        )
        plans.append(_plan_partition(rule, part, frame, env, law, service))
    return plans


def _stacked(outcomes: list[Outcome]) -> Outcome:
    if not outcomes:
        return Outcome(pl.DataFrame(), pl.DataFrame())
    return Outcome(
        pl.concat([o.verdicts for o in outcomes], how="vertical_relaxed"),
        pl.concat([o.hits for o in outcomes], how="diagonal_relaxed"),
    )


# Rules collected together: polars runs their queries side by side, which keeps both cores
# busy (one rule's query alone leaves one mostly idle: 2.0 s → 1.3 s for the case rules of
# a million cases). Four rules' computed columns at once cost little memory.
RULES_PER_BATCH = 4


def evaluate_rules(
    rules: Sequence[Rule],
    frame: Frame,
    stack: Any,
    as_of: datetime,
    calendar: Any,
    batch: int = RULES_PER_BATCH,
) -> Iterator[tuple[Rule, Outcome]]:
    """Each rule's outcome for every row of ``frame`` (see :class:`Outcome`), in order."""
    for start in range(0, len(rules), batch):
        chunk = rules[start : start + batch]
        plans = [_plan_rule(rule, frame, stack, as_of, calendar) for rule in chunk]
        collected = iter(pl.collect_all([p.query for parts in plans for p in parts], engine=ENGINE))
        for rule, parts in zip(chunk, plans, strict=True):
            yield rule, _stacked([_finish_partition(p, next(collected), frame) for p in parts])


def evaluate_rule(
    rule: Rule,
    frame: Frame,
    stack: Any,
    as_of: datetime,
    calendar: Any,
) -> Outcome:
    """The rule's outcome for every row of ``frame`` (see :class:`Outcome`)."""
    return next(evaluate_rules([rule], frame, stack, as_of, calendar))[1]


def considered(outcome: pl.DataFrame) -> pl.DataFrame:
    """Rows the rule applies to (or cannot tell): the ones coverage counts."""
    if outcome.height == 0:
        return outcome
    return outcome.filter(pl.col("_scope").fill_null(True))
