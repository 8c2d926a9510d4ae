"""The Edit dialog: one book's title, subtitle, authors, series and number, languages (separated
by commas), publisher, release date, pages, tags, cover, identifiers (`identifiers_editor`, the
ISBN among them) and description (`description_editor`, rich text), or several books' authors,
series, languages and tags at once (`tag_editor`), with the fields of `bulk_fields` (publisher,
series numbers, status, rating); and the custom columns' values (`custom_fields`), for one book
or several.

Only the fields the user changed are saved (a field where several books differ stays empty and
is left alone unless typed into). The values are checked by the library's edit rules through
the save callable; a wrong value is shown in the dialog, which stays open with what was typed.
An edit of several books asks first (`bulk_fields.ask`): Save says what changes and for how
many books, and "Apply to N Books" saves it when pressed with the same values; both run without
holding up the window (`bulk_run`). Cancel, Esc or closing the dialog with fields changed asks
"Discard your changes?" first; with nothing changed (or a save already running) it just closes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.edits import SHARED_FIELDS, EditForm
from bookorbit_desktop.ui.asyncqt import open_box
from bookorbit_desktop.ui.library import bulk_fields, bulk_run
from bookorbit_desktop.ui.library.custom_fields import CustomFields
from bookorbit_desktop.ui.library.description_editor import DescriptionEditor
from bookorbit_desktop.ui.library.identifiers_editor import IdentifiersEditor
from bookorbit_desktop.ui.library.tag_editor import TagEditor
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.widgets import FRAME_ALLOWANCE, error_label, push_button, wide_row
from bookorbit_desktop.wording import all_of

# Saves (book ids, changed fields as typed, cover file or None); raises BookOrbitError.
Save = Callable[[tuple[int, ...], Mapping[str, str], str | None], None]

_LINES = (
    ("title", "&Title:", ""),
    ("subtitle", "Su&btitle:", ""),
    ("authors", "&Authors:", 'Separate several authors with "&"'),
    ("series", "&Series:", ""),
    ("series_index", "&Number in series:", "1, 2, 2.5…"),
    ("language", "&Languages:", "en, fr, pt-BR or names; the main one first"),
    ("publisher", "&Publisher:", ""),
    ("published", "&Release date:", "2019, 2019-05 or 2019-05-02"),
    ("pages", "Pag&es:", "Printed pages, such as 320"),
)
_BULK_LINES = SHARED_FIELDS - {"publisher"}  # several books: the publisher is `bulk_fields`'s
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.gif *.webp)"


class EditDialog(QDialog):
    def __init__(
        self,
        form: EditForm,
        save: Save,
        parent: QWidget | None = None,
        bulk: bulk_run.BulkCalls | None = None,
    ) -> None:
        super().__init__(parent)
        self._form = form
        self._save = save
        self.cover_file: str | None = None
        self.question: QMessageBox | None = None  # "Discard your changes?" while it is open
        many = len(form.book_ids) > 1
        self.setWindowTitle(
            f"Edit {len(form.book_ids)} Books" if many else f"Edit “{form.titles[0]}”"
        )
        layout = QVBoxLayout(self)
        if many:
            note = QLabel(
                f"The fields you change here are given to {all_of(len(form.book_ids))}. Empty"
                " fields where the books differ are left as "
                "they are unless you type into them."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        fields = QFormLayout()
        columns = QHBoxLayout()
        columns.addLayout(fields, 1)
        layout.addLayout(columns)
        self.lines: dict[str, QLineEdit] = {}
        for name, label, hint in _LINES:
            if many and name not in _BULK_LINES:
                continue
            line = QLineEdit(form.texts.get(name, ""))
            line.setPlaceholderText("(several values)" if name in form.mixed else hint)
            line.setAccessibleName(label.replace("&", "").rstrip(":"))
            self.lines[name] = line
            fields.addRow(label, line)
            line.textEdited.connect(self._unask)
        self.tags = TagEditor(form, self)
        self.tags.add_rows(fields)
        for tag_line in (self.tags.tags_line, self.tags.add_line, self.tags.remove_line):
            if tag_line is not None:
                tag_line.textEdited.connect(self._unask)
        self.bulk = bulk_fields.BulkFields(fields, form, self._unask) if many else None
        self.custom = CustomFields(form, self._unask)  # the custom columns' values
        self.description: DescriptionEditor | None = None
        self.identifiers: IdentifiersEditor | None = None
        self.cover_label: QLabel | None = None
        if not many:
            self.cover_label = QLabel("Unchanged")
            choose = push_button("&Choose Cover…", self.choose_cover)
            cover_row = wide_row(self.cover_label, choose)
            fields.addRow("Cover:", cover_row)
            side = QFormLayout()  # beside the lines: the identifiers and the description
            side.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            columns.addLayout(side, 1)
            self.identifiers = IdentifiersEditor(form.texts.get("identifiers", ""))
            self.identifiers.edited.connect(self._unask)
            side.addRow("&Identifiers:", self.identifiers)
            self.description = DescriptionEditor(form.texts.get("description", ""))
            side.addRow("Descripti&on:", self.description)
        self.custom.add_to(fields)
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.confirm_label = QLabel()  # what a save of many books changes, before it does
        self.confirm_label.setWordWrap(True)
        self.confirm_label.hide()
        layout.addWidget(self.confirm_label)
        note = QLabel("Only the library changes; the book's file is not rewritten.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        labels = (self.confirm_label, self.error_label)
        self.run = None  # several books: checked, then saved, off the window's thread
        if bulk is not None and many:
            self.run = bulk_run.BulkRun(self, form.book_ids, bulk, labels, self._save_button())
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520 if many else 900, self.sizeHint().height())
        self._fitted = False

    def showEvent(self, event: QShowEvent) -> None:
        """At its first showing (its fields styled, so their sizes are known): the custom
        columns' box takes the height the screen has left, so a library with many columns
        shows their fields without scrolling where it can."""
        if not self._fitted:
            self._fitted = True
            free = self.screen().availableGeometry().height() - FRAME_ALLOWANCE.height()
            self.custom.fit_in(lambda: self._height() - free)
            self.resize(self.width(), self._height())
            self.custom.give_way()
        super().showEvent(event)

    def _height(self) -> int:
        """The height the dialog asks for, its fields' sizes as they are now."""
        layout = self.layout()
        if layout is not None:
            layout.activate()  # (a size just set is in the layout's hint only then)
        return self.sizeHint().height()

    def changed(self) -> dict[str, str]:
        """The fields whose text differs from what the dialog opened with, as typed."""
        typed = {name: line.text() for name, line in self.lines.items()}
        opened = dict(self._form.texts)
        if self.description is not None:
            typed["description"] = self.description.markup()
            opened["description"] = self.description.opened
        if self.identifiers is not None:
            typed["identifiers"] = self.identifiers.text()
            opened["identifiers"] = self.identifiers.opened
        changed = {
            **{n: text for n, text in typed.items() if text != opened.get(n, "")},
            **self.tags.changed(),
            **self.custom.changed(),
        }
        return changed | (self.bulk.changed() if self.bulk is not None else {})

    def choose_cover(self) -> QFileDialog:
        dialog = QFileDialog(self, "Choose a Cover Image", "", IMAGE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.set_cover_file)
        dialog.open()
        return dialog

    def set_cover_file(self, path: str) -> None:
        self.cover_file = path or None
        if self.cover_label is not None:
            self.cover_label.setText(path or "Unchanged")

    def save(self) -> None:
        typed = self.changed()
        if not typed and self.cover_file is None:
            self.reject()  # nothing changed: nothing to save
            return
        if self.run is not None:
            self.run.save(typed)
            return
        try:
            self._save(self._form.book_ids, typed, self.cover_file)
        except BookOrbitError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            return
        self.accept()

    def reject(self) -> None:
        """Close without saving; changed fields are thrown away only once the user says so."""
        saving = self.run is not None and self.run.saving  # it completes anyway
        if saving or (not self.changed() and self.cover_file is None):
            super().reject()
            return
        if self.question is not None:
            return
        box, discard = action_or_cancel(
            self, "Discard Changes", "Discard your changes?", "&Discard", destructive=True
        )
        box.finished.connect(lambda _result: self._answered(box.clickedButton() is discard))
        self.question = open_box(box)

    def _answered(self, discard: bool) -> None:
        self.question = None
        if discard:
            super().reject()

    def _save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _unask(self) -> None:
        if self.run is not None:
            self.run.unask()
