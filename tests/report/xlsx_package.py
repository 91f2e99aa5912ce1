"""Two xlsx packages compared part by part (for the row writer's tests)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# docProps/core.xml holds the time of writing, which two writes need not share.
WRITE_TIME = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def assert_same_package(ours: Path, theirs: Path) -> None:
    """Every part of `ours` is byte for byte the same as in `theirs`, but the time of writing."""
    with zipfile.ZipFile(ours) as left, zipfile.ZipFile(theirs) as right:
        assert left.namelist() == right.namelist()
        for name in right.namelist():
            mine, other = left.read(name), right.read(name)
            if name == "docProps/core.xml":
                mine, other = WRITE_TIME.sub(b"", mine), WRITE_TIME.sub(b"", other)
            if mine != other:
                pairs = enumerate(zip(mine, other, strict=False))
                at = next((i for i, (a, b) in pairs if a != b), min(len(mine), len(other)))
                raise AssertionError(
                    f"{name} differs at byte {at}:\n ours:   {mine[at - 80 : at + 80]!r}\n"
                    f" theirs: {other[at - 80 : at + 80]!r}"
                )
