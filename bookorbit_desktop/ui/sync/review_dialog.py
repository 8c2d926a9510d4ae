"""The review before a big sync: every book a pass would add to or change on the profile.

Shown when a dry run finds more entries to send than `progress_text.REVIEW_THRESHOLD`, so the
first sync of a large library (or a burst after an import) never reaches a public profile
unseen. Each row says where the book goes (the Hardcover book and edition it is linked to) and
exactly what will be sent (status, pages, dates, rating, privacy), wrapped rather than cut; the
pane below repeats the selected row in full. Read dates found in KOReader's reading history are
shown beside what Hardcover has and are only proposals: they go out when the user ticks "Also
send these dates" (never by default). Unticking a book excludes it from Hardcover sync (it can
be included again from the Hardcover page). Send starts the real pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.ui.sync import progress_text as words
from bookorbit_desktop.ui.sync.progress_dialog import book_details
from bookorbit_desktop.ui.widgets import wrapped_label

if TYPE_CHECKING:
    from bookorbit_desktop.services.sync import BookResult, ProposedDate

BOOK, TARGET, CHANGE = range(3)  # the tree's columns
NO_TARGET = "No Hardcover book linked yet"


class _Wrapped(QStyledItemDelegate):
    """Rows as tall as their wrapped text: a tree asks for a row's height without the
    column's width, so the text would be measured as one line and cut."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, self._tree.columnWidth(index.column()), 1)  # valid: wraps
        return super().sizeHint(sized, index)


class ReviewDialog(QDialog):
    def __init__(
        self,
        books: Sequence[BookResult],
        parent: QWidget | None,
        targets: Mapping[int, str | None] | None = None,
    ) -> None:
        """`targets`: each book's Hardcover book and edition in words (`MatchInfo.summary`)."""
        super().__init__(parent)
        self.setObjectName("syncReviewDialog")
        self.setWindowTitle("Review Before Sending to Hardcover")
        self.setWindowFlags(
            self.windowFlags()
            | Qt.WindowType.WindowMaximizeButtonHint
            | Qt.WindowType.WindowMinimizeButtonHint
        )
        self.setSizeGripEnabled(True)
        self.setMinimumSize(560, 360)
        self.resize(1100, 600)
        self._books = [book for book in books if book.outcome == "would_send" or book.proposals]
        layout = QVBoxLayout(self)
        intro = wrapped_label(
            f"This sync would add or change {words.books(len(self._books))} on your Hardcover "
            "profile. Untick any book you do not want there: it is excluded from Hardcover "
            "sync (you can include it again on the Hardcover page)."
        )
        layout.addWidget(intro)
        self.tree = self._make_tree(targets or {})
        layout.addWidget(self.tree, 1)
        self.details = QLabel()
        self.details.setObjectName("syncReviewDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        proposed = sum(len(book.proposals) for book in self._books)
        self.history_dates = QCheckBox(
            f"Also send the {proposed} read {'date' if proposed == 1 else 'dates'} from your "
            "reading history proposed above (they become the books' own dates)"
        )
        self.history_dates.setObjectName("syncReviewHistoryDates")
        self.history_dates.setVisible(proposed > 0)
        layout.addWidget(self.history_dates)
        self.tree.currentItemChanged.connect(lambda item, _: self._show_details(item))
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
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

    def _make_tree(self, targets: Mapping[int, str | None]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("syncReview")
        tree.setHeaderLabels(["Book", "Hardcover book and edition", "What will be sent"])
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setWordWrap(True)  # rows grow to show the whole change, never "…"
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setItemDelegate(_Wrapped(tree))
        header = tree.header()
        header.sectionResized.connect(lambda *_: tree.doItemsLayout())  # rows wrap anew
        header.setSectionResizeMode(BOOK, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        tree.setColumnWidth(BOOK, 260)
        tree.setColumnWidth(TARGET, 320)
        for book in sorted(self._books, key=lambda b: words.natural_key(b.title)):
            target = targets.get(book.book_id) or NO_TARGET
            change = book_details(book)
            item = QTreeWidgetItem([book.title, target, change])
            for column, text in ((TARGET, target), (CHANGE, change)):
                item.setToolTip(column, text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(BOOK, Qt.CheckState.Checked)
            item.setData(BOOK, Qt.ItemDataRole.UserRole, book.book_id)
            tree.addTopLevelItem(item)
        tree.itemChanged.connect(lambda *_: self._update_send())
        return tree

    def _show_details(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self.details.clear()
            return
        self.details.setText(
            f"{item.text(BOOK)} → {item.text(TARGET)}\nWill send: {item.text(CHANGE)}"
        )

    def _ids(self, state: Qt.CheckState) -> list[int]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [
            item.data(BOOK, Qt.ItemDataRole.UserRole)
            for item in items
            if item is not None and item.checkState(BOOK) == state
        ]

    def unticked(self) -> list[int]:
        """The books the user does not want on Hardcover."""
        return self._ids(Qt.CheckState.Unchecked)

    def ticked(self) -> list[int]:
        return self._ids(Qt.CheckState.Checked)

    def approved_dates(self) -> list[ProposedDate]:
        """The history's dates the user said yes to: of ticked books, with the box ticked."""
        if not self.history_dates.isChecked():
            return []
        ticked = set(self.ticked())
        return [d for book in self._books if book.book_id in ticked for d in book.proposals]

    def _update_send(self) -> None:
        count = len(self.ticked())
        self.send_button.setText(f"Send {words.books(count)}" if count else "Send Nothing")
