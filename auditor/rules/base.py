"""What a rule is: one frozen declaration (id, layer, severity, texts, basis, parameters, check).

Rules are declared once, in the module of their family (returns, freight, amounts, deadlines,
evidence, kpis, data_checks), and registered by ``auditor.rules.registry``. A case or order
rule's ``check`` receives a :class:`RuleEnv` (one partition of the frame that shares the same
policy versions) and returns a :class:`Verdict`: polars expressions over that partition, never
a per-row loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import polars as pl

LAYERS = ("law", "service", "data")
SEVERITIES = ("critical", "error", "warning", "info")
SCOPES = ("case", "order", "scorecard", "data")


class PolicyLike(Protocol):
    """The part of ``auditor.policies.ResolvedPolicy`` that rules read (contracts.md §3)."""

    ref: str
    family: str
    version: str
    layer: str

    def param(self, name: str) -> Any: ...

    def rule_enabled(self, rule_id: str) -> bool: ...

    def rule_severity(self, rule_id: str) -> str | None: ...


@dataclass(frozen=True, eq=False)
class Example:
    """A documented example. ``case``/``order``/``cases`` hold canonical field values, so the
    tests can run every rule on its own documentation and prove the page right."""

    zh: str
    en: str
    case: Mapping[str, Any] | None = None
    order: Mapping[str, Any] | None = None
    cases: tuple[Mapping[str, Any], ...] = ()
    as_of: str | None = None


@dataclass(frozen=True, eq=False)
class Verdict:
    """One rule's outcome over a partition, as expressions (evaluated by the engine).

    - ``scope``: Boolean, Kleene: true = the case is one the rule applies to, false = not,
      null = cannot tell because a field the scope needs is absent from the layout.
    - ``not_judged``: String reason (null = judged) for cases in scope.
    - ``fired``: Boolean, read only where judged.
    - ``due``/``actual``: datetimes for deadline and window rules (``actual`` null for an
      open case found undone at ``as_of``).
    - ``facts``: extra named values for the message templates.
    - ``todo_due``: for open cases still inside their deadline, the due time (to-do list).
    - ``prelude``: named columns computed before the rest, which refer to them by name.
    """

    scope: pl.Expr
    not_judged: pl.Expr
    fired: pl.Expr
    due: pl.Expr | None = None
    actual: pl.Expr | None = None
    facts: Mapping[str, pl.Expr] = field(default_factory=dict)
    todo_due: pl.Expr | None = None
    # Columns computed first, that the other expressions name with pl.col (a due time used
    # by several of them is then worked out once).
    prelude: tuple[tuple[str, pl.Expr], ...] = ()


@dataclass(frozen=True, eq=False)
class RuleEnv:
    """What a check may read: the policy versions of its partition, the layout, the clock."""

    law: PolicyLike | None
    service: PolicyLike | None
    present: Callable[[str], pl.Expr]
    as_of: datetime
    calendar: Any  # auditor.calendars.cn_workdays.WorkdayCalendar
    # The partition's columns: a few fields (paid_at, ordered_at) reach the case frame only
    # when the engine joins them from the orders, and a column not there cannot be named.
    columns: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    name: str  # dotted English, usable wherever an id is
    layer: str  # "law" | "service" ("data" for the Q checks)
    severity: str  # default grade; a service policy may re-grade service rules only
    title_zh: str
    title_en: str
    basis: str  # article numbers (law) or the policy clause
    params: tuple[str, ...]  # names from auditor.rules.params
    message_zh: str  # str.format template over the finding's fact columns
    message_en: str
    doc: str  # what it checks, in English
    example_fires: Example | None
    example_passes: Example | None
    check: Callable[[RuleEnv], Verdict] | None = None
    doc_zh: str = ""
    scope: str = "case"  # case | order | scorecard | data
    in_force_from: date | None = None  # law rules: the date their law took effect
    action_zh: str = ""  # to-do text for an open case still inside the deadline
    action_en: str = ""
    basis_en: str = ""  # the basis in English (statute titles glossed); empty: `basis` as is

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh

    def action(self, lang: str) -> str:
        return self.action_en if lang == "en" else self.action_zh

    def basis_text(self, lang: str) -> str:
        return self.basis_en if lang == "en" and self.basis_en else self.basis

    def describe(self, lang: str) -> str:
        return self.doc if lang == "en" else (self.doc_zh or self.doc)
