"""The cache of the newest positions a pull is answered from."""

from __future__ import annotations

from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.server.kosync.positions import PositionCache


def pos(document: str, percentage: float = 0.5, timestamp: int = 1) -> Position:
    return Position(document, percentage, "/p", "Kobo", None, timestamp)


def test_a_complete_cache_knows_a_document_never_pushed():
    cache = PositionCache(capacity=3)
    assert cache.lookup("a") == (False, None)  # nothing loaded yet: ask the library
    cache.load([pos("b"), pos("a")], complete=True)
    assert cache.lookup("a") == (True, pos("a"))
    assert cache.lookup("never") == (True, None)


def test_an_incomplete_load_sends_unknown_documents_to_the_library():
    cache = PositionCache(capacity=3)
    cache.load([pos("a")], complete=False)
    assert cache.lookup("a") == (True, pos("a"))
    assert cache.lookup("never") == (False, None)


def test_a_push_stored_before_the_load_wins_over_the_loaded_position():
    cache = PositionCache(capacity=3)
    cache.stored(pos("a", 0.9, timestamp=5))
    cache.load([pos("a", 0.1, timestamp=1)], complete=True)
    assert cache.lookup("a") == (True, pos("a", 0.9, timestamp=5))


def test_dropping_a_document_makes_the_cache_incomplete_and_keeps_the_newest():
    cache = PositionCache(capacity=2)
    cache.load([pos("b"), pos("a")], complete=True)  # b is the most recent
    cache.stored(pos("c"))
    assert len(cache) == 2
    assert cache.lookup("a") == (False, None)  # the oldest went; the library still has it
    assert cache.lookup("b")[1] == pos("b") and cache.lookup("c")[1] == pos("c")


def test_more_positions_than_room_are_never_complete():
    cache = PositionCache(capacity=1)
    cache.load([pos("b"), pos("a")], complete=True)
    assert cache.lookup("b") == (True, pos("b"))
    assert cache.lookup("a") == (False, None)
