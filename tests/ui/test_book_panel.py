"""The book panel shows a real book and saves reading-state edits through the library rules."""

from __future__ import annotations

import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.library import queries
from bookorbit_desktop.services.library import LibraryService
from bookorbit_desktop.ui.book_panel import BookPanel
from tests.factories import add_book, make_epub


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
    assert panel.cover.text() == "No cover"
    assert panel.edited() == {}


def test_status_change_saves_and_brings_the_implied_dates(panel, book, qtbot):
    panel.show_book(book.id)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("read"))
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.5))
    assert panel.edited() == {"status": "read", "rating": 4.5}
    with qtbot.waitSignal(panel.saved) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [book.id]
    reading = queries.get_book(book.id)["reading"]
    today = datetime.date.today().isoformat()
    assert (reading["status"], reading["rating"], reading["finished"]) == ("read", 4.5, today)
    assert panel.finished_edit.text() == today  # the form shows what was stored
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
    assert "Linked" in panel.hardcover_label.text()
    assert "412 pages" in panel.hardcover_label.text()
    with qtbot.waitSignal(panel.pick_requested) as picked:
        panel.pick_button.click()
    assert picked.args == [book.id]
    with qtbot.waitSignal(panel.exclude_requested) as excluded:
        panel.exclude_button.click()
    assert excluded.args == [book.id, True]
    states["state"] = "excluded"
    panel.reload()
    assert panel.exclude_button.text() == "Inclu&de"
    assert not panel.pick_button.isEnabled()
    with qtbot.waitSignal(panel.exclude_requested) as included:
        panel.exclude_button.click()
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
