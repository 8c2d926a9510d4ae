"""Edit ▸ Authors… in the whole desktop app at 1366x768: an author filed anew moves the books
in the table sorted by Authors, and Edit ▸ Undo puts them back."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.store.models import Author
from bookorbit_desktop.ui.library.authors_dialog import FILED_AS
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from tests.factories import add_book
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def _titles(view) -> list[str]:
    return [view.model.book_at(row).title for row in range(view.model.rowCount())]


def test_filing_an_author_reorders_the_table_and_undo_puts_it_back(desktop, qtbot, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    for title, name in (
        ("Love in the Time of Cholera", "Gabriel García Márquez"),
        ("Dune", "Frank Herbert"),
        ("The Stranger", "Albert Camus"),
    ):
        add_book(title, [name])
    for author in Author.select():
        Author.update(sort_name=author_sort(author.name)).where(Author.id == author.id).execute()
    desktop.controller.refresh()
    view = desktop.window.library_view
    view.table.sortByColumn(COLUMN_KEYS.index("authors"), Qt.SortOrder.AscendingOrder)
    run_until(
        qloop, lambda: _titles(view) == ["The Stranger", "Dune", "Love in the Time of Cholera"]
    )

    dialog = desktop.book_actions.authors.open()
    assert [dialog.table.item(row, 0).text() for row in range(3)] == [
        "Albert Camus",
        "Frank Herbert",
        "Gabriel García Márquez",
    ]
    assert dialog.table.item(2, FILED_AS).text() == "Márquez, Gabriel García"
    dialog.table.item(2, FILED_AS).setText("García Márquez, Gabriel")
    dialog.table.item(1, FILED_AS).setText("")  # empty: the rule's, as it is: no change
    dialog.save()
    run_until(
        qloop, lambda: _titles(view) == ["The Stranger", "Love in the Time of Cholera", "Dune"]
    )
    assert desktop.window.statusBar().currentMessage() == "Filed 1 author anew."

    undo = desktop.book_actions.undo
    assert undo.undo_action.text() == "&Undo File Gabriel García Márquez"
    undo.undo()
    run_until(
        qloop, lambda: _titles(view) == ["The Stranger", "Dune", "Love in the Time of Cholera"]
    )


def test_use_suggested_fills_the_selected_authors(desktop):  # noqa: F811
    add_book("Dune", ["Frank Herbert"])  # filed as its name
    dialog = desktop.book_actions.authors.open()
    dialog.table.selectionModel().select(
        dialog.table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    dialog.use_suggested()
    assert dialog.typed() == {Author.get().id: "Herbert, Frank"}
    dialog.reject()
