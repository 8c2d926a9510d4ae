"""Edit ▸ Authors…: every author of the library with the text it is filed under ("Camus,
Albert"), which sorts the table's Authors column, the catalog's Authors list and `books --sort
author`. The user types a sort text in the "Filed as" column (an empty one means the rule's,
shown as the cell's hint), or sets the selected authors to the rule's suggestion; Save files
them all as one step that Edit ▸ Undo takes back (`services.library.authors`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.authors import AuthorsService, FiledAuthor
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.text import plain_tooltip

NAME, FILED_AS, BOOKS = range(3)


class AuthorsDialog(QDialog):
    def __init__(
        self, service: AuthorsService, on_saved: Callable[[int], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Authors")
        self.service, self.on_saved = service, on_saved
        self.authors: list[FiledAuthor] = service.authors()
        hint = QLabel(
            "How each author is filed: the Authors column, the catalog and the command line "
            "sort by it. Leave a cell empty to use the suggested text."
        )
        hint.setWordWrap(True)
        self.filed: list[QTableWidgetItem] = []  # the "Filed as" cells, row by row
        self.table = QTableWidget(len(self.authors), 3, self)
        self.table.setHorizontalHeaderLabels(["Name", "Filed as", "Books"])
        for row, author in enumerate(self.authors):
            for column, text in ((NAME, author.name), (BOOKS, str(author.books))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            filed = QTableWidgetItem(author.sort_name)
            filed.setToolTip(plain_tooltip(f"Suggested: {author.suggested}"))
            self.table.setItem(row, FILED_AS, filed)
            self.filed.append(filed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FILED_AS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BOOKS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.suggest_button = buttons.addButton(
            "Use &Suggested", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.suggest_button.setToolTip("File the selected authors by the suggested text")
        self.suggest_button.clicked.connect(self.use_suggested)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def use_suggested(self) -> None:
        for index in self.table.selectionModel().selectedRows():
            self.filed[index.row()].setText(self.authors[index.row()].suggested)

    def typed(self) -> dict[int, str]:
        """The sort texts the user changed, by author id."""
        texts = zip(self.authors, (item.text() for item in self.filed), strict=True)
        return {author.id: text for author, text in texts if text != author.sort_name}

    def save(self) -> None:
        count = self.service.file(self.typed())
        self.accept()
        self.on_saved(count)


class AuthorsAction:
    """Edit ▸ Authors…, which opens the dialog; `on_saved` runs after a save that filed some."""

    def __init__(
        self,
        service: AuthorsService,
        window: QMainWindow,
        menu: QMenu,
        on_saved: Callable[[], None],
    ) -> None:
        self.service, self.window, self.on_saved = service, window, on_saved
        self.dialog: AuthorsDialog | None = None
        self.action = menu_action(
            window, "&Authors…", self.open, tip="See and change how each author is filed and sorted"
        )
        menu.addAction(self.action)

    def open(self) -> AuthorsDialog:
        self.dialog = AuthorsDialog(self.service, self._saved, self.window)
        self.dialog.open()
        return self.dialog

    def _saved(self, count: int) -> None:
        if count:
            self.on_saved()
        self.window.statusBar().showMessage(
            "No author was filed anew."
            if not count
            else ("Filed 1 author anew." if count == 1 else f"Filed {count} authors anew."),
            6000,
        )
