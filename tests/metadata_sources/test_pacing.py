"""The one rule every web source follows when asked to wait (`web.Pacer`): a Retry-After in
seconds or as a date, else a back-off that grows and is capped; nothing sent meanwhile; a
wait beyond ten minutes, or three refusals in a row, stop the source for the fetch. On a
virtual clock: no wall time."""

from __future__ import annotations

import email.utils

import pytest

from bookorbit_desktop.metadata_sources import web
from bookorbit_desktop.metadata_sources.records import RATE_LIMITED, wait_words
from tests.fakes.clock import VirtualClock

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("40", 40.0),
        (" 0 ", 0.0),
        (email.utils.formatdate(NOW + 90, usegmt=True), 90.0),
        (email.utils.formatdate(NOW - 90, usegmt=True), 0.0),  # already past
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(header, seconds):
    assert web.retry_after(header, NOW) == seconds


@pytest.mark.parametrize(
    ("refusals", "seconds"), [(1, 2.0), (2, 4.0), (3, 8.0), (6, 64.0), (7, 120.0), (30, 120.0)]
)
def test_the_back_off_doubles_up_to_its_cap(refusals, seconds):
    assert web.backoff(refusals) == seconds


@pytest.mark.parametrize(
    ("seconds", "words"), [(40, "40 s"), (0.2, "1 s"), (119, "119 s"), (600, "10 min"),
                           (7200, "2 h")],
)  # fmt: skip
def test_a_wait_in_words(seconds, words):
    assert wait_words(seconds) == words


async def test_nothing_is_sent_until_the_asked_wait_is_over_and_the_back_off_grows():
    clock = VirtualClock()
    pacer = web.Pacer(1.0, label="Open Library", clock=clock, sleep=clock.sleep)
    waits: list[tuple[int, float]] = []
    pacer.on_wait = lambda status, seconds: waits.append((status, seconds))
    await pacer.wait()
    start = clock()
    pacer.refused(429, 40.0)  # Retry-After: 40
    await pacer.wait()
    assert clock() - start == 40.0
    pacer.refused(503, 1.0)  # the second refusal in a row: the back-off's 4 s outweigh 1 s
    before = clock()
    await pacer.wait()
    assert clock() - before == 4.0
    assert waits == [(429, 40.0), (503, 4.0)]
    pacer.answered()
    pacer.refused(429, None)
    assert waits[-1] == (429, 2.0)  # an answer in between: the back-off starts again


@pytest.mark.parametrize(
    ("refusals", "stops"),
    [
        ([(429, None), (429, None), (429, None)], True),
        ([(503, None), (429, "30"), (503, None)], True),  # mixed, with or without Retry-After
        ([(429, None), (429, None), "answer", (429, None), (429, None)], False),
        ([(429, "601")], True),  # one Retry-After past ten minutes
        ([(429, "600")], False),
    ],
)
async def test_the_rule_that_stops_a_source(refusals, stops):
    clock = VirtualClock()
    pacer = web.Pacer(1.0, label="Open Library", clock=clock, sleep=clock.sleep)
    for refusal in refusals:
        if refusal == "answer":
            pacer.answered()
        else:
            status, header = refusal
            pacer.refused(status, web.retry_after(header, NOW))
    assert (pacer.stopped is not None) == stops
    if pacer.stopped is not None:
        assert "not asked again in this fetch" in pacer.stopped.message
        assert pacer.stopped.message.startswith("Open Library asked us to")


async def test_a_wait_beyond_ten_minutes_stops_the_source_for_the_fetch():
    clock = VirtualClock()
    pacer = web.Pacer(1.0, label="Open Library", clock=clock, sleep=clock.sleep)
    pacer.refused(429, 3600.0)
    assert pacer.stopped is not None and pacer.stopped.status == RATE_LIMITED
    assert "1 h" not in pacer.stopped.message and "60 min" in pacer.stopped.message
    assert "not asked again in this fetch" in pacer.stopped.message
    with pytest.raises(type(pacer.stopped)):
        await pacer.wait()
    assert clock.sleeps == []  # no waiting an hour
