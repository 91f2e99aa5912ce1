"""What the outputs say about waivers and the baseline (issue 8), in zh and en.

The terminal, the workbook and the page take their words and frames from here, so they agree:
the waived tally, expired and unused waiver entries, and the counts of new / unchanged /
updated findings against a baseline.
"""

from __future__ import annotations

from typing import Any

import polars as pl

STATES = ("new", "unchanged", "updated")
STATE_LABEL = {  # also the workbook's findings sheet (xlsx.py)
    "zh": {"new": "新增", "unchanged": "未变", "updated": "有更新"},
    "en": {"new": "new", "unchanged": "unchanged", "updated": "updated"},
}
TEXT = {
    "zh": {
        "file": "豁免清单：{file}",
        "file_beside": "豁免清单：{file}（在输入文件旁找到，自动使用；--no-waivers 可不用）",
        "waived": "已豁免 {n} 条违规（仍列出，不计入退出码）",
        "expired": "警告：{entry}已于 {expires} 过期，不再适用（本可覆盖 {matches} 条违规）",
        "unused": "警告：{entry}未匹配任何违规",
        "entry": "第 {n} 条豁免（第 {line} 行，{rule} {scope}）",
        "baseline": "对比基线 {file}：新增 {new}，未变 {unchanged}，有更新 {updated}，"
        "已不再出现 {absent}",
        "new_only": "退出码只计新增且未豁免的违规（--new-only）",
    },
    "en": {
        "file": "Waivers: {file}",
        "file_beside": "Waivers: {file} (found beside the inputs and used; --no-waivers to skip)",
        "waived": "{n} {findings} waived (still listed, not counted for the exit code)",
        "expired": "warning: {entry} expired on {expires} and no longer applies "
        "(it would cover {matches} {findings})",
        "unused": "warning: {entry} matched no finding",
        "entry": "waiver #{n} (line {line}, {rule} {scope})",
        "baseline": "Against baseline {file}: {new} new, {unchanged} unchanged, {updated} updated, "
        "{absent} no longer found",
        "new_only": "The exit code counts new, unwaived findings only (--new-only)",
    },
}
SCOPE_KEYS = ("case_id", "order_id", "shop", "category", "month")
# The waived sheet: (column, zh header, en header).
WAIVED_COLUMNS = (
    ("rule", "规则", "Rule"),
    ("severity", "严重程度", "Severity"),
    ("case_id", "售后单号", "Case ID"),
    ("order_id", "订单编号", "Order ID"),
    ("shop", "店铺", "Shop"),
    ("month", "月份", "Month"),
    ("message", "说明", "Message"),
    ("waiver_reason", "豁免原因", "Waiver reason"),
    ("waiver_approved_by", "豁免批准人", "Waiver approved by"),
    ("waiver_expires", "豁免到期", "Waiver expires"),
    ("state", "状态", "State"),
    ("fingerprint", "指纹", "Fingerprint"),
)
WAIVED_SHEET = {"zh": "已豁免", "en": "Waived"}
PROBLEMS_SHEET = {"zh": "豁免问题", "en": "Waiver problems"}
WAIVER_ENTRY_COLUMNS = (
    ("problem", "问题", "Problem"),
    ("entry", "条目", "Entry"),
    ("line", "行", "Line"),
    ("rule", "规则", "Rule"),
    ("scope", "范围", "Scope"),
    ("reason", "豁免原因", "Waiver reason"),
    ("approved_by", "豁免批准人", "Waiver approved by"),
    ("expires", "豁免到期", "Waiver expires"),
    ("matches", "本可覆盖", "Would cover"),
)
PROBLEM_LABEL = {
    "zh": {"expired": "已过期", "unused": "未匹配"},
    "en": {"expired": "expired", "unused": "matched nothing"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def waived(findings: pl.DataFrame) -> pl.DataFrame:
    """The findings a waiver covers (empty without waivers)."""
    if "waiver_reason" not in findings.columns:
        return findings.clear()
    return findings.filter(pl.col("waiver_reason").is_not_null())


def state_counts(result: Any) -> dict[str, int] | None:
    """new / unchanged / updated / absent counts; None without a baseline."""
    if getattr(result, "baseline", None) is None:
        return None
    findings = result.findings
    counts = findings.group_by("state").len() if "state" in findings.columns else None
    found = (
        dict(zip(counts["state"].to_list(), counts["len"].to_list(), strict=True))
        if counts is not None
        else {}
    )
    absent = result.baseline_absent
    return {
        **{state: int(found.get(state, 0)) for state in STATES},
        "absent": 0 if absent is None else absent.height,
    }


def scope_text(entry: dict[str, Any]) -> str:
    return " ".join(f"{k}={entry[k]}" for k in SCOPE_KEYS if entry.get(k) is not None)


def _findings_word(n: int) -> str:
    """English noun for a count (the zh texts need none)."""
    return "finding" if n == 1 else "findings"


def covers_text(n: int, lang: str) -> str:
    """How many findings an expired entry would still cover, as a phrase."""
    if _lang(lang) == "en":
        return f"would cover {n:,} {_findings_word(n)}"
    return f"本可覆盖 {n:,} 条违规"


def entry_text(entry: dict[str, Any], lang: str) -> str:
    return TEXT[_lang(lang)]["entry"].format(
        n=entry["entry"], line=entry["line"], rule=entry["rule"], scope=scope_text(entry)
    )


def terminal_lines(result: Any, lang: str) -> list[str]:
    """Lines for the end of the terminal summary (none without waivers or a baseline)."""
    text = TEXT[_lang(lang)]
    lines: list[str] = []
    outcome = getattr(result, "waivers", None)
    if outcome is not None:
        template = text["file_beside"] if outcome.found_beside_inputs else text["file"]
        lines += [
            template.format(file=outcome.file),
            text["waived"].format(n=outcome.waived, findings=_findings_word(outcome.waived)),
        ]
        for entry in outcome.expired.iter_rows(named=True):  # entries of a file, not findings
            lines.append(
                text["expired"].format(
                    entry=entry_text(entry, lang),
                    expires=entry["expires"].isoformat(),
                    matches=entry["matches"],
                    findings=_findings_word(entry["matches"]),
                )
            )
        for entry in outcome.unused.iter_rows(named=True):
            lines.append(text["unused"].format(entry=entry_text(entry, lang)))
    counts = state_counts(result)
    if counts is not None:
        lines.append(text["baseline"].format(file=result.baseline, **counts))
    if getattr(result, "new_only", False):
        lines.append(text["new_only"])
    return ["", *lines] if lines else []


def waiver_problems(result: Any, lang: str) -> pl.DataFrame:
    """Expired and unused waiver entries, one row each, for the workbook and the page."""
    outcome = getattr(result, "waivers", None)
    names = [c for c, _, _ in WAIVER_ENTRY_COLUMNS]
    if outcome is None:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    labels = PROBLEM_LABEL[_lang(lang)]
    scope = pl.concat_str(
        [pl.format(f"{k}={{}}", pl.col(k)) for k in SCOPE_KEYS], separator=" ", ignore_nulls=True
    )
    parts = [
        frame.with_columns(pl.lit(labels[kind]).alias("problem"), scope.alias("scope"))
        for kind, frame in (("expired", outcome.expired), ("unused", outcome.unused))
    ]
    return pl.concat(parts, how="vertical_relaxed").select(names).sort("entry")


# -- report.html ---------------------------------------------------------------------------

HTML_ROW_LIMIT = 200  # rows listed per table on the page; the workbook has them all
HTML_TEXT = {
    "zh": {
        "title": "豁免与对比上次",
        "waivers": "已豁免的违规",
        "waivers_note": "豁免的违规仍计入上面的统计，但不计入退出码。豁免清单：{file}",
        "found_beside": "（在输入文件旁找到）",
        "no_waived": "没有违规被豁免。",
        "entry_problems": "豁免清单的问题",
        "expired": "已过期（不再适用）",
        "unused": "未匹配任何违规",
        "states": "对比上次（基线：{file}）",
        "absent": "已不再出现（已解决）",
        "shown": "显示前 {n} 条，共 {total} 条（完整清单见 violations.xlsx）",
        "rule": "规则",
        "severity": "严重程度",
        "case_id": "售后单号",
        "order_id": "订单编号",
        "shop": "店铺",
        "message": "说明",
        "reason": "豁免原因",
        "approved_by": "豁免批准人",
        "expires": "豁免到期",
        "state": "状态",
        "entry": "条目",
        "problem": "问题",
        "matches": "本可覆盖",
        "fingerprint": "指纹",
        "waived_mark": "已豁免",
    },
    "en": {
        "title": "Waivers and changes since the baseline",
        "waivers": "Waived findings",
        "waivers_note": "Waived findings still count in the totals above, never for the exit "
        "code. Waivers file: {file}",
        "found_beside": " (found beside the inputs)",
        "no_waived": "No finding is waived.",
        "entry_problems": "Problems in the waivers file",
        "expired": "expired (no longer applies)",
        "unused": "matched no finding",
        "states": "Since the baseline ({file})",
        "absent": "no longer found (resolved)",
        "shown": "the first {n} of {total} (violations.xlsx lists them all)",
        "rule": "Rule",
        "severity": "Severity",
        "case_id": "Case",
        "order_id": "Order",
        "shop": "Shop",
        "message": "Message",
        "reason": "Reason",
        "approved_by": "Approved by",
        "expires": "Expires",
        "state": "State",
        "entry": "Entry",
        "problem": "Problem",
        "matches": "Would cover",
        "fingerprint": "Fingerprint",
        "waived_mark": "waived",
    },
}


def html_view(result: Any, lang: str) -> dict[str, Any] | None:
    """The page's waivers-and-baseline section; None when neither was used."""
    outcome = getattr(result, "waivers", None)
    counts = state_counts(result)
    if outcome is None and counts is None:
        return None
    key = _lang(lang)
    text = HTML_TEXT[key]
    view: dict[str, Any] = {
        "text": text,
        "state_labels": STATE_LABEL[key],
        "waivers": None,
        "states": None,
    }
    if outcome is not None:
        rows = waived(result.findings)
        problems = [
            {
                **entry,
                "problem": text[kind],
                "label": entry_text(entry, key),
                "covers": covers_text(entry["matches"] or 0, key),
            }
            for kind, frame in (("expired", outcome.expired), ("unused", outcome.unused))
            for entry in frame.iter_rows(named=True)  # entries of the file, not findings
        ]
        view["waivers"] = {
            "note": text["waivers_note"].format(file=outcome.file)
            + (text["found_beside"] if outcome.found_beside_inputs else ""),
            "total": rows.height,
            "rows": _html_rows(rows, key),
            "shown": text["shown"].format(n=min(rows.height, HTML_ROW_LIMIT), total=rows.height),
            "problems": problems,
        }
    if counts is not None:
        absent = result.baseline_absent
        absent = absent if absent is not None else pl.DataFrame()
        view["states"] = {
            "title": text["states"].format(file=result.baseline),
            "counts": [{"state": s, "label": STATE_LABEL[key][s], "n": counts[s]} for s in STATES]
            + [{"state": "absent", "label": text["absent"], "n": counts["absent"]}],
            "absent": absent.head(HTML_ROW_LIMIT).to_dicts() if absent.height else [],
            "absent_total": absent.height,
            "shown": text["shown"].format(
                n=min(absent.height, HTML_ROW_LIMIT), total=absent.height
            ),
        }
    return view


def _html_rows(rows: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    ordered = rows.sort(["case_id", "order_id", "rule"], nulls_last=True).head(HTML_ROW_LIMIT)
    state = (
        pl.col("state").replace(STATE_LABEL[lang]).cast(pl.String)
        if "state" in ordered.columns
        else pl.lit(None, dtype=pl.String)
    )
    return ordered.select(
        "rule",
        "severity",
        "case_id",
        "order_id",
        "shop",
        "message",
        pl.col("waiver_reason").alias("reason"),
        pl.col("waiver_approved_by").alias("approved_by"),
        pl.col("waiver_expires").cast(pl.String).alias("expires"),
        state.alias("state"),
    ).to_dicts()
