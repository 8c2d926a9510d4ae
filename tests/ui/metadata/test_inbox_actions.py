"""A book held in the Inbox is corrected before it is approved: Edit… and Fetch Metadata… on the
Inbox page open the window's dialogs for it (the library table, where those actions otherwise
take their books, does not list it), and the page shows the change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.ui.library.edit_dialog import EditDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from tests.ui.assembled import local_desktop
from tests.ui.metadata.conftest import emitted, wait


@pytest.fixture
def desktop(library, sources, fox, qtbot, qloop):
    inbox.set_enabled(True)
    inbox.hold([fox.id])
    desktop = local_desktop(library, shown=True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def held_page(desktop, qloop):
    view = desktop.controller.inbox
    counted = emitted(qloop, view.counted)
    QTimer.singleShot(0, view.refresh)  # a read once the loop runs
    wait(qloop, counted)
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    return view


def read_again_until(qloop, view, shown, expected="Fantastic Mr. Fox", reads=5):
    """What `shown()` gives once the Inbox page has been read again with the change (each
    read ends with `counted`; a read started before the change may end first)."""
    for _ in range(reads):
        if shown() == expected:
            break
        wait(qloop, emitted(qloop, view.counted))
    return shown()


def test_edit_a_held_book_then_it_waits_with_the_new_title(desktop, fox, qtbot, qloop):
    view = held_page(desktop, qloop)
    assert view.edit_button.isEnabled()
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = desktop.book_actions.dialog
    assert isinstance(dialog, EditDialog) and dialog.windowTitle() == "Edit “fantastic_mr_fox”"
    dialog.lines["title"].setText("Fantastic Mr. Fox")
    accepted = emitted(qloop, dialog.accepted)
    QTimer.singleShot(0, dialog.save)  # Save, as from the running window
    wait(qloop, accepted)
    assert read_again_until(qloop, view, lambda: view.tree.topLevelItem(0).text(0)) == (
        "Fantastic Mr. Fox"
    )
    assert Book.get_by_id(fox.id).title == "Fantastic Mr. Fox"
    assert "title" in edited_fields(fox.id)
    assert fox.id in inbox.held_ids()  # still waiting for approval


def test_fetch_metadata_for_a_held_book(desktop, fox, qtbot, qloop):
    view = held_page(desktop, qloop)
    qtbot.mouseClick(view.fetch_button, Qt.MouseButton.LeftButton)
    dialog = desktop.book_actions.metadata.dialog
    assert isinstance(dialog, FetchDialog) and dialog.book_id == fox.id
    wait(qloop, dialog.task)
    lines = {s: label.text() for s, label in dialog.pane.status_labels.items()}
    assert lines["hardcover"] == "Hardcover: not connected (Settings ▸ Hardcover)"
    assert lines["openlibrary"] == "Open Library: ok — 1 candidate"
    assert dialog.pane.table.pick("description", "openlibrary")
    saved = emitted(qloop, dialog.saved)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    wait(qloop, saved)
    assert Book.get_by_id(fox.id).description == "A clever fox outwits three farmers."
    assert "description" in edited_fields(fox.id)
    assert fox.id in inbox.held_ids()
