"""The identity and merge rules of highlights, and what an export may propose, as tables."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.highlights.rules import (
    Entry,
    Proposal,
    Stored,
    merged,
    plan,
    proposal,
    same_highlight,
)

T = 1_700_000_000
DUNE = Entry(T, "Fear is the mind-killer.", "", "One", "12")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (Entry(T, "anything else"), True),  # one creation instant is one highlight
        (Entry(T + 3600, "Fear is the  mind-killer."), True),  # a sidecar read an hour away
        (Entry(T - 5 * 3600 - 1800, "fear is the mind-killer."), True),  # India vs Europe
        (Entry(T + 3601, "Fear is the mind-killer."), False),  # not a time zone step
        (Entry(T + 15 * 3600, "Fear is the mind-killer."), False),  # wider than any offset
        (Entry(T + 3600, "Another sentence."), False),  # an hour apart, other text
        (Entry(T + 1, "Fear is the mind-killer."), False),  # made twice a second apart
    ],
)
def test_identity_is_the_creation_instant(other, same):
    assert same_highlight(DUNE, other) is same
    assert same_highlight(other, DUNE) is same


def test_empty_text_never_matches_across_time_zones():
    assert not same_highlight(Entry(T, ""), Entry(T + 3600, ""))


@pytest.mark.parametrize(
    ("stored", "incoming", "expected"),
    [
        (DUNE, DUNE, None),
        (
            DUNE,
            Entry(T, DUNE.text, "my note", "One", "12"),
            Entry(T, DUNE.text, "my note", "One", "12"),
        ),
        # a note removed on the device is removed here too
        (Entry(T, "x", "old"), Entry(T, "x", ""), Entry(T, "x", "")),
        # a missing chapter or page keeps the stored one
        (DUNE, Entry(T, DUNE.text), None),
        (DUNE, Entry(T, DUNE.text, "", None, "13"), Entry(T, DUNE.text, "", "One", "13")),
        # an older copy (by the device's edit time) never reverts a newer edit
        (Entry(T, "x", "new", updated=T + 50), Entry(T, "x", "old", updated=T + 10), None),
        (
            Entry(T, "x", "old", updated=T + 10),
            Entry(T, "x", "new", updated=T + 50),
            Entry(T, "x", "new", updated=T + 50),
        ),
        # an export without edit times updates and keeps the known edit time
        (Entry(T, "x", "a", updated=T + 5), Entry(T, "x", "b"), Entry(T, "x", "b", updated=T + 5)),
        # the stored creation instant stays the identity
        (Entry(T, "x"), Entry(T + 3600, "x", "n"), Entry(T, "x", "n")),
    ],
)
def test_merge(stored, incoming, expected):
    assert merged(stored, incoming) == expected


def test_plan_adds_updates_and_never_deletes():
    stored = [
        Stored(1, Entry(T, "kept")),
        Stored(2, Entry(T + 10, "edited", "old")),
        Stored(3, Entry(T + 20, "deleted by the user"), deleted=True),
    ]
    incoming = [
        Entry(T + 10, "edited", "new"),
        Entry(T + 20, "deleted by the user", "changed"),
        Entry(T + 30, "brand new"),
    ]
    result = plan(stored, incoming)
    assert result.added == [Entry(T + 30, "brand new")]
    assert result.updated == [(2, Entry(T + 10, "edited", "new"))]
    assert (result.unchanged, result.kept_deleted) == (0, 1)


def test_plan_of_a_resend_changes_nothing():
    entries = [Entry(T + i, f"h{i}", "n") for i in range(5)]
    stored = [Stored(i + 1, entry) for i, entry in enumerate(entries)]
    result = plan(stored, entries)
    assert (result.added, result.updated, result.unchanged) == ([], [], 5)


def test_plan_of_one_highlight_sent_twice_keeps_the_later_copy():
    result = plan([], [Entry(T, "x", "first"), Entry(T, "x", "second")])
    assert result.added == [Entry(T, "x", "second")]
    again = plan([Stored(7, Entry(T, "x"))], [Entry(T, "x", "a"), Entry(T, "x", "b")])
    assert again.updated == [(7, Entry(T, "x", "b"))]


@pytest.mark.parametrize(
    ("status", "rating", "note", "current", "current_rating", "expected"),
    [
        ("read", None, None, "reading", None, Proposal("read", None, None)),
        ("read", None, None, "read", None, None),  # already so
        (None, None, None, "read", None, None),  # XMNote's 2 maps to nothing
        (None, 4, " great ", "read", None, Proposal(None, 4, "great")),
        (None, 4, None, "read", 4.0, None),
        (None, 0, None, "read", None, None),  # no rating
        (None, 6, None, "read", None, None),  # out of range
        ("on_hold", 2, "", "reading", 5.0, Proposal("on_hold", 2, None)),
        (None, None, "a note alone changes nothing", "reading", None, None),
    ],
)
def test_proposals(status, rating, note, current, current_rating, expected):
    assert (
        proposal(status, rating, note, current_status=current, current_rating=current_rating)
        == expected
    )


ENTRIES = st.builds(
    Entry,
    created=st.integers(T, T + 20),  # one clock: the time-zone rule has its own table above
    text=st.sampled_from(["a", "b", "Fear", ""]),
    note=st.sampled_from(["", "n", "m"]),
    chapter=st.none() | st.just("One"),
    page=st.none() | st.sampled_from(["1", "xii"]),
    updated=st.none() | st.integers(T, T + 100),
)


def _apply(stored: list[Stored], result) -> list[Stored]:
    rows = {row.id: row for row in stored}
    for row_id, entry in result.updated:
        rows[row_id] = Stored(row_id, entry, rows[row_id].deleted)
    next_id = max(rows, default=0) + 1
    for offset, entry in enumerate(result.added):
        rows[next_id + offset] = Stored(next_id + offset, entry)
    return list(rows.values())


EXPORTS = st.lists(ENTRIES, max_size=6, unique_by=lambda entry: entry.created)


@given(EXPORTS, EXPORTS)
def test_recording_an_export_twice_changes_nothing_the_second_time(first, second):
    stored = _apply([], plan([], first))
    after = _apply(stored, plan(stored, second))
    assert len(after) >= len(stored)  # nothing is ever removed
    again = plan(after, second)
    assert (again.added, again.updated) == ([], [])


@pytest.mark.parametrize(
    ("stored", "incoming"),
    [
        # A re-sent export of a long book with every note edited.
        (
            [Stored(n, Entry(1_700_000_000 + n, f"Highlight {n}")) for n in range(19_000)],
            [Entry(1_700_000_000 + n, f"Highlight {n}", "edited") for n in range(19_000)],
        ),
        # Thousands of highlights with one text at other instants (the time zone look-up).
        ([], [Entry(1_700_000_000 + 7 * n, "the same words") for n in range(19_000)]),
    ],
    ids=["edited notes", "one text"],
)
def test_plan_is_linear_in_the_number_of_highlights(stored, incoming):
    started = time.perf_counter()
    result = plan(stored, incoming)
    assert time.perf_counter() - started < 3.0  # a quadratic plan took a minute
    assert len(result.updated) + len(result.added) + result.unchanged == len(incoming)
