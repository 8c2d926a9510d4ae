"""A custom column's cell edited in place, through the real window widgets at 1366x768 on a real
library: F2 opens the editor of the column's kind with the stored value, a good value is saved
as one step of Undo, a wrong one is shown in a message and nothing is saved, Esc saves nothing,
a long text takes several lines and a double-click edits when Settings says so."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.columns import add_column, delete_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.services.library.cell_edits import set_double_click_edits
from bookorbit_desktop.ui.library.cell_editors import DateField, RichLines
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import window_with_books

# The headless platform's words when a completion's popup opens (and tests/ui/conftest.py's).
POPUP_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
)
# name: (kind, choices, stored value)
COLUMNS = {
    "Weight": ("number", (), 2),
    "Stars": ("rating", (), 3.5),
    "Bought": ("date", (), "2020-01-02"),
    "Lent": ("yes-no", (), False),
    "Place": ("list", ("Desk", "Attic"), "Desk"),
    "Moods": ("tags", (), ["calm", "dark"]),
    "Note": ("text", (), "a gift"),
    "Review": ("long-text", (), "Long.\nVery long."),
    "Saga": ("series", (), "Dune [2]"),
}


@pytest.fixture
def table(qtbot, library):
    other = add_book("Emma", ("Jane Austen",))
    book = add_book("Dune", ("Frank Herbert",))
    columns = {name: add_column(name, kind, offer) for name, (kind, offer, _) in COLUMNS.items()}
    set_values([book.id], {columns[name].id: value for name, (_k, _c, value) in COLUMNS.items()})
    set_values([other.id], {columns["Moods"].id: ["cosy", "calm"]})
    window, view, actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    for index in view.custom_columns.indexes():
        view.table.setColumnHidden(index, False)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.select_book(book.id)
    return book, columns, window, view, actions


def values(book_id: int) -> dict[str, object]:
    held = store.book_values([book_id])[book_id]
    return {column.name: held.get(column.id) for column in store.columns()}


def column_index(view, name: str) -> int:
    keys = [view.model.column_key(n) for n in range(view.model.columnCount())]
    return keys.index(store.named(name).key)


def press_f2(qtbot, view, name: str, title: str = "Dune"):
    row = next(r for r in range(view.model.rowCount()) if view.model.book_at(r).title == title)
    view.table.setCurrentIndex(view.model.index(row, column_index(view, name)))
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    assert view.table.state() == QAbstractItemView.State.EditingState
    viewport = view.table.viewport()
    editors = [
        widget
        for widget in viewport.findChildren(QWidget)
        if widget.parentWidget() is viewport and widget.isVisible()
    ]
    assert len(editors) == 1
    return editors[0]


def commit(qtbot, qloop, view, editor, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Enter (with `modifier`) in the editor, and the save it started awaited."""
    delegate = view.table.itemDelegate()
    started = delegate.saving
    focused = editor.focusWidget() or editor
    qtbot.keyClick(focused, Qt.Key.Key_Return, modifier)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    if delegate.saving is not started:
        qloop.run_until_complete(asyncio.wait([delegate.saving]))


def set_line(qtbot, editor: QLineEdit, text: str) -> None:
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def choose(editor: QComboBox, shown: str) -> None:
    editor.setCurrentIndex(editor.findText(shown))


def pick(qtbot, editor: DateField, day: QDate) -> None:
    """`day` clicked in the date's calendar."""
    menu = editor.calendar_button.menu()
    assert menu is not None
    menu.popup(editor.mapToGlobal(editor.rect().bottomLeft()))
    qtbot.waitUntil(editor.calendar.isVisible)
    assert editor.calendar.selectedDate() == QDate.fromString(editor.text(), "yyyy-MM-dd")
    editor.calendar.clicked.emit(day)  # (a click on the day's cell)
    assert not menu.isVisible() and editor.text() == day.toString("yyyy-MM-dd")


@POPUP_NOISE  # typing a tag-like value opens its completion
@pytest.mark.parametrize(
    ("name", "opened", "change", "saved"),
    [
        ("Weight", "2", lambda qtbot, e: set_line(qtbot, e, "3,5"), 3.5),
        ("Stars", "★★★½  (3.5)", lambda qtbot, e: choose(e, "★★★★★  (5)"), 5),
        ("Lent", "No", lambda qtbot, e: choose(e, "Yes"), True),
        ("Place", "Desk", lambda qtbot, e: choose(e, "Attic"), "Attic"),
        ("Moods", "calm, dark", lambda qtbot, e: set_line(qtbot, e, "dark, new"), ["dark", "new"]),
        ("Note", "a gift", lambda qtbot, e: set_line(qtbot, e, "a loan"), "a loan"),
        # A series' number as calibre writes it.
        ("Saga", "Dune [2]", lambda qtbot, e: set_line(qtbot, e, "Dune [02,50]"), "Dune [2.5]"),
        ("Bought", "2020-01-02", lambda qtbot, e: pick(qtbot, e, QDate(2024, 5, 31)),
         "2024-05-31"),
        ("Bought", "2020-01-02", lambda qtbot, e: set_line(qtbot, e.line, "2024-05-31"),
         "2024-05-31"),
    ],
)  # fmt: skip
def test_f2_edits_each_kind_as_one_step_of_undo(qtbot, qloop, table, name, opened, change, saved):
    book, _columns, _window, view, actions = table
    before, earlier = values(book.id), actions.undo.undo_action.text()
    editor = press_f2(qtbot, view, name)
    shown = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
    assert shown == opened
    if isinstance(editor, QComboBox):  # each value once
        texts = [editor.itemText(n) for n in range(editor.count())]
        assert len(texts) == len(set(texts)), texts
    assert editor.accessibleName() == name or editor.focusProxy().accessibleName() == name
    change(qtbot, editor)
    commit(qtbot, qloop, view, editor)
    after = values(book.id)
    assert after == {**before, name: saved}
    assert actions.undo.undo_action.text() == "&Undo Edit “Dune”"
    actions.undo.undo_action.trigger()
    assert values(book.id) == before
    assert actions.undo.undo_action.text() == earlier  # the edit was one step


def test_a_value_is_cleared_in_its_cell(qtbot, qloop, table):
    book, _columns, _window, view, actions = table
    editor = press_f2(qtbot, view, "Bought")
    assert isinstance(editor, DateField)
    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    assert editor.text() == "" and editor.line.placeholderText() == "No date"
    commit(qtbot, qloop, view, editor)
    assert values(book.id)["Bought"] is None
    editor = press_f2(qtbot, view, "Lent")
    choose(editor, "(none)")
    commit(qtbot, qloop, view, editor)
    assert values(book.id)["Lent"] is None
    actions.undo.undo_action.trigger()
    assert values(book.id)["Lent"] is False and values(book.id)["Bought"] is None


def test_a_date_is_typed_from_no_date(qtbot, qloop, table):
    _book, _columns, _window, view, _actions = table
    emma = next(b for b in (view.model.book_at(r) for r in range(2)) if b.title == "Emma")
    editor = press_f2(qtbot, view, "Bought", "Emma")
    assert editor.text() == ""
    qtbot.keyClicks(editor.line, "2024-05-31")
    commit(qtbot, qloop, view, editor)
    assert values(emma.id)["Bought"] == "2024-05-31"
    editor = press_f2(qtbot, view, "Bought", "Dune")
    qtbot.keyClick(editor.line, Qt.Key.Key_Up)  # a day on
    assert editor.text() == "2020-01-03"
    qtbot.keyClick(editor.line, Qt.Key.Key_Down)
    qtbot.keyClick(editor.line, Qt.Key.Key_Down)
    assert editor.text() == "2020-01-01"
    editor.setText("")
    qtbot.keyClick(editor.line, Qt.Key.Key_Up)  # from no date: today
    assert editor.text() == QDate.currentDate().toString("yyyy-MM-dd")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)


@POPUP_NOISE
def test_a_tag_like_value_is_completed_from_the_column_s_others(qtbot, qloop, table):
    book, _columns, _window, view, _actions = table
    editor = press_f2(qtbot, view, "Moods")
    set_line(qtbot, editor, "dark, co")
    [completer] = editor.findChildren(QCompleter)
    assert completer.popup().isVisible() and completer.currentCompletion() == "cosy"
    completer.popup().setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert editor.text() == "dark, cosy, "
    commit(qtbot, qloop, view, editor)
    assert values(book.id)["Moods"] == ["dark", "cosy"]


@POPUP_NOISE  # typing opens the completion
def test_a_series_is_completed_from_the_series_there_are(qtbot, qloop, table):
    book, columns, _window, view, _actions = table
    other = add_book("Persuasion", ("Jane Austen",))
    set_values([other.id], {columns["Saga"].id: "dune [3]"})  # the same series, its case aside
    editor = press_f2(qtbot, view, "Saga", "Emma")
    completer = editor.completer()
    assert completer.model().stringList() == ["Dune"]  # each series once
    qtbot.keyClicks(editor, "du")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Dune"
    assert values(book.id)["Saga"] == "Dune [2]"


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("Weight", "heavy", "Weight takes a number, not “heavy”."),
        # Refused as typed, not corrected to another date.
        ("Bought", "2020-13-45", "Bought takes a date as 2024-05-31, not “2020-13-45”."),
        ("Bought", "31/05/2024", "Bought takes a date as 2024-05-31, not “31/05/2024”."),
        ("Saga", "[3]", "Saga needs the series' name before its number: Dune [2]."),
    ],
)
def test_a_wrong_value_is_shown_and_nothing_saved(qtbot, qloop, table, name, typed, message):
    book, _columns, window, view, actions = table
    before, earlier = values(book.id), actions.undo.undo_action.text()
    editor = press_f2(qtbot, view, name)
    set_line(qtbot, editor.line if isinstance(editor, DateField) else editor, typed)
    commit(qtbot, qloop, view, editor)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and message in boxes[0].text()
    assert values(book.id) == before
    assert actions.undo.undo_action.text() == earlier
    # Once the message is closed, the cell is edited again from what was typed: nothing lost.
    assert view.table.state() != QAbstractItemView.State.EditingState
    boxes[0].accept()
    qtbot.waitUntil(lambda: view.table.state() == QAbstractItemView.State.EditingState)
    again = view.table.viewport().findChildren(DateField if name == "Bought" else QLineEdit)
    shown = [
        e.line.text() if isinstance(e, DateField) else e.text() for e in again if e.isVisible()
    ]
    assert shown == [typed]
    (editor,) = [e for e in again if e.isVisible()]
    line = editor.line if isinstance(editor, DateField) else editor
    qtbot.keyClick(line, Qt.Key.Key_Escape)  # and Esc still saves nothing
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    assert values(book.id) == before
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_column_deleted_while_its_cell_is_edited_is_named(qtbot, qloop, table):
    _book, columns, window, view, _actions = table
    editor = press_f2(qtbot, view, "Note")
    set_line(qtbot, editor, "a loan")
    delete_column(columns["Note"].id)
    commit(qtbot, qloop, view, editor)
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1
    assert boxes[0].text() == "The column was deleted while its cell was edited: nothing saved."
    assert store.column_values(columns["Note"].id) == {}


@pytest.mark.parametrize("name", list(COLUMNS))
def test_esc_or_the_value_as_it_was_saves_nothing(qtbot, qloop, table, name):
    book, _columns, _window, view, actions = table
    before, earlier = values(book.id), actions.undo.undo_action.text()
    editor = press_f2(qtbot, view, name)
    if isinstance(editor, QLineEdit):
        set_line(qtbot, editor, "7")
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(0)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText("other")
    else:
        editor.setText("")
    focused = editor.focusWidget() or editor
    qtbot.keyClick(focused, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    editor = press_f2(qtbot, view, name)  # opened again and left as it is
    if isinstance(editor, QPlainTextEdit):
        commit(qtbot, qloop, view, editor, modifier=Qt.KeyboardModifier.ControlModifier)
    else:
        commit(qtbot, qloop, view, editor)
    assert values(book.id) == before
    assert actions.undo.undo_action.text() == earlier


def test_a_long_text_takes_several_lines_and_ctrl_enter_saves_it(qtbot, qloop, table):
    book, _columns, _window, view, actions = table
    editor = press_f2(qtbot, view, "Review")
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "Long.\nVery long."
    row_height = view.table.rowHeight(0)
    assert editor.height() > 3 * row_height
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new line, not a save
    qtbot.keyClicks(editor, "Read it.")
    assert view.table.state() == QAbstractItemView.State.EditingState
    commit(qtbot, qloop, view, editor, modifier=Qt.KeyboardModifier.ControlModifier)
    assert values(book.id)["Review"] == "Long.\nVery long.\nRead it."
    actions.undo.undo_action.trigger()
    assert values(book.id)["Review"] == "Long.\nVery long."


def test_a_double_click_edits_a_custom_cell_when_settings_say_so(qtbot, table):
    _book, _columns, _window, view, _actions = table
    index = view.model.index(0, column_index(view, "Note"))
    centre = view.table.visualRect(index).center()
    set_double_click_edits(True)
    with qtbot.assertNotEmitted(view.table.activated):
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.table.state() == QAbstractItemView.State.EditingState
    assert len(COLUMN_KEYS) <= index.column()  # a custom column's cell
    qtbot.keyClick(view.table.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)


def test_a_sort_by_a_column_far_right_keeps_it_in_sight(qtbot, table):
    """The table scrolled to its last columns, a click on one's header sorts by it: the
    selected book stays selected and the columns in sight stay (the table does not jump back
    to the title)."""
    book, _columns, window, view, _actions = table
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    across = view.table.horizontalScrollBar()
    qtbot.waitUntil(lambda: across.maximum() > 0)
    across.setValue(across.maximum())
    header = view.table.horizontalHeader()
    section = column_index(view, "Weight")
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    assert 0 < x < header.viewport().width()  # in sight
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == section)
    qtbot.wait(200)  # the sorted rows shown
    assert view.selected_book_ids() == [book.id]
    assert across.value() == across.maximum()


def test_calibres_html_comments_are_edited_formatted_in_their_cell(qtbot, qloop, table):
    book, columns, _window, view, actions = table
    stored = "<div><p>Loved <i>it</i>.</p></div>"  # as calibre keeps comments
    store.write(book.id, columns["Review"].id, stored)
    editor = press_f2(qtbot, view, "Review")
    assert isinstance(editor, RichLines)
    assert editor.toPlainText() == "Loved it."  # formatted, no tag in sight
    assert "Ctrl+Enter saves" in editor.toolTip()
    commit(qtbot, qloop, view, editor, modifier=Qt.KeyboardModifier.ControlModifier)
    assert values(book.id)["Review"] == stored  # untouched: kept as it was
    editor = press_f2(qtbot, view, "Review")
    qtbot.keyClicks(editor, "Not this ")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Esc: nothing saved
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    assert values(book.id)["Review"] == stored
    editor = press_f2(qtbot, view, "Review")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " Twice")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new line, not a save
    assert view.table.state() == QAbstractItemView.State.EditingState
    commit(qtbot, qloop, view, editor, modifier=Qt.KeyboardModifier.ControlModifier)
    assert values(book.id)["Review"] == "<p>Loved <i>it</i>. Twice</p>"
    actions.undo.undo_action.trigger()
    assert values(book.id)["Review"] == stored
