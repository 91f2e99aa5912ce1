"""The first rows of an xlsx sheet, read from its XML without reading the rest of the sheet.

Every fastexcel read parses the whole sheet, so finding the header with fastexcel costs as
much as reading the data. The header is needed first: it says which columns hold datetimes,
and those are read typed (auditor.io.readers), which spares formatting a million date cells
as text and parsing them back. This reader stops after the first rows, and after the shared
strings those rows use.

Anything unusual (no `<dimension>`, a DOCTYPE, a header word deep in a huge shared-string
table, malformed XML) returns None, and the caller reads the sheet whole as text, as before.
The archive itself was checked by auditor.io.preflight before this runs.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
from defusedxml.ElementTree import ParseError, iterparse

# Shared strings looked through for the header's words: writers add strings as they meet
# them, so a header's are among the first; past this, reading the sheet whole is cheaper.
MAX_SHARED_STRINGS = 200_000
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_RANGE = re.compile(r"^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$")


@dataclass(frozen=True)
class SheetHead:
    rows: list[list[str | None]]  # Excel rows 1..n, columns first_col..last_col
    first_col: int  # 0-based absolute column of the sheet's used range
    last_col: int
    last_row: int  # 1-based, from <dimension>


def read_head(path: str, sheet_name: str, n_rows: int) -> SheetHead | None:
    """Rows 1..n_rows of `sheet_name` as text, or None to read the sheet whole instead."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None:
                return None
            found = _head_cells(archive, member, n_rows)
            if found is None:
                return None
            cells, (first_col, last_col, last_row) = found
            wanted = {int(value) for _, _, kind, value in cells if kind == "s" and value}
            strings = _shared_strings(archive, wanted) if wanted else {}
            if strings is None:
                return None
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError, OSError, UnicodeDecodeError):
        return None
    # The dimension may be stale: the cells seen widen the range, never narrow it.
    first_col = min([first_col, *(c for _, c, _, _ in cells)])
    last_col = max([last_col, *(c for _, c, _, _ in cells)])
    last_row = max([last_row, *(r for r, _, _, _ in cells)])
    height = min(n_rows, last_row)
    rows: list[list[str | None]] = [[None] * (last_col - first_col + 1) for _ in range(height)]
    for row, col, kind, value in cells:
        rows[row - 1][col - first_col] = strings.get(int(value)) if kind == "s" else value
    return SheetHead(rows, first_col, last_col, last_row)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _events(stream, events=("end",)) -> Iterator[tuple[str, Any]]:
    """Parse a member lazily (a chunk at a time); a DTD or entity is refused outright."""
    yield from iterparse(stream, events=events, forbid_dtd=True)


def _small_xml(archive: zipfile.ZipFile, name: str) -> list[Any]:
    with archive.open(name) as stream:
        return [element for _, element in _events(stream)]


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The archive member of the sheet named `sheet_name` (workbook.xml and its rels)."""
    rel_id = None
    for element in _small_xml(archive, "xl/workbook.xml"):
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            break
    if rel_id is None:
        return None
    for element in _small_xml(archive, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) == "Relationship" and element.get("Id") == rel_id:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _head_cells(archive: zipfile.ZipFile, member: str, n_rows: int):
    """(cells, (first_col, last_col, last_row)) of rows 1..n_rows; None without a dimension.

    A cell is (row, col, kind, value): kind "s" is a shared-string index, anything else is
    the cell's own text (inline string, number, boolean, error) as written in the XML.
    """
    cells: list[tuple[int, int, str, str | None]] = []
    dimension = None
    row, col = 0, -1
    with archive.open(member) as stream:
        for event, element in _events(stream, ("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    col = -1
                    if row > n_rows:
                        break
                continue
            if tag == "dimension":
                dimension = _dimension(element.get("ref", ""))
            elif tag == "c":
                ref = _CELL_REF.match(element.get("r") or "")
                col = _column_index(ref.group(1)) if ref else col + 1
                cells.append((row, col, *_cell_value(element)))
                element.clear()
            elif tag == "sheetData":
                break
    return None if dimension is None else (cells, dimension)


def _dimension(ref: str) -> tuple[int, int, int] | None:
    found = _RANGE.match(ref)
    if not found:
        return None
    first_letters, first_row, last_letters, last_row = found.groups()
    first = _column_index(first_letters)
    last = _column_index(last_letters) if last_letters else first
    return first, last, int(last_row or first_row)


def _cell_value(cell: Any) -> tuple[str, str | None]:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        texts = [t.text or "" for t in cell.iter() if _local(t.tag) == "t"]
        return "inlineStr", "".join(texts) if texts else None
    value = next((v.text for v in cell if _local(v.tag) == "v"), None)
    if kind == "s":
        return "s", value
    if kind == "n" and value is not None:
        number = float(value)
        return "n", str(int(number)) if number.is_integer() else value
    return kind, value


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str] | None:
    """The shared strings at the `wanted` indices, or None if they lie too deep."""
    found: dict[int, str] = {}
    last = max(wanted)
    if last >= MAX_SHARED_STRINGS:
        return None
    index = 0
    with archive.open("xl/sharedStrings.xml") as stream:
        for _, element in _events(stream):
            if _local(element.tag) != "si":
                continue
            if index in wanted:
                # Rich text runs (<r><t>…</t></r>) are joined; phonetic runs (<rPh>) are not text.
                found[index] = "".join(t.text or "" for t in _texts_outside_phonetics(element))
            element.clear()
            index += 1
            if index > last:
                break
    return found if len(found) == len(wanted) else None


def _texts_outside_phonetics(si: Any) -> Iterator[Any]:
    for child in si:
        name = _local(child.tag)
        if name == "t":
            yield child
        elif name == "r":
            yield from (t for t in child if _local(t.tag) == "t")


# -- cells fastexcel misreads -------------------------------------------------------------

ERROR_CHUNK = 1 << 24  # bytes of sheet XML inflated at a time
# An error cell with its value; a self-closing one (no value) is no error to report.
_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']e["'][^>]*(?<!/)>.*?</(?:\w+:)?c>""", re.S)
# A number of 16 digits or more (Excel keeps 15 significant digits; calamine reads a double):
# `226031000000000007`, `2.26031E+17`. No amount or date serial is that long, so only an id
# written as a number looks like this. These patterns run in polars (Rust regex): the quick
# one on every chunk, the cell one only on a chunk the quick one found something in.
_LONG_NUMBER = r"[0-9]{16,}(?:\.[0-9]*)?|[0-9](?:\.[0-9]+)?[eE]\+?(?:1[5-9]|[2-9][0-9]|[0-9]{3,})"
_LONG_NUMBER_QUICK = r"v>[0-9]{16}|[0-9][eE]\+?(?:1[5-9]|[2-9][0-9]|[0-9]{3})<"
_NS = r"(?:[A-Za-z_][A-Za-z0-9_.-]*:)?"  # a namespace prefix (`x:c`), as some writers use
_FORMULA = rf"<{_NS}f(?:\s[^>]*)?(?:/>|>[^<]*</{_NS}f>)"
_LONG_NUMBER_CELL = rf"<{_NS}c\s[^>]*>(?:{_FORMULA})?<{_NS}v>(?:{_LONG_NUMBER})</{_NS}v>"


@dataclass(frozen=True)
class MisreadCells:
    """Cells fastexcel hands over otherwise than the sheet holds them, each kind a frame of
    `row` (1-based), `col` (0-based absolute) and `value`, or None when there are none."""

    errors: pl.DataFrame | None = None  # Excel error values (#VALUE!, #N/A…), read as blanks
    # Numbers of 16+ digits, read as a double whose last digits are gone, so an id of 18
    # digits arrives as `226031000000000000`, like a genuine text id; `value` is the number
    # as Excel shows it (`2.26031E+17`), which the id cleaner reports as digits lost.
    long_numbers: pl.DataFrame | None = None


def misread_cells(path: str, sheet_name: str) -> MisreadCells:
    """The sheet's error cells and long numbers; none when the sheet XML cannot be found.

    Only the sheet XML (`t="e"`, the digits in `<v>`) tells these cells apart from blanks
    and text ids. The XML is searched a chunk at a time, each chunk first for the error
    attribute (a byte search) and a long number (one regex over the chunk), so a sheet
    without such a cell (the usual case) costs its inflation and those two searches.
    """
    errors: list[bytes] = []
    numbers: list[pl.Series] = []
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None:
                return MisreadCells()
            with archive.open(member) as stream:
                for xml in _whole_rows(stream):
                    errors += _errors_in(xml)
                    numbers += _long_numbers_in(xml)
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError, OSError):
        return MisreadCells()
    return MisreadCells(_error_values(errors), _long_number_values(numbers))


def _whole_rows(stream: Any) -> Iterator[bytes]:
    """The sheet XML a chunk at a time, each chunk cut after a whole row (so no cell, nor
    UTF-8 character, is cut in two)."""
    pending = b""
    while chunk := stream.read(ERROR_CHUNK):
        buffer = pending + chunk
        cut = buffer.rfind(b"</row>")
        cut = cut + len(b"</row>") if cut >= 0 else 0
        yield buffer[:cut]
        pending = buffer[cut:]
    yield pending


def _errors_in(xml: bytes) -> list[bytes]:
    if b't="e"' not in xml and b"t='e'" not in xml:
        return []
    return _ERROR_CELL.findall(xml)


def _long_numbers_in(xml: bytes) -> list[pl.Series]:
    """The XML of every cell holding a long number, as text: none without a quick hit."""
    if not xml:
        return []
    text = pl.Series([xml], dtype=pl.Binary).cast(pl.String, strict=False)
    if not text.str.contains(_LONG_NUMBER_QUICK).fill_null(False).item():
        return []
    return [text.str.extract_all(_LONG_NUMBER_CELL).explode().drop_nulls()]


def _error_values(cells: list[bytes]) -> pl.DataFrame | None:
    if not cells:
        return None
    found = _placed(pl.Series("xml", cells, dtype=pl.Binary).cast(pl.String))
    return _found(found.select("row", "col", _v().fill_null("#N/A").alias("value")))


def _long_number_values(cells: list[pl.Series]) -> pl.DataFrame | None:
    """Numeric cells (no `t`, or `t="n"`; a formula's text result `t="str"` is text) with
    the number as Excel shows it, 15 significant digits: `2.26031E+17`."""
    if not cells:
        return None
    found = _placed(pl.concat(cells).alias("xml"))
    kind = pl.col("xml").str.extract(rf"^<{_NS}c\s[^>]*?\bt=[\"']([^\"']*)[\"']")
    numbers = found.filter(kind.is_null() | (kind == "n"))
    number = _v().cast(pl.Float64, strict=False)
    exponent = number.log10().floor()
    mantissa = (number / pl.lit(10.0).pow(exponent)).round(14).cast(pl.String)
    shown = pl.format("{}E+{}", mantissa.str.strip_suffix(".0"), exponent.cast(pl.Int64))
    return _found(numbers.select("row", "col", shown.alias("value")))


def _v() -> pl.Expr:
    return pl.col("xml").str.extract(rf"<{_NS}v>([^<]*)</{_NS}v>")


def _placed(xml: pl.Series) -> pl.DataFrame:
    """Cells' XML with their `row` (1-based) and `col` (0-based absolute) from `r="B12"`.

    A cell without an "r" attribute cannot be placed; Excel and the platforms always write it.
    """
    found = pl.DataFrame(xml.alias("xml")).select(
        "xml",
        pl.col("xml").str.extract(r"""\br=["']([A-Z]{1,3})\d+["']""").alias("letters"),
        pl.col("xml").str.extract(r"""\br=["'][A-Z]{1,3}(\d+)["']""").cast(pl.Int64).alias("row"),
    )
    found = found.drop_nulls(["letters", "row"])
    letters = found["letters"].unique().to_list()
    index = [_column_index(x) for x in letters]  # one per column letters, not per cell
    return found.with_columns(
        pl.col("letters").replace_strict(letters, index, return_dtype=pl.Int64).alias("col")
    )


def _found(cells: pl.DataFrame) -> pl.DataFrame | None:
    return cells if cells.height else None
