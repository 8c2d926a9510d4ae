"""Custom columns in the Edit dialog for several books, through the real window widgets at
1366x768 on a real library: every field starts "(unchanged)" and a field left so changes no
book, Clear takes a value away from every book (where they differ too) as one step of Undo, and
a long text is typed in several lines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import click_save, window_with_books

# title: place, moods, weight, lent, review
SHELF = {
    "Dune": ("Desk", ["calm"], 2, True, "Long.\nVery long."),
    "Emma": ("Attic", ["dark", "calm"], 2, True, None),
    "Ubik": (None, None, 2, False, "Short."),
}


@pytest.fixture
def bulk(qtbot, library):
    columns = (
        add_column("Place", "list", ["Desk", "Attic"]),
        add_column("Moods", "tags"),
        add_column("Weight", "number"),
        add_column("Lent", "yes-no"),
        add_column("Review", "long-text"),
    )
    for title, held in SHELF.items():
        book = add_book(title).id
        set_values([book], {c.id: v for c, v in zip(columns, held, strict=True)})
    _window, view, actions = window_with_books(qtbot, library)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog is not None and dialog.windowTitle() == "Edit 3 Books"
    return dialog, actions


def values() -> dict[str, dict[str, object]]:
    """Each book's value in each column, by title and name."""
    books = {book.id: book.title for book in Book.select()}
    held = store.book_values(books)
    return {
        books[book_id]: {column.name: found.get(column.id) for column in store.columns()}
        for book_id, found in held.items()
    }


def field(dialog, name: str):
    return dialog.custom.fields[store.named(name).key]


def test_every_field_starts_unchanged_and_changes_no_book_left_so(qtbot, qloop, bulk):
    dialog, _actions = bulk
    before = values()
    place, moods, weight = field(dialog, "Place"), field(dialog, "Moods"), field(dialog, "Weight")
    assert isinstance(place, QComboBox) and place.currentText() == "(unchanged)"
    assert [place.itemText(n) for n in range(place.count())] == ["(unchanged)", "Desk", "Attic"]
    assert isinstance(moods, QLineEdit) and moods.text() == ""
    assert moods.placeholderText() == "(unchanged)"
    assert weight.text() == "2"  # the books agree: shown, to correct
    assert field(dialog, "Lent").currentText() == "(unchanged)"
    assert field(dialog, "Review").placeholderText() == "(unchanged)"
    assert dialog.changed() == {}
    dialog.bulk.publisher.setText("Ace")  # another field changes; the custom ones do not
    click_save(qtbot, qloop, dialog)
    assert "publisher of 3 books" in dialog.confirm_label.text()
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert values() == before


def test_clear_takes_a_value_away_from_every_book_as_one_step(qtbot, qloop, bulk):
    dialog, actions = bulk
    before = values()
    clear = dialog.custom.clear[store.named("Place").key]
    assert clear.text() == "Clear" and clear.accessibleName() == "Clear Place"
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert not field(dialog, "Place").isEnabled()
    dialog.custom.clear[store.named("Moods").key].setChecked(True)
    click_save(qtbot, qloop, dialog)
    shown = dialog.confirm_label.text()
    assert "Moods and Place of 2 books.\n1 already have these values." in shown
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    after = values()
    assert {title: (held["Place"], held["Moods"]) for title, held in after.items()} == {
        title: (None, None) for title in SHELF
    }
    assert {t: {**held, "Place": None, "Moods": None} for t, held in before.items()} == after
    actions.undo.undo_action.trigger()
    assert values() == before


def test_a_value_typed_or_chosen_is_given_to_every_book(qtbot, qloop, bulk):
    dialog, _actions = bulk
    review = field(dialog, "Review")
    assert isinstance(review, QPlainTextEdit)
    review.setFocus()
    qtbot.keyClicks(review, "First line.")
    qtbot.keyClick(review, Qt.Key.Key_Return)  # a new line, not a save
    qtbot.keyClicks(review, "Second line.")
    assert dialog.isVisible()
    lent = field(dialog, "Lent")
    lent.setCurrentIndex(lent.findText("No"))
    click_save(qtbot, qloop, dialog)
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    after = values()
    assert {held["Review"] for held in after.values()} == {"First line.\nSecond line."}
    assert {held["Lent"] for held in after.values()} == {False}
    assert after["Emma"]["Place"] == "Attic" and after["Dune"]["Moods"] == ["calm"]


def test_a_value_the_books_share_is_named_in_unchanged(qtbot, bulk):
    dialog, actions = bulk
    dialog.done(0)
    ids = [book.id for book in Book.select().where(Book.title.in_(["Dune", "Emma"]))]
    dialog = actions.edit_books(ids)
    lent = field(dialog, "Lent")  # yes for both
    assert [lent.itemText(n) for n in range(lent.count())] == ["(unchanged: Yes)", "Yes", "No"]
    assert dialog.changed() == {}
    dialog.done(0)


def test_a_columns_name_in_the_clear_boxs_tooltip_is_plain_text(qtbot, library):
    """A column's name (the user's, or a calibre library's) is never read as markup."""
    column = add_column("<b>Ink</b>", "text")
    for title in ("Dune", "Emma"):
        set_values([add_book(title).id], {column.id: "blue"})
    _window, view, actions = window_with_books(qtbot, library)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.table.selectAll()
    actions.edit_action.trigger()
    tip = actions.dialog.custom.clear[column.key].toolTip()
    assert "&lt;b&gt;Ink&lt;/b&gt;" in tip and "<b>Ink" not in tip
