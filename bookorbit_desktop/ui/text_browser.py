"""A text browser for text that came from outside (a book's description, a device's
highlights): it loads nothing, and opens only web links, in the desktop's browser.

Rich text may name images and style sheets by URL, and Qt reads what they name: a local file
(`file:///etc/passwd` is shown), a device (`/dev/zero` is read until the process runs out of
memory), and, failing a resource, an image file straight from disk. `OfflineBrowser` answers
every resource itself with nothing to read (a blank image, an empty style sheet or page), so
no URL is ever opened. The descriptions it shows are cleaned already (`descriptions`); this
holds whatever reaches the widget. A click on a link never navigates the widget: an http(s)
link opens in the desktop's browser (`opening`), any other does nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from bookorbit_desktop.descriptions import is_web_link
from bookorbit_desktop.ui.opening import Opener, desktop_opener, open_or_show


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


class OfflineBrowser(QTextBrowser):
    """A QTextBrowser that loads no resource and opens web links outside itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = desktop_opener
        self._blank = _blank_image()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.open_link)

    def loadResource(self, kind: int, name: QUrl | str, /) -> Any:
        """Nothing from any URL. A null answer would not do: Qt then reads the file itself,
        so an image gets a blank picture and anything else empty text."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return self._blank
        return ""

    def open_link(self, url: QUrl) -> bool:
        """Open an http(s) link in the desktop's browser; True when it was a web link."""
        if not is_web_link(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)):
            return False
        open_or_show(self, url, self.opener)
        return True
