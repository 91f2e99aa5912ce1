"""Two shops' order exports that number an order alike are not merged into one order."""

from __future__ import annotations

import json
from pathlib import Path

CASES = (
    "case_id,order_id,case_type,reason,refund_amount,applied_at,decided_at,decision,"
    "refunded_at,status\n"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _two_shops(tmp_path: Path) -> list[Path]:
    """Shop A's O1 was paid and shipped within a day; shop B's O1, a week earlier, too.
    Merged, O1 would be paid on B's day and shipped on A's: a false D010 (ship in 48 h)."""
    return [
        _write(tmp_path / "店A.csv", CASES + "A1,O1,仅退款,质量问题,50,2026-03-03,,,,处理中\n"),
        _write(tmp_path / "店B.csv", CASES + "B1,O7,仅退款,质量问题,30,2026-03-04,,,,处理中\n"),
        "--orders",
        _write(
            tmp_path / "店A订单.csv",
            "order_id,paid_at,shipped_at,paid_amount\nO1,2026-03-01 10:00,2026-03-02 10:00,100\n",
        ),
        "--orders",
        _write(
            tmp_path / "店B订单.csv",
            "order_id,paid_at,shipped_at,paid_amount\n"
            "O7,2026-02-20 10:00,2026-02-21 10:00,30\n"
            "O1,2026-02-25 10:00,2026-02-26 09:00,60\n",
        ),
    ]


def _findings(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_an_order_id_two_shops_share_is_the_first_shops_order(cli, tmp_path):
    inputs = _two_shops(tmp_path)
    zh = cli("audit", *inputs, "--out", tmp_path / "zh", "--fail-on", "never")
    en = cli("audit", *inputs, "--out", tmp_path / "en", "--fail-on", "never", "--lang", "en")
    assert zh.code == en.code == 0
    assert _findings(tmp_path / "zh")["findings"] == []  # no D010 from mixed shops' times
    [issue] = _findings(tmp_path / "zh")["data_issues"]
    assert (issue["check"], issue["order_id"], issue["cell"]) == ("Q002", "O1", "A3")
    assert issue["source"]["file"].endswith("店B订单.csv") and issue["source"]["row"] == 3
    # Neither export has a shop column, so their file names are no shops: what tells the
    # two orders apart is that O1 was paid at two different times.
    assert "店A订单.csv!2 行的订单相同，但付款时间不同" in issue["message"]
    assert "本行 2026-02-25 10:00:00，该订单 2026-03-01 10:00:00" in issue["message"]
    [english] = _findings(tmp_path / "en")["data_issues"]
    assert "the same as the order at" in english["message"]
    assert "paid time differs" in english["message"]


def test_the_kept_order_gives_its_amount_and_the_other_shops_orders_still_join(cli, tmp_path):
    inputs = _two_shops(tmp_path)
    run = cli("validate", *inputs, "--json", tmp_path / "v.json")
    assert run.code == 1  # the one Q002
    from auditor.io.dataset import load

    data = load(inputs[:2], [inputs[3], inputs[5]])
    orders = {row["order_id"]: row for row in data.orders.to_dicts()}
    # Neither orders export has a shop column: each is the shop of the cases naming its
    # orders (店A.csv's case names 店A订单's O1, 店B.csv's names 店B订单's O7).
    assert orders["O1"]["paid_amount"] == 100.0 and orders["O1"]["shop"] == "店A"
    assert orders["O7"]["shop"] == "店B"
    assert data.cases["_order_found"].to_list() == [True, True]


def test_one_shops_order_in_two_overlapping_exports_is_still_one_order(cli, tmp_path):
    header = "店铺,order_id,line_id,paid_at,shipped_at,paid_amount\n"
    early = _write(tmp_path / "3月上.csv", header + "店A,O1,L1,2026-03-01 10:00,,100\n")
    late = _write(
        tmp_path / "3月下.csv",
        header + "店A,O1,L1,2026-03-01 10:00,2026-03-02 10:00,100\n"
        "店A,O1,L2,2026-03-01 10:00,2026-03-02 10:00,20\n",
    )
    cases = _write(tmp_path / "c.csv", CASES + "A1,O1,仅退款,质量问题,50,2026-03-03,,,,处理中\n")
    run = cli("validate", cases, "--orders", early, "--orders", late, "--json", tmp_path / "v.json")
    # L1 listed again, shipped since: one line, reported once (Q002, not a shop mix-up)
    assert run.code == 1
    assert "同一订单行再次列出" in run.out and "店铺不同" not in run.out
    from auditor.io.dataset import load

    orders = load([cases], [early, late]).orders
    assert orders["shipped_at"].dt.to_string("%m-%d").to_list() == ["03-02"]
    assert orders["paid_amount"].to_list() == [120.0]
