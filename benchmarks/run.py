"""End-to-end benchmark: `auditor audit` against the bare read of the same file.

    python benchmarks/run.py                       # 100,000 and 1,000,000 cases, every format
    python benchmarks/run.py --sizes 100000 --formats xlsx

For each size and format it makes a month of cases and orders with `auditor sample`
(about one finding per ten cases), then measures, each in a fresh process:

- the bare read: the fastest available reader just loading the cases and orders files
  (the floor), in a fresh interpreter;
- the full audit: `auditor audit` reading, cleaning, validating, checking and writing
  every output;
- their ratio, and the peak resident memory (RSS) of both processes;
- on the 100,000-case CSV, `frictionless validate` with an equivalent schema, if installed.

Results are printed as a Markdown table and written to benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"

BARE_READ = {
    # The fastest reader measured for each format (../shared/research/performance.md),
    # applied to every input file the audit reads (cases and orders).
    "xlsx": "import fastexcel\nfor path in {paths!r}:\n    r = fastexcel.read_excel(path)\n"
    "    [r.load_sheet(n).to_arrow() for n in r.sheet_names]",
    "csv": "import polars as pl\nfor path in {paths!r}:\n"
    "    pl.read_csv(open(path, 'rb').read().decode({encoding!r}).encode('utf-8'),"
    " infer_schema=False)",
    "parquet": "import polars as pl\nfor path in {paths!r}:\n    pl.read_parquet(path)",
}
ENCODING = {"xlsx": None, "csv": "gb18030", "parquet": None}


@dataclass
class Measure:
    seconds: float
    peak_rss_mb: float
    returncode: int


def measure(command: list[str], cwd: Path | None = None) -> Measure:
    """Wall time and peak RSS of one child process (wait4 gives that child's own rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        raise SystemExit(f"command failed ({code}): {' '.join(command)}\n{err}")
    return Measure(seconds, usage.ru_maxrss / 1024, code)


def auditor_cmd() -> list[str]:
    exe = shutil.which("auditor")
    return [exe] if exe else [sys.executable, "-m", "auditor"]


def make_sample(size: int, fmt: str, month: str) -> tuple[Path, Path]:
    out = DATA / f"{size}-{fmt}"
    marker = out / ".complete"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        command = [
            *auditor_cmd(),
            "sample",
            "--cases",
            str(size),
            "--orders",
            "--format",
            fmt,
            "--month",
            month,
            "--seed",
            "1",
            "--out",
            str(out),
        ]
        if ENCODING[fmt]:
            command += ["--encoding", ENCODING[fmt]]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        marker.touch()
    cases = sorted(p for p in out.glob(f"cases*.{fmt}"))
    orders = sorted(p for p in out.glob(f"orders*.{fmt}"))
    if len(cases) != 1 or len(orders) != 1:
        raise SystemExit(f"unexpected sample files in {out}: {cases} {orders}")
    return cases[0], orders[0]


def bare_read(paths: list[Path], fmt: str) -> Measure:
    code = BARE_READ[fmt].format(paths=[str(p) for p in paths], encoding=ENCODING[fmt] or "utf-8")
    return measure([sys.executable, "-c", code])


def full_audit(cases: Path, orders: Path, out: Path) -> Measure:
    shutil.rmtree(out, ignore_errors=True)
    return measure(
        [
            *auditor_cmd(),
            "audit",
            str(cases),
            "--orders",
            str(orders),
            "--out",
            str(out),
            "--fail-on",
            "never",
            "--quiet",
        ]
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--formats", default="xlsx,csv,parquet")
    parser.add_argument("--month", default="2026-03")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")

    rows = []
    for size in sizes:
        for fmt in formats:
            cases, orders = make_sample(size, fmt, args.month)
            read = bare_read([cases, orders], fmt)
            audit = full_audit(cases, orders, DATA / f"{size}-{fmt}-out")
            findings = count_findings(DATA / f"{size}-{fmt}-out" / "findings.json")
            rows.append((size, fmt, read, audit, findings))
            print(
                f"{size:>9,} {fmt:<7} read {read.seconds:7.1f}s  audit {audit.seconds:7.1f}s  "
                f"ratio {audit.seconds / read.seconds:4.2f}  rss {read.peak_rss_mb:,.0f}/"
                f"{audit.peak_rss_mb:,.0f} MB  findings {findings:,}",
                flush=True,
            )
    table = render(rows)
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(
        f"Machine: {machine()}\n\nDate: {time.strftime('%Y-%m-%d')}\n\n{table}\n", encoding="utf-8"
    )


def count_findings(path: Path) -> int:
    import json

    with path.open(encoding="utf-8") as fh:
        return int(json.load(fh)["summary"]["findings"])


def render(rows) -> str:
    lines = [
        "| cases | format | bare read s | audit s | audit / read | read peak MB | audit peak MB "
        "| memory ratio | findings |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, fmt, read, audit, findings in rows:
        lines.append(
            f"| {size:,} | {fmt} | {read.seconds:.1f} | {audit.seconds:.1f} | "
            f"{audit.seconds / read.seconds:.2f} | {read.peak_rss_mb:,.0f} | {audit.peak_rss_mb:,.0f} | "
            f"{audit.peak_rss_mb / read.peak_rss_mb:.2f} | {findings:,} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
