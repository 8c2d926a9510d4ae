"""The earlier texts of a book's highlights, and restoring one.

Anyone on the Wi-Fi may post an export that replaces a note (when no pairing secret is
required), so nothing a post replaces is lost: each highlight with earlier texts is listed
with them, newest first, each saying when it was written and from where, and when and by
which address it was replaced. Restore makes the selected earlier text the highlight's own
again; the text it replaces becomes an earlier text in turn. All text is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.highlights.service import EarlierText, HighlightView
from bookorbit_desktop.ui.asyncqt import show_error
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import push_button, wrapped_label

SHOWN_CHARACTERS = 200  # of a highlight's text in the list; the rest is in the tooltip


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARACTERS else flat[: SHOWN_CHARACTERS - 1] + "…"


def text_and_note(text: str, note: str) -> str:
    return f"{_short(text)}\nNote: {_short(note)}" if note else _short(text)


class EarlierTextsDialog(QDialog):
    restored = Signal()  # a highlight's text changed here

    def __init__(
        self,
        views: Callable[[], Sequence[HighlightView]],
        earlier: Callable[[int], list[EarlierText]],
        restore: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Earlier Texts of Highlights")
        self._views = views
        self._earlier = earlier
        self._restore = restore
        hint = wrapped_label(
            "An export from a device replaces a highlight's text and note; the earlier ones "
            "are kept here. Select one and click Restore to make it the highlight's text again."
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Text and note", "Written", "Replaced"])
        self.tree.setColumnWidth(0, 380)
        self.tree.itemSelectionChanged.connect(self._update_button)
        self.restore_button = push_button("&Restore", self.restore_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.load()

    def load(self) -> None:
        self.tree.clear()
        for view in (view for view in self._views() if view.earlier):
            current = QTreeWidgetItem([text_and_note(view.text, view.note), "now", ""])
            current.setToolTip(0, plain_tooltip(view.text))
            for version in self._earlier(view.id):
                item = QTreeWidgetItem(
                    [text_and_note(version.text, version.note), version.written, version.replaced]
                )
                item.setToolTip(0, plain_tooltip(version.text))
                item.setData(0, Qt.ItemDataRole.UserRole, version.id)
                current.addChild(item)
            self.tree.addTopLevelItem(current)
            current.setExpanded(True)
        self._update_button()

    def _selected_version(self) -> int | None:
        items = self.tree.selectedItems()
        return None if not items else items[0].data(0, Qt.ItemDataRole.UserRole)

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self._selected_version() is not None)

    def restore_selected(self) -> None:
        version_id = self._selected_version()
        if version_id is None:
            return
        try:
            self._restore(version_id)
        except BookOrbitError as error:
            show_error(self, error)
            return
        self.load()
        self.restored.emit()
