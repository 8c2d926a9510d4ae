"""The real user's latency and the server's memory while strangers on the Wi-Fi attack it.

A real `bookorbit-desktop serve` process (kosync + OPDS, one account) runs on loopback. For
N = 0, 10, 50 and 200 attackers, a third send wrong catalog passwords (a new connection
each), a third send request heads one byte a second, a third hold idle connections; each
attacker has its own loopback address, and the attackers run in another process at low
priority (on a real network they use their own machines' CPUs). Meanwhile the real user,
already logged in, asks for the health check, its sync position and the catalog's root, one
request at a time. Printed per N: the real user's p50/p99/max, failed answers, the server's
peak resident memory and the attackers' request count.

    .venv/bin/python benchmarks/lan_attack.py [--seconds 8] [--levels 0,10,50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server.hostile.support import (  # noqa: E402
    KEY,
    PASSWORD,
    USER,
    basic,
    exchange,
    http_request,
    percentile,
    prepare_library,
    serving,
)

KINDS = ("password", "slow", "idle")
FLOOD = (sys.executable, "-m", "tests.server.hostile.flood")


def start_attackers(port: int, attackers: int, seconds: float) -> list[subprocess.Popen[str]]:
    processes = []
    for index, kind in enumerate(KINDS):
        count = attackers // len(KINDS) + (1 if index < attackers % len(KINDS) else 0)
        if count == 0:
            continue
        processes.append(
            subprocess.Popen(
                [*FLOOD, str(port), kind, str(count), str(seconds)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=lambda: os.nice(15),
            )
        )
    return processes


async def measure(served, attackers: int, seconds: float) -> str:
    port = served.port
    requests = [
        http_request("GET", "/kosync/healthcheck"),
        http_request(
            "GET", "/kosync/syncs/progress/0123", {"x-auth-user": USER, "x-auth-key": KEY}
        ),
        http_request("GET", "/opds", {"Authorization": basic(USER, PASSWORD)}),
    ]
    processes = start_attackers(port, attackers, seconds + 1.0)
    await asyncio.sleep(1.0)
    timings: list[float] = []
    failed = 0
    peak = served.rss_mb()
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        for raw in requests:
            status, _body, elapsed = await exchange(port, raw, timeout=5.0)
            timings.append(elapsed)
            failed += status != 200
        peak = max(peak, served.rss_mb())
        await asyncio.sleep(0.02)
    sent = 0
    for process in processes:
        out, _ = process.communicate(timeout=60)
        sent += int(out.split()[1]) if out.startswith("sent") else 0
    p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
    return (
        f"N={attackers:4d}  real user: {len(timings):4d} requests, p50 "
        f"{p50:6.1f} ms, p99 {p99:6.1f} ms, "
        f"max {max(timings) * 1000:6.1f} ms, failed {failed}  |  server RSS peak {peak:5.0f} MB  "
        f"|  attacker connections/requests {sent}"
    )


async def run(levels: list[int], seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="lan-attack-") as folder:
        data_dir = prepare_library(Path(folder) / "data")
        with serving(data_dir, opds=True) as served:
            for raw in (
                http_request("GET", "/opds", {"Authorization": basic(USER, PASSWORD)}),
                http_request("GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": KEY}),
            ):
                await exchange(served.port, raw)  # the real devices are logged in
            print(f"server RSS at rest {served.rss_mb():.0f} MB; load average {os.getloadavg()}")
            for attackers in levels:
                print(await measure(served, attackers, seconds), flush=True)
                await asyncio.sleep(9.0)  # idle and slow connections of this round time out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--levels", default="0,10,50,200")
    args = parser.parse_args()
    asyncio.run(run([int(n) for n in args.levels.split(",")], args.seconds))


if __name__ == "__main__":
    main()
