"""Two xlsx packages compared element by element (for the row writer's tests)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WRITE_TIME = {"{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"}


def canonical(xml: bytes) -> list[tuple]:
    """Every element in document order with its attributes and text. The whitespace between
    cells and rows (the tab and newline separators) is dropped, as is the time of writing;
    text inside a cell is kept."""
    root = ElementTree.fromstring(xml)
    between = {f"{MAIN}sheetData", f"{MAIN}row", f"{MAIN}c"}
    items = []
    for element in root.iter():
        text, tail = element.text, element.tail
        if element.tag in between and text is not None and not text.strip():
            text = None
        if element.tag in between and tail is not None and not tail.strip():
            tail = None
        if element.tag in WRITE_TIME:
            text = None
        items.append((element.tag, sorted(element.attrib.items()), text, tail))
    return items


def assert_same_package(spliced: Path, whole: Path) -> None:
    with zipfile.ZipFile(spliced) as ours, zipfile.ZipFile(whole) as theirs:
        assert ours.namelist() == theirs.namelist()
        for name in theirs.namelist():
            if name.endswith(".xml"):
                assert canonical(ours.read(name)) == canonical(theirs.read(name)), name
            else:
                assert ours.read(name) == theirs.read(name), name
