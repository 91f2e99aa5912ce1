"""End-to-end benchmark: `auditor audit` against the bare read of the same file.

    python benchmarks/run.py            # everything: 100,000 and 1,000,000 cases, every format,
                                        # frictionless at 100,000, the writers at 200,000 findings
    python benchmarks/run.py --sizes 100000 --formats csv --frictionless 0 --writers 0

For each size and format it makes a month of cases and orders with `auditor sample`
(about one finding per ten cases), then measures, each in a fresh process:

- the bare read: the fastest available reader just loading the cases and orders files
  (the floor);
- the full audit: `auditor audit` reading, cleaning, validating, checking and writing
  every output;
- for CSV and parquet, reading to findings.json: `auditor audit --outputs json` (SPEC
  section 8: within 3× the bare read). Not measured for xlsx, whose target is the full audit;
- the ratios, and the peak resident memory (RSS) of every process.

Runs of up to 100,000 cases (and every command of the frictionless comparison) are made
`--repeat` times (default 3) and the fastest is kept; the 1,000,000-case runs are made once.

Then, unless switched off with 0:

- `--frictionless N` (default 100,000): `frictionless validate` of the N-case GB18030 CSV
  against benchmarks/frictionless-cases.schema.json (the same checks as our cases schema),
  compared with the full audit of the same file. frictionless is the `bench` extra
  (`pip install -e '.[bench]'`); without it the comparison is skipped with a printed line;
- `--writers N` (default 200,000): findings per second of our workbook writer, xlsxwriter
  and openpyxl (benchmarks/writers.py), and the check that findings continue on further
  sheets past a sheet's row limit.

Every measured row is merged into benchmarks/results/results.json, keyed by (cases, format)
(frictionless by cases, writers by writer), with the machine and the date, and
benchmarks/results/latest.md is rendered from all of it: a run of one size or format
replaces only its own rows.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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
RESULTS_JSON = RESULTS / "results.json"
LATEST_MD = RESULTS / "latest.md"
SCHEMA = HERE / "frictionless-cases.schema.json"

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
# What every audit does before its own work: start Python, import the libraries and modules
# the audit runs on (polars, pandera, pydantic, numpy, the engine), then read its files.
AUDIT_IMPORTS = "import auditor.cli.audit, auditor.engine.run\n"
JSON_ONLY_FORMATS = ("csv", "parquet")  # SPEC section 8: reading to findings.json within 3×
SHORT_RUN = 100_000  # cases: runs this short are repeated (--repeat), the fastest kept


@dataclass
class Measure:
    seconds: float
    peak_rss_mb: float
    returncode: int


def measure(command: list[str], repeat: int = 1, stdout_path: Path | None = None) -> Measure:
    """The fastest of `repeat` runs of `command` (its wall time and peak RSS). Short runs vary
    most on a shared machine; every command of a comparison gets the same repeats."""
    runs = [_measure_once(command, stdout_path) for _ in range(max(1, repeat))]
    return min(runs, key=lambda run: run.seconds)


def _measure_once(command: list[str], stdout_path: Path | None) -> Measure:
    """Wall time and peak RSS of one child process (wait4 gives that child's own rusage)."""
    if stdout_path is None:
        return _run_child(command, subprocess.DEVNULL)
    with stdout_path.open("wb") as stdout:
        return _run_child(command, stdout)


def child_env() -> dict[str, str]:
    """The environment of every measured process: this one's, with Python's bytecode cache
    on. A sandbox that sets PYTHONDONTWRITEBYTECODE makes every run compile the tool's
    modules from source (about 0.25 s here), a cost no installed copy pays after its
    first run (`pip install .` compiles them at install)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def warm_bytecode() -> None:
    """Compile the tool's modules once, as its first run on a user's machine would."""
    package = Path(__file__).resolve().parent.parent / "auditor"
    command = [sys.executable, "-m", "compileall", "-q", str(package)]
    subprocess.run(command, check=True, env=child_env(), stdout=subprocess.DEVNULL)


def _run_child(command: list[str], stdout) -> Measure:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, env=child_env())
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
        command = [*auditor_cmd(), "sample", "--cases", str(size), "--orders"]
        command += ["--format", fmt, "--month", month, "--seed", "1", "--out", str(out)]
        if ENCODING[fmt]:
            command += ["--encoding", ENCODING[fmt]]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        marker.touch()
    cases = sorted(p for p in out.glob(f"cases*.{fmt}"))
    orders = sorted(p for p in out.glob(f"orders*.{fmt}"))
    if len(cases) != 1 or len(orders) != 1:
        raise SystemExit(f"unexpected sample files in {out}: {cases} {orders}")
    return cases[0], orders[0]


def bare_read_code(paths: list[Path], fmt: str) -> str:
    return BARE_READ[fmt].format(paths=[str(p) for p in paths], encoding=ENCODING[fmt] or "utf-8")


def bare_read(paths: list[Path], fmt: str, repeat: int = 1) -> Measure:
    return measure([sys.executable, "-c", bare_read_code(paths, fmt)], repeat)


def audit_floor(paths: list[Path], fmt: str, repeat: int = 1) -> Measure:
    """The audit's start-up (its imports) and the bare read of its files, in one process:
    no full audit can take less, whatever its own work costs."""
    return measure([sys.executable, "-c", AUDIT_IMPORTS + bare_read_code(paths, fmt)], repeat)


def audit_command(cases: Path, orders: Path, out: Path, outputs: str | None = None) -> list[str]:
    command = [*auditor_cmd(), "audit", str(cases), "--orders", str(orders), "--out", str(out)]
    command += ["--fail-on", "never", "--quiet"]
    if outputs:
        command += ["--outputs", outputs]
    return command


def run_audit(
    cases: Path, orders: Path, out: Path, outputs: str | None = None, repeat: int = 1
) -> Measure:
    # Each run writes into `out`: an earlier run's outputs are replaced, as a user's would be.
    shutil.rmtree(out, ignore_errors=True)
    return measure(audit_command(cases, orders, out, outputs), repeat)


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


def count_findings(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return int(json.load(fh)["summary"]["findings"])


# -- measuring ---------------------------------------------------------------------------


def repeats_for(size: int, repeat: int) -> int:
    """Runs of up to SHORT_RUN cases last seconds, where noise is largest: `repeat` runs of
    each, the fastest kept. Longer runs are timed once."""
    return repeat if size <= SHORT_RUN else 1


def measure_format(size: int, fmt: str, month: str, stamp: dict, repeat: int = 1) -> dict:
    """One row of the main table: bare read, full audit and (csv, parquet) to findings.json."""
    cases, orders = make_sample(size, fmt, month)
    runs = repeats_for(size, repeat)
    read = bare_read([cases, orders], fmt, runs)
    out = DATA / f"{size}-{fmt}-out"
    audit = run_audit(cases, orders, out, repeat=runs)
    findings = count_findings(out / "findings.json")
    row = {
        "cases": size,
        "format": fmt,
        **stamp,
        "runs": runs,
        "read_s": round(read.seconds, 2),
        "read_mb": round(read.peak_rss_mb),
        "audit_s": round(audit.seconds, 2),
        "audit_mb": round(audit.peak_rss_mb),
        "json_s": None,
        "json_mb": None,
        "findings": findings,
        # Ratios from the unrounded measures (rows carried over keep their published ones).
        "audit_ratio": round(audit.seconds / read.seconds, 2),
        "json_ratio": None,
        "memory_ratio": round(audit.peak_rss_mb / read.peak_rss_mb, 2),
    }
    if fmt in JSON_ONLY_FORMATS:
        json_out = DATA / f"{size}-{fmt}-json-out"
        to_json = run_audit(cases, orders, json_out, outputs="json", repeat=runs)
        if count_findings(json_out / "findings.json") != findings:
            raise SystemExit(f"--outputs json found a different number of findings ({fmt})")
        row.update(
            json_s=round(to_json.seconds, 2),
            json_mb=round(to_json.peak_rss_mb),
            json_ratio=round(to_json.seconds / read.seconds, 2),
        )
    print(
        f"{size:>9,} {fmt:<7} read {row['read_s']:7.1f}s  audit {row['audit_s']:7.1f}s "
        f"(x{row['audit_ratio']:.2f})  to json "
        f"{_fmt(row['json_s'], '{:.1f}s')} (x{_fmt(row['json_ratio'])})  "
        f"rss {row['read_mb']:,}/{row['audit_mb']:,} MB  findings {findings:,}",
        flush=True,
    )
    return row


def frictionless_command(cases: Path) -> list[str]:
    exe = shutil.which("frictionless") or str(Path(sys.executable).with_name("frictionless"))
    # --trusted: the schema is given by absolute path; --limit-errors: validate every row
    # (the default stops after 1,000 errors, which would flatter it).
    return [
        exe,
        "validate",
        str(cases),
        "--schema",
        str(SCHEMA),
        "--encoding",
        ENCODING["csv"],
        "--limit-errors",
        "1000000000",
        "--trusted",
        "--json",
    ]


def frictionless_installed() -> bool:
    return importlib.util.find_spec("frictionless") is not None


def measure_frictionless(
    size: int, month: str, stamp: dict, audit_row: dict | None, repeat: int = 1
) -> dict:
    """frictionless validate of the cases CSV, against the full audit of the same files."""
    cases, orders = make_sample(size, "csv", month)
    runs = repeats_for(size, repeat)
    report = DATA / f"{size}-csv-frictionless.json"
    result = measure(frictionless_command(cases), runs, stdout_path=report)
    errors = _frictionless_errors(report)
    if audit_row is None or audit_row.get("runs", 1) != runs:
        audit = run_audit(cases, orders, DATA / f"{size}-csv-out", repeat=runs)
        audit_s = round(audit.seconds, 2)
    else:
        audit_s = audit_row["audit_s"]
    # The like-for-like task: read the same cases file and check it against the same schema.
    validate = measure([*auditor_cmd(), "validate", str(cases)], runs)
    floor = audit_floor([cases, orders], "csv", runs)
    row = {
        "cases": size,
        **stamp,
        "runs": runs,
        "frictionless_s": round(result.seconds, 2),
        "frictionless_mb": round(result.peak_rss_mb),
        "audit_s": audit_s,
        "validate_s": round(validate.seconds, 2),
        "floor_s": round(floor.seconds, 2),
        "errors": errors,
        "encoding": ENCODING["csv"],
    }
    print(
        f"{size:>9,} frictionless validate {row['frictionless_s']:.1f}s "
        f"({errors} errors) vs audit {audit_s:.1f}s: audit "
        f"{row['frictionless_s'] / audit_s:.1f}x faster; vs auditor validate "
        f"{row['validate_s']:.1f}s: {row['frictionless_s'] / row['validate_s']:.1f}x faster; "
        f"start-up + bare read {row['floor_s']:.1f}s: at most "
        f"{row['frictionless_s'] / row['floor_s']:.1f}x for any full audit",
        flush=True,
    )
    return row


def _frictionless_errors(report: Path) -> int | None:
    try:
        document = json.loads(report.read_text("utf-8"))
        return sum(int(task["stats"]["errors"]) for task in document["tasks"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def measure_writers(findings: int, stamp: dict) -> tuple[list[dict], dict]:
    sys.path.insert(0, str(HERE))
    import writers

    rows, split = writers.run(findings, list(writers.WRITERS))
    return [{**row, **stamp} for row in rows], {**split, **stamp}


# -- results -----------------------------------------------------------------------------


def load_results(path: Path = RESULTS_JSON) -> dict:
    if not path.exists():
        return {"rows": [], "frictionless": [], "writers": [], "split": None}
    data = json.loads(path.read_text("utf-8"))
    for key in ("rows", "frictionless", "writers"):
        data.setdefault(key, [])
    data.setdefault("split", None)
    return data


def merge(existing: list[dict], new: list[dict], key: tuple[str, ...]) -> list[dict]:
    """`existing` with every row of `new` replacing the one of the same key (or added)."""
    merged = {tuple(row[k] for k in key): row for row in existing}
    for row in new:
        merged[tuple(row[k] for k in key)] = row
    return list(merged.values())


def ordered_rows(rows: list[dict]) -> list[dict]:
    order = {"xlsx": 0, "csv": 1, "parquet": 2}
    return sorted(rows, key=lambda r: (r["cases"], order.get(r["format"], 9), r["format"]))


def save_results(data: dict, path: Path = RESULTS_JSON) -> None:
    data["rows"] = ordered_rows(data["rows"])
    data["frictionless"] = sorted(data["frictionless"], key=lambda r: r["cases"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _fmt(value, pattern: str = "{:.2f}", blank: str = "—") -> str:
    return blank if value is None else pattern.format(value)


def render(data: dict) -> str:
    """latest.md: every row kept in results.json, with the machine and date of each."""
    machines = _machines(data)
    label = {m: f"M{i + 1}" for i, m in enumerate(machines)}
    parts = ["Machines:\n", *(f"- {label[m]}: {m}" for m in machines), ""]
    parts += [
        "| cases | format | runs | bare read s | audit s | audit / read | to findings.json s "
        "| json / read | read peak MB | audit peak MB | memory ratio | findings | machine, date |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in ordered_rows(data["rows"]):
        mark = "*" if r.get("note") else ""
        parts.append(
            f"| {r['cases']:,} | {r['format']} | {r.get('runs', 1)} | {r['read_s']:.1f} | "
            f"{r['audit_s']:.1f} | "
            f"{r['audit_ratio']:.2f} | {_fmt(r['json_s'], '{:.1f}')} | "
            f"{_fmt(r['json_ratio'])} | {r['read_mb']:,} | {r['audit_mb']:,} | "
            f"{r['memory_ratio']:.2f} | {r['findings']:,} | "
            f"{label[r['machine']]}, {r['date']}{mark} |"
        )
    parts.append("")
    notes = sorted({r["note"] for r in data["rows"] if r.get("note")})
    parts.append(
        "csv is GB18030. runs = how often each command ran, the fastest kept (the same for "
        "every command of a row). to findings.json = `auditor audit --outputs json` (SPEC "
        "section 8: within 3× the bare read, for CSV and parquet); — = not measured"
        + (" (not asked for xlsx; see * below)." if notes else " (not asked for xlsx).")
    )
    parts += [f"\n\\* {n}" for n in notes]
    if data["frictionless"]:
        parts += [
            "",
            "| cases | runs | frictionless validate s | peak MB | errors found | auditor validate s "
            "| frictionless / validate | audit s | frictionless / audit "
            "| start-up + read s | frictionless / (start-up + read) | machine, date |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in data["frictionless"]:
            validate_s = r.get("validate_s")
            ratio = r["frictionless_s"] / validate_s if validate_s else None
            floor_s = r.get("floor_s")
            best = r["frictionless_s"] / floor_s if floor_s else None
            parts.append(
                f"| {r['cases']:,} | {r.get('runs', 1)} | {r['frictionless_s']:.1f} | "
                f"{r['frictionless_mb']:,} | "
                f"{_fmt(r['errors'], '{:,}')} | {_fmt(validate_s, '{:.1f}')} | "
                f"{_fmt(ratio, '{:.1f}')} | {r['audit_s']:.1f} | "
                f"{r['frictionless_s'] / r['audit_s']:.1f} | {_fmt(floor_s, '{:.1f}')} | "
                f"{_fmt(best, '{:.1f}')} | {label[r['machine']]}, {r['date']} |"
            )
        parts.append(
            "\nfrictionless validates the cases CSV (GB18030, read directly) against "
            "benchmarks/frictionless-cases.schema.json; `auditor validate` reads, cleans and "
            "checks the same file against the same schema (the like-for-like task); the audit "
            "column is the full audit of the same month (cases and orders, 29 rules, every "
            "output). start-up + read = one process that imports what the audit runs on "
            "(polars, pandera, pydantic, numpy, the engine) and bare-reads the cases and "
            "orders CSV: no full audit can take less, so frictionless / (start-up + read) is "
            "the most any full audit could reach here. Target: at 100,000 cases the audit at "
            "least 10× faster."
        )
    if data["writers"]:
        parts += [
            "",
            "| writer | findings | runs | best s | findings / s (best) | findings / s (median) "
            "| machine, date |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for r in data["writers"]:
            parts.append(
                f"| {r['writer']} | {r['findings']:,} | {r.get('runs', 1)} | {r['seconds']:.1f} "
                f"| {r['per_second']:,} | {r.get('median_per_second', r['per_second']):,} "
                f"| {label[r['machine']]}, {r['date']} |"
            )
        parts.append(
            "\nauditor = the whole violations.xlsx, best and median of its runs; xlsxwriter "
            "(constant_memory) and openpyxl (write-only) write the same findings sheet alone, "
            "once. Target: 50,000 findings/s."
        )
    split = data.get("split")
    if split:
        parts.append(
            f"\nSheet split check: {split['findings']:,} findings with a "
            f"{split['max_rows']:,}-row sheet limit were written on {len(split['sheets'])} "
            f"sheets ({', '.join(split['sheets'])}; rows {split['rows']}): "
            f"{'as expected' if split['ok'] else 'WRONG'}."
        )
    return "\n".join(parts) + "\n"


def _machines(data: dict) -> list[str]:
    seen: dict[str, None] = {}
    for key in ("rows", "frictionless", "writers"):
        for row in data[key]:
            seen.setdefault(row["machine"], None)
    return list(seen)


# -- command -----------------------------------------------------------------------------


def use_data_folder(folder: Path) -> None:
    """Make the samples (and the audits' outputs) in `folder` instead of benchmarks/data."""
    global DATA
    DATA = Path(folder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="case counts; '' for none")
    parser.add_argument("--formats", default="xlsx,csv,parquet")
    parser.add_argument("--month", default="2026-03")
    parser.add_argument(
        "--frictionless", type=int, default=100_000, metavar="CASES", help="0 to skip"
    )
    parser.add_argument("--writers", type=int, default=200_000, metavar="FINDINGS", help="0: skip")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help=f"runs of each command at up to {SHORT_RUN:,} cases, the fastest kept "
        "(longer ones run once)",
    )
    parser.add_argument("--data", type=Path, default=DATA, help="where the samples are made")
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="results.json and latest.md (a trial run: another folder keeps the published ones)",
    )
    args = parser.parse_args(argv)
    use_data_folder(args.data)
    results_json, latest_md = args.results / RESULTS_JSON.name, args.results / LATEST_MD.name
    sizes = [int(s) for s in args.sizes.split(",") if s]
    formats = [f for f in args.formats.split(",") if f]
    stamp = {"machine": machine(), "date": time.strftime("%Y-%m-%d")}
    data = load_results(results_json)
    if importlib.util.find_spec("hypothesis") is not None:
        # pandera imports hypothesis whenever it is installed: a user's install has not got it.
        print(
            "note: the test extras are installed here; pandera then imports hypothesis in every "
            "run (about 0.2 s). The published numbers come from a venv with .[bench] only.",
            flush=True,
        )

    warm_bytecode()
    rows = [
        measure_format(size, fmt, args.month, stamp, args.repeat)
        for size in sizes
        for fmt in formats
    ]
    data["rows"] = merge(data["rows"], rows, ("cases", "format"))
    save_results(data, results_json)

    if args.frictionless:
        if frictionless_installed():
            csv_row = next(
                (r for r in rows if r["cases"] == args.frictionless and r["format"] == "csv"),
                None,
            )
            row = measure_frictionless(args.frictionless, args.month, stamp, csv_row, args.repeat)
            data["frictionless"] = merge(data["frictionless"], [row], ("cases",))
            save_results(data, results_json)
        else:
            print(
                "frictionless not installed: comparison skipped "
                "(pip install -e '.[bench]' to include it)",
                flush=True,
            )
    if args.writers:
        writer_rows, split = measure_writers(args.writers, stamp)
        data["writers"] = merge(data["writers"], writer_rows, ("writer",))
        data["split"] = split
        save_results(data, results_json)

    text = render(data)
    latest_md.write_text(text, encoding="utf-8")
    print()
    print(text)


if __name__ == "__main__":
    main()
