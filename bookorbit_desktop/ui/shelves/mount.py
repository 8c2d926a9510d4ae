"""Puts the Shelves tab and Add to Want to Read in the main window and keeps them current.

The tab reads its shelves when first shown and whenever the library changes (a sync's pull
brings new shelves; a link changes what is in the library); Go to Book shows the book in the
library's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from bookorbit_desktop.services.library.bulk_edits import BulkEditService
from bookorbit_desktop.ui.shelves.page import ShelvesPage
from bookorbit_desktop.ui.shelves.want_action import WantAction

if TYPE_CHECKING:
    from bookorbit_desktop.ui.page_host import PageHost

TITLE = "Sh&elves"


@dataclass(frozen=True)
class Shelves:
    page: ShelvesPage
    want: WantAction


def add_shelves_page(host: PageHost) -> Shelves:
    window = host.window
    page = ShelvesPage(parent=window)
    index = window.add_page(page, TITLE)

    def go_to(book_id: int) -> None:
        window.tabs.setCurrentIndex(0)
        if not window.library_view.select_book(book_id):
            window.statusBar().showMessage(
                "That book is hidden by the filter; clear the filter to see it.", 8000
            )

    page.go_to_book.connect(go_to)
    page.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    page.changed.connect(host.follow_changes)
    host.background.reloaded.connect(
        lambda *_: page.refresh() if window.tabs.currentIndex() == index else None
    )
    window.tabs.currentChanged.connect(lambda shown: page.refresh() if shown == index else None)
    bulk = BulkEditService(host.library.paths)
    want = WantAction(window, window.library_view, on_done=host.follow_changes, bulk=bulk)
    QTimer.singleShot(0, page.refresh)
    return Shelves(page, want)
