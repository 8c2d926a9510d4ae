"""A backup restored from the running app, end to end: File ▸ Restore Library from Backup… in
the window, and Restore from Backup… in the start-up message of a damaged library. The app
quits in order, the one restore runs, its message is shown, and the same command line starts
again once the library is released. Only the answers to the dialogs and the restart itself
are the test's."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from bookorbit_desktop.app import run_gui
from bookorbit_desktop.app_restore import NOTE, RESTORED, note_left, restored_text
from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.restore import RestoreSummary
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.single_instance import SingleInstance
from tests.factories import add_book
from tests.library.store.damaged import scribbled
from tests.library.store.test_backup import titles
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.ui.library.test_restore_action import type_and_open

LOOPBACK = [("server.host", "127.0.0.1"), ("server.port", 0)]
ANSWERS = {  # the button the user presses in each message; OK in any other
    "Restore Library from Backup": "&Restore and Restart",
    "Cannot open the library": "&Restore from Backup…",
}


@dataclass
class User:
    """Answers what the app asks: the menu entry once the server runs (`from_menu`), the
    backup `archive` in the chooser, the buttons of ANSWERS; with `quit_after`, quits once it
    has read the message of that title."""

    archive: Path
    log: pytest.LogCaptureFixture
    from_menu: bool
    vanish: bool = False  # the backup is deleted once the question is answered
    quit_after: str = ""
    said: list[tuple[str, str]] = field(default_factory=list)
    serving: list[bool] = field(default_factory=list)  # was the server up, at each message
    asked_from: list[str] = field(default_factory=list)  # the chooser's folder, each time

    def step(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible():
                continue
            if isinstance(widget, QFileDialog):
                self.asked_from.append(widget.directory().absolutePath())
                type_and_open(widget, self.archive)
                return
            if isinstance(widget, QMessageBox):
                text = "\n\n".join(filter(None, (widget.text(), widget.informativeText())))
                self.said.append((widget.windowTitle(), text))
                self.serving.append("Sync server listening" in self.log.text)
                wanted = ANSWERS.get(widget.windowTitle())
                [button] = [
                    b
                    for b in widget.buttons()
                    if b.text() == wanted
                    or (wanted is None and b is widget.button(QMessageBox.StandardButton.Ok))
                ]
                button.click()
                if self.vanish and wanted == "&Restore and Restart":
                    self.archive.unlink()
                if widget.windowTitle() == self.quit_after:
                    os.kill(os.getpid(), signal.SIGTERM)  # as the tray's Quit
                return
        if self.from_menu and "Sync server listening" in self.log.text:
            self.from_menu = False
            [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            [entry] = [
                a for a in window.file_menu.actions() if a.text() == "&Restore Library from Backup…"
            ]
            entry.trigger()


@pytest.fixture(autouse=True)
def no_note_left() -> Iterator[None]:
    """The note a restore leaves for the app it restarts stays in this process (the restart
    is the test's): it goes with the test."""
    yield
    os.environ.pop(NOTE, None)


def run_answered(paths: Paths, user: User, monkeypatch) -> list[tuple[list[str], bool, list]]:
    """Run the app with `user` answering; what the restart was asked with: the command line,
    whether the library was free then, and the library's titles then."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    restarts: list[tuple[list[str], bool, list]] = []

    def reexec(command: list[str]) -> None:
        other = SingleInstance(paths.data_dir)
        free = other.acquire()
        other.release()
        restarts.append((command, free, titles(paths.db_file)))

    poll = QTimer()
    poll.timeout.connect(user.step)
    poll.start(20)
    # Should a step go wrong, the app is quit as by `kill`, and the asserts say what happened.
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: os.kill(os.getpid(), signal.SIGTERM))
    watchdog.start(60_000)
    try:
        run_gui(paths, reexec=reexec)
    finally:
        poll.stop()
        watchdog.stop()
    return restarts


def backed_up(data_dir: Path, archive: Path, *books: str) -> Path:
    """A backup at `archive` of a library in `data_dir` holding `books`."""
    other = resolve_paths(data_dir)
    open_database(other.db_file)
    for title in books:
        add_book(title)
    for key, value in LOOPBACK:
        set_setting(key, value)
    backup_library(other, archive)
    close_database()
    return archive


def test_a_backup_restored_from_the_menu_replaces_the_library_and_the_app_restarts(
    paths, tmp_path, caplog, monkeypatch
):
    open_database(paths.db_file)
    add_book("Dune")
    add_book("Emma")
    for key, value in LOOPBACK:
        set_setting(key, value)
    archive = backup_library(paths, tmp_path / "saved.zip").archive
    add_book("Added after the backup")
    close_database()
    caplog.set_level(logging.INFO)
    user = User(archive, caplog, from_menu=True)

    restarts = run_answered(paths, user, monkeypatch)

    [(title, question)] = user.said  # nothing more: the restart is not held up
    assert title == "Restore Library from Backup"
    assert "The backup saved.zip holds 2 books; the library here holds 3 books." in question
    [kept] = paths.data_dir.glob("library.sqlite3.before-restore-*.bak")
    assert f"kept, not deleted: as {kept.name}" in question
    # The server had stopped and the library was closed and free before the restore ran.
    log = caplog.text
    assert log.index("BookOrbit Desktop stopped") < log.index("Restored the library from")
    assert restarts == [([sys.executable, *sys.orig_argv[1:]], True, ["Dune", "Emma"])]
    assert titles(kept) == ["Added after the backup", "Dune", "Emma"]

    # The restarted app (the same process here, with the environment the restart hands on)
    # serves again, then says what was restored.
    caplog.clear()
    again = User(archive, caplog, from_menu=False, quit_after=RESTORED)
    assert run_answered(paths, again, monkeypatch) == []
    [(done, restored)] = again.said
    assert done == RESTORED
    assert again.serving == [True]
    assert restored.startswith("2 books and 0 covers were restored from the backup made on ")
    assert f"The library that was here is kept as {kept}." in restored
    assert restored.endswith("BookOrbit has started again with the restored library.")
    assert NOTE not in os.environ  # said once: a later restart says nothing


@pytest.mark.parametrize(
    ("left", "said"),
    [
        ('"2 books and 0 covers were restored."', "2 books and 0 covers were restored."),
        ("not json", None),
        ('["a list"]', None),
        ('""', None),
        (f'"{"x" * 4001}"', None),
    ],
)
def test_only_a_note_a_restore_leaves_is_said(left, said):
    environ = {NOTE: left, "HOME": "/home/ann"}
    assert note_left(environ) == said
    assert environ == {"HOME": "/home/ann"}


def test_an_app_started_in_the_tray_comes_back_with_its_window_after_a_restore(
    paths, tmp_path, caplog, monkeypatch
):
    archive = backed_up(tmp_path / "other", tmp_path / "saved.zip", "Dune", "Emma")
    open_database(paths.db_file)
    add_book("Piranesi")
    for key, value in LOOPBACK:
        set_setting(key, value)
    close_database()
    started = [sys.orig_argv[0], "-m", "bookorbit_desktop", "gui", "--hidden"]  # at login
    monkeypatch.setattr(sys, "orig_argv", started)
    caplog.set_level(logging.INFO)

    restarts = run_answered(paths, User(archive, caplog, from_menu=True), monkeypatch)

    shown = [sys.executable, "-m", "bookorbit_desktop", "gui"]
    assert restarts == [(shown, True, ["Dune", "Emma"])]


@pytest.mark.parametrize("found", ["at open", "once shown"])
def test_the_message_of_a_damaged_library_offers_a_restore(
    paths, tmp_path, caplog, monkeypatch, found
):
    archive = backed_up(tmp_path / "earlier", tmp_path / "good.zip", "Dune", "Emma")
    if found == "at open":  # not a database at all: refused before the window shows
        damaged = b"this is not a database, just some bytes " * 100
        paths.db_file.write_bytes(damaged)
    else:  # its header reads: refused by the check once the window has shown it
        damaged = scribbled(paths.db_file, settings=LOOPBACK)
    caplog.set_level(logging.INFO)
    user = User(archive, caplog, from_menu=False)

    restarts = run_answered(paths, user, monkeypatch)

    [(refused, _), (question_title, question)] = user.said
    assert refused == "Cannot open the library"
    assert question_title == "Restore Library from Backup"
    here = "cannot be read" if found == "at open" else "holds 1 book"  # its index is damaged
    assert f"The backup good.zip holds 2 books; the library here {here}." in question
    assert os.environ[NOTE]  # what was restored, for the restarted app to say
    assert restarts == [([sys.executable, *sys.orig_argv[1:]], True, ["Dune", "Emma"])]
    [kept] = paths.data_dir.glob("library.sqlite3.before-restore-*.bak")
    if found == "at open":
        assert kept.read_bytes() == damaged  # SQLite cannot copy it: kept as it was
    else:
        assert titles(kept) == ["Alpha"]  # SQLite's copy of it, its damage and all
    assert "Sync server listening" not in caplog.text  # the damaged library was never served


def test_a_restore_that_fails_leaves_the_library_in_place_says_why_and_starts_again(
    paths, tmp_path, caplog, monkeypatch
):
    open_database(paths.db_file)
    for title in ("Dune", "Emma"):
        add_book(title)
    for key, value in LOOPBACK:
        set_setting(key, value)
    archive = backup_library(paths, tmp_path / "saved.zip").archive
    close_database()
    caplog.set_level(logging.INFO)
    user = User(archive, caplog, from_menu=True, vanish=True)

    restarts = run_answered(paths, user, monkeypatch)

    [_, (title, text)] = user.said
    assert title == "Library not restored"
    assert text.startswith(f"{archive} does not exist or is not a file.")
    assert text.endswith("BookOrbit starts again with the library that was here.")
    assert restarts == [([sys.executable, *sys.orig_argv[1:]], True, ["Dune", "Emma"])]
    assert list(paths.data_dir.glob("*before-restore*")) == []


def test_the_message_after_a_restore_says_when_its_covers_could_not_follow(tmp_path):
    summary = RestoreSummary(
        books=2,
        covers=1,
        schema=1,
        created="2026-11-26T15:30:00+0100",
        kept_database=tmp_path / "library.sqlite3.before-restore-20261126-180000.bak",
        kept_covers=None,
        covers_problem="The backup's covers could not be moved in (Input/output error): each "
        "cover is made again from its book when it is shown.",
    )
    text = restored_text(summary)
    assert "2 books and 1 cover were restored" in text
    assert f"kept as {summary.kept_database}." in text
    assert f"\n\n{summary.covers_problem}\n\n" in text
    assert restored_text(replace(summary, covers_problem="")).count("\n\n") == 2


def test_the_message_after_a_restore_names_the_kept_library_once(tmp_path):
    kept_database = tmp_path / "library.sqlite3.before-restore-20261126-180000.bak"
    kept_covers = tmp_path / "covers.before-restore-20261126-180000"
    summary = RestoreSummary(2, 1, 1, "2026-11-26T15:30:00+0100", kept_database, kept_covers)
    text = restored_text(summary)
    assert text.count("The library that was here is kept as") == 1
    assert f"kept as {kept_database} (its covers as {kept_covers}).\n\n" in text
