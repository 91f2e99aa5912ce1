"""Hostile cells through the real command line: dates outside any export's years, typed
parquet columns, negative and foreign amounts. Each is a located data issue (Q001) or a
located error (exit 2), and every other row is still audited."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

import openpyxl
import polars as pl

from tests.hostile.conftest import digest

HEADER = "case_id,order_id,case_type,reason,signed_at,applied_at,decision,status\n"


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _audit(cli, path: Path, out: Path, *extra: str) -> dict:
    before = digest(path)
    run = cli("audit", path, "--out", out, "--fail-on", "never", *extra)
    assert run.code == 0, run.err
    assert digest(path) == before
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _q001(data: dict) -> dict[tuple[str | None, str], dict]:
    return {(i["case_id"], i["column"]): i for i in data["data_issues"] if i["check"] == "Q001"}


def _audited(data: dict) -> int:
    return data["summary"]["cases"]


def test_a_year_below_2000_is_a_data_issue_in_audit_and_validate(cli, tmp_path):
    path = _csv(
        tmp_path / "r1.csv",
        HEADER
        + "C1,O1,退货退款,不想要了,2026-03-01,2026-03-03,拒绝,已完结\n"
        + "C2,O2,退货退款,不想要了,26-3-1,26-3-3,拒绝,已完结\n"
        + "C3,O3,退货退款,不想要了,0999-01-01,2026-03-03,拒绝,已完结\n",
    )
    data = _audit(cli, path, tmp_path / "out")
    q001 = _q001(data)
    assert q001[("C2", "applied_at")]["message"] == "申请时间「26-3-3」：日期不在 2000–2099 年之间"
    assert q001[("C2", "signed_at")]["cell"] == "E3"
    assert q001[("C3", "signed_at")]["value"] == "0999-01-01"
    assert _audited(data) == 3
    validated = cli("validate", path, "--lang", "en")
    assert validated.code == 1
    assert "26-3-3: date not between the years 2000 and 2099" in validated.out


def test_a_repair_signed_in_9999_is_a_data_issue_not_a_crash(cli, tmp_path):
    path = _csv(
        tmp_path / "r2.csv",
        HEADER
        + "C1,O1,维修,质量问题,9999-12-31,2026-03-03,拒绝,已完结\n"
        + "C2,O2,退货退款,不想要了,2026-03-01,2026-03-03,拒绝,已完结\n",
    )
    data = _audit(cli, path, tmp_path / "out", "--lang", "en")
    issue = _q001(data)[("C1", "signed_at")]
    assert issue["value"] == "9999-12-31" and "2000 and 2099" in issue["message"]
    assert _audited(data) == 2


def test_time_only_and_null_sentinel_cells_of_a_workbook_are_data_issues(cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["售后单号", "订单编号", "商品类目", "售后类型", "售后原因", "签收时间", "申请时间"]
    )
    cells = [datetime(2026, 3, 1, 10), time(10, 0), datetime(1899, 12, 30)]
    cells += [datetime(1970, 1, 1, 8), "0001-01-01"]
    for n, signed in enumerate(cells, start=1):
        sheet.append(
            [f"A{n}", f"O{n}", "女装", "退货退款", "不想要了", signed, datetime(2026, 3, 3)]
        )
    path = tmp_path / "r9.xlsx"
    book.save(path)
    data = _audit(cli, path, tmp_path / "out")
    flagged = {case for case, column in _q001(data) if column == "signed_at"}
    assert flagged == {"A2", "A3", "A4", "A5"}
    assert _audited(data) == 5


def _parquet(path: Path, **columns) -> Path:
    base = {
        "case_id": ["C1", "C2"],
        "order_id": ["O1", "O2"],
        "case_type": ["仅退款"] * 2,
        "reason": ["不想要了"] * 2,
        "applied_at": ["2026-03-03"] * 2,
        "decision": ["同意"] * 2,
    }
    pl.DataFrame({**base, **columns}).write_parquet(path)
    return path


def test_integer_ids_in_parquet_are_their_digits(cli, tmp_path):
    path = _parquet(tmp_path / "ids.parquet", case_id=[1, 2], order_id=[11, 12])
    data = _audit(cli, path, tmp_path / "out")
    assert not _q001(data)
    assert _audited(data) == 2


def test_float_ids_in_parquet_are_their_integer_or_a_data_issue(cli, tmp_path):
    path = _parquet(tmp_path / "ids.parquet", case_id=[1.0, 2.0**60])
    data = _audit(cli, path, tmp_path / "out")
    (issue,) = [i for i in data["data_issues"] if i["column"] == "case_id"]
    assert issue["check"] == "Q001" and "位数已丢失" in issue["message"]
    assert _audited(data) == 1


def test_a_float_satisfaction_that_is_whole_is_accepted(cli, tmp_path):
    path = _parquet(tmp_path / "s.parquet", satisfaction=[5.0, 3.5])
    data = _audit(cli, path, tmp_path / "out")
    assert set(_q001(data)) == {("C2", "satisfaction")}


def test_number_and_time_typed_date_columns_are_data_issues_per_cell(cli, tmp_path):
    path = _parquet(
        tmp_path / "d.parquet",
        applied_at=[20260303, 5],
        signed_at=[time(10), time(11)],
        paid_amount=[100, 100],
    )
    data = _audit(cli, path, tmp_path / "out")
    q001 = _q001(data)
    assert q001[("C1", "applied_at")]["value"] == "20260303"
    assert q001[("C1", "signed_at")]["value"] == "10:00:00"


def test_far_typed_datetimes_are_data_issues_not_an_abort(cli, tmp_path):
    stored = pl.Series([10**17, 1772500000000], dtype=pl.Int64)
    path = _parquet(tmp_path / "far.parquet", applied_at=stored.cast(pl.Datetime("ms", "UTC")))
    data = _audit(cli, path, tmp_path / "out")
    assert _q001(data)[("C1", "applied_at")]["value"] == "100000000000000000 ms"
    assert _audited(data) == 2


def test_a_column_with_no_text_stops_the_run_with_its_location(cli, tmp_path):
    path = _parquet(tmp_path / "list.parquet", applied_at=[[1], [2]])
    run = cli("audit", path, "--out", tmp_path / "out")
    assert run.code == 2
    assert "list.parquet: E" in run.err and "申请时间" in run.err


AMOUNTS = "case_id,order_id,case_type,reason,paid_amount,refund_amount,applied_at,decision\n"


def test_a_negative_paid_amount_is_reported_and_not_compared(cli, tmp_path):
    path = _csv(tmp_path / "r8.csv", AMOUNTS + "C1,O1,仅退款,不想要了,-100,50,2026-03-03,同意\n")
    data = _audit(cli, path, tmp_path / "out")
    assert _q001(data)[("C1", "paid_amount")]["message"] == "实付金额「-100」不能为负数"
    assert not [f for f in data["findings"] if f["rule"] == "A001"]


def test_a_decimal_comma_or_a_dollar_amount_is_not_read_as_yuan(cli, tmp_path):
    path = _csv(
        tmp_path / "r10.csv",
        AMOUNTS
        + 'C1,O1,仅退款,不想要了,100,"1.500,00",2026-03-03,同意\n'
        + "C2,O2,仅退款,不想要了,$150,50,2026-03-03,同意\n"
        + 'C3,O3,仅退款,不想要了,"¥1,500.00",RMB 50,2026-03-03,同意\n',
    )
    data = _audit(cli, path, tmp_path / "out", "--lang", "en")
    q001 = _q001(data)
    assert set(q001) == {("C1", "refund_amount"), ("C2", "paid_amount")}
    assert q001[("C2", "paid_amount")]["message"] == "paid_amount $150 is not an amount in yuan"
    assert _audited(data) == 3
