"""Custom columns through the real window widgets at 1366x768 on a real library: offered in View
▸ Columns and shown, sorted from their stored keys either way with any filter, searched in the
filter box; the Custom Columns dialog adds, renames and deletes them (Edit ▸ Undo takes each
back); the Edit dialog sets one book's values and several books' at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.kinds import parse
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.ui.library.custom_fields import RichLines
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import click_save, window_with_books
from tests.ui.library.test_lazy_model import arrived
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)

CUSTOM = len(COLUMN_KEYS)  # the first custom column of the table
# title: weight, mood
SHELF = {
    "Dune": ("10", "épique"),
    "Emma": ("2", "calm"),
    "Anathem": ("2", None),
    "Zoë": (None, "calm seas"),
    "Ubik": (None, None),
}


def shelf(library) -> dict[str, int]:
    weight, mood = add_column("Weight", "number"), add_column("Mood", "text")
    ids = {}
    for title, (grams, feel) in SHELF.items():
        ids[title] = book = add_book(title).id
        values = {c.id: parse(c, t) for c, t in ((weight, grams), (mood, feel)) if t}
        if values:
            set_values([book], values)
    return ids


def titles(view) -> list[str]:
    return [view.model.book_at(row).title for row in range(view.model.rowCount())]


def column_texts(view, column: int) -> list[str]:
    return [view.model.index(row, column).data() for row in range(view.model.rowCount())]


def test_offered_in_the_menu_shown_sorted_and_searched(qtbot, qloop, library):
    shelf(library)
    _window, view, _actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    weight, mood = CUSTOM, CUSTOM + 1  # in the order they were added
    assert view.model.headerData(weight, Qt.Orientation.Horizontal) == "Weight"
    assert view.table.isColumnHidden(weight) and view.table.isColumnHidden(mood)
    action = next(a for a in view.columns_menu.actions() if a.data() == weight)
    assert action.text() == "Weight"
    shown = [a for a in view.columns_menu.actions() if a.isVisible()]
    heading = shown[shown.index(action) - 1]  # under a heading of their own
    assert heading.isSeparator() and heading.text() == "Custom columns"
    assert [a.text() for a in shown[shown.index(action) :]] == [
        "Weight",
        "Mood",
        "",
        "Custo&m Columns…",
    ]
    action.trigger()
    assert not view.table.isColumnHidden(weight)

    arrived(qloop, view.model, lambda: view.model.sort(weight))
    assert column_texts(view, weight) == ["2", "2", "10", "", ""]
    assert titles(view)[2:] == ["Dune", "Ubik", "Zoë"]  # those without one by title
    arrived(qloop, view.model, lambda: view.model.sort(weight, Qt.SortOrder.DescendingOrder))
    assert titles(view)[:2] == ["Ubik", "Zoë"] and column_texts(view, weight)[2:] == [
        "10", "2", "2"]  # fmt: skip
    arrived(qloop, view.model, lambda: view.model.sort(mood))
    assert column_texts(view, mood) == ["calm", "calm seas", "épique", "", ""]
    arrived(qloop, view.model, lambda: view.model.set_filter("#mood:calm"))
    assert titles(view) == ["Emma", "Zoë"]
    arrived(qloop, view.model, lambda: view.model.set_filter("#weight:>=2 #mood:true"))
    assert sorted(titles(view)) == ["Dune", "Emma"]
    arrived(qloop, view.model, lambda: view.model.set_filter('#weight:""'))
    assert titles(view) == ["Zoë", "Ubik"]


def _answer(qtbot, dialog, text: str) -> None:
    qtbot.waitUntil(lambda: dialog.question is not None and dialog.question.isVisible())
    box: QMessageBox = dialog.question
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_dialog_adds_renames_and_deletes_and_undo_takes_each_back(qtbot, qloop, library):
    add_book("Emma")
    _window, view, actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    assert view.model.columnCount() == CUSTOM
    manage = next(a for a in view.columns_menu.actions() if a.text() == "Custo&m Columns…")
    manage.trigger()
    dialog = view.custom_columns.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.name.setText("Shelf")
    dialog.kind.setCurrentIndex(dialog.kind.findData("list"))
    assert dialog.values.isEnabled()
    labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is dialog.values]
    assert [label.text() for label in labels] == ["&Values:"]  # Alt+V, not an "&" shown
    dialog.values.setText("Desk, Attic")
    qtbot.mouseClick(next(b for b in dialog.findChildren(type(dialog.rename_button))
                          if b.text() == "&Add"), Qt.MouseButton.LeftButton)  # fmt: skip
    assert dialog.list.item(0).text() == "Shelf — Fixed list: Desk, Attic (#shelf)"
    # Shown at once (a new column), and offered in the menu.
    assert view.model.headerData(CUSTOM, Qt.Orientation.Horizontal) == "Shelf"
    assert not view.table.isColumnHidden(CUSTOM)
    assert actions.undo.undo_action.text() == "&Undo Add Column “Shelf”"

    dialog.name.setText("2nd")
    dialog.add()
    assert "needs its values, separated by commas" in dialog.error_label.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("text"))
    dialog.add()
    assert dialog.error_label.isVisible() and "begin with a letter" in dialog.error_label.text()

    dialog.new_name.setText("Place")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert view.model.headerData(CUSTOM, Qt.Orientation.Horizontal) == "Place"
    assert not dialog.error_label.isVisible()
    dialog.ask_delete()
    _answer(qtbot, dialog, "Cancel")
    assert store.columns()[0].name == "Place"
    dialog.ask_delete()
    _answer(qtbot, dialog, "Delete")
    assert store.columns() == [] and dialog.list.count() == 0
    assert view.model.columnCount() == CUSTOM

    actions.undo.undo_action.trigger()  # the table follows the undo
    assert view.model.headerData(CUSTOM, Qt.Orientation.Horizontal) == "Place"
    actions.undo.undo_action.trigger()
    assert view.model.headerData(CUSTOM, Qt.Orientation.Horizontal) == "Shelf"


def test_a_column_s_name_is_shown_in_the_edit_dialog_as_typed_never_as_markup(qtbot, library):
    ids = shelf(library)
    add_column("<b>Loud</b> & Clear", "text")  # a name a calibre library may bring
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([ids["Ubik"]])
    field = dialog.custom.fields[store.named("<b>Loud</b> & Clear").key]
    [label] = [w for w in dialog.findChildren(QLabel) if w.buddy() is field and "Loud" in w.text()]
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>Loud</b> && Clear:"  # shown "<b>Loud</b> & Clear:"
    dialog.reject()


def test_the_edit_dialog_sets_one_books_values_and_several_books_at_once(qtbot, qloop, library):
    ids = shelf(library)
    add_column("Place", "list", ["Desk", "Attic"])
    _window, view, actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    dialog = actions.edit_books([ids["Ubik"]])
    fields = dialog.custom.fields
    assert list(fields) == [c.key for c in store.columns()]  # Mood, Place, Weight
    weight, place = (store.named(name) for name in ("Weight", "Place"))
    assert dialog.custom.box.isVisible()
    fields[weight.key].setText("heavy")
    click_save(qtbot, qloop, dialog)
    assert "Weight takes a number, not “heavy”." in dialog.error_label.text()
    fields[weight.key].setText("7.5")
    fields[place.key].setCurrentIndex(fields[place.key].findText("Attic"))
    dialog.lines["title"].setText("Ubik!")
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]] == {weight.id: 7.5, place.id: "Attic"}
    actions.undo.undo_action.trigger()  # the title and the values: one step
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]] == {}

    # A value the list no longer offers (brought from calibre) is shown and kept.
    store.write(ids["Emma"], place.id, "Garage")
    dialog = actions.edit_books([ids["Emma"]])
    assert dialog.custom.fields[place.key].currentText() == "Garage"
    dialog.lines["title"].setText("Emma.")
    click_save(qtbot, qloop, dialog)
    assert store.book_values([ids["Emma"]])[ids["Emma"]][place.id] == "Garage"

    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    fields = dialog.custom.fields
    assert fields[weight.key].placeholderText() == "(unchanged)"
    fields[place.key].setCurrentIndex(fields[place.key].findText("Desk"))
    click_save(qtbot, qloop, dialog)
    assert "Place of 5 books" in dialog.confirm_label.text()
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    values = store.book_values(ids.values())
    assert {held.get(place.id) for held in values.values()} == {"Desk"}
    QApplication.processEvents()


def test_a_shown_column_stays_shown_at_the_next_start_and_a_new_one_starts_hidden(
    qtbot, qloop, library
):
    shelf(library)
    _window, view, _actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    view.table.setColumnHidden(CUSTOM, False)  # Weight shown, Mood hidden
    state = view.save_columns()
    add_column("Added Later", "text")
    _window, again, _actions = window_with_books(qtbot, library)
    again.custom_columns.show_columns()
    again.restore_columns(state)
    names = [
        again.model.headerData(c, Qt.Orientation.Horizontal) for c in range(CUSTOM, CUSTOM + 3)
    ]
    assert names == ["Weight", "Mood", "Added Later"]  # in the order they were added
    assert [again.table.isColumnHidden(c) for c in range(CUSTOM, CUSTOM + 3)] == [False, True, True]


def test_calibres_html_comments_are_edited_formatted_never_as_tags(qtbot, qloop, library):
    ids = shelf(library)
    review = add_column("Review", "long-text")
    stored = "<div><p>Loved <i>it</i>.</p><p>Again &amp; again.</p></div>"  # calibre's comments
    store.write(ids["Ubik"], review.id, stored)
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([ids["Ubik"]])
    field = dialog.custom.fields[review.key]
    assert isinstance(field, RichLines)
    assert field.toPlainText() == "Loved it.\nAgain & again."  # formatted, no tag in sight
    dialog.lines["title"].setText("Ubik!")
    click_save(qtbot, qloop, dialog)  # the comments untouched: stored as they were
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]][review.id] == stored

    dialog = actions.edit_books([ids["Ubik"]])
    field = dialog.custom.fields[review.key]
    field.moveCursor(QTextCursor.MoveOperation.End)
    field.insertPlainText(" <b>Twice</b>")  # typed text, not markup
    click_save(qtbot, qloop, dialog)
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]][review.id] == (
        "<p>Loved <i>it</i>.</p><p>Again &amp; again. &lt;b&gt;Twice&lt;/b&gt;</p>"
    )
    actions.undo.undo_action.trigger()
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]][review.id] == stored

    store.write(ids["Emma"], review.id, "Plain.\nTwo lines.")  # plain text: plain lines
    dialog = actions.edit_books([ids["Emma"]])
    assert isinstance(dialog.custom.fields[review.key], QPlainTextEdit)
    dialog.reject()


# A calibre library's columns, beside the shelf's Weight and Mood.
CALIBRES = (
    ("Read", "yes-no"), ("Date read", "date"), ("Stars", "rating"), ("Genre", "tags"),
    ("Shelf", "text"), ("Notes", "long-text"),
)  # fmt: skip


def edit_shown(qtbot, library, columns, *, every_book: bool = False):
    """The Edit dialog of Ubik (or Bulk Edit of every book), shown, with `columns` (name, kind)
    added to the shelf's."""
    ids = shelf(library)  # Weight and Mood
    for name, kind in columns:
        add_column(name, kind)
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books(list(ids.values()) if every_book else [ids["Ubik"]])
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


def test_the_edit_dialog_shows_a_calibre_librarys_many_columns_without_scrolling(
    qtbot, library, small_screen
):
    dialog = edit_shown(qtbot, library, CALIBRES)
    box = dialog.custom.box
    assert not box.verticalScrollBar().isVisible()  # all eight fields in view
    assert all(box.viewport().rect().contains(f.geometry()) for f in dialog.custom.fields.values())
    framed = dialog.size() + FRAME_ALLOWANCE
    assert framed.height() <= small_screen.height()  # and the dialog still fits the screen
    dialog.reject()


def test_a_message_below_many_columns_takes_their_box_s_room_never_overlaps_it(
    qtbot, library, small_screen
):
    more = (*CALIBRES, ("Saga", "series"), ("Place", "text"))
    dialog = edit_shown(qtbot, library, more, every_book=True)  # Bulk Edit: many books' fields
    height = dialog.height()
    dialog.confirm_label.setText("This changes the Saga of 2 books.\nEdit ▸ Undo takes it back.")
    dialog.confirm_label.show()
    dialog.error_label.setText("One line.\nAnother line.\nA third line.")
    dialog.error_label.show()
    QApplication.processEvents()
    box = dialog.custom.box
    bottom = box.mapTo(dialog, box.rect().bottomLeft()).y()
    below = [dialog.error_label, dialog.confirm_label, dialog.buttons]
    assert all(label.mapTo(dialog, label.rect().topLeft()).y() > bottom for label in below)
    assert dialog.height() <= height + 1  # the box gave the room: the dialog grew no taller
    dialog.reject()


def test_each_lines_hint_shows_whole_and_says_what_the_column_takes(qtbot, library, small_screen):
    ids = shelf(library)  # Weight (a number) and Mood
    for name, kind in (("Read on", "date"), ("Genre", "tags"), ("Saga", "series")):
        add_column(name, kind)
    store.insert(None, label="pages", name="Pages", kind="int", multiple=False, choices=())
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([ids["Ubik"]])
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    lines = [f for f in dialog.custom.fields.values() if isinstance(f, QLineEdit)]
    hints = {line.accessibleName(): line.placeholderText() for line in lines}
    assert hints["Pages"] == "A whole number"  # calibre's page count refuses 3.5
    assert hints["Weight"] == "A number, such as 3.5"
    for line in lines:
        room = line.contentsRect().width() - 8  # the line's own margins
        assert line.fontMetrics().horizontalAdvance(line.placeholderText()) <= room, line
    dialog.reject()


def test_a_rating_is_chosen_in_stars_in_the_edit_dialog(qtbot, qloop, library):
    ids = shelf(library)
    stars = add_column("Stars", "rating")
    store.write(ids["Ubik"], stars.id, 3.5)
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([ids["Ubik"]])
    field = dialog.custom.fields[stars.key]
    assert isinstance(field, QComboBox)
    assert field.currentText() == "★★★½  (3.5)"  # as the table's cell editor and the panel
    texts = [field.itemText(n) for n in range(field.count())]
    assert texts[:3] == ["No rating", "★★★★★  (5)", "★★★★½  (4.5)"] and len(texts) == 11
    field.setCurrentIndex(field.findText("★★★★★  (5)"))
    click_save(qtbot, qloop, dialog)
    assert store.book_values([ids["Ubik"]])[ids["Ubik"]][stars.id] == 5


def test_numbers_are_right_aligned_the_other_values_not(qtbot, library):
    shelf(library)  # Weight, a number; Mood, a text
    _window, view, _actions = window_with_books(qtbot, library)
    view.custom_columns.show_columns()
    model = view.model
    aligned = {
        model.headerData(column, Qt.Orientation.Horizontal): model.index(0, column).data(
            Qt.ItemDataRole.TextAlignmentRole
        )
        for column in range(model.columnCount())
    }
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert {name for name, alignment in aligned.items() if alignment == right} == {
        "Progress", "Size", "Pages", "Weight",
    }  # fmt: skip
