"""The book panel's Reads section through the real widgets and a real library: reads added,
edited and deleted in the window, each undone and redone, the panel's reading state following
the latest read, and a re-read pulled from hardcover.app listed."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from bookorbit_desktop.library.store.models import ReadingState, database
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.reads_box import attach_reads
from tests.factories import add_book


@pytest.fixture
def panel(qtbot, library):
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    return panel, attach_reads(panel)


def texts(box):
    tree = box.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]


def loaded(qloop, box, start):
    """Run `start()` and wait for the list read after it."""

    async def scenario():
        done = signal_future(box.loaded)
        start()
        await done

    qloop.run_until_complete(scenario())


def in_dialog(qloop, box, click, fill):
    """Open Add Read or Edit Read with `click`, let `fill(dialog)` act, then wait for it."""

    async def scenario():
        opened = signal_future(box.dialog_opened)
        task = click()
        (dialog,) = await opened
        fill(dialog)
        await task

    qloop.run_until_complete(scenario())


def ok(dialog, started=None, state=None, finished=None):
    if started is not None:
        dialog.started_edit.setText(started)
    if state is not None:
        dialog.state_box.setCurrentIndex(dialog.state_box.findData(state))
    if finished is not None:
        dialog.finished_edit.setText(finished)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def status(book_id):
    state = ReadingState.get(ReadingState.book == book_id)
    return state.status, state.started, state.finished


def select(box, row):
    box.tree.setCurrentItem(box.tree.topLevelItem(row))


def test_add_edit_delete_in_the_window_each_undone_and_redone(qloop, panel, library):
    panel, box = panel
    book = add_book("Dune").id
    loaded(qloop, box, lambda: panel.show_book(book))
    assert texts(box) == [] and box.empty_label.isVisibleTo(panel)
    assert not box.edit_button.isEnabled() and not box.delete_button.isEnabled()

    in_dialog(qloop, box, box.add_clicked, lambda d: ok(d, "2024-01-02", "done", "2024-02-01"))
    assert texts(box) == [["2024-01-02", "2024-02-01", "100 %", "this library"]]
    assert status(book) == ("read", "2024-01-02", "2024-02-01")
    assert panel.status_combo.currentData() == "read"  # the panel shows the latest read

    in_dialog(qloop, box, box.add_clicked, lambda d: ok(d, "2026-03-01", "open"))
    assert texts(box)[1] == ["2026-03-01", "open", "", "this library"]
    assert status(book) == ("rereading", "2026-03-01", None)

    select(box, 1)
    in_dialog(qloop, box, box.edit_clicked, lambda d: ok(d, state="done"))  # no finish date
    assert texts(box)[1] == ["2026-03-01", "no date", "100 %", "this library"]

    select(box, 0)
    loaded(qloop, box, box.delete_clicked)
    assert [row[0] for row in texts(box)] == ["2026-03-01"]

    undo = UndoService(library)
    expected = [
        ("Delete a read of “Dune”", ["2024-01-02", "2026-03-01"]),
        ("Edit a read of “Dune”", ["2024-01-02", "2026-03-01"]),
        ("Add a read of “Dune”", ["2024-01-02"]),
        ("Add a read of “Dune”", []),
    ]
    for label, starts in expected:
        assert undo.undo().label == label
        loaded(qloop, box, panel.reload)  # as the window reloads the book after an undo
        assert [row[0] for row in texts(box)] == starts
    assert status(book) == ("unread", None, None)
    for _ in expected:
        undo.redo()
    loaded(qloop, box, panel.reload)
    assert texts(box) == [["2026-03-01", "no date", "100 %", "this library"]]
    assert panel.status_combo.currentData() == "read"


def test_a_refused_value_keeps_the_dialog_open_with_what_was_typed(qloop, panel):
    panel, box = panel
    book = add_book("Emma").id
    loaded(qloop, box, lambda: panel.show_book(book))

    def wrong_then_cancel(dialog):
        ok(dialog, "2026-02-01", "done", "2026-01-01")
        assert dialog.isVisible() and "before the start date" in dialog.error.text()
        assert dialog.finished_edit.text() == "2026-01-01"
        dialog.reject()

    in_dialog(qloop, box, box.add_clicked, wrong_then_cancel)
    assert texts(box) == []


def linked_with_a_read_there(book: int, started: str) -> None:
    """The book linked to Hardcover, whose entry (Read) has read 41, begun on `started`."""
    database.execute_sql(
        "INSERT INTO hardcover_match (book_id, state, hc_book_id, user_book_id, candidates,"
        " updated_at, pinned, created_by_us, lead) VALUES (?, 'linked', 77, 500, '[]', 0, 0, 0, 0)",
        (book,),
    )
    entry = {"status_id": 3, "reads": [{"id": 41, "started": started, "finished": None}]}
    database.execute_sql(
        "INSERT INTO hardcover_pulled (user_book_id, hc_book_id, entry) VALUES (500, 77, ?)",
        (json.dumps(entry),),
    )


def test_a_reread_pulled_from_hardcover_is_listed_and_can_be_kept_here(qloop, panel):
    panel, box = panel
    book = add_book("Persuasion").id
    linked_with_a_read_there(book, "2026-02-01")
    loaded(qloop, box, lambda: panel.show_book(book))
    assert texts(box) == [["2026-02-01", "no date", "", "hardcover.app"]]
    select(box, 0)
    assert not box.edit_button.isEnabled() and box.delete_button.isEnabled()

    def offered(dialog):  # Add Read… starts from the selected read on hardcover.app
        assert (dialog.started_edit.text(), dialog.finished_edit.text()) == ("2026-02-01", "")
        ok(dialog)

    in_dialog(qloop, box, box.add_clicked, offered)
    assert texts(box) == [["2026-02-01", "no date", "100 %", "hardcover.app"]]  # one read
    [line] = box.lines
    assert line.editable and line.hardcover_read_id == 41
    select(box, 0)
    assert box.edit_button.isEnabled()


def test_a_read_only_on_hardcover_is_deleted_here_for_the_sync_and_undo_keeps_it(
    qloop, panel, library
):
    panel, box = panel
    book = add_book("Persuasion").id
    linked_with_a_read_there(book, "2025-02-01")
    loaded(qloop, box, lambda: panel.show_book(book))
    select(box, 0)
    assert "Delete deletes it there at the next sync" in box.tree.topLevelItem(0).toolTip(3)
    loaded(qloop, box, box.delete_clicked)
    assert texts(box) == [] and not box.empty_label.isHidden()
    assert database.execute_sql("SELECT hardcover_read_id FROM book_read_gone").fetchall() == [
        (41,)
    ]  # the sync deletes it on hardcover.app by its id
    assert UndoService(library).undo().label == "Delete a read of “Persuasion”"
    loaded(qloop, box, panel.reload)
    assert texts(box) == [["2025-02-01", "no date", "100 %", "hardcover.app"]]


def test_a_finish_date_typed_stays_when_the_state_goes_to_open_and_back(qtbot):
    """Open has no finish date, so none is saved while the read is open; turning back to
    finished finds the date that was typed."""
    from bookorbit_desktop.services.library.reads import DONE, OPEN
    from bookorbit_desktop.ui.library.read_dialog import STATES, ReadDialog

    saved = []
    dialog = ReadDialog("Edit Read", {"started": "2026-01-05"}, saved.append)
    qtbot.addWidget(dialog)
    dialog.finished_edit.setText("2026-03-01")
    dialog.state_box.setCurrentIndex(STATES.index(OPEN))
    assert not dialog.finished_edit.isEnabled()
    assert dialog.values() == {"started": "2026-01-05", "finished": None, "state": OPEN}
    dialog.state_box.setCurrentIndex(STATES.index(DONE))
    assert dialog.values() == {"started": "2026-01-05", "finished": "2026-03-01", "state": DONE}
