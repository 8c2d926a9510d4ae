"""One hostile suite, run alike against every channel a stranger on the Wi-Fi can reach:
kosync, the OPDS catalog, WebDAV, the highlights receiver, calibre's device port and its UDP
discovery (described in `channels` and `calibre_channels`).

A slow body holds only its own connection and is cut within the body time limit; an oversized
body is refused before it is read; a deeply nested structure gets the channel's usual refusal,
never a crash; network text never reaches the log raw; a flood of bad requests adds a bounded
number of log lines per address; and idle connections to any channel leave room for a push.
Every body time limit (a module's `BODY_SECONDS`, the device port's `Timing`) is shortened to
`channels.BODY_SECONDS`, and the total connection cap to `TOTAL_CONNECTIONS`, so a case takes
seconds. A case a channel does not have is listed with
the reason in the parametrisation.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator

import pytest

from bookorbit_desktop.guards import connections
from tests.guards import wire
from tests.guards.calibre_channels import DEVICE, DISCOVERY
from tests.guards.channels import (
    BODY_SECONDS,
    HIGHLIGHTS,
    KOSYNC,
    OPDS,
    WEBDAV,
    Channel,
    Lan,
    push,
    start_lan,
)

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(sys.platform != "linux", reason="uses 127.0.x.y source addresses"),
    pytest.mark.timeout(60),
]

CHANNELS: tuple[Channel, ...] = (KOSYNC, OPDS, WEBDAV, HIGHLIGHTS, DEVICE, DISCOVERY)
# Log lines a flood of bad requests may add per address in a minute: a refusal's line, and the
# budget's summary when the minute ends (the shared refusal budget logs one line per address).
LINES_PER_ADDRESS = 2
FLOOD_PER_ADDRESS = 32
TOTAL_CONNECTIONS = 128  # the sync server's cap on open connections, for these tests
PUSH_SECONDS = 1.0  # the longest a real device's push may take while a channel is attacked


def channels(case: str) -> list[object]:
    """Every channel, with the ones that do not have `case` marked so, saying why."""
    return [
        pytest.param(
            channel,
            id=channel.name,
            marks=[pytest.mark.skip(reason=channel.not_applicable[case])]
            if case in channel.not_applicable
            else [],
        )
        for channel in CHANNELS
    ]


@pytest.fixture
async def lan(library, monkeypatch) -> AsyncIterator[Lan]:
    # A small total cap, so going past it takes a few hundred connections, not thousands.
    monkeypatch.setattr(connections, "MAX_TOTAL", TOTAL_CONNECTIONS)
    running = await start_lan(library)
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("bookorbit_desktop.") and hasattr(module, "BODY_SECONDS"):
            monkeypatch.setattr(module, "BODY_SECONDS", BODY_SECONDS)
    yield running
    await running.stop()


def _crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.exc_info or record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("channel", channels("slow_body"))
async def test_a_slow_body_holds_only_its_own_connection_and_is_cut(lan: Lan, channel: Channel):
    reader, writer = await channel.slow_sender(lan, wire.attacker(1))
    started = time.perf_counter()
    try:
        other = asyncio.ensure_future(channel.answers(lan, wire.attacker(2)))
        assert await asyncio.wait_for(other, BODY_SECONDS / 2), "another client was refused"
        assert await wire.ended_within(reader, BODY_SECONDS + 2.0), "the slow body still holds"
    except TimeoutError:
        pytest.fail(f"{channel}: another client waited for the slow body")
    finally:
        writer.close()
    assert time.perf_counter() - started < BODY_SECONDS + 2.0


@pytest.mark.parametrize("channel", channels("oversized"))
async def test_an_oversized_body_is_refused_before_it_is_read(lan: Lan, channel: Channel, caplog):
    refusal = await channel.oversized(lan, wire.attacker(1))
    assert refusal.kind in channel.too_large, refusal
    assert refusal.usual, f"not the channel's usual error body: {refusal.detail!r}"
    assert refusal.seconds < 2.5, "the refusal waited for the body"
    assert await channel.answers(lan, wire.attacker(2))
    assert not _crashes(caplog)


@pytest.mark.parametrize("channel", channels("nested"))
async def test_deep_nesting_gets_the_usual_refusal(lan: Lan, channel: Channel, caplog):
    refusal = await channel.nested(lan, wire.attacker(1))
    assert refusal.kind in channel.nested_kinds, refusal
    assert refusal.usual, f"not the channel's usual error body: {refusal.detail!r}"
    assert not _crashes(caplog)
    assert await channel.answers(lan, wire.attacker(2)), "the channel is not free again"


@pytest.mark.parametrize("channel", channels("fields"))
async def test_network_text_never_reaches_the_log_raw(lan: Lan, channel: Channel, caplog):
    caplog.set_level(logging.DEBUG)  # the lines -v adds count too
    await channel.forge(lan, wire.attacker(1), wire.FORGED)
    await asyncio.sleep(0.1)  # lines logged after the answers
    messages = [record.getMessage() for record in caplog.records]
    # A line that shows the forged text shows it escaped; no line holds a terminal escape.
    raw = [
        message
        for message in messages
        if ("forged line" in message and any(char in message for char in wire.RAW_CONTROLS))
        or "\x1b" in message
        or "\u202e" in message
    ]
    assert raw == []
    assert not _crashes(caplog)
    if channel is not DISCOVERY:  # the responder logs no datagram: the rest must show it
        assert any("forged line" in message for message in messages)


@pytest.mark.parametrize("channel", channels("flood"))
async def test_a_flood_of_bad_requests_adds_few_log_lines(lan: Lan, channel: Channel, caplog):
    caplog.set_level(logging.INFO)  # what the log file holds
    sources = [wire.attacker(1), wire.attacker(2)]
    caplog.clear()
    await asyncio.gather(
        *(channel.bad_request(lan, source) for source in sources for _ in range(FLOOD_PER_ADDRESS))
    )
    await asyncio.sleep(0.2)
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) <= LINES_PER_ADDRESS * len(sources), "\n".join(lines)


@pytest.mark.parametrize("channel", channels("idle"))
async def test_idle_connections_leave_room_for_a_push(lan: Lan, channel: Channel):
    writers = await channel.hold_idle(lan, first_attacker=10)
    try:
        answer = await push(lan, 0.6)
        assert answer.status == 200, answer
        assert answer.seconds < PUSH_SECONDS
    finally:
        for writer in writers:
            writer.close()
