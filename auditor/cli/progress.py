"""A stage progress bar on the terminal (reading → checking → writing), silent when piped."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import IO

import click

STAGES = ("read", "check", "write")
LABELS = {
    "zh": {"read": "读取", "check": "检查", "write": "写出", "done": "完成"},
    "en": {"read": "reading", "check": "checking", "write": "writing", "done": "done"},
}


class StageProgress(AbstractContextManager):
    """Advance with ``stage(name)``; shown only when ``stream`` is a terminal and not quiet.

    The bar uses ASCII only, so a Windows console in GBK shows it as well as a UTF-8 one.
    """

    def __init__(self, lang: str, *, quiet: bool, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.labels = LABELS.get(lang, LABELS["zh"])
        self.enabled = not quiet and _is_terminal(self.stream)
        self._bar = None
        self._done = 0

    def __enter__(self) -> StageProgress:
        if self.enabled:
            self._bar = click.progressbar(
                length=len(STAGES),
                label=self.labels["read"],
                file=self.stream,
                show_eta=False,
                show_percent=False,
                show_pos=True,
                fill_char="#",
                empty_char="-",
            )
            self._bar.__enter__()
        return self

    def stage(self, name: str) -> None:
        """The stage ``name`` starts: the ones before it are done."""
        if self._bar is None:
            return
        index = STAGES.index(name)
        self._bar.label = self.labels[name]
        self._bar.update(index - self._done)
        self._done = index

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is None:
            return
        if exc_info[0] is None:
            self._bar.label = self.labels["done"]
            self._bar.update(len(STAGES) - self._done)
        self._bar.__exit__(*exc_info)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
