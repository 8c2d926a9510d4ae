"""The scale benchmarks at one library size, in one table: figure | value | goal.

    python benchmarks/scale_table.py [--books 250000]

Runs each benchmark below as its own process with `--books N --json` (the import benchmark's
rate does not depend on the library's size; `--books` sizes its re-imports, unchanged and with
one new file; the kosync load runs with `--wrk`, which `make bench-scale` installs as root)
and reads the JSON object on the last line of its output:

    {"figures": {"<figure>": <value in ms, or text>, ...}, "goals": {"<figure>": "<goal>"}}

A benchmark that is missing, has no `--json` mode or fails is listed as "not measured", with
why. `make bench-scale` runs this (`BOOKS=50000 make bench-scale` for another size).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Bench:
    script: str
    sized: bool = True  # takes --books
    options: tuple[str, ...] = ()  # given before --json


BENCHES = (
    Bench("ui_startup.py"),
    Bench("opds_bench.py"),
    Bench("search_bench.py"),
    Bench("custom_column_bench.py"),
    Bench("hardcover_page_bench.py"),
    Bench("import_bench.py"),
    Bench("kosync_load.py", options=("--wrk",)),
)
Row = tuple[str, str, str]


def command(bench: Bench, books: int) -> list[str]:
    sized = ["--books", str(books)] if bench.sized else []
    return [sys.executable, str(HERE / bench.script), *sized, *bench.options, "--json"]


def has_json_mode(script: Path) -> bool:
    return script.is_file() and "--json" in script.read_text(encoding="utf-8")


def rows_from_output(name: str, output: str) -> list[Row]:
    """The rows of a benchmark's JSON line (the last line of its output)."""
    lines = output.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if not isinstance(result, dict) or not isinstance(result.get("figures"), dict):
        return [(name, "not measured", "its output has no JSON figures")]
    goals = result.get("goals") or {}
    return [
        (figure, value_text(value), str(goals.get(figure, "")))
        for figure, value in result["figures"].items()
    ]


def value_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f} ms"
    return str(value)


def run(bench: Bench, books: int) -> list[Row]:
    script = HERE / bench.script
    if not script.is_file():
        return [(bench.script, "not measured", "the benchmark is not there")]
    if not has_json_mode(script):
        return [(bench.script, "not measured", "the benchmark has no --json mode")]
    done = subprocess.run(command(bench, books), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [(bench.script, "not measured", f"failed: {last}")]
    return rows_from_output(bench.script, done.stdout)


def table(rows: list[Row]) -> str:
    header: Row = ("figure", "value", "goal")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in (header, *rows)
    ]
    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([lines[0], rule, *lines[1:]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=250_000)
    args = parser.parse_args()
    rows: list[Row] = []
    for bench in BENCHES:
        print(f"running {bench.script}…", file=sys.stderr, flush=True)
        rows.extend(run(bench, args.books))
    print(f"Scale benchmarks with {args.books:,} books")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
