"""What KOReader's exports left for the user to decide, at the top of the Highlights page.

Exports whose book the library could not pick (unknown, or several candidates) wait here like
unlinked documents: "Link to Book…" merges their highlights into the chosen book. Status and
rating changes KOReader proposed wait here too: Apply (through the library's own edit rules)
or Dismiss. The box hides itself when nothing waits. Below the exports it says the cap on what
they keep (`waiting_cap`: a stranger's posts for unknown titles cannot fill the disk) and how
much of it they use.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.highlights import service
from bookorbit_desktop.services.highlights.service import ProposalRow, Recorded, Usage, Waiting
from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.services.library.service import STATUS_LABELS, DateNeededError
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.library.book_chooser import BookChooser
from bookorbit_desktop.ui.library.finish_date import FinishDateDialog
from bookorbit_desktop.ui.widgets import button_row, flat_list, push_button, wrapped_label

EXPORT, PROPOSAL = "export", "proposal"


@dataclass(frozen=True)
class WaitingActions:
    """The services the box calls (swapped in tests)."""

    exports: Callable[[], list[Waiting]] = service.waiting_exports
    link: Callable[[str, str, int], Recorded] = service.link_export
    proposals: Callable[[], list[ProposalRow]] = service.waiting_proposals
    apply: Callable[..., object] = service.apply_proposal  # (id, finished=…)
    dismiss: Callable[[int], None] = service.dismiss_proposal
    usage: Callable[[], Usage] = service.waiting_usage


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def cap_text(usage: Usage) -> str:
    return (
        f"Exports for books not in the library keep at most {usage.max_highlights:,} "
        f"highlights and {_mib(usage.max_bytes)} of text; past that, new ones are refused. "
        f"Kept now: {usage.highlights:,} highlight{'s' if usage.highlights != 1 else ''}, "
        f"{_mib(usage.bytes)}."
    )


def proposal_text(row: ProposalRow) -> str:
    changes = [STATUS_LABELS.get(row.status, row.status)] if row.status else []
    changes += [f"rating {row.rating}★"] if row.rating else []
    text = f"{row.book_title}: {', '.join(changes)}"
    return f"{text} (note: {row.note})" if row.note else text


class WaitingBox(QGroupBox):
    changed = Signal()  # a book's highlights or reading state changed here
    message = Signal(str)
    chooser_opened = Signal(object)

    def __init__(
        self,
        books: Callable[[], Sequence[BookRow]],
        actions: WaitingActions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Waiting for you", parent)
        self._books = books
        self._actions = actions or WaitingActions()
        self._exports: list[Waiting] = []
        self._proposals: list[ProposalRow] = []
        self._busy: asyncio.Task[None] | None = None
        self.tree = flat_list(("From KOReader", "What to decide"))
        self.tree.setAccessibleName("Waiting for you")
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        # Alt+L opens the Library.
        self.link_button = push_button(
            "Lin&k to Book…", self.link_selected, name="Link the export to a book"
        )
        self.apply_button = push_button(
            "A&pply", self.apply_selected, name="Apply the proposed change"
        )
        self.dismiss_button = push_button(
            "Dis&miss",
            lambda: self._decide(self._actions.dismiss, "Dismissed"),
            name="Dismiss the proposed change",
        )
        buttons = button_row(self.link_button, self.apply_button, self.dismiss_button)
        self.cap_label = wrapped_label()
        self.cap_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.cap_label)
        layout.addLayout(buttons)
        self.tree.setMaximumHeight(120)

    def _key(self, selected: tuple[str, int] | None) -> object:
        """What the selected row is about, which a reload does not renumber."""
        if selected is None:
            return None
        kind, number = selected
        if kind == EXPORT:
            export = self._exports[number]
            return (EXPORT, export.title, export.authors)
        return (PROPOSAL, self._proposals[number].id)

    def refresh(self) -> None:
        """Read again what waits, keeping the selected row selected while it still waits."""
        kept = self._key(self._selected())
        self._exports = self._actions.exports()
        self._proposals = self._actions.proposals()
        self.tree.clear()
        for number, export in enumerate(self._exports):
            authors = export.authors.replace("\n", ", ")
            label = f"{export.title} — {authors}" if authors else export.title
            item = QTreeWidgetItem([label, f"{export.highlights} highlights: which book is it?"])
            item.setData(0, Qt.ItemDataRole.UserRole, (EXPORT, number))
            self.tree.addTopLevelItem(item)
        for number, proposal in enumerate(self._proposals):
            item = QTreeWidgetItem([proposal_text(proposal), "apply this change?"])
            item.setData(0, Qt.ItemDataRole.UserRole, (PROPOSAL, number))
            self.tree.addTopLevelItem(item)
        for row in range(self.tree.topLevelItemCount() if kept is not None else 0):
            shown = self.tree.topLevelItem(row)
            if shown is not None and self._key(shown.data(0, Qt.ItemDataRole.UserRole)) == kept:
                self.tree.setCurrentItem(shown)
        self.cap_label.setVisible(bool(self._exports))
        if self._exports:
            self.cap_label.setText(cap_text(self._actions.usage()))
        self.setVisible(bool(self._exports or self._proposals))
        self._update_buttons()

    def _selected(self) -> tuple[str, int] | None:
        items = self.tree.selectedItems()
        return None if not items else items[0].data(0, Qt.ItemDataRole.UserRole)

    def _update_buttons(self) -> None:
        kind = (self._selected() or ("", 0))[0]
        self.link_button.setEnabled(kind == EXPORT and self._busy is None)
        self.apply_button.setEnabled(kind == PROPOSAL and self._busy is None)
        self.dismiss_button.setEnabled(kind == PROPOSAL and self._busy is None)

    def apply_selected(self) -> asyncio.Task[None] | None:
        """Apply the selected proposal; a finished status without a date in the history asks
        when the book was finished (the returned task), as Mark Read does."""
        try:
            self._decide(self._actions.apply, "Applied")
        except DateNeededError:
            proposal = self._proposals[(self._selected() or ("", 0))[1]]
            self._busy = spawn(self._ask_finish_and_apply(proposal), self)
            self._update_buttons()
            return self._busy
        return None

    async def _ask_finish_and_apply(self, proposal: ProposalRow) -> None:
        dialog = FinishDateDialog(proposal.book_title, datetime.date.today(), self)
        try:
            accepted = await run_dialog(dialog, lambda: self.chooser_opened.emit(dialog))
            if accepted:  # the proposal asked about, whatever is selected by now
                self._actions.apply(proposal.id, finished=dialog.chosen())
                self._decided(proposal, "Applied")
        except BookOrbitError as error:
            show_error(self, error)
        finally:
            dialog.deleteLater()
            self._busy = None
            self._update_buttons()

    def _decide(self, action: Callable[[int], object], done: str) -> None:
        selected = self._selected()
        if selected is None or selected[0] != PROPOSAL:
            return
        proposal = self._proposals[selected[1]]
        try:
            action(proposal.id)
        except DateNeededError:
            raise
        except BookOrbitError as error:
            show_error(self, error)
            return
        self._decided(proposal, done)

    def _decided(self, proposal: ProposalRow, done: str) -> None:
        self.message.emit(f"{done}: {proposal_text(proposal)}")
        self.refresh()
        self.changed.emit()

    def link_selected(self) -> asyncio.Task[None] | None:
        selected = self._selected()
        if selected is None or selected[0] != EXPORT or self._busy is not None:
            return None
        self._busy = spawn(self._choose_and_link(self._exports[selected[1]]), self)
        self._update_buttons()
        return self._busy

    async def _choose_and_link(self, export: Waiting) -> None:
        try:
            chooser = BookChooser(
                list(self._books()),
                title="Link to Book",
                prompt=f"Which book are the highlights of “{export.title}” from?",
                accept_text="Link",
                initial_filter=export.title,
                parent=self,
            )
            accepted = await run_dialog(chooser, lambda: self.chooser_opened.emit(chooser))
            book_id = chooser.chosen_book_id
            chooser.deleteLater()
            if not accepted or book_id is None:
                return
            try:
                result = self._actions.link(export.title, export.authors, book_id)
            except BookOrbitError as error:
                show_error(self, error)
                return
            added = f"{result.added} highlight{'s' if result.added != 1 else ''}"
            self.message.emit(f"“{export.title}”: {added} added to the book.")
            self.refresh()
            self.changed.emit()
        finally:
            self._busy = None
            self._update_buttons()
