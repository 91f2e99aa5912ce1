"""The `auditor` command group. Commands only parse options, call the core and render."""

from __future__ import annotations

import contextlib
import os
import re
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


# Click's own messages are English; zh is the default language (SPEC section 2), so the
# usage errors a user meets most are said in Chinese. Click's wording is matched only to
# pull out the value or the arguments; anything unrecognised keeps Click's sentence inside
# a Chinese one, never lost.
_NOT_ONE_OF = re.compile(r"^(?P<value>.*) is not one of .*$", re.S)
_EXTRA_ARGS = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S)
_NO_COMMAND = re.compile(r"^No such command (?P<name>.*?)\.?$", re.S)
# click.Path's checks: "{Kind} {name!r} {problem}." (Kind: File, Directory or Path).
_PATH_PROBLEM = re.compile(
    r"^(?P<kind>File|Directory|Path) (?P<name>'.*'|\".*\") (?P<problem>does not exist|"
    r"is a file|is a directory|is not readable|is not writable|is not executable)\.$",
    re.S,
)
_PATH_PROBLEM_ZH = {
    "does not exist": "{name} 不存在",
    "is a file": "{name} 是文件，不是文件夹",
    "is a directory": "{name} 是文件夹，不是文件",
    "is not readable": "没有读取 {name} 的权限",
    "is not writable": "没有写入 {name} 的权限",
    "is not executable": "没有执行 {name} 的权限",
}
# click.IntRange/FloatRange and the number types: "{value} is not in the range 1<=x<=5.",
# "{value!r} is not a valid integer.", and FiniteFloatRange's "{value!r} is not a number."
_OUT_OF_RANGE = re.compile(r"^(?P<value>.*) is not in the range (?P<range>.*)\.$", re.S)
_NOT_A_NUMBER = re.compile(
    r"^(?P<value>.*) is not (?:a valid (?P<type>integer|float)(?: range)?|a number)\.$", re.S
)


def _hint(exc: click.BadParameter) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)  # type: ignore[arg-type]
    if isinstance(hint, list | tuple):
        hint = " / ".join(repr(h) for h in hint)
    return hint or ""


def usage_message_zh(exc: click.UsageError) -> str:
    """Click's usage error as one Chinese sentence."""
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是不是想用 {'、'.join(sorted(exc.possibilities))}？）"
        return text
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "")
        return f"缺少{'选项' if kind == 'option' else '参数'} {_hint(exc)}".rstrip()
    if isinstance(exc, click.BadParameter):
        choices = getattr(getattr(exc.param, "type", None), "choices", None)
        found = _NOT_ONE_OF.match(exc.message)
        if choices and found:
            listed = "、".join(str(c) for c in choices)
            return f"{_hint(exc)} 的值 {found['value']} 无效，可选：{listed}"
        return f"{_hint(exc)} 的值无效：{_bad_value_zh(exc.message)}"
    if isinstance(exc, click.BadOptionUsage) and "requires" in exc.message:
        return f"选项 {exc.option_name} 后面要跟一个值"
    found = _EXTRA_ARGS.match(exc.message)
    if found:
        return f"多余的参数：{found['args']}"
    found = _NO_COMMAND.match(exc.message)
    if found:
        return f"没有命令 {found['name']}"
    return f"用法错误：{exc.message}"


def _bad_value_zh(message: str) -> str:
    """Why Click refused a value, in Chinese; Click's sentence when it is not one of these."""
    if found := _PATH_PROBLEM.match(message):
        return _PATH_PROBLEM_ZH[found["problem"]].format(name=found["name"])
    if found := _OUT_OF_RANGE.match(message):
        bounds = found["range"].replace("<=", " ≤ ").replace(">=", " ≥ ")
        bounds = re.sub(r"(?<=[^ ≤≥])([<>])(?=[^ ])", r" \1 ", bounds)
        return f"{found['value']} 超出允许范围（{bounds}）"
    if found := _NOT_A_NUMBER.match(message):
        return f"{found['value']} 不是{'整数' if found['type'] == 'integer' else '数字'}"
    return message


def _show_usage_error_zh(exc: click.UsageError) -> None:
    """What click's UsageError.show() prints, in Chinese."""
    if exc.ctx is not None:
        usage = exc.ctx.get_usage().replace("Usage:", "用法:", 1)
        click.echo(f"{usage}\n查看帮助：{exc.ctx.command_path} --help\n", err=True)
    click.echo(f"错误：{usage_message_zh(exc)}", err=True)


def _run(argv: list[str]) -> int:
    """The command's exit code; problems are reported on stderr, never as a traceback."""
    debug = "--debug" in argv
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        if _lang_from_argv(argv) == "en":
            exc.show()
        else:
            _show_usage_error_zh(exc)
        return EXIT_ERROR
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
