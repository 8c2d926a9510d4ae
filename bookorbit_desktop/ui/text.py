"""Counted text in the window ("1 file shares…", "2 files share…") through Qt's translation
system, so singular and plural (and, with a translation, any language's plural rules) come from
`resources/translations` instead of English rules in code.

Every counted sentence is one source text with `%n` and "(s)" where it varies; the English
translation file gives its singular and plural forms. `install_translations` loads it once per
application; `counted` returns the sentence for a count (thousands grouped: "1,204 books").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

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
