"""Run by test_description_render.py in a process of its own, under an address-space limit:
shows a book whose stored description (stored raw, as a library from before descriptions were
cleaned holds it) names /dev/zero and local files, in a real book panel, clicks each of its
links, and prints what the widget holds as JSON. The same hostile HTML is also given straight
to an `OfflineBrowser`, uncleaned, to show the widget loads nothing by itself.

`python -m tests.ui.library.description_render DATA_DIR LIMIT_BYTES SECRET_PNG`
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path


def hostile(secret_png: str) -> str:
    return (
        '<p>Dune.<img src="/dev/zero"><img src="file:///dev/zero">'
        f'<img src="file:///etc/passwd"><img src="{secret_png}">'
        f'<img src="file://{secret_png}"></p>'
        '<p><a href="file:///etc/passwd">local</a> <a href="javascript:alert(1)">run</a> '
        '<a href="https://example.org/dune">web</a></p>'
    )


def main(data_dir: str, limit: int, secret_png: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint, Qt, QUrl
    from PySide6.QtGui import QTextCursor, QTextDocument
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bookorbit_desktop.config import resolve_paths
    from bookorbit_desktop.library.store.db import open_database
    from bookorbit_desktop.library.store.models import Book
    from bookorbit_desktop.services.library.service import LibraryService
    from bookorbit_desktop.ui.library.book_panel import BookPanel
    from tests.factories import add_book

    app = QApplication([])
    paths = resolve_paths(Path(data_dir))
    paths.ensure()
    open_database(paths.db_file)
    book = add_book("Dune", ["Frank Herbert"])
    Book.update(description=hostile(secret_png)).where(Book.id == book.id).execute()
    service = LibraryService(paths)
    panel = BookPanel(service.book_details, service.save_reading)
    opened: list[str] = []
    panel.description.opener = lambda url: opened.append(url.toString()) is None
    panel.resize(420, 900)
    panel.show()
    for _ in range(3):  # each time the book is selected
        panel.show_book(None)
        panel.show_book(book.id)
        app.processEvents()
    browser = panel.description
    document = browser.document()
    anchors = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if href := fragment.charFormat().anchorHref():
                anchors.append(href)
            iterator += 1
        block = block.next()
    for word in ("local", "run", "web"):
        found = document.find(word)
        cursor = QTextCursor(document)
        cursor.setPosition(found.selectionStart() + 1)
        where = browser.cursorRect(cursor).center()
        QTest.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where))
        app.processEvents()

    from bookorbit_desktop.ui.text_browser import OfflineBrowser

    raw = OfflineBrowser()
    raw.setHtml(hostile(secret_png))
    raw.resize(300, 300)
    raw.show()
    app.processEvents()
    sizes = {}
    for url in ("/dev/zero", "file:///etc/passwd", secret_png, f"file://{secret_png}"):
        image = raw.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        sizes[url] = [image.width(), image.height()]
    print(
        json.dumps(
            {
                "shown": browser.toPlainText(),
                "html": document.toHtml(),
                "anchors": anchors,
                "opened": opened,
                "source": browser.source().toString(),
                "raw_shown": raw.toPlainText(),
                "raw_sizes": sizes,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
