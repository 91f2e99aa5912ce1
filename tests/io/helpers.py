"""Fixture builders for the io tests: small workbooks and CSVs written in the test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string


def write_xlsx(path: Path, sheets: dict[str, list[list]], start: str = "A1") -> Path:
    """One sheet per entry; rows written from cell `start` (e.g. "C4" leaves A:B and 1:3 blank).

    A row may be None (a blank row). Values are written as given (str, number, datetime).
    """
    letters, first_row = coordinate_from_string(start)
    first_col = column_index_from_string(letters)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row or []):
                if value is not None:
                    sheet.cell(row=first_row + r, column=first_col + c, value=value)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


# --------------------------------------------------------------------------- profiles

SAMPLE_TIME = "2026-03-01 10:00:00"


def profile_document(profile_id: str) -> dict:
    """The bundled profile file as written (first aliases in the export's own spelling)."""
    import yaml

    from auditor.io.profile import profiles_dir

    return yaml.safe_load((profiles_dir() / f"{profile_id}.yaml").read_text(encoding="utf-8"))


def sample_sheet(profile_id: str) -> tuple[list[str], list[str], dict]:
    """Headers, one data row and the canonical values expected from it, for a profile."""
    from auditor.model.fields import CASE_FIELD, ORDER_FIELD, Kind

    doc = profile_document(profile_id)
    fields = CASE_FIELD if doc["kind"] == "cases" else ORDER_FIELD
    values = doc.get("values") or {}
    headers: list[str] = []
    row: list[str] = []
    expected: dict = {}

    def add(header: str, value: str) -> None:
        if header not in headers:
            headers.append(header)
            row.append(value)

    for name, aliases in doc["columns"].items():
        spec = fields[name]
        header = aliases[0]
        if spec.kind == Kind.ID:
            value = {"order_id": "1000000000000000001", "line_id": "2000000000000000001"}.get(
                name, f"{profile_id}-1"
            )
            add(header, value)
            expected[name] = value
        elif spec.kind == Kind.TEXT:
            add(header, f"{name}文本")
            expected[name] = f"{name}文本"
        elif spec.kind == Kind.AMOUNT:
            add(header, "¥1,212.50")
            expected[name] = 1212.5
        elif spec.kind == Kind.DATETIME:
            add(header, SAMPLE_TIME)
            expected[name] = SAMPLE_TIME
        elif spec.kind == Kind.INT:
            add(header, "5")
            expected[name] = 5
        elif spec.kind == Kind.ENUM:
            mapping = {k: v for k, v in (values.get(name) or {}).items() if k not in ("", "*")}
            text, value = next(iter(mapping.items())) if mapping else (spec.enum[0], spec.enum[0])
            add(header, str(text))
            expected[name] = value
        elif spec.kind == Kind.BOOL:
            mapping = {k: v for k, v in (values.get(name) or {}).items() if k not in ("", "*")}
            text, value = next(iter(mapping.items())) if mapping else ("是", True)
            add(header, str(text))
            expected[name] = value
    status = doc.get("status_text")
    if status:
        text, sets = next(iter(status["map"].items()))
        add(status["column"], text)
        for name, value in sets.items():
            expected.setdefault(name, value)  # a decision column of its own wins
    for derived in (doc.get("hours_between") or {}).items():
        name, spec = derived
        add(spec["column"], "2026-03-03 10:00:00")
        expected[name] = 48
    for derived in (doc.get("durations") or {}).values():
        add(derived["column"], "1天")
    required = [*doc["detect"]["required"]]
    for header in required:
        add(header, "x")
    # A buyer's personal data column every real export has: it must never be kept.
    add("收货人手机号", "13800000000")
    return headers, row, expected
