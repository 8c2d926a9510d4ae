"""The GUI thread's garbage collector: full collections only look at what is new; cycles among
long-lived objects go in a thorough pass while no window is shown (or after hours)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bookorbit_desktop.ui.gc_guard import (
    BUSY_INTERVAL_MS,
    IDLE_INTERVAL_MS,
    THOROUGH_EVERY_SECONDS,
    THOROUGH_EVERY_VISIBLE_SECONDS,
    GarbageCollector,
    thorough_due,
)


@contextmanager
def running(collector: GarbageCollector) -> Iterator[GarbageCollector]:
    """`collector` started for the test's body, stopped after it whatever happens."""
    collector.start()
    try:
        yield collector
    finally:
        collector.stop()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.mark.parametrize(
    ("since_last", "shown", "due"),
    [
        (0.0, False, False),
        (THOROUGH_EVERY_SECONDS - 1, False, False),
        (THOROUGH_EVERY_SECONDS, False, True),
        (THOROUGH_EVERY_SECONDS, True, False),  # never a pause in front of the user...
        (THOROUGH_EVERY_VISIBLE_SECONDS - 1, True, False),
        (THOROUGH_EVERY_VISIBLE_SECONDS, True, True),  # ...unless it waited hours
    ],
)
def test_when_the_thorough_pass_is_due(since_last, shown, due):
    assert thorough_due(since_last, shown) is due


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _full_collection_due() -> None:
    """Make the counts say a full collection is due (as after many young collections)."""
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)


def test_survivors_of_a_full_collection_are_left_out_of_the_next(qapp):
    with running(GarbageCollector(shown=lambda: True, clock=Clock())) as collector:
        kept = [Node() for _ in range(100)]
        _full_collection_due()
        collector.check()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)  # the survivors are long-lived now
        _full_collection_due()
        young = Node()
        alive = weakref.ref(young)
        del young
        assert collector.check() > 0 and alive() is None  # new garbage is still collected


def test_what_the_app_holds_at_start_is_out_of_sight_at_once(qapp):
    clock = Clock()
    shown = [True]
    collector = GarbageCollector(shown=lambda: shown[0], clock=clock)
    loaded = Node()  # made while the app loaded: garbage only the thorough pass frees
    alive = weakref.ref(loaded)
    del loaded
    with running(collector):
        assert alive() is not None  # starting made no pause to collect it
        _full_collection_due()
        collector.check()
        assert alive() is not None  # nor does a full collection look at it
        clock.now += THOROUGH_EVERY_SECONDS
        shown[0] = False
        assert collector.check() > 0 and alive() is None


def test_cycles_among_long_lived_objects_go_in_the_thorough_pass(qapp):
    clock = Clock()
    shown = [True]
    with running(GarbageCollector(shown=lambda: shown[0], clock=clock)) as collector:
        old = Node()
        alive = weakref.ref(old)
        _full_collection_due()
        collector.check()  # `old` survives: frozen
        del old
        _full_collection_due()
        collector.check()
        assert alive() is not None  # a full collection no longer looks at it
        clock.now += THOROUGH_EVERY_SECONDS
        collector.check()
        assert alive() is not None  # the window is on screen: no pause yet
        shown[0] = False  # closed to the tray
        assert collector.check() > 0
        assert alive() is None


def test_it_looks_often_while_the_app_allocates_and_rarely_when_idle(qapp):
    with running(GarbageCollector(shown=lambda: True, clock=Clock())) as collector:
        garbage = [Node() for _ in range(gc.get_threshold()[0] * 2)]
        del garbage
        collector.check()
        assert collector.interval_ms == BUSY_INTERVAL_MS
        gc.collect(0)  # nothing young left: the next look finds nothing due
        collector.check()
        assert collector.interval_ms == IDLE_INTERVAL_MS


def test_freed_memory_goes_back_once_quiet_after_a_full_collection(qapp):
    trims = []
    collector = GarbageCollector(shown=lambda: True, clock=Clock(), trim=lambda: trims.append(1))
    with running(collector):
        gc.collect()  # counts below every threshold: the app is quiet
        assert collector.check() == 0 and trims == []  # it collected nothing yet
        _full_collection_due()
        collector.check()
        assert trims == []  # busy: not yet
        gc.collect()
        collector.check()
        assert trims == [1] and collector.interval_ms == IDLE_INTERVAL_MS
        assert collector.check() == 0 and trims == [1]  # once, not at every quiet check


def test_no_collection_while_a_worker_makes_many_objects(qapp):
    from bookorbit_desktop.gc_pause import paused_collection

    with running(GarbageCollector(shown=lambda: True, clock=Clock())) as collector:
        with paused_collection():  # as a worker reading the library does
            _full_collection_due()
            garbage = Node()
            alive = weakref.ref(garbage)
            del garbage
            assert collector.check() == 0 and alive() is not None
            assert collector.interval_ms == BUSY_INTERVAL_MS  # looks again soon
        assert collector.check() > 0 and alive() is None
