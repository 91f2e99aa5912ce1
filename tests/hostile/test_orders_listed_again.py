"""Overlapping order exports and files given twice, through the command line: an order-level
export listing an order again does not double its amount (A003 still fires), a shopless
export named by date is not another shop (D010 still fires), and a file given twice is
read once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = "售后单号,订单编号,店铺,售后类型,售后原因,退款金额,申请时间,审核时间,审核结果,退款时间,售后状态\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _result(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _audit(cli, tmp_path: Path, cases: Path, *orders: Path, lang: str = "zh") -> dict:
    out = tmp_path / f"out-{lang}"
    args = ["audit", cases, "--out", out, "--as-of", "2026-04-01", "--fail-on", "never"]
    for path in orders:
        args += ["--orders", path]
    run = cli(*args, "--outputs", "json", "--lang", lang)
    assert run.code == 0, run.err
    return _result(out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_order_in_two_overlapping_exports_is_refunded_twice_still(cli, tmp_path, lang):
    # Two refunds of 80 + 70 on an order paid 100; the first export was taken before O1
    # shipped. Added up as two lines, O1 was "paid 200" and A003 went silent.
    cases = _write(
        tmp_path / "cases.csv",
        CASES
        + "C1,O1,好物店,仅退款,不想要了,80,2026-03-05 10:00,2026-03-05 11:00,同意,2026-03-05 12:00,已完结\n"
        + "C2,O1,好物店,仅退款,不想要了,70,2026-03-06 10:00,2026-03-06 11:00,同意,2026-03-06 12:00,已完结\n",
    )
    header = "订单编号,店铺,实付金额,付款时间,发货时间\n"
    early = _write(tmp_path / "o_0301.csv", header + "O1,好物店,100.00,2026-03-01 09:00,\n")
    late = _write(
        tmp_path / "o_0331.csv", header + "O1,好物店,100.00,2026-03-01 09:00,2026-03-02 08:00\n"
    )
    result = _audit(cli, tmp_path, cases, early, late, lang=lang)
    assert [f["rule"] for f in result["findings"]] == ["A003"]
    [issue] = result["data_issues"]
    assert (issue["check"], issue["order_id"], issue["cell"]) == ("Q002", "O1", "A2")
    assert issue["source"]["file"].endswith("o_0331.csv") and issue["source"]["row"] == 2
    assert "o_0301.csv!2" in issue["message"]
    if lang == "zh":
        assert (
            issue["message"].startswith("同一订单再次列出") and "发货时间不同" in issue["message"]
        )
    else:
        assert "listed again" in issue["message"] and "shipped_at" in issue["message"]


def test_one_shops_shopless_exports_named_by_date_are_one_shop(cli, tmp_path):
    # No shop column (Qianniu, JD, PDD): the file names are dates, not shops. O1 shipped
    # 60 hours after payment (D010), which only the later export knows.
    cases = _write(
        tmp_path / "cases.csv",
        CASES
        + "C1,O1,好物店,仅退款,不想要了,10,2026-03-05 10:00,2026-03-05 11:00,同意,2026-03-05 12:00,已完结\n",
    )
    header = "订单编号,实付金额,付款时间,发货时间\n"
    early = _write(tmp_path / "orders_0301.csv", header + "O1,100.00,2026-03-01 09:00,\n")
    late = _write(
        tmp_path / "orders_0331.csv", header + "O1,100.00,2026-03-01 09:00,2026-03-03 21:00\n"
    )
    result = _audit(cli, tmp_path, cases, early, late)
    assert [(f["rule"], f["shop"]) for f in result["findings"]] == [("D010", "好物店")]
    [issue] = result["data_issues"]
    assert "店铺不同" not in issue["message"] and "orders_0301.csv!2" in issue["message"]


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("zh", "同一文件给出两次，只读一次："),
        ("en", "the same file was given twice; it is read once: "),
    ],
)
def test_a_cases_file_given_twice_is_read_once(cli, tmp_path, lang, note):
    cases = _write(
        tmp_path / "a.csv",
        CASES
        + "C1,O1,好物店,仅退款,不想要了,10,2026-03-05 10:00,2026-03-05 11:00,同意,2026-03-05 12:00,已完结\n"
        + "C2,O2,好物店,仅退款,不想要了,10,2026-03-05 10:00,2026-03-05 11:00,同意,2026-03-05 12:00,已完结\n",
    )
    out = tmp_path / "out"
    run = cli("audit", cases, cases, "--out", out, "--outputs", "json", "--lang", lang,
              "--fail-on", "never")  # fmt: skip
    assert run.code == 0, run.err
    assert f"{note}{cases}" in run.out
    result = _result(out)
    assert [i for i in result["data_issues"] if i["check"] == "Q002"] == []
    checked = cli("validate", cases, f"{tmp_path}/./a.csv", "--lang", lang)
    assert checked.code == 0 and f"{note}{cases}" in checked.out
