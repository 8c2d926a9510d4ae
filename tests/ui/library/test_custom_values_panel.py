"""The book panel's Custom columns section, on a real library: the columns that hold a value
for the book, each under its heading, as plain text (dates as the library's, Yes or No, a
rating in stars); the others left out, the section hidden without any; and, in the whole
window, the section follows an edit of a custom cell."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.services.library.edits import BookEditService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.book_panel import BookPanel
from tests.factories import add_book
from tests.ui.assembled import local_desktop
from tests.ui.library.test_custom_cells import commit, press_f2


def shown_rows(panel: BookPanel) -> list[tuple[str, str]]:
    rows = panel.custom_box.rows
    found = []
    for row in range(rows.rowCount()):
        label = rows.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        value = rows.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and isinstance(value, QLabel)
        assert label.textFormat() == value.textFormat() == Qt.TextFormat.PlainText
        found.append((label.text(), value.text()))
    return found


@pytest.fixture
def shelf(library):
    columns = {
        "pages": add_column("Pages", "number"),  # beside the library's own Pages
        "loud": add_column("<b>Loud</b>", "text"),
        "bought": add_column("Bought", "date"),
        "lent": add_column("Lent", "yes-no"),
        "stars": add_column("Stars", "rating"),
        "moods": add_column("Moods", "tags"),
        "review": add_column("Review", "long-text"),
        "place": add_column("Place", "list", ["Desk", "Attic"]),
    }
    dune, emma = add_book("Dune").id, add_book("Emma").id
    held = {
        "pages": 412,
        "loud": "<i>quiet</i> & calm",
        "bought": "2024-05-31",
        "lent": False,
        "stars": 3.5,
        "moods": ["calm", "dark"],
        "review": "Long.\nVery long.",
    }  # no Place
    set_values([dune], {columns[name].id: value for name, value in held.items()})
    return dune, emma, columns


def test_the_panel_shows_the_values_the_book_holds_as_plain_text(qtbot, library, shelf):
    dune, emma, columns = shelf
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(dune)
    assert panel.custom_box.isVisibleTo(panel) and panel.custom_box.title() == "Custom columns"
    assert shown_rows(panel) == [  # by name; Place holds nothing
        ("<b>Loud</b>:", "<i>quiet</i> & calm"),
        ("Bought:", "2024-05-31"),
        ("Lent:", "No"),
        ("Moods:", "calm, dark"),
        ("Pages (#pages):", "412"),
        ("Review:", "Long.\nVery long."),
        ("Stars:", "★★★½"),
    ]
    panel.show_book(emma)  # no value at all: no section
    assert not panel.custom_box.isVisibleTo(panel)
    assert shown_rows(panel) == []

    # An edit made elsewhere (the Edit dialog's save) shows at the panel's reload.
    panel.show_book(dune)
    BookEditService(library).save(
        [dune], {columns["place"].key: "Attic", columns["lent"].key: ""}, None
    )
    panel.reload()
    rows = dict(shown_rows(panel))
    assert rows["Place:"] == "Attic" and "Lent:" not in rows


@pytest.fixture
def desktop(library, qtbot, qloop, shelf):
    desktop = local_desktop(library, shown=True)
    yield desktop, shelf
    qloop.run_until_complete(desktop.shutdown())


def test_the_panel_follows_an_edit_of_a_custom_cell(qtbot, qloop, desktop):
    desktop, (dune, _emma, _columns) = desktop
    view, panel = desktop.window.library_view, desktop.window.book_panel
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.custom_columns.show_columns()
    for index in view.custom_columns.indexes():
        view.table.setColumnHidden(index, False)
    assert view.select_book(dune)
    qtbot.waitUntil(lambda: panel.book_id == dune)
    assert ("Moods:", "calm, dark") in shown_rows(panel)
    editor = press_f2(qtbot, view, "Moods")
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "bright")
    commit(qtbot, qloop, view, editor)
    qtbot.waitUntil(lambda: ("Moods:", "bright") in shown_rows(panel))
    editor = press_f2(qtbot, view, "Moods")
    editor.clear()
    commit(qtbot, qloop, view, editor)
    qtbot.waitUntil(lambda: "Moods:" not in dict(shown_rows(panel)))
    qloop.run_until_complete(asyncio.sleep(0))


def test_a_long_text_in_html_shows_its_words(qtbot, library, shelf):
    """calibre keeps a comments column's value as HTML: the panel shows its words, not its
    tags (and nothing of a script)."""
    dune, _emma, columns = shelf
    review = "<p>Loved <i>it</i></p><p>Again<script>x()</script></p>"
    set_values([dune], {columns["review"].id: review})
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    panel.show_book(dune)
    assert ("Review:", "Loved it\n\nAgain") in shown_rows(panel)
