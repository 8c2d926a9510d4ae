"""Strangers guessing passwords cannot stall the server, guess fast, or grow its memory.

Each test runs a real `bookorbit-desktop serve` process on loopback; attackers come from
other loopback addresses (and, where they must not disturb the measurement, another process).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bookorbit_desktop.guards.login_rules import EVERYONE
from bookorbit_desktop.guards.throttle import LOGINS
from tests.server.hostile.support import (
    KEY,
    LINUX_LOOPBACK,
    PASSWORD,
    USER,
    attacker,
    basic,
    exchange,
    http_request,
    percentile,
    prepare_library,
    serving,
    summary,
)

pytestmark = LINUX_LOOPBACK

KOSYNC_AUTH = {"x-auth-user": USER, "x-auth-key": KEY}
UNAUTHORIZED = b'{"code":2001,"message":"Unauthorized"}'  # a key that was checked and wrong


def start_flood(port: int, kind: str, clients: int, seconds: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.server.hostile.flood"]
    # Attackers on a real network use their own CPUs, not the server's: here they yield.
    return subprocess.Popen(
        [*command, str(port), kind, str(clients), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.nice(15),
    )


async def test_a_password_flood_does_not_hold_up_the_real_user(tmp_path):
    with serving(prepare_library(tmp_path / "data"), opds=True) as served:
        port = served.port
        catalog = http_request("GET", "/opds", {"Authorization": basic(USER, PASSWORD)})
        pull = http_request("GET", "/kosync/syncs/progress/0123", KOSYNC_AUTH)
        health = http_request("GET", "/kosync/healthcheck")
        for raw in (catalog, pull):  # the real devices logged in before the attack
            assert (await exchange(port, raw))[0] == 200
        flood = start_flood(port, "password", 50, 6.0)
        await asyncio.sleep(1.0)  # the flood is under way
        timings: list[float] = []
        statuses = []
        for _ in range(40):
            for raw in (health, catalog, pull):
                status, _body, seconds = await exchange(port, raw, timeout=5.0)
                statuses.append(status)
                timings.append(seconds)
            await asyncio.sleep(0.05)
        out, _ = flood.communicate(timeout=30)
        sent = int(out.split()[1])
        log = served.log()
    assert sent > 200, out  # the attack really ran
    assert set(statuses) == {200}, statuses
    assert max(timings) < 2.0, summary(timings)  # KOReader's budget
    assert percentile(timings, 0.99) < 0.2, summary(timings)
    checks = log.count("wrong user name or password")
    assert checks <= LOGINS.global_burst + LOGINS.global_rate * 8, checks  # the global cap


async def test_one_address_gets_its_burst_of_failed_checks_however_many_connections(tmp_path):
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        source = attacker(7)

        async def guess(n: int) -> int:
            raw = http_request(
                "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": f"{n:032x}"}
            )
            return (await exchange(port, raw, source=source))[0]

        statuses = []
        for round_number in range(3):  # 3 seconds of 15 parallel connections
            statuses += await asyncio.gather(*(guess(round_number * 15 + n) for n in range(15)))
            await asyncio.sleep(1.0)
        # The right key, now: refused before it is checked (the budget is spent and nothing
        # remembers the key: no check of it ever succeeded) ...
        right = http_request("GET", "/kosync/users/auth", KOSYNC_AUTH)
        for _ in range(LOGINS.failures + 1):
            await exchange(
                port,
                http_request(
                    "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": "0" * 32}
                ),
                source=source,
            )
        assert (await exchange(port, right, source=source))[0] == 401
        # ... while another address logs in at once.
        assert (await exchange(port, right, source=attacker(8)))[0] == 200
        log = served.log()
    assert set(statuses) == {401}
    # One line for the address in its first minute; the rest wait for the minute's summary.
    assert log.count(f"from {source}") == 1, log


async def test_a_guessing_address_gets_few_answers_and_the_device_is_unaffected(tmp_path):
    """The real device logged in once; a guesser on another address, on 8 connections, then
    gets at most 5 answers a second and the device is unaffected. The right key from the
    guessing address is refused (the address is blocked), though the device's login is
    remembered: a guesser must not learn that it found the key."""
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        right = http_request("GET", "/kosync/users/auth", KOSYNC_AUTH)
        assert (await exchange(port, right))[0] == 200  # the device, before the attack
        source = attacker(9)
        answered: list[float] = []

        async def guesser(n: int, until: float) -> None:
            while (now := asyncio.get_running_loop().time()) < until:
                raw = http_request(
                    "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": f"{n:032x}"}
                )
                status, _body, _seconds = await exchange(port, raw, source=source, timeout=8)
                if status:
                    answered.append(now)
                n += 1000

        until = asyncio.get_running_loop().time() + 4.0
        guessers = asyncio.gather(*(guesser(n, until) for n in range(8)))
        await asyncio.sleep(1.0)
        device = [await exchange(port, right) for _ in range(20)]
        with_right_key = (await exchange(port, right, source=source, timeout=8))[0]
        await guessers
        log = served.log()
    start = min(answered)
    late = [when for when in answered if when >= start + 1.0]  # after the first failures
    rate = len(late) / (max(late) - start - 1.0 + 0.2)
    assert rate <= 5.0, (len(answered), rate)
    assert with_right_key == 401
    assert {status for status, _body, _seconds in device} == {200}
    assert max(seconds for _status, _body, seconds in device) < 0.5
    assert log.count(f"from {source}") <= 2, log  # one line a minute, not one per guess


async def test_abandoned_failed_logins_with_huge_heads_keep_memory_bounded(tmp_path):
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        before = served.rss_mb()
        flood = start_flood(port, "headers", 40, 6.0)  # ~250 KiB heads, abandoned at once
        huge = http_request("GET", "/kosync/users/auth", {"X-Big": "b" * 1_400_000})
        for n in range(20):  # 1.4 MB heads are refused by the parser
            await exchange(port, huge, source=attacker(100 + n), timeout=5.0)
        peak = before
        while flood.poll() is None:
            peak = max(peak, served.rss_mb())
            await asyncio.sleep(0.2)
        out, _ = flood.communicate(timeout=30)
        await asyncio.sleep(1.0)
        after = served.rss_mb()
        status, _body, seconds = await exchange(port, http_request("GET", "/kosync/healthcheck"))
    assert int(out.split()[1]) >= 400, out
    assert status == 200 and seconds < 2.0
    assert peak < 150, (before, peak, after)
    assert after < before + 40, (before, peak, after)


async def test_a_thousand_refused_logins_log_one_line_per_address(tmp_path):
    """The log budget: 1,000 refused logins from 100 addresses leave about 100 lines, not
    1,000 (one per address a minute; the rest are summed up when the minute ends)."""
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        before = served.log().count("\n")

        async def guesses(n: int) -> list[int]:
            statuses = []
            for m in range(10):
                raw = http_request(
                    "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": f"{m:032x}"}
                )
                statuses.append((await exchange(port, raw, source=attacker(n), timeout=20))[0])
            return statuses

        results = await asyncio.gather(*(guesses(n) for n in range(100)))
        await asyncio.sleep(0.5)
        added = served.log().count("\n") - before
    assert {status for statuses in results for status in statuses} <= {401, 502}
    assert sum(len(statuses) for statuses in results) == 1000
    assert added <= 100 + 5, added


async def test_a_guesser_moving_through_many_addresses_is_shut_out_and_the_device_is_not(
    tmp_path,
):
    """A guesser that takes a new address every 9 guesses, across many /24s, never fills one
    address's budget; the budget of all addresses together stops it after about 30 checks.
    The device that logged in before still gets in, typos and all; an address that never
    logged in is refused without a check, even with the right key, and told why."""
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        right = http_request("GET", "/kosync/users/auth", KOSYNC_AUTH)
        assert (await exchange(port, right))[0] == 200  # the device, before the attack
        answers: list[tuple[int, bytes]] = []
        until = asyncio.get_running_loop().time() + 10.0

        async def guesser(lane: int) -> None:
            guess = 0
            while asyncio.get_running_loop().time() < until:
                source = (
                    f"127.{10 + lane}.{guess // 9 % 250}.{1 + guess // 2250}"  # a new /24 every 9
                )
                raw = http_request(
                    "GET",
                    "/kosync/users/auth",
                    {"x-auth-user": USER, "x-auth-key": f"{lane:04x}{guess:028x}"},
                )
                status, body, _seconds = await exchange(port, raw, source=source)
                answers.append((status, body))
                guess += 1

        await asyncio.gather(*(guesser(lane) for lane in range(5)))  # 10 s on 5 connections
        typo = http_request(
            "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": "f" * 32}
        )
        device = [(await exchange(port, raw))[0] for raw in (typo, typo, right)]
        stranger = await exchange(port, right, source="127.99.0.1")
        log = served.log()
    checked = [body for _status, body in answers if body == UNAUTHORIZED]
    shut_out = [body for _status, body in answers if b"only devices that logged in" in body]
    busy = [body for status, body in answers if status == 502]  # "try again", unchecked
    assert len(answers) >= 200 and len(checked) + len(shut_out) + len(busy) == len(answers)
    assert len(checked) <= EVERYONE.failures + 5, len(checked)  # a few under way at the block
    assert len(shut_out) >= 100, (len(checked), len(shut_out), len(busy))
    assert device == [401, 401, 200]  # a typo (its repeat not counted), then the right key
    assert stranger[0] == 401 and b"only devices that logged in before" in stranger[1]
    assert "Someone is guessing the sync password from" in log
