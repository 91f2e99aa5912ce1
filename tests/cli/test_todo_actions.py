"""The to-do list merges rules asking the same action and keeps different actions apart, as
docs/design/rules-engine.md describes it (through the real command line)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from auditor.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CASES = (
    "售后单号,订单编号,店铺,商品类目,售后类型,售后原因,实付金额,退款金额,签收时间,申请时间,"
    "首次响应时间,审核时间,审核结果,卖家收货时间,退款时间,售后状态\n"
    "T1,O1,店A,女装,退货退款,七天无理由,50,50,2026-03-27 10:00:00,2026-03-28 10:00:00,"
    "2026-03-28 10:30:00,2026-03-28 11:00:00,同意,2026-03-31 09:00:00,,处理中\n"
)


def test_one_open_return_has_a_row_per_action(tmp_path, capsys):
    cases = tmp_path / "todo.csv"
    cases.write_text(CASES, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(cases), "--as-of", "2026-03-31", "--out", str(out), "--quiet"])
    assert exited.value.code == 0, capsys.readouterr().err
    sheet = openpyxl.load_workbook(out / "violations.xlsx")["待办"]
    rows = [(r[3], r[4]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    # D003, D004 (and D011) all ask 完成退款: one row, D004's sooner due; D008 asks another
    # action and keeps its own row.
    assert rows == [("D008", "完成退款或发出换货"), ("D004", "完成退款")]


def test_the_design_doc_gives_the_merge_example_the_tool_does():
    doc = (ROOT / "docs/design/rules-engine.md").read_text(encoding="utf-8")
    section = doc.split("## To-do list", 1)[1].split("\n## ", 1)[0]
    text = re.sub(r"\s+", " ", section)
    assert "D003 and D004 both ask `完成退款`" in text
    assert "D004 and D008 both" not in text
    assert "D008 `完成退款或发出换货`" in text and "its own row" in text
