"""A policy file, validated: its structure (pydantic), its parameters (against params.py) and
its rule overrides (against the rule registry).

Every problem becomes a :class:`~auditor.errors.Problem` naming the file and the key path
(``params.response_limit.unit``) with a zh and an en message; a file with problems is never
half-loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from auditor.errors import AuditorError, Problem
from auditor.model.fields import FREIGHT_PAYERS, REASON_CLASSES
from auditor.rules.params import PARAM, Param, ParamKind

LAYERS = ("law", "service")


def rule_layers() -> dict[str, str]:
    """Rule id → layer ("law"/"service") for every rule a policy may name (the registry is
    imported here, not at module level, so the rules package may import policies' helpers)."""
    from auditor.rules.registry import RULES

    return {rid: rule.layer for rid, rule in RULES.items() if rule.layer in LAYERS}


# -- structure ---------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _to_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


class TitleModel(_Strict):
    zh: str
    en: str


class RuleModel(_Strict):
    enabled: bool | None = None
    severity: Literal["critical", "error", "warning", "info"] | None = None
    in_force_from: date | None = None
    source: str

    _dates = field_validator("in_force_from", mode="before")(_to_date)


class DocumentModel(_Strict):
    file: str
    lines: list[int]


class PolicyModel(_Strict):
    id: str
    version: str
    title: TitleModel
    layer: Literal["law", "service"]
    effective_from: date
    effective_to: date | None = None
    extends: str | None = None
    params: dict[str, dict[str, Any]] = {}
    rules: dict[str, RuleModel] = {}
    document: DocumentModel | None = None
    citations: list[str] = []
    notes: str | list[str] | None = None

    _dates = field_validator("effective_from", "effective_to", mode="before")(_to_date)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


# -- the validated file ------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One parameter as a policy states it."""

    name: str
    value: Any  # normalised: LIMIT → {amount, unit, from}; others as written
    source: str
    unspecified: bool = False
    text: str | None = None  # the vague words, when unspecified
    from_stated: bool = True  # LIMIT: the policy names its start event
    note: str | None = None


@dataclass(frozen=True)
class RuleSetting:
    rule_id: str
    enabled: bool | None
    severity: str | None
    source: str
    in_force_from: date | None = None


@dataclass(frozen=True)
class PolicyFile:
    id: str
    version: str
    title: dict[str, str]
    layer: str
    effective_from: date
    effective_to: date | None
    extends: str | None
    params: dict[str, Clause]
    rules: dict[str, RuleSetting]
    path: Path
    document: dict[str, Any] | None = None
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


# -- messages ----------------------------------------------------------------------------

_TYPE_MESSAGES: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("未知的键", "unknown key"),
    "missing": ("缺少必填的键", "required key missing"),
    "string_type": ("应为文本", "expected text"),
    "bool_type": ("应为 true 或 false", "expected true or false"),
    "int_type": ("应为整数", "expected a whole number"),
    "float_type": ("应为数字", "expected a number"),
    "date_type": ("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "date_parsing": ("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "date_from_datetime_parsing": ("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "dict_type": ("应为映射(键: 值)", "expected a mapping (key: value)"),
    "model_type": ("应为映射(键: 值)", "expected a mapping (key: value)"),
    "list_type": ("应为列表", "expected a list"),
}


def _path(parts: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in parts)


def _pydantic_problems(exc: ValidationError, where: str, prefix: tuple = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        # A union reports each branch; keep the first branch name out of the key path.
        loc = tuple(p for p in loc if p not in ("str", "list[str]", "bool", "date", "int"))
        kind = err["type"]
        if kind == "literal_error":
            expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "")
            expected = expected.replace(" or ", ", ")
            zh, en = f"应为以下之一: {expected}", f"expected one of: {expected}"
        elif kind in _TYPE_MESSAGES:
            zh, en = _TYPE_MESSAGES[kind]
        else:
            zh, en = f"取值无效: {err['msg']}", f"invalid value: {err['msg']}"
        problems.append(Problem(zh, en, file=where, column=_path(prefix + loc)))
    # unions repeat one mistake per branch: report each location once
    unique: dict[str, Problem] = {}
    for p in problems:
        unique.setdefault(p.column or "", p)
    return list(unique.values())


# -- parameter values --------------------------------------------------------------------

_LIMIT_KEYS = {"amount", "unit", "from", "source", "note"}
_VAGUE_KEYS = {"unspecified", "text", "source", "note"}
_VALUE_KEYS = {"value", "source", "note"}
_VAGUE_KINDS = {ParamKind.LIMIT, ParamKind.LIMIT_BY_CATEGORY, ParamKind.FREIGHT_BY_REASON}


# The longest term a policy may state, per unit: about a century (a "lifetime" warranty is
# not a number), and a year of working days. Longer amounts are typing slips, and would run
# past what dates can hold (year 9999) or past the working-day calendar's last year.
MAX_AMOUNT = {"hours": 876_000, "calendar_days": 36_500, "months": 1_200, "working_days": 250}
UNIT_WORDS = {
    "hours": ("小时", "hours"),
    "calendar_days": ("自然日", "calendar days"),
    "months": ("个月", "months"),
    "working_days": ("工作日", "working days"),
}
# Counted units: a day or a month is whole (half a working day has no due date on the calendar,
# and rounding it would silently change the term).
WHOLE_UNITS = {
    "working_days": ("工作日数须为整数", "working days must be a whole number"),
    "months": ("月数须为整数", "months must be a whole number"),
}


def _finite_number(value: Any) -> bool:
    """A YAML number the engine can compute with: YAML's .nan and .inf are floats too, and
    would pass a sign check only to crash (or never end a limit) later."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


class _ParamChecker:
    """Checks one ``params.<name>`` entry against its declaration, collecting problems."""

    def __init__(self, where: str, name: str, param: Param) -> None:
        self.where, self.name, self.param = where, name, param
        self.problems: list[Problem] = []

    def fail(self, key: str | None, zh: str, en: str) -> None:
        column = f"params.{self.name}" + (f".{key}" if key else "")
        self.problems.append(Problem(zh, en, file=self.where, column=column))

    def keys(self, raw: dict, allowed: set[str], required: set[str], prefix: str = "") -> bool:
        ok = True
        for key in raw:
            if key not in allowed:
                self.fail(prefix + str(key), "未知的键", "unknown key")
                ok = False
        for key in sorted(required - set(raw)):
            self.fail(prefix + key, "缺少必填的键", "required key missing")
            ok = False
        return ok

    def text(self, raw: dict, key: str) -> str | None:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "应为非空文本", "expected non-empty text")
            return None
        return value

    def check(self, raw: Any) -> Clause | None:
        if not isinstance(raw, dict):
            self.fail(None, "应为映射(键: 值)", "expected a mapping (key: value)")
            return None
        kind = self.param.kind
        if "unspecified" in raw:
            return self._vague(raw)
        if kind is ParamKind.LIMIT:
            if not self.keys(raw, _LIMIT_KEYS, {"amount", "unit", "source"}):
                return None
            limit = self.limit(raw, "")
            source = self.text(raw, "source")
            if limit is None or source is None:
                return None
            return Clause(
                self.name,
                limit,
                source,
                from_stated="from" in raw,
                note=raw.get("note"),
            )
        if not self.keys(raw, _VALUE_KEYS, {"value", "source"}):
            return None
        source = self.text(raw, "source")
        value = self.value(raw["value"])
        if source is None or value is None:
            return None
        return Clause(self.name, value, source, note=raw.get("note"))

    def _vague(self, raw: dict) -> Clause | None:
        if self.param.kind not in _VAGUE_KINDS:
            self.fail(
                "unspecified",
                f"{self.name} 不能记为未明确",
                f"{self.name} cannot be recorded as unspecified",
            )
            return None
        if not self.keys(raw, _VAGUE_KEYS, {"unspecified", "text", "source"}):
            return None
        if raw["unspecified"] is not True:
            self.fail("unspecified", "应为 true", "expected true")
            return None
        text, source = self.text(raw, "text"), self.text(raw, "source")
        if text is None or source is None:
            return None
        value = {"unspecified": True, "text": text}
        return Clause(self.name, value, source, unspecified=True, text=text, note=raw.get("note"))

    def limit(self, raw: dict, prefix: str) -> dict | None:
        amount, unit, start = raw.get("amount"), raw.get("unit"), raw.get("from")
        ok = True
        if not _finite_number(amount) or amount <= 0:
            self.fail(prefix + "amount", "应为正数", "expected a positive number")
            ok = False
        units = [u.value for u in self.param.units]
        if unit not in units:
            self.fail(
                prefix + "unit",
                f"{self.name} 不能用单位「{unit}」,应为: {', '.join(units)}",
                f"unit '{unit}' is not allowed for {self.name}; expected one of: {', '.join(units)}",
            )
            ok = False
        starts = list(self.param.starts)
        if start is not None and start not in starts:
            self.fail(
                prefix + "from",
                f"{self.name} 不能从「{start}」起算,应为: {', '.join(starts)}",
                f"'{start}' is not a start event for {self.name}; expected one of: {', '.join(starts)}",
            )
            ok = False
        if ok and unit in WHOLE_UNITS and amount != int(amount):
            zh, en = WHOLE_UNITS[unit]
            self.fail(prefix + "amount", f"{zh}(写的是 {amount})", f"{en} (got {amount})")
            ok = False
        if ok and amount > MAX_AMOUNT[unit]:
            zh, en = UNIT_WORDS[unit]
            most = MAX_AMOUNT[unit]
            self.fail(
                prefix + "amount",
                f"期限过长: {amount}{zh},上限为 {most}{zh}",
                f"limit too long: {amount} {en}; at most {most} {en}",
            )
            ok = False
        if not ok:
            return None
        if unit in WHOLE_UNITS:
            amount = int(amount)  # 3.0 is 3: the due-date arithmetic counts whole days
        return {"amount": amount, "unit": unit, "from": start or starts[0]}

    def value(self, value: Any) -> Any:
        kind = self.param.kind
        if kind in (ParamKind.KEYWORDS, ParamKind.CLAUSES, ParamKind.REASONS):
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                self.fail("value", "应为文本列表", "expected a list of texts")
                return None
            if kind is ParamKind.REASONS:
                return self._enum_list(value, REASON_CLASSES, "value")
            return list(value)
        if kind is ParamKind.FREIGHT_BY_REASON:
            return self._freight(value)
        if kind is ParamKind.LIMIT_BY_CATEGORY:
            return self._by_category(value)
        if kind is ParamKind.AMOUNT:
            if not _finite_number(value) or value < 0:
                self.fail("value", "应为不小于 0 的数", "expected a number not below 0")
                return None
            return value
        if kind is ParamKind.COUNT:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.fail("value", "应为正整数", "expected a positive whole number")
                return None
            return value
        if kind is ParamKind.TARGET:
            return self._target(value)
        raise AssertionError(f"unhandled kind {kind}")  # every kind is handled above

    def _enum_list(self, values: list[str], allowed: tuple[str, ...], key: str) -> list | None:
        bad = [v for v in values if v not in allowed]
        if bad:
            self.fail(
                key,
                f"未知取值 {', '.join(bad)},应为: {', '.join(allowed)}",
                f"unknown value {', '.join(bad)}; expected one of: {', '.join(allowed)}",
            )
            return None
        return list(values)

    def _freight(self, value: Any) -> dict | None:
        if not isinstance(value, dict):
            self.fail("value", "应为映射(原因: 承担方)", "expected a mapping (reason: payer)")
            return None
        ok = self._enum_list(list(value), REASON_CLASSES, "value") is not None
        for reason, payer in value.items():
            if payer not in FREIGHT_PAYERS:
                self.fail(
                    f"value.{reason}",
                    f"应为以下之一: {', '.join(FREIGHT_PAYERS)}",
                    f"expected one of: {', '.join(FREIGHT_PAYERS)}",
                )
                ok = False
        return dict(value) if ok else None

    def _by_category(self, value: Any) -> dict | None:
        if not isinstance(value, dict):
            self.fail("value", "应为映射(类目关键词: 期限)", "expected a mapping (category: limit)")
            return None
        out = {}
        for category, limit in value.items():
            prefix = f"value.{category}."
            if not isinstance(limit, dict):
                self.fail(f"value.{category}", "应为期限映射", "expected a limit mapping")
                continue
            if self.keys(limit, {"amount", "unit", "from"}, {"amount", "unit"}, prefix):
                checked = self.limit(limit, prefix)
                if checked is not None:
                    out[str(category)] = checked
        return out if len(out) == len(value) else None

    def _target(self, value: Any) -> dict | None:
        def share(v: Any) -> bool:
            return not isinstance(v, bool) and isinstance(v, int | float) and 0 <= v <= 1

        if isinstance(value, dict) and set(value) == {"max"} and share(value["max"]):
            return dict(value)
        if (
            isinstance(value, dict)
            and set(value) == {"ok", "error"}
            and share(value["ok"])
            and (value["error"] is None or share(value["error"]))
        ):
            if value["error"] is not None and value["error"] > value["ok"]:
                # higher is better for an {ok, error} KPI: an error line above the ok line
                # would call a value both fine and failing
                self.fail(
                    "value.error",
                    f"error 线({value['error']})高于 ok 线({value['ok']}):此 KPI 越高越好,"
                    "error 应不高于 ok",
                    f"the error line ({value['error']}) is above the ok line ({value['ok']}): "
                    "higher is better for this KPI, so error must not exceed ok",
                )
                return None
            return dict(value)
        self.fail(
            "value",
            "应为 {ok: 比例, error: 比例或 null} 或 {max: 比例}(比例在 0 与 1 之间)",
            "expected {ok: share, error: share or null} or {max: share} (shares between 0 and 1)",
        )
        return None


# -- the file ----------------------------------------------------------------------------


def parse_policy(raw: Any, path: Path) -> PolicyFile:
    """Validate one parsed YAML document; raise AuditorError listing every problem."""
    where = str(path)
    if not isinstance(raw, dict):
        raise AuditorError(
            [Problem("文件顶层应为映射(键: 值)", "the top level must be a mapping", file=where)]
        )
    try:
        model = PolicyModel.model_validate(raw)
    except ValidationError as exc:
        raise AuditorError(_pydantic_problems(exc, where)) from None
    problems: list[Problem] = []
    params = _check_params(model, where, problems)
    rules = _check_rules(model, where, problems)
    if model.effective_to is not None and model.effective_to < model.effective_from:
        problems.append(
            Problem(
                "effective_to 早于 effective_from",
                "effective_to is before effective_from",
                file=where,
                column="effective_to",
            )
        )
    if model.document is not None and len(model.document.lines) != 2:
        problems.append(
            Problem(
                "应为 [起始行, 结束行]",
                "expected [first line, last line]",
                file=where,
                column="document.lines",
            )
        )
    if problems:
        raise AuditorError(problems)
    notes = model.notes if isinstance(model.notes, list) else [model.notes] if model.notes else []
    return PolicyFile(
        id=model.id,
        version=model.version,
        title={"zh": model.title.zh, "en": model.title.en},
        layer=model.layer,
        effective_from=model.effective_from,
        effective_to=model.effective_to,
        extends=model.extends,
        params=params,
        rules=rules,
        path=path,
        document=model.document.model_dump() if model.document else None,
        citations=tuple(model.citations),
        notes=tuple(notes),
    )


def _check_params(model: PolicyModel, where: str, problems: list[Problem]) -> dict[str, Clause]:
    out: dict[str, Clause] = {}
    for name, raw in model.params.items():
        param = PARAM.get(name)
        if param is None:
            problems.append(
                Problem(
                    f"未知参数「{name}」",
                    f"unknown parameter '{name}'",
                    file=where,
                    column=f"params.{name}",
                )
            )
            continue
        if model.layer == "law" and param.layer != "law":
            problems.append(
                Problem(
                    f"法律层策略不能设置服务层参数「{name}」",
                    f"a law policy may not set the service parameter '{name}'",
                    file=where,
                    column=f"params.{name}",
                )
            )
            continue
        checker = _ParamChecker(where, name, param)
        clause = checker.check(raw)
        problems.extend(checker.problems)
        if clause is not None and not checker.problems:
            out[name] = clause
    return out


def _check_rules(model: PolicyModel, where: str, problems: list[Problem]) -> dict:
    layers = rule_layers()
    out: dict[str, RuleSetting] = {}
    for rule_id, setting in model.rules.items():
        column = f"rules.{rule_id}"
        layer = layers.get(rule_id)
        if layer is None:
            problems.append(
                Problem(
                    f"未知规则「{rule_id}」", f"unknown rule id '{rule_id}'", where, column=column
                )
            )
            continue
        if model.layer == "service" and layer == "law":
            problems.append(
                Problem(
                    f"规则 {rule_id} 属于法律层,服务层策略不能关闭或改变其等级",
                    f"rule {rule_id} belongs to the law layer; "
                    "a service policy may not switch it off or re-grade it",
                    file=where,
                    column=column,
                )
            )
            continue
        if model.layer == "law" and layer == "service":
            problems.append(
                Problem(
                    f"规则 {rule_id} 属于服务层,法律层策略不能设置",
                    f"rule {rule_id} belongs to the service layer; a law policy may not set it",
                    file=where,
                    column=column,
                )
            )
            continue
        out[rule_id] = RuleSetting(
            rule_id, setting.enabled, setting.severity, setting.source, setting.in_force_from
        )
    return out
