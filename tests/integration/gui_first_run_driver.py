"""Runs the real app (`run_gui`) on an empty library and walks its first run as a new user:
the Welcome tab, a books folder, the KOReader account, a device logging in, Hardcover.

Started by `test_gui_first_run_xvfb.py` as `python gui_first_run_driver.py DATA_DIR BOOKS_DIR
TOKEN OUT_DIR` on an Xvfb display. The books folder is given to the page as the folder chooser
would; the device is an HTTP client logging in as KOReader does (`/users/auth` with the user
name and the md5 of the password). Screenshots of the whole screen and `summary.json` go to
OUT_DIR; the app then quits as from its menu.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import aiohttp
from PySide6.QtWidgets import QApplication

from bookorbit_desktop import app as desktop_app
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.ui.first_run.page import FirstRunPage
from tests.integration.gui_sync_driver import until

USER, PASSWORD = "reader", "correct horse"


async def grab(out: Path, name: str) -> None:
    """The whole screen once Qt has painted (by letting the loop turn, never by running Qt's
    events from inside a task, which would re-enter the tasks the loop is running)."""
    await asyncio.sleep(0.3)
    assert QApplication.primaryScreen().grabWindow(0).save(str(out / name)), name


def welcome_page(desktop: desktop_app.Desktop) -> FirstRunPage | None:
    tabs = desktop.window.tabs
    pages = [tabs.widget(i) for i in range(tabs.count())]
    return next((page for page in pages if isinstance(page, FirstRunPage)), None)


async def koreader_login(sync_url: str) -> int:
    """What KOReader's "Login" does against the sync server; the HTTP status."""
    headers = {
        "x-auth-user": USER,
        "x-auth-key": hashlib.md5(PASSWORD.encode()).hexdigest(),
        "Accept": "application/vnd.koreader.v1+json",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sync_url}/users/auth", headers=headers) as response,
    ):
        return response.status


async def drive(desktop: desktop_app.Desktop, books: str, token: str, out: Path) -> None:
    summary: dict[str, Any] = {}
    try:
        window = desktop.window
        await until(window.isVisible, "the window")
        page = await until(lambda: welcome_page(desktop), "the Welcome tab")
        # Start-up done (a screenshot runs Qt's events: not while the app is still starting).
        await until(lambda: not desktop.hub.status.server_starting, "the server")
        summary["welcome_current"] = window.tabs.currentWidget() is page
        tray = desktop.tray
        summary["tray_embedded"] = (
            None if tray is None else tray.icon.isVisible() and not tray.icon.geometry().isEmpty()
        )
        await grab(out, "1-welcome.png")

        page.add_folder(books)  # what the folder chooser hands over
        await until(lambda: "in your library" in page.folder_label.text(), "the import")
        summary["folder"] = page.folder_label.text()
        await grab(out, "2-books-folder.png")

        page.username_edit.setText(USER)
        page.password_edit.setText(PASSWORD)
        page.account_button.click()
        await until(lambda: page.sync_url.text().startswith("http://"), "the sync address")
        summary["account"] = page.account_message.text()
        summary["waiting"] = page.device_label.text()
        summary["sync_url"] = page.sync_url.text()
        summary["opds_url"] = page.opds_url.text()
        await grab(out, "3-account.png")

        summary["login_status"] = await koreader_login(page.sync_url.text())
        await until(lambda: "logged in" in page.device_label.text(), "the device line")
        summary["device"] = page.device_label.text()
        await grab(out, "4-device-logged-in.png")

        page.token_edit.setText(token)
        page.hardcover_button.click()
        await until(lambda: page.hardcover_message.text().startswith("Connected"), "Hardcover")
        summary["hardcover"] = page.hardcover_message.text()
        await grab(out, "5-hardcover.png")

        page.done_button.click()
        await until(lambda: welcome_page(desktop) is None, "the Welcome tab to close")
        summary["library_books"] = window.library_view.model.total_count
        await grab(out, "6-library.png")
    except Exception as error:  # the test reads the summary and the output, not a traceback
        summary["error"] = f"{type(error).__name__}: {error}"
    finally:
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        desktop.request_quit()


def main() -> int:
    data_dir, books, token, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    original_show = desktop_app.Desktop.show

    def show_then_drive(self: desktop_app.Desktop, start_hidden: bool) -> None:
        original_show(self, start_hidden)
        asyncio.get_running_loop().create_task(drive(self, books, token, out))

    desktop_app.Desktop.show = show_then_drive  # type: ignore[method-assign]
    paths = resolve_paths(data_dir)
    paths.ensure()
    return desktop_app.run_gui(paths)


if __name__ == "__main__":
    sys.exit(main())
