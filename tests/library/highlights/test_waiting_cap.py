"""The cap on what exports for unknown books keep: count and bytes, the oldest dropped."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.highlights import store, waiting_cap
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.highlights.store import Target
from tests.factories import add_book

T = 1_700_000_000


def _wait(title, count, now, text="x" * 10):
    entries = [Entry(T + n, f"{text}{n:03d}") for n in range(count)]
    store.record(Target(None, title, "A"), entries, source="xmnote", origin="x", now=now)


@pytest.mark.parametrize(
    ("max_highlights", "max_bytes", "kept"),
    [
        (100, 10**9, {"old": 5, "mid": 5, "new": 5}),  # within both: nothing dropped
        (12, 10**9, {"old": 2, "mid": 5, "new": 5}),  # the count: the oldest go
        (100, 10 * 17, {"new": 5, "mid": 5}),  # the bytes (17 a highlight): the oldest go
        (3, 10**9, {"new": 3}),  # even the newest export keeps only what fits
    ],
)
def test_the_oldest_waiting_highlights_are_dropped_past_the_cap(
    library, monkeypatch, max_highlights, max_bytes, kept
):
    monkeypatch.setattr(waiting_cap, "MAX_HIGHLIGHTS", max_highlights)
    monkeypatch.setattr(waiting_cap, "MAX_BYTES", max_bytes)
    book = add_book("Dune", ["Frank Herbert"])
    store.record(Target(book.id), [Entry(T, "mine")], source="xmnote", origin="x", now=0.0)
    for now, title in enumerate(("old", "mid", "new"), 1):
        _wait(title, 5, float(now))
    dropped = waiting_cap.trim()
    assert {w.title: w.highlights for w in store.waiting()} == kept
    assert dropped == 15 - sum(kept.values())
    assert len(store.for_book(book.id)) == 1  # a library book's highlights never go
    usage = waiting_cap.usage()
    assert (usage.highlights, usage.max_highlights) == (sum(kept.values()), max_highlights)
    assert usage.bytes == 17 * sum(kept.values()) <= max_bytes
