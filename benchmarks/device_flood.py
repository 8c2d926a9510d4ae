"""kosync pushes while the device port and UDP discovery are flooded at the same time.

    .venv/bin/python benchmarks/device_flood.py [--seconds 8]

A real `serve` (kosync, OPDS, the highlights receiver, the device port and its discovery, all
on loopback) on a fresh library, as `lan_attack.py` starts it. Two attacker processes run at
once, each at low priority (`channel_attacks`): `device` (forty silent connections to the
device port while others send deeply nested frames) and `discovery` (KOReader's `hello` from
four addresses as fast as they can be sent). Meanwhile four devices push their position over
kosync one after another. Printed, without and then with the floods: the pushes' p50/p99/max
(target p99 < 1 s) and failures (target 0), the server's peak memory, and for the discovery
flood the bytes sent and received back (how much the responder could be used to amplify).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import channel_attacks  # noqa: E402
from benchmarks.lan_attack import (  # noqa: E402
    PUSHERS,
    _pushes_of,
    every_channel,
    pushes_during,
)
from tests.server.hostile.support import (  # noqa: E402
    Served,
    exchange,
    percentile,
)

FLOODS = ("device", "discovery")


async def _measure(
    served: Served, ports: dict[str, int], kinds: tuple[str, ...], seconds: float
) -> str:
    spawn = multiprocessing.get_context("spawn")
    queues = {kind: spawn.Queue() for kind in kinds}
    processes = [
        spawn.Process(target=channel_attacks.run, args=(kind, ports, seconds + 1, queues[kind]))
        for kind in kinds
    ]
    for process in processes:
        process.start()
    for queue in queues.values():
        assert await asyncio.to_thread(queue.get, True, 300) == "ready"
    if kinds:
        await asyncio.sleep(0.5)  # the floods are under way
    peak = served.rss_mb()
    measuring = asyncio.ensure_future(pushes_during(served.port, seconds))
    while not measuring.done():
        peak = max(peak, served.rss_mb())
        await asyncio.sleep(0.2)
    timings, failed = measuring.result()
    tallies = {
        kind: await asyncio.to_thread(queue.get, True, 120) for kind, queue in queues.items()
    }
    for process in processes:
        process.join(30)
    p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
    line = (
        f"{'+'.join(kinds) or 'none':17s} kosync pushes: {len(timings):5d}, p50 {p50:6.1f} ms, "
        f"p99 {p99:6.1f} ms, max {max(timings) * 1000:6.1f} ms, failed {failed}  |  "
        f"server RSS peak {peak:4.0f} MB"
    )
    if "device" in tallies:
        sent, _answered, out, _back = tallies["device"]
        line += f"  |  device port: {sent} frames, {out / 1e6:.1f} MB"
    if "discovery" in tallies:
        sent, _answered, out, back = tallies["discovery"]
        line += (
            f"  |  discovery: {sent} queries ({out} B), {back} B back ({back / max(out, 1):.4f}x)"
        )
    return line


async def run(seconds: float) -> None:
    for kinds in ((), FLOODS):
        with every_channel() as (served, ports):
            await exchange(served.port, _pushes_of(PUSHERS)[0])  # the devices logged in
            print(await _measure(served, ports, kinds, seconds), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    asyncio.run(run(parser.parse_args().seconds))


if __name__ == "__main__":
    main()
