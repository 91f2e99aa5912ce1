"""Layout profiles: data files that map a platform export's headers onto the canonical model.

The format is described in auditor/io/profiles/README.md. Bundled profiles live beside this
module; a user passes the path of their own file to `--profile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import AuditorError, Problem
from auditor.model.fields import CASE_FIELD, ORDER_FIELD, Field, Kind
from auditor.resources import package_data

KINDS = ("cases", "orders")
STATUS_KEYS = ("decision", "status")
ANY_TEXT = "*"  # a `values` key: any other non-blank text
BLANK = ""  # a `values` key: a blank cell

_SPACE = re.compile(r"\s+")
_HEADER_TRANS = str.maketrans({"（": "(", "）": ")", "\ufeff": None})
_VALUE_TRANS = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "\ufeff": None})


def normalise_header(text: object) -> str:
    """Header spelling used for matching: no whitespace, ASCII brackets, ASCII lower case."""
    if text is None:
        return ""
    return _SPACE.sub("", str(text)).translate(_HEADER_TRANS).lower()


def normalise_value(text: object) -> str:
    """Enum/status text used for matching: no whitespace, ASCII punctuation, lower case."""
    if text is None:
        return ""
    return _SPACE.sub("", str(text)).translate(_VALUE_TRANS).lower()


@dataclass(frozen=True)
class StatusText:
    """A header whose text sets decision and status (and optionally copies columns)."""

    headers: tuple[str, ...]  # normalised alternatives; the first present is read
    map: dict[str, dict[str, str]]  # normalised text -> {"decision": …, "status": …}
    from_columns: dict[str, dict[str, str]]  # normalised text -> {field: normalised header}


@dataclass(frozen=True)
class Derived:
    """A field computed from another header and a field (durations, hours between)."""

    field: str
    header: str  # normalised
    start: str  # canonical field the amount is counted from
    unit: str = "days"


@dataclass(frozen=True)
class Profile:
    id: str
    kind: str
    platform: str
    title_zh: str
    title_en: str
    signatures: tuple[tuple[str, ...], ...]  # normalised headers; any complete one matches
    columns: dict[str, tuple[str, ...]]  # field -> normalised aliases
    values: dict[str, dict[str, Any]]  # field -> normalised text -> canonical value
    status_text: StatusText | None = None
    durations: tuple[Derived, ...] = ()
    hours_between: tuple[Derived, ...] = ()
    datetime_formats: tuple[str, ...] = ()
    # Orders: how the rows of one order combine. "sum" = each row is a line with its own
    # amount; "max" = the order's amount is repeated on each product row (JD).
    fold_amount: str = "sum"
    source: str = ""  # file the profile came from
    raw_required: tuple[str, ...] = field(default=(), compare=False)

    @property
    def fields(self) -> dict[str, Field]:
        return CASE_FIELD if self.kind == "cases" else ORDER_FIELD

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def match(self, headers: set[str]) -> tuple[str, ...] | None:
        """The largest complete signature found in `headers`, or None."""
        complete = [sig for sig in self.signatures if set(sig) <= headers]
        return max(complete, key=len) if complete else None

    def recognised(self, headers: set[str]) -> int:
        """How many of the sheet's headers this profile reads (for tie-breaking)."""
        known = {alias for aliases in self.columns.values() for alias in aliases}
        known |= set(self.extra_headers())
        return len(known & headers)

    def extra_headers(self) -> list[str]:
        """Headers read besides `columns`: status texts, durations, derived hours."""
        extra: list[str] = []
        if self.status_text:
            extra += self.status_text.headers
            for copies in self.status_text.from_columns.values():
                extra += copies.values()
        extra += [d.header for d in self.durations + self.hours_between]
        return extra


# --------------------------------------------------------------------------- loading


def _problem(source: str, key: str, zh: str, en: str) -> AuditorError:
    return AuditorError([Problem(zh, en, file=source, column=key)])


def _str_list(value: Any, source: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _problem(source, key, "应为非空的文本列表", "must be a non-empty list of texts")
    return value


def _parse_values(raw: Any, fields: dict[str, Field], source: str) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _problem(source, "values", "应为映射", "must be a mapping")
    out: dict[str, dict[str, Any]] = {}
    for name, mapping in raw.items():
        spec = fields.get(name)
        if spec is None or spec.kind not in (Kind.ENUM, Kind.BOOL):
            raise _problem(
                source,
                f"values.{name}",
                "只有枚举或布尔字段可以映射取值",
                "only enum or boolean fields take a value map",
            )
        if not isinstance(mapping, dict):
            raise _problem(source, f"values.{name}", "应为映射", "must be a mapping")
        converted: dict[str, Any] = {}
        for text, value in mapping.items():
            text = "" if text is None else str(text)
            if spec.kind == Kind.ENUM and value not in spec.enum:
                raise _problem(
                    source,
                    f"values.{name}.{text}",
                    f"取值 {value!r} 不在 {', '.join(spec.enum)} 之中",
                    f"value {value!r} is not one of {', '.join(spec.enum)}",
                )
            if spec.kind == Kind.BOOL and not isinstance(value, bool):
                raise _problem(
                    source, f"values.{name}.{text}", "应为 true/false", "must be true or false"
                )
            key = text if text in (ANY_TEXT, BLANK) else normalise_value(text)
            converted[key] = value
        out[name] = converted
    return out


def _parse_status_text(raw: Any, fields: dict[str, Field], source: str) -> StatusText | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "column" not in raw or not isinstance(raw.get("map"), dict):
        raise _problem(
            source, "status_text", "需要 column 和 map 两个键", "needs the keys column and map"
        )
    headers = _str_list(raw.get("columns", raw["column"]), source, "status_text.columns")
    mapping: dict[str, dict[str, str]] = {}
    copies: dict[str, dict[str, str]] = {}
    for text, target in raw["map"].items():
        key = f"status_text.map.{text}"
        if not isinstance(target, dict):
            raise _problem(source, key, "应为映射", "must be a mapping")
        sets: dict[str, str] = {}
        for name in STATUS_KEYS:
            if name in target:
                if target[name] not in fields[name].enum:
                    raise _problem(
                        source,
                        f"{key}.{name}",
                        f"取值 {target[name]!r} 不在 {', '.join(fields[name].enum)} 之中",
                        f"value {target[name]!r} is not one of {', '.join(fields[name].enum)}",
                    )
                sets[name] = target[name]
        unknown = set(target) - set(STATUS_KEYS) - {"from_columns"}
        if unknown:
            raise _problem(
                source, key, f"未知的键 {sorted(unknown)}", f"unknown keys {sorted(unknown)}"
            )
        norm = normalise_value(text)
        mapping[norm] = sets
        if target.get("from_columns"):
            copy = target["from_columns"]
            for name in copy:
                if name not in fields or fields[name].kind != Kind.DATETIME:
                    raise _problem(
                        source,
                        f"{key}.from_columns.{name}",
                        "只能复制到时间字段",
                        "can only fill a datetime field",
                    )
            copies[norm] = {name: normalise_header(h) for name, h in copy.items()}
    return StatusText(tuple(normalise_header(h) for h in headers), mapping, copies)


def _parse_derived(raw: Any, fields: dict[str, Field], source: str, key: str) -> tuple:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _problem(source, key, "应为映射", "must be a mapping")
    out = []
    for name, spec in raw.items():
        if name not in fields or not isinstance(spec, dict) or {"column", "from"} - set(spec):
            raise _problem(
                source,
                f"{key}.{name}",
                "需要已知字段，以及 column 和 from 两个键",
                "needs a known field and the keys column and from",
            )
        if spec["from"] not in fields:
            raise _problem(source, f"{key}.{name}.from", "未知字段", "unknown field")
        unit = spec.get("unit", "days")
        if unit not in ("days", "hours"):
            raise _problem(source, f"{key}.{name}.unit", "应为 days 或 hours", "days or hours")
        out.append(Derived(name, normalise_header(spec["column"]), spec["from"], unit))
    return tuple(out)


def parse_profile(data: Any, source: str) -> Profile:
    """Validate one profile document; every problem names the file and the key."""
    if not isinstance(data, dict):
        raise _problem(
            source, "", "档案文件应为 YAML 映射", "a profile file must be a YAML mapping"
        )
    for key in ("id", "kind", "columns", "detect"):
        if key not in data:
            raise _problem(source, key, "缺少必填键", "missing required key")
    kind = data["kind"]
    if kind not in KINDS:
        raise _problem(source, "kind", "应为 cases 或 orders", "must be cases or orders")
    fields = CASE_FIELD if kind == "cases" else ORDER_FIELD
    columns: dict[str, tuple[str, ...]] = {}
    if not isinstance(data["columns"], dict):
        raise _problem(source, "columns", "应为映射", "must be a mapping")
    for name, aliases in data["columns"].items():
        if name not in fields:
            raise _problem(
                source,
                f"columns.{name}",
                f"未知的标准字段（{kind}）",
                f"not a canonical {kind} field",
            )
        names = _str_list(aliases, source, f"columns.{name}")
        columns[name] = tuple(normalise_header(a) for a in names)
    detect = data["detect"]
    if not isinstance(detect, dict):
        raise _problem(source, "detect", "应为映射", "must be a mapping")
    required = _str_list(detect.get("required"), source, "detect.required")
    signatures = [tuple(normalise_header(h) for h in required)]
    for i, alt in enumerate(detect.get("also") or []):
        signatures.append(tuple(normalise_header(h) for h in _str_list(alt, source, f"also.{i}")))
    title = data.get("title") or {}
    if not isinstance(title, dict):
        title = {"zh": str(title), "en": str(title)}
    formats = data.get("datetime_formats") or []
    fold_amount = data.get("fold_amount", "sum")
    if fold_amount not in ("sum", "max"):
        raise _problem(source, "fold_amount", "应为 sum 或 max", "must be sum or max")
    return Profile(
        id=str(data["id"]),
        kind=kind,
        platform=str(data.get("platform", "")),
        title_zh=str(title.get("zh", data["id"])),
        title_en=str(title.get("en", title.get("zh", data["id"]))),
        signatures=tuple(signatures),
        columns=columns,
        values=_parse_values(data.get("values"), fields, source),
        status_text=_parse_status_text(data.get("status_text"), fields, source),
        durations=_parse_derived(data.get("durations"), fields, source, "durations"),
        hours_between=_parse_derived(data.get("hours_between"), fields, source, "hours_between"),
        datetime_formats=tuple(_str_list(formats, source, "datetime_formats")) if formats else (),
        fold_amount=fold_amount,
        source=source,
        raw_required=tuple(required),
    )


def load_profile_file(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _problem(str(path), "", f"无法读取档案文件：{exc}", f"cannot read: {exc}") from exc
    try:
        # libyaml's parser when PyYAML has it: the bundled profiles are read on every run.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise AuditorError(
            [Problem("YAML 格式错误", f"invalid YAML: {exc}", file=str(path), row=row)]
        ) from exc
    return parse_profile(data, str(path))


def profiles_dir() -> Path:
    return package_data("io", "profiles")


@cache
def bundled_profiles() -> dict[str, Profile]:
    """Every bundled profile by id, in file-name order."""
    out: dict[str, Profile] = {}
    for path in sorted(profiles_dir().glob("*.yaml")):
        profile = load_profile_file(path)
        if profile.id != path.stem:
            raise _problem(str(path), "id", "id 应与文件名相同", "id must equal the file name")
        out[profile.id] = profile
    return out


def resolve_profile(name_or_path: str) -> Profile:
    """A bundled profile by id, or a user's profile file by path."""
    profiles = bundled_profiles()
    if name_or_path in profiles:
        return profiles[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise _problem(name_or_path, "", "档案文件不存在", "profile file not found")
        return load_profile_file(path)
    known = ", ".join(profiles)
    raise AuditorError(
        [
            Problem(
                f"未知的版式档案 {name_or_path!r}；可用：{known}（或给出 YAML 文件路径）",
                f"unknown profile {name_or_path!r}; known: {known} (or a YAML file path)",
            )
        ]
    )


def list_profiles() -> list[dict[str, str]]:
    """Plain rows for `auditor profiles`: id, kind, platform, title_zh, title_en."""
    return [
        {
            "id": p.id,
            "kind": p.kind,
            "platform": p.platform,
            "title_zh": p.title_zh,
            "title_en": p.title_en,
            "signature": ", ".join(p.raw_required),
        }
        for p in bundled_profiles().values()
    ]
