"""Tags in the whole desktop app at 1366x768 (its real window, table, library browser and
Edit dialog on a real library): the Tags column and its sort, the browser's counts and its filter,
rename, merge and delete after asking, tags in the Edit dialog for one book and for several,
and Edit ▸ Undo taking each back exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.library.tags.store import book_tags
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from tests.factories import add_book
from tests.ui.library.browsing import click_all_books, click_row, rows
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


@pytest.fixture
def tagged(desktop, qloop):  # noqa: F811
    """Dune (scifi), Emma (Classic, Owned), Solaris (scifi, Owned), Zorba (no tag)."""
    books = {title: add_book(title).id for title in ("Dune", "Emma", "Solaris", "Zorba")}
    paths = desktop.paths
    change_tags([books["Dune"], books["Solaris"]], paths, add=["scifi"])
    change_tags([books["Emma"]], paths, add=["Classic"])
    change_tags([books["Emma"], books["Solaris"]], paths, add=["Owned"])
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    desktop.controller.refresh()
    return books


def shown_titles(view) -> list[str]:
    return [view.model.book_at(row).title for row in range(view.model.rowCount())]


def browser_rows(view) -> list[str]:
    return rows(view.browser, "tags")


def click_tag(qtbot, view, text: str, button=Qt.MouseButton.LeftButton) -> None:
    click_row(qtbot, view.browser, "tags", text, button=button)


def tags_column(view) -> list[str]:
    column = COLUMN_KEYS.index("tags")
    return [view.model.index(row, column).data() for row in range(view.model.rowCount())]


def test_the_tags_column_shows_and_sorts_the_tags(desktop, tagged, qtbot):  # noqa: F811
    view = desktop.window.library_view
    assert shown_titles(view) == ["Dune", "Emma", "Solaris", "Zorba"]
    assert tags_column(view) == ["scifi", "Classic, Owned", "Owned, scifi", ""]
    column = COLUMN_KEYS.index("tags")
    assert not view.table.isColumnHidden(column) and view.table.columnWidth(column) >= 60
    qtbot.waitUntil(lambda: view.table.horizontalScrollBar().maximum() == 0)  # all in sight
    header = view.table.horizontalHeader()
    middle = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
    qtbot.waitUntil(lambda: shown_titles(view) == ["Emma", "Solaris", "Dune", "Zorba"])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
    qtbot.waitUntil(lambda: shown_titles(view) == ["Zorba", "Dune", "Solaris", "Emma"])


def test_the_browser_counts_the_tags_and_filters_the_table(desktop, tagged, qtbot):  # noqa: F811
    view = desktop.window.library_view
    assert view.browser.isVisible()
    assert browser_rows(view) == ["Classic (1)", "Owned (2)", "scifi (2)"]
    click_tag(qtbot, view, "Owned (2)")
    qtbot.waitUntil(lambda: shown_titles(view) == ["Emma", "Solaris"])
    assert view.count_label.text().startswith("2")
    click_all_books(qtbot, view.browser)
    qtbot.waitUntil(lambda: len(shown_titles(view)) == 4)


def test_the_marked_tag_is_always_the_one_shown(desktop, tagged, qtbot):  # noqa: F811
    """A right-click (for the tag's menu) and the arrow keys show the marked tag's books too,
    so the list never marks one tag while the table shows another's."""
    view = desktop.window.library_view
    browser = view.browser
    click_tag(qtbot, view, "scifi (2)", Qt.MouseButton.RightButton)
    qtbot.waitUntil(lambda: shown_titles(view) == ["Dune", "Solaris"])
    assert browser.chosen.key == "scifi" and browser.tree.currentIndex().data() == "scifi"
    browser.tree.setFocus()
    qtbot.keyClick(browser.tree, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: shown_titles(view) == ["Emma", "Solaris"])
    assert browser.chosen.key == "Owned"
    qtbot.keyClick(browser.tree, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: len(shown_titles(view)) == 4)
    assert browser.chosen is None


def test_a_library_without_tags_keeps_the_sidebar_folded_until_the_first_tag(desktop, qloop):  # noqa: F811
    dune = add_book("Dune")
    show_all(desktop, start_hidden=False)
    window = desktop.window
    assert not window.sidebar.isVisible()  # the table has the room
    change_tags([dune.id], desktop.paths, add=["scifi"])
    desktop.controller.refresh()
    run_until(qloop, lambda: window.sidebar.isVisible())
    assert window.library_view.browser.isVisible() and window.sidebar_action.isChecked()
    window.sidebar_action.trigger()  # the user hides it: from now on it is theirs to show
    change_tags([dune.id], desktop.paths, add=["classic"])
    desktop.controller.refresh()
    run_until(qloop, lambda: "classic (1)" in browser_rows(window.library_view))
    assert not window.sidebar.isVisible()


def test_rename_follows_the_filter_and_undo_takes_it_back(desktop, tagged, qtbot, qloop):  # noqa: F811
    view = desktop.window.library_view
    click_tag(qtbot, view, "scifi (2)")
    qtbot.waitUntil(lambda: shown_titles(view) == ["Dune", "Solaris"])
    browser = view.browser
    menu = browser.menu_for(browser.chosen)
    assert [action.text() for action in menu.actions()] == ["&Rename…", "&Delete…"]
    menu.actions()[0].trigger()
    dialog = browser.dialog
    dialog.setTextValue("  Science   Fiction ")
    dialog.accept()
    run_until(qloop, lambda: browser_rows(view)[-1] == "Science Fiction (2)")
    assert browser_rows(view) == ["Classic (1)", "Owned (2)", "Science Fiction (2)"]
    assert browser.chosen.key == "Science Fiction"  # still showing the same books
    run_until(qloop, lambda: tags_column(view) == ["Science Fiction", "Owned, Science Fiction"])
    undo = desktop.book_actions.undo
    assert undo.undo_action.text() == "&Undo Rename Tag “scifi” to “Science Fiction”"

    undo.undo_action.trigger()
    run_until(qloop, lambda: browser_rows(view)[-1] == "scifi (2)")
    assert book_tags([tagged["Dune"], tagged["Solaris"]]) == {
        tagged["Dune"]: ["scifi"], tagged["Solaris"]: ["Owned", "scifi"]}  # fmt: skip


def test_merge_asks_first_and_undo_parts_the_tags(desktop, tagged, qtbot, qloop):  # noqa: F811
    view = desktop.window.library_view
    browser = view.browser
    browser.rename("tags", "Classic")
    browser.dialog.setTextValue("owned")
    browser.dialog.accept()
    box = browser.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "Merge “Classic” into “Owned”?"
    assert "The book of the tag “Classic” gets “Owned”" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert browser_rows(view) == ["Classic (1)", "Owned (2)", "scifi (2)"]

    browser.rename("tags", "Classic")
    browser.dialog.setTextValue("owned")
    browser.dialog.accept()
    [merge] = [b for b in browser.dialog.buttons() if b.text() == "&Merge"]
    merge.click()
    run_until(qloop, lambda: browser_rows(view) == ["Owned (2)", "scifi (2)"])
    desktop.book_actions.undo.undo_action.trigger()
    run_until(qloop, lambda: browser_rows(view) == ["Classic (1)", "Owned (2)", "scifi (2)"])
    assert book_tags([tagged["Emma"]]) == {tagged["Emma"]: ["Classic", "Owned"]}


def test_delete_asks_first_and_undo_brings_the_tag_back(desktop, tagged, qtbot, qloop):  # noqa: F811
    view = desktop.window.library_view
    browser = view.browser
    box = browser.delete_tag("Owned")
    assert box.text() == "Delete the tag “Owned”?"
    assert "taken away from every book that carries it (2 books)" in box.informativeText()
    [delete] = [b for b in box.buttons() if b.text() == "&Delete"]
    delete.click()
    run_until(qloop, lambda: browser_rows(view) == ["Classic (1)", "scifi (2)"])
    run_until(qloop, lambda: tags_column(view) == ["scifi", "Classic", "scifi", ""])
    desktop.book_actions.undo.undo_action.trigger()
    run_until(qloop, lambda: tags_column(view) == ["scifi", "Classic, Owned", "Owned, scifi", ""])


def test_a_bad_new_name_is_explained_and_changes_nothing(desktop, tagged, qtbot):  # noqa: F811
    browser = desktop.window.library_view.browser
    browser.rename("tags", "scifi")
    browser.dialog.setTextValue("sci, fi")
    browser.dialog.accept()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible()
            for w in desktop.window.findChildren(QMessageBox)
        )
    )
    [box] = [w for w in desktop.window.findChildren(QMessageBox) if w.isVisible()]
    assert "cannot hold a comma" in box.text()
    box.close()
    assert browser_rows(desktop.window.library_view)[-1] == "scifi (2)"


def test_one_book_s_tags_in_the_edit_dialog(desktop, tagged, qtbot, qloop):  # noqa: F811
    view = desktop.window.library_view
    assert view.select_book(tagged["Emma"])
    dialog = desktop.book_actions.edit_selected()
    line = dialog.tags.tags_line
    assert line.text() == "Classic, Owned"
    line.setText("Classic, to read")
    dialog.lines["title"].setText("Emma!")
    dialog.save()
    assert book_tags([tagged["Emma"]]) == {tagged["Emma"]: ["Classic", "to read"]}
    run_until(qloop, lambda: browser_rows(view)[-1] == "to read (1)")
    undo = desktop.book_actions.undo
    assert undo.undo_action.text() == "&Undo Edit “Emma”"  # the title and the tags: one step
    undo.undo_action.trigger()
    run_until(qloop, lambda: "Emma" in shown_titles(view))
    assert book_tags([tagged["Emma"]]) == {tagged["Emma"]: ["Classic", "Owned"]}


def test_the_same_tags_in_another_order_are_no_change(desktop, tagged):  # noqa: F811
    view = desktop.window.library_view
    assert view.select_book(tagged["Emma"])
    dialog = desktop.book_actions.edit_selected()
    dialog.tags.tags_line.setText("owned,classic")
    assert dialog.changed() == {}


def test_several_books_get_and_lose_tags_in_the_edit_dialog(desktop, tagged, qtbot, qloop):  # noqa: F811
    ids = [tagged["Emma"], tagged["Solaris"]]
    dialog = desktop.book_actions.edit_books(ids)
    editor = dialog.tags
    assert editor.tags_line is None
    assert editor.carried.text() == "All 2 have: Owned\nSome have: Classic, scifi"
    editor.add_line.setText("Favourite")
    editor.remove_line.setText("owned")
    dialog.save()  # several books: the first Save says what the edit changes
    run_until(qloop, lambda: "tags of 2 books" in dialog.confirm_label.text())
    assert book_tags(ids) == {ids[0]: ["Classic", "Owned"], ids[1]: ["Owned", "scifi"]}
    dialog.save()
    run_until(qloop, lambda: not dialog.isVisible())
    assert book_tags(ids) == {ids[0]: ["Classic", "Favourite"], ids[1]: ["Favourite", "scifi"]}
    desktop.book_actions.undo.undo_action.trigger()
    run_until(
        qloop, lambda: book_tags(ids) == {ids[0]: ["Classic", "Owned"], ids[1]: ["Owned", "scifi"]}
    )


def test_a_wrong_tag_in_the_edit_dialog_is_shown_and_saves_nothing(desktop, tagged):  # noqa: F811
    view = desktop.window.library_view
    assert view.select_book(tagged["Dune"])
    dialog = desktop.book_actions.edit_selected()
    dialog.lines["title"].setText("Dune 2")
    dialog.tags.tags_line.setText("scifi, bad\x07tag")
    dialog.save()
    assert dialog.isVisible() and "cannot hold control characters" in dialog.error_label.text()
    assert book_tags([tagged["Dune"]]) == {tagged["Dune"]: ["scifi"]}
    assert Book.get_by_id(tagged["Dune"]).title == "Dune"
