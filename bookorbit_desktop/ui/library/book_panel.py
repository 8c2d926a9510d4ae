"""One book's details and its editable reading state (status, progress, dates, rating).

Edits are checked by the library's own rules when saved; a rejected value is shown under the
form and nothing is written, so the user can correct it. Unsaved edits are never dropped
silently: a reload (a KOReader push, a Hardcover action) updates only the fields the user has
not edited and names edited fields whose stored value changed meanwhile (`reading_edits`), and
leaving the book asks first (`confirm_leave`, where Enter means Cancel). Marking a book read
takes the finish date from the reading history; without one it asks (`finish_date`). The wheel
scrolls the panel and edits a field only once it has the focus. The Hardcover section
(`hardcover_box`) shows how the book is matched."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.descriptions import display_html, is_html
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.records import BookDetails
from bookorbit_desktop.services.library.service import (
    READING_STATUSES,
    STATUS_LABELS,
    DateNeededError,
    ReadingEdit,
    progress_text,
    rating_choice,
    source_label,
)
from bookorbit_desktop.ui.asyncqt import run_dialog, spawn
from bookorbit_desktop.ui.cover_loader import cover_placeholder, describe_cover
from bookorbit_desktop.ui.image_bytes import pixmap_file
from bookorbit_desktop.ui.library import reading_edits
from bookorbit_desktop.ui.library.facts_table import facts_html
from bookorbit_desktop.ui.library.finish_date import FinishDateDialog
from bookorbit_desktop.ui.library.hardcover_box import HardcoverBox
from bookorbit_desktop.ui.library.model import format_series
from bookorbit_desktop.ui.library.panel_values import CustomValuesBox
from bookorbit_desktop.ui.text import plain_label, show_plain
from bookorbit_desktop.ui.text_browser import OfflineBrowser
from bookorbit_desktop.ui.widgets import (
    ERROR_COLOUR,
    button_row,
    message_label,
    push_button,
    wheel_needs_focus,
    wide_row,
    wrapped_label,
)

COVER_SIZE = (120, 180)
# The panel's least width, and its first: its cover beside the title, its rows of buttons whole;
# at 1366x768 the table beside it needs the rest for its columns (`LibraryView`).
PANEL_WIDTH = 320
_SYNC_TIP = (
    "The day KOReader's push arrived: the reading statistics did not say when the book was "
    "finished. KOReader sends pushes made offline later, so the reading may be earlier."
)
RATINGS = tuple(step / 2 for step in range(1, 11))  # 0.5 .. 5.0


class BookPanel(QWidget):
    """Details of the selected book; emits `saved(book_id)` after a reading-state change."""

    saved = Signal(int)
    question_opened = Signal(object)  # the Save / Discard / Cancel box, once it is on screen
    finish_asked = Signal(object)  # the task asking Mark Read's finish date (`finish_date`)
    book_shown = Signal(object)  # the book id now shown, or None
    edit_requested = Signal(int)  # Edit…: the shown book's metadata (`edit_actions`)
    reloading = Signal(int)  # the shown book is read again (something may have changed it)

    def __init__(
        self,
        load: Callable[[int], BookDetails],
        save: Callable[[int, ReadingEdit], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._save = save
        self._book: BookDetails | None = None
        self._changed_elsewhere: tuple[str, ...] = ()
        self.setMinimumWidth(PANEL_WIDTH)

        self.placeholder = QLabel("Select a book to see its details.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(placeholder-text);")

        self.cover = QLabel()
        self.cover.setFixedSize(*COVER_SIZE)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = plain_label()
        self.title_label.setObjectName("bookTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.byline = show_plain(wrapped_label())
        heading = QVBoxLayout()
        heading.addWidget(self.title_label)
        heading.addWidget(self.byline)
        heading.addStretch(1)
        self.edit_button = push_button("Ed&it…", self._edit_clicked, tip="Edit Metadata (Ctrl+E)")
        heading.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        top = QHBoxLayout()
        top.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.facts = QLabel()
        self.facts.setObjectName("bookFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.reading_box = self._reading_group()
        self.hardcover_box = HardcoverBox()
        self.pick_requested = self.hardcover_box.pick_requested
        self.rematch_requested = self.hardcover_box.rematch_requested
        self.exclude_requested = self.hardcover_box.exclude_requested
        self.description = OfflineBrowser()
        self.description.setMinimumHeight(120)
        # Its own labelled section, so it never reads as part of the Hardcover box above.
        self.description_box = QGroupBox("Description")
        QVBoxLayout(self.description_box).addWidget(self.description)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.facts)
        self.custom_box = CustomValuesBox()  # the custom columns' values
        layout.addWidget(self.custom_box)
        layout.addWidget(self.reading_box)
        layout.addWidget(self.hardcover_box)
        layout.addWidget(self.description_box, 1)
        # Takes the free height when there is no description, instead of gaps between rows.
        layout.addStretch(0)
        self._body_layout = layout
        self.details = QScrollArea()
        self.details.setWidget(body)
        self.details.setWidgetResizable(True)
        self.details.setFrameShape(QFrame.Shape.NoFrame)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.placeholder)
        outer.addWidget(self.details)
        wheel_needs_focus(self.reading_box)  # scrolling the panel never edits a field
        shortcut = QShortcut(QKeySequence("Ctrl+S"), self, self.save_reading)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.show_book(None)

    def _reading_group(self) -> QGroupBox:
        box = QGroupBox("Reading")
        form = QFormLayout(box)
        self.status_combo = QComboBox()
        for status in READING_STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        form.addRow("Stat&us:", self.status_combo)
        self.progress_spin = QDoubleSpinBox()
        self.progress_spin.setRange(0.0, 100.0)
        self.progress_spin.setDecimals(1)
        self.progress_spin.setSuffix(" %")
        form.addRow("&Progress:", self.progress_spin)
        # A book read says so, not "0.0 %", where no position was reported.
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.progress_spin.setSpecialValueText(
                progress_text(0.0, None, self.status_combo.currentData())
            )
        )
        self.started_edit = QLineEdit()
        self.started_edit.setPlaceholderText("YYYY-MM-DD")
        form.addRow("S&tarted:", self.started_edit)
        self.finished_edit = QLineEdit()
        self.finished_edit.setPlaceholderText("YYYY-MM-DD")
        self.finished_edit.setAccessibleName("Finished")
        self.finished_note = QLabel()  # where the date came from, e.g. "date of sync"
        self.finished_note.setStyleSheet("color: palette(placeholder-text);")
        finished_row = wide_row(self.finished_edit, self.finished_note)
        form.addRow(finished_label := QLabel("Fi&nished:"), finished_row)
        finished_label.setBuddy(self.finished_edit)  # a row of two: the form sets no buddy
        self.rating_combo = QComboBox()
        self.rating_combo.addItem("No rating", None)
        for value in RATINGS:
            self.rating_combo.addItem(rating_choice(value), value)
        form.addRow("Ratin&g:", self.rating_combo)
        self.reading_error = message_label("readingError")
        self.reading_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        form.addRow(self.reading_error)
        self.reading_notice = message_label("readingNotice")
        form.addRow(self.reading_notice)
        self.revert_button = push_button("&Revert", self._revert)
        self.save_button = push_button(
            "Save", self.save_reading, tip="Save the reading state (Ctrl+S)"
        )
        form.addRow(button_row(self.revert_button, self.save_button))
        return box

    def _edit_clicked(self) -> None:
        if self.book_id is not None:
            self.edit_requested.emit(self.book_id)

    def set_hardcover_actions(self, enabled: bool) -> None:
        """Show Pick / Re-match / Exclude (only when a Hardcover account is connected)."""
        self.hardcover_box.set_actions(enabled)

    def add_section(self, widget: QWidget, after: QWidget) -> None:
        """Show `widget` below `after` (a section mounted by another part of the window)."""
        self._body_layout.insertWidget(self._body_layout.indexOf(after) + 1, widget)

    # -- showing ----------------------------------------------------------------------------

    @property
    def book_id(self) -> int | None:
        return None if self._book is None else self._book["id"]

    def show_book(self, book_id: int | None) -> None:
        """Load and show `book_id` (None clears the panel), from the top of its details."""
        self._book = None if book_id is None else self._load(book_id)
        self.placeholder.setVisible(self._book is None)
        self.details.setVisible(self._book is not None)
        if self._book is not None:
            self._fill(self._book)
            self.details.verticalScrollBar().setValue(0)
        self.book_shown.emit(self.book_id)

    def reload(self) -> None:
        """Show the stored book again if it changed, keeping what the user typed, unsaved."""
        shown = self._book
        if shown is not None:
            self.reloading.emit(shown["id"])
        fresh = None if shown is None else self._load(shown["id"])
        if shown is None or fresh is None or fresh == shown:  # no book, or it did not change
            return
        keep = None
        if self.has_unsaved_edits():
            before = reading_edits.form_values(shown["reading"])
            after = reading_edits.form_values(fresh["reading"])
            keep = reading_edits.merge_reload(before, after, self._form(), self._changed_elsewhere)
        self._book = fresh
        self._fill(fresh, keep=keep)

    def _fill(self, book: BookDetails, keep: reading_edits.Merged | None = None) -> None:
        self.title_label.setText(book["title"])
        byline = ", ".join(book["authors"]) or "Unknown author"
        series = format_series(book.get("series"), book.get("series_index"))
        self.byline.setText(f"{byline}\n{series}" if series else byline)
        self._show_cover(book.get("cover_file"), book.get("cover_generated", False))
        self.facts.setText(facts_html(book))
        self.custom_box.show_book(book)
        description = book.get("description") or ""
        if is_html(description):  # cleaned again: it may have been stored before cleaning
            self.description.setHtml(display_html(description))
        else:
            self.description.setPlainText(description)
        self.description_box.setVisible(bool(description))
        self._body_layout.setStretch(self._body_layout.count() - 1, 0 if description else 1)
        if keep is None:
            self._revert()
        else:
            self._show_form(keep.show)
            self._changed_elsewhere = keep.changed_elsewhere
            self._show_notice()
        self.hardcover_box.show_book(book)
        note = source_label(book["reading"].get("finished_source"))
        self.finished_note.setText(f"({note})" if note else "")
        self.finished_note.setVisible(bool(note))  # none: the field as wide as Started
        self.finished_edit.setToolTip(_SYNC_TIP if note == "date of sync" else "")

    def _show_cover(self, cover: str | None, generated: bool = False) -> None:
        pixmap = pixmap_file(cover) if cover else QPixmap()
        if pixmap.isNull():  # no cover, or an unreadable one: the one placeholder either way
            self.cover.setPixmap(cover_placeholder(QSize(*COVER_SIZE)))
            describe_cover(self.cover, False)
            return
        describe_cover(self.cover, True, generated)
        self.cover.setPixmap(
            pixmap.scaled(
                *COVER_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # -- editing ----------------------------------------------------------------------------

    def _revert(self) -> None:
        self.reading_error.hide()
        self._changed_elsewhere = ()
        self._show_notice()
        if self._book is not None:
            self._show_form(reading_edits.form_values(self._book["reading"]))

    def _show_form(self, values: reading_edits.FormValues) -> None:
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(values["status"])))
        self.progress_spin.setValue(float(values["progress"]))  # type: ignore[arg-type]
        self.started_edit.setText(str(values["started"]))
        self.finished_edit.setText(str(values["finished"]))
        rating = values["rating"]
        index = self.rating_combo.findData(rating) if rating is not None else 0
        self.rating_combo.setCurrentIndex(max(0, index))

    def _form(self) -> dict[str, object]:
        """What the form shows now, comparable with `reading_edits.form_values`."""
        return {
            "status": str(self.status_combo.currentData()),
            "progress": self.progress_spin.value(),
            "started": self.started_edit.text().strip(),
            "finished": self.finished_edit.text().strip(),
            "rating": self.rating_combo.currentData(),
        }

    def _show_notice(self) -> None:
        keys, stored = self._changed_elsewhere, {}
        if self._book is not None and keys:
            stored = reading_edits.form_values(self._book["reading"])
        self.reading_notice.setText(reading_edits.changed_elsewhere_note(keys, stored))
        self.reading_notice.setVisible(bool(keys))

    def edited(self) -> ReadingEdit:
        """The fields the user changed in the form (the library validates them)."""
        if self._book is None:
            return {}
        return reading_edits.edits(reading_edits.form_values(self._book["reading"]), self._form())

    def has_unsaved_edits(self) -> bool:
        return bool(self.edited())

    async def confirm_leave(self) -> bool:
        """Before another book is shown: Save, Discard or Cancel unsaved edits (never blocks
        the event loop). True when the panel may show another book."""
        if self._book is None or not self.has_unsaved_edits():
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Save your changes?",
            f"You changed the reading state of “{self._book['title']}” and have not saved it.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window(),
        )
        box.setInformativeText("Save keeps your changes, Discard drops them, Cancel stays here.")
        # Enter must not write what the user may not have meant to change: Cancel stays here.
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        try:
            await run_dialog(show_plain(box), lambda: self.question_opened.emit(box))
            answer = box.standardButton(box.clickedButton())
        finally:
            box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_reading()
        if answer == QMessageBox.StandardButton.Discard:
            self._revert()
            return True
        return False

    def save_reading(self) -> bool:
        """Save the form; on a rejected value show why and keep the form as typed."""
        if self._book is None:
            return False
        book_id, changes = self._book["id"], self.edited()
        try:
            self._save(book_id, changes)
        except DateNeededError:  # Mark Read without a date in the history: the user says
            self.finish_asked.emit(spawn(self._ask_finish(book_id, changes), self))
            return False
        except BookOrbitError as error:
            self.reading_error.setText(error.message)
            self.reading_error.show()
            return False
        return self._after_save(book_id)

    async def _ask_finish(self, book_id: int, changes: ReadingEdit) -> bool:
        title = self._book["title"] if self._book is not None else ""
        dialog = FinishDateDialog(title, datetime.date.today(), self.window())
        try:
            accepted = await run_dialog(dialog, lambda: self.question_opened.emit(dialog))
            chosen = dialog.chosen()
        finally:
            dialog.deleteLater()
        if not accepted or self.book_id != book_id:
            return False
        try:
            self._save(book_id, {**changes, "finished": chosen})
        except BookOrbitError as error:
            self.reading_error.setText(error.message)
            self.reading_error.show()
            return False
        return self._after_save(book_id)

    def _after_save(self, book_id: int) -> bool:
        self._book = self._load(book_id)
        self._fill(self._book)
        self.saved.emit(book_id)
        return True
