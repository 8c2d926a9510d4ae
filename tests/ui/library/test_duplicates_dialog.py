"""Find Duplicates through the real window at 1366x768 on a real library with two imported
copies of one book: the group is listed, the two shown side by side, a field's choice
overridden, Merge asks and merges into one book, and Edit ▸ Undo splits them back exactly."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.ui.library.duplicates_dialog import DuplicatesDialog
from bookorbit_desktop.ui.library.undo_actions import UndoActions
from tests.library.merge.copies import two_copies, whole
from tests.ui.library.test_book_actions_in_app import run_until
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


def _open(desktop, qloop) -> DuplicatesDialog:  # noqa: F811
    [action] = [a for a in desktop.window.file_menu.actions() if a.text() == "Find &Duplicates…"]
    action.trigger()
    run_until(qloop, lambda: desktop.window.findChild(DuplicatesDialog) is not None)
    dialog = desktop.window.findChild(DuplicatesDialog)
    run_until(qloop, dialog.isVisible)  # once the groups are read
    return dialog


def test_find_and_merge_duplicates_then_undo(desktop, qtbot, qloop, library, tmp_path):  # noqa: F811
    epub, pdf = two_copies(library, tmp_path)
    before = (whole(epub, library), whole(pdf, library))
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    desktop.controller.refresh()
    view = desktop.window.library_view
    assert view.count_label.text() == "2 books"

    dialog = _open(desktop, qloop)
    size = dialog.frameGeometry().size()
    assert size.width() <= 1366 and size.height() <= 768 - 40  # room for a title bar
    assert dialog.group_list.count() == 1
    grid = dialog.view.grid
    [files] = [
        grid.getItemPosition(n)[0]
        for n in range(grid.count())
        if isinstance(grid.itemAt(n).widget(), QLabel)
        and grid.itemAt(n).widget().text() == "Files (all kept):"
    ]
    assert "dune.pdf" in grid.itemAtPosition(files, 2).widget().text()
    keep, other = dialog.view.radios["series"]
    assert other.isChecked() and not keep.isChecked()  # a series beats none
    title_keep, title_other = dialog.view.radios["title"]
    assert title_keep.isChecked()
    # The user prefers the other's title: a click on its button (its left edge, where the
    # indicator is; the button is wider than its text).
    qtbot.mouseClick(
        title_other, Qt.MouseButton.LeftButton, pos=QPoint(6, title_other.height() // 2)
    )
    assert title_other.isChecked() and dialog.view.choices()["title"] == "other"

    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    question = dialog.question
    assert question is not None and question.text().startswith(
        f"Merge “Dune: Deluxe Edition” (book {pdf}) into “Dune” (book {epub})?"
    )
    [merge] = [b for b in question.buttons() if b.text() == "&Merge"]
    qtbot.mouseClick(merge, Qt.MouseButton.LeftButton)

    assert Book.get_or_none(Book.id == pdf) is None
    assert desktop.window.statusBar().currentMessage() == (
        f"Merged book {pdf} into book {epub}. Edit ▸ Undo takes it back."
    )
    merged = whole(epub, library)
    assert merged["book"][1:3] == ("Dune: Deluxe Edition", "Dune")
    assert len(merged["files"]) == 2 and len(merged["highlights"]) == 2
    assert ReadingState.get_by_id(epub).status == "read"
    run_until(qloop, lambda: view.count_label.text() == "1 book")
    run_until(qloop, lambda: dialog.group_list.count() == 0 and dialog.empty.isVisible())

    undo = desktop.window.findChild(UndoActions)
    assert undo.undo_action.text() == "&Undo Merge “Dune: Deluxe Edition” into “Dune”"
    undo.undo_action.trigger()
    if undo.box is not None:  # an undo that left something says so
        assert undo.box.icon() != QMessageBox.Icon.Warning, undo.box.text()
    run_until(qloop, lambda: view.count_label.text() == "2 books")
    assert (whole(epub, library), whole(pdf, library)) == before
    dialog.reject()


def test_two_different_hardcover_books_cannot_be_merged(desktop, qtbot, qloop, library, tmp_path):  # noqa: F811
    from bookorbit_desktop.library.store.models import HardcoverMatch

    epub, _ = two_copies(library, tmp_path)
    HardcoverMatch.update(state="linked", hc_book_id=91).where(
        HardcoverMatch.book == epub
    ).execute()
    show_all(desktop, start_hidden=False)
    dialog = _open(desktop, qloop)
    assert dialog.refusal.isVisible()
    assert "two different Hardcover books" in dialog.refusal.text()
    assert not dialog.merge_button.isEnabled()
    dialog.reject()


def test_after_a_merge_the_rest_of_its_group_stays_shown(desktop, qtbot, qloop, library):  # noqa: F811
    from tests.factories import add_book

    add_book("Dune", ["Frank Herbert"])
    add_book("Dune", ["Frank Herbert"])
    emmas = [add_book(title, ["Jane Austen"]).id for title in ("Emma", "EMMA", "Emma: A Novel")]
    show_all(desktop, start_hidden=False)
    dialog = _open(desktop, qloop)
    assert dialog.group_list.count() == 2
    dialog.group_list.setCurrentRow(1)
    assert (dialog.keep_box.currentData(), dialog.other_box.currentData()) == tuple(emmas[:2])
    dialog._merge(emmas[0], emmas[1])
    run_until(qloop, lambda: dialog.loading is not None and dialog.loading.done())
    assert dialog.group_list.currentRow() == 1  # the Emmas left, not the first group again
    assert (dialog.keep_box.currentData(), dialog.other_box.currentData()) == (
        emmas[0],
        emmas[2],
    )
    dialog.reject()
