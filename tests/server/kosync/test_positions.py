"""The cache of the newest positions a pull is answered from."""

from __future__ import annotations

import gc

from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.server.kosync.positions import NEVER_PUSHED, PositionCache, answer_of


def pos(document: str, percentage: float = 0.5, timestamp: int = 1) -> Position:
    return Position(document, percentage, "/p", "Kobo", None, timestamp)


def test_a_complete_cache_knows_a_document_never_pushed():
    cache = PositionCache(capacity=3)
    assert cache.lookup("a") is None  # nothing loaded yet: ask the library
    cache.load([pos("b"), pos("a")], complete=True)
    assert cache.lookup("a") == answer_of(pos("a"))
    assert cache.lookup("never") == NEVER_PUSHED


def test_an_incomplete_load_sends_unknown_documents_to_the_library():
    cache = PositionCache(capacity=3)
    cache.load([pos("a")], complete=False)
    assert cache.lookup("a") == answer_of(pos("a"))
    assert cache.lookup("never") is None


def test_a_push_stored_before_the_load_wins_over_the_loaded_position():
    cache = PositionCache(capacity=3)
    cache.stored(pos("a", 0.9, timestamp=5))
    cache.load([pos("a", 0.1, timestamp=1)], complete=True)
    assert cache.lookup("a") == answer_of(pos("a", 0.9, timestamp=5))


def test_dropping_a_document_makes_the_cache_incomplete_and_keeps_the_newest():
    cache = PositionCache(capacity=2)
    cache.load([pos("b"), pos("a")], complete=True)  # b is the most recent
    cache.stored(pos("c"))
    assert len(cache) == 2
    assert cache.lookup("a") is None  # the oldest went; the library still has it
    assert cache.lookup("b") == answer_of(pos("b")) and cache.lookup("c") == answer_of(pos("c"))


def test_more_positions_than_room_are_never_complete():
    cache = PositionCache(capacity=1)
    cache.load([pos("b"), pos("a")], complete=True)
    assert cache.lookup("b") == answer_of(pos("b"))
    assert cache.lookup("a") is None


def test_pushes_leave_nothing_for_the_cycle_collector():
    """Each push replaces a document's long-lived entry: an object the collector tracks there
    would pile up in its youngest generation (the old one's removal offsets the new one in the
    collector's count), to be scanned later in one long pause of a busy server."""
    cache = PositionCache(capacity=2_000)
    cache.load([pos(f"doc-{n}") for n in range(1_000)], complete=True)
    gc.collect()
    gc.disable()
    try:
        young = len(gc.get_objects(0))
        for n in range(1_000):
            cache.stored(pos(f"doc-{n}", 0.7, timestamp=2))
        grown = len(gc.get_objects(0)) - young
    finally:
        gc.enable()
    assert grown < 50, grown
    assert cache.lookup("doc-999") == answer_of(pos("doc-999", 0.7, timestamp=2))
