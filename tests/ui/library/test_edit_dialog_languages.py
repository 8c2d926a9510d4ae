"""A book's languages in the Edit dialog through real widgets at 1366x768 on a real library:
shown in order, saved as typed (the first the main one), given to several books at once, and
shown whole by the table's records and the book panel's facts."""

from __future__ import annotations

from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.facts_table import facts_html
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import click_save, window_with_books


def test_the_dialog_edits_the_list_of_languages(qtbot, qloop, library):
    prince = add_book("Le Petit Prince", ("Antoine de Saint-Exupéry",), language="fr")
    _window, view, actions = window_with_books(qtbot, library)
    view.select_book(prince.id)
    actions.edit_action.trigger()
    dialog = actions.dialog
    assert dialog.lines["language"].text() == "fr"
    assert dialog.lines["language"].accessibleName() == "Languages"
    dialog.lines["language"].setText("en, klingonese")
    click_save(qtbot, qloop, dialog)
    assert dialog.isVisible() and "'klingonese' is not a language" in dialog.error_label.text()
    assert languages_of([prince.id])[prince.id] == ["fr"]  # nothing saved

    dialog.lines["language"].setText("French, eng")
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert languages_of([prince.id])[prince.id] == ["fr", "en"]
    assert edited_fields(prince.id) == {"language"}

    actions.edit_action.trigger()
    assert actions.dialog.lines["language"].text() == "fr, en"  # as saved, in order


def test_several_books_take_one_list_and_differing_lists_show_as_several(qtbot, qloop, library):
    books = [add_book(f"Book {n}", ("X",), language="en") for n in range(3)]
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    dialog = actions.dialog
    dialog.lines["language"].setText("de, en")
    click_save(qtbot, qloop, dialog)  # asks first
    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    ids = [book.id for book in books]
    assert set(map(tuple, languages_of(ids).values())) == {("de", "en")}
    assert {Book.get_by_id(book_id).language for book_id in ids} == {"de"}

    from bookorbit_desktop.library.editing.apply import edit_books
    from bookorbit_desktop.library.editing.values import BookChanges

    edit_books([ids[0]], BookChanges(language=("de",)), library)  # the same first language
    actions.edit_action.trigger()
    line = actions.dialog.lines["language"]
    assert (line.text(), line.placeholderText()) == ("", "(several values)")


def test_the_table_and_the_book_panel_show_every_language(library):
    from bookorbit_desktop.library.editing.apply import edit_books
    from bookorbit_desktop.library.editing.values import BookChanges

    prince = add_book("Le Petit Prince", ("Antoine de Saint-Exupéry",), language="fr")
    emma = add_book("Emma", ("Jane Austen",), language="en")
    edit_books([prince.id], BookChanges(language=("fr", "en")), library)
    service = LibraryService(library)
    shown = {book.id: book.language for book in service.table_books()}
    assert shown == {prince.id: "fr, en", emma.id: "en"}
    assert {book.id: book.language for book in service.table_books([prince.id])} == {
        prince.id: "fr, en"
    }
    details = service.book_details(prince.id)
    assert details["language"] == "fr, en"
    # The panel names them: "French, English", not the codes.
    assert ">Languages</td><td>French, English</td>" in facts_html(details)
    assert ">Language</td><td>English</td>" in facts_html(service.book_details(emma.id))
