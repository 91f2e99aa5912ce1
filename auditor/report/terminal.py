"""The plain-text summary printed at the end of `auditor audit`.

Most merchants run a Windows console in GBK: the text uses only characters GBK has (Chinese,
ASCII), draws rules with '-' unless the console is UTF-8, and anything a console cannot show
is replaced rather than raised.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from auditor.report import labels
from auditor.report.monthly import terminal_lines
from auditor.report.rules_table import rule_titles
from auditor.report.summary import by_severity_counts, cases_with_findings, rule_severity_table

TEXT = {
    "zh": {
        "title": "审计完成",
        "as_of": "截至时间",
        "source": {
            "--as-of": "--as-of 参数",
            "latest input time": "输入中最晚的时间",
            "run start": "运行开始时间（输入中没有可用时间）",
        },
        "cases": "售后单 {cases} 件，其中 {with_findings} 件有违规；违规共 {findings} 条",
        "by_severity": ("严重程度", "条数"),
        "by_rule": ("规则", "严重程度", "条数", "名称"),
        "no_findings": "没有发现违规。",
        "data_issues": "数据问题 {n} 条：{detail}",
        "outputs": "输出文件：",
        "inputs": "输入文件：",
        "input_line": "  {path}（{kind}，版式 {profile}，{rows} 行）",
        "kinds": {"cases": "售后单", "orders": "订单"},
        "policies": "使用的政策版本：",
        "not_judged": "未判定（按原因）：",
        "absent_rules": "{n} 条规则因导出缺少所需字段，有售后单未能判定",
        "absent_where": "（哪些规则：加 -v 重新运行，或看 violations.xlsx 的「规则」表）",
        "absent_where_no_book": "（哪些规则：加 -v 重新运行）",
        "absent_below": "（见下方「未判定（按原因）」）",
    },
    "en": {
        "title": "Audit done",
        "as_of": "As of",
        "source": {
            "--as-of": "--as-of",
            "latest input time": "latest input time",
            "run start": "run start (no usable time in the inputs)",
        },
        "cases": "{cases} cases, {with_findings} with findings; {findings} findings",
        "by_severity": ("Severity", "Findings"),
        "by_rule": ("Rule", "Severity", "Findings", "Title"),
        "no_findings": "No findings.",
        "data_issues": "{n} data issues: {detail}",
        "outputs": "Outputs:",
        "inputs": "Inputs:",
        "input_line": "  {path} ({kind}, layout {profile}, {rows} {row_word})",
        "kinds": {"cases": "cases", "orders": "orders"},
        "policies": "Policy versions used:",
        "not_judged": "Not judged, by reason:",
        "absent_rules": "Rules that left cases not judged because the export lacks a column: {n}",
        "absent_where": " (which: run again with -v, or see the Rules sheet of violations.xlsx)",
        "absent_where_no_book": " (which: run again with -v)",
        "absent_below": " (see 'Not judged, by reason' below)",
    },
}


def render_summary(
    result: Any,
    outputs: Sequence[Path],
    lang: str = "zh",
    verbose: bool = False,
    encoding: str | None = "utf-8",
) -> str:
    lang = labels.lang_key(lang)
    text = TEXT[lang]
    rule_char = "─" if _is_utf8(encoding) else "-"
    findings = result.findings
    lines = [
        text["title"],
        f"{text['as_of']}: {_time(result.as_of)} ({text['source'].get(result.as_of_source, result.as_of_source)})",
        # the layout picked for each input, always: a wrong guess shows here, not in odd counts
        *_input_lines(result, text, lang),
        text["cases"].format(
            cases=result.cases,
            with_findings=cases_with_findings(findings),
            findings=findings.height,
        ),
        "",
    ]
    lines += _table(_severity_rows(findings, lang), text["by_severity"], rule_char)
    lines.append("")
    if findings.height:
        lines += _table(_rule_rows(findings, lang), text["by_rule"], rule_char)
    else:
        lines.append(text["no_findings"])
    issues = _data_issue_detail(result.data_issues)
    if issues:
        lines += ["", text["data_issues"].format(n=result.data_issues.height, detail=issues)]
    absent = _absent_column_line(result, outputs, text, lang, verbose)
    if absent:
        lines += ["", absent]
    lines += terminal_lines(result, lang)  # waivers and baseline, when used
    if verbose:
        lines += _verbose_lines(result, text, lang)
    lines += ["", text["outputs"], *(f"  {path}" for path in outputs)]
    return fit_encoding("\n".join(lines), encoding)


def fit_encoding(text: str, encoding: str | None) -> str:
    """The text as the console can print it: unencodable characters become '?'."""
    if not encoding or _is_utf8(encoding):
        return text
    try:
        return text.encode(encoding, errors="replace").decode(encoding)
    except LookupError:
        return text


def _severity_rows(findings: pl.DataFrame, lang: str) -> list[tuple[str, ...]]:
    names = labels.SEVERITY_LABEL[lang]
    return [(names[s], str(n)) for s, n in by_severity_counts(findings).items()]


def _rule_rows(findings: pl.DataFrame, lang: str) -> list[tuple[str, ...]]:
    titles = rule_titles(lang)
    names = labels.SEVERITY_LABEL[lang]
    table = rule_severity_table(findings)
    return [
        (rule, names.get(severity, severity), str(n), titles.get(rule, ""))
        for rule, severity, n in table.iter_rows()
    ]


def _data_issue_detail(issues: pl.DataFrame) -> str:
    if issues.height == 0:
        return ""
    counts = issues.group_by("check").len().sort("check")
    return ", ".join(f"{check} {n}" for check, n in counts.iter_rows())


def _input_lines(result: Any, text: dict[str, Any], lang: str) -> list[str]:
    """One line per input file: its kind, the layout (profile) detected, its rows."""
    inputs = list(getattr(result, "inputs", None) or [])
    if not inputs:
        return []
    lines = [text["inputs"]]
    for info in inputs:  # one per input file
        lines.append(
            text["input_line"].format(
                path=info.path,
                kind=text["kinds"].get(info.kind, info.kind),
                profile=info.profile,
                rows=info.rows,
                row_word="row" if info.rows == 1 else "rows",
            )
        )
        # Why a file was read otherwise than given (an orders export among the CASES).
        note = getattr(info, "note_en" if lang == "en" else "note_zh", "")
        if note:
            lines.append(f"    {note}")
    return lines


def _absent_column_line(
    result: Any, outputs: Sequence[Path], text: dict[str, Any], lang: str, verbose: bool
) -> str:
    """How many rules left cases not judged because the export lacks a column they need:
    without it a merchant sees few findings and cannot tell that most rules never ran."""
    n = sum(
        any(
            count and (reason == "field absent" or reason.startswith("field absent:"))
            for reason, count in (entry.get("not_judged") or {}).items()
        )
        for entry in (result.coverage or {}).values()
    )
    if not n:
        return ""
    if verbose:
        where = text["absent_below"]
    elif any(Path(p).name == "violations.xlsx" for p in outputs):
        where = text["absent_where"]
    else:
        where = text["absent_where_no_book"]
    return text["absent_rules"].format(n=n) + where


def _verbose_lines(result: Any, text: dict[str, Any], lang: str) -> list[str]:
    lines = ["", text["policies"], *(f"  {ref}" for ref in sorted(result.policies))]
    names = labels.field_names()
    not_judged = [
        f"  {rule} {labels.reason_text(reason, lang, names)}: {n}"
        for rule, entry in sorted((result.coverage or {}).items())
        for reason, n in sorted((entry.get("not_judged") or {}).items())
        if n
    ]
    if not_judged:
        lines += ["", text["not_judged"], *not_judged]
    return lines


def _table(rows: list[tuple[str, ...]], header: Sequence[str], rule_char: str) -> list[str]:
    """Left-aligned text columns, counts right-aligned, widths by display cells (a Chinese
    character takes two)."""
    numeric = [all(row[i].isdigit() for row in rows) and bool(rows) for i in range(len(header))]
    widths = [
        max([_cells(header[i]), *(_cells(row[i]) for row in rows)]) for i in range(len(header))
    ]

    def line(values: Sequence[str]) -> str:
        cells = [_pad(value, widths[i], right=numeric[i]) for i, value in enumerate(values)]
        return "  ".join(cells).rstrip()

    return [line(header), rule_char * (sum(widths) + 2 * (len(widths) - 1)), *map(line, rows)]


def _pad(value: str, width: int, right: bool) -> str:
    gap = " " * (width - _cells(value))
    return gap + value if right else value + gap


def _cells(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


def _is_utf8(encoding: str | None) -> bool:
    return bool(encoding) and encoding.lower().replace("-", "").replace("_", "") in {
        "utf8",
        "utf8sig",
    }
