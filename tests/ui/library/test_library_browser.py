"""The library browser in the whole app at 1366x768 (its real window, sidebar and table on a
real library): every category with its counts, the tags as a tree, a click filtering the
table together with a typed search, and rename and merge from the context menu, each one step
that Edit ▸ Undo takes back, a merge only after asking (Cancel changes nothing). The custom
columns' categories the same way, coming and going with the columns (the Custom Columns
dialog, the command line in another process, Edit ▸ Undo)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QMessageBox
from pytestqt.exceptions import TimeoutError

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.tag_tables import Tag
from bookorbit_desktop.library.tags.changes import change_tags
from tests.library.categories.small_library import add_columns, build
from tests.ui.library.browsing import (
    category_index,
    click,
    click_all_books,
    click_row,
    row_index,
    rows,
)
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


@pytest.fixture
def app(desktop, library, qloop):  # noqa: F811
    """The desktop on the small library, shown at 1366x768."""
    build(library)
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    desktop.controller.refresh()
    browser = desktop.window.library_view.browser
    run_until(qloop, lambda: browser.has_tags)  # the tags are read first
    return desktop


def titles(view) -> list[str]:
    return sorted(view.model.book_at(row).title for row in range(view.model.rowCount()))


def test_every_category_shows_its_values_with_their_counts(app):
    window = app.window
    browser = window.library_view.browser
    assert window.sidebar.isVisible() and browser.isVisible()  # the library has tags
    model = browser.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "All Books", "Authors", "Series", "Publishers", "Languages", "Formats", "Ratings", "Tags",
    ]  # fmt: skip
    assert rows(browser, "authors") == [
        "Frank Herbert (2)", "Jane Austen (2)", "Neil Gaiman (1)", "Stanisław Lem (1)",
        "Terry Pratchett (1)",
    ]  # fmt: skip
    assert rows(browser, "series") == ["Dune (2)"]
    assert rows(browser, "publishers") == ["Ace (3)", "Penguin (2)"]
    assert rows(browser, "languages") == ["English (4)", "German (1)", "Polish (1)"]
    assert rows(browser, "formats") == ["EPUB (4)", "PDF (2)"]
    assert rows(browser, "ratings") == ["★★★★★ (1)", "★★★★½ (1)", "★★★★ (2)"]
    index = row_index(browser, "authors", "Jane Austen (2)")
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Jane Austen: 2 books"


def test_dotted_tags_nest_and_a_parent_counts_its_children_s_books(app, qtbot, qloop):
    view = app.window.library_view
    browser = view.browser
    assert rows(browser, "tags") == ["classic (2)", "fiction (4)"]
    fiction = row_index(browser, "tags", "fiction (4)")
    assert rows(browser, "tags", fiction) == ["fantasy (1)", "romance (1)", "scifi (3)"]
    click_row(qtbot, browser, "tags", "fiction (4)")
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah", "Emma", "Good Omens"])
    click_row(qtbot, browser, "tags", "scifi (3)")
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah", "Good Omens"])
    assert browser.tree.isExpanded(fiction)


def test_a_click_filters_the_table_and_combines_with_the_typed_search(app, qtbot, qloop):
    view = app.window.library_view
    browser = view.browser
    click_row(qtbot, browser, "publishers", "Ace (3)")
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah", "Solaris"])
    assert view.count_label.text() == "3 of 6 books"
    view.filter_edit.setText("dune")  # both: Ace's books that the search finds
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah"])
    view.filter_edit.setText("rating:>=4.5")
    run_until(qloop, lambda: titles(view) == ["Dune"])
    click_row(qtbot, browser, "authors", "Jane Austen (2)")  # another value, the same search
    run_until(qloop, lambda: titles(view) == ["Emma"])
    assert view.filter_edit.text() == "rating:>=4.5"  # the box keeps what the user typed
    click_all_books(qtbot, browser)
    run_until(qloop, lambda: titles(view) == ["Dune", "Emma"])
    view.filter_edit.clear()
    run_until(qloop, lambda: len(titles(view)) == 6)


# The headless platform's words when a popup menu opens (and tests/ui/conftest.py's others).
POPUP_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
)


def popup_menu(qtbot, browser, kind: str, text: str) -> QMenu:
    """The context menu a right-click on the row opens."""
    index = row_index(browser, kind, text)
    click(qtbot, browser, index, button=Qt.MouseButton.RightButton)
    where = browser.tree.visualRect(index).center()
    spot = browser.tree.viewport().mapToGlobal(where)
    menu_event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, spot)
    QApplication.sendEvent(browser.tree.viewport(), menu_event)  # what the release asks for
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def choose_in_menu(menu: QMenu, text: str) -> None:
    [action] = [a for a in menu.actions() if a.text() == text]
    menu.close()
    action.trigger()


@POPUP_NOISE
def test_rename_from_the_context_menu_is_one_step_undone_by_edit_undo(app, qtbot, qloop):
    view = app.window.library_view
    browser = view.browser
    menu = popup_menu(qtbot, browser, "series", "Dune (2)")
    assert [a.text() for a in menu.actions()] == ["&Rename…"]
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah"])  # it shows its books
    choose_in_menu(menu, "&Rename…")
    dialog = browser.dialog
    assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Rename Series"
    dialog.setTextValue("Dune Chronicles")
    dialog.accept()
    run_until(qloop, lambda: rows(browser, "series") == ["Dune Chronicles (2)"])
    assert browser.chosen.key == "Dune Chronicles"  # still showing the same books
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah"])
    undo = app.book_actions.undo
    assert undo.undo_action.text() == "&Undo Rename Series “Dune” to “Dune Chronicles”"
    undo.undo_action.trigger()
    run_until(qloop, lambda: rows(browser, "series") == ["Dune (2)"])
    assert {b.series for b in Book.select().where(Book.title.startswith("Dune"))} == {"Dune"}


@POPUP_NOISE
def test_a_parent_tag_s_rename_and_delete_say_the_tags_below_keep_their_names(
    app, library, qtbot, qloop
):
    browser = app.window.library_view.browser
    emma = Book.get(Book.title == "Emma").id
    change_tags([emma], library, add=["fiction"])  # the parent is a tag of its own too
    browser.refresh()
    run_until(qloop, lambda: "fiction (4)" in rows(browser, "tags"))
    menu = popup_menu(qtbot, browser, "tags", "fiction (4)")
    choose_in_menu(menu, "&Rename…")
    assert "Only “fiction” itself changes: the 3 tags below it" in browser.dialog.labelText()
    browser.dialog.reject()
    menu = popup_menu(qtbot, browser, "tags", "fiction (4)")
    choose_in_menu(menu, "&Delete…")
    said = browser.dialog.informativeText()
    assert "every book that carries it (1 book)" in said and "3 tags below it" in said
    browser.dialog.reject()  # Cancel: nothing changes
    assert Tag.get_or_none(Tag.name == "fiction") is not None


def test_the_rename_question_shows_a_name_as_typed_never_as_markup(app):
    browser = app.window.library_view.browser
    dialog = browser.rename("authors", "<img src=x>Jane")  # a name from a book's file
    labels = dialog.findChildren(QLabel)
    assert any("<img src=x>Jane" in label.text() for label in labels)
    assert {label.textFormat() for label in labels} == {Qt.TextFormat.PlainText}
    dialog.reject()


@POPUP_NOISE
def test_a_merge_asks_first_cancel_changes_nothing_and_undo_parts_them(app, qtbot, qloop):
    browser = app.window.library_view.browser
    undo = app.book_actions.undo
    before = undo.undo_action.text()
    choose_in_menu(popup_menu(qtbot, browser, "publishers", "Penguin (2)"), "&Rename…")
    browser.dialog.setTextValue("ace")
    browser.dialog.accept()
    box = browser.dialog
    assert isinstance(box, QMessageBox) and box.text() == "Merge “Penguin” into “Ace”?"
    assert "The 2 books of the publisher “Penguin” get “Ace”" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert rows(browser, "publishers") == ["Ace (3)", "Penguin (2)"]
    assert undo.undo_action.text() == before  # no step

    choose_in_menu(popup_menu(qtbot, browser, "publishers", "Penguin (2)"), "&Rename…")
    browser.dialog.setTextValue("ace")
    browser.dialog.accept()
    [merge] = [b for b in browser.dialog.buttons() if b.text() == "&Merge"]
    merge.click()
    run_until(qloop, lambda: rows(browser, "publishers") == ["Ace (5)"])
    assert undo.undo_action.text() == "&Undo Merge Publisher “Penguin” into “Ace”"
    undo.undo_action.trigger()
    run_until(qloop, lambda: rows(browser, "publishers") == ["Ace (3)", "Penguin (2)"])


@POPUP_NOISE
def test_authors_merge_from_the_context_menu(app, qtbot, qloop):
    view = app.window.library_view
    browser = view.browser
    choose_in_menu(popup_menu(qtbot, browser, "authors", "Neil Gaiman (1)"), "&Rename…")
    browser.dialog.setTextValue("Terry Pratchett")
    browser.dialog.accept()
    [merge] = [b for b in browser.dialog.buttons() if b.text() == "&Merge"]
    merge.click()
    run_until(qloop, lambda: "Neil Gaiman (1)" not in rows(browser, "authors"))
    assert "Terry Pratchett (1)" in rows(browser, "authors")
    run_until(qloop, lambda: titles(view) == ["Good Omens"])  # the merged author's books
    app.book_actions.undo.undo_action.trigger()
    run_until(qloop, lambda: "Neil Gaiman (1)" in rows(browser, "authors"))


@POPUP_NOISE
def test_values_that_cannot_be_renamed_have_no_menu(app, qtbot):
    browser = app.window.library_view.browser
    browser.tree.expand(category_index(browser, "formats"))
    with pytest.raises(TimeoutError):
        popup_menu(qtbot, browser, "formats", "EPUB (4)")


def test_a_category_is_read_when_opened_off_the_window_s_thread(app, qloop):
    browser = app.window.library_view.browser
    series = category_index(browser, "series")
    assert browser.model.category_at(series) is None  # closed: not read, but it can open
    assert browser.model.hasChildren(series) and browser.model.rowCount(series) == 0
    assert browser.tree.isExpanded(category_index(browser, "tags"))  # open at first

    async def open_series() -> None:
        browser.tree.expand(category_index(browser, "series"))
        reading = browser.reading
        assert reading is not None and not reading.done()  # in a worker thread, not here
        await reading

    qloop.run_until_complete(open_series())
    assert rows(browser, "series") == ["Dune (2)"]
    assert [c.kind for c in browser.model.categories] == ["series", "tags"]


def test_a_parent_tag_too_long_to_search_says_why_and_the_table_keeps_its_books(
    app, library, qtbot, qloop
):
    from bookorbit_desktop.library.tags.changes import change_tags

    view = app.window.library_view
    browser = view.browser
    parent = "+" * 98  # every sign escaped in the pattern: longer than a search may hold
    dune = Book.get(Book.title == "Dune").id
    change_tags([dune], library, add=[parent + ".x"])
    app.controller.refresh()
    run_until(qloop, lambda: f"{parent} (1)" in rows(browser, "tags"))
    click_row(qtbot, browser, "tags", f"{parent} (1)")
    run_until(qloop, lambda: view.search_error.isVisible())
    assert "pattern" in view.search_error.text().lower()
    assert len(titles(view)) == 6


def top_rows(browser) -> list[str]:
    model = browser.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


@pytest.fixture
def columns(app, library, qloop):
    """The custom columns of every kind with their values, read by the window."""
    ids = {book.title: book.id for book in Book.select()}
    found = add_columns(library, ids)
    app.controller.refresh()
    browser = app.window.library_view.browser
    run_until(qloop, lambda: "Stars (#stars)" in top_rows(browser))
    return found


@POPUP_NOISE
def test_a_custom_column_s_values_filter_the_table_and_merge_after_asking(
    app, columns, qtbot, qloop
):
    view = app.window.library_view
    browser = view.browser
    assert top_rows(browser)[7:] == [
        "Tags", "Genre (#genre)", "Mood (#mood)", "Owned (#owned)", "Place (#place)",
        "Stars (#stars)",
    ]  # fmt: skip
    mood, genre, place = (columns[name].key for name in ("Mood", "Genre", "Place"))
    assert rows(browser, mood) == ["calm (2)", "dark (2)", "tense (1)"]
    assert rows(browser, columns["Stars"].key) == ["★★★★★ (2)", "★★★★½ (1)", "No stars (1)"]
    click_row(qtbot, browser, place, "Bath (2)")  # "Bath" and "bath"
    run_until(qloop, lambda: titles(view) == ["Emma", "Persuasion"])
    assert browser.chosen.search == '#place:="Bath"'
    view.filter_edit.setText("persuasion")  # both apply
    run_until(qloop, lambda: titles(view) == ["Persuasion"])
    assert "of #place:=&quot;Bath&quot;, chosen in the sidebar" in view.count_label.toolTip()
    view.filter_edit.setText("dune")  # not among Bath's books: the empty table says why
    run_until(qloop, lambda: titles(view) == [])
    assert view.empty_label.text() == (
        'No books match the filter among those of #place:="Bath" (chosen in the sidebar).'
    )
    view.filter_edit.clear()
    assert rows(browser, genre) == [
        "classic (1)", "Fantasy (1)", "Romance (3)", "sf (3)", "Élan (2)",
    ]  # fmt: skip
    click_row(qtbot, browser, genre, "sf (3)")
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah", "Good Omens"])
    sf = row_index(browser, genre, "sf (3)")
    assert rows(browser, genre, sf) == ["politics (2)", "space (2)"]
    QTest.keyClick(browser.tree, Qt.Key.Key_Down)  # the arrow keys choose too: "Élan"
    run_until(qloop, lambda: titles(view) == ["Dune", "Dune Messiah"])  # and "elan"

    undo = app.book_actions.undo
    before = undo.undo_action.text()
    choose_in_menu(popup_menu(qtbot, browser, genre, "Romance (3)"), "&Rename…")
    dialog = browser.dialog
    assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Rename a Value of Genre"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # Esc: nothing changes
    assert undo.undo_action.text() == before
    choose_in_menu(popup_menu(qtbot, browser, genre, "Romance (3)"), "&Rename…")
    browser.dialog.setTextValue("FANTASY")
    browser.dialog.accept()
    box = browser.dialog
    assert isinstance(box, QMessageBox) and box.text() == "Merge “Romance” into “Fantasy”?"
    assert "The 3 books with the Genre “Romance” get “Fantasy”" in box.informativeText()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert "Romance (3)" in rows(browser, genre) and undo.undo_action.text() == before

    choose_in_menu(popup_menu(qtbot, browser, genre, "Romance (3)"), "&Rename…")
    browser.dialog.setTextValue("FANTASY")
    browser.dialog.accept()
    [merge] = [b for b in browser.dialog.buttons() if b.text() == "&Merge"]
    merge.click()
    run_until(qloop, lambda: rows(browser, genre)[:2] == ["classic (1)", "Fantasy (3)"])
    assert browser.chosen.search == '#genre:="Fantasy"'  # the merged value's books still
    run_until(qloop, lambda: titles(view) == ["Emma", "Good Omens", "Persuasion"])
    assert undo.undo_action.text() == "&Undo Merge Genre “Romance” into “Fantasy”"
    undo.undo_action.trigger()
    run_until(qloop, lambda: "Romance (3)" in rows(browser, genre))


def run_cli(library, *args: str) -> None:
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(library.data_dir)]
    subprocess.run([*command, *args], check=True, capture_output=True, timeout=60)


def test_a_custom_column_s_category_comes_and_goes_with_the_column(
    app, columns, library, qtbot, qloop
):
    view = app.window.library_view
    browser = view.browser
    app.change_watch.timer.setInterval(50)
    mood = columns["Mood"].key
    click_row(qtbot, browser, mood, "calm (2)")
    run_until(qloop, lambda: titles(view) == ["Emma", "Persuasion"])

    run_cli(library, "books", "columns", "rename", "Mood", "Feeling")  # another process
    run_until(qloop, lambda: "Feeling (#feeling)" in top_rows(browser))
    assert "Mood (#mood)" not in top_rows(browser)
    run_until(qloop, lambda: browser.chosen is not None)
    assert browser.chosen.search == '#feeling:="calm"'  # the same value, by its new label
    assert titles(view) == ["Emma", "Persuasion"]
    run_cli(library, "books", "columns", "add", "Shelf", "--kind", "list", "--values", "A,B")
    run_until(qloop, lambda: "Shelf (#shelf)" in top_rows(browser))

    dialog = view.custom_columns.open_dialog()  # View ▸ Columns ▸ Custom Columns…
    [item] = [
        dialog.list.item(row) for row in range(dialog.list.count())
        if dialog.list.item(row).text().startswith("Feeling")
    ]  # fmt: skip
    dialog.list.setCurrentItem(item)
    dialog.ask_delete()
    [delete] = [b for b in dialog.question.buttons() if b.text() == "&Delete"]
    delete.click()
    run_until(qloop, lambda: "Feeling (#feeling)" not in top_rows(browser))
    run_until(qloop, lambda: len(titles(view)) == 6)  # its value chosen: every book again
    assert browser.chosen is None
    dialog.close()
    app.book_actions.undo.undo_action.trigger()  # Edit ▸ Undo brings it back
    run_until(qloop, lambda: "Feeling (#feeling)" in top_rows(browser))
    assert rows(browser, mood) == ["calm (2)", "dark (2)", "tense (1)"]
