"""Draws every page of the window and the Edit dialog for the README, from the real app.

    python packaging/screenshot_pages.py OUT_DIR DATA_DIR

Run by `screenshots.py` on its Xvfb screen (any Qt platform works, offscreen included) against
its demo library: builds the window as the app does, at 1366x768, shows each page in turn,
then opens Edit Metadata… for one book, and saves OUT_DIR/page-*.png and edit-dialog.png.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from bookorbit_desktop.app import Desktop  # noqa: E402
from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.store.db import open_database  # noqa: E402
from bookorbit_desktop.library.store.queries import list_books  # noqa: E402
from bookorbit_desktop.ui.library.edit_dialog import EditDialog  # noqa: E402
from bookorbit_desktop.ui.single_instance import SingleInstance  # noqa: E402
from bookorbit_desktop.ui.text import install_translations  # noqa: E402

WIDTH = 960  # pixels of the saved image
SIZE = (1366, 768)  # the window, as on a common laptop screen
EDITED = "Piranesi"  # the book whose Edit dialog is shown


def slug(title: str) -> str:
    """ "S&tatistics" -> "statistics"; "&Unlinked Documents (2)" -> "unlinked-documents"."""
    words = title.replace("&", "").split("(")[0].strip().lower().split()
    return "-".join(words)


def save(widget: QWidget, target: Path) -> None:
    image = widget.grab().toImage()
    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    if not image.save(str(target), "PNG", 0):
        raise SystemExit(f"{target} could not be saved")
    print(f"{target}  ({target.stat().st_size / 1000:.0f} kB)")


async def draw(desktop: Desktop, out: Path) -> None:
    desktop.show(start_hidden=False)
    filled = desktop.fill()
    if filled is not None:
        await filled
    window = desktop.window
    window.resize(*SIZE)
    await asyncio.sleep(1.5)  # the pages read the library off the window's thread
    by_title = {book["title"]: book["id"] for book in list_books()}
    window.library_view.select_book(by_title[EDITED])
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        await asyncio.sleep(1.0)
        save(window, out / f"page-{slug(window.tabs.tabText(index))}.png")
    window.tabs.setCurrentIndex(0)
    action = next(
        a
        for m in window.menuBar().actions()
        for a in m.menu().actions()
        if a.text() == "&Edit Metadata…"
    )
    action.trigger()
    await asyncio.sleep(1.0)
    dialog = window.findChild(EditDialog)
    if dialog is None:
        raise SystemExit("the Edit dialog did not open")
    save(dialog, out / "edit-dialog.png")
    dialog.reject()


def main() -> int:
    out, data = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    install_translations(app)
    paths = resolve_paths(data)
    open_database(paths.db_file)
    desktop = Desktop(paths, SingleInstance(paths.data_dir), started=time.monotonic())
    desktop.build()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(draw(desktop, out))
    finally:
        loop.run_until_complete(desktop.shutdown())
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # the images are saved: no waiting on the library's worker threads
