"""The terms of SPEC 6.2 and the building blocks every check uses, as polars expressions.

Three-valued logic carries "cannot tell": a condition on a field the layout does not carry is
null (polars ``&``/``|`` are Kleene, so ``False & null`` is False and ``True & null`` is null).
A blank value in a column that exists is simply "not that value" (false), except the category:
a blank category is not "no excluded category" but an eligibility nobody can tell (null).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from auditor.calendars.cn_workdays import due_after, is_late, within
from auditor.model.fields import PROOF_NEEDED_REASONS
from auditor.rules.base import PolicyLike, RuleEnv, Verdict
from auditor.rules.params import PARAM

OPEN = "open"
# A Verdict fact (Boolean) a window rule sets where the shop's longer promise, not the law's
# window, made the case fire: the engine then names the service version on the finding.
PROMISE_FACT = "by_promise"


# -- parameters -------------------------------------------------------------------------------
def param(policy: PolicyLike | None, name: str) -> Any:
    """The policy's value, or the declared default when the policy is absent or leaves it unset."""
    value = policy.param(name) if policy is not None else None
    return PARAM[name].default if value is None else value


def stated(policy: PolicyLike | None, name: str) -> Any:
    """The policy's own value, None when it states none (no default filled in)."""
    return policy.param(name) if policy is not None else None


def is_unspecified(limit: Any) -> bool:
    return isinstance(limit, dict) and bool(limit.get("unspecified"))


def limit_unit(limit: dict) -> str:
    return str(limit["unit"])


def limit_text(limit: dict | None, lang: str) -> str:
    if not limit or is_unspecified(limit):
        return str((limit or {}).get("text", "")) or ("未规定" if lang != "en" else "unspecified")
    amount = limit["amount"]
    amount_s = f"{amount:g}" if isinstance(amount, float) else str(amount)
    unit = limit_unit(limit)
    if lang == "en":
        words = {
            "hours": "hours",
            "calendar_days": "calendar days",
            "working_days": "working days",
            "months": "months",
        }
        word = words[unit]
        return f"{amount_s} {word.removesuffix('s') if amount == 1 else word}"
    words = {
        "hours": "小时",
        "calendar_days": "个自然日",
        "working_days": "个工作日",
        "months": "个月",
    }
    return f"{amount_s}{words[unit]}"


def promise_text(limit: dict, lang: str) -> str:
    """A limit the shop's own policy promised, so named in the message."""
    text = limit_text(limit, lang)
    return f"the shop's promised {text}" if lang == "en" else f"店铺承诺的{text}"


def limit_from(limit: dict, default: str) -> str:
    return str(limit.get("from") or default)


# A deadline's start event in a message ("{since}{limit}内" / "within {limit} of {since}"):
# the one the policy counts from, which may not be the rule's usual one (seed-09 counts the
# refund-only limit from the application, not the approval).
START_WORDS = {
    "applied_at": ("申请后", "the application"),
    "decided_at": ("同意后", "the approval"),
    "return_received_at": ("收到退货后", "receiving the return"),
    "signed_at": ("签收后", "signing"),
    "paid_at": ("付款后", "payment"),
    "ordered_at": ("下单后", "the order"),
}


def since_facts(start: str) -> dict[str, pl.Expr]:
    zh, en = START_WORDS.get(start, (f"{start} 后", start))
    return {"since_zh": pl.lit(zh), "since_en": pl.lit(en)}


# -- field conditions -------------------------------------------------------------------------
def known(env: RuleEnv, field: str, condition: pl.Expr) -> pl.Expr:
    """``condition`` where the layout carries ``field`` (blank → false), null where it does not."""
    return pl.when(env.present(field)).then(condition.fill_null(False)).otherwise(None)


def is_in(env: RuleEnv, field: str, values: Iterable[str]) -> pl.Expr:
    return known(env, field, pl.col(field).is_in(list(values)))


def equals(env: RuleEnv, field: str, value: str) -> pl.Expr:
    return known(env, field, pl.col(field) == value)


def is_true(env: RuleEnv, field: str) -> pl.Expr:
    return known(env, field, pl.col(field))


def has_value(env: RuleEnv, field: str) -> pl.Expr:
    return known(env, field, pl.col(field).is_not_null())


def all_of(*conditions: pl.Expr) -> pl.Expr:
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


def category_matches(env: RuleEnv, keywords: Sequence[str] | None) -> pl.Expr:
    """The category text contains one of the keywords (SPEC 6.2 *matches*); null where the
    layout has no category or the cell is blank: a blank category may be fresh food as well
    as clothing, so whether the goods are excluded cannot be told."""
    words = [w for w in (keywords or []) if w]
    if not words:
        return known(env, "category", pl.lit(False))
    return pl.when(env.present("category")).then(pl.col("category").str.contains_any(words))


def category_blank(env: RuleEnv) -> pl.Expr:
    return env.present("category") & pl.col("category").is_null()


# -- SPEC 6.2 terms ---------------------------------------------------------------------------
def seller_fault_reasons(env: RuleEnv) -> list[str]:
    """Reasons whose freight the law puts on the seller (``freight_by_reason``: seller)."""
    table = param(env.law, "freight_by_reason") or {}
    return sorted(r for r, payer in table.items() if payer == "seller")


def proof_needed_reasons(env: RuleEnv) -> list[str]:
    reasons = param(env.service, "evidence_required_reasons")
    return list(reasons if reasons is not None else PROOF_NEEDED_REASONS)


def statutory_excluded(env: RuleEnv) -> pl.Expr:
    return category_matches(env, param(env.law, "statutory_exclusions"))


def confirm_required_keywords(env: RuleEnv) -> list[str]:
    """The law's confirm-required keywords, plus those the service policy adds: a platform's
    category rules make more goods confirm-at-purchase (Interim Measures Art. 7), and with
    the consumer's confirmation they are lawfully excluded. The statutory list is the law's
    alone (a shop may not widen it, Implementing Regulations Art. 19 ¶1), so a service
    policy's ``statutory_exclusions`` is never read here; `policy check` reports it (P004)."""
    words = list(param(env.law, "confirm_required") or [])
    added = stated(env.service, "confirm_required") if env.service is not None else None
    return words + [w for w in added or [] if w not in words]


def confirm_required(env: RuleEnv) -> pl.Expr:
    return category_matches(env, confirm_required_keywords(env))


def eligible(env: RuleEnv) -> pl.Expr:
    """Matches no statutory exclusion and is not (confirm-required and confirmed)."""
    confirmed = is_true(env, "exclusion_confirmed")
    return ~statutory_excluded(env) & ~(confirm_required(env) & confirmed)


def due_of(limit: Any, start_field: str, env: RuleEnv) -> pl.Expr | None:
    if not isinstance(limit, dict) or is_unspecified(limit):
        return None
    if limit_from(limit, start_field) != start_field:
        return None  # counted from another event: not comparable here (see promise())
    return due_after(pl.col(start_field), limit["amount"], limit["unit"], env.calendar)


def started(env: RuleEnv, field: str) -> pl.Expr:
    return env.present(field) & pl.col(field).is_not_null()


# Events before delivery a shop may count a promise from. Ordering and payment come before
# signing (Q003 reports a signing before payment), so a promise counted from one of them ends
# no later than the same promise counted from signing: an application after that end is
# outside the promise whatever the payment time was.
BEFORE_SIGNING = ("paid_at", "ordered_at")
WINDOW_PARAMS = ("no_reason_window", "quality_return_window", "quality_exchange_window", "warranty")
_NO_TIME = pl.lit(None, dtype=pl.Datetime("us"))


@dataclass(frozen=True, eq=False)
class Window:
    """A consumer window: the law's, widened by what the shop promises (Implementing
    Regulations Art. 12: a longer promise binds the shop; a shorter one never relaxes the law).

    ``due``: the latest end known to bind (the law's while a promise's start is unknown);
    ``inside``: the application came no later than the binding end; Kleene, null where the
    answer hangs on a promise whose start (or category) is blank or absent; ``unknown``:
    (condition, reason) pairs saying which, each true only where its part is open.
    """

    due: pl.Expr
    inside: pl.Expr
    unknown: tuple[tuple[pl.Expr, str], ...] = ()
    law_inside: pl.Expr | None = None  # inside the law's own window (None: no promise widens it)

    @property
    def by_promise(self) -> pl.Expr:
        """Inside only because the shop promised more: the shop's policy set the window that
        binds (its version is then named on the finding beside the law's)."""
        if self.law_inside is None:
            return pl.lit(False)
        return (self.inside & ~self.law_inside).fill_null(False)

    def reasons(self, fires: pl.Expr) -> list[tuple[pl.Expr, str]]:
        """Not judged where the rule's answer hangs on what the window cannot tell; where the
        law's window alone decides (or the rest of the rule does), the case is judged."""
        hangs = fires.is_null() & self.inside.is_null()
        return [(hangs & condition, reason) for condition, reason in self.unknown]


def category_unknown(env: RuleEnv, open_: pl.Expr) -> list[tuple[pl.Expr, str]]:
    return [
        (open_ & ~env.present("category"), "field absent: category"),
        (open_ & category_blank(env), "field blank: category"),
    ]


def promise(
    env: RuleEnv, limit: Any, start_field: str = "signed_at", applies: pl.Expr | None = None
) -> tuple[pl.Expr, pl.Expr, list[tuple[pl.Expr, str]]] | None:
    """(due, inside, unknown) of one limit the shop promised, counted from its own start; None
    when it promises nothing. ``applies``: the category it is promised for (Kleene)."""
    if not isinstance(limit, dict) or is_unspecified(limit):
        return None
    applied = pl.col("applied_at")
    start = limit_from(limit, start_field)
    amount, unit = limit["amount"], limit_unit(limit)
    unknown: list[tuple[pl.Expr, str]] = []
    if start == start_field:
        due = due_after(pl.col(start), amount, unit, env.calendar)
        inside = within(applied, due)
    else:
        # The start comes from the orders export (engine/run.py joins it when a promise
        # counts from it); without it the promise is undecided, never quietly dropped.
        carried = start in env.columns
        if carried:
            known = started(env, start)
            due = pl.when(known).then(due_after(pl.col(start), amount, unit, env.calendar))
        else:
            known, due = pl.lit(False), _NO_TIME
        reach = (
            within(applied, due_after(pl.col(start_field), amount, unit, env.calendar))
            if start in BEFORE_SIGNING
            else pl.lit(True)
        )
        inside = pl.when(known).then(within(applied, due)).when(~reach).then(False)
        absent = ~env.present(start) if carried else pl.lit(True)
        open_ = inside.is_null()
        unknown = [
            (open_ & absent, f"field absent: {start}"),
            (open_, f"field blank: {start}"),
        ]
    if applies is not None:
        unknown = [(c & applies.fill_null(True), reason) for c, reason in unknown]
        unknown = [*category_unknown(env, applies.is_null() & inside.fill_null(True)), *unknown]
        inside = applies & inside
        due = pl.when(applies.fill_null(False)).then(due)
    return due, inside, unknown


def widen(
    law_due: pl.Expr,
    law_in: pl.Expr,
    promises: Sequence[tuple[pl.Expr, pl.Expr, list[tuple[pl.Expr, str]]] | None],
    unknown: Sequence[tuple[pl.Expr, str]] = (),
) -> Window:
    """The law's window widened by each promise: inside either binds (Kleene or)."""
    due, inside, reasons = law_due, law_in, list(unknown)
    widened = False
    for found in promises:
        if found is None:
            continue
        promised_due, promised_in, promised_unknown = found
        due = pl.max_horizontal(due, promised_due)
        inside = inside | promised_in
        reasons += promised_unknown
        widened = True
    return Window(due, inside, tuple(reasons), law_in if widened else None)


def law_due(env: RuleEnv, name: str, start_field: str = "signed_at") -> pl.Expr:
    due = due_of(param(env.law, name), start_field, env)
    if due is None:  # the law layer always states its windows; fall back to the declaration
        due = due_of(PARAM[name].default, start_field, env)
    return due  # type: ignore[return-value]


def window(env: RuleEnv, name: str, start_field: str = "signed_at") -> Window:
    """The binding end of a consumer window: the law's, or the service policy's where it
    promises more, counted from the promise's own start (signing, payment or order)."""
    due = law_due(env, name, start_field)
    applied = pl.col("applied_at")
    return widen(due, within(applied, due), [promise(env, stated(env.service, name), start_field)])


def promise_starts(policy: PolicyLike | None) -> set[str]:
    """The events before signing that the policy's window promises count from: the case
    frame needs them from the orders export to judge those promises."""
    limits = [stated(policy, name) for name in WINDOW_PARAMS]
    limits += list((stated(policy, "warranty_by_category") or {}).values())
    starts = {
        limit_from(limit, "signed_at")
        for limit in limits
        if isinstance(limit, dict) and not is_unspecified(limit)
    }
    return starts & set(BEFORE_SIGNING)


def statutory_window_due(env: RuleEnv) -> pl.Expr:
    """The law's own no-reason window (not a shop's longer promise): it defines which returns
    carry the statutory refund and handling duties (SPEC 6.2)."""
    due = due_of(param(env.law, "no_reason_window"), "signed_at", env)
    return due if due is not None else due_of(PARAM["no_reason_window"].default, "signed_at", env)


def eligibility_unknown(env: RuleEnv) -> list[tuple[pl.Expr, str]]:
    """Eligibility (and so whether the return is statutory) cannot be told: a blank category,
    or a confirm-required category in a layout without exclusion_confirmed."""
    return [
        (category_blank(env), "field blank: category"),
        (
            confirm_required(env).fill_null(False) & ~env.present("exclusion_confirmed"),
            "field absent: exclusion_confirmed",
        ),
    ]


def statutory_no_reason_return(env: RuleEnv, unknown_eligibility: bool = False) -> pl.Expr:
    """An eligible no_reason return_refund applied within the statutory 7 days after signing.

    ``unknown_eligibility``: a case whose eligibility cannot be told (eligibility_unknown)
    counts as in scope, for a deadline rule that leaves it not judged only where it would
    fire (``unknown_if_late``): a refund made in time is in time, eligible or not.
    """
    inside = pl.when(started(env, "signed_at")).then(
        within(pl.col("applied_at"), statutory_window_due(env))
    )
    may_be_eligible = eligible(env).fill_null(True) if unknown_eligibility else eligible(env)
    return all_of(
        equals(env, "reason_class", "no_reason"),
        equals(env, "case_type", "return_refund"),
        may_be_eligible,
        inside,
    )


def day_number(start_field: str = "signed_at") -> pl.Expr:
    """Which day after the start the application fell on (the start day is day 0)."""
    return (pl.col("applied_at").dt.date() - pl.col(start_field).dt.date()).dt.total_days()


# -- reasons a case is not judged ---------------------------------------------------------------
def absent_reasons(env: RuleEnv, fields: Sequence[str]) -> list[tuple[pl.Expr, str]]:
    return [(~env.present(f), f"field absent: {f}") for f in fields]


def blank_reasons(fields: Sequence[str]) -> list[tuple[pl.Expr, str]]:
    return [(pl.col(f).is_null(), f"field blank: {f}") for f in fields]


REASON = pl.Categorical  # a handful of distinct texts over millions of rows


def reason_lit(text: str | None) -> pl.Expr:
    return pl.lit(text, dtype=REASON)


def first_reason(pairs: Sequence[tuple[pl.Expr, str]]) -> pl.Expr:
    """The first reason whose condition holds, else null (judged)."""
    if not pairs:
        return reason_lit(None)
    expr = pl.when(pairs[0][0]).then(reason_lit(pairs[0][1]))
    for condition, reason in pairs[1:]:
        expr = expr.when(condition).then(reason_lit(reason))
    return expr.otherwise(reason_lit(None))


def condition_verdict(
    env: RuleEnv,
    *,
    scope: pl.Expr,
    fires: pl.Expr,
    needs: Sequence[str],
    blanks: Sequence[str] = (),
    extra: Sequence[tuple[pl.Expr, str]] = (),
    facts: dict[str, pl.Expr] | None = None,
    due: pl.Expr | None = None,
    actual: pl.Expr | None = None,
) -> Verdict:
    """A rule that compares no completion time with a deadline (W, X, C, A, E)."""
    reasons = [*absent_reasons(env, needs), *blank_reasons(blanks), *extra]
    return Verdict(
        scope=scope,
        not_judged=first_reason(reasons),
        fired=fires.fill_null(False),
        due=due,
        actual=actual,
        facts=facts or {},
    )


def deadline_verdict(
    env: RuleEnv,
    *,
    scope: pl.Expr,
    needs: Sequence[str],
    limit: Any,
    limit_param: str,
    start: str,
    completion: pl.Expr,
    completion_field: str,
    decided_elsewhere: pl.Expr | None = None,
    due_override: pl.Expr | None = None,
    scope_blanks: Sequence[str] = (),
    extra: Sequence[tuple[pl.Expr, str]] = (),
    working_days: bool | None = None,
    unknown_if_late: Sequence[tuple[pl.Expr, str]] = (),
) -> Verdict:
    """A completion time compared with a limit counted from a start event (SPEC 6.1).
    ``working_days``: whether the due may be one the calendar cannot name (default: the
    limit's unit is working days; a due_override says so itself). ``unknown_if_late``:
    (condition, reason) pairs that leave a case not judged only where it would fire (whether
    the duty applies at all, e.g. a blank category): done in time is in time either way.

    Missing completion: fires only when the case is open and ``as_of`` is past due ("not done
    as of …"); a closed or cancelled case without it is not judged; an open case still inside
    its deadline is not judged yet and goes to the to-do list.
    """
    if is_unspecified(limit) or not isinstance(limit, dict):
        return Verdict(
            scope=scope,
            not_judged=reason_lit(f"limit unspecified: {limit_param}"),
            fired=pl.lit(False),
        )
    start_field = start
    due_expr = due_override
    if due_expr is None:
        due_expr = due_after(pl.col(start_field), limit["amount"], limit_unit(limit), env.calendar)
    as_of = pl.lit(env.as_of, dtype=pl.Datetime("us"))
    prelude = (
        ("_v_due", due_expr),
        ("_v_done", completion),
        ("_v_past_due", is_late(as_of, due_expr)),
    )
    due, completion = pl.col("_v_due"), pl.col("_v_done")
    missing = completion.is_null()
    is_open = pl.col("status") == OPEN
    # A working-day due after the calendar's last day (a December start) cannot be named, but
    # it lies after that day's end: a completion by then, or an open case at an as_of by
    # then, is in time. Only the rest are not judged (Q006).
    end = pl.lit(env.calendar.end, dtype=pl.Datetime("us"))
    if working_days is None:
        working_days = limit_unit(limit) == "working_days"
    # Hours and calendar days always give a due (no pass over the rows for them).
    after_end = (
        env.calendar.due_after_end(due, pl.col(start_field)) if working_days else pl.lit(False)
    )
    known_in_time = after_end & pl.when(missing).then(within(as_of, end)).otherwise(
        within(completion, end)
    )
    # Where the due is null every case has a reason before the past-due ones, or is in time.
    past_due = pl.col("_v_past_due").fill_null(False)
    fired = pl.when(missing).then(past_due).otherwise(is_late(completion, due))
    would_fire = fired.fill_null(False)
    reasons = [
        *absent_reasons(env, needs),
        *blank_reasons(scope_blanks),
        *extra,
        *[(condition & would_fire, reason) for condition, reason in unknown_if_late],
        *blank_reasons([start_field]),
        (due.is_null() & ~known_in_time, f"date outside calendar: {start_field}"),
    ]
    if decided_elsewhere is not None:
        reasons.append((missing & decided_elsewhere, f"field blank: {completion_field}"))
    reasons += [
        (missing & ~env.present("status"), "field absent: status"),
        (missing & pl.col("status").is_null(), "field blank: status"),
        # Said apart: an auditor filtering 已完结 for these must not find them 已撤销.
        (missing & (pl.col("status") == "cancelled"), f"cancelled without {completion_field}"),
        (missing & ~is_open, f"closed without {completion_field}"),
        (missing & ~past_due, "open, not yet due"),
    ]
    # An open case whose due is after the calendar's end is listed with that end: acting by
    # then is surely in time.
    todo = pl.when(missing & is_open & ~past_due).then(pl.coalesce(due, end))
    return Verdict(
        scope=scope,
        not_judged=first_reason(reasons),
        fired=fired.fill_null(False),
        due=due,
        actual=completion,
        todo_due=todo,
        facts={
            "limit_zh": pl.lit(limit_text(limit, "zh")),
            "limit_en": pl.lit(limit_text(limit, "en")),
            **since_facts(start_field),
        },
        prelude=prelude,
    )
