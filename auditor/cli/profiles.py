"""`auditor profiles`: the bundled layout profiles (id, kind, platform, title)."""

from __future__ import annotations

import click

HELP = """列出内置的版式档案 · List the bundled layout profiles.

\b
--profile 接受这里的 id，或者你自己的 YAML 档案文件路径（格式同内置档案，
见 auditor/io/profiles/README.md）。默认 auto：按表头自动识别。
--profile takes one of these ids, or the path of your own YAML profile file
(same format as the bundled ones). The default, auto, detects by headers.

\b
示例 Example:
  auditor profiles
  auditor profiles --kind orders --lang en
  auditor validate 导出.xlsx --profile taobao-refund-c
"""


@click.command(name="profiles", help=HELP)
@click.option("--kind", type=click.Choice(["cases", "orders"]), help="只列出一类 Only this kind.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def profiles(kind: str | None, lang: str) -> None:
    from auditor.cli.validate import render_table
    from auditor.io.profile import list_profiles

    rows = [p for p in list_profiles() if kind is None or p["kind"] == kind]
    if lang == "en":
        headers = ["id", "kind", "platform", "title", "signature headers"]
    else:
        headers = ["id", "类别", "平台", "名称", "识别表头"]
    table = [
        [
            p["id"],
            p["kind"],
            p["platform"],
            p["title_en" if lang == "en" else "title_zh"],
            p["signature"],
        ]
        for p in rows
    ]
    for line in render_table(headers, table, max_width=48):
        click.echo(line)
