"""violations.xlsx's KPI sheet never shows a value that misses its target as the target
(through the real command line): 189 of 199 satisfied is 94.97%, not "95.0%" beside 95.0%."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from auditor.cli.main import main
from auditor.report.xlsx import kpi_percent_format
from tests.report.generic_cases import GENERIC_HEADER


def _cases(path: Path, rated: int, satisfied: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(GENERIC_HEADER)
        for i in range(rated):
            writer.writerow(
                [
                    f"K{i:03d}",
                    f"OK{i:03d}",
                    "店A",
                    "女装",
                    "仅退款",
                    "未收到货",
                    50,
                    50,
                    "2026-03-10 10:00:00",
                    "2026-03-10 11:00:00",
                    "2026-03-10 12:00:00",
                    "同意",
                    "2026-03-10 13:00:00",
                    "2026-03-10 13:00:00",
                    "已完结",
                    5 if i < satisfied else 2,
                    "小王",
                ]
            )
    return path


def _shown(value: float, number_format: str) -> str:
    """What Excel shows for a `0.0…%` format."""
    found = re.fullmatch(r"0(?:\.(0+))?%", number_format)
    assert found, number_format
    return f"{value * 100:.{len(found.group(1) or '')}f}%"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_value_missing_its_target_never_shows_as_the_target(tmp_path, capsys, lang):
    cases = _cases(tmp_path / "cases.csv", rated=199, satisfied=189)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(cases), "--out", str(out), "--quiet", "--lang", lang])
    assert exited.value.code == 0, capsys.readouterr().err
    sheet = openpyxl.load_workbook(out / "violations.xlsx")["KPI"]
    header = [c.value for c in sheet[1]]
    value_col = header.index("实际值" if lang == "zh" else "Value")
    target_col = value_col + 1
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "K001" and r[2].value]
    assert rows
    for row in rows:
        value, target = row[value_col], row[target_col]
        assert value.value == pytest.approx(0.9497) and target.value == 0.95
        shown = _shown(value.value, value.number_format)
        assert shown == "94.97%"
        assert shown != _shown(target.value, target.number_format)


def test_kpi_format_keeps_one_decimal_when_nothing_is_near_its_target():
    kpis = pl.DataFrame({"value": [0.96, 0.5, None, 0.95], "target": [0.95, 0.95, 0.95, 0.95]})
    assert kpi_percent_format(kpis) == "0.0%"
    assert kpi_percent_format(kpis.clear()) == "0.0%"
    # 1,999 cases: 94.9975% needs three decimals to stay off 95%
    near = pl.DataFrame({"value": [1899 / 1999], "target": [0.95]})
    assert _shown(1899 / 1999, kpi_percent_format(near)) != "95.000%"
    assert kpi_percent_format(near) == "0.000%"
