"""An orders export with no shop column belongs to the shop of the cases that name its orders:
`店铺A.csv --orders 订单/A.csv --policy 店铺A=…` judges A's shipping by A's policy."""

from __future__ import annotations

import json
from pathlib import Path

CASES = "case_id,order_id,case_type,reason,refund_amount,applied_at,status\n"
ORDERS = "order_id,paid_at,shipped_at,paid_amount\n"
# Shop A promises shipping within 72 hours; the platform standard says 48.
POLICY = """id: shop-a
version: "2026-01-01"
title:
  zh: 店铺A承诺
  en: Shop A's promise
layer: service
effective_from: 2025-01-01
extends: platform-standard
params:
  ship_limit:
    amount: 72
    unit: hours
    from: paid_at
    source: 店铺A：72小时内发货
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shopless_orders_export_is_the_shop_of_its_cases(cli, tmp_path):
    cases = _write(tmp_path / "店铺A.csv", CASES + "C1,O1,仅退款,质量问题,10,2026-03-05,处理中\n")
    # O1 shipped 60 hours after payment: late by the platform's 48 h, in time by A's 72 h.
    orders = _write(
        tmp_path / "订单" / "A.csv", ORDERS + "O1,2026-03-01 10:00,2026-03-03 22:00,100\n"
    )
    policy = _write(tmp_path / "shop-a.yaml", POLICY)
    out = tmp_path / "out"
    run = cli(
        "audit", cases, "--orders", orders, "--policy", f"店铺A={policy}", "--out", out,
        "--as-of", "2026-03-31", "--outputs", "json", "--fail-on", "never",
    )  # fmt: skip
    assert run.code == 0, run.err
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [f for f in result["findings"] if f["rule"] == "D010"] == []
    assert result["coverage"]["D010"]["judged"] == 1
    # Without the shop's policy the same order is late, and its finding names shop 店铺A.
    plain = tmp_path / "plain"
    cli("audit", cases, "--orders", orders, "--out", plain, "--as-of", "2026-03-31",
        "--outputs", "json", "--fail-on", "never")  # fmt: skip
    late = json.loads((plain / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert [(f["rule"], f["shop"]) for f in late if f["rule"] == "D010"] == [("D010", "店铺A")]


def test_an_orders_export_named_by_two_shops_cases_keeps_its_file_name(cli, tmp_path):
    a = _write(tmp_path / "店铺A.csv", CASES + "A1,O1,仅退款,质量问题,10,2026-03-05,处理中\n")
    b = _write(tmp_path / "店铺B.csv", CASES + "B1,O2,仅退款,质量问题,10,2026-03-05,处理中\n")
    orders = _write(
        tmp_path / "全部订单.csv",
        ORDERS + "O1,2026-03-01 10:00,2026-03-01 12:00,100\nO2,2026-03-01 10:00,,50\n",
    )
    from auditor.io.dataset import load

    data = load([a, b], [orders])
    assert data.orders["shop"].to_list() == ["全部订单", "全部订单"]
    assert data.cases["shop"].to_list() == ["店铺A", "店铺B"]
