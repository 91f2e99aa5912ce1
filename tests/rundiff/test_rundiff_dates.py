"""run-diff.xlsx writes its times as real dates (through the real command line), in the same
number format as violations.xlsx, so the 明细 sheet sorts and filters by date."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from auditor.cli.main import main
from auditor.report.xlsx import DATETIME_FORMAT
from tests.rundiff.test_run_diff import record, write_run


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("zh", ("截止时间", "实际时间", "上次截止时间", "上次实际时间")),
        ("en", ("Due", "Actual", "Due before", "Actual before")),
    ],
)
def test_the_details_sheet_has_real_datetimes(tmp_path, capsys, lang, names):
    a = write_run(tmp_path / "a", record("A"), record("B", rule="W001"))
    b = write_run(tmp_path / "b", record("A", due="2026-03-03T10:00:00"), record("C"))
    out = tmp_path / "diff"
    with pytest.raises(SystemExit) as exited:
        main(["diff", str(a), str(b), "--out", str(out), "--lang", lang])
    assert exited.value.code == 0, capsys.readouterr().err
    book = openpyxl.load_workbook(out / "run-diff.xlsx")
    sheet = book["明细" if lang == "zh" else "Findings"]
    header = [c.value for c in sheet[1]]
    case = header.index("售后单号" if lang == "zh" else "Case ID")
    rows = {r[case].value: r for r in sheet.iter_rows(min_row=2)}
    updated = rows["A"]  # due moved: both the run's and the earlier run's times are filled
    expected = {
        names[0]: datetime(2026, 3, 3, 10, 0),
        names[1]: datetime(2026, 3, 2, 22, 30),
        names[2]: datetime(2026, 3, 2, 10, 0),
        names[3]: datetime(2026, 3, 2, 22, 30),
    }
    for name, value in expected.items():
        cell = updated[header.index(name)]
        assert cell.value == value, name
        assert cell.is_date and cell.number_format == DATETIME_FORMAT, name


def test_a_time_in_another_format_keeps_its_column_as_text(tmp_path, capsys):
    # an edited baseline: the column stays text whole rather than lose the odd cell
    a = write_run(tmp_path / "a", record("A", due="3月2日 10点"))
    b = write_run(tmp_path / "b", record("A"))
    out = tmp_path / "diff"
    with pytest.raises(SystemExit) as exited:
        main(["diff", str(a), str(b), "--out", str(out)])
    assert exited.value.code == 0, capsys.readouterr().err
    sheet = openpyxl.load_workbook(out / "run-diff.xlsx")["明细"]
    header = [c.value for c in sheet[1]]
    row = next(sheet.iter_rows(min_row=2))
    assert row[header.index("上次截止时间")].value == "3月2日 10点"
    assert row[header.index("截止时间")].value == datetime(2026, 3, 2, 10, 0)
