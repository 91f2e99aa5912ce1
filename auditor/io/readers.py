"""Raw readers: a file becomes sheets of text cells that keep their Excel positions.

A reader does not know layouts. It offers each sheet's first rows (to find the header
row) and, once the header row is known, the body below it with the Excel column letter
of every column and the 1-based row number of the first body row.

- xlsx/xlsm/xlsb/xls: fastexcel (calamine), every cell as text (`dtypes="string"`, so
  19-digit ids stay exact and datetime cells arrive as `YYYY-MM-DD HH:MM:SS`). Passing
  `skip_rows=0` keeps blank leading rows, so row i of the grid is Excel row i + 1; blank
  leading columns are dropped by calamine, but each column reports its `absolute_index`.
- csv/tsv/txt: UTF-8 (BOM stripped) or else GB18030 (a superset of GBK/GB2312); the
  header line is found with the csv module on the first lines, the body read by polars.
- parquet: the column names are the header; row numbers count as if the header were
  row 1 (data row i is row i + 2), like the CSV the file was probably made from.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from auditor.errors import AuditorError, Problem
from auditor.io.preflight import (
    OLE_MAGIC,
    ZIP_MAGICS,
    ZIP_SUFFIXES,
    Limits,
    check_not_empty,
    check_rows,
    check_workbook,
    first_bytes,
    looks_like_text,
)
from auditor.io.xlsx_head import MisreadCells, SheetHead, misread_cells, read_head

HEADER_SCAN_ROWS = 30
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
CONTROL_CHARS = dict.fromkeys(CONTROL_BYTES)  # str.translate: delete these code points
IS_CONTROL = np.isin(np.arange(256), np.frombuffer(CONTROL_BYTES, np.uint8))
SCAN_CHUNK = 1 << 26  # bytes: bounds the scan's working arrays to a few dozen MB
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
FASTEXCEL_DTYPE_LOGGER = "fastexcel.types.dtype"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Body:
    frame: pl.DataFrame  # columns c0..cN, in sheet order
    letters: list[str]  # Excel column letter of each column
    first_row: int  # 1-based row number of the frame's first row
    # Extra physical lines each row spans (a quoted CSV cell holding line breaks), so later
    # rows keep their real line numbers; None where one row is one line (workbooks, parquet).
    extra_lines: pl.Series | None = None
    # Workbook cells fastexcel misreads (xlsx_head.MisreadCells), as `row` (the Excel row,
    # as row_numbers gives it), `column` (i of c{i}) and `value`: Excel error values, whose
    # text the frame holds, and numbers of 16+ digits, which the frame holds digits lost.
    error_cells: pl.DataFrame | None = None
    long_numbers: pl.DataFrame | None = None
    # CSV rows whose field count is not the header's (`row`: line number as row_numbers
    # gives it, `fields`): their values sit in the wrong columns or are missing, so layout
    # reports them and judges nothing from them. `header_fields` is the header's count and
    # `cut_row` the last row when it is short and the file ends without a line break.
    ragged: pl.DataFrame | None = None
    header_fields: int = 0
    cut_row: int | None = None
    # CSV rows with a quote that opens a cell and never closes (`row`, `column` index):
    # read as text, and reported.
    unclosed_quotes: pl.DataFrame | None = None

    def row_numbers(self) -> pl.Expr:
        rows = pl.int_range(pl.len(), dtype=pl.Int64) + self.first_row
        if self.extra_lines is None:
            return rows
        return rows + pl.lit(self.extra_lines).cum_sum().shift(1, fill_value=0)


@dataclass
class RawSheet:
    file: str  # the path as given
    sheet: str | None  # None for csv/parquet
    head: list[list[str | None]]  # the first rows as text, for header detection
    # body(i, datetime_columns): the rows below head row `i` (0-based index into head).
    # `datetime_columns` (positions) hold datetimes: the workbook reader may return those
    # typed when every cell of the column is a date cell; the other readers ignore it.
    body: Callable[..., Body]
    # 1-based row (line) number of each head row, where it is not its index + 1 (a CSV
    # record spanning lines above the header); see row_of.
    head_rows: list[int] | None = None

    def row_of(self, head_index: int) -> int:
        """The 1-based row number of head row `head_index`, as the user's program shows it."""
        if self.head_rows is None:
            return head_index + 1
        return self.head_rows[head_index]


def _cannot_read(path: str, zh: str, en: str) -> AuditorError:
    return AuditorError([Problem(f"无法读取：{zh}", f"cannot read: {en}", file=path)])


def _positional(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns renamed c0..cN: headers are matched later, from the header row's text."""
    return frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})


def _one_line(exc: Exception) -> str:
    """The reader's own message on one line (calamine adds a multi-line context)."""
    return " ".join(str(exc).split())[:300]


def read_sheets(path_as_given: str, limits: Limits | None = None) -> tuple[list[RawSheet], str]:
    """The sheets of a file and its format name ("xlsx", "csv", "parquet").

    `limits` (`--max-rows`, `--max-uncompressed-mb`) are checked before the reader runs.
    """
    limits = limits or Limits()
    path = Path(path_as_given)
    if not path.exists():
        raise _cannot_read(path_as_given, "文件不存在", "file not found")
    if path.is_dir():
        raise _cannot_read(path_as_given, "是文件夹，不是文件", "a folder, not a file")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES + TEXT_SUFFIXES + PARQUET_SUFFIXES:
        check_not_empty(path_as_given)
    if suffix in ZIP_SUFFIXES:
        # A web page saved under a workbook's name is told as such, not as "a CSV file".
        refused = _markup(path_as_given, first_bytes(path_as_given, 512), suffix)
        if refused is not None:
            raise refused
        check_workbook(path_as_given, limits)  # before the Rust reader inflates anything
    if suffix == ".xls":
        return _xls_sheets(path_as_given, limits)
    if suffix in EXCEL_SUFFIXES:
        return _excel_sheets(path_as_given, limits), suffix.lstrip(".")
    if suffix in TEXT_SUFFIXES:
        return [_csv_sheet(path_as_given, limits)], "csv"
    if suffix in PARQUET_SUFFIXES:
        return [_parquet_sheet(path_as_given, limits)], "parquet"
    raise _cannot_read(
        path_as_given,
        f"不支持的文件格式 {suffix or '（无扩展名）'}，应为 xlsx/xls/csv/parquet",
        f"unsupported file format {suffix or '(no extension)'}; use xlsx, xls, csv or parquet",
    )


# --------------------------------------------------------------------------- Excel


_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<meta")


def _xls_sheets(path: str, limits: Limits) -> tuple[list[RawSheet], str]:
    """An .xls by what it holds: platforms and users save xlsx, CSV and web pages (an HTML
    table) under that name, and the old-format reader only says "Invalid OLE" to them."""
    head = first_bytes(path, 512)
    if head.startswith(ZIP_MAGICS):
        check_workbook(path, limits)
        # fastexcel picks its reader by the name, or by the content when given the bytes.
        return _excel_sheets(path, limits, Path(path).read_bytes()), "xlsx"
    if head.startswith(OLE_MAGIC):
        return _excel_sheets(path, limits), "xls"
    refused = _markup(path, head, ".xls")
    if refused is not None:
        raise refused
    if looks_like_text(head[:256]):
        return [_csv_sheet(path, limits)], "csv"
    raise _cannot_read(
        path,
        "不是 Excel 工作簿（文件格式无法识别，可能已损坏）",
        "not an Excel workbook (the format is not recognised; the file may be damaged)",
    )


def _markup(path: str, head: bytes, suffix: str) -> AuditorError | None:
    """A web page (HTML table) or an Excel 2003 XML sheet saved under a workbook's name."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith(_HTML_STARTS):
        return _cannot_read(
            path,
            f"这是网页（HTML）文件，只是扩展名为 {suffix}；请用 Excel 或 WPS 打开后另存为 .xlsx 或 .csv",
            f"this is a web page (HTML) saved as {suffix}; open it in Excel or WPS and save it "
            "as .xlsx or .csv",
        )
    if start.startswith(b"<?xml"):
        return _cannot_read(
            path,
            f"这是 XML 表格（Excel 2003 XML），只是扩展名为 {suffix}；"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 或 .csv",
            f"this is an XML spreadsheet (Excel 2003 XML) saved as {suffix}; open it in Excel "
            "or WPS and save it as .xlsx or .csv",
        )
    return None


def _excel_sheets(path: str, limits: Limits, content: bytes | None = None) -> list[RawSheet]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(path if content is None else content)
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        why = _one_line(exc)
        raise _cannot_read(
            path,
            "不是有效的 Excel 文件（工作簿已损坏或格式无法识别）",
            f"not a valid workbook ({why})",
        ) from exc
    sheets, unreadable = [], []
    zipped = first_bytes(path, 4) in ZIP_MAGICS  # xlsx/xlsm; an .xls has no sheet XML
    for name in names:
        head = read_head(path, name, HEADER_SCAN_ROWS) if zipped else None
        if head is not None:
            check_rows(path, head.last_row - 1, limits, sheet=name)
            if any(cell is not None for row in head.rows for cell in row):
                misread = _misread_cells_in_background(path, name)
                sheets.append(_typed_sheet(reader, path, name, head, limits, misread))
            continue
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            grid = sheet.to_polars()
            absolute = [c.absolute_index for c in sheet.available_columns()]
        except Exception as exc:  # noqa: BLE001 - a chart sheet or an odd one: it holds no table
            unreadable.append(_unreadable_sheet(exc, path, name))
            continue
        if grid.width == 0 or grid.height == 0:
            continue
        check_rows(path, grid.height - 1, limits, sheet=name)
        grid = _positional(grid)
        misread = misread_cells(path, name) if zipped else MisreadCells()
        grid = with_error_values(grid, absolute, 1, misread.errors)
        letters = [column_letter(i) for i in absolute]
        body = _grid_body(grid, letters, absolute, misread)
        sheets.append(RawSheet(path, name, _head_rows(grid), body))
    if unreadable and not sheets:  # nothing read at all: say why, not "no layout"
        raise AuditorError(unreadable)
    return sheets


def _unreadable_sheet(exc: Exception, path: str, name: str) -> Problem:
    """A sheet the reader gives up on: the zh line in the tool's own words (the reader's
    English goes to --lang en only), the en line with the reader's detail."""
    why = _one_line(exc)
    return Problem(
        "无法读取工作表：Excel 工作簿已损坏或内容有误；请用 Excel 或 WPS 打开后重新另存为 .xlsx",
        f"cannot read sheet: the workbook is damaged or holds invalid data; open it in Excel "
        f"or WPS and save it again as .xlsx ({why})",
        path,
        name,
    )


def _misread_cells_in_background(path: str, name: str) -> Callable[[], MisreadCells]:
    """The sheet's misread cells (xlsx_head.misread_cells), searched for on another thread
    while fastexcel reads the sheet (both let go of the GIL): calling the result waits."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx-misread")
    found = pool.submit(misread_cells, path, name)
    pool.shutdown(wait=False)
    return found.result


def _typed_sheet(
    reader: Any,
    path: str,
    name: str,
    head: SheetHead,
    limits: Limits,
    misread: Callable[[], MisreadCells],
) -> RawSheet:
    """A sheet whose first rows came from its XML: the rows below the header are read once
    the layout is known, date-only datetime columns typed (see _sheet_rows), then the error
    cells put in (see with_error_values) and the misread cells noted (see Body)."""
    columns = list(range(head.first_col, head.last_col + 1))
    letters = [column_letter(i) for i in columns]

    def body(header_index: int, datetime_columns: Collection[int] = ()) -> Body:
        frame = _sheet_rows(reader, path, name, header_index + 1, columns, datetime_columns)
        check_rows(path, frame.height, limits, sheet=name)
        # Row 0 of the frame is the row below the header: Excel row header_index + 2.
        first_row, cells = header_index + 2, misread()
        frame = with_error_values(frame, columns, first_row, cells.errors)
        return _body_noting(frame, letters, first_row, columns, cells)

    return RawSheet(path, name, head.rows, body)


def _sheet_rows(
    reader: Any,
    path: str,
    name: str,
    skip: int,
    columns: list[int],
    datetime_columns: Collection[int],
) -> pl.DataFrame:
    """Rows `skip`+1 on, as c0..cN over the absolute `columns`.

    A datetime column holding nothing but date cells comes typed: fastexcel then neither
    writes a million dates out as text nor do we parse them back. Every cell of the column
    is looked at (schema_sample_rows=None), and a column mixing date cells with anything
    else makes the typed read fail as a whole (dtype_coercion="strict"), so the rows are
    read as text, like every other column: no cell is ever turned to null on the way.
    """
    wanted = {columns[i] for i in datetime_columns if i < len(columns)}
    typed = _typed_rows(reader, name, skip, columns, wanted) if wanted else None
    if typed is not None:
        absolute, frame = typed
    else:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=skip, dtypes="string")
            absolute = [c.absolute_index for c in sheet.available_columns()]
            frame = sheet.to_polars()
        except Exception as exc:  # noqa: BLE001 - its header was read, its rows cannot be
            raise AuditorError([_unreadable_sheet(exc, path, name)]) from exc
    by_absolute = dict(zip(absolute, frame.columns, strict=True))
    # A datetime column of serial numbers (or booleans…) is cleaned from text like the rest.
    return frame.select(
        (
            _text_unless_datetime(pl.col(by_absolute[a]), frame.schema[by_absolute[a]])
            if a in by_absolute
            else pl.lit(None, dtype=pl.String)
        ).alias(f"c{i}")
        for i, a in enumerate(columns)
    )


class _DropRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def _without_dtype_warnings() -> Iterator[None]:
    """fastexcel logs (through Python logging, shown on stderr for want of a handler) an
    English warning for every column it cannot type, i.e. each blank one, which falls back
    to text as wanted: dropped during the typed read only. A filter, not a level: fastexcel's
    logging bridge caches levels."""
    logger = logging.getLogger(FASTEXCEL_DTYPE_LOGGER)
    dropping = _DropRecords()
    logger.addFilter(dropping)
    try:
        yield
    finally:
        logger.removeFilter(dropping)


def _typed_rows(
    reader: Any, name: str, skip: int, columns: list[int], wanted: set[int]
) -> tuple[list[int], pl.DataFrame] | None:
    """(absolute columns, frame) with the `wanted` columns' types inferred, or None."""
    try:
        with _without_dtype_warnings():
            sheet = reader.load_sheet(
                name,
                header_row=None,
                skip_rows=skip,
                # fastexcel numbers columns from the range's first one, as the head did.
                dtypes={i: "string" for i in range(len(columns)) if columns[i] not in wanted},
                schema_sample_rows=None,
                dtype_coercion="strict",
            )
            absolute = [c.absolute_index for c in sheet.available_columns()]
            frame = sheet.to_polars()
    except Exception:  # noqa: BLE001 - mixed cells in a datetime column, or anything odd
        return None
    if absolute[:1] != columns[:1]:
        return None  # another range than the head's: the dtypes went to other columns
    return absolute, frame


def with_error_values(
    frame: pl.DataFrame, columns: list[int], first_row: int, errors: pl.DataFrame | None
) -> pl.DataFrame:
    """`frame` (text columns c0..cN over the absolute `columns`, row 0 = Excel `first_row`)
    with each error cell's text (#VALUE!, #N/A…) where fastexcel left a blank: a blank date
    or amount passes as "not given", while the error text is an unreadable cell (Q001)."""
    placed = _on_frame(errors, columns, first_row, frame.height)
    if placed is None:
        return frame
    replaced = []
    for (position,), cells in placed.group_by("column"):
        column = _as_text(frame[f"c{position}"])
        column.scatter((cells["row"] - first_row).to_list(), cells["value"])
        replaced.append(column)
    return frame.with_columns(replaced)


def _on_frame(
    cells: pl.DataFrame | None, columns: list[int], first_row: int, height: int
) -> pl.DataFrame | None:
    """The `cells` (xlsx_head.MisreadCells) inside a frame of `height` rows from Excel row
    `first_row` over the absolute `columns`, each with its `column` (i of c{i}); or None."""
    if cells is None or height == 0:
        return None
    position = {absolute: i for i, absolute in enumerate(columns)}
    placed = cells.filter(
        pl.col("col").is_in(list(position)),
        pl.col("row").is_between(first_row, first_row + height - 1),
    ).select(
        "row",
        pl.col("col").replace_strict(position, return_dtype=pl.Int64).alias("column"),
        "value",
    )
    return placed if placed.height else None


def _body_noting(
    frame: pl.DataFrame, letters: list[str], first_row: int, columns: list[int], cells: MisreadCells
) -> Body:
    """A workbook's Body, with the misread cells in its rows (see Body)."""
    errors, numbers = (
        _on_frame(found, columns, first_row, frame.height)
        for found in (cells.errors, cells.long_numbers)
    )
    return Body(frame, letters, first_row, error_cells=errors, long_numbers=numbers)


def _as_text(column: pl.Series) -> pl.Series:
    """A column as the text fastexcel gives for it when read as text (a typed datetime
    column holding an error cell goes back to text, to hold the error's text)."""
    if isinstance(column.dtype, pl.Datetime):
        return column.dt.strftime("%Y-%m-%d %H:%M:%S")
    if column.dtype == pl.Date:
        return column.dt.strftime("%Y-%m-%d")
    return column.cast(pl.String).clone()  # scattered into: never the frame's own buffer


def _text_unless_datetime(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype in (pl.String, pl.Null, pl.Date) or isinstance(dtype, pl.Datetime):
        return column
    return column.cast(pl.String)


def _head_rows(grid: pl.DataFrame) -> list[list[str | None]]:
    return [list(row) for row in grid.head(HEADER_SCAN_ROWS).cast(pl.String).rows()]


def _grid_body(
    grid: pl.DataFrame, letters: list[str], columns: list[int], misread: MisreadCells
) -> Callable[[int], Body]:
    # With skip_rows=0, grid row i is Excel row i + 1.
    def body(header_index: int, datetime_columns: Collection[int] = ()) -> Body:
        rows = grid.slice(header_index + 1)
        return _body_noting(rows, letters, header_index + 2, columns, misread)

    return body


# --------------------------------------------------------------------------- CSV


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-16 when it starts with its BOM (Excel's "Unicode 文本"
    save), UTF-8 (BOM stripped) if it decodes, else GB18030."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"  # the BOM says the byte order
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-16 (byte {exc.start})") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _starts_as_utf8(data):
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"neither UTF-8 nor GB18030 (byte {exc.start})") from exc


class ByteScan(NamedTuple):
    newlines: int  # LF bytes
    control: bool  # any C0 control byte other than tab/CR/LF
    lone_returns: int  # CR bytes not followed by LF: old Mac line ends (or a stray one)


def scan_bytes(data: bytes, chunk_size: int = SCAN_CHUNK) -> ByteScan:
    """Line breaks, control bytes and lone CRs, in one vectorised pass over the bytes below
    0x20: about twice as fast as counting the breaks and deleting the controls
    (`bytes.translate`) on a file that has none, the usual case."""
    everything = np.frombuffer(data, np.uint8)
    newlines, control, lone_returns = 0, False, 0
    for start in range(0, everything.size, chunk_size):
        chunk = everything[start : start + chunk_size]
        positions = np.flatnonzero(chunk < 0x20)
        low = chunk[positions]
        newlines += int(np.count_nonzero(low == 0x0A))
        control = control or bool(IS_CONTROL[low].any())
        returns = positions[low == 0x0D] + start
        if returns.size:
            # The byte after each CR, across the chunk's edge; past the end counts as no LF.
            following = everything[np.minimum(returns + 1, everything.size - 1)]
            lone = (following != 0x0A) | (returns + 1 == everything.size)
            lone_returns += int(np.count_nonzero(lone))
    return ByteScan(newlines, control, lone_returns)


_LONE_RETURN = re.compile(rb"\r(?!\n)")


def _lone_returns_as_newlines(data: bytes) -> bytes:
    """Old Mac files end lines with CR alone: make each such CR a LF, as spreadsheet programs
    read them (no UTF-8 or GB18030 character holds a 0x0D byte, so no character is cut)."""
    return _LONE_RETURN.sub(b"\n", data)


UTF8_PROBE = 1 << 16  # bytes
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _starts_as_utf8(data: bytes) -> bool:
    """Whether the first 64 KB are UTF-8 (a character cut at the end allowed). A GB18030
    file fails here at once: failing on the whole file costs about as much as decoding it,
    as Python sizes the text for all of it first (0.4 s for 300 MB)."""
    try:
        codecs.utf_8_decode(data[:UTF8_PROBE], "strict", False)
    except UnicodeDecodeError:
        return False
    return True


# A quoted cell that starts a field: its commas and tabs are text, not separators.
_QUOTED_CELL = re.compile(r'(?<![^,\t\n])"(?:[^"]|"")*"')
# A tab that opens a cell (at a line start, after a comma or an opening quote): PDD writes
# one before every value of its comma-separated exports (research 1.2), so it is text.
_CELL_PREFIX_TAB = re.compile(r'(?m)(?:^|(?<=[,"]))\t')


def _sniff_separator(lines: list[str]) -> str:
    """Tab or comma: whichever separates more cells in the first lines. Only separators
    outside quoted cells count, and a tab opening a cell does not (PDD's `\t…` cells would
    otherwise outnumber the commas, one tab per cell against one comma fewer)."""
    sample = _QUOTED_CELL.sub("", "\n".join(lines))
    tabs = sample.count("\t") - len(_CELL_PREFIX_TAB.findall(sample))
    return "\t" if tabs > sample.count(",") else ","


def _not_text(path: str, data: bytes) -> AuditorError | None:
    """A workbook or a binary file saved under a text name."""
    if data.startswith(ZIP_MAGICS):
        return _cannot_read(
            path,
            "这是 Excel 工作簿（xlsx），不是文本（CSV）文件；请把扩展名改为 .xlsx",
            "this is an Excel workbook (xlsx), not a text (CSV) file; rename it to .xlsx",
        )
    if data.startswith(OLE_MAGIC):
        return _cannot_read(
            path,
            "这是旧版 Excel 工作簿（xls）或加密的工作簿，不是文本（CSV）文件",
            "this is an old Excel workbook (xls) or an encrypted one, not a text (CSV) file",
        )
    return None


def _undecodable_line(data: bytes) -> int:
    """1-based line of the first byte that is not UTF-8 (a file of mixed encodings)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


def _csv_sheet(path: str, limits: Limits) -> RawSheet:
    refused = _not_text(path, first_bytes(path))
    if refused is not None:
        raise refused
    try:
        data = Path(path).read_bytes()
        text, encoding = decode_text(data)
    except OSError as exc:
        raise _cannot_read(path, str(exc), str(exc)) from exc
    except ValueError as exc:
        line = _undecodable_line(data.removeprefix(b"\xef\xbb\xbf"))
        raise AuditorError(
            [
                Problem(
                    "无法读取：文本编码无法识别（应为 UTF-8 或 GB18030/GBK，整个文件同一种编码；"
                    f"第 {line} 行起不是 UTF-8）",
                    "cannot read: unknown text encoding (use UTF-8 or GB18030/GBK for the "
                    f"whole file; line {line} is not UTF-8)",
                    file=path,
                    row=line,
                )
            ]
        ) from exc
    # polars reads UTF-8 only: hand it the bytes as they are when they already are UTF-8.
    utf8 = data.removeprefix(b"\xef\xbb\xbf") if encoding == "utf-8" else text.encode("utf-8")
    newlines, has_control, lone_returns = scan_bytes(utf8)
    if lone_returns:
        utf8 = _lone_returns_as_newlines(utf8)
        text = utf8.decode("utf-8")
        newlines += lone_returns
    # NUL and the other C0 controls (tab, CR, LF aside) are no text: no output may carry them
    # (XML forbids them). In UTF-8 these bytes never occur inside a character: delete them.
    if has_control:
        utf8 = utf8.translate(None, CONTROL_BYTES)  # leaves every line break in place
    physical_lines = newlines + (0 if utf8.endswith(b"\n") else 1)
    # Only the first lines are looked at: split no further than that.
    head_lines = _first_lines(text, HEADER_SCAN_ROWS)
    head_lines = [line.rstrip("\r").translate(CONTROL_CHARS) for line in head_lines]
    separator = _sniff_separator(head_lines)
    # A 10 MB cell is legal in a CSV: lift the csv module's 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    head, ends = _head_records(head_lines, separator)

    def body(header_index: int, datetime_columns: Collection[int] = ()) -> Body:
        # Body lines are counted from the header line; blank lines stay as all-null rows,
        # and quoted cells that span lines are counted (Body.extra_lines). polars skips
        # physical lines: a quoted title cell that spans lines above the header is one head
        # row but several lines, so the header's own first line is skipped to.
        header_line = ends[header_index - 1] if header_index else 0
        below_header = ends[header_index]  # lines up to the header's end
        content, unclosed = utf8, None
        try:
            frame = _read_marked(content, header_line, separator)
        except pl.exceptions.PolarsError:
            # A quote inside a cell (`27" 显示器`) or one that never closes: read them as
            # text, as Excel and WPS do, then read again (only such files pay for this).
            content, unclosed = _quotes_as_text(utf8, separator)
            try:
                frame = _read_marked(content, header_line, separator)
            except pl.exceptions.PolarsError as exc:
                raise _cannot_read(  # polars' message quotes whole rows: never shown
                    path,
                    "CSV 格式有误（引号或分隔符不成对），无法分列；请用 Excel 或 WPS 打开后另存为 .csv",
                    "malformed CSV (unbalanced quotes or separators); open it in Excel or WPS "
                    "and save it again as .csv",
                ) from exc
            frame = frame.with_columns(pl.all().str.replace_all(QUOTE_AS_TEXT, '"', literal=True))
        frame = frame.slice(1)
        check_rows(path, frame.height, limits)
        # Every body line a row of its own (the usual case): no cell spans lines.
        one_line_rows = physical_lines - below_header == frame.height
        marked = _is_marked(frame)
        if marked and not one_line_rows:  # the row-end mark went inside multi-line cells too
            end = separator + ROW_MARK
            frame = frame.with_columns(pl.all().str.replace_all(end, "", literal=True))
        frame = _positional(frame)
        breaks = None if one_line_rows else _line_breaks_per_row(frame)
        result = Body(frame, [], below_header + 1, breaks)
        if marked:
            result = _with_ragged_rows(result, head[header_index], content, separator)
        result.letters = [column_letter(i) for i in range(result.frame.width)]
        if unclosed:
            result.unclosed_quotes = _unclosed_cells(result, unclosed, content, separator)
        return result

    rows = [1 + (ends[i - 1] if i else 0) for i in range(len(head))]
    return RawSheet(path, None, head, body, rows)


ROW_MARK = "\x01"  # a control byte: the reader deletes every one the file holds
QUOTE_AS_TEXT = "\ue000"  # a private-use character: stands in for a quote read as text


def _read_marked(content: bytes, header_line: int, separator: str) -> pl.DataFrame:
    """The rows from the header line on, each with one more cell, ROW_MARK (see
    _mark_row_ends), in the last column when the row has exactly the header's fields."""
    return pl.read_csv(
        _mark_row_ends(content, separator),
        has_header=False,
        skip_lines=header_line,
        separator=separator,
        infer_schema=False,
        truncate_ragged_lines=True,
        quote_char='"',
    )


def _mark_row_ends(content: bytes, separator: str) -> bytes:
    """Every line ended with one more cell, ROW_MARK.

    polars pads a short row with nulls and cuts a long one, without a word. With the mark,
    a row with the header's field count has the mark in the last column; a short row has
    it further left, and a long row has a value of its own there. One replace (about 0.5 s
    for 1M rows), cheaper than counting separators outside quotes in numpy or a second
    read. The line ending of the first line is the file's: with CRLF the mark goes before
    the CR, or polars would leave a CR in every last cell; lines ending otherwise get no
    mark and have their fields counted one by one (_field_counts)."""
    mark = (separator + ROW_MARK).encode()
    first = content.find(b"\n")
    if first > 0 and content[first - 1 : first] == b"\r":
        return content.replace(b"\r\n", mark + b"\r\n")
    return content.replace(b"\n", mark + b"\n")


def _is_marked(frame: pl.DataFrame) -> bool:
    """Whether the header row (row 0) ends with ROW_MARK: the count can be checked."""
    return frame.width > 1 and frame.height > 0 and frame[0, frame.width - 1] == ROW_MARK


def _with_ragged_rows(body: Body, header: list[str | None], content: bytes, separator: str) -> Body:
    """`body` without the mark column, its rows of another field count noted (Body.ragged).

    The rows without the mark in the last column (the usual file has none) have their
    fields counted with the csv module. Not noted: blank lines (layout drops them), rows
    short only by the header's blank trailing cells, and a count most rows share (an export
    that ends every row but the header with a separator: its columns still line up).
    """
    frame = body.frame
    last = frame.columns[-1]
    fields = frame.width - 1
    candidates = frame.select((pl.col(last) != ROW_MARK).fill_null(True).arg_true()).to_series()
    frame = frame.drop(last)
    done = Body(frame, body.letters, body.first_row, body.extra_lines, header_fields=fields)
    if candidates.len() == 0:
        return done
    starts = frame.select(body.row_numbers()).to_series().gather(candidates)
    spans = body.extra_lines.gather(candidates) if body.extra_lines is not None else None
    counts = pl.Series(_field_counts(content, starts, spans, separator), dtype=pl.Int64)
    named = max((i + 1 for i, cell in enumerate(header) if cell is not None), default=fields)
    fine = counts.is_between(min(named, fields), fields) | (counts == 0)
    if counts.len() * 2 > frame.height:
        common = counts.mode().sort()[0]
        if int((counts == common).sum()) * 2 > frame.height:
            fine = fine | (counts == common)
    done.frame = _marks_removed(frame, candidates)
    bad = ~fine
    if not bad.any():
        return done
    done.ragged = pl.DataFrame({"row": starts.filter(bad), "fields": counts.filter(bad)})
    last_index = frame.height - 1
    if (
        not content.endswith(b"\n")
        and candidates[-1] == last_index
        and bad[-1]
        and counts[-1] < fields
    ):
        done.cut_row = int(starts[-1])
    return done


def _marks_removed(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """ROW_MARK out of the cells of `rows` (a short row has it in a column of its own)."""
    picked = frame[rows]
    replaced = []
    for name in picked.columns:
        hit = picked.get_column(name) == ROW_MARK
        if hit.any():
            column = frame.get_column(name).clone()  # scattered into: not the frame's buffer
            column.scatter(rows.filter(hit.fill_null(False)), None)
            replaced.append(column)
    return frame.with_columns(replaced) if replaced else frame


def _line_offsets(content: bytes) -> np.ndarray:
    return np.flatnonzero(np.frombuffer(content, np.uint8) == 0x0A)


def _record_text(content: bytes, breaks: np.ndarray, line: int, span: int) -> str:
    """The text of the record that starts on 1-based `line` and spans `span` more lines."""
    begin = 0 if line == 1 else int(breaks[line - 2]) + 1
    last = line + span  # its last line
    end = int(breaks[last - 1]) if last - 1 < breaks.size else len(content)
    return content[begin:end].decode("utf-8", "replace").removesuffix("\r")


def _field_counts(
    content: bytes, starts: pl.Series, spans: pl.Series | None, separator: str
) -> list[int]:
    """The field count of each record starting on the lines `starts` (0: a blank line).
    Only the few rows polars' read cannot vouch for come here."""
    breaks = _line_offsets(content)
    spans_list = spans.to_list() if spans is not None else [0] * starts.len()
    counts = []
    for line, span in zip(starts.to_list(), spans_list, strict=True):
        text = _record_text(content, breaks, line, span)
        record = next(csv.reader(io.StringIO(text), delimiter=separator), [])
        counts.append(len(record))
    return counts


def _quotes_as_text(content: bytes, separator: str) -> tuple[bytes, list[int]]:
    """`content` with every quote that does not delimit a quoted cell made QUOTE_AS_TEXT,
    and the offsets of those that opened a cell and never closed it.

    As Excel, WPS and Python's csv read it: a quote inside an unquoted cell (`27" 显示器`)
    is text. A quote that opens a cell but is not closed before a separator or the line's
    end (`"屏幕5寸太小,…` and no closing quote; or `"abc"def`) is taken as text too, and
    reported: polars would otherwise run the cell on through the rest of the file.
    Called only when polars cannot read the file; one step per quote, not per row.
    """
    sep, quote, lf, cr = ord(separator), 0x22, 0x0A, 0x0D
    quotes = np.flatnonzero(np.frombuffer(content, np.uint8) == quote).tolist()
    size, as_text, unclosed = len(content), [], []
    j, opened = 0, -1
    while j < len(quotes) or opened >= 0:
        if j >= len(quotes):  # still open at the end of the file: its first quote is text
            as_text.append(quotes[opened])
            unclosed.append(quotes[opened])
            j, opened = opened + 1, -1
            continue
        at = quotes[j]
        if opened < 0:
            if at == 0 or content[at - 1] in (sep, lf):
                opened = j  # a quote that starts a cell opens it
            else:
                as_text.append(at)
            j += 1
            continue
        after = content[at + 1] if at + 1 < size else None
        if after == quote:
            j += 2  # "" inside a quoted cell
        elif after is None or after in (sep, lf, cr):
            opened, j = -1, j + 1  # closed
        else:  # the cell was never a quoted one: its first quote is text, read on after it
            as_text.append(quotes[opened])
            unclosed.append(quotes[opened])
            j, opened = opened + 1, -1
    if not as_text:
        return content, []
    marker = QUOTE_AS_TEXT.encode()
    pieces, start = [], 0
    for at in sorted(set(as_text)):
        pieces.append(content[start:at])
        start = at + 1
    pieces.append(content[start:])
    fixed = marker.join(pieces)
    # Offsets moved by the markers before them (2 more bytes each).
    moved = sorted(set(as_text))
    shift = np.searchsorted(np.array(moved), np.array(unclosed, dtype=np.int64))
    return fixed, [int(at + 2 * k) for at, k in zip(unclosed, shift, strict=True)]


def _unclosed_cells(body: Body, offsets: list[int], content: bytes, separator: str) -> pl.DataFrame:
    """(`row`, `column`) of each quote that opened a cell and never closed (offsets into
    `content`): the row as row_numbers gives it, the column as the index of c{i}."""
    breaks = _line_offsets(content)
    starts = body.frame.select(body.row_numbers()).to_series().to_numpy()
    rows, columns = [], []
    for at in sorted(set(offsets)):
        line = int(np.searchsorted(breaks, at)) + 1
        k = int(np.searchsorted(starts, line, side="right")) - 1
        if k < 0:
            continue  # above the header's rows
        row = int(starts[k])
        begin = 0 if row == 1 else int(breaks[row - 2]) + 1
        before = content[begin:at].decode("utf-8", "replace")
        record = next(csv.reader(io.StringIO(before + "x"), delimiter=separator), [])
        rows.append(row)
        columns.append(max(len(record) - 1, 0))
    return pl.DataFrame(
        {"row": rows, "column": columns}, schema={"row": pl.Int64, "column": pl.Int64}
    )


def _head_records(lines: list[str], separator: str) -> tuple[list[list[str | None]], list[int]]:
    """The head's records, and after each the number of physical lines read so far (a
    quoted cell may hold line breaks: a record can span lines)."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=separator)
    head, ends = [], []
    for record in reader:
        head.append([cell if cell != "" else None for cell in record])
        ends.append(reader.line_num)
    return head, ends


def _first_lines(text: str, count: int) -> list[str]:
    """The first `count` lines (str.split would copy the whole rest of the text)."""
    lines, start = [], 0
    while len(lines) < count and start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return lines


def _line_breaks_per_row(frame: pl.DataFrame) -> pl.Series | None:
    """Line breaks inside each row's quoted cells; None when there are none (the usual case)."""
    if frame.width == 0 or frame.height == 0:
        return None
    counts = frame.select(
        pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0))
        .cast(pl.Int64)
        .alias("breaks")
    ).to_series()
    return counts if counts.sum() else None


# --------------------------------------------------------------------------- parquet


def _parquet_sheet(path: str, limits: Limits) -> RawSheet:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # pyarrow/polars raise many kinds for a bad file
        raise _cannot_read(
            path,
            "不是有效的 parquet 文件（文件已损坏或格式无法识别）",
            f"not valid parquet ({_one_line(exc)})",
        ) from exc
    check_rows(path, frame.height, limits)
    header = [str(c) for c in frame.columns]
    renamed = _positional(frame)
    letters = [column_letter(i) for i in range(frame.width)]

    def body(header_index: int, datetime_columns: Collection[int] = ()) -> Body:
        return Body(renamed, letters, 2)

    return RawSheet(path, None, [header], body)
