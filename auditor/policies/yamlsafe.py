"""Reading a policy YAML file safely: safe types only, no aliases, no duplicate keys, capped size.

Policy files come from users (``--policy my.yaml``), so the reader must not be tricked into
expanding an alias bomb ("billion laughs") or silently keeping the last of two equal keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from auditor.errors import AuditorError, Problem

MAX_POLICY_BYTES = 1_000_000  # a policy is a page of clauses, never megabytes


class _NoDuplicateKeys:
    """Refuses a mapping that names one key twice (YAML would silently keep the last)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if isinstance(key, list | dict):
                continue  # unhashable: left to the normal constructor's error
            if key in seen:
                line = key_node.start_mark.line + 1
                raise _Refused(
                    f"重复的键「{key}」,第 {line} 行",
                    f"duplicate key '{key}' (line {line})",
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date, or its text when it names no real day (2026-02-30): PyYAML would raise a
    bare ValueError, while text reaches the policy checks and gets the located
    "应为日期 YYYY-MM-DD" every other bad date gets."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


class _StrictLoader(_NoDuplicateKeys, yaml.SafeLoader):
    """SafeLoader that refuses aliases (no expansion at all) and duplicate mapping keys."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            line = event.start_mark.line + 1
            raise _Refused(
                f"不允许使用 YAML 别名(*{event.anchor}),第 {line} 行",
                f"YAML aliases (*{event.anchor}) are not allowed in policy files (line {line})",
            )
        return super().compose_node(parent, index)


# libyaml's parser (about ten times faster) where PyYAML was built with it. It composes in C,
# so the alias refusal above cannot run there: a text without an anchor ("&") cannot hold an
# alias, and only such texts take the fast reader.
if hasattr(yaml, "CSafeLoader"):

    class _FastStrictLoader(_NoDuplicateKeys, yaml.CSafeLoader):
        """libyaml's SafeLoader, refusing duplicate keys (aliases: see _loader_for)."""

else:  # PyYAML built without libyaml
    _FastStrictLoader = None  # type: ignore[assignment, misc]


for _loader in (_StrictLoader, _FastStrictLoader):
    if _loader is not None:
        _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _loader_for(text: str) -> type:
    if _FastStrictLoader is not None and "&" not in text:
        return _FastStrictLoader
    return _StrictLoader


class _TooDeep(Exception):
    pass


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_loader_for(text))  # noqa: S506 - SafeLoader subclasses
    except yaml.MarkedYAMLError as exc:
        # libyaml's word for what the Python parser meets as a RecursionError.
        if exc.problem and "nesting depth" in exc.problem:
            raise _TooDeep from None
        raise


class _Refused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def read_yaml(path: Path) -> Any:
    """The parsed document, or an AuditorError naming the file and what is wrong."""
    where = str(path)
    if not path.is_file():
        raise AuditorError([Problem("找不到策略文件", "policy file not found", file=where)])
    size = path.stat().st_size
    if size > MAX_POLICY_BYTES:
        raise AuditorError(
            [
                Problem(
                    f"策略文件过大({size} 字节,上限 {MAX_POLICY_BYTES})",
                    f"policy file too large ({size} bytes, limit {MAX_POLICY_BYTES})",
                    file=where,
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AuditorError(
            [Problem("策略文件不是 UTF-8 编码", "policy file is not UTF-8 text", file=where)]
        ) from None
    try:
        return _load(text)
    except _Refused as exc:
        raise AuditorError([Problem(exc.zh, exc.en, file=where)]) from None
    except (RecursionError, _TooDeep):
        raise AuditorError(
            [Problem("YAML 嵌套层数过深", "YAML nested too deeply", file=where)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        what = exc.problem or "syntax error"
        # PyYAML's own words are English: the zh line gives the place and a zh reading of
        # the common problems; the library's text stays in the --lang en line
        raise AuditorError(
            [
                Problem(
                    f"YAML 格式错误(第 {line} 行第 {col} 列): {_zh_problem(what)}",
                    f"invalid YAML at line {line}, column {col}: {what}",
                    file=where,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise AuditorError([Problem("YAML 格式错误", f"invalid YAML: {exc}", file=where)]) from None


# PyYAML's commonest problems, by a phrase of its message; anything else gets the general
# advice (the exact English text is in the --lang en message).
_ZH_PROBLEMS = (
    ("did not find expected ',' or '}'", "花括号 {…} 内缺少「,」或「}」"),
    ("did not find expected ',' or ']'", "方括号 […] 内缺少「,」或「]」"),
    ("mapping values are not allowed", "此处不能出现「:」(冒号后须有空格,含冒号的文本须加引号)"),
    ("tab character", "不能用制表符(Tab)缩进,请用空格"),
    ("found character '\\t'", "不能用制表符(Tab)缩进,请用空格"),
    ("did not find expected key", "缩进不一致或缺少键"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("could not find expected ':'", "缺少「:」"),
    ("found undefined tag handle", "未知的标签(!)"),
    ("found unknown escape character", "引号内的转义字符无效"),
)


def _zh_problem(what: str) -> str:
    for phrase, zh in _ZH_PROBLEMS:
        if phrase in what:
            return zh
    return "写法不符合 YAML 语法(检查缩进、冒号后的空格、引号和括号是否成对)"
