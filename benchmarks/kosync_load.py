"""Load on the KOReader sync server: C clients doing PUT then GET for T seconds over loopback.

A library of N books (default 10,000, each with a file, its content alias and a reading
state) is written straight into a fresh data folder. The real `bookorbit-desktop serve`
process serves it, pinned to one CPU core when the system allows it (the clients run on the
others). Each client pushes a position for a random library book, then pulls it back. The
script prints requests per second and the p50/p99 latency of PUT and GET separately.

    .venv/bin/python benchmarks/kosync_load.py [--books 10000] [--clients 16] [--seconds 10]
        [--new-connections] [--wrk [--warmup 3] [--json]]

Target: p99 < 25 ms and >= 1,500 requests/s with the server on one core. A Python client
saturates before the server does, so `--wrk` drives the same load with `wrk` (the Debian
package; `make bench` installs it when run as root): 16 connections, PUT and GET alternating
over the library's documents; it prints p50, p99 and p99.9. Target there: >= 4,400
requests/s and p99 <= 10 ms, with every answered push stored: the server is killed with SIGKILL
when wrk is done, then the library is counted. It also prints the server's CPU time, a figure
less shaken by other programs on the same core than requests per second, and how much of it
the event loop spent (HTTP, the handlers, the hand-over to the writer) and how much the other
threads (the writer's SQL and its commits, the log copying): a change that costs a push more
shows on one side or the other. With `--json` the last line is the scale table's row (`make
bench-scale`): the wrk rate and p99 at --books, and the CPU figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from bookorbit_desktop.library.store.models import database  # noqa: E402
from bookorbit_desktop.server.accounts import key_for_password, set_account  # noqa: E402
from tests.server.serve_process import start_serve  # noqa: E402

USER, PASSWORD = "bench", "bench"
# The scale table's row: the server answers from indexed rows, so its rate and p99 should not
# move with the library's size.
FIGURE = "kosync PUT+GET, wrk"
GOAL = "as with 10,000 books (flat with size)"
CPU_FIGURE = "kosync server CPU per request"
CPU_GOAL = "below the reference server's"
THREADS_FIGURE = "kosync CPU per request off the event loop"
THREADS_GOAL = "no more than before (the writer's SQL)"
HEADERS = {
    "x-auth-user": USER,
    "x-auth-key": key_for_password(PASSWORD),
    "Accept": "application/vnd.koreader.v1+json",
}


def build_library(data_dir: Path, books: int) -> list[str]:
    """Insert `books` books with one file, alias and reading state each; return the aliases."""
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    now = time.time()
    documents = [hashlib.md5(f"book-{n}".encode()).hexdigest() for n in range(books)]
    with database.atomic():
        database.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (1, 'Ann', 'Ann')")
        database.connection().executemany(
            "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at)"
            " VALUES (?, ?, ?, '{}', ?, ?)",
            [(n + 1, f"Book {n}", f"book {n}", now, now) for n in range(books)],
        )
        database.connection().executemany(
            "INSERT INTO book_author (book_id, author_id, position, role) VALUES (?, 1, 0, 'aut')",
            [(n + 1,) for n in range(books)],
        )
        database.connection().executemany(
            "INSERT INTO book_file (id, book_id, path, format, size, mtime, partial_md5, missing,"
            " added_at) VALUES (?, ?, ?, 'epub', 1000, ?, ?, 0, ?)",
            [(n + 1, n + 1, f"/books/{n}.epub", now, documents[n], now) for n in range(books)],
        )
        database.connection().executemany(
            "INSERT INTO document_alias (document, kind, book_id, book_file_id, created_at)"
            " VALUES (?, 'content', ?, ?, ?)",
            [(documents[n], n + 1, n + 1, now) for n in range(books)],
        )
        database.connection().executemany(
            "INSERT INTO reading_state (book_id, status, progress, updated_at)"
            " VALUES (?, 'unread', 0, ?)",
            [(n + 1, now) for n in range(books)],
        )
    set_account(USER, key_for_password(PASSWORD))
    close_database()
    return documents


async def client(
    base: str,
    documents: list[str],
    until: float,
    put: list[float],
    get: list[float],
    seed: int,
    close: bool = False,
) -> None:
    rng = random.Random(seed)
    # close=True opens a connection per request, as KOReader does ("Connection: close").
    connector = aiohttp.TCPConnector(limit=1, force_close=close)
    async with aiohttp.ClientSession(connector=connector, headers=HEADERS) as session:
        step = 0
        while time.perf_counter() < until:
            document = rng.choice(documents)
            step += 1
            body = {
                "document": document,
                "progress": f"/body/DocFragment[{step % 40}]/body/p[{step}]/text().{step % 97}",
                "percentage": round(rng.random() * 0.99, 4),
                "device": "Kobo_clara",
                "device_id": f"BENCH{seed:04d}",
            }
            started = time.perf_counter()
            async with session.put(f"{base}/syncs/progress", json=body) as response:
                await response.read()
                assert response.status == 200, response.status
            middle = time.perf_counter()
            async with session.get(f"{base}/syncs/progress/{document}") as response:
                await response.read()
                assert response.status == 200, response.status
            finished = time.perf_counter()
            put.append(middle - started)
            get.append(finished - middle)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def run_load(
    port: int, documents: list[str], clients: int, seconds: float, close: bool = False
) -> int:
    base = f"http://127.0.0.1:{port}/kosync"
    warm_put: list[float] = []
    await client(base, documents, time.perf_counter() + 0.5, warm_put, [], 9999)  # warm-up
    put: list[float] = []
    get: list[float] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(client(base, documents, until, put, get, n, close) for n in range(clients))
    )
    elapsed = time.perf_counter() - started
    total = len(put) + len(get)
    mode = "a new connection per request" if close else "keep-alive connections"
    print(f"clients {clients}, {elapsed:.1f} s, {len(documents)} books, {mode}")
    print(f"total  {total / elapsed:8.0f} requests/s  ({total} requests)")
    for name, values in (("PUT", put), ("GET", get)):
        rate = len(values) / elapsed
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        mean = statistics.fmean(values) * 1000
        print(f"{name:5}  {rate:8.0f} requests/s  p50 {p50:6.2f} ms", end="")
        print(f"  p99 {p99:6.2f} ms  mean {mean:6.2f} ms")
    return len(put) + len(warm_put)


def check_stored(data_dir: Path, pushes: int) -> None:
    """Every answered push is in the library and moved its book's reading state."""
    open_database(resolve_paths(data_dir).db_file)
    stored = database.execute_sql("SELECT COUNT(*) FROM progress_event").fetchone()[0]
    reading = database.execute_sql(
        "SELECT COUNT(*) FROM reading_state WHERE status != 'unread'"
    ).fetchone()[0]
    close_database()
    print(f"stored {stored} pushes for {pushes} answered; {reading} books now being read")
    if stored < pushes:
        raise SystemExit("some answered pushes are missing")


WRK_SCRIPT = """
local documents = {%(documents)s}
local headers = {
  ["x-auth-user"] = "%(user)s", ["x-auth-key"] = "%(key)s",
  ["Accept"] = "application/vnd.koreader.v1+json", ["Content-Type"] = "application/json",
}
local threads = {}
step, put_ok = 0, 0  -- globals: done() reads put_ok from each thread

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  step = math.random(1, #documents)
end

function request()
  step = step + 1
  local document = documents[(math.floor(step / 2) %% #documents) + 1]
  if step %% 2 == 0 then
    local body = string.format(
      '{"document":"%%s","progress":"/body/p[%%d]","percentage":%%.4f,'
      .. '"device":"wrk","device_id":"WRK"}', document, step, (step %% 990) / 1000)
    return wrk.format("PUT", "/kosync/syncs/progress", headers, body)
  end
  return wrk.format("GET", "/kosync/syncs/progress/" .. document, headers)
end

function response(status, headers, body)
  -- A push is answered {"document":...,"timestamp":...}; a pull also carries "percentage"
  -- (or is {} for a document never pushed).
  if status == 200 and body:find('"timestamp"', 1, true)
      and not body:find('"percentage"', 1, true) then
    put_ok = put_ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("put_ok") end
  io.write(string.format("answered_puts %%d\\n", total))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency_p%%g %%d us\\n", p, latency:percentile(p)))
  end
end
"""


@dataclass(frozen=True)
class WrkRun:
    answered_puts: int  # pushes answered 200 with a timestamp
    requests: int
    rate: float  # requests per second
    latency_ms: dict[str, float]  # "50", "90", "99", "99.9"


def run_wrk(port: int, documents: list[str], clients: int, seconds: float) -> WrkRun:
    """Drive the server with wrk and print its figures."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or run `make bench` as root)")
    script = WRK_SCRIPT % {
        "documents": ",".join(f'"{document}"' for document in documents),
        "user": USER,
        "key": key_for_password(PASSWORD),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [wrk, "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", handle.name]
        result = subprocess.run(
            [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True
        )
    finally:
        os.unlink(handle.name)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed: {result.stdout}{result.stderr}")
    output = result.stdout
    print(output.rstrip())
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    # The script's own percentiles, in microseconds: wrk's table stops at p99.
    latency = {m[1]: int(m[2]) / 1000 for m in re.finditer(r"latency_p([0-9.]+) (\d+) us", output)}
    if rate and latency:
        shown = ", ".join(f"p{name} {latency[name]:.2f} ms" for name in ("50", "99", "99.9"))
        print(f"wrk: {float(rate.group(1)):.0f} requests/s, {shown}")
    answered = re.search(r"answered_puts (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return WrkRun(
        answered_puts=int(answered.group(1)) if answered else 0,
        requests=int(requests.group(1)) if requests else 0,
        rate=float(rate.group(1)) if rate else 0.0,
        latency_ms=latency,
    )


def server_cpu_seconds(pid: int, thread: int | None = None) -> float:
    """CPU time (user + system) the process, or one of its threads, used so far; 0 where /proc
    is missing. The main thread (the event loop's) has the process's id."""
    stat = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    try:
        fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--new-connections", action="store_true", help="one connection per request, like KOReader"
    )
    parser.add_argument("--wrk", action="store_true", help="drive the load with wrk")
    parser.add_argument(
        "--json", action="store_true", help="with --wrk: end with the scale table's JSON line"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="seconds of wrk load before the measured run (the server's first seconds after "
        "start are not its steady state); its pushes are counted in the stored check too",
    )
    args = parser.parse_args()
    if args.json and not args.wrk:
        parser.error("--json goes with --wrk")
    measured: WrkRun | None = None
    cpu_per_request = threads_per_request = 0.0

    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    server_cpu = cores[0] if len(cores) >= 2 else None
    with tempfile.TemporaryDirectory(prefix="kosync-load-") as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        documents = build_library(data_dir, args.books)
        print(f"library of {args.books} books written in {time.perf_counter() - started:.1f} s")
        process, port = start_serve(data_dir, cpu=server_cpu)
        if server_cpu is not None:
            os.sched_setaffinity(0, set(cores[1:]))
            print(f"server pinned to CPU {server_cpu}, clients on CPU {cores[1:]}")
        else:
            print("one CPU only: server and clients share it")
        try:
            warm = 0
            if args.wrk and args.warmup > 0:
                print(f"warm-up: {args.warmup:.0f} s of the same load, not measured")
                with contextlib.redirect_stdout(io.StringIO()):
                    warm = run_wrk(port, documents, args.clients, args.warmup).answered_puts
            cpu_before = server_cpu_seconds(process.pid)
            loop_before = server_cpu_seconds(process.pid, process.pid)
            if args.wrk:
                measured = run_wrk(port, documents, args.clients, args.seconds)
                pushes = measured.answered_puts + warm
                spent = server_cpu_seconds(process.pid) - cpu_before
                loop = server_cpu_seconds(process.pid, process.pid) - loop_before
                print(f"server CPU {spent:.2f} s for {args.seconds:.0f} s of load", end="")
                cpu_per_request = spent / max(measured.requests, 1) * 1e6
                threads_per_request = (spent - loop) / max(measured.requests, 1) * 1e6
                print(
                    f", {cpu_per_request:.0f} us per request: "
                    f"{cpu_per_request - threads_per_request:.0f} on the event loop, "
                    f"{threads_per_request:.0f} in the other threads"
                )
            else:
                pushes = asyncio.run(
                    run_load(port, documents, args.clients, args.seconds, args.new_connections)
                )
        finally:
            # Killed, not stopped: every push wrk saw answered must already be committed.
            process.send_signal(signal.SIGKILL if args.wrk else signal.SIGTERM)
            process.wait(timeout=30)
        check_stored(data_dir, pushes)
    if args.json and measured is not None:  # the last line, for benchmarks/scale_table.py
        figure = f"{measured.rate:,.0f} req/s, p99 {measured.latency_ms.get('99', 0):.1f} ms"
        figures = {
            FIGURE: figure,
            CPU_FIGURE: f"{cpu_per_request:.0f} us",
            THREADS_FIGURE: f"{threads_per_request:.0f} us",
        }
        goals = {FIGURE: GOAL, CPU_FIGURE: CPU_GOAL, THREADS_FIGURE: THREADS_GOAL}
        print(json.dumps({"figures": figures, "goals": goals}))


if __name__ == "__main__":
    main()
