"""Sources are asked at once: a slow or failing one never blocks or hides the others; pacing
spaces one source's requests by its interval."""

from __future__ import annotations

import asyncio
import time

from bookorbit_desktop.metadata_sources.gather import ask_all
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    OK,
    REFUSED,
    Candidate,
    Lookup,
    SourceError,
)
from bookorbit_desktop.metadata_sources.web import Pacer
from tests.fakes.clock import VirtualClock

BOOK = Lookup(book_id=1, title="Dune")


class Answers:
    """A source whose answer is given (a real object of the interface, not a mock)."""

    def __init__(self, name: str, answer, delay: float = 0.0) -> None:
        self.name = self.label = name
        self.answer = answer
        self.delay = delay

    async def by_identifier(self, kind, value):
        return []

    async def search(self, title, author):
        return []

    async def lookup(self, book):
        await asyncio.sleep(self.delay)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


async def test_each_source_answers_on_its_own():
    found = [Candidate(source="a", source_id="1", title="Dune")]
    sources = [
        Answers("a", found, delay=0.2),
        Answers("b", SourceError(REFUSED, "b said no")),
        Answers("c", []),
        Answers("d", KeyError("volumeInfo")),
    ]
    started = time.monotonic()
    results = await ask_all(sources, BOOK)
    elapsed = time.monotonic() - started
    assert [(r.source, r.status) for r in results] == [
        ("a", OK),
        ("b", REFUSED),
        ("c", NO_RESULT),
        ("d", MALFORMED),
    ]
    assert results[0].candidates == tuple(found) and results[1].message == "b said no"
    assert [r.failed for r in results] == [False, True, False, True]
    assert elapsed < 0.4  # concurrently, not one after the other


async def test_two_slow_sources_take_the_time_of_one():
    sources = [Answers("a", [], delay=0.3), Answers("b", [], delay=0.3)]
    started = time.monotonic()
    await ask_all(sources, BOOK)
    assert time.monotonic() - started < 0.5


async def test_the_pacer_spaces_requests_by_its_interval():
    clock = VirtualClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        await pacer.wait()
    assert clock.sleeps == [1.0, 1.0, 1.0]
