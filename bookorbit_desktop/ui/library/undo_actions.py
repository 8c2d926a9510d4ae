"""Edit ▸ Undo and Edit ▸ Redo (Ctrl+Z, Ctrl+Shift+Z: the platform's keys): the change journal's
latest step taken back and the last undone step done again, through `services.undo`.

Each action is named for its step ("Undo Fill Empty Fields (28 books)") and enabled only when
there is one. The names are read again when the Edit menu opens, after every Undo and Redo, and
after the window's edits, removals and reading changes and what other processes write
(`refresh`, connected by `edit_actions`), so that the keys work without opening the menu. What
an undo left as it is, or where a trashed file is, is shown in a message; otherwise the status
bar says what was undone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.undo import Done, UndoService
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, show_error, spawn
from bookorbit_desktop.ui.text import show_plain


def _named(verb: str, label: str | None) -> str:
    return f"&{verb} {label.replace('&', '&&')}" if label else f"&{verb}"


class UndoActions(QObject):
    refreshed = Signal()  # the names were read again (the journal may have changed)

    def __init__(
        self,
        service: UndoService,
        window: QMainWindow,
        menu: QMenu | None,
        on_changed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.service, self.window, self.on_changed = service, window, on_changed
        self.box: QMessageBox | None = None  # the last undo's message, while it is open
        self.moving: asyncio.Task[Done | None] | None = None  # a step moving files, running
        self.undo_action = menu_action(
            window, "&Undo", self.undo, shortcut=QKeySequence(QKeySequence.StandardKey.Undo)
        )
        self.redo_action = menu_action(
            window, "&Redo", self.redo, shortcut=QKeySequence(QKeySequence.StandardKey.Redo)
        )
        for action in (self.undo_action, self.redo_action):
            window.addAction(action)  # the keys work wherever the focus is
        if menu is not None:
            if menu.actions():
                first = menu.actions()[0]
                menu.insertActions(first, [self.undo_action, self.redo_action])
                menu.insertSeparator(first)
            else:
                menu.addActions([self.undo_action, self.redo_action])
            menu.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Name the actions for the steps they would take, enabled only when there is one."""
        undo, redo = self.service.next_names()
        idle = self.moving is None  # while files move, neither key starts another step
        self.undo_action.setText(_named("Undo", undo))
        self.undo_action.setEnabled(idle and undo is not None)
        self.redo_action.setText(_named("Redo", redo))
        self.redo_action.setEnabled(idle and redo is not None)
        self.refreshed.emit()

    def undo(self) -> Done | None:
        if self.moving is not None:
            return None
        if self.service.moves_files():
            self._start(self.service.undo_async)
            return None
        return self._run(self.service.undo)

    def redo(self) -> Done | None:
        if self.moving is not None:
            return None
        if self.service.moves_files(redo=True):
            self._start(self.service.redo_async)
            return None
        return self._run(self.service.redo)

    def _start(self, step: Callable[[], Awaitable[Done | None]]) -> None:
        """A step that moves files runs in a worker thread; the actions wait meanwhile."""
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.window.statusBar().showMessage("Moving files…")
        self.moving = spawn(self._off_thread(step), self.window)

    async def _off_thread(self, step: Callable[[], Awaitable[Done | None]]) -> Done | None:
        try:
            done = await step()
        except BookOrbitError as error:
            show_error(self.window, error)
            return None
        finally:
            self.moving = None
            self.refresh()
        return self._show(done)

    def _run(self, step: Callable[[], Done | None]) -> Done | None:
        try:
            done = step()
        except BookOrbitError as error:
            show_error(self.window, error)
            return None
        finally:
            self.refresh()
        return self._show(done)

    def _show(self, done: Done | None) -> Done | None:
        if done is None:
            return None
        if self.on_changed is not None:
            self.on_changed()
        first, *rest = done.text().splitlines()
        self.window.statusBar().showMessage(first, 6000)
        if rest:
            self.box = QMessageBox(
                QMessageBox.Icon.Information,
                first.rstrip("."),
                "\n".join([first, *rest]),
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            open_box(show_plain(self.box))
        return done
