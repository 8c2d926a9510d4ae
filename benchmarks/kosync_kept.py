"""The kosync server kept running under wrk: figures per window of load, the first to the last.

One `bookorbit-desktop serve` process (pinned to one core, wrk on the others) serves a library
of N books (`kosync_load.build_library`) through W back-to-back windows of the same load as
`kosync_load.py --wrk` (16 connections, PUT then GET). Every push adds to the library, so a
cost that grows with the pushes stored (a statement that reads a document's whole history, a
cache the cycle collector rescans, a longer copy of the write-ahead log) shows as figures
that drift from the first windows to the last; a fresh server per run never sees it. Each
window prints requests/s, p50/p99/p99.9, the server's CPU per request (less shaken by other
programs on the core than the latency) and the library's size; at the end every answered push
must be stored (the server is killed with SIGKILL first).

    .venv/bin/python benchmarks/kosync_kept.py [--books 10000] [--windows 12] [--seconds 10]
        [--warmup 3]

Goal: p99 and CPU per request as flat over the windows as the machine's noise allows.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import kosync_load as load
from bookorbit_desktop.config import resolve_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--windows", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of the same load before window 1"
    )
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    server_cpu = cores[0] if len(cores) >= 2 else None
    with tempfile.TemporaryDirectory(prefix="kosync-kept-") as folder:
        data_dir = Path(folder) / "data"
        documents = load.build_library(data_dir, args.books)
        db_file = resolve_paths(data_dir).db_file
        process, port = load.start_serve(data_dir, cpu=server_cpu)
        if server_cpu is not None:
            os.sched_setaffinity(0, set(cores[1:]))
        pushes = 0
        p99s: list[float] = []
        try:
            if args.warmup > 0:  # the server's first seconds after start are not a window
                with contextlib.redirect_stdout(io.StringIO()):
                    pushes += load.run_wrk(port, documents, args.clients, args.warmup).answered_puts
            for window in range(args.windows):
                before = load.server_cpu_seconds(process.pid)
                with contextlib.redirect_stdout(io.StringIO()):
                    run = load.run_wrk(port, documents, args.clients, args.seconds)
                spent = load.server_cpu_seconds(process.pid) - before
                pushes += run.answered_puts
                p99s.append(run.latency_ms.get("99", 0.0))
                latency = run.latency_ms
                print(
                    f"window {window + 1:2}: {run.rate:6.0f} requests/s  p50 {latency['50']:5.2f}"
                    f"  p99 {latency['99']:6.2f}  p99.9 {latency['99.9']:6.2f} ms  CPU"
                    f" {spent / max(run.requests, 1) * 1e6:4.0f} us/request  library"
                    f" {db_file.stat().st_size / 1e6:5.1f} MB, {pushes} pushes",
                    flush=True,
                )
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        half = len(p99s) // 2
        if half:
            first, last = statistics.median(p99s[:half]), statistics.median(p99s[half:])
            print(f"p99 median: first half {first:.2f} ms, second half {last:.2f} ms")
        load.check_stored(data_dir, pushes)


if __name__ == "__main__":
    main()
