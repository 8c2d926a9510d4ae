"""Tidy File Names through the real dialog: the preview lists every rename and moves nothing,
Move Files moves them, Undo Last Tidy puts them back; the pattern is checked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.library.tidy_dialog import TidyDialog
from tests.factories import add_book, make_epub
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


def _wait(qloop, task) -> None:
    assert task is not None
    qloop.run_until_complete(task)


async def _until(condition) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def _paths() -> list[str]:
    return [f.path for f in BookFile.select().order_by(BookFile.id)]


def test_preview_move_and_undo(library, qtbot, qloop, tmp_path):
    old = [
        str(make_epub(tmp_path / "in" / "1.epub", "Dune")),
        str(make_epub(tmp_path / "in" / "2.epub", "Emma")),
    ]
    add_book("Dune", ["Frank Herbert"], file=Path(old[0]), series="Dune", series_index=1)
    add_book("Emma", ["Jane Austen"], file=Path(old[1]))
    target = tmp_path / "Library"
    target.mkdir()
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    qloop.run_until_complete(dialog.load())
    assert dialog.pattern_edit.text() == "{author}/[{series} {number} - ]{title}"
    assert not dialog.move_button.isEnabled()
    dialog.folder_edit.setText(str(target))

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    rows = [
        (dialog.table.item(row, 0).text(), dialog.table.item(row, 1).text())
        for row in range(dialog.table.rowCount())
    ]
    new = [f"{target}/Frank Herbert/Dune 01 - Dune.epub", f"{target}/Jane Austen/Emma.epub"]
    assert rows == list(zip(old, new, strict=True))
    assert _paths() == old and all(Path(path).is_file() for path in old)  # nothing moved
    assert "2 files would move" in dialog.summary.text()

    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    assert _paths() == new and all(Path(path).is_file() for path in new)
    assert dialog.moved and dialog.table.rowCount() == 0
    assert "2 files done." in dialog.summary.text()
    edit = UndoService(library)  # the names Edit ▸ Undo and Redo show
    assert edit.next_names() == ("Tidy File Names (2 files)", None)

    for answer in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        task = dialog._busy
        qloop.run_until_complete(_until(lambda: dialog.question is not None))
        assert dialog.question.text() == (
            "2 files would go back where they were before the last tidy. Go ahead?"
        )
        qtbot.mouseClick(dialog.question.button(answer), Qt.MouseButton.LeftButton)
        _wait(qloop, task)
        if answer == QMessageBox.StandardButton.Cancel:
            assert _paths() == new  # nothing moved back
    assert _paths() == old and all(Path(path).is_file() for path in old)
    assert list(target.iterdir()) == []  # the author folders tidy made are gone with it
    assert edit.next_names() == (None, "Tidy File Names (2 files)")  # the two undos agree
    assert not dialog.undo_button.isEnabled()  # nothing left to take back
    # Taken back behind the dialog's back (Edit ▸ Undo while it is open): the undo says so.
    _wait(qloop, dialog.undo())
    assert dialog.summary.text() == "There is no tidy to undo (only the last one can be)."


def test_undo_last_tidy_is_offered_only_once_there_is_a_tidy_to_undo(
    library, qtbot, qloop, tmp_path
):
    add_book("Dune", ["Frank Herbert"], file=make_epub(tmp_path / "in" / "1.epub", "Dune"))
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    qloop.run_until_complete(dialog.load())
    assert not dialog.undo_button.isEnabled()  # a library never tidied
    dialog.folder_edit.setText(str(tmp_path / "Library"))
    (tmp_path / "Library").mkdir()
    _wait(qloop, dialog.preview())
    assert not dialog.undo_button.isEnabled()  # a preview moves nothing
    _wait(qloop, dialog.move_files())
    assert dialog.undo_button.isEnabled()


def test_a_bad_pattern_is_explained_and_nothing_is_saved(library, qtbot, qloop, tmp_path):
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(tmp_path))
    dialog.pattern_edit.setText("{author}/{nope}")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    boxes = [box for box in dialog.findChildren(QMessageBox) if box.isVisible()]
    assert [box.windowTitle() for box in boxes] == ["File-name pattern"]
    assert "Unknown placeholder {nope}" in boxes[0].text()
    boxes[0].close()
    assert dialog.table.rowCount() == 0


def test_another_drive_asks_before_copying(library, qtbot, qloop, tmp_path):
    import shutil
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    target = Path(tempfile.mkdtemp(dir=shm))
    try:
        old = make_epub(tmp_path / "in" / "e.epub", "Emma")
        add_book("Emma", ["Jane Austen"], file=old)
        dialog = TidyDialog()
        qtbot.addWidget(dialog)
        dialog.folder_edit.setText(str(target))
        dialog.pattern_edit.setText("{author}/{title}")
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
        _wait(qloop, dialog._busy)
        assert dialog.table.item(0, 2).text() == "another drive: copied, then deleted"

        for answer in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes):
            qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
            task = dialog._busy
            qloop.run_until_complete(_until(lambda: dialog.question is not None))
            assert "only then deleted" in dialog.question.text()
            qtbot.mouseClick(dialog.question.button(answer), Qt.MouseButton.LeftButton)
            _wait(qloop, task)
            if answer == QMessageBox.StandardButton.Cancel:
                assert old.is_file() and _paths() == [str(old)]  # nothing moved
        assert not old.exists()
        assert _paths() == [str(target / "Jane Austen" / "Emma.epub")]
    finally:
        shutil.rmtree(target, ignore_errors=True)


def test_keep_copies_and_leaves_the_originals(library, qtbot, qloop, tmp_path):
    old = make_epub(tmp_path / "in" / "e.epub", "Emma")
    add_book("Emma", ["Jane Austen"], file=old)
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(tmp_path / "in"))
    dialog.pattern_edit.setText("{author}/{title}")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    dialog.keep_check.setChecked(True)
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    new = tmp_path / "in" / "Jane Austen" / "Emma.epub"
    assert _paths() == [str(new)] and new.is_file() and old.is_file()


def test_the_folder_label_shows_its_key_not_an_ampersand(library, qtbot, small_screen):
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    label = next(lab for lab in dialog.findChildren(QLabel) if "older:" in lab.text())
    # With a buddy, Qt draws "folder" with its key underlined (Alt+F), never the "&".
    assert label.buddy() is dialog.folder_edit


def test_the_folder_box_takes_the_row_s_free_width(library, qtbot, small_screen):
    """A library folder's path is long: its box fills the row up to Browse…, as wide as the
    pattern box below it, not half of it."""
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    folder, pattern = dialog.folder_edit.geometry(), dialog.pattern_edit.geometry()
    assert folder.left() == pattern.left()
    assert folder.width() >= pattern.width() * 0.8


@pytest.mark.parametrize(
    "answer", [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
)
def test_a_folder_that_does_not_exist_yet_is_made_once_the_user_says_so(
    library, qtbot, qloop, tmp_path, small_screen, answer
):
    old = str(make_epub(tmp_path / "in" / "1.epub", "Emma"))
    add_book("Emma", ["Jane Austen"], file=Path(old))
    target = tmp_path / "Books" / "Library"
    dialog = TidyDialog()
    qtbot.addWidget(dialog)
    qloop.run_until_complete(dialog.load())
    dialog.folder_edit.setText(str(target))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    task = dialog._busy
    qloop.run_until_complete(_until(lambda: dialog.question is not None))
    assert dialog.question.text() == f"{target} does not exist yet. Create it?"
    qtbot.mouseClick(dialog.question.button(answer), Qt.MouseButton.LeftButton)
    _wait(qloop, task)
    if answer == QMessageBox.StandardButton.Cancel:
        assert not target.exists() and dialog.table.rowCount() == 0
        return
    assert target.is_dir()
    assert dialog.table.item(0, 1).text() == f"{target}/Jane Austen/Emma.epub"
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    _wait(qloop, dialog._busy)
    assert _paths() == [f"{target}/Jane Austen/Emma.epub"]
