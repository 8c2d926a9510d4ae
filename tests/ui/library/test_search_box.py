"""The search language in the library window at 1366x768: the filter box shows the books a
search finds, in the table's order; a search that cannot be read says why under the box and
the table keeps its last books; searches are saved to the sidebar, run with a click, renamed
and deleted, and kept in the library."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.store.tag_tables import BookTag, Tag
from bookorbit_desktop.services.library import saved_searches
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.saved_searches import SavedSearchesSection
from bookorbit_desktop.ui.main_window import MainWindow
from tests.factories import add_book
from tests.ui.assembled import bare_window
from tests.ui.library.test_lazy_model import arrived

TODAY = date(2025, 6, 15)
BOOKS = [  # title, author, series, status, rating, added
    ("Dune", "Frank Herbert", "Dune", "read", 5.0, date(2025, 6, 10)),
    ("Dune Messiah", "Frank Herbert", "Dune", "reading", 4.0, date(2024, 1, 5)),
    ("Emma", "Jane Austen", None, "want_to_read", None, date(2025, 6, 14)),
    ("Persuasion", "Jane Austen", None, "read", 3.5, date(2023, 3, 3)),
    ("The Hobbit", "J. R. R. Tolkien", None, "unread", 4.5, date(2025, 5, 1)),
]


@pytest.fixture
def window(library, qtbot, qloop, tmp_path) -> MainWindow:
    for title, author, series, status, rating, added in BOOKS:
        moment = datetime.combine(added, datetime.min.time()).timestamp() + 7200
        book = add_book(title, [author], series=series, status=status, added_at=moment)
        ReadingState.update(rating=rating).where(ReadingState.book == book.id).execute()
        if series == "Dune":
            tag, _ = Tag.get_or_create(name="Sci-Fi")
            BookTag.create(book=book, tag=tag)
    window = bare_window(qtbot, library, tmp_path)
    view = window.library_view
    view.model.today = lambda: TODAY
    view.model.set_reader(LibraryService(library).table_books)
    view.model.refresh()
    window.resize(1366, 768)
    window.show()
    return window


def titles(window: MainWindow) -> list[str]:
    model = window.library_view.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def search(qloop, window: MainWindow, text: str) -> list[str]:
    view = window.library_view
    arrived(qloop, view.model, lambda: view.filter_edit.setText(text))
    return titles(window)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", ["Dune", "Dune Messiah", "Emma", "Persuasion", "The Hobbit"]),
        ("dune", ["Dune", "Dune Messiah"]),
        ("rating:>=4", ["Dune", "Dune Messiah", "The Hobbit"]),
        ("rating:>=4 dune", ["Dune", "Dune Messiah"]),
        ("dune not status:read", ["Dune Messiah"]),
        ("author:austen or series:dune", ["Dune", "Dune Messiah", "Emma", "Persuasion"]),
        ("added:>30daysago", ["Dune", "Emma"]),
        ("added:2024", ["Dune Messiah"]),
        ("status:want", ["Emma"]),
        ("tags:sci-fi rating:>=4.5", ["Dune"]),
        ("not tags:sci-fi", ["Emma", "Persuasion", "The Hobbit"]),
        ('title:="the hobbit"', ["The Hobbit"]),
        ("title:~^d.*h$", ["Dune Messiah"]),
        ("rating:false", ["Emma"]),
        ("hardcover:unmatched status:read", ["Dune", "Persuasion"]),
    ],
)
def test_searches_show_their_books(window, qloop, text, found):
    assert search(qloop, window, text) == found
    assert window.library_view.model.filter_active == bool(text)
    assert window.library_view.search_error.isHidden()


def test_a_search_keeps_the_tables_sort_and_a_word_typed_on_narrows_it(window, qloop):
    view = window.library_view
    index = COLUMN_KEYS.index("title")
    arrived(qloop, view.model, lambda: view.table.sortByColumn(index, Qt.SortOrder.DescendingOrder))
    assert search(qloop, window, "rating:>=4") == ["The Hobbit", "Dune Messiah", "Dune"]
    for end, found in [
        (1, ["Dune Messiah", "Dune"]),
        (2, ["Dune Messiah", "Dune"]),
        (4, ["Dune Messiah", "Dune"]),
        (6, ["Dune Messiah"]),
        (0, ["The Hobbit", "Dune Messiah", "Dune"]),
    ]:
        assert search(qloop, window, "rating:>=4 " + "dune m"[:end]) == found, end
    assert search(qloop, window, "status:read") == ["Persuasion", "Dune"]
    assert search(qloop, window, "") == ["The Hobbit", "Persuasion", "Emma", "Dune Messiah", "Dune"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ratng:>4", "Unknown field 'ratng' — did you mean rating? (at character 1)"),
        ('dune title:"the', "Unclosed quote (at character 12)"),
        ("dune or", "Nothing after 'or' (at character 6)"),
        ("added:<soon", "'added' takes a date (2024, 2024-05, 2024-05-31, today, yesterday,"),
        ('title:~"(a)\\1"', "Searches do not take \\1: their engine has no back-references,"),
        ("title:~(?=a)", "Searches do not take (?=: their engine has no back-references, look"),
    ],
)
def test_a_search_that_cannot_be_read_says_why_and_the_table_keeps_its_books(
    window, qloop, text, message
):
    view = window.library_view
    assert search(qloop, window, "author:herbert") == ["Dune", "Dune Messiah"]
    assert search(qloop, window, text) == ["Dune", "Dune Messiah"]  # as it was
    assert view.search_error.isVisible()
    assert view.search_error.text().startswith(message)
    assert view.search_error.geometry().top() >= view.filter_edit.geometry().bottom()
    assert search(qloop, window, "author:austen") == ["Emma", "Persuasion"]
    assert view.search_error.isHidden()


def typed(qtbot, qloop, window: MainWindow, text: str) -> list[str]:
    """`text` typed into the filter box one key at a time, each search read before the next."""
    view = window.library_view
    for key in text:
        arrived(qloop, view.model, lambda key=key: qtbot.keyClicks(view.filter_edit, key))
    assert view.filter_edit.text().endswith(text)
    return titles(window)


@pytest.mark.parametrize(
    ("start", "found", "rated"),
    [
        ("", ["Dune", "Dune Messiah", "Emma", "Persuasion", "The Hobbit"], ["Dune", "The Hobbit"]),
        ("author:austen ", ["Emma", "Persuasion"], []),
    ],
)
def test_an_unknown_field_typed_key_by_key_keeps_the_books_from_before_it(
    window, qloop, qtbot, start, found, rated
):
    view = window.library_view
    assert search(qloop, window, start) == found
    assert typed(qtbot, qloop, window, "ratng:>3") == found  # not "ratng" as a word: no book
    assert view.search_error.isVisible()
    assert view.search_error.text() == (
        f"Unknown field 'ratng' — did you mean rating? (at character {len(start) + 1})"
    )
    assert view.empty_label.isHidden()
    for _ in range(len("ng:>3")):  # back to "rat", a word again
        arrived(qloop, view.model, lambda: qtbot.keyClick(view.filter_edit, Qt.Key.Key_Backspace))
    assert view.search_error.isHidden() and view.model.rowCount() == 0
    assert typed(qtbot, qloop, window, "ing:>=4.5") == rated  # the field fixed: it is searched


def section_of(window: MainWindow) -> SavedSearchesSection:
    section = window.sidebar.sections["Saved searches"]
    assert isinstance(section, SavedSearchesSection)
    return section


def test_the_sidebar_shows_from_the_first_saved_search_and_runs_them(
    window, qloop, qtbot, library, tmp_path
):
    section = section_of(window)
    view = window.library_view
    assert window.sidebar.isHidden()  # no saved search yet: the table has the room
    names = iter(["Good ones", "  ", "good ONES", "Top"])
    section.ask_name = lambda _title, _label, _text: next(names)
    search(qloop, window, "rating:>=4")
    qtbot.mouseClick(view.save_search_button, Qt.MouseButton.LeftButton)
    assert window.sidebar.isVisible() and window.sidebar_action.isChecked()
    sidebar = window.sidebar
    qtbot.waitUntil(  # left of the table, once laid out
        lambda: (
            sidebar.mapTo(window, sidebar.rect().topRight()).x()
            < view.mapTo(window, view.rect().topLeft()).x()
        )
    )
    assert [section.list.item(n).text() for n in range(section.list.count())] == ["Good ones"]
    for refused in ("Give the search a name.", "There is already a saved search named"):
        qtbot.mouseClick(view.save_search_button, Qt.MouseButton.LeftButton)
        assert section.message.isVisible() and section.message.text().startswith(refused)
    search(qloop, window, "status:read")
    qtbot.mouseClick(view.save_search_button, Qt.MouseButton.LeftButton)
    assert section.message.isHidden()
    assert saved_searches.saved_searches() == [
        saved_searches.SavedSearch("Good ones", "rating:>=4"),
        saved_searches.SavedSearch("Top", "status:read"),
    ]
    # A click runs one.
    first = section.list.item(0)
    rect = section.list.visualItemRect(first)
    arrived(
        qloop,
        view.model,
        lambda: qtbot.mouseClick(
            section.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        ),
    )
    assert view.filter_edit.text() == "rating:>=4"
    assert titles(window) == ["Dune", "Dune Messiah", "The Hobbit"]
    # Renamed, then deleted.
    section.list.setCurrentRow(1)
    section.ask_name = lambda _title, _label, text: "Finished" if text == "Top" else None
    qtbot.mouseClick(section.rename_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in saved_searches.saved_searches()] == ["Good ones", "Finished"]
    section.list.setCurrentRow(0)
    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)
    assert saved_searches.saved_searches() == [
        saved_searches.SavedSearch("Finished", "status:read")
    ]
    window.save_state()
    # The next window: the sidebar is there with what was kept.
    again = bare_window(qtbot, library, tmp_path)
    assert again.sidebar_action.isChecked()
    assert section_of(again).list.item(0).text() == "Finished"


def test_a_pattern_that_backtracks_runs_at_once_typed_and_saved(window, qloop, qtbot):
    """`^(a|a)*b` on a 40-character title froze Python's `re` for good: the filter box and a
    saved search now answer at once."""
    add_book("a" * 39 + "!", ["Ann Author"])
    view = window.library_view
    view.model.refresh()
    section = section_of(window)
    section.ask_name = lambda *_: "Stuck once"
    started = time.monotonic()
    assert search(qloop, window, "title:~^(a|a)*b") == []
    assert search(qloop, window, "title:~^(\\w|\\w)*!$") == ["a" * 39 + "!"]
    qtbot.mouseClick(view.save_search_button, Qt.MouseButton.LeftButton)
    search(qloop, window, "")
    rect = section.list.visualItemRect(section.list.item(0))
    click = section.list.viewport(), Qt.MouseButton.LeftButton
    arrived(qloop, view.model, lambda: qtbot.mouseClick(*click, pos=rect.center()))
    assert view.filter_edit.text() == "title:~^(\\w|\\w)*!$"
    assert titles(window) == ["a" * 39 + "!"]
    assert time.monotonic() - started < 10


def test_a_search_that_cannot_be_read_is_not_saved(window, qloop, qtbot):
    section = section_of(window)
    section.ask_name = lambda *_: "Broken"
    search(qloop, window, "ratng:>4")
    qtbot.mouseClick(window.library_view.save_search_button, Qt.MouseButton.LeftButton)
    assert section.message.text() == (
        "The search cannot be read: Unknown field 'ratng' — did you mean rating?."
    )
    assert saved_searches.saved_searches() == []
    assert window.sidebar.isHidden()


def test_the_sidebar_can_be_shown_and_hidden_from_the_view_menu(window):
    assert window.sidebar.isHidden()
    window.sidebar_action.trigger()
    assert window.sidebar.isVisible()
    window.sidebar_action.trigger()
    assert window.sidebar.isHidden()


def test_stored_saved_searches_that_are_not_pairs_of_texts_are_left_out(library):
    from bookorbit_desktop.library.store.settings import set_setting

    set_setting(saved_searches.KEY, [["A", "dune"], ["B"], "C", [1, 2], ["D", "rating:>4"]])
    assert [s.name for s in saved_searches.saved_searches()] == ["A", "D"]
    set_setting(saved_searches.KEY, {"not": "a list"})
    assert saved_searches.saved_searches() == []
    assert Book.select().count() == 0


def test_a_change_to_a_book_reaches_the_search_shown(window, qloop, library):
    view = window.library_view
    assert search(qloop, window, "rating:>=4 not status:read") == ["Dune Messiah", "The Hobbit"]
    emma = Book.get(Book.title == "Emma").id
    hobbit = Book.get(Book.title == "The Hobbit").id
    with sqlite3.connect(library.db_file) as other:  # a device rates Emma, the hobbit is read
        other.execute("UPDATE reading_state SET rating = 4.5 WHERE book_id = ?", (emma,))
        other.execute("UPDATE reading_state SET status = 'read' WHERE book_id = ?", (hobbit,))
    view.model.follow({emma, hobbit})
    assert titles(window) == ["Dune Messiah", "Emma"]
    assert search(qloop, window, "rating:>=4 not status:read emma") == ["Emma"]
