"""The rule catalogue: every rule declared once in its family's module, registered here.

``RULES`` (id → Rule) holds the policy rules in catalogue order (SPEC 6.3, 6.4); policies
validate their ``rules:`` overrides against it (ids and layers). ``DATA_CHECKS`` holds the Q
checks, which no policy can touch. ``auditor rules``, the workbook's rule sheet and the
engine all read these same objects.
"""

from __future__ import annotations

import re

from auditor.rules import amounts, data_checks, deadlines, evidence, freight, kpis, returns
from auditor.rules.base import Example, Rule, RuleEnv, Verdict
from auditor.rules.params import PARAM

__all__ = [
    "DATA_CHECKS",
    "RULES",
    "Example",
    "Rule",
    "RuleEnv",
    "Verdict",
    "all_checks",
    "get_rule",
    "register",
]

RULES: dict[str, Rule] = {}
DATA_CHECKS: dict[str, Rule] = {}

_ID = re.compile(r"^[A-Z]\d{3}$")


def register(rule: Rule) -> Rule:
    """Add a rule to the catalogue; a second rule with the same id or name is a programming error."""
    target = DATA_CHECKS if rule.layer == "data" else RULES
    if not _ID.match(rule.id):
        raise ValueError(f"rule id {rule.id!r} is not like W001")
    if rule.id in RULES or rule.id in DATA_CHECKS:
        raise ValueError(f"rule {rule.id} registered twice")
    if any(r.name == rule.name for r in (*RULES.values(), *DATA_CHECKS.values())):
        raise ValueError(f"rule name {rule.name!r} used twice")
    unknown = [p for p in rule.params if p not in PARAM]
    if unknown:
        raise ValueError(f"rule {rule.id} names unknown parameters {unknown}")
    target[rule.id] = rule
    return rule


def get_rule(rule_id: str) -> Rule:
    """The rule (or data check) with this id or dotted name; KeyError when unknown."""
    key = rule_id.strip()
    for table in (RULES, DATA_CHECKS):
        if key.upper() in table:
            return table[key.upper()]
        for rule in table.values():
            if rule.name == key:
                return rule
    raise KeyError(rule_id)


def all_checks() -> list[Rule]:
    """Policy rules then data checks, in catalogue order."""
    return [*RULES.values(), *DATA_CHECKS.values()]


for _rule in (
    returns.W001,
    returns.X001,
    returns.W002,
    returns.W003,
    returns.W004,
    freight.C001,
    amounts.A001,
    amounts.A002,
    amounts.A003,
    deadlines.D001,
    deadlines.D002,
    deadlines.D003,
    deadlines.D004,
    deadlines.D005,
    deadlines.D006,
    deadlines.D007,
    deadlines.D008,
    deadlines.D009,
    deadlines.D010,
    deadlines.D011,
    deadlines.D012,
    evidence.E001,
    evidence.E002,
    kpis.K001,
    kpis.K002,
    kpis.K003,
    kpis.K004,
    kpis.K005,
    kpis.K006,
    data_checks.Q001,
    data_checks.Q002,
    data_checks.Q003,
    data_checks.Q004,
    data_checks.Q005,
    data_checks.Q006,
    data_checks.Q007,
):
    register(_rule)
