"""A background loop keeps its rounds coming after a round fails, and ends when cancelled."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bookorbit_desktop.background import repeat


async def test_a_failing_round_is_logged_and_the_next_round_comes(caplog):
    rounds: list[int] = []
    waits: list[float] = []

    async def one_round() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("a bug in the first round")

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise asyncio.CancelledError

    logger = logging.getLogger("tests.background")
    with (
        caplog.at_level(logging.ERROR, logger="tests.background"),
        pytest.raises(asyncio.CancelledError),
    ):
        await repeat(one_round, 30.0, sleep, "Round failed", logger)

    assert rounds == [0, 1, 2]
    assert waits == [30.0, 30.0, 30.0]
    assert [(r.name, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
        ("tests.background", "Round failed", True)
    ]


async def test_cancelling_a_round_ends_the_loop():
    async def one_round() -> None:
        raise asyncio.CancelledError

    async def sleep(seconds: float) -> None:
        raise AssertionError("no sleep after a cancelled round")

    with pytest.raises(asyncio.CancelledError):
        await repeat(one_round, 1.0, sleep, "Round failed", logging.getLogger("tests.background"))
