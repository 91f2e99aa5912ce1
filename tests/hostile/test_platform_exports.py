"""Real platform exports the platform sweep found misread (sweep/platforms/REPORT.md): each
is run through the real command line, and its cells are checked where they were read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

AS_OF = "2026-03-31"
PDD_HEADER = ["售后编号", "订单编号", "售后类型", "售后状态", "订单状态", "申请时间", "售后原因",
              "退款金额", "处理时间"]  # fmt: skip


def pdd_row(i: int, amount: str = "10.00") -> list[str]:
    return [f"AS{i:03d}", f"260301-6071989743423{i:02d}", "仅退款", "退款成功", "未发货",
            "2026-03-02 10:00:00", "不喜欢", amount, "2026-03-02 11:00:00"]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def validate_json(cli, tmp_path: Path, *args) -> tuple[int, dict, str]:
    out = tmp_path / "v.json"
    run = cli("validate", *args, "--json", out)
    return run.code, json.loads(out.read_text(encoding="utf-8")), run.out


# ------------------------------------------------------------------ separator (defect 2)


def test_pdd_csv_with_a_tab_before_every_cell_is_read_as_comma_separated(cli, tmp_path):
    # PDD writes `\t` before every value: 9 tabs a row against 8 commas, over 40 rows.
    rows = [["\t" + cell for cell in pdd_row(i)] for i in range(40)]
    path = write_csv(tmp_path / "pdd.csv", [PDD_HEADER, *rows])
    code, result, _ = validate_json(cli, tmp_path, path)
    assert code == 0, result["data_issues"][:3]
    assert result["inputs"][0]["profile"] == "pdd-aftersales"
    assert result["inputs"][0]["rows"] == 40


def test_a_real_tab_separated_export_with_thousands_commas_stays_tab_separated(cli, tmp_path):
    lines = ["\t".join(PDD_HEADER)] + ["\t".join(pdd_row(i, "1,234.50")) for i in range(3)]
    path = tmp_path / "pdd.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, result, _ = validate_json(cli, tmp_path, path)
    assert code == 0, result["data_issues"][:3]
    assert result["inputs"][0]["rows"] == 3


# ------------------------------------------------------- title cell over two lines (defect 4)


def test_title_cell_spanning_two_lines_above_the_header(cli, tmp_path):
    rows = [["售后列表导出\n导出时间：2026-04-01"], PDD_HEADER, pdd_row(1), pdd_row(2, "十元")]
    path = write_csv(tmp_path / "title.csv", rows, encoding="gb18030")
    code, result, out = validate_json(cli, tmp_path, path)
    # The header is on line 3 (the title takes lines 1-2): the bad amount is on line 5.
    assert "表头行 3" in out
    assert code == 1
    [issue] = result["data_issues"]
    assert (issue["cell"], issue["source"]["row"], issue["value"]) == ("H5", 5, "十元")


# ----------------------------------------------------------- shop with --orders (defect 1)

CASE_HEADER = ["售后单号", "订单编号", "申请时间", "退款金额", "售后原因"]
ORDER_HEADER = ["订单编号", "付款时间", "实付金额"]  # no shop column, as most exports


def _two_shops(tmp_path: Path) -> list[Path]:
    """Two shops' refund exports (no shop column) and their orders, one file each. Every
    refund is 110 of a 100 paid (A001); shop A's second order is missing from its orders."""
    (tmp_path / "订单").mkdir()
    paths = []
    for shop in ("A", "B"):
        cases = [[f"{shop}{i}", f"O{shop}{i}", "2026-03-05 10:00:00", "110.00", "七天无理由"]
                 for i in range(3)]  # fmt: skip
        orders = [[f"O{shop}{i}", "2026-03-01 10:00:00", "100.00"] for i in range(3)]
        if shop == "A":
            orders = orders[:2]
        paths.append(write_csv(tmp_path / f"店铺{shop}.csv", [CASE_HEADER, *cases]))
        write_csv(tmp_path / "订单" / f"{shop}.csv", [ORDER_HEADER, *orders])
    (tmp_path / "a.yaml").write_text(
        'id: shop-a\nversion: "2026-01-01"\ntitle: {zh: 店铺A, en: Shop A}\nlayer: service\n'
        "effective_from: 2026-01-01\nextends: platform-standard\n"
        "rules:\n  A001: {enabled: false, source: 店铺A允许补偿性多退}\n",
        encoding="utf-8",
    )
    return paths


def test_orders_without_a_shop_column_leave_each_case_its_own_files_shop(cli, tmp_path):
    cases = _two_shops(tmp_path)
    orders = ["--orders", tmp_path / "订单" / "A.csv", "--orders", tmp_path / "订单" / "B.csv"]
    out = tmp_path / "out"
    run = cli("audit", *cases, *orders, "--policy", f"店铺A={tmp_path / 'a.yaml'}",
              "--out", out, "--as-of", AS_OF)  # fmt: skip
    assert run.code in (0, 1), run.err
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    # Shop A's policy turns A001 off for all its cases, found orders or not; shop B's two
    # cases with an order (the amount comes from it) are judged by the platform standard.
    a001 = sorted((f["case_id"], f["shop"]) for f in result["findings"] if f["rule"] == "A001")
    assert a001 == [("B0", "店铺B"), ("B1", "店铺B"), ("B2", "店铺B")]
    # The case scorecards group the two shops as such (not "A" beside "店铺A").
    assert {k["shop"] for k in result["kpis"] if k["rule"] == "K003"} == {"店铺A", "店铺B"}


# -------------------------------------------------- Douyin 承诺发货时间 (defect 3)

DOUYIN_ORDERS = ["主订单编号", "子订单编号", "选购商品", "订单应付金额", "支付完成时间",
                 "承诺发货时间", "发货时间"]  # fmt: skip


def test_promised_ship_time_is_read_as_a_time_or_a_stated_length_else_reported(cli, tmp_path):
    # Paid 03-01 10:00, shipped 60 h later: within a 72 h promise, past the 48 h default.
    promises = {"P1": "2026-03-04 10:00:00", "P2": "72小时", "P3": "3天",
                "P4": "2026年3月4日 10时", "P5": "2026-02-28 10:00:00",
                "P6": "尽快发货"}  # fmt: skip
    orders = [[order, f"{order}-1", "面霜", "100.00", "2026-03-01 10:00:00", promise,
               "2026-03-03 22:00:00"] for order, promise in promises.items()]  # fmt: skip
    orders_csv = write_csv(tmp_path / "orders.csv", [DOUYIN_ORDERS, *orders])
    cases = write_csv(
        tmp_path / "cases.csv",
        [CASE_HEADER, ["C1", "P1", "2026-03-05 10:00:00", "10.00", "七天无理由"]],
    )
    out = tmp_path / "out"
    run = cli("audit", cases, "--orders", orders_csv, "--out", out, "--as-of", AS_OF)
    assert run.code in (0, 1), run.err
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    late = sorted(f["order_id"] for f in result["findings"] if f["rule"] == "D010")
    assert late == ["P5", "P6"]  # judged by the 48 h default, and each reported below
    reported = sorted(
        (i["order_id"], i["cell"], i["value"])
        for i in result["data_issues"]
        if i["column"] == "promised_ship_hours"
    )
    assert reported == [("P5", "F6", "2026-02-28 10:00:00"), ("P6", "F7", "尽快发货")]
    messages = [i["message"] for i in result["data_issues"] if i["order_id"] in ("P5", "P6")]
    assert "无法识别" in messages[0] + messages[1] and "早于付款时间" in messages[0] + messages[1]


# ------------------------------------------------ WeChat 售后类型/售后状态 (defect 5)

SHOUHOU_HEADER = ["售后单号", "订单编号", "商品名称", "售后类型", "售后状态", "发货状态",
                  "退款金额", "申请时间", "售后原因"]  # fmt: skip


def _shouhou(tmp_path: Path, name: str, statuses: list[str]) -> Path:
    rows = [[f"S{i}", f"37000000000000000{i}", "面霜", "退货退款", status, "已发货", "99.00",
             "2026-03-02 10:00:00", "七天无理由"] for i, status in enumerate(statuses)]  # fmt: skip
    return write_csv(tmp_path / name, [SHOUHOU_HEADER, *rows])


def test_wechat_export_spelled_like_kuaishous_is_told_apart_by_its_status_texts(cli, tmp_path):
    wechat = _shouhou(tmp_path, "wx.csv", ["商家拒绝退款", "退款成功"])
    kuaishou = _shouhou(tmp_path, "ks.csv", ["商家拒绝", "售后成功"])
    code, result, _ = validate_json(cli, tmp_path, wechat)
    assert (code, result["inputs"][0]["profile"]) == (0, "wechat-aftersales")
    code, result, _ = validate_json(cli, tmp_path, kuaishou)
    assert (code, result["inputs"][0]["profile"]) == (0, "kuaishou-aftersales")
    # Named explicitly, the WeChat profile reads the spelling it maps.
    code, result, _ = validate_json(cli, tmp_path, wechat, "--profile", "wechat-aftersales")
    assert (code, result["inputs"][0]["rows"]) == (0, 2)
    from auditor.io import load

    assert load([wechat]).cases["decision"].to_list() == ["rejected", "approved"]


# ---------------------------------------------------------------- footer rows (defect 6)


def _write_rows(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".csv":
        return write_csv(path, rows)
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_total_in_an_unread_first_column_is_a_footer_not_a_case(cli, tmp_path, suffix):
    header = ["序号", *PDD_HEADER]  # a leading 序号 column no profile reads
    body = [[str(i), *pdd_row(i)] for i in range(1, 5)]
    no_id = ["5", "", *pdd_row(5)[1:]]  # a real row that lost its id: still reported
    total = ["合计", *[""] * 7, "40.00", ""]  # the label in the unread column only
    path = _write_rows(tmp_path / f"f{suffix}", [header, *body, no_id, total])
    code, result, _ = validate_json(cli, tmp_path, path)
    assert result["inputs"][0]["rows"] == 5  # four cases and the row without its id
    issues = [(i["column"], i["source"]["row"]) for i in result["data_issues"]]
    assert (code, issues) == (1, [("case_id", 6)])


@pytest.mark.parametrize(
    "footer", ["导出时间：2026-04-01 09:00:00", "共计 4 条记录", "共 4 条", "总计"]
)
def test_footer_lines_under_the_id_column_are_no_cases(cli, tmp_path, footer):
    rows = [PDD_HEADER, *[pdd_row(i) for i in range(1, 5)], [footer]]
    code, result, _ = validate_json(cli, tmp_path, write_csv(tmp_path / "f.csv", rows))
    assert (code, result["inputs"][0]["rows"], result["data_issues"]) == (0, 4, [])


@pytest.mark.parametrize("case_id", ["TOTAL123", "TOTAL-1", "Totalcare-7", "共3件套-1"])
def test_a_case_id_that_starts_like_a_footer_word_is_a_case(cli, tmp_path, case_id):
    """An own system's ids are not footers: only `total` standing alone (Total, Total: 5)
    or a record count (共 4 条) is."""
    rows = [PDD_HEADER, *[pdd_row(i) for i in range(1, 4)], [case_id, *pdd_row(9)[1:]]]
    code, result, _ = validate_json(cli, tmp_path, write_csv(tmp_path / "ids.csv", rows))
    assert (code, result["inputs"][0]["rows"], result["data_issues"]) == (0, 4, [])


# ------------------------------------------- `--orders orders/*.csv` in the shell (defect 7)

ORDERS_WITH_SHIPPING = ["订单编号", "付款时间", "发货时间", "实付金额"]


def test_an_orders_export_given_as_a_cases_argument_is_read_as_orders(cli, tmp_path):
    """`auditor audit c.csv --orders orders/*.csv` expands to `--orders a.csv b.csv`: the
    second orders file arrives as CASES. Matching only an orders layout, it is read as one."""
    cases = write_csv(
        tmp_path / "c.csv",
        [CASE_HEADER, ["C1", "OA", "2026-03-05 10:00:00", "10.00", "七天无理由"],
         ["C2", "OB", "2026-03-05 10:00:00", "10.00", "七天无理由"]],
    )  # fmt: skip
    first = write_csv(
        tmp_path / "a.csv",
        [ORDERS_WITH_SHIPPING, ["OA", "2026-03-01 10:00:00", "2026-03-01 12:00:00", "100"]],
    )
    second = write_csv(
        tmp_path / "b.csv",
        [ORDERS_WITH_SHIPPING, ["OB", "2026-03-01 10:00:00", "2026-03-05 10:00:00", "100"],
         ["OC", "2026-03-01 10:00:00", "", "一百"]],
    )  # fmt: skip
    out = tmp_path / "out"
    run = cli("audit", cases, "--orders", first, second, "--out", out, "--as-of", AS_OF)
    assert run.code in (0, 1), run.err
    result = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(i["path"], i["kind"]) for i in result["inputs"]] == [
        (str(cases), "cases"), (str(first), "orders"), (str(second), "orders")
    ]  # fmt: skip
    # Both orders are found (no Q004); b.csv's late shipment and bad amount point into it.
    [late] = [f for f in result["findings"] if f["rule"] == "D010"]
    assert (late["order_id"], late["source"]["file"], late["source"]["row"]) == (
        "OB",
        str(second),
        2,
    )
    issues = [(i["check"], i["cell"], i["source"]["file"]) for i in result["data_issues"]]
    assert issues == [("Q001", "D3", str(second))]
    from auditor.io import load

    moved = load([cases, second], [first]).inputs[2]
    assert (moved.kind, moved.profile) == ("orders", "generic-orders")
    assert "已作为订单导出（--orders）读取" in moved.note_zh and "orders export" in moved.note_en
    # The user is told, under that file's input line, by audit and by validate.
    told = run.out.split(str(second), 1)[1].splitlines()[1]
    assert told.strip() == moved.note_zh, run.out
    checked = cli("validate", cases, "--orders", first, second, "--lang", "en")
    assert checked.out.split(str(second), 1)[1].splitlines()[1].strip() == moved.note_en


def test_orders_exports_alone_are_refused_saying_they_belong_to_orders(cli, tmp_path):
    orders = write_csv(
        tmp_path / "o.csv", [ORDERS_WITH_SHIPPING, ["OA", "2026-03-01 10:00:00", "", "100"]]
    )
    zh = cli("validate", orders)
    en = cli("validate", orders, "--lang", "en")
    assert zh.code == en.code == 2
    assert "这是订单导出（版式 generic-orders），请用 --orders 给出" in zh.err
    assert "this is an orders export (layout generic-orders): give it with --orders" in en.err
