"""Problems that stop a run (exit 2). Located, typed, never a traceback.

Findings (policy breaches) and data issues (Q checks) are *not* errors: they are rows
in frames. An `AuditorError` means the run cannot be done at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One reason a run cannot proceed, located as precisely as is known."""

    message_zh: str
    message_en: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # Excel column letter, or a key path for YAML files

    def location(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        where = "!".join(parts)
        if self.column and self.row:
            where = f"{where}!{self.column}{self.row}" if where else f"{self.column}{self.row}"
        elif self.row:
            where = f"{where}!{self.row}" if where else str(self.row)
        elif self.column:
            where = f"{where}: {self.column}" if where else self.column
        return where

    def render(self, lang: str = "zh") -> str:
        message = self.message_en if lang == "en" else self.message_zh
        where = self.location()
        return f"{where}: {message}" if where else message


@dataclass
class AuditorError(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(p.render("en") for p in self.problems)
