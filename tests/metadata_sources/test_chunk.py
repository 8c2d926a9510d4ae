"""A chunk of books asks once for all of them, shares a failure, and leaves a cancelled
request to the next book."""

from __future__ import annotations

import asyncio

import pytest

from bookorbit_desktop.metadata_sources.chunk import Chunk
from bookorbit_desktop.metadata_sources.records import TIMED_OUT, SourceError


async def test_the_first_book_asks_and_the_others_read_its_answer():
    asked: list[list[str]] = []

    async def ask(keys: list[str]) -> dict[str, int]:
        asked.append(keys)
        await asyncio.sleep(0)
        return {key: len(key) for key in keys}

    chunk: Chunk[str, dict[str, int]] = Chunk(["a", "bb", "ccc"])
    answers = await asyncio.gather(*(chunk.answer(ask) for _ in range(3)))

    assert asked == [["a", "bb", "ccc"]]
    assert answers == [{"a": 1, "bb": 2, "ccc": 3}] * 3


async def test_a_failed_request_fails_every_book_without_asking_again():
    asked = 0

    async def ask(keys: list[str]) -> dict[str, int]:
        nonlocal asked
        asked += 1
        raise SourceError(TIMED_OUT, "No answer in time.")

    chunk: Chunk[str, dict[str, int]] = Chunk(["a", "b"])
    for _ in range(2):
        with pytest.raises(SourceError, match="No answer in time"):
            await chunk.answer(ask)
    assert asked == 1


async def test_a_cancelled_request_is_asked_again_by_the_next_book():
    calls = 0

    async def ask(keys: list[str]) -> dict[str, int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise asyncio.CancelledError
        return {"a": 1}

    chunk: Chunk[str, dict[str, int]] = Chunk(["a"])
    with pytest.raises(asyncio.CancelledError):
        await chunk.answer(ask)
    assert await chunk.answer(ask) == {"a": 1}
    assert calls == 2
