"""Conflicts with hardcover.app found from the Hardcover page: the count in the account box and
Review Conflicts…, every conflict with Keep mine / Keep Hardcover's (real library and widgets,
the fake Hardcover for the passes that make the conflicts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.hardcover import pulled
from bookorbit_desktop.services.hardcover.service import HardcoverStatus
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.hardcover.page import HardcoverView
from tests.fakes.hardcover_shelves import edit_entry
from tests.hardcover.sync.conftest import world

__all__ = ["world"]  # the fixture
CONNECTED = HardcoverStatus(True, "reader", True, None, "the test keyring")


async def _rating_conflicts(world) -> tuple[int, int]:
    """Two books whose rating changed here and on hardcover.app between two passes."""
    first = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    second = world.add("b", status="reading", started="2026-08-01", rating=2.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    edit_entry(world.catalog, world.entry("b")["id"], rating=4.0)
    world.edit("b", rating=2.5)
    await world.sync()
    return first, second


async def test_the_page_counts_the_conflicts_and_the_review_settles_them(world, qtbot):
    first, second = await _rating_conflicts(world)
    view = HardcoverView()
    qtbot.addWidget(view)
    view.show_account(CONNECTED)
    await view.conflicts.task
    assert view.conflicts.label.text() == "2 conflicts with hardcover.app"
    assert not view.conflicts.isHidden()

    opened = signal_future(view.conflicts.dialog_opened)
    qtbot.mouseClick(view.conflicts.review_button, Qt.MouseButton.LeftButton)
    (dialog,) = await opened
    texts = [label.text() for label in dialog.rows.findChildren(QLabel)]
    assert any(
        "Book a" in text and "Here: 1.5★" in text and "On Hardcover: 5★" in text for text in texts
    )
    assert any("Book b" in text and "Here: 2.5★" in text for text in texts)

    with qtbot.waitSignal(dialog.resolved) as signal:
        qtbot.mouseClick(dialog.buttons[(first, "rating", "hardcover")], Qt.MouseButton.LeftButton)
        await dialog.task
    assert signal.args == [first, "rating", "hardcover"]
    assert ReadingState.get_by_id(first).rating == 5.0
    await view.conflicts.task
    assert view.conflicts.label.text() == "1 conflict with hardcover.app"
    assert set(dialog.buttons) == {(second, "rating", "local"), (second, "rating", "hardcover")}

    qtbot.mouseClick(dialog.buttons[(second, "rating", "local")], Qt.MouseButton.LeftButton)
    await dialog.task
    assert ReadingState.get_by_id(second).rating == 2.5  # mine stays, and goes with a sync
    assert pulled.all_conflicts() == []
    assert not dialog.empty_label.isHidden() and dialog.buttons == {}
    await view.conflicts.task
    assert view.conflicts.isHidden()
    await world.sync()
    assert world.entry("b")["rating"] == 2.5


async def test_no_line_without_conflicts_or_an_account(world, qtbot):
    await _rating_conflicts(world)
    view = HardcoverView()
    qtbot.addWidget(view)
    view.show_account(None)  # not connected: nothing is counted
    assert view.conflicts.task is None and view.conflicts.isHidden()
    for choice in pulled.all_conflicts():
        pulled.resolve(choice.book_id, choice.field, pulled.KEEP_HARDCOVER)
    view.show_account(CONNECTED)
    await view.conflicts.task
    assert view.conflicts.isHidden()


async def test_a_book_in_conflict_says_so_in_its_row_and_in_the_filters(world, qtbot):
    from bookorbit_desktop.services.hardcover.dashboard.rows import PageQuery, read_listing

    first, second = await _rating_conflicts(world)
    third = world.add("c", status="reading", started="2026-08-01")
    await world.sync()
    view = HardcoverView()
    qtbot.addWidget(view)
    view.show_listing(read_listing(PageQuery()))
    assert all(view.model.book(b) is not None for b in (first, second, third))
    texts = [view.row_texts(row) for row in range(view.model.rowCount())]
    conflicted = [t for t in texts if t[3] == "Conflict"]
    assert len(conflicted) == 2 and all("Review Conflicts" in t[4] for t in conflicted)
    assert [t[3] for t in texts].count("Synced") == 1  # the third only
    assert view.counts["conflict"] == 2 and "synced" in view.counts
    view.show_listing(read_listing(PageQuery("conflict")))  # the filter
    assert sorted(view.row_texts(row)[3] for row in range(view.model.rowCount())) == [
        "Conflict",
        "Conflict",
    ]
    for choice in pulled.all_conflicts():
        pulled.resolve(choice.book_id, choice.field, pulled.KEEP_HARDCOVER)
    assert "conflict" not in read_listing(PageQuery()).counts


async def test_a_pass_over_a_book_in_conflict_says_conflict_never_up_to_date(world):
    from bookorbit_desktop.hardcover.sync.ledger import log_entries
    from bookorbit_desktop.hardcover.sync.results import outcome_label

    first, second = await _rating_conflicts(world)
    result = await world.sync()
    outcomes = {book.book_id: book.outcome for book in result.books}
    assert outcomes[first] == outcomes[second] == "conflict"
    assert outcome_label("conflict") == "Conflict"
    (latest, *_) = log_entries(book_id=first)
    assert latest["outcome"] == "conflict"
