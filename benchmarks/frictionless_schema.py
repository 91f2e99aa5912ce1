"""The Table Schema frictionless validates the benchmark's cases CSV against.

Equivalent to what `auditor audit` checks on the same file (auditor/model/schemas.py on the
fields of auditor/model/fields.py, read through the generic layout's Chinese headers):
required ids and application time, amounts as non-negative numbers (the export's `¥1,299.00`
included), every datetime in the export's `YYYY-MM-DD HH:MM:SS`, the enum columns limited to
the texts the layout maps, 是/否-style booleans, satisfaction 1–5, one row per case id.

Built from the same declarations (the layout profile and the field list), so it cannot drift;
`python benchmarks/frictionless_schema.py` rewrites benchmarks/frictionless-cases.schema.json
and tests/benchmarks checks the committed file is current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.io.cleaning import FALSE_TEXTS, TRUE_TEXTS
from auditor.model.fields import CASE_FIELDS, Kind
from auditor.sample.layout import load_layout

SCHEMA_PATH = Path(__file__).resolve().parent / "frictionless-cases.schema.json"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _field(name: str, header: str, kind: Kind, required: bool, texts: list[str]) -> dict:
    field: dict[str, Any] = {"name": header, "type": "string"}
    constraints: dict[str, Any] = {}
    if kind == Kind.AMOUNT:
        # bareNumber false: currency signs around the number are allowed, as the reader does.
        field.update(type="number", groupChar=",", bareNumber=False)
        constraints["minimum"] = 0
    elif kind == Kind.DATETIME:
        field.update(type="datetime", format=DATETIME_FORMAT)
    elif kind == Kind.BOOL:
        field.update(type="boolean", trueValues=list(TRUE_TEXTS), falseValues=list(FALSE_TEXTS))
    elif kind == Kind.INT:
        field["type"] = "integer"
        if name == "satisfaction":
            constraints.update(minimum=1, maximum=5)
    elif kind == Kind.ENUM and texts:
        constraints["enum"] = texts
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def build_schema(layout_id: str = "generic") -> dict:
    """The Table Schema of a cases export written in `layout_id` with Chinese headers."""
    layout = load_layout(layout_id, "cases")
    fields = []
    for spec in CASE_FIELDS:
        aliases = layout.columns.get(spec.name)
        if not aliases:
            continue  # a field the layout does not carry is not a column of the export
        header = next((a for a in aliases if a == spec.zh), aliases[-1])
        texts = list(layout.values.get(spec.name, {}))
        fields.append(_field(spec.name, header, spec.kind, spec.required, texts))
    key = next(f["name"] for f in fields if f["name"] == "售后单号")
    return {"fields": fields, "missingValues": [""], "primaryKey": [key]}


def render_schema() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(SCHEMA_PATH)
