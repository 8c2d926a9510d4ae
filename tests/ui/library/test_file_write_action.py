"""Write Metadata into File… and Restore File from Backup… in the whole desktop app: each asks
first and Cancel changes nothing; Write puts the library's title into the selected book's EPUB
and says so; Restore puts the old file back; a book with no EPUB is named with its reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.reader import read_metadata
from tests.factories import add_book, make_epub
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def _answer(desktop, qtbot, button_text: str) -> None:  # noqa: F811
    actions = desktop.file_write
    qtbot.waitUntil(lambda: actions.question is not None and actions.question.isVisible())
    box = actions.question
    button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_write_asks_then_writes_and_restore_puts_the_file_back(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
    tmp_path,
):
    show_all(desktop, start_hidden=False)
    path = make_epub(tmp_path / "books" / "dnue.epub", "Dnue", ("Frank Herbert",))
    original = path.read_bytes()
    (book_id,) = import_paths([path], library, workers=0).book_ids
    desktop.book_actions.service.save((book_id,), {"title": "Dune"}, None)
    desktop.controller.refresh()
    view = desktop.window.library_view
    run_until(qloop, lambda: view.select_book(book_id))
    actions = desktop.file_write
    assert actions.write_action in view.table.actions()

    task = qloop.create_task(actions.write([book_id]))
    qloop.call_soon(lambda: None)
    run_until(qloop, lambda: actions.question is not None)
    assert "file-backups" in actions.question.informativeText()
    _answer(desktop, qtbot, "Cancel")
    assert qloop.run_until_complete(task) is None
    assert path.read_bytes() == original  # Cancel changes nothing

    task = qloop.create_task(actions.write([book_id]))
    run_until(qloop, lambda: actions.question is not None)
    _answer(desktop, qtbot, "Write")
    report = qloop.run_until_complete(task)
    assert report is not None and list(report.written) == [book_id]
    assert read_metadata(path).title == "Dune"
    assert desktop.window.statusBar().currentMessage() == "Wrote metadata into 1 file."

    unwritten = add_book("Never Written", ["Ann Author"]).id
    task = qloop.create_task(actions.restore([book_id, unwritten]))
    run_until(qloop, lambda: actions.question is not None)
    assert "files of 1 book as they were" in actions.question.text()
    assert "Left as they are (no backup): 1 book." in actions.question.informativeText()
    _answer(desktop, qtbot, "Restore")
    qloop.run_until_complete(task)
    assert path.read_bytes() == original
    assert desktop.window.statusBar().currentMessage() == "Put back 1 file from its backup."


def test_a_book_without_an_epub_is_named_with_its_reason(desktop, qtbot, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    book = add_book("Paper Only", ["Ann Author"])
    actions = desktop.file_write
    task = qloop.create_task(actions.write([book.id]))
    run_until(qloop, lambda: actions.question is not None)
    _answer(desktop, qtbot, "Write")
    qloop.run_until_complete(task)
    boxes = [
        w
        for w in desktop.window.findChildren(QMessageBox)
        if w.windowTitle() == "Some Files Not Changed"
    ]
    assert boxes and "1 book not changed:" in boxes[-1].text()
    assert "“Paper Only” has no EPUB file to write into (none of its files is here)" in (
        boxes[-1].text()
    )


def test_restore_without_a_backup_asks_nothing_and_says_why(desktop, qtbot, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    book = add_book("Never Written", ["Ann Author"])
    actions = desktop.file_write
    assert qloop.run_until_complete(actions.restore([book.id])) is None
    assert actions.question is None  # nothing to confirm
    assert desktop.window.statusBar().currentMessage() == (
        "No backup to put back: no metadata was written into these books' files."
    )
