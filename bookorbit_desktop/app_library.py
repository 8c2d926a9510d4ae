"""The library as the desktop app opens it: at once, so the window shows it, and its whole
file checked right after, before anything writes to it.

SQLite's quick check reads the whole file: most of a second of a core for a library of
250,000 books. On a two-core machine it would compete with loading the program, drawing the
window and reading its table. So `open_library` opens the library once SQLite has read its
header and schema (`open_database(check_later=True)`; a library to migrate is checked in full
first), and `library_sound` checks it in a worker thread once the window has shown its books:
before the LAN server, a sync pass or the checkpointer writes to it. A damaged library is
refused with the same message, and the same exit code, as at open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.store.checkpoint import Checkpointer, no_inline_checkpoints
from bookorbit_desktop.library.store.db import LibraryDamagedError, check_library, open_database
from bookorbit_desktop.ui.asyncqt import open_box, wait_signal
from bookorbit_desktop.ui.text import show_plain

log = logging.getLogger(__name__)

# What Restore from Backup… of a damaged library's message does (the app's `Restorer`).
Restore = Callable[[], Awaitable[object]]
RESTORE_HINT = (
    "Restore from Backup… puts a backup .zip you made back in place of this library (which is "
    "kept beside it), then starts BookOrbit again."
)


async def open_library(path: Path, restore: Restore) -> bool:
    """Open the library at `path` (its quick check left to `library_sound` when it needs no
    migration); False once a library that cannot be opened has been explained (`refuse`)."""
    try:
        open_database(path, check_later=True)
    except BookOrbitError as error:
        await refuse(error, restore)
        return False
    # A commit on the window's thread never copies the journal back itself (a pause of up to
    # a tenth of a second); the checkpointer thread does, once the file is found sound.
    no_inline_checkpoints()
    return True


async def library_sound(
    path: Path, hide: Callable[[], object], restore: Restore
) -> Checkpointer | None:
    """The quick check `open_library` left for later, in a worker thread; once the file is
    found sound, the checkpointer started. None once a damaged library has been explained,
    the app's windows put away (`hide`) first, as when it is refused at open."""
    try:
        await asyncio.to_thread(check_library, path)
    except BookOrbitError as error:
        hide()
        await refuse(error, restore)
        return None
    checkpointer = Checkpointer(path)
    checkpointer.start()
    return checkpointer


async def refuse(error: BookOrbitError, restore: Restore) -> None:
    """Log `error` and show it until the user closes the message. A damaged library's message
    offers Restore from Backup…, which runs `restore` once it is closed."""
    log.error("%s: %s", error.title, error.message)
    box = QMessageBox(
        QMessageBox.Icon.Warning, error.title, error.message, QMessageBox.StandardButton.Ok
    )
    chosen: list[bool] = []
    if isinstance(error, LibraryDamagedError):
        box.setInformativeText(RESTORE_HINT)
        button = box.addButton("&Restore from Backup…", QMessageBox.ButtonRole.ActionRole)
        button.clicked.connect(lambda: chosen.append(True))
    await wait_signal(open_box(show_plain(box)).finished)
    if chosen:
        await restore()
