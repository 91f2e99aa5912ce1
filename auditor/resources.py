"""Where bundled data lives, in a wheel install and in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries the top-level folders inside the package (see pyproject force-include);
    # a source checkout or editable install finds them beside the package.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def policies_dir() -> Path:
    return _bundled("policies")


def templates_dir() -> Path:
    return _bundled("templates")


def package_data(*parts: str) -> Path:
    """A data file shipped inside the package itself (profiles, synonym tables, schemas)."""
    return _PACKAGE.joinpath(*parts)
