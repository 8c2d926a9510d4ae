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
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import channel_attacks  # noqa: E402
from benchmarks.lan_attack import (  # noqa: E402
    PUSHERS,
    Lines,
    _device_password,
    _pushes_of,
    pushes_during,
)
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.server.hostile.support import (  # noqa: E402
    Served,
    exchange,
    percentile,
    prepare_library,
    serving,
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
        with tempfile.TemporaryDirectory(prefix="device-flood-") as folder:
            data_dir = prepare_library(Path(folder) / "data")
            open_database(resolve_paths(data_dir).db_file)
            add_book(channel_attacks.TITLE, [channel_attacks.AUTHOR])
            close_database()
            _device_password(data_dir, Path(folder) / "keyring.json")
            options = ("--highlights-port", "0", "--calibre-port", "0")
            with serving(data_dir, opds=True, extra_args=options) as served:
                lines = Lines(served)
                ports = {
                    "http": served.port,
                    "highlights": lines.number_after("Highlights receiver on port "),
                    "device": lines.number_after("(Calibre > Connect) on port "),
                    "discovery": lines.number_after("search (UDP "),
                }
                await exchange(served.port, _pushes_of(PUSHERS)[0])  # the devices logged in
                print(await _measure(served, ports, kinds, seconds), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    asyncio.run(run(parser.parse_args().seconds))


if __name__ == "__main__":
    main()
