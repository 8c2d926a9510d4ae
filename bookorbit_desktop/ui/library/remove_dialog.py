"""The Remove dialog: says what removing the selected books takes away (the library record;
the files only when the user ticks the box, and then to the trash) and what stays (KOReader
progress, reading history, highlights), and asks before anything happens."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.edits import RemovalPlan, trash_supported
from bookorbit_desktop.ui.text import plain_label


def plan_text(plans: list[RemovalPlan]) -> str:
    """The books and their files, one line each, for the dialog's list."""
    lines = []
    for plan in plans:
        lines.append(plan.title)
        lines.extend(f"    {file}" for file in plan.files)
    return "\n".join(lines)


class RemoveDialog(QDialog):
    def __init__(self, plans: list[RemovalPlan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        count = len(plans)
        self.setWindowTitle("Remove Book" if count == 1 else f"Remove {count} Books")
        layout = QVBoxLayout(self)
        books = f"“{plans[0].title}”" if count == 1 else f"these {count} books"
        heading = plain_label(f"Remove {books} from the library?")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.listing = QPlainTextEdit(plan_text(plans))
        self.listing.setReadOnly(True)
        self.listing.setAccessibleName("Books to remove")
        self.listing.setMaximumHeight(140)
        layout.addWidget(self.listing)
        files = sum(len(plan.files) for plan in plans)
        self.trash_box = QCheckBox(
            "Also move the file to the trash" if files == 1 else "Also move the files to the trash"
        )
        if not files:
            self.trash_box.setEnabled(False)
            self.trash_box.setToolTip("No file of these books is on this computer.")
        elif not trash_supported():
            self.trash_box.setEnabled(False)
            self.trash_box.setToolTip(
                "This system has no trash BookOrbit can move files to; delete them yourself."
            )
        layout.addWidget(self.trash_box)
        self.kept_note = QLabel(
            "KOReader progress, reading history and highlights stay: the progress shows under "
            "Unlinked Documents and the highlights wait for a book, until you remove them too. "
            "Importing the folder again leaves the file out unless it changes."
        )
        self.kept_note.setWordWrap(True)
        layout.addWidget(self.kept_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton(
            "&Remove", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    @property
    def trash_files(self) -> bool:
        return self.trash_box.isEnabled() and self.trash_box.isChecked()
