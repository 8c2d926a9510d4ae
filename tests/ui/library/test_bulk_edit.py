"""Editing several books through the real Edit dialog at 1366x768 on a real library: status,
rating, series numbers from 5 in the table's order, publisher and language, confirmed with the
count; a read the history does not date takes the finish date asked once; the books a rule
refuses are listed and left whole; Hardcover's outbox has the status changes; and one Edit ▸
Undo brings every book back exactly as it was."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.journal.book_values import read_values
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.models import Book, ReadingState, SyncOutbox
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics
from tests.ui.library.test_edit_dialog import click_save, save_button, window_with_books

OCT_4 = int(dt.datetime(2026, 10, 4, 12, 0).timestamp())  # local noon
DAY = 86_400


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_several_books_take_status_rating_numbers_publisher_and_language_in_one_step(
    qtbot, qloop, library, tmp_path
):
    books, ko_books = [], []
    for title in ("Zed", "Alpha", "Mid"):  # added in another order than the table shows them
        epub = make_epub(tmp_path / f"{title}.epub", title, ("Ann Author",))
        books.append(add_book(title, ["Ann Author"], file=epub, series="Old", series_index=1.0))
        rows = [(1, OCT_4, 600, 300), (290, OCT_4 + 8 * DAY, 600, 300)]
        ko_books.append(KoBook(title, "Ann Author", partial_md5(epub), 300, rows))
    import_statistics(write_statistics(tmp_path / "stats.sqlite3", ko_books))
    bare = add_book("Bare", series="Old", series_index=1.0)  # no history: no date to finish on
    window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    shown = view.selected_book_ids()
    ids = [b.id for b in (*books, bare)]
    assert sorted(shown) == sorted(ids) and shown != ids
    before = read_values(ids)

    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog.windowTitle() == "Edit 4 Books"
    dialog.lines["series"].setText("Saga")
    dialog.lines["language"].setText("fr")
    dialog.bulk.publisher.setText("Tor")
    dialog.bulk.number.setChecked(True)
    assert dialog.bulk.number_from.maximum() == 99_999  # the limit `books edit` takes
    dialog.bulk.number_from.setValue(5)
    assert dialog.bulk.finish.date.isHidden()  # asked with a finished status only
    choose(dialog.bulk.status, "read")
    assert dialog.bulk.finish.date.isVisible()  # once for the books the history does not date
    dialog.bulk.finish.no_date.setChecked(True)  # "I do not know when"
    assert dialog.changed()["finished"] == "none" and not dialog.bulk.finish.date.isEnabled()
    dialog.bulk.finish.no_date.setChecked(False)
    dialog.bulk.finish.date.setDate(QDate(2026, 11, 1))
    choose(dialog.bulk.rating, "4.5")
    click_save(qtbot, qloop, dialog)
    assert dialog.isVisible() and save_button(dialog).text() == "Apply to 4 Books"
    assert dialog.confirm_label.text() == (
        "This changes the series, languages, publisher, series numbers (from 5), status "
        "and rating of 4 books.\n"
        "Books whose reading history has no finish date (1) are finished on: 2026-11-01.\n"
        "Edit ▸ Undo takes it back."
    )
    assert read_values(ids) == before and SyncOutbox.select().count() == 0  # nothing yet

    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Saved 4 books."
    for number, book_id in enumerate(shown, start=5):  # numbered in the table's order
        book = Book.get_by_id(book_id)
        assert (book.series, book.series_index, book.language, book.publisher) == (
            "Saga",
            number,
            "fr",
            "Tor",
        )
    for book in books:  # the reading history dates these: they keep its dates
        state = ReadingState.get(ReadingState.book == book.id)
        assert (state.status, state.started, state.finished, state.rating) == (
            "read",
            "2026-10-04",
            "2026-10-12",
            4.5,
        )
    bare_state = ReadingState.get(ReadingState.book == bare.id)
    assert (bare_state.status, bare_state.finished, bare_state.rating) == (
        "read",
        "2026-11-01",
        4.5,
    )
    # Each status change is queued for Hardcover as a one-book edit is.
    queued = {row.book_id: set(row.kinds) for row in SyncOutbox.select()}
    assert queued == {book_id: {"status", "rating"} for book_id in ids}

    undo = actions.undo
    assert undo.undo_action.text() == "&Undo Edit 4 Books"
    undo.undo_action.trigger()
    assert read_values(ids) == before  # every book exactly as it was, in one step
    assert undo.undo_action.text() == "&Undo"


def test_want_to_read_for_several_books_from_the_edit_dialog(qtbot, qloop, library):
    reading = add_book("Reading", status="reading")
    others = [add_book(title) for title in ("One", "Two")]
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    ids = [reading.id, *(b.id for b in others)]
    before = read_values(ids)
    actions.edit_action.trigger()
    dialog = actions.dialog
    choose(dialog.bulk.status, "want_to_read")
    click_save(qtbot, qloop, dialog)
    assert save_button(dialog).text() == "Apply to 3 Books"
    assert "Want to Read replaces the status (here or on Hardcover) of “Reading”." in (
        dialog.confirm_label.text()
    )
    choose(dialog.bulk.status, None)  # changed: asked again
    assert save_button(dialog).text() == "Save" and dialog.confirm_label.isHidden()
    choose(dialog.bulk.status, "want_to_read")
    click_save(qtbot, qloop, dialog)
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    statuses = {s.book_id: s.status for s in ReadingState.select()}
    assert statuses == dict.fromkeys(ids, "want_to_read")
    assert {row.book_id for row in SyncOutbox.select()} == set(ids)
    actions.undo.undo_action.trigger()
    assert read_values(ids) == before


def test_the_books_left_as_they_are_show_whole_in_the_dialog(qtbot, qloop, library):
    for number in range(1, 9):  # no series: nothing to number them in
        add_book(f"Foundation Part {number}", ("Isaac Asimov",))
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.bulk.number.setChecked(True)
    click_save(qtbot, qloop, dialog)
    label = dialog.confirm_label
    assert label.text().count("• ") == 8
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert dialog.frameGeometry().bottom() <= dialog.screen().availableGeometry().bottom()


def test_tags_typed_for_several_books_are_part_of_the_confirmed_bulk_edit(qtbot, qloop, library):
    from bookorbit_desktop.library.tags.store import book_tags

    ids = [add_book(title).id for title in ("One", "Two", "Three")]
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.tags.add_line.setText("Owned, to read")
    choose(dialog.bulk.rating, "3")
    click_save(qtbot, qloop, dialog)
    assert save_button(dialog).text() == "Apply to 3 Books"
    assert "rating and tags of 3 books" in dialog.confirm_label.text()
    assert book_tags(ids) == {book_id: [] for book_id in ids}  # nothing before the second click
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert book_tags(ids) == {book_id: ["Owned", "to read"] for book_id in ids}
    actions.undo.undo_action.trigger()  # the tags and the ratings go back in one step
    assert book_tags(ids) == {book_id: [] for book_id in ids}
    assert {ReadingState.get(ReadingState.book == b).rating for b in ids} == {None}


def test_the_publisher_the_books_share_is_shown_and_emptying_it_removes_it(qtbot, qloop, library):
    ids = [add_book(title).id for title in ("One", "Two", "Three")]
    Book.update(publisher="Tor").execute()
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog.bulk.publisher.text() == "Tor"  # as the shared authors and series show
    assert dialog.changed() == {}
    dialog.bulk.publisher.clear()
    assert dialog.changed() == {"publisher": ""}
    click_save(qtbot, qloop, dialog)
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert {Book.get_by_id(book_id).publisher for book_id in ids} == {None}

    Book.update(publisher="Gollancz").where(Book.id == ids[0]).execute()
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog.bulk.publisher.text() == ""
    assert dialog.bulk.publisher.placeholderText() == "(several values)"
    assert dialog.changed() == {}  # where they differ, left alone unless typed into


def test_the_finish_date_label_is_a_shortcut_to_its_date_not_a_literal_ampersand(qtbot, library):
    for title in ("One", "Two"):
        add_book(title)
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    finish = actions.dialog.bulk.finish
    choose(actions.dialog.bulk.status, "read")
    label = finish._fields.labelForField(finish._row)
    assert isinstance(label, QLabel) and label.isVisible()
    assert label.buddy() is finish.date  # "&F" is Alt+F to the date, shown underlined
    assert QKeySequence.mnemonic(label.text()) == QKeySequence("Alt+F")


def _discard_question(dialog) -> QMessageBox:
    assert dialog.isVisible() and dialog.question is not None
    assert dialog.question.isVisible()
    assert dialog.question.text() == "Discard your changes?"
    return dialog.question


def _answer(qtbot, box: QMessageBox, text: str) -> None:
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_esc_or_cancel_asks_before_a_filled_bulk_edit_is_thrown_away(qtbot, qloop, library):
    ids = [add_book(title).id for title in ("One", "Two", "Three")]
    before = read_values(ids)
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closed at once
    assert not dialog.isVisible() and dialog.question is None

    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.bulk.publisher.setText("Tor")
    choose(dialog.bulk.rating, "4")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    _answer(qtbot, _discard_question(dialog), "Cancel")  # back to the edit, as it was
    assert dialog.isVisible() and dialog.question is None
    assert dialog.bulk.publisher.text() == "Tor"

    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    _answer(qtbot, _discard_question(dialog), "Discard")
    assert not dialog.isVisible()
    assert read_values(ids) == before and SyncOutbox.select().count() == 0
