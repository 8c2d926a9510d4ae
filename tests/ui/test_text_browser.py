"""The text browsers that show outside text (a book's description, a device's highlights)
load nothing a URL names, and open only web links, in the desktop's browser."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.highlights.book_box import BookHighlights, panel_with_highlights
from bookorbit_desktop.ui.highlights.page import HighlightsPage
from bookorbit_desktop.ui.text_browser import OfflineBrowser

IMAGE = QTextDocument.ResourceType.ImageResource.value
STYLE = QTextDocument.ResourceType.StyleSheetResource.value


@pytest.fixture
def secret(tmp_path):
    """A picture and a style sheet on disk that a text could name."""
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(tmp_path / "secret.png"))
    (tmp_path / "secret.css").write_text("p { color: red }", encoding="utf-8")
    return tmp_path


def _loads_nothing(browser, secret) -> None:
    """A local picture and style sheet give nothing of theirs (/dev/zero is tried in a process
    of its own, under a memory limit: test_description_render.py)."""
    image = browser.loadResource(IMAGE, QUrl.fromLocalFile(str(secret / "secret.png")))
    assert (image.width(), image.height()) == (1, 1)  # the blank picture, not the file's
    assert browser.loadResource(STYLE, QUrl.fromLocalFile(str(secret / "secret.css"))) == ""


def test_the_highlight_browsers_load_nothing(qtbot, library, secret):
    page = HighlightsPage(LibraryService(library).list_books)
    panel = panel_with_highlights(LibraryService(library).book_details, lambda *_: None)
    qtbot.addWidget(page)
    qtbot.addWidget(panel)
    box = panel.findChild(BookHighlights)
    for browser in (page.results, box.browser, panel.description):
        _loads_nothing(browser, secret)


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/dune", True),
        ("http://example.org/", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("/etc/passwd", False),
        ("qrc:/secret", False),
    ],
)
def test_only_a_web_link_is_opened_and_in_the_desktops_browser(qtbot, url, opened):
    browser = OfflineBrowser()
    qtbot.addWidget(browser)
    asked: list[str] = []
    browser.opener = lambda link: asked.append(link.toString()) is None
    browser.setHtml(f'<a href="{url}">link</a>')
    browser.anchorClicked.emit(QUrl(url))
    assert asked == ([url] if opened else [])
    assert browser.source().isEmpty()  # the widget itself never navigates
