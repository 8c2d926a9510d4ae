"""Tidy File Names: choose the library folder and the name pattern, preview every rename
(old -> new) before anything moves, move the files, or undo the last batch.

Files that would go to another drive are marked in the preview; moving them (a copy, written
to disk, then the original deleted) needs the user's yes in a second question. The reading
and writing run off the window's thread (`services.library.file_names.later`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import file_names
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.questions import yes_or_cancel
from bookorbit_desktop.ui.text import plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import (
    button_row,
    choose_folder,
    push_button,
    wide_row,
    wrapped_label,
)

if TYPE_CHECKING:
    from bookorbit_desktop.ui.page_host import PageHost

HEADERS = ("Current file", "New name", "")
PLACEHOLDER_HELP = (
    "Placeholders: "
    + " ".join("{" + name + "}" for name in file_names.PLACEHOLDERS)
    + ". Text in [brackets] is left out when a placeholder in it is empty; / makes a folder."
)


def _files(count: int) -> str:
    return f"{count:,} file" + ("" if count == 1 else "s")


class TidyDialog(QDialog):
    """`moved` is True once a batch moved (or moved back) a file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tidy File Names")
        self.resize(900, 520)
        self._planned: list[file_names.Planned] = []
        self._busy: asyncio.Task[Any] | None = None
        self.moved = False
        self._undoable = False  # the last tidy has something to take back (`load` reads it)
        self.question: QMessageBox | None = None  # the open cross-drive question, if any
        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName("Library folder")
        self.pattern_edit = QLineEdit()
        self.pattern_edit.setAccessibleName("File-name pattern")
        browse = push_button("&Browse…", self._browse)
        form = QFormLayout()
        # A row holding a layout gets no buddy for its label's key: the label is made here.
        folder_label = QLabel("Library &folder:")
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, wide_row(self.folder_edit, browse))
        form.addRow("&Pattern:", self.pattern_edit)
        self.keep_check = QCheckBox("&Keep the original files (copy them to the library folder)")
        form.addRow("", self.keep_check)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setAccessibleName("Renames")
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = show_plain(
            wrapped_label("Preview shows every rename before anything moves.")
        )
        self.preview_button = push_button("Pre&view", self.preview)
        self.move_button = push_button("&Move Files", self.move_files)
        self.undo_button = push_button("&Undo Last Tidy", self.undo)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(wrapped_label(PLACEHOLDER_HELP))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(button_row(self.undo_button, self.preview_button, self.move_button))
        layout.addWidget(close)
        self._update_buttons()

    async def load(self) -> None:
        folder, pattern = await file_names.later(file_names.load_choice)
        self.folder_edit.setText(folder)
        self.pattern_edit.setText(pattern)
        self._undoable = await file_names.later(file_names.has_tidy_to_undo)
        self._update_buttons()

    def _browse(self) -> None:
        choose_folder(self, "Library Folder", self.folder_edit.setText)

    def preview(self) -> asyncio.Task[Any] | None:
        return self._start(self._preview(self.folder_edit.text(), self.pattern_edit.text()))

    async def _preview(self, folder: str, pattern: str) -> None:
        """Save the choice and show the renames; a folder that does not exist yet is made
        once the user says so."""

        def work(create: bool) -> list[file_names.Planned]:
            file_names.save_choice(folder, pattern, create=create)
            return file_names.preview()

        try:
            planned = await file_names.later(work, False)
        except file_names.MissingFolderError as missing:
            box = yes_or_cancel(self, missing.title, missing.message)
            if await self._ask(box) == QMessageBox.StandardButton.Yes:
                await self._read(lambda: work(True), self._show)
            return
        except BookOrbitError as error:
            show_error(self, error)
            return
        self._show(planned)

    async def _ask(self, box: QMessageBox) -> object:
        """`box`'s answer; it is `question` while it is open."""
        self.question = box
        answer = await run_dialog(box)
        box.deleteLater()
        self.question = None
        return answer

    def move_files(self) -> asyncio.Task[Any] | None:
        if not self._planned:
            return None
        return self._start(self._move())

    def undo(self) -> asyncio.Task[Any] | None:
        return self._start(self._undo())

    def _start(self, work: Any) -> asyncio.Task[Any] | None:
        if self._busy is not None:
            work.close()
            return None
        self._busy = spawn(self._finish(work), self)
        self._update_buttons()
        return self._busy

    async def _finish(self, work: Any) -> None:
        try:
            await work
            self._undoable = await file_names.later(file_names.has_tidy_to_undo)
        finally:
            self._busy = None
            self._update_buttons()

    async def _read(self, work: Callable[[], Any], then: Callable[[Any], None]) -> bool:
        try:
            result = await file_names.later(work)
        except BookOrbitError as error:
            show_error(self, error)
            return False
        then(result)
        return True

    def _show(self, planned: list[file_names.Planned]) -> None:
        self._planned = planned
        self.table.setRowCount(len(planned))
        for row, item in enumerate(planned):
            note = "another drive: copied, then deleted" if item.cross_device else ""
            for column, text in enumerate((item.rename.old, item.rename.new, note)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(plain_tooltip(text))
                self.table.setItem(row, column, cell)
        if planned:
            self.summary.setText(f"{_files(len(planned))} would move. Nothing has moved yet.")
        else:
            self.summary.setText("Every file already has its tidy name.")

    def make_copy_question(self, crossing: int) -> QMessageBox:
        return yes_or_cancel(
            self,
            "Copy to Another Drive",
            f"{_files(crossing)} would go to another drive. Each is copied, "
            "written to disk, and only then deleted where it is now. Go ahead?",
        )

    async def _allow_copy(self, crossing: int) -> bool | None:
        """True to copy across drives, False when none cross, None when the user said no."""
        if not crossing:
            return False
        answer = await self._ask(self.make_copy_question(crossing))
        return True if answer == QMessageBox.StandardButton.Yes else None

    async def _move(self) -> None:
        planned = list(self._planned)
        keep = self.keep_check.isChecked()  # a kept copy deletes nothing: no question
        allow = False if keep else await self._allow_copy(sum(p.cross_device for p in planned))
        if allow is None:
            return
        await self._read(lambda: file_names.tidy(planned, allow_copy=allow, keep=keep), self._moved)

    def make_undo_question(self, files: int, crossing: int) -> QMessageBox:
        text = f"{_files(files)} would go back where they were before the last tidy."
        if crossing:
            text += (
                f" {_files(crossing)} would go back to another drive: copied, written to disk, "
                "and only then deleted here."
            )
        return yes_or_cancel(self, "Undo Last Tidy", text + " Go ahead?")

    async def _undo(self) -> None:
        files, crossing = await file_names.later(file_names.undo_preview)
        if not files:
            self.summary.setText("There is no tidy to undo (only the last one can be).")
            return
        answer = await self._ask(self.make_undo_question(files, crossing))
        if answer != QMessageBox.StandardButton.Yes:
            return
        await self._read(lambda: file_names.undo_last(allow_copy=True), self._moved)

    def _moved(self, result: file_names.BatchResult) -> None:
        self._planned = []
        self.table.setRowCount(0)
        self.moved = self.moved or bool(result.done)
        text = f"{_files(len(result.done))} done."
        if result.failed:
            reasons = "; ".join(f"{move.old}: {why}" for move, why in result.failed[:3])
            text += f" Not moved: {reasons}"
        if result.kept:
            text += " Moved, but " + "; ".join(why for _move, why in result.kept[:3])
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        idle = self._busy is None
        self.preview_button.setEnabled(idle)
        self.undo_button.setEnabled(idle and self._undoable)
        self.move_button.setEnabled(idle and bool(self._planned))


def add_tidy_action(host: PageHost) -> QAction:
    """File ▸ Tidy File Names…, before Settings; the table follows the moved files."""
    window = host.window

    async def open_dialog() -> None:
        dialog = TidyDialog(window)
        await dialog.load()
        await run_dialog(dialog)
        if dialog.moved:
            host.follow_changes()
        dialog.deleteLater()

    action = menu_action(window, "Tidy File &Names…", lambda: spawn(open_dialog(), window))
    window.add_file_action(action)
    return action
