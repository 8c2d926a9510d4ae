"""The pull cache forgets documents the library changed by itself (a reset) until a push."""

from __future__ import annotations

from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.server.kosync.positions import PositionCache, answer_of


def pos(document: str, percentage: float = 0.5) -> Position:
    return Position(document, percentage, "/p", "Kobo", None, 1)


def test_a_forgotten_document_is_read_from_the_library_until_pushed_again():
    cache = PositionCache(capacity=3)
    cache.load([pos("a"), pos("b")], complete=True)
    cache.forget(["a", "never-pushed"])
    assert cache.lookup("a") is None
    assert cache.lookup("never-pushed") is None  # even in a complete cache
    assert cache.lookup("b") == answer_of(pos("b"))
    cache.stored(pos("a", 0.1))
    assert cache.lookup("a") == answer_of(pos("a", 0.1))


def test_forgetting_after_a_newer_push_still_reads_the_library():
    cache = PositionCache(capacity=3)
    cache.stored(pos("a", 0.7))  # committed after the reset the server has not seen yet
    cache.forget(["a"])
    assert cache.lookup("a") is None  # the library holds the newest: the push
