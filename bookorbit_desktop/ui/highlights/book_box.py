"""The "Highlights" section of the book panel: the book's highlights and notes (chapter, page,
day), with a button that copies them as Markdown, and "Earlier Texts…" (`earlier_dialog`) once
an export replaced a highlight's text or note: it lists the earlier ones and restores one.

`panel_with_highlights` builds the panel with this section mounted above its
description; the panel itself needs no change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services import highlights as service
from bookorbit_desktop.services.highlights import EarlierText, HighlightView
from bookorbit_desktop.services.library import BookDetails, ReadingEdit
from bookorbit_desktop.ui.highlights.earlier_dialog import EarlierTextsDialog
from bookorbit_desktop.ui.highlights.render import highlights_html
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.widgets import wrapped_label


def _journal_refusals() -> Mapping[int, str]:
    from bookorbit_desktop.services.journal import refusals_by_highlight  # not at start-up

    return refusals_by_highlight()


EMPTY_TEXT = (
    "No highlights yet. Export them from KOReader (Export highlights > XMNote) or import a "
    "device's sidecar folders with `bookorbit-desktop highlights import`."
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
    ) -> None:
        super().__init__("Highlights", parent)
        self.setObjectName("bookHighlights")
        self._load = load
        self._markdown = markdown
        self._earlier = earlier
        self._restore = restore
        self._journal = journal
        self.dialog: EarlierTextsDialog | None = None
        self._book_id: int | None = None
        self.views: list[HighlightView] = []
        self.empty_label = wrapped_label(EMPTY_TEXT)
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        self.browser = QTextBrowser()
        self.browser.setMinimumHeight(140)
        self.copy_button = QPushButton("Copy as &Markdown")
        self.copy_button.clicked.connect(self.copy_markdown)
        self.earlier_button = QPushButton("&Earlier Texts…")
        self.earlier_button.clicked.connect(self.show_earlier)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.earlier_button)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.browser)
        layout.addLayout(buttons)

    def show_book(self, book_id: int) -> None:
        self._book_id = book_id
        self.views = self._load(book_id)
        count = len(self.views)
        self.setTitle(f"Highlights ({count})" if count else "Highlights")
        self.empty_label.setVisible(not self.views)
        self.browser.setVisible(bool(self.views))
        self.copy_button.setVisible(bool(self.views))
        self.earlier_button.setVisible(any(view.earlier for view in self.views))
        self.browser.setHtml(highlights_html(self.views, journal=self._journal()))

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
    book the panel loads (shown, or reloaded after a change)."""
    box = BookHighlights(service.book_highlights, service.markdown)

    def load_and_follow(book_id: int) -> BookDetails:
        details = load(book_id)
        box.show_book(book_id)
        return details

    panel = BookPanel(load_and_follow, save)
    anchor = panel.description_box
    body = anchor.parentWidget()
    layout = body.layout() if body is not None else None
    assert isinstance(layout, QBoxLayout)  # the panel's body column
    layout.insertWidget(layout.indexOf(anchor), box)
    return panel
