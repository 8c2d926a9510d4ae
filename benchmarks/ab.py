"""A/B: the hot paths' benchmarks on this checkout and on a base commit, in interleaved pairs.

    python benchmarks/ab.py --base REV [--pairs 3] [--count 2000] [--books 50000]
                            [--only import,search,kosync,pages]
    make bench-ab BASE=REV [AB_ARGS="--pairs 5"]

The base commit is checked out in a git worktree under `.bench-ab/` with a virtual
environment of its own (made once per commit and kept), so each side runs its own code and its
own benchmark scripts, each as a fresh process. Every pair runs the base and this checkout
back to back, the base first in even pairs and last in odd ones, so a machine that slows down
or speeds up during the run weighs on both sides alike. The benchmarks, each with `--json`:

    import   import_bench.py --count N --no-serial     files/s of a whole-process import of N
                                                        generated EPUBs; the unchanged re-import
    search   search_bench.py --books B                 OPDS search p99: plain, deep page, after
                                                        an edit (a library of B books)
    kosync   kosync_load.py --wrk                      requests/s and p99 under wrk (needs wrk:
                                                        `make bench-deps` as root installs it)
    pages    write_pages.py                            pages a push and an imported file write:
                                                        the same on every run, so run once, in
                                                        the first pair (a commit without the
                                                        script has no such figures)

For each figure both sides report, it prints the median of each side, the ratio (this checkout
over the base: above 1 is faster for a rate, below 1 is faster for a time) and the spread of the
per-pair ratios (lowest to highest): a ratio whose spread crosses 1 is not a difference this
machine can tell apart from noise. Exit status 1 when a benchmark failed on either side.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-ab"
# A number with its unit in a benchmark's text figure ("6,556 req/s, p99 4.1 ms").
MEASURE = re.compile(
    r"(?:(p\d+(?:\.\d+)?)\s+)?(\d[\d,]*(?:\.\d+)?)\s*(files/s|req/s|ms|us|µs|pages)\b"
)


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    args: tuple[str, ...]
    once: bool = False  # its figures do not vary from run to run: the first pair only


@dataclass(frozen=True)
class Side:
    label: str
    root: Path
    python: Path


def benches(args: argparse.Namespace) -> list[Bench]:
    everything = {
        "import": Bench("import", "import_bench.py", ("--count", str(args.count), "--no-serial")),
        "search": Bench("search", "search_bench.py", ("--books", str(args.books))),
        "kosync": Bench("kosync", "kosync_load.py", ("--wrk",)),
        "pages": Bench("pages", "write_pages.py", (), once=True),
    }
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in everything]
    if unknown:
        raise SystemExit(f"No benchmark {', '.join(unknown)}; choose from {', '.join(everything)}.")
    return [everything[name] for name in wanted]


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def base_side(rev: str) -> Side:
    """The base commit's worktree and virtual environment, made once and kept."""
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    tree = CACHE / commit[:12]
    if not (tree / ".git").exists():
        CACHE.mkdir(exist_ok=True)
        git("worktree", "add", "--detach", "--force", str(tree), commit)
    python = tree / ".venv" / "bin" / "python"
    stamp = tree / ".venv" / ".bench-ab-installed"
    if not stamp.exists():
        print(f"Installing {commit[:12]} in {tree}/.venv …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        install = [str(python), "-m", "pip", "install", "--quiet", "-e", f"{tree}[test]"]
        done = subprocess.run(install, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"Could not install {commit[:12]}:\n{done.stderr[-2000:]}")
        stamp.touch()
    return Side(f"base {commit[:12]}", tree, python)


def figures_of(output: str) -> dict[str, float]:
    """The numeric figures of a benchmark's last JSON line (text figures split by unit)."""
    line = next((ln for ln in reversed(output.splitlines()) if ln.startswith("{")), None)
    if line is None:
        return {}
    found: dict[str, float] = {}
    for name, value in json.loads(line).get("figures", {}).items():
        if isinstance(value, int | float):
            found[f"{name} ms"] = float(value)
            continue
        for label, number, unit in MEASURE.findall(str(value)):
            what = f"{label} {unit}" if label else unit
            figure = name if name.endswith(what) else f"{name} {what}"
            found[figure] = float(number.replace(",", ""))
    return found


def run_one(side: Side, bench: Bench) -> dict[str, float] | None:
    command = [str(side.python), str(side.root / "benchmarks" / bench.script), *bench.args]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)  # each side imports its own code
    done = subprocess.run(
        [*command, "--json"], cwd=side.root, env=env, capture_output=True, text=True
    )
    figures = figures_of(done.stdout)
    if done.returncode != 0 or not figures:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        print(f"  {bench.name} on {side.label} failed: " + " | ".join(tail), file=sys.stderr)
        return None
    return figures


def higher_is_better(figure: str) -> bool:
    return figure.endswith("/s")


def table(results: dict[str, dict[str, list[float]]], pairs: dict[str, list[float]]) -> list[str]:
    lines = [f"{'figure':<46}{'base':>12}{'this':>12}{'ratio':>8}  spread      better"]
    for figure in sorted(set(results["base"]) | set(results["this"])):
        base, this = results["base"].get(figure, []), results["this"].get(figure, [])
        b = statistics.median(base) if base else None
        t = statistics.median(this) if this else None
        shown_b = f"{b:,.1f}" if b is not None else "—"
        shown_t = f"{t:,.1f}" if t is not None else "—"
        if not b or t is None:
            lines.append(f"{figure:<46}{shown_b:>12}{shown_t:>12}")
            continue
        ratios = pairs[figure]
        ratio = t / b
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}"
        faster = ratio > 1 if higher_is_better(figure) else ratio < 1
        sure = min(ratios) > 1 or max(ratios) < 1
        verdict = ("this" if faster else "base") if sure else "noise"
        lines.append(f"{figure:<46}{shown_b:>12}{shown_t:>12}{ratio:>8.2f}  {spread:<12}{verdict}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (e.g. main)")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs (3)")
    parser.add_argument("--count", type=int, default=2000, help="EPUBs the import reads (2000)")
    parser.add_argument("--books", type=int, default=50_000, help="library size for search")
    parser.add_argument("--only", default="import,search,kosync,pages", help="benchmarks to run")
    args = parser.parse_args()
    chosen = benches(args)
    sides = [base_side(args.base), Side("this checkout", ROOT, Path(sys.executable))]
    results: dict[str, dict[str, list[float]]] = {
        "base": defaultdict(list),
        "this": defaultdict(list),
    }
    pairs: dict[str, list[float]] = defaultdict(list)
    failed = False
    for pair in range(args.pairs):
        for bench in chosen:
            if bench.once and pair > 0:
                continue
            order = sides if pair % 2 == 0 else sides[::-1]
            got: dict[str, dict[str, float] | None] = {}
            for side in order:
                if not (side.root / "benchmarks" / bench.script).exists():
                    print(f"{bench.name}: {side.label} has no {bench.script}", flush=True)
                    got[side.label] = {}
                    continue
                print(f"pair {pair + 1}/{args.pairs}: {bench.name} on {side.label}", flush=True)
                got[side.label] = run_one(side, bench)
            base, this = got[sides[0].label], got[sides[1].label]
            failed |= base is None or this is None
            for key, figures in (("base", base), ("this", this)):
                for figure, value in (figures or {}).items():
                    results[key][figure].append(value)
            for figure in set(base or {}) & set(this or {}):
                if base and this and base[figure]:
                    pairs[figure].append(this[figure] / base[figure])
    print()
    print(f"{sides[0].label} against this checkout ({git('rev-parse', '--short', 'HEAD')}), "
          f"{args.pairs} interleaved pairs, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("\n".join(table(results, pairs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
