"""The `auditor` command group. Commands only parse options, call the core and render."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

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
（输出被提前关闭时也是 2，不打印错误，如 | head · also 2, silently, when the output is
closed early, as by | head）
"""


class StdoutClosed(Exception):
    """Whoever read our output went away (`auditor rules | head -1`)."""


@contextlib.contextmanager
def _reader_gone() -> Iterator[None]:
    # click answers a closed pipe itself with a silent exit 1, which here means "findings";
    # anything but an OSError passes through click to main(), which picks the code.
    try:
        yield
    except BrokenPipeError:
        raise StdoutClosed from None


class AuditorGroup(click.Group):
    """The command group, with a closed output pipe handed to main() for every command,
    the group's own --help and --version included."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with _reader_gone():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        with _reader_gone():
            return super().invoke(ctx)


@click.group(
    cls=AuditorGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
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
    try:
        code = _run(argv)
        sys.stdout.flush()  # a reader gone shows here, not as an ignored error at exit
    except (StdoutClosed, BrokenPipeError):
        _discard_further_output()
        code = EXIT_ERROR
    sys.exit(code)


def _discard_further_output() -> None:
    """Point stdout at devnull so Python's own flush at exit does not fail again (the
    Python docs' note on SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor: in-process tests
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(argv: list[str]) -> int:
    """The command's exit code; problems are reported on stderr, never as a traceback."""
    debug = "--debug" in argv
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("已中止 Aborted", err=True)
        return EXIT_ERROR
    except AuditorError as exc:
        lang = _lang_from_argv(argv)
        for problem in exc.problems:
            click.echo(problem.render(lang), err=True)
        return EXIT_ERROR
    except (StdoutClosed, BrokenPipeError):
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if debug:
            raise
        lang = _lang_from_argv(argv)
        head = "internal error" if lang == "en" else "内部错误"
        click.echo(f"{head}: {type(exc).__name__}: {exc} (--debug)", err=True)
        return EXIT_ERROR
    # With standalone_mode=False click returns ctx.exit()'s code instead of exiting.
    return code if isinstance(code, int) else 0
