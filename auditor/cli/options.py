"""Options shared by several commands, declared once."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from auditor.io.preflight import DEFAULT_MAX_ROWS, DEFAULT_MAX_UNCOMPRESSED_MB


def input_limits(command: Callable) -> Callable:
    """--max-rows and --max-uncompressed-mb: the pre-flight limits on every input file."""
    command = click.option(
        "--max-uncompressed-mb",
        "max_uncompressed_mb",
        default=DEFAULT_MAX_UNCOMPRESSED_MB,
        show_default=True,
        type=click.IntRange(min=1),
        help="xlsx 解压后的上限（MB，读取前检查） · limit on a workbook's inflated size, "
        "checked before reading",
    )(command)
    return click.option(
        "--max-rows",
        "max_rows",
        default=DEFAULT_MAX_ROWS,
        show_default=True,
        type=click.IntRange(min=1),
        help="每个输入文件最多读取的数据行数 · data rows one input may hold",
    )(command)


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange lets "nan" through (every comparison with NaN is false), and a NaN
    count crashes the code that rounds it: refuse it as an ordinary option error."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number
