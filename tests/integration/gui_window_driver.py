"""Runs the real app (`run_gui`) on a library with covers and records how its windows fit the
screen: the Settings dialog (every tab) and the cover grid.

Started by `test_gui_window_xvfb.py` as `python gui_window_driver.py DATA_DIR OUT_DIR` on an
Xvfb display of the size under test. Screenshots of the whole screen and `summary.json` (the
screen's free area, the dialog's frame and its Save button, per tab) go to OUT_DIR; the app
then quits as from its menu.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from bookorbit_desktop import app as desktop_app
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.ui.asyncqt import signal_future
from tests.integration.gui_sync_driver import until


async def grab(out: Path, name: str) -> None:
    await asyncio.sleep(0.4)  # painted by the loop's own turns
    assert QApplication.primaryScreen().grabWindow(0).save(str(out / name)), name


def rect(value: QRect) -> list[int]:
    return [value.x(), value.y(), value.width(), value.height()]


def on_screen(widget: QWidget) -> list[int]:
    return rect(QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size()))


async def drive(desktop: desktop_app.Desktop, out: Path) -> None:
    summary: dict[str, Any] = {}
    try:
        window = desktop.window
        await until(window.isVisible, "the window")
        await until(lambda: not desktop.hub.status.server_starting, "the server")
        await until(lambda: window.library_view.model.total_count > 0, "the books")
        screen = QApplication.primaryScreen()
        summary["screen"] = rect(screen.geometry())
        summary["free"] = rect(screen.availableGeometry())
        summary["window"] = rect(window.frameGeometry())

        opened = signal_future(desktop.controller.settings_opened)
        task = desktop.controller.open_settings()
        (dialog,) = await opened
        await asyncio.sleep(0.3)
        tabs = []
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            await grab(out, f"settings-{index}-{dialog.tabs.tabText(index).lower()}.png")
            tabs.append(
                {
                    "tab": dialog.tabs.tabText(index),
                    "frame": rect(dialog.frameGeometry()),
                    "save": on_screen(dialog.save_button),
                    "save_visible": dialog.save_button.isVisible(),
                }
            )
        summary["settings"] = tabs
        dialog.reject()
        await task

        view = window.library_view
        view.show_grid(True)
        loaded = signal_future(view.grid.covers.loaded)
        await asyncio.wait_for(loaded, 20)
        summary["grid_books_in_view"] = len(view.grid.books_in_view())
        await grab(out, "cover-grid.png")
        view.select_book(view.model.book_at(1).id)
        await grab(out, "cover-grid-selected.png")
        view.show_grid(False)
        await grab(out, "library-table.png")
    except Exception as error:  # the test reads the summary and the output, not a traceback
        summary["error"] = f"{type(error).__name__}: {error}"
    finally:
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        desktop.request_quit()


def main() -> int:
    data_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    original_show = desktop_app.Desktop.show

    def show_then_drive(self: desktop_app.Desktop, start_hidden: bool) -> None:
        original_show(self, start_hidden)
        asyncio.get_running_loop().create_task(drive(self, out))

    desktop_app.Desktop.show = show_then_drive  # type: ignore[method-assign]
    paths = resolve_paths(data_dir)
    paths.ensure()
    return desktop_app.run_gui(paths)


if __name__ == "__main__":
    sys.exit(main())
