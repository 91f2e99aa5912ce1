"""Pre-flight of a workbook before the Rust reader sees it (issue 7).

An xlsx is a zip archive. Its central directory says, without decompressing anything, how
many members it has and how large each one is once inflated. A hostile workbook (a zip bomb:
a few kilobytes that inflate to gigabytes) is refused here, with one located line, before
calamine starts inflating it. What the first bytes say is checked too, so a password-protected
workbook (an OLE/CFB container), a CSV renamed .xlsx or a truncated file each get a plain
message instead of the reader's internals.

Nothing here parses XML: the row count of a sheet is read from its `<dimension ref=…>` with a
regular expression over the first bytes of the member (the reader also counts the rows it
got, since the dimension is optional and may lie).

The defaults admit a 1,000,000-case export with room to spare: such a sheet inflates to about
1.5 GB of XML, and real sheet XML compresses 5-50 times, far from deflate's ~1000:1 ceiling.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError, Problem

DEFAULT_MAX_ROWS = (
    5_000_000  # data rows per input file: a 1M-case month's sub-order export has ~2.1M
)
DEFAULT_MAX_UNCOMPRESSED_MB = 8192  # all members of one workbook, inflated
DEFAULT_MAX_MEMBERS = 10_000  # a workbook has a few dozen parts; thousands is an attack
DEFAULT_MAX_RATIO = 500  # inflated ÷ compressed, per member
RATIO_FLOOR_BYTES = 1 << 20  # small members may compress absurdly well (blank sheets)
DIMENSION_SCAN_BYTES = 64 * 1024  # <dimension> comes right after <sheetPr>

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted OOXML and old .xls
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty archive
ZIP_SUFFIXES = (".xlsx", ".xlsm")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')


@dataclass(frozen=True)
class Limits:
    """What one input may hold (`--max-rows`, `--max-uncompressed-mb`)."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_uncompressed_mb: int = DEFAULT_MAX_UNCOMPRESSED_MB
    max_members: int = DEFAULT_MAX_MEMBERS
    max_ratio: float = DEFAULT_MAX_RATIO


def _refuse(path: str, zh: str, en: str, sheet: str | None = None) -> AuditorError:
    return AuditorError([Problem(f"无法读取：{zh}", f"cannot read: {en}", file=path, sheet=sheet)])


def first_bytes(path: str, n: int = 8) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(n)


def check_not_empty(path: str) -> None:
    if Path(path).stat().st_size == 0:
        raise _refuse(path, "文件为空（0 字节）", "the file is empty (0 bytes)")


def looks_like_text(head: bytes) -> bool:
    """No NUL and decodable as UTF-8 or GB18030: a CSV or text file, whatever its name."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental: a character cut at the end of the sample is no reason to refuse.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_workbook(path: str, limits: Limits | None = None) -> None:
    """Raise a located `AuditorError` unless `path` is a zip workbook within `limits`."""
    limits = limits or Limits()
    check_not_empty(path)
    head = first_bytes(path, 512)
    if head.startswith(OLE_MAGIC):
        raise _refuse(
            path,
            "工作簿设置了打开密码（已加密），或是改名为 .xlsx 的旧版 .xls 文件；"
            "请去掉密码后另存为 .xlsx",
            "the workbook is password-protected (encrypted), or an old .xls renamed .xlsx; "
            "remove the password and save it as .xlsx",
        )
    if not head.startswith(ZIP_MAGICS):
        if looks_like_text(head[:256]):
            raise _refuse(
                path,
                "这是文本（CSV）文件，不是 Excel 工作簿；请把扩展名改为 .csv",
                "this is a text (CSV) file, not an Excel workbook; rename it to .csv",
            )
        raise _refuse(
            path,
            "不是 Excel 工作簿（文件不是 zip 格式，可能已损坏）",
            "not an Excel workbook (not a zip archive; the file may be damaged)",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_members(path, members, limits)
            _check_dimensions(path, archive, members, limits)
    except zipfile.BadZipFile as exc:
        raise _refuse(
            path,
            f"Excel 工作簿已损坏（zip 目录无法读取：{exc}）",
            f"the workbook is damaged (its zip directory cannot be read: {exc})",
        ) from exc


def _check_members(path: str, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise _refuse(
            path,
            f"工作簿含 {len(members)} 个部件，超过上限 {limits.max_members}（疑似恶意文件）",
            f"the workbook has {len(members)} parts, more than the limit "
            f"{limits.max_members} (a hostile file?)",
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_mb * (1 << 20):
        mb = total / (1 << 20)
        raise _refuse(
            path,
            f"工作簿解压后有 {mb:,.0f} MB，超过 --max-uncompressed-mb 上限 "
            f"{limits.max_uncompressed_mb} MB",
            f"the workbook inflates to {mb:,.0f} MB, more than --max-uncompressed-mb "
            f"{limits.max_uncompressed_mb} MB",
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise _refuse(
                path,
                f"部件 {member.filename} 的压缩比为 {ratio:,.0f}:1，超过上限 "
                f"{limits.max_ratio:,.0f}:1（疑似 zip 炸弹）",
                f"part {member.filename} has a compression ratio of {ratio:,.0f}:1, more than "
                f"the limit {limits.max_ratio:,.0f}:1 (a zip bomb?)",
            )


def _check_dimensions(
    path: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> None:
    """A sheet whose declared dimension has more rows than allowed is refused unread."""
    for member in members:
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
            continue
        with archive.open(member) as handle:
            start = handle.read(DIMENSION_SCAN_BYTES)
        found = _DIMENSION.search(start)
        if found is None:
            continue
        rows = int(found.group(1)) - 1  # the header takes one row at least
        check_rows(path, rows, limits, where=member.filename)


def check_rows(path: str, rows: int, limits: Limits, sheet: str | None = None, where: str = ""):
    """Refuse an input with more data rows than `limits.max_rows`."""
    if rows <= limits.max_rows:
        return
    part_zh = f"（{where}）" if where else ""
    part_en = f" ({where})" if where else ""
    raise _refuse(
        path,
        f"有 {rows:,} 行数据{part_zh}，超过 --max-rows 上限 {limits.max_rows:,}",
        f"{rows:,} data rows{part_en}, more than --max-rows {limits.max_rows:,}",
        sheet=sheet,
    )
