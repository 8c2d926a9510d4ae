"""Whatever a source does, its outcome is a status (the service asks each source on its own:
tests/services/test_metadata_answers.py); pacing spaces one source's requests by its interval."""

from __future__ import annotations

import asyncio

from bookorbit_desktop.metadata_sources.gather import ask
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

    def __init__(self, name: str, answer) -> None:
        self.name = self.label = name
        self.answer = answer

    async def lookup(self, book):
        await asyncio.sleep(0)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


async def test_every_outcome_of_a_source_is_a_status_never_an_exception():
    found = [Candidate(source="a", source_id="1", title="Dune")]
    sources = [
        Answers("a", found),
        Answers("b", SourceError(REFUSED, "b said no")),
        Answers("c", []),
        Answers("d", KeyError("volumeInfo")),
    ]
    results = [await ask(source, BOOK) for source in sources]
    assert [(r.source, r.status) for r in results] == [
        ("a", OK),
        ("b", REFUSED),
        ("c", NO_RESULT),
        ("d", MALFORMED),
    ]
    assert results[0].candidates == tuple(found) and results[1].message == "b said no"
    assert [r.failed for r in results] == [False, True, False, True]


async def test_the_pacer_spaces_requests_by_its_interval():
    clock = VirtualClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        await pacer.wait()
    assert clock.sleeps == [1.0, 1.0, 1.0]
