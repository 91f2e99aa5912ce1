"""The `auditor` command group. Commands only parse options, call the core and render."""

from __future__ import annotations

import sys

import click

from auditor import __version__
from auditor.cli.audit import audit
from auditor.cli.diff import diff
from auditor.cli.exit_codes import EXIT_ERROR
from auditor.cli.policy import policy
from auditor.cli.profiles import profiles
from auditor.cli.rules import rules
from auditor.cli.sample import sample
from auditor.cli.validate import validate
from auditor.errors import AuditorError

EPILOG = """\b
退出码 Exit codes: 0 正常 ok · 1 有违规/数据问题 findings · 2 无法运行 could not run
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
@click.option("--debug", is_flag=True, hidden=True, help="Show Python tracebacks.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """电商售后合规审计 · Audit e-commerce after-sales exports against law and policy."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for command in (audit, validate, profiles, sample, policy, rules, diff):
    cli.add_command(command)


def _lang_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "zh"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("已中止 Aborted", err=True)
        sys.exit(EXIT_ERROR)
    except AuditorError as exc:
        lang = _lang_from_argv(argv)
        for problem in exc.problems:
            click.echo(problem.render(lang), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if debug:
            raise
        lang = _lang_from_argv(argv)
        head = "internal error" if lang == "en" else "内部错误"
        click.echo(f"{head}: {type(exc).__name__}: {exc} (--debug)", err=True)
        sys.exit(EXIT_ERROR)
    # With standalone_mode=False click returns ctx.exit()'s code instead of exiting.
    sys.exit(code if isinstance(code, int) else 0)
