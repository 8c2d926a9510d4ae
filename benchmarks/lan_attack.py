"""The real user's latency and the server's memory while strangers on the Wi-Fi attack it.

A real `bookorbit-desktop serve` process (kosync + OPDS, one account) runs on loopback. For
N = 0, 10, 50 and 200 attackers, a third send wrong catalog passwords (a new connection
each), a third send request heads one byte a second, a third hold idle connections; each
attacker has its own loopback address, and the attackers run in another process at low
priority (on a real network they use their own machines' CPUs). Meanwhile the real user,
already logged in, asks for the health check, its sync position and the catalog's root, one
request at a time. Printed per N: the real user's p50/p99/max, failed answers, the server's
peak resident memory and the attackers' request count.

Then the other channels are attacked one at a time (`channel_attacks`: the highlights
receiver, WebDAV, the device port and UDP discovery, all switched on in the same `serve`),
while four devices push their position over kosync as fast as they are answered. Printed per
attack: the pushes' p50/p99/max (target p99 < 1 s) and failed pushes (target 0), the server's
peak memory, and what the attacker sent and got back.

Then a guesser that moves to a new address every 9 guesses (127.1.x.y; IPv6 privacy
addresses or free IPv4 addresses on a real network) guesses KOReader keys one after another
for `--rotating` seconds, after the real device logged in. Printed: its guesses and addresses,
how many were checked (answered a plain "Unauthorized") and how many refused without a check,
whether the device still logged in, and the guesses the throttle's rule checks in a day at the
guesser's pace (the rule played on an injected clock).

    .venv/bin/python benchmarks/lan_attack.py [--seconds 8] [--levels 0,10,50,200]
        [--channels none,highlights,webdav,device,discovery] [--rotating 40]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import channel_attacks  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.guards.throttle import Admission, LoginThrottle  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402
from tests.factories import add_book  # noqa: E402
from tests.fakes.file_keyring import FILE_ENV  # noqa: E402
from tests.server.hostile.support import (  # noqa: E402
    KEY,
    PASSWORD,
    USER,
    Served,
    basic,
    exchange,
    http_request,
    percentile,
    prepare_library,
    serving,
)

DEVICE_PASSWORD = "bench device"
PUSHERS = 4

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


def _pushes_of(n: int) -> list[bytes]:
    headers = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}
    return [
        http_request(
            "PUT",
            "/kosync/syncs/progress",
            headers,
            json.dumps(
                {
                    "document": f"{n:032x}",
                    "progress": f"/body/DocFragment[{step}]",
                    "percentage": step / 1000,
                    "device": f"Kobo {n}",
                    "device_id": f"{n:032X}",
                }
            ).encode(),
        )
        for step in range(1, 1000)
    ]


async def pushes_during(port: int, seconds: float) -> tuple[list[float], int]:
    """`PUSHERS` devices pushing one position after another for `seconds`: (timings, failed)."""
    timings: list[float] = []
    failed = 0
    until = time.monotonic() + seconds

    async def device(n: int) -> None:
        nonlocal failed
        for raw in _pushes_of(n):
            if time.monotonic() >= until:
                return
            status, _body, elapsed = await exchange(port, raw, timeout=10.0)
            timings.append(elapsed)
            failed += status != 200
            await asyncio.sleep(0.01)

    await asyncio.gather(*(device(n) for n in range(PUSHERS)))
    return timings, failed


class Lines:
    """The serve process's output, read on a thread (a full pipe would stop the server)."""

    def __init__(self, served: Served) -> None:
        self.lines: list[str] = []
        assert served.process.stdout is not None
        self._stdout = served.process.stdout
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._stdout:
            self.lines.append(line)

    def number_after(self, text: str, timeout: float = 20.0) -> int:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            for line in list(self.lines):
                if text in line:
                    return int(line.split(text, 1)[1].split(maxsplit=1)[0].strip(".,)"))
            time.sleep(0.05)
        raise RuntimeError(f"the server never printed {text!r}: {self.lines}")


async def attack_channel(served: Served, ports: dict[str, int], kind: str, seconds: float) -> str:
    tally: multiprocessing.Queue[object] | None = None
    process = None
    if kind != "none":
        spawn = multiprocessing.get_context("spawn")
        tally = spawn.Queue()
        process = spawn.Process(target=channel_attacks.run, args=(kind, ports, seconds + 1, tally))
        process.start()
        assert await asyncio.to_thread(tally.get, True, 300) == "ready"
        await asyncio.sleep(0.5)  # the attack is under way
    peak = served.rss_mb()
    measuring = asyncio.ensure_future(pushes_during(served.port, seconds))
    while not measuring.done():
        peak = max(peak, served.rss_mb())
        await asyncio.sleep(0.2)
    timings, failed = measuring.result()
    sent = answered = out = back = 0
    if process is not None and tally is not None:
        sent, answered, out, back = await asyncio.to_thread(tally.get, True, 120)  # type: ignore[misc]
        process.join(30)
    p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
    return (
        f"{kind:10s} kosync pushes: {len(timings):5d}, p50 {p50:7.1f} ms, p99 {p99:7.1f} ms, "
        f"max {max(timings) * 1000:7.1f} ms, failed {failed}  |  server RSS peak {peak:5.0f} MB"
        f"  |  attacker sent {sent} ({out / 1e6:.1f} MB), {answered} answered, "
        f"got back {back / 1e3:.1f} kB"
    )


def _device_password(data_dir: Path, keyring_file: Path) -> None:
    os.environ.update(
        {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            FILE_ENV: str(keyring_file),
            "PYTHONPATH": str(ROOT),  # the serve process runs this tree and its test keyring
        }
    )
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir)]
    subprocess.run(
        [*command, "device", "set-password", "--password-stdin"],
        input=DEVICE_PASSWORD,
        text=True,
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def every_channel() -> Iterator[tuple[Served, dict[str, int]]]:
    """A fresh library and a `serve` with every channel on: the server and each channel's port."""
    with tempfile.TemporaryDirectory(prefix="lan-attack-") as folder:
        data_dir = prepare_library(Path(folder) / "data")
        open_database(resolve_paths(data_dir).db_file)
        add_book(channel_attacks.TITLE, [channel_attacks.AUTHOR])
        close_database()
        _device_password(data_dir, Path(folder) / "keyring.json")
        options = ("--highlights-port", "0", "--calibre-port", "0")
        with serving(data_dir, opds=True, extra_args=options) as served:
            lines = Lines(served)
            yield (
                served,
                {
                    "http": served.port,
                    "highlights": lines.number_after("Highlights receiver on port "),
                    "device": lines.number_after("(Calibre > Connect) on port "),
                    "discovery": lines.number_after("search (UDP "),
                },
            )


async def run_channels(kinds: list[str], seconds: float) -> None:
    """Each attack on a fresh library and `serve`, so none pays for the one before."""
    for kind in kinds:
        with every_channel() as (served, ports):
            await exchange(served.port, _pushes_of(PUSHERS)[0])  # the devices logged in
            print(await attack_channel(served, ports, kind, seconds), flush=True)


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


CHECKED = b'{"code":2001,"message":"Unauthorized"}'  # a key that was checked and wrong
PER_ADDRESS = 9


def rotating_address(guess: int) -> str:
    address = guess // PER_ADDRESS
    return f"127.1.{address // 250}.{1 + address % 250}"


def checks_a_day(per_second: float) -> int:
    """How many of a day's guesses at `per_second`, a new address every 9, the rule checks."""
    now = 0.0
    throttle = LoginThrottle(lambda: now)
    checks = 0
    for guess in range(int(86400 * per_second)):
        now = guess / per_second
        if throttle.admit(rotating_address(guess)) is Admission.CHECK:
            throttle.checked(rotating_address(guess), False)
            checks += 1
    return checks


async def run_rotating(seconds: float) -> None:
    device = http_request("GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": KEY})
    with (
        tempfile.TemporaryDirectory(prefix="lan-attack-") as folder,
        serving(prepare_library(Path(folder) / "data")) as served,
    ):
        port = served.port
        await exchange(port, device)  # the real device logged in before
        guesses = checked = 0
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            guess = {"x-auth-user": USER, "x-auth-key": f"{guesses:032x}"}
            raw = http_request("GET", "/kosync/users/auth", guess)
            _status, body, _elapsed = await exchange(port, raw, source=rotating_address(guesses))
            checked += body == CHECKED
            guesses += 1
        still = (await exchange(port, device))[0]
    addresses = (guesses + PER_ADDRESS - 1) // PER_ADDRESS
    pace = guesses / seconds
    print(
        f"rotating guesser, {seconds:.0f} s: {guesses} guesses from {addresses} addresses, "
        f"{checked} checked, {guesses - checked} refused unchecked; the device after it: {still}"
        f"  |  checked in a day at {pace:.1f} guesses/s: {checks_a_day(pace):,}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--levels", default="0,10,50,200", help="'' for none")
    parser.add_argument("--channels", default="none," + ",".join(channel_attacks.KINDS))
    parser.add_argument("--rotating", type=float, default=40.0, help="seconds; 0 for none")
    args = parser.parse_args()
    if args.levels:
        asyncio.run(run([int(n) for n in args.levels.split(",")], args.seconds))
    if args.channels:
        asyncio.run(run_channels(args.channels.split(","), args.seconds))
    if args.rotating:
        asyncio.run(run_rotating(args.rotating))


if __name__ == "__main__":
    main()
