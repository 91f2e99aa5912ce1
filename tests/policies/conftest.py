"""Small policy files written per test (the bundled ones live under policies/)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

GOOD = """\
id: my-shop
version: "2026-01-01"
title: {zh: 我的店铺售后政策, en: My shop's after-sales policy}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
  response_limit: {amount: 12, unit: hours, from: applied_at, source: "第 1 条:12 小时内响应"}
rules:
  D002: {enabled: false, source: "第 2 条:不考核审核时限"}
"""


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text) → the path of a policy file with that (dedented) text."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
