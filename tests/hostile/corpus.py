"""Builders of broken and hostile inputs, written into a test's tmp_path (nothing committed).

Each builder writes one file and returns its path. The rows use the `generic` layout's
Chinese headers; a row is a no-reason return rejected within the 7-day window and without a
reject reason, so every audited case has findings (W001 and E002) that carry its id and shop
into every output.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE/CFB: encrypted OOXML, old .xls

HEADERS = [
    "售后单号",
    "订单编号",
    "店铺",
    "商品类目",
    "商品名称",
    "售后类型",
    "售后原因",
    "实付金额",
    "退款金额",
    "签收时间",
    "申请时间",
    "审核时间",
    "审核结果",
    "拒绝原因",
    "售后状态",
    "处理人",
]


def row(n: int, **values: str) -> list[str]:
    """Case `AS000n`: a W001 + E002 breach unless `values` (header → text) say otherwise."""
    base = {
        "售后单号": f"AS{n:04d}",
        "订单编号": f"O{n:04d}",
        "店铺": "旗舰店",
        "商品类目": "服装",
        "商品名称": "T恤",
        "售后类型": "退货退款",
        "售后原因": "不想要了",
        "实付金额": "100",
        "退款金额": "100",
        "签收时间": "2026-03-01 10:00:00",
        "申请时间": "2026-03-02 10:00:00",
        "审核时间": "2026-03-02 12:00:00",
        "审核结果": "拒绝",
        "拒绝原因": "",
        "售后状态": "已完结",
        "处理人": "小王",
    }
    unknown = set(values) - set(base)
    assert not unknown, unknown
    base.update(values)
    return [base[h] for h in HEADERS]


def rows(n: int) -> list[list[str]]:
    return [HEADERS] + [row(i) for i in range(1, n + 1)]


def csv_bytes(table: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, table: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_bytes(table, encoding))
    return path


def write_xlsx(path: Path, table: list[list], as_text: bool = False) -> Path:
    """openpyxl turns a string starting with `=` into a formula; `as_text` keeps it text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "售后"
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values, start=1):
            if value in (None, ""):
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if as_text and isinstance(value, str):
                cell.data_type = "s"
    workbook.save(path)
    return path


# --------------------------------------------------------------------------- raw zips


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from CRC(A), CRC(B) and len(B), in GF(2)."""

    def times(matrix: list[int], vector: int) -> int:
        total, i = 0, 0
        while vector:
            if vector & 1:
                total ^= matrix[i]
            vector >>= 1
            i += 1
        return total

    def square(matrix: list[int]) -> list[int]:
        return [times(matrix, matrix[n]) for n in range(32)]

    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _repeated_crc(chunk: bytes, times: int) -> int:
    """CRC-32 of `chunk * times` without building it: square-and-multiply on combines."""
    crc, power_crc, power_len = 0, zlib.crc32(chunk), len(chunk)
    while times:
        if times & 1:
            crc = _crc32_combine(crc, power_crc, power_len)
        power_crc = _crc32_combine(power_crc, power_crc, power_len)
        power_len *= 2
        times >>= 1
    return crc


class Deflated:
    """A raw deflate stream built piece by piece, with its CRC and inflated size."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.data = bytearray()
        self.crc = 0
        self.size = 0

    def add(self, piece: bytes) -> None:
        self.data += self._compressor.compress(piece)
        self.crc = zlib.crc32(piece, self.crc)
        self.size += len(piece)

    def repeat(self, chunk: bytes, times: int) -> None:
        """`chunk` `times` over, compressed once: after a full flush the compressor forgets
        its history, so every copy compresses to the same bytes."""
        self.data += self._compressor.flush(zlib.Z_FULL_FLUSH)
        block = self._compressor.compress(chunk) + self._compressor.flush(zlib.Z_FULL_FLUSH)
        again = self._compressor.compress(chunk) + self._compressor.flush(zlib.Z_FULL_FLUSH)
        assert again == block  # the trick holds: identical, independent blocks
        self.data += block * (times - 1)  # `again` already holds one copy
        self.data += again
        total = len(chunk) * times
        self.crc = _crc32_combine(self.crc, _repeated_crc(chunk, times), total)
        self.size += total

    def finish(self) -> None:
        self.data += self._compressor.flush(zlib.Z_FINISH)


def write_raw_zip(path: Path, members: dict[str, Deflated]) -> Path:
    """A zip archive of already-deflated members (zipfile cannot take raw streams)."""
    body, directory = bytearray(), bytearray()
    for name, member in members.items():
        encoded = name.encode()
        offset = len(body)
        sizes = (member.crc, len(member.data), member.size)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, len(encoded), 0)
        body += encoded + member.data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            *sizes,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


def _deflated(data: bytes) -> Deflated:
    member = Deflated()
    member.add(data)
    member.finish()
    return member


def rebuild_xlsx(source: Path, target: Path, sheet: Deflated) -> Path:
    """`source`'s members, with its first worksheet replaced by `sheet`."""
    with zipfile.ZipFile(source) as archive:
        members = {
            info.filename: sheet
            if info.filename == "xl/worksheets/sheet1.xml"
            else _deflated(archive.read(info.filename))
            for info in archive.infolist()
        }
    return write_raw_zip(target, members)


def zip_bomb(tmp: Path, name: str = "bomb.xlsx", inflated_mb: int = 2048) -> Path:
    """A valid two-case workbook whose sheet XML inflates to `inflated_mb` MB of blanks
    between its rows, in about a thousandth of that on disk."""
    base = write_xlsx(tmp / f"{name}.base.xlsx", rows(2))
    with zipfile.ZipFile(base) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    cut = xml.index(b"</sheetData>")
    sheet = Deflated()
    sheet.add(xml[:cut])
    sheet.repeat(b" " * (1 << 20), inflated_mb)
    sheet.add(xml[cut:])
    sheet.finish()
    target = rebuild_xlsx(base, tmp / name, sheet)
    base.unlink()
    return target


def _laughs(root: str) -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    return f"<!DOCTYPE {root} [{entities}]>"


def entity_bomb(tmp: Path, name: str = "entities.xlsx") -> Path:
    """Billion laughs: a DOCTYPE whose nested entities would expand to 10**9 'lol's, used
    in the first case id's cell (an inline string of the sheet XML)."""
    base = write_xlsx(tmp / f"{name}.base.xlsx", rows(2))
    with zipfile.ZipFile(base) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("<worksheet", _laughs("worksheet") + "<worksheet", 1).replace(
        "<t>AS0001</t>", "<t>&lol9;</t>", 1
    )
    assert "&lol9;" in xml
    target = rebuild_xlsx(base, tmp / name, _deflated(xml.encode()))
    base.unlink()
    return target


def shared_strings_entity_bomb(tmp: Path, name: str = "shared.xlsx") -> Path:
    """The same in xl/sharedStrings.xml, where xlsxwriter (and Excel) keep cell texts."""
    import xlsxwriter

    base = tmp / f"{name}.base.xlsx"
    workbook = xlsxwriter.Workbook(str(base))
    sheet = workbook.add_worksheet("售后")
    for r, values in enumerate(rows(2)):
        sheet.write_row(r, 0, values)
    workbook.close()
    with zipfile.ZipFile(base) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    xml = members["xl/sharedStrings.xml"].decode()
    xml = xml.replace("<sst", _laughs("sst") + "<sst", 1).replace(
        "<t>AS0001</t>", "<t>&lol9;</t>", 1
    )
    assert "&lol9;" in xml
    members["xl/sharedStrings.xml"] = xml.encode()
    target = write_raw_zip(tmp / name, {n: _deflated(d) for n, d in members.items()})
    base.unlink()
    return target
