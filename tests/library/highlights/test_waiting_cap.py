"""The cap on what exports for unknown books keep: count and bytes, per address and in all,
checked before an export is written; what already waits is never dropped."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.highlights import store, waiting_cap
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.highlights.store import Target
from bookorbit_desktop.library.highlights.waiting_cap import Usage
from tests.factories import add_book

T = 1_700_000_000


def _wait(title, count, origin, text="x" * 10):
    entries = [Entry(T + n, f"{text}{n:03d}") for n in range(count)]
    store.record(Target(None, title, "A"), entries, source="xmnote", origin=origin, now=1.0)


@pytest.mark.parametrize(
    ("usage", "highlights", "size", "fits"),
    [
        (Usage(0, 0, 10, 100), 10, 100, True),  # exactly the cap
        (Usage(0, 0, 10, 100), 11, 50, False),  # one highlight too many
        (Usage(0, 0, 10, 100), 1, 101, False),  # one byte too many
        (Usage(9, 90, 10, 100), 1, 10, True),
        (Usage(9, 90, 10, 100), 2, 10, False),
        (Usage(10, 100, 10, 100), 0, 0, True),  # full, but a re-sent export adds nothing
        (Usage(10, 100, 10, 100), 0, 1, False),  # ... while a note that grows does
        (Usage(50, 500, 10, 100), 0, 0, True),  # over (a smaller cap now): nothing is dropped
    ],
)
def test_what_fits(usage, highlights, size, fits):
    assert usage.fits(highlights, size) is fits


@pytest.mark.parametrize(
    ("added", "updated", "expected"),
    [
        ([], [], (0, 0)),
        ([Entry(T, "abc", "de")], [], (1, 5 + 3)),  # text, note, title "T" and authors "AB"
        ([Entry(T, "é")], [], (1, 2 + 3)),  # bytes of UTF-8, not characters
        ([Entry(T, "a", chapter="ch", page="12")], [], (1, 5 + 3)),
        # an update: its growth, and the text and note it keeps (an earlier text, `versions`)
        ([], [(Entry(T, "abc"), Entry(T, "abc", "note"))], (0, 4 + 3)),
        ([], [(Entry(T, "abc", "note"), Entry(T, "abc"))], (0, 0 + 7)),  # shrinking: kept only
        ([], [(Entry(T, "abc"), Entry(T, "abc", chapter="ch"))], (0, 2)),  # nothing kept
    ],
)
def test_growth_of_an_export(added, updated, expected):
    assert waiting_cap.growth("T", "AB", added, updated) == expected


def test_usage_counts_what_size_counts_per_address_and_in_all(library):
    book = add_book("Dune", ["Frank Herbert"])
    store.record(Target(book.id), [Entry(T, "mine")], source="xmnote", origin="a", now=0.0)
    _wait("one", 3, "a")
    _wait("two", 2, "b")
    each = waiting_cap.size(Entry(T, "x" * 10 + "000"), "one", "A")
    assert waiting_cap.usage() == Usage(5, 5 * each, 10_000, 6 << 20)
    assert waiting_cap.usage("a") == Usage(3, 3 * each, 5_000, 3 << 20)
    assert waiting_cap.usage("c").highlights == 0  # a library book's highlights never count


@pytest.mark.parametrize(
    ("address_cap", "total_cap", "origin", "refused"),
    [
        ((100, 10**6), (100, 10**6), "a", None),
        ((4, 10**6), (100, 10**6), "a", "from this device"),  # "a" has 3 waiting, 2 more
        ((4, 10**6), (100, 10**6), "c", None),  # another address has its own share
        ((100, 10**6), (6, 10**6), "c", "in all"),  # but not past the total
        ((100, 80), (100, 10**6), "a", "from this device"),  # bytes too
    ],
)
def test_refusal_per_address_and_in_all(
    library, monkeypatch, address_cap, total_cap, origin, refused
):
    monkeypatch.setattr(waiting_cap, "ADDRESS_HIGHLIGHTS", address_cap[0])
    monkeypatch.setattr(waiting_cap, "ADDRESS_BYTES", address_cap[1])
    monkeypatch.setattr(waiting_cap, "MAX_HIGHLIGHTS", total_cap[0])
    monkeypatch.setattr(waiting_cap, "MAX_BYTES", total_cap[1])
    _wait("one", 3, "a")
    _wait("two", 2, "b")
    message = waiting_cap.refusal(origin, 2, 2 * 17)
    if refused is None:
        assert message is None
    else:
        assert message is not None and refused in message and "Link or dismiss" in message


def test_earlier_texts_of_waiting_highlights_count_for_who_replaced_them(library):
    _wait("one", 2, "a", text="before")
    changed = [Entry(T + n, f"after{n:03d}", "a long new note") for n in range(2)]
    target = Target(None, "one", "A")
    store.record(target, changed, source="xmnote", origin="b", now=2.0)
    kept = 2 * len("before000")  # the texts "b" replaced, kept as earlier texts
    assert waiting_cap.usage("a").bytes == 0  # "b" wrote the highlights last
    each = waiting_cap.size(changed[0], "one", "A")
    assert waiting_cap.usage("b") == Usage(2, 2 * each + kept, 5_000, 3 << 20)
    assert waiting_cap.usage().bytes == 2 * each + kept
