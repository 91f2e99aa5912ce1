"""Reading: raw export files -> validated canonical frames (contracts.md section 1)."""

from auditor.io.dataset import Dataset, InputInfo, SheetInfo, load

__all__ = ["Dataset", "InputInfo", "SheetInfo", "load"]
