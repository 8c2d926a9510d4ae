"""The Edit dialog's fields beyond title and authors, through real widgets at 1366x768 on a real
library: subtitle, publisher, release date, pages, identifiers (added, edited, removed, with a
link to their source) and the description in a rich-text editor that shows the formatting, not
the tags, and saves what the one description rule keeps. Each save is one step of Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from bookorbit_desktop.descriptions import clean_description
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.ui.library.description_editor import DescriptionEditor
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import save_button, window_with_books

FIELDS = ("subtitle", "publisher", "published", "pages", "identifiers", "isbn13", "description")
DESCRIPTION = "<p>A <b>desert</b> planet.</p><ul><li>spice</li><li>worms</li></ul>"


def values(book_id: int) -> dict:
    book = Book.get_by_id(book_id)
    return {name: getattr(book, name) for name in FIELDS}


def dune() -> Book:
    book = add_book("Dune", ("Frank Herbert",), isbn13="9780441013593")
    Book.update(identifiers={"goodreads": "234225"}, description=DESCRIPTION).where(
        Book.id == book.id
    ).execute()
    return book


def opened(qtbot, library):
    book = dune()
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([book.id])
    qtbot.waitExposed(dialog)
    return book, actions, dialog


def identifier_rows(dialog) -> list[tuple[str, str, str]]:
    table = dialog.identifiers.table
    return [
        (table.item(r, 0).text(), table.item(r, 1).text(), dialog.identifiers.link(r).text())
        for r in range(table.rowCount())
    ]


def test_the_description_shows_its_formatting_never_its_tags(qtbot, library):
    _book, _actions, dialog = opened(qtbot, library)
    editor = dialog.description.editor
    assert editor.toPlainText().startswith("A desert planet.")
    assert "<" not in editor.toPlainText()
    cursor = editor.document().find("desert")
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold.value
    assert editor.document().find("spice").block().textList() is not None
    assert dialog.changed() == {}  # opened and shown: nothing changed


def test_every_mark_the_rule_keeps_comes_back_as_it_was_stored(qtbot):
    stored = (
        "<p>A &amp; B, <b>bold</b>, <i>italic</i>, <u>under</u>, <s>gone</s>, H<sub>2</sub>O, "
        'x<sup>2</sup>, <a href="https://example.org/" rel="noopener noreferrer nofollow">a '
        "link</a><br>and a new line</p><h3>Head</h3><blockquote><p>quoted</p></blockquote>"
        "<ol><li>first</li></ol><ul><li>one</li><li>two</li></ul>"
    )
    editor = DescriptionEditor(stored)
    qtbot.addWidget(editor)
    assert clean_description(editor.markup()) == stored  # what the save stores


def test_each_field_has_a_key_of_its_own(qtbot, library):
    _book, _actions, dialog = opened(qtbot, library)
    marked = [w.text() for w in dialog.findChildren(QLabel) if "&" in w.text() and w.buddy()]
    boxed = dialog.buttons.buttons()  # Save and Cancel: the platform's own keys
    marked += [b.text() for b in dialog.findChildren(QPushButton) if b not in boxed]
    keys = [QKeySequence.mnemonic(text).toString() for text in marked if "&" in text]
    assert len(keys) == 15 and len(set(keys)) == len(keys), sorted(keys)


def test_identifiers_show_a_link_to_their_source(qtbot, library):
    _book, _actions, dialog = opened(qtbot, library)
    rows = identifier_rows(dialog)
    assert [row[:2] for row in rows] == [("isbn", "9780441013593"), ("goodreads", "234225")]
    assert "https://openlibrary.org/isbn/9780441013593" in rows[0][2]
    assert "https://www.goodreads.com/book/show/234225" in rows[1][2]
    opened_urls: list[QUrl] = []
    dialog.identifiers.opener = lambda url: opened_urls.append(url) or True
    dialog.identifiers.link(1).linkActivated.emit("https://www.goodreads.com/book/show/234225")
    assert opened_urls == [QUrl("https://www.goodreads.com/book/show/234225")]
    # A kind without a page, or a value that is not a plain code, has no link.
    dialog.identifiers.add_row("uuid", "1b2c")
    dialog.identifiers.add_row("goodreads", "../../evil?x=1")
    assert [row[2] for row in identifier_rows(dialog)[2:]] == ["", ""]


def test_every_field_is_saved_as_one_step_of_undo(qtbot, library):
    book, actions, dialog = opened(qtbot, library)
    before = values(book.id)
    dialog.lines["subtitle"].setText("A Novel")
    dialog.lines["publisher"].setText("Chilton Books")
    dialog.lines["published"].setText("1965-08")
    dialog.lines["pages"].setText("412")
    ids = dialog.identifiers
    ids.table.item(1, 1).setText("44767458")  # goodreads: edited
    ids.table.selectRow(0)
    ids.remove_selected()  # the ISBN: removed
    ids.add_new_row()  # added, typed into the new row
    for text in ("openlibrary", "OL26332W"):  # the kind, then the value Tab moves to
        cells = [line for line in ids.table.findChildren(QLineEdit) if line.isVisible()]
        qtbot.keyClicks(cells[-1], text)
        qtbot.keyClick(cells[-1], Qt.Key.Key_Tab)
    assert identifier_rows(dialog)[1][:2] == ("openlibrary", "OL26332W")
    assert "https://openlibrary.org/works/OL26332W" in ids.link(1).text()
    editor, bold = dialog.description.editor, dialog.description.buttons["Bold"]
    editor.clear()
    qtbot.keyClicks(editor, "Arrakis ")
    qtbot.mouseClick(bold, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor, "burns")
    qtbot.mouseClick(bold, Qt.MouseButton.LeftButton)
    dialog.windowHandle().requestActivate()  # offscreen, keys reach a shortcut once active
    qtbot.waitUntil(dialog.isActiveWindow)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " now")
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " <b>hot</b>")  # typed, so text: shown and kept as typed
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    after = values(book.id)
    assert after == {
        "subtitle": "A Novel",
        "publisher": "Chilton Books",
        "published": "1965-08",
        "pages": 412,
        "identifiers": {"goodreads": "44767458", "openlibrary": "OL26332W"},
        "isbn13": None,
        "description": "<p>Arrakis <b>burns</b><i> now</i> &lt;b&gt;hot&lt;/b&gt;</p>",
    }
    assert {"subtitle", "publisher", "published", "pages", "identifiers", "isbn"} <= (
        edited_fields(book.id)
    )
    undo = actions.undo
    assert undo.undo_action.text() == "&Undo Edit “Dune”"
    undo.undo_action.trigger()
    assert values(book.id) == before
    undo.redo_action.trigger()
    assert values(book.id) == after


def test_a_wrong_release_date_or_identifier_is_shown_and_nothing_saved(qtbot, library):
    book, _actions, dialog = opened(qtbot, library)
    before = values(book.id)
    dialog.lines["published"].setText("1965-13")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "is not a release date" in dialog.error_label.text()
    dialog.lines["published"].setText("1965")
    dialog.identifiers.table.item(0, 1).setText("9780441013594")  # a wrong check digit
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "is not a valid ISBN" in dialog.error_label.text()
    assert values(book.id) == before


def test_pasted_markup_keeps_its_formatting_and_loses_the_rest(qtbot, library):
    book, _actions, dialog = opened(qtbot, library)
    editor = dialog.description.editor
    editor.clear()
    editor.textCursor().insertHtml(
        "<h2>Part <span style='font-weight:700'>one</span></h2>"
        "<p style='color:red'><span style='font-style:italic'>Spice</span> "
        "<a href='https://example.org/dune'>page</a> <img src='file:///etc/passwd'>"
        "<script>alert(1)</script></p>"
    )
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Book.get_by_id(book.id).description == (
        "<h2>Part one</h2><p><i>Spice</i> "
        '<a href="https://example.org/dune" rel="noopener noreferrer nofollow">page</a></p>'
    )


def test_an_invalid_isbn_the_file_carried_does_not_stop_another_field_being_saved(qtbot, library):
    """The import keeps the identifiers a file carries, a wrong ISBN among them; changing only
    the subtitle saves the subtitle and leaves that ISBN as it was."""
    book = add_book("Sea Book", ("Ann Author",))
    Book.update(identifiers={"isbn": "9780000000011"}).where(Book.id == book.id).execute()
    _window, _view, actions = window_with_books(qtbot, library)
    dialog = actions.edit_books([book.id])
    qtbot.waitExposed(dialog)
    dialog.lines["subtitle"].setText("A Novel of the Coast")
    assert set(dialog.changed()) == {"subtitle"}
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Book.get_by_id(book.id).subtitle == "A Novel of the Coast")
    assert Book.get_by_id(book.id).identifiers == {"isbn": "9780000000011"}
