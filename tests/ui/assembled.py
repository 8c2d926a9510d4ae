"""The app's window assembled for a test: the whole desktop on 127.0.0.1, or the main window
alone around an empty library view."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.single_instance import SingleInstance
from bookorbit_desktop.ui.status import StatusHub
from tests.ui.test_main_window import show_all


def local_desktop(library: Paths, *, devices: bool = False, shown: bool = False) -> Desktop:
    """The desktop built, its server on 127.0.0.1 at any free port; `devices`: the wireless
    device connection too, at any free port and never announced; `shown`: shown with what it
    loads after the first screenful."""
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    if devices:
        set_setting("devices.calibre_port", 0)
        set_setting("devices.discovery", False)
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    if shown:
        show_all(desktop, start_hidden=False)
    return desktop


def bare_window(
    qtbot: Any, library: Paths, folder: Path, *, log_dir: Path | None = None
) -> MainWindow:
    """The main window alone, its state file, log and data folders in `folder`."""
    service = LibraryService(library)
    window = MainWindow(
        StatusHub(),
        LibraryView(),
        BookPanel(service.book_details, service.save_reading),
        state_file=folder / "state.ini",
        log_dir=log_dir or folder,
        data_dir=folder,
    )
    qtbot.addWidget(window)
    return window
