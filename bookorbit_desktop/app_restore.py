"""A backup restored from the window (File ▸ Restore Library from Backup…, or the start-up
message of a damaged library), in the app's order.

`bookorbit-desktop restore` needs the library to itself, and so does this: once the user has
agreed, the app quits as the tray's Quit does (the LAN server, the Hardcover sync and the
database stopped), the one restore (`library.store.restore`) runs, and the app starts again
with the same command line (`run_gui`). The library's lock stays this process's from the
question to the restart (taken then if the window does not hold it yet): no `serve` can take
the library in between, and one that holds it already refuses the restore before anything
stops.

What a restore did is said by the app it restarts, once that one serves devices again (the
message travels in the environment, `NOTE`): the sync server is not kept down until the user
reads it. Why a restore failed is said before the restart, by this process: the library that
was there starts again, and a damaged one would stop the new start before it could say it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, MutableMapping
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.services.library import backups
from bookorbit_desktop.services.ownership import LibraryLock
from bookorbit_desktop.ui.asyncqt import open_box, wait_signal
from bookorbit_desktop.ui.library.restore_action import RestoreAsk, when_made
from bookorbit_desktop.ui.text import counted, show_plain

log = logging.getLogger(__name__)

NOTE = "BOOKORBIT_RESTORED"  # what a restore did, for the app it restarts to say
RESTORED = "Library restored"
_MAX_NOTE = 4000  # characters: a restore's own message is a few hundred


def restored_text(summary: backups.RestoreSummary) -> str:
    """What a finished restore put in place and where the library that was there is kept."""
    covers = counted("%n cover(s)", summary.covers)
    text = (
        f"{counted('%n book(s)', summary.books)} and {covers} were restored from the backup "
        f"made {when_made(summary.created)}."
    )
    if kept := summary.kept():
        text += f"\n\n{kept}"
    if summary.covers_problem:
        text += f"\n\n{summary.covers_problem}"
    return text + "\n\nBookOrbit has started again with the restored library."


def note_left(environ: MutableMapping[str, str]) -> str | None:
    """What the restore that restarted this app did (`restored_text`), taken out of `environ`
    so nothing started from here inherits it; None when there is none, or when it is no text
    a restore leaves (anyone can set the variable)."""
    raw = environ.pop(NOTE, None)
    try:
        text = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(text, str) or not text or len(text) > _MAX_NOTE:
        return None
    return text


class Restorer:
    """The restore the user agreed to, run once the app has shut down; `quit` is the app's
    orderly Quit, `lock` the library's lock (the window's)."""

    def __init__(self, paths: Paths, lock: LibraryLock, quit: Callable[[], object]) -> None:
        self.paths, self.lock, self._quit = paths, lock, quit
        self.chosen: tuple[Path, str] | None = None
        self.restart_wanted = False
        self.note = note_left(os.environ)  # this start follows a restore: it says what it did

    def at_quit(self, source: Path, stamp: str) -> None:
        """Restore `source` (its kept files named by `stamp`) once the app has quit.
        LibraryInUseError when another process owns the library: nothing stops then."""
        self.lock.acquire()  # held already by the window: nothing to do
        self.chosen = (source, stamp)
        self._quit()

    async def ask_without_window(self) -> None:
        """Restore from Backup… of the start-up message of a damaged library."""
        chosen = await RestoreAsk(self.paths, None).ask()
        if chosen is not None:
            self.at_quit(*chosen)  # the app took the library's lock before it opened it

    async def finish(self) -> None:
        """Once the app has shut down: the restore agreed to, if any, and the restart asked
        for (the library that was there opens again if it failed, once its message is read;
        the restored one at once, and the new app says what was restored)."""
        if self.chosen is None:
            return
        source, stamp = self.chosen
        try:
            summary = await backups.restore(self.paths, source, stamp)
        except backups.RestoreError as error:
            log.error("%s: %s", error.title, error.message)
            text = f"{error.message}\n\nBookOrbit starts again with the library that was here."
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Library not restored",
                text,
                QMessageBox.StandardButton.Ok,
            )
            await wait_signal(open_box(show_plain(box)).finished)
        else:
            log.info("Restored the library from %s", source)
            os.environ[NOTE] = json.dumps(restored_text(summary))
        self.restart_wanted = True

    def tell(self, parent: QWidget) -> None:
        """Say what the restore before this start did, over `parent` (once the app serves
        again; nothing when this start followed no restore)."""
        text, self.note = self.note, None
        if text is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Information, RESTORED, text, QMessageBox.StandardButton.Ok, parent
        )
        open_box(show_plain(box))
