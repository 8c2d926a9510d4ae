"""Find Duplicates: the groups of books that look like copies of one book, two of a group side
by side with a choice per field, and Merge (after a question) as one step Undo takes back.

The dialog lists the groups (`services.library.merge`); picking a group shows its first two books,
the kept one on the left (another book of the group is chosen in the boxes above, or the two
swapped). The groups are read off the window's thread (`load`), again after a merge, and
`on_merged` lets the window follow.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.merge import Copy, MergeService, SideBySide
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, run_dialog, show_error, spawn
from bookorbit_desktop.ui.library.side_by_side import SideBySideView
from bookorbit_desktop.ui.library.undo_actions import UndoActions
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.widgets import bare, message_label, push_button, wrapped_label

if TYPE_CHECKING:
    from bookorbit_desktop.ui.page_host import PageHost


def _copy_text(copy: Copy) -> str:
    return f"{copy.title} — {copy.authors} [{copy.formats}] (book {copy.id})"


class DuplicatesDialog(QDialog):
    def __init__(
        self,
        service: MergeService,
        parent: QWidget | None = None,
        on_merged: Callable[[], object] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find Duplicates")
        self.service = service
        self.on_merged = on_merged
        self.question: QMessageBox | None = None
        self.seen: SideBySide | None = None  # the pair shown
        self.groups: list[tuple[Copy, ...]] = []
        self.group_list = QListWidget()
        self.group_list.setAccessibleName("Groups of duplicates")
        self.group_list.setAlternatingRowColors(True)  # where one group ends and the next starts
        self.group_list.currentRowChanged.connect(self._group_chosen)
        self.keep_box, self.other_box = QComboBox(), QComboBox()
        self.keep_box.setAccessibleName("Book to keep")
        self.other_box.setAccessibleName("Book to merge into it")
        for box in (self.keep_box, self.other_box):
            box.currentIndexChanged.connect(lambda _index: self._show_pair())
        swap = push_button("S&wap", self._swap, tip="Keep the other book instead")
        picks = QHBoxLayout()
        for text, box in (("&Keep:", self.keep_box), ("Merge &in:", self.other_box)):
            label = QLabel(text)
            label.setBuddy(box)
            picks.addWidget(label)
            picks.addWidget(box, 1)
        picks.addWidget(swap)
        self.view = SideBySideView()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)
        self.refusal = message_label("refusal")
        right, column = bare(QVBoxLayout)
        column.addLayout(picks)
        column.addWidget(scroll, 1)
        column.addWidget(self.refusal)
        splitter = QSplitter()
        splitter.addWidget(self.group_list)
        splitter.addWidget(right)
        splitter.setSizes([320, 760])
        self.empty = wrapped_label("No duplicates found: no two books share an ISBN, or a title "
                                   "and an author.")  # fmt: skip
        self.empty.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = self.buttons.addButton(
            "&Merge…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.merge_button.clicked.connect(self._ask)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "Books with the same ISBN, or the same title by the same author. Merging keeps "
                "one book with the files, reading, history, highlights and Hardcover link of "
                "both; no file moves. Undo splits them back."
            )
        )
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(1100, 640)  # within a 1366x768 screen, with room for the title bar
        self.loading: asyncio.Task[None] | None = None

    async def load(self, keep: int | None = None) -> None:
        """Read the groups again and show the one that holds book `keep` (after a merge, the
        rest of its group: three copies or more take one merge each), else the first."""
        self.merge_button.setEnabled(False)
        self.groups = await self.service.groups_async()
        self.group_list.clear()
        for group in self.groups:
            item = QListWidgetItem("\n".join(_copy_text(copy) for copy in group))
            self.group_list.addItem(item)
        self.empty.setVisible(not self.groups)
        self.merge_button.setEnabled(bool(self.groups))
        if self.groups:
            rows = [i for i, group in enumerate(self.groups) if keep in {c.id for c in group}]
            self.group_list.setCurrentRow(rows[0] if rows else 0)

    def _group_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.groups):
            return
        group = self.groups[row]
        for box, start in ((self.keep_box, 0), (self.other_box, 1)):
            box.blockSignals(True)
            box.clear()
            for copy in group:
                box.addItem(_copy_text(copy), copy.id)
            box.setCurrentIndex(start)
            box.blockSignals(False)
        self._show_pair()

    def _pair(self) -> tuple[int, int] | None:
        keep, other = self.keep_box.currentData(), self.other_box.currentData()
        return None if keep is None or other is None else (int(keep), int(other))

    def _swap(self) -> None:
        keep, other = self.keep_box.currentIndex(), self.other_box.currentIndex()
        for box, index in ((self.keep_box, other), (self.other_box, keep)):
            box.blockSignals(True)
            box.setCurrentIndex(index)
            box.blockSignals(False)
        self._show_pair()

    def _show_pair(self) -> None:
        pair = self._pair()
        if pair is None:
            return
        if pair[0] == pair[1]:
            self.refusal.setText("Choose two different books.")
            self.refusal.show()
            self.merge_button.setEnabled(False)
            return
        seen = self.seen = self.service.side_by_side(*pair)
        self.view.show_pair(seen)
        self.refusal.setText(seen.refusal or "")
        self.refusal.setVisible(bool(seen.refusal))
        self.merge_button.setEnabled(seen.refusal is None)

    def _ask(self) -> None:
        seen = self.seen
        if seen is None:
            return
        pair = (seen.keep, seen.other)
        keep, other = seen.titles
        box, merge = action_or_cancel(
            self,
            "Merge Books",
            f"Merge “{other}” (book {seen.other}) into “{keep}” (book {seen.keep})?\n\nBoth "
            "files stay where they are and belong to the kept book. Undo splits them back.",
            "&Merge",
        )
        box.buttonClicked.connect(lambda button: self._merge(*pair) if button is merge else None)
        self.question = open_box(box)

    def _merge(self, keep: int, other: int) -> None:
        self.question = None
        try:
            text = self.service.merge(keep, other, self.view.choices())
        except BookOrbitError as error:
            show_error(self, error)
            return
        parent = self.parent()
        if isinstance(parent, QMainWindow):
            parent.statusBar().showMessage(f"{text} Edit ▸ Undo takes it back.", 8000)
        self.on_merged()
        self.loading = spawn(self.load(keep), self)


def add_duplicates_action(host: PageHost) -> QAction:
    """File ▸ Find Duplicates…, before Settings; after a merge the table follows and Undo is
    named for it."""
    window = host.window

    def merged() -> None:
        host.follow_changes()
        undo = window.findChild(UndoActions)
        if undo is not None:
            undo.refresh()

    async def open_dialog() -> None:
        dialog = DuplicatesDialog(MergeService(host.library.paths), window, merged)
        await dialog.load()
        await run_dialog(dialog)
        dialog.deleteLater()

    action = menu_action(
        window,
        "Find &Duplicates…",
        lambda: spawn(open_dialog(), window),
        tip="Find books that look like copies of one book, and merge them",
    )
    window.add_file_action(action)
    return action
