"""`auditor policy list|show|check|diff`: what is bundled, what is in force, lint, comparison."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import click

from auditor.cli.exit_codes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from auditor.errors import AuditorError
from auditor.report.labels import os_error_text

LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="输出语言 Output language.",
)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _fail(ctx: click.Context, exc: AuditorError, lang: str) -> None:
    for problem in exc.problems:
        click.echo(problem.render(lang), err=True)
    ctx.exit(EXIT_ERROR)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    """Cut to ``width`` display columns (CJK counts double) and pad."""
    if _width(text) > width:
        out = ""
        for ch in text:
            if _width(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def _table(rows: list[list[str]], widths: list[int]) -> list[str]:
    return ["  ".join(_fit(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]


def _parse_date(ctx, param, value):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"应为日期 YYYY-MM-DD / expected a date YYYY-MM-DD: {value}"
        ) from None


@click.group(name="policy")
def policy() -> None:
    """策略:内置策略、生效版本、合规检查、对比 · Policies: list, show, check, diff.

    \b
    例 Examples:
      auditor policy list
      auditor policy show platform-standard --on 2026-03-01
      auditor policy check seed-08-process-rules
      auditor policy diff seed-01-platform-policy seed-06-platform-rules-latest seed-07-service-standard --out diff/
    """


# -- list --------------------------------------------------------------------------------


@policy.command(name="list")
@LANG
@click.pass_context
def list_policies(ctx: click.Context, lang: str) -> None:
    """列出内置策略族、版本、生效日期和标题 · List bundled families and versions.

    \b
    例 Example:
      auditor policy list --lang en
    """
    from auditor.policies.stack import load_catalog

    try:
        catalog = load_catalog()
    except AuditorError as exc:
        _fail(ctx, exc, lang)
    head = [
        _t(lang, "策略族", "family"),
        _t(lang, "层级", "layer"),
        _t(lang, "版本", "version"),
        _t(lang, "生效", "from"),
        _t(lang, "失效", "to"),
        _t(lang, "标题", "title"),
    ]
    rows = [head]
    for family in sorted(catalog.families.values(), key=_family_order):
        for version in family.versions:
            end = family.end(version)
            rows.append(
                [
                    family.id,
                    version.layer,
                    version.version,
                    version.effective_from.isoformat(),
                    end.isoformat() if end else "—",
                    version.title["en" if lang == "en" else "zh"],
                ]
            )
    for line in _table(rows, [30, 8, 11, 11, 11, 50]):
        click.echo(line.rstrip())
    ctx.exit(EXIT_OK)


def _family_order(family) -> tuple:  # type: ignore[no-untyped-def]
    rank = {"cn-law": 0, "platform-standard": 1}
    return (rank.get(family.id, 2), family.id)


# -- show --------------------------------------------------------------------------------


@policy.command(name="show")
@click.argument("policy_id", metavar="ID_OR_PATH")
@click.option(
    "--on",
    "on",
    callback=_parse_date,
    help="日期 YYYY-MM-DD(默认今天) · Date the version is in force (default today).",
)
@LANG
@click.pass_context
def show(ctx: click.Context, policy_id: str, on: date | None, lang: str) -> None:
    """显示某日生效的参数(含 extends 继承)及其出处 · Resolved parameters in force on a date.

    每个参数注明来自哪个文件、哪一层,以及条款原文或法条。
    Each parameter names the file and layer it comes from, and its source.

    \b
    例 Examples:
      auditor policy show platform-standard --on 2025-12-31
      auditor policy show seed-07-service-standard --on 2026-03-01 --lang en
      auditor policy show ./my-shop.yaml --on 2026-03-01
    """
    from auditor.policies.diff import pick
    from auditor.policies.lint import unspecified_terms
    from auditor.policies.render import source_text, value_text
    from auditor.rules.params import PARAMS

    day = on or date.today()
    try:
        resolved = pick(policy_id, day)
    except AuditorError as exc:
        _fail(ctx, exc, lang)
    end = resolved.effective_to.isoformat() if resolved.effective_to else "…"
    click.echo(f"{resolved.ref}  {resolved.title['en' if lang == 'en' else 'zh']}")
    click.echo(
        _t(lang, "层级", "layer")
        + f": {resolved.layer}  "
        + _t(lang, "生效", "in force")
        + f": {resolved.effective_from} – {end}  "
        + _t(lang, "查询日期", "on")
        + f": {day}"
    )
    click.echo("")
    for param in PARAMS:
        found = resolved.clause(param.name)
        if found is None:
            continue
        clause, origin = found
        value = value_text(param.kind.value, resolved.param(param.name), lang)
        if not clause.from_stated and not clause.unspecified and param.kind.value == "limit":
            value += _t(lang, "  [起算未写明,按默认]", "  [start not stated: default used]")
        label = param.en if lang == "en" else param.zh
        click.echo(f"{param.name}  ({label})")
        click.echo(f"    = {value}")
        click.echo(
            f"    {_t(lang, '来自', 'from')}: {origin.ref} [{origin.layer}] {_shown_path(origin.path)}"
        )
        click.echo(f"    {_t(lang, '出处', 'source')}: {source_text(clause.source, lang)}")
    _show_rules(resolved, day, lang)
    vague = unspecified_terms(resolved)
    if vague:
        click.echo("")
        click.echo(_t(lang, "未明确的条款:", "Unspecified terms:"))
        for term in vague:
            click.echo(f"  {term.clause}: {term.verdict(lang)}")
            click.echo(
                f"    {_t(lang, '原文', 'source')} ({term.origin}): {source_text(term.source, lang)}"
            )
    ctx.exit(EXIT_OK)


def _shown_path(path: Path) -> str:
    """Relative to the working folder when inside it (shorter), else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _show_rules(resolved, day: date, lang: str) -> None:  # type: ignore[no-untyped-def]
    from auditor.policies.render import severity_text, source_text

    rule_ids = sorted({r for f in resolved.chain for r in f.rules})
    if not rule_ids:
        return
    click.echo("")
    click.echo(_t(lang, "规则:", "Rules:"))
    for rule_id in rule_ids:
        if not resolved.rule_enabled(rule_id):
            state = _t(lang, "关闭", "off")
        else:
            since = resolved.rule_effective_from(rule_id)
            in_force = resolved.rule_in_force(rule_id, day)
            state = severity_text(resolved.rule_severity(rule_id) or "", lang)
            state += _t(lang, f",自 {since} 起", f", from {since}")
            if not in_force:
                state += _t(lang, "(该日尚未施行)", " (not yet in force that day)")
        click.echo(
            f"  {rule_id}: {state} — {source_text(resolved.rule_source(rule_id) or '', lang)}"
        )


# -- check -------------------------------------------------------------------------------


@policy.command(name="check")
@click.argument("target", metavar="FILE_OR_ID")
@LANG
@click.pass_context
def check(ctx: click.Context, target: str, lang: str) -> None:
    """对照法定底线逐条检查策略(P001–P008) · Lint a policy against the statutory baseline.

    每条发现列出条款、本策略的取值、法定最低要求和依据;工作日期限按官方日历的最不利情形判断。
    更优于法定的条款和未明确的条款不报(未明确的另行列出)。
    Each finding names the clause, the policy's value, the legal minimum and the basis.

    \b
    退出码 Exit codes: 0 无发现 nothing found · 1 有发现 findings · 2 策略无效 bad policy
    \b
    例 Examples:
      auditor policy check seed-08-process-rules
      auditor policy check ./my-shop.yaml --lang en
    """
    from auditor.policies.lint import RULE_TITLES, param_title
    from auditor.policies.lint import check as run_check
    from auditor.policies.render import source_text

    try:
        reports = run_check(target)
    except AuditorError as exc:
        _fail(ctx, exc, lang)
    total = 0
    for report in reports:
        click.echo(
            f"{report.ref}  " + _t(lang, "对照", "against") + f" {', '.join(report.law_refs)}"
        )
        for f in report.findings:
            total += 1
            title = RULE_TITLES[f.rule][1 if lang == "en" else 0]
            click.echo(click.style(f"  {f.rule} {title}", fg="red", bold=True))
            click.echo(
                f"    {_t(lang, '条款', 'clause')}: {f.clause} ({param_title(f.clause, lang)})"
            )
            click.echo(f"    {_t(lang, '本策略', 'policy')}: {f.policy_value(lang)}")
            click.echo(f"    {_t(lang, '法定最低', 'legal minimum')}: {f.legal(lang)}")
            if f.detail(lang):
                click.echo(f"    {f.detail(lang)}")
            click.echo(f"    {_t(lang, '依据', 'basis')}: {f.basis_text(lang)}")
            click.echo(
                f"    {_t(lang, '原文', 'source')} ({f.origin}): {source_text(f.source, lang)}"
            )
        for term in report.unspecified:
            click.echo(
                f"  ~ {term.clause} ({param_title(term.clause, lang)}): {term.verdict(lang)}"
            )
            click.echo(
                f"    {_t(lang, '原文', 'source')} ({term.origin}): {source_text(term.source, lang)}"
            )
        if not report.findings and not report.unspecified:
            click.echo("  " + _t(lang, "无发现", "nothing found"))
    click.echo(_t(lang, f"共 {total} 项发现", f"{total} finding(s)"))
    ctx.exit(EXIT_FINDINGS if total else EXIT_OK)


# -- diff --------------------------------------------------------------------------------


@policy.command(name="diff")
@click.argument("targets", nargs=-1, required=True, metavar="A B [C...]")
@click.option(
    "--on",
    "on",
    callback=_parse_date,
    help="比较该日生效的版本(默认各自最新) · Compare the versions in force on this date.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="写出 policy-diff.xlsx 和 policy-diff.html 的目录 · Folder for the xlsx and html.",
)
@LANG
@click.pass_context
def diff(ctx: click.Context, targets: tuple[str, ...], on, out: Path | None, lang: str) -> None:  # type: ignore[no-untyped-def]
    """并排对比策略的全部参数,标出不同项 · Side-by-side comparison of every parameter.

    参数可以是策略族 id、策略文件,或 id@版本。
    Each argument is a family id, a policy file, or id@version.

    \b
    例 Examples:
      auditor policy diff seed-01-platform-policy seed-06-platform-rules-latest seed-07-service-standard
      auditor policy diff platform-standard@2025-01-01 platform-standard@2026-01-01 --out diff/
    """
    from auditor.policies.diff import build_diff, pick, write_outputs

    if len(targets) < 2:
        click.echo(_t(lang, "至少需要两个策略", "give at least two policies"), err=True)
        ctx.exit(EXIT_ERROR)
    try:
        table = build_diff([pick(t, on) for t in targets])
        written = write_outputs(table, out, lang) if out is not None else []
    except AuditorError as exc:
        _fail(ctx, exc, lang)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(
            where
            + _t(
                lang,
                f"无法写出：{os_error_text(exc, 'zh')}",
                f"cannot write: {os_error_text(exc, 'en')}",
            ),
            err=True,
        )
        ctx.exit(EXIT_ERROR)
    _print_diff(table, lang)
    for path in written:
        click.echo(_t(lang, f"已写出 {path}", f"wrote {path}"))
    ctx.exit(EXIT_OK)


def _print_diff(table, lang: str) -> None:  # type: ignore[no-untyped-def]
    n = len(table.policies)
    cell = max(18, min(34, 110 // n))
    widths = [2, 26, *([cell] * n)]
    families = [p.family for p in table.policies]
    versions = ["@" + p.ref.split("@", 1)[1] for p in table.policies]
    header = ["", _t(lang, "参数", "parameter"), *families]
    for line in _table([header, ["", "", *versions]], widths):
        click.echo(click.style(line.rstrip(), bold=True))
    for row in table.rows:
        line = _table([["≠" if row.differs else "", row.key, *row.values(lang)]], widths)[0]
        if row.differs:
            click.echo(click.style(line.rstrip(), fg="yellow", bold=True))
        elif all(v == "—" for v in row.values(lang)):
            click.echo(click.style(line.rstrip(), dim=True))  # set by none of them
        else:
            click.echo(line.rstrip())
    differing = sum(r.differs for r in table.rows)
    click.echo(_t(lang, f"{differing} 项不同(≠ 标出)", f"{differing} row(s) differ (marked ≠)"))
