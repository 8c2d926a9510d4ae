"""Where each book stands with Hardcover: the dashboard's states, reasons and counts."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.hardcover import dashboard


@pytest.mark.parametrize(
    ("match", "queued", "state"),
    [
        ({"state": "excluded", "sync_state": "synced"}, True, "excluded"),
        ({"state": "needs_review"}, False, "needs_review"),
        ({"state": "linked", "sync_state": "ahead"}, False, "needs_review"),
        ({"state": "no_match"}, False, "not_matched"),
        ({"state": "unmatched"}, False, "not_matched"),
        ({}, False, "not_matched"),
        ({"state": "error"}, False, "failed"),
        ({"state": "linked", "sync_state": "failed"}, True, "failed"),
        ({"state": "linked", "sync_state": "blocked"}, False, "failed"),
        ({"state": "linked", "sync_state": None}, False, "pending"),
        ({"state": "linked", "sync_state": "synced"}, True, "pending"),
        ({"state": "linked", "sync_state": "synced"}, False, "synced"),
        ({"state": "linked", "sync_state": "kept"}, False, "synced"),
    ],
)
def test_book_state(match, queued, state):
    assert dashboard.book_state(match, queued) == state


@pytest.mark.parametrize(
    ("match", "state", "reason"),
    [
        ({"state": "linked", "sync_state": "synced", "reason": "ISBN 978…"}, "synced", ""),
        ({"state": "linked", "reason": "ISBN 978…"}, "pending", "ISBN 978…"),
        ({"state": "linked"}, "pending", "Goes out with the next sync"),
        (
            {"state": "linked", "sync_state": "failed", "sync_reason": "Hardcover refused it"},
            "failed",
            "Hardcover refused it",
        ),
        (
            {"state": "linked", "sync_state": "ahead"},
            "needs_review",
            "Hardcover shows a later page than this library",
        ),
        ({"state": "needs_review", "reason": "2 candidates"}, "needs_review", "2 candidates"),
    ],
)
def test_reason(match, state, reason):
    assert dashboard.reason(match, state) == reason


def test_counts_cover_every_state_and_the_total():
    counted = dashboard.counts(["synced", "synced", "pending", "failed"])
    assert counted == {
        None: 4,
        "synced": 2,
        "pending": 1,
        "needs_review": 0,
        "not_matched": 0,
        "failed": 1,
        "excluded": 0,
        "removed": 0,
    }
    assert dashboard.filter_label("Synced", 1234) == "Synced (1,234)"


@pytest.mark.parametrize(
    ("books", "groups"),
    [
        ([], []),
        ([(1, None, None), (2, None, None)], [(None, [1]), (None, [2])]),
        # One shown book of a series is not worth a group.
        ([(1, "Dune", 1.0), (2, None, None)], [(None, [1]), (None, [2])]),
        # A series gathers where its first book was, in series order.
        (
            [(1, "Dune", 3.0), (2, None, None), (3, "Dune", 1.0), (4, "Dune", 2.0)],
            [("Dune", [3, 4, 1]), (None, [2])],
        ),
        # Unnumbered books last, then as given; two series side by side.
        (
            [(1, "Foundation", None), (2, "Dune", 2.0), (3, "Foundation", 1.0), (4, "Dune", 1.5)],
            [("Foundation", [3, 1]), ("Dune", [4, 2])],
        ),
        ([(1, "Dune", None), (2, "Dune", None)], [("Dune", [1, 2])]),
    ],
)
def test_series_groups(books, groups):
    assert dashboard.series_groups(books) == groups


def _book(book_id: int, status: str = "reading", **extra) -> dict:
    return {"id": book_id, "title": f"Book {book_id}", "status": status, **extra}


SYNCED = {"state": "linked", "sync_state": "synced"}


def test_page_rows_are_the_linked_books_and_the_ones_being_read_in_library_order():
    books = [_book(3), _book(1, "unread"), _book(2, "unread"), _book(4, "read")]
    rows = dashboard.page_rows(books, {2: SYNCED, 4: SYNCED}, queued=[4])
    assert [book["id"] for book, _match in rows.rows] == [3, 2, 4]
    assert rows.states == {3: "not_matched", 2: "synced", 4: "pending"}
    assert rows.rows[0][1]["state"] == "unmatched"


@pytest.mark.parametrize(
    ("after", "queued", "changed"),
    [
        ([_book(1), _book(2)], [], []),  # nothing changed
        ([_book(1, progress=0.5), _book(2)], [], [1]),  # a row redrawn in place
        ([_book(1), _book(2, series="Dune")], [], None),  # a row moves into a series
        ([_book(2), _book(1)], [], None),  # rows swap places
        ([_book(1), _book(2)], [2], None),  # a book changes state: counts change
        ([_book(1)], [], None),  # a book goes
        ([_book(1), _book(2), _book(5)], [], None),  # a book comes
    ],
)
def test_diff_page(after, queued, changed):
    details = {1: SYNCED, 2: SYNCED}
    before = dashboard.page_rows([_book(1), _book(2)], details, ())
    diff = dashboard.diff_page(before, dashboard.page_rows(after, details, queued))
    assert diff.changed == changed and diff.before is before
    if changed is not None:  # unchanged rows keep the objects shown; the fresh copies go
        kept = [entry is old for entry, old in zip(diff.after.rows, before.rows, strict=True)]
        assert kept == [book["id"] not in changed for book, _match in before.rows]


def test_a_first_fill_is_a_rebuild():
    assert dashboard.diff_page(None, dashboard.page_rows([_book(1)], {}, ())).changed is None
