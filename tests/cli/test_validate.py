"""`auditor validate`: the done-criteria of issue 2, the JSON shape and the exit codes."""

from __future__ import annotations

import json

import pytest

from auditor.cli.main import main
from tests.io.helpers import write_xlsx

TAOBAO_C = [
    "订单编号", "退款编号", "支付单号", "订单付款时间", "商品id", "商品编码", "退款完结时间",
    "买家实际支付金额", "宝贝标题", "买家退款金额", "手工退款/系统退款", "售后类型", "退款的申请时间",
    "超时时间", "退款状态", "货物状态", "退货物流信息", "发货物流信息", "客服介入状态", "卖家真实姓名",
    "卖家真实姓名(新)", "卖家退货地址", "卖家邮编", "卖家电话", "卖家手机", "退货物流单号",
    "退货物流公司", "买家退款原因", "买家退款说明", "买家退货时间", "责任方", "售中或售后", "备注标签",
    "商家备注", "完结时间", "部分退款/全部退款", "审核操作人",
]  # fmt: skip
DOUYIN = [
    "售后单号", "订单号", "商品单号", "商品名称", "商品ID", "商品发货状态", "售后类型", "退商品金额（元）",
    "售后申请时间", "售后原因", "退货物流单号", "退货异常", "退货发货时间", "同意售后申请时间",
    "商家退款时间", "用户到账时间", "售后关闭时间", "商家退货地址", "商家退货联系人姓名", "仲裁状态",
    "纠纷责任方", "售后状态",
]  # fmt: skip


def run(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out = capsys.readouterr()
    return exited.value.code, out.out, out.err


def generic_two_title_rows(path):
    header = ["case_id", "order_id", "applied_at", "refund_amount", "reason", "buyer_phone"]
    rows = [
        [f"G{i}", f"O{i}", f"2026-03-{i:02d} 10:00:00", "10", "不想要了", "13912345678"]
        for i in range(1, 10)
    ]
    rows[8][2] = "2026-13-45"  # data row 9 = sheet row 12, column C
    return write_xlsx(path, {"售后": [["某店 售后导出"], ["2026年3月"], header, *rows]})


def gb18030_csv(path):
    header = "售后单号,订单编号,申请时间,退款金额,售后原因,收货地址"
    lines = ["导出报表", "", "", "", "", "", "", "", "", header]  # the header is line 10
    lines += [
        '="4988964832002768612",="3553498017448001",2026/3/1 10:02,¥12,质量问题,北京',
        '="4988964832002768613",="3553498017448002",2026年3月2日,十二元,做工粗糙,上海',
    ]
    path.write_bytes("\r\n".join(lines).encode("gb18030") + b"\r\n")
    return path


def douyin_xlsx(path):
    rows = []
    for i in range(1, 12):
        row = [""] * len(DOUYIN)
        row[0], row[1], row[2] = f"6{i:03d}", "4988964832002768612", f"49889648320027686{i:02d}"
        row[6], row[7], row[8] = "退货退款", "1,299.00", "2026-03-02 10:00:00"
        row[9], row[21] = "七天无理由", "待商家处理"
        rows.append(row)
    rows[10][2] = "4.98896E+18"  # row 12, column C: an id Excel rounded
    return write_xlsx(path, {"售后单": [DOUYIN, *rows]})


def taobao_c_xlsx(path):
    rows = []
    for i in range(1, 12):
        row = [""] * len(TAOBAO_C)
        row[0], row[1] = f"35534980174480{i:02d}", f"2026030{i % 9 + 1}{i:04d}"
        row[7], row[9], row[11], row[12] = "99.00", "99.00", "退货退款", "2026-03-01 10:00:00"
        row[14], row[27] = "退款成功", "7天无理由退换货"
        row[6] = "2026-03-05 10:00:00"
        rows.append(row)
    rows[10][14] = "退款处理中（新状态）"  # row 12, column O (退款状态)
    return write_xlsx(path, {"退款明细": [TAOBAO_C, *rows]})


def test_done_criteria_of_issue_2(tmp_path, capsys):
    files = [
        generic_two_title_rows(tmp_path / "generic.xlsx"),
        gb18030_csv(tmp_path / "gbk.csv"),
        douyin_xlsx(tmp_path / "douyin.xlsx"),
        taobao_c_xlsx(tmp_path / "taobao.xlsx"),
    ]
    out_json = tmp_path / "checks.json"
    code, out, _ = run(["validate", *map(str, files), "--json", str(out_json)], capsys)
    assert code == 1
    report = json.loads(out_json.read_text(encoding="utf-8"))
    inputs = {i["path"]: (i["profile"], i["rows"]) for i in report["inputs"]}
    assert inputs == {
        str(files[0]): ("generic", 9),
        str(files[1]): ("generic", 2),
        str(files[2]): ("douyin-aftersales", 11),
        str(files[3]): ("taobao-refund-c", 11),
    }
    located = {
        (i["check"], i["source"]["file"], i["source"]["sheet"], i["cell"], i["column"])
        for i in report["data_issues"]
    }
    assert located == {
        ("Q001", str(files[0]), "售后", "C12", "applied_at"),
        ("Q001", str(files[1]), None, "D12", "refund_amount"),
        ("Q001", str(files[2]), "售后单", "C12", "line_id"),
        ("Q001", str(files[3]), "退款明细", "O12", "status"),
    }
    for text in (
        f"{files[0]}!售后!C12",
        f"{files[1]}!D12",
        f"{files[2]}!售后单!C12",
        f"{files[3]}!退款明细!O12",
        "generic",
        "douyin-aftersales",
        "taobao-refund-c",
        "售后单号, 商品单号",  # why: the signature headers that matched
    ):
        assert text in out
    assert "13912345678" not in out_json.read_text(encoding="utf-8") + out


def test_json_has_exactly_the_findings_json_shape(tmp_path, capsys):
    path = generic_two_title_rows(tmp_path / "g.xlsx")
    out_json = tmp_path / "v.json"
    run(["validate", str(path), "--json", str(out_json), "--lang", "en"], capsys)
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert list(report) == ["inputs", "data_issues"]
    assert list(report["inputs"][0]) == ["path", "sha256", "kind", "profile", "rows"]
    issue = report["data_issues"][0]
    assert list(issue) == [
        "check", "case_id", "order_id", "column", "cell", "value", "message", "source",
    ]  # fmt: skip
    assert list(issue["source"]) == ["file", "sheet", "row"]
    assert issue["source"]["row"] == 12
    assert issue["value"] == "2026-13-45"
    assert issue["message"] == "applied_at 2026-13-45 is not a date/time"


def test_clean_input_exits_0(tmp_path, capsys):
    path = write_xlsx(
        tmp_path / "ok.xlsx",
        {"s": [["case_id", "order_id", "applied_at"], ["A", "O", "2026-03-01 10:00:00"]]},
    )
    code, out, _ = run(["validate", str(path)], capsys)
    assert code == 0
    assert "没有数据问题" in out


def test_orders_and_missing_orders(tmp_path, capsys):
    cases = write_xlsx(
        tmp_path / "c.xlsx",
        {
            "s": [
                ["case_id", "order_id", "applied_at"],
                ["A", "O1", "2026-03-01"],
                ["B", "O2", "2026-03-01"],
            ]
        },
    )
    orders = write_xlsx(tmp_path / "o.xlsx", {"s": [["order_id", "paid_at"], ["O1", "2026-02-28"]]})
    code, out, _ = run(["validate", str(cases), "--orders", str(orders), "--lang", "en"], capsys)
    assert code == 1
    assert "generic-orders" in out
    assert f"{cases}!s!B3" in out
    assert "Q004" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.xlsx"], "missing.xlsx: 无法读取：文件不存在"),
        (["{ok}", "--profile", "no-such-profile"], "no-such-profile"),
        (["{ok}", "--orders", "{ok}"], "订单版式"),
    ],
)
def test_unreadable_input_exits_2_with_one_line_per_problem(tmp_path, capsys, args, expected):
    ok = write_xlsx(
        tmp_path / "ok.xlsx",
        {"s": [["case_id", "order_id", "applied_at"], ["A", "O", "2026-03-01 10:00:00"]]},
    )
    argv = ["validate", *[a.replace("{ok}", str(ok)) for a in args]]
    argv = [str(tmp_path / a) if a == "missing.xlsx" else a for a in argv]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out


def test_help_has_a_worked_example_and_points_to_profiles(capsys):
    code, out, _ = run(["validate", "--help"], capsys)
    assert code == 0
    assert "auditor profiles" in out
    assert "auditor validate 售后3月.xlsx" in out


def test_user_profile_file_and_reason_synonyms(tmp_path, capsys):
    profile = tmp_path / "mine.yaml"
    profile.write_text(
        "id: mine\nkind: cases\nplatform: own\ntitle: {zh: 自建, en: Own}\n"
        "detect: {required: [工单, 订单]}\n"
        "columns: {case_id: [工单], order_id: [订单], applied_at: [创建], reason: [原因]}\n",
        encoding="utf-8",
    )
    reasons = tmp_path / "reasons.yaml"
    reasons.write_text("exact:\n  老公不让买: no_reason\n", encoding="utf-8")
    cases = write_xlsx(
        tmp_path / "own.xlsx",
        {"s": [["工单", "订单", "创建", "原因"], ["W1", "O1", "2026-03-01 08:00", "老公不让买"]]},
    )
    code, out, _ = run(["validate", str(cases), "--profile", str(profile)], capsys)
    assert code == 1  # the reason is unclassified without the user's synonyms
    assert "mine" in out and "Q005" in out
    code, out, _ = run(
        ["validate", str(cases), "--profile", str(profile), "--reasons", str(reasons)], capsys
    )
    assert code == 0


def test_json_cannot_be_written_is_exit_2(tmp_path, capsys):
    cases = generic_two_title_rows(tmp_path / "g.xlsx")
    code, _, err = run(
        ["validate", str(cases), "--json", str(tmp_path / "no" / "such" / "dir.json")], capsys
    )
    assert code == 2
    assert "无法写入" in err
