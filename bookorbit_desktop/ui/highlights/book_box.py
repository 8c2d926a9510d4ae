"""The "Highlights" section of the book panel: the book's highlights and notes (chapter, page,
day), with a button that copies them as Markdown, and "Earlier Texts…" (`earlier_dialog`) once
an export replaced a highlight's text or note: it lists the earlier ones and restores one.

`panel_with_highlights` builds the panel with this section mounted above its
description; the panel itself needs no change. When the panel reloads the book it shows (after
another connection wrote to the library), the section reads it again off the window's thread,
keeping the scroll position and the selection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.highlights import off_loop as highlights_off_loop
from bookorbit_desktop.services.highlights import service
from bookorbit_desktop.services.highlights.off_loop import BookRead
from bookorbit_desktop.services.highlights.service import EarlierText, HighlightView
from bookorbit_desktop.services.library.records import BookDetails
from bookorbit_desktop.services.library.service import ReadingEdit
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.highlights.earlier_dialog import EarlierTextsDialog
from bookorbit_desktop.ui.highlights.keep_place import set_html_keeping_place
from bookorbit_desktop.ui.highlights.render import highlights_html
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.text_browser import OfflineBrowser
from bookorbit_desktop.ui.widgets import push_button, wrapped_label


def _journal_refusals() -> Mapping[int, str]:
    from bookorbit_desktop.services.hardcover.journal import (
        refusals_by_highlight,  # not at start-up
    )

    return refusals_by_highlight()


EMPTY_TEXT = (
    "No highlights yet. Switch on the receiver on the Highlights page, then in KOReader: "
    "Export highlights ▸ XMNote."
)


class BookHighlights(QGroupBox):
    """One book's highlights; `show_book(id)` loads them."""

    def __init__(
        self,
        load: Callable[[int], list[HighlightView]],
        markdown: Callable[[int], str],
        parent: QWidget | None = None,
        earlier: Callable[[int], list[EarlierText]] = service.earlier_texts,
        restore: Callable[[int], None] = service.restore_text,
        journal: Callable[[], Mapping[int, str]] = _journal_refusals,
        read: Callable[[int], Awaitable[BookRead]] = highlights_off_loop.book_read,
    ) -> None:
        super().__init__("Highlights", parent)
        self.setObjectName("bookHighlights")
        self._load = load
        self._markdown = markdown
        self._earlier = earlier
        self._restore = restore
        self._journal = journal
        self._read = read
        self.task: asyncio.Task[None] | None = None
        self.dialog: EarlierTextsDialog | None = None
        self._book_id: int | None = None
        self.views: list[HighlightView] = []
        self.empty_label = wrapped_label(EMPTY_TEXT)
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        self.browser = OfflineBrowser()  # the text is a device's: it loads nothing
        self.browser.setAccessibleName("The book's highlights")
        self.browser.setMinimumHeight(140)
        self.copy_button = push_button(
            "Copy as &Markdown", self.copy_markdown, name="Copy the highlights as Markdown"
        )
        self.earlier_button = push_button(
            "E&arlier Texts…", self.show_earlier, name="Earlier texts of the highlights"
        )  # Alt+E opens the Edit menu
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.earlier_button)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.browser)
        layout.addLayout(buttons)

    @property
    def book_id(self) -> int | None:
        return self._book_id

    def show_book(self, book_id: int) -> None:
        self._book_id = book_id
        self._show(self._load(book_id), self._journal(), keep_place=False)

    def reload_later(self) -> asyncio.Task[None] | None:
        """Read the shown book again off the window's thread; keeps the reader's place."""
        if self._book_id is None:
            return None
        self.task = spawn(self._reload(self._book_id), self)
        return self.task

    async def _reload(self, book_id: int) -> None:
        read = await self._read(book_id)
        if book_id == self._book_id:  # still the book shown
            self._show(read.views, read.refusals, keep_place=True)

    def _show(
        self, views: list[HighlightView], journal: Mapping[int, str], *, keep_place: bool
    ) -> None:
        self.views = views
        count = len(views)
        self.setTitle(f"Highlights ({count})" if count else "Highlights")
        self.empty_label.setVisible(not views)
        self.browser.setVisible(bool(views))
        self.copy_button.setVisible(bool(views))
        self.earlier_button.setVisible(any(view.earlier for view in views))
        html = highlights_html(views, journal=journal)
        if keep_place:
            set_html_keeping_place(self.browser, html)
        else:
            self.browser.setHtml(html)

    def show_earlier(self) -> EarlierTextsDialog | None:
        """Open the list of earlier texts of this book's highlights (not modal)."""
        book_id = self._book_id
        if book_id is None:
            return None
        self.dialog = EarlierTextsDialog(
            lambda: self._load(book_id), self._earlier, self._restore, self
        )
        self.dialog.restored.connect(lambda: self.show_book(book_id))
        self.dialog.show()
        return self.dialog

    def copy_markdown(self) -> None:
        if self._book_id is not None:
            QGuiApplication.clipboard().setText(self._markdown(self._book_id))


def panel_with_highlights(
    load: Callable[[int], BookDetails], save: Callable[[int, ReadingEdit], None]
) -> BookPanel:
    """A book panel with this section above its description, showing the highlights of every
    book the panel loads: at once when it shows a book, off the window's thread when it
    reloads the same one."""
    box = BookHighlights(service.book_highlights, service.markdown)

    def load_and_follow(book_id: int) -> BookDetails:
        details = load(book_id)
        if box.book_id == book_id:
            box.reload_later()
        else:
            box.show_book(book_id)
        return details

    panel = BookPanel(load_and_follow, save)
    anchor = panel.description_box
    body = anchor.parentWidget()
    layout = body.layout() if body is not None else None
    assert isinstance(layout, QBoxLayout)  # the panel's body column
    layout.insertWidget(layout.indexOf(anchor), box)
    return panel
