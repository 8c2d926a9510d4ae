"""Text the window shows.

Counted text ("1 file shares…", "2 files share…") goes through Qt's translation system, so
singular and plural (and, with a translation, any language's plural rules) come from
`resources/translations` instead of English rules in code.

Text from outside (a book's title or path, what Hardcover answered, what a device pushed) is shown
as it is. Qt draws a tooltip, and a label left to guess its format, as HTML when it looks like
HTML, and an `<img>` naming a device file can stall or abort the window; a button's or a menu's
text takes `&` as a shortcut mark. So a tooltip is set with `plain_tooltip`, a label or message
box showing such text is a `plain_label` or goes through `show_plain`, and a button, check box,
group box or menu entry naming it uses `without_shortcuts`.

Every counted sentence is one source text with `%n` and "(s)" where it varies; the English
translation file gives its singular and plural forms. `install_translations` loads it once per
application; `counted` returns the sentence for a count (thousands grouped: "1,204 books").
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from bookorbit_desktop.config import resources_dir

CONTEXT = "BookOrbit"
TRANSLATION = "bookorbit_en"

_installed: list[QTranslator] = []  # kept alive as long as the application


def install_translations(app: QCoreApplication) -> bool:
    """Load the app's English texts into `app` (once); False when the file is missing."""
    if _installed:
        return True
    translator = QTranslator(app)
    if not translator.load(TRANSLATION, str(resources_dir() / "translations")):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def counted(source: str, count: int, *args: str) -> str:
    """The sentence `source` (with `%n`, and `%1`… filled from `args`) for `count`."""
    text = QCoreApplication.translate(CONTEXT, source, None, count)
    if count >= 1000:
        text = text.replace(str(count), f"{count:,}", 1)
    for number, value in enumerate(args, start=1):
        text = text.replace(f"%{number}", value)
    return text


TOOLTIP_CHARACTERS = 2000  # a tooltip past this is cut; the window shows the rest elsewhere


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` as it is: escaped and given as rich text of its own (which also
    wraps long lines), its line breaks kept, cut after TOOLTIP_CHARACTERS; none when empty."""
    if not text:
        return ""
    shown = text if len(text) <= TOOLTIP_CHARACTERS else text[:TOOLTIP_CHARACTERS] + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(shown)}</p>"


Shown = TypeVar("Shown", bound=QLabel | QMessageBox)


def show_plain(shown: Shown) -> Shown:
    """`shown` (a label, a message box), told to show its text as plain text whatever it looks
    like (a message box: its informative text too)."""
    shown.setTextFormat(Qt.TextFormat.PlainText)
    return shown


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows `text` (and any text set later) as plain text."""
    return show_plain(QLabel(text, parent))


def without_shortcuts(text: str) -> str:
    """`text` for a button, check box, group box or menu entry, every `&` shown as itself."""
    return text.replace("&", "&&")
