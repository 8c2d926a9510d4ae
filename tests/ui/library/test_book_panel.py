"""The book panel shows a real book and saves reading-state edits through the library rules."""

from __future__ import annotations

import asyncio
import datetime
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.library.reading import edits
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.cover_loader import GENERATED_COVER
from bookorbit_desktop.ui.library.book_panel import BookPanel
from tests.factories import add_book, make_epub
from tests.ui.events import wheel


@pytest.fixture
def service(library):
    return LibraryService(library)


@pytest.fixture
def panel(qtbot, service):
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    return panel


@pytest.fixture
def book(library, tmp_path):
    file = make_epub(tmp_path / "dune.epub", "Dune", ["Frank Herbert"])
    return add_book("Dune", ["Frank Herbert"], file=file, series="Dune", series_index=1.0)


def test_nothing_selected_shows_a_hint(panel):
    panel.show_book(None)
    assert panel.placeholder.isVisibleTo(panel)
    assert not panel.details.isVisibleTo(panel)
    assert panel.book_id is None
    assert not panel.save_reading()


def test_shows_the_book(panel, book):
    panel.show_book(book.id)
    assert not panel.placeholder.isVisibleTo(panel)
    assert panel.title_label.text() == "Dune"
    assert panel.byline.text() == "Frank Herbert\nDune #1"
    assert "dune.epub" in panel.facts.text()
    assert panel.status_combo.currentData() == "unread"
    assert panel.cover.accessibleName() == GENERATED_COVER  # the book has none of its own
    assert not panel.cover.pixmap().isNull()
    assert panel.edited() == {}


def test_without_a_note_the_finished_field_is_as_wide_as_started(panel, book, qtbot):
    panel.resize(360, 900)
    panel.show()
    panel.show_book(book.id)
    qtbot.waitExposed(panel)
    qtbot.wait(20)  # the layout follows
    assert not panel.finished_note.isVisible()
    assert panel.finished_edit.width() == panel.started_edit.width()


def test_status_change_saves_with_the_date_the_user_gives(panel, book, qtbot):
    panel.show_book(book.id)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("read"))
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.5))
    panel.finished_edit.setText("2024-03-01")  # Mark Read never takes today by itself
    assert panel.edited() == {"status": "read", "rating": 4.5, "finished": "2024-03-01"}
    with qtbot.waitSignal(panel.saved) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [book.id]
    reading = queries.get_book(book.id)["reading"]
    assert (reading["status"], reading["rating"], reading["finished"]) == (
        "read",
        4.5,
        "2024-03-01",
    )
    assert panel.finished_edit.text() == "2024-03-01"  # the form shows what was stored
    assert not panel.reading_error.isVisibleTo(panel)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("started_edit", "2024-13-45", "not a date"),
        ("started_edit", "31/03/2024", "YYYY-MM-DD"),
        ("finished_edit", "2999-01-01", "in the future"),
    ],
)
def test_a_bad_date_is_explained_and_nothing_is_written(panel, book, qtbot, field, text, message):
    panel.show_book(book.id)
    before = queries.get_book(book.id)["reading"]
    panel.progress_spin.setValue(50.0)
    getattr(panel, field).setText(text)
    with qtbot.assertNotEmitted(panel.saved):
        assert not panel.save_reading()
    assert panel.reading_error.isVisibleTo(panel)
    assert message in panel.reading_error.text()
    assert queries.get_book(book.id)["reading"] == before
    assert getattr(panel, field).text() == text  # kept as typed, to be corrected
    panel.revert_button.click()
    assert not panel.reading_error.isVisibleTo(panel)
    assert panel.progress_spin.value() == 0.0


def test_finish_before_start_is_refused(panel, book):
    panel.show_book(book.id)
    panel.started_edit.setText("2024-05-02")
    panel.finished_edit.setText("2024-05-01")
    assert not panel.save_reading()
    assert panel.reading_error.text()
    assert queries.get_book(book.id)["reading"]["started"] is None


def test_progress_and_clearing_a_rating(panel, book, service):
    service.save_reading(book.id, {"status": "reading", "rating": 3.0})
    panel.show_book(book.id)
    panel.progress_spin.setValue(37.5)
    panel.rating_combo.setCurrentIndex(0)
    assert panel.edited() == {"progress": 0.375, "rating": None}
    assert panel.save_reading()
    reading = queries.get_book(book.id)["reading"]
    assert reading["progress"] == pytest.approx(0.375)
    assert reading["rating"] is None


def test_saving_tells_the_sync_hook(library, book, qtbot):
    changed = []
    service = LibraryService(library, on_reading_changed=changed.append)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(book.id)
    assert panel.save_reading()  # nothing changed: no write, no hook
    assert changed == []
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("reading"))
    assert panel.save_reading()
    assert changed == [book.id]


def test_hardcover_buttons_follow_the_match_state(qtbot, library, book):
    states = {"state": "linked", "summary": "Dune (ebook, 2019, 412 pages)", "reason": "ISBN"}
    service = LibraryService(library, match_info=lambda _id: dict(states))
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.set_hardcover_actions(True)
    panel.show_book(book.id)
    assert panel.hardcover_box.isVisibleTo(panel)
    assert "Linked" in panel.hardcover_box.label.text()
    assert "412 pages" in panel.hardcover_box.label.text()
    with qtbot.waitSignal(panel.pick_requested) as picked:
        panel.hardcover_box.pick_button.click()
    assert picked.args == [book.id]
    with qtbot.waitSignal(panel.exclude_requested) as excluded:
        panel.hardcover_box.exclude_button.click()
    assert excluded.args == [book.id, True]
    states["state"] = "excluded"
    panel.reload()
    assert panel.hardcover_box.exclude_button.text() == "Inc&lude"
    assert not panel.hardcover_box.pick_button.isEnabled()
    with qtbot.waitSignal(panel.exclude_requested) as included:
        panel.hardcover_box.exclude_button.click()
    assert included.args == [book.id, False]


def test_a_book_without_description_leaves_no_gaps(panel, book, qtbot):
    # The free height goes below the form, not between the cover, the facts and the form.
    panel.resize(420, 1000)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_book(book.id)
    QApplication.processEvents()  # let the posted layout requests run
    assert not panel.description.isVisibleTo(panel)
    cover, title, facts = (
        panel.cover.geometry(),
        panel.title_label.geometry(),
        panel.facts.geometry(),
    )
    assert abs(cover.top() - title.top()) <= 12
    assert facts.top() - cover.bottom() <= 20
    assert panel.reading_box.geometry().top() - facts.bottom() <= 20


def push(book, percentage: float) -> None:
    """A KOReader push for the book's file, through the library's own push rules."""
    document = queries.get_book(book.id)["files"][0]["documents"][0]["document"]
    progress.record_push(
        progress.Push(document, "/body/p[3]", percentage, "Kobo"), timestamp=int(time.time())
    )


def test_a_reload_keeps_unsaved_edits_and_updates_the_other_fields(panel, book):
    panel.show_book(book.id)
    panel.progress_spin.setValue(30.0)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.0))
    push(book, 0.5)  # the book starts: status, start date and progress move
    panel.reload()
    today = datetime.date.today().isoformat()
    assert panel.status_combo.currentData() == "reading"  # not edited: the stored value
    assert panel.started_edit.text() == today
    assert panel.progress_spin.value() == 30.0  # edited: as typed
    assert panel.rating_combo.currentData() == 4.0
    assert panel.edited() == {"progress": 0.3, "rating": 4.0}
    assert panel.reading_notice.isVisibleTo(panel)
    assert "Progress is now 50 %" in panel.reading_notice.text()
    assert "Rating" not in panel.reading_notice.text()  # its stored value did not move
    assert panel.save_reading()
    reading = queries.get_book(book.id)["reading"]
    assert (reading["status"], reading["progress"], reading["rating"]) == ("reading", 0.3, 4.0)
    assert reading["started"] == today
    assert not panel.reading_notice.isVisibleTo(panel)


def test_revert_after_a_reload_shows_the_stored_values(panel, book):
    panel.show_book(book.id)
    panel.progress_spin.setValue(30.0)
    push(book, 0.5)
    panel.reload()
    panel.reload()  # a second refresh keeps the edit and the note
    assert panel.progress_spin.value() == 30.0
    assert "Progress is now 50 %" in panel.reading_notice.text()
    panel.revert_button.click()
    assert panel.progress_spin.value() == 50.0
    assert panel.edited() == {}
    assert not panel.reading_notice.isVisibleTo(panel)


def test_an_edit_the_stored_state_caught_up_with_is_no_longer_an_edit(panel, book, service):
    panel.show_book(book.id)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("reading"))
    panel.progress_spin.setValue(50.0)
    push(book, 0.5)
    panel.reload()
    assert panel.edited() == {}
    assert not panel.reading_notice.isVisibleTo(panel)
    assert panel.status_combo.currentData() == "reading"


def test_a_reload_keeps_a_rejected_value_and_its_explanation(panel, book):
    panel.show_book(book.id)
    panel.started_edit.setText("31/03/2024")
    assert not panel.save_reading()
    push(book, 0.5)
    panel.reload()
    assert panel.started_edit.text() == "31/03/2024"
    assert panel.reading_error.isVisibleTo(panel)
    assert panel.progress_spin.value() == 50.0


def test_progress_typed_on_an_unread_book_starts_it(panel, book):
    panel.show_book(book.id)
    panel.progress_spin.setValue(40.0)
    assert panel.edited() == {"progress": 0.4}
    assert panel.save_reading()
    assert panel.status_combo.currentData() == "reading"
    assert panel.started_edit.text() == ""  # nothing says when it began: never the click's day


async def answer(panel, button: QMessageBox.StandardButton) -> bool:
    opened = signal_future(panel.question_opened)
    task = asyncio.ensure_future(panel.confirm_leave())
    (box,) = await asyncio.wait_for(opened, 5)
    assert box.isVisible() and "Dune" in box.text()
    box.button(button).click()
    return await task


@pytest.mark.parametrize(
    ("button", "leaves", "stored_rating", "shown_rating"),
    [
        (QMessageBox.StandardButton.Save, True, 4.0, 4.0),
        (QMessageBox.StandardButton.Discard, True, None, None),
        (QMessageBox.StandardButton.Cancel, False, None, 4.0),
    ],
)
def test_leaving_with_unsaved_edits_asks(
    panel, book, qloop, button, leaves, stored_rating, shown_rating
):
    panel.show_book(book.id)
    assert qloop.run_until_complete(panel.confirm_leave())  # nothing edited: no question
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.0))
    assert panel.has_unsaved_edits()
    assert qloop.run_until_complete(answer(panel, button)) is leaves
    assert queries.get_book(book.id)["reading"]["rating"] == stored_rating
    assert panel.rating_combo.currentData() == shown_rating


def test_saving_a_rejected_value_when_leaving_stays(panel, book, qloop):
    panel.show_book(book.id)
    panel.finished_edit.setText("2999-01-01")
    assert not qloop.run_until_complete(answer(panel, QMessageBox.StandardButton.Save))
    assert "in the future" in panel.reading_error.text()
    assert panel.finished_edit.text() == "2999-01-01"


def test_the_panel_gives_the_page_of_the_linked_edition_and_labels_the_description(qtbot, library):
    from bookorbit_desktop.library.store.models import Book

    dune = add_book("Dune", ["Frank Herbert"], status="reading")
    edits.update_reading_state(dune.id, progress=0.675)
    Book.update(description="Spice and sand.").where(Book.id == dune.id).execute()
    match = {"state": "linked", "summary": "Dune (ebook, 332 pages)", "edition_pages": 332}
    service = LibraryService(library, match_info=lambda _id: dict(match))
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(dune.id)
    assert "Progress: 68 % · p. 224 of 332" in panel.hardcover_box.label.text()
    assert panel.description_box.title() == "Description"
    assert panel.description_box.isVisibleTo(panel)
    assert panel.description.toPlainText() == "Spice and sand."


def test_an_unread_book_says_it_is_not_synced(qtbot, library, book):
    service = LibraryService(library, match_info=lambda _id: {"state": "unmatched"})
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(book.id)
    assert "Not synced: unread" in panel.hardcover_box.label.text()
    assert not panel.hardcover_box.rematch_button.isEnabled()


def long_description_book(tmp_path, title: str):
    file = make_epub(tmp_path / f"{title}.epub", title, ["A. Writer"])
    book = add_book(title, ["A. Writer"], file=file)
    book.description = "A long description.\n" * 200
    book.save()
    return book


def test_the_wheel_scrolls_the_panel_and_edits_only_a_focused_field(qtbot, panel, tmp_path):
    book = long_description_book(tmp_path, "Dune")
    panel.resize(400, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_book(book.id)
    bar = panel.details.verticalScrollBar()
    assert bar.maximum() > 0
    for field in (panel.progress_spin, panel.status_combo, panel.rating_combo):
        panel.details.ensureWidgetVisible(field)
        before_scroll, before = bar.value(), panel._form()
        wheel(field, steps=1)  # towards the top: a field below the top is in view
        assert panel._form() == before, field  # nothing edited
        assert bar.value() < before_scroll, field  # the panel scrolled instead
        assert not panel.has_unsaved_edits()
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.progress_spin.setFocus()  # a click or Tab
    qtbot.waitUntil(panel.progress_spin.hasFocus)
    wheel(panel.progress_spin, steps=1)
    assert panel.progress_spin.value() > 0  # a focused field takes the wheel


def test_enter_in_the_leave_question_does_not_save(panel, book, qloop):
    panel.show_book(book.id)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.0))

    async def press_enter() -> bool:
        opened = signal_future(panel.question_opened)
        task = asyncio.ensure_future(panel.confirm_leave())
        (box,) = await asyncio.wait_for(opened, 5)
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.defaultButton().click()  # what Enter does
        return await task

    assert qloop.run_until_complete(press_enter()) is False
    assert queries.get_book(book.id)["reading"]["rating"] is None
    assert panel.rating_combo.currentData() == 4.0  # kept, unsaved, as typed


def test_each_book_opens_at_the_top_of_its_details(qtbot, panel, tmp_path):
    first = long_description_book(tmp_path, "First")
    second = long_description_book(tmp_path, "Second")
    panel.resize(400, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_book(first.id)
    bar = panel.details.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    panel.show_book(second.id)
    assert bar.value() == 0
