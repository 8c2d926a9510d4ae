"""The review of "Fill Empty Fields in All Books" before anything is written (and, after it,
`fill_message`: what was written against what the review promised): per field, how
many books get a value and from which source, and the records left out because they are of
another edition, each with its reason (and its book's authors and id: two books may share
a title). The numbers are the service's plan
(`services.metadata.apply.plan_fill`), the very picks the fill then saves; the dialog only
shows them. The user confirms with "Fill N Books" (Cancel is the default); the fill is one
step of Edit ▸ Undo.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.metadata.apply import FillOutcome, FillPlan
from bookorbit_desktop.ui.metadata.screen_fit import fit_on_screen
from bookorbit_desktop.ui.metadata.texts import FIELD_LABELS, source_label, value_text
from bookorbit_desktop.ui.text import counted
from bookorbit_desktop.ui.widgets import flat_list, wrapped_label


def fill_button_text(books: int) -> str:
    return "&Fill 1 Book" if books == 1 else f"&Fill {books:,} Books"


def sources_text(counts: Mapping[str, int]) -> str:
    """ "Hardcover 3, Open Library 1": how many books take the field from each source."""
    return ", ".join(f"{source_label(s)} {n:,}" for s, n in counts.items())


class FillReview(QDialog):
    """Accepted when the user chose to fill (`fill_button`); rejected otherwise."""

    def __init__(self, plan: FillPlan, reviewed: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Fill Empty Fields")
        if plan.books:
            said = (
                f"{counted('%n book(s)', plan.books)} of the {reviewed:,} reviewed get values "
                "for the fields they have none of (or only “Unknown”). Fields that have a value "
                "stay as they are; Edit ▸ Undo takes the whole fill back."
            )
        else:
            said = "No book gets a value: every field these books lack, no source has for them."
        self.intro = wrapped_label(said)
        self.fields = flat_list(("Field", "Books", "From"))
        self.fields.setAccessibleName("Fields to fill")
        for name, by_source in plan.counts.items():
            total = sum(by_source.values())
            row = [FIELD_LABELS[name], f"{total:,}", sources_text(by_source)]
            self.fields.addTopLevelItem(QTreeWidgetItem(row))
        self.left_out_label = wrapped_label(
            "Left out: these records are of another edition, so nothing is taken from them. "
            "Review the book to tick their values by hand where they fit."
        )
        self.left_out = flat_list(("Book", "Authors", "Id", "Source", "Why"))
        self.left_out.setAccessibleName("Records left out")
        for record in plan.left_out:  # authors and id tell books of one title apart
            row = [
                record.title,
                value_text("authors", record.authors),
                str(record.book_id),
                source_label(record.source),
                record.reason,
            ]
            self.left_out.addTopLevelItem(QTreeWidgetItem(row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.fill_button = QPushButton(fill_button_text(plan.books))
        self.fill_button.setEnabled(plan.books > 0)
        self.fill_button.setAutoDefault(False)  # Enter cancels: filling takes a click
        buttons.addButton(self.fill_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.fields, 2)
        for part in (self.left_out_label, self.left_out):
            layout.addWidget(part, 1 if part is self.left_out else 0)
            part.setVisible(bool(plan.left_out))
        layout.addWidget(buttons)
        fit_on_screen(self, QSize(640, 480))


def rows(tree: QTreeWidget) -> list[list[str]]:
    """A list's text, row by row (what the user reads)."""
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [[item.text(c) for c in range(tree.columnCount())] for item in items if item]


def fill_message(outcome: FillOutcome) -> str:
    """What a fill wrote, and what it could not with why, per field and source: "Filled empty
    fields in 42 books: Cover 18 of 41 (23 from Hardcover not written: … HTTP 503 …)."."""
    text = f"Filled empty fields in {counted('%n book(s)', outcome.books)}"
    parts = []
    for name, written, planned, missing in outcome.short():
        why = "; ".join(
            f"{count:,} from {source_label(source)} not written: {reason.rstrip('.')}"
            for source, reason, count in missing
        )
        parts.append(f"{FIELD_LABELS[name]} {written:,} of {planned:,} ({why})")
    return text + (": " + "; ".join(parts) if parts else "") + "."
