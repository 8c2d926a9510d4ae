"""The review before a big sync: every book a pass would add to or change on the profile.

Shown when a dry run finds more entries to send than `progress_text.REVIEW_THRESHOLD`, so the
first sync of a large library (or a burst after an import) never reaches a public profile
unseen. Each row says exactly what will be sent (status, pages, dates, rating, privacy);
unticking a book excludes it from Hardcover sync (it can be included again from the Hardcover
page). Send starts the real pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.ui.sync import progress_text as words
from bookorbit_desktop.ui.sync.progress_dialog import book_details
from bookorbit_desktop.ui.widgets import wrapped_label

if TYPE_CHECKING:
    from bookorbit_desktop.services.sync import BookResult


class ReviewDialog(QDialog):
    def __init__(self, books: Sequence[BookResult], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("syncReviewDialog")
        self.setWindowTitle("Review Before Sending to Hardcover")
        self.resize(900, 520)
        self._books = [book for book in books if book.outcome == "would_send"]
        layout = QVBoxLayout(self)
        intro = wrapped_label(
            f"This sync would add or change {words.books(len(self._books))} on your Hardcover "
            "profile. Untick any book you do not want there: it is excluded from Hardcover "
            "sync (you can include it again on the Hardcover page)."
        )
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setObjectName("syncReview")
        self.tree.setHeaderLabels(["Book", "What will be sent"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 300)
        for book in sorted(self._books, key=lambda b: words.natural_key(b.title)):
            item = QTreeWidgetItem([book.title, book_details(book)])
            item.setToolTip(1, book_details(book))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setData(0, Qt.ItemDataRole.UserRole, book.book_id)
            self.tree.addTopLevelItem(item)
        self.tree.itemChanged.connect(lambda *_: self._update_send())
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox()
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)  # Enter sends, as the button says
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_send()

    def _ids(self, state: Qt.CheckState) -> list[int]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [
            item.data(0, Qt.ItemDataRole.UserRole)
            for item in items
            if item is not None and item.checkState(0) == state
        ]

    def unticked(self) -> list[int]:
        """The books the user does not want on Hardcover."""
        return self._ids(Qt.CheckState.Unchecked)

    def ticked(self) -> list[int]:
        return self._ids(Qt.CheckState.Checked)

    def _update_send(self) -> None:
        count = len(self.ticked())
        self.send_button.setText(f"Send {words.books(count)}" if count else "Send Nothing")
