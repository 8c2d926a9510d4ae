"""Opening a book in the whole desktop app at 1366x768 (its real window, table, grid and context
menus, a real library and real files): double-click and Enter open the preferred file, Open
With lists the book's files, Show in Folder (the folder's path to copy when nothing opens it)
and Copy Path, and a missing file is named in a message. The launcher is a recorder: nothing
is started."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.ui.library.open_actions import Launcher
from bookorbit_desktop.ui.opening import CouldNotOpen
from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (the fixture)


@dataclass
class Recorder:
    """What the window asked the system to do; `answers` says whether each succeeds."""

    opened: list[str] = field(default_factory=list)
    started: list[tuple[str, list[str]]] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    answers: bool = True
    file_manager: bool = True

    def launcher(self, platform: str) -> Launcher:
        return Launcher(self._open, self._start, self._show, platform)

    def _open(self, url: QUrl) -> bool:
        self.opened.append(url.toLocalFile())
        return self.answers

    def _start(self, program: str, arguments: list[str]) -> bool:
        self.started.append((program, arguments))
        return self.answers

    def _show(self, path: str) -> bool:
        self.shown.append(path)
        return self.file_manager


def _add_file(book, path: Path) -> None:
    BookFile.create(
        book=book, path=str(path), format=path.suffix.lstrip("."), size=1, mtime=0.0,
        partial_md5="0", added_at=0.0,
    )  # fmt: skip


@pytest.fixture
def shelf(desktop, tmp_path):  # noqa: F811
    """Dune as a PDF and an EPUB (the PDF added first); the window at 1366x768."""
    show_all(desktop, start_hidden=False)
    desktop.window.resize(1366, 768)
    pdf, epub = tmp_path / "Dune.pdf", tmp_path / "Dune.epub"
    pdf.write_bytes(b"%PDF")
    epub.write_bytes(b"PK")
    dune = add_book("Dune", ["Frank Herbert"], file=pdf)
    _add_file(dune, epub)
    desktop.controller.refresh()
    return dune, pdf, epub


def _recording(desktop, platform: str = "linux") -> Recorder:  # noqa: F811
    recorder = Recorder()
    desktop.book_actions.opening.launcher = recorder.launcher(platform)
    return recorder


def test_a_double_click_opens_the_epub(desktop, shelf, qtbot):  # noqa: F811
    dune, _pdf, epub = shelf
    recorder = _recording(desktop)
    view = desktop.window.library_view
    table = view.table
    rect = table.visualRect(view.model.index(view.model.row_of(dune.id), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert recorder.opened == [str(epub)]


def test_enter_opens_the_book_in_the_table_and_the_grid(desktop, shelf, qtbot):  # noqa: F811
    dune, _pdf, epub = shelf
    recorder = _recording(desktop)
    view = desktop.window.library_view
    assert view.select_book(dune.id)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    view.show_grid(True)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert recorder.opened == [str(epub), str(epub)]


def test_the_context_menu_starts_with_the_open_actions(desktop, shelf):  # noqa: F811
    table = desktop.window.library_view.table
    texts = [action.text() for action in table.actions()]
    assert texts[:5] == ["&Open", "Open &With", "Show in &Folder", "Copy &Path", ""]
    assert "&Edit Metadata…" in texts[5:]


@pytest.mark.parametrize(("platform", "chooser"), [("linux", False), ("win32", True)])
def test_open_with_lists_the_books_files(desktop, shelf, platform, chooser):  # noqa: F811
    dune, pdf, epub = shelf
    recorder = _recording(desktop, platform)
    assert desktop.window.library_view.select_book(dune.id)
    opening = desktop.book_actions.opening
    opening.open_with_menu.aboutToShow.emit()
    actions = [a for a in opening.open_with_menu.actions() if not a.isSeparator()]
    texts = [action.text() for action in actions]
    assert texts[:2] == ["EPUB — Dune.epub", "PDF — Dune.pdf"]
    assert (texts[2:] == ["&Choose Application…"]) is chooser
    actions[1].trigger()
    assert recorder.opened == [str(pdf)]
    if chooser:
        actions[2].trigger()
        assert recorder.started == [("rundll32.exe", ["shell32.dll,OpenAs_RunDLL", str(epub)])]


@pytest.mark.parametrize(
    ("platform", "file_manager", "started", "shown", "opened"),
    [
        ("win32", True, [("explorer", ["/select,{epub}"])], [], []),
        ("darwin", True, [("open", ["-R", "{epub}"])], [], []),
        ("linux", True, [], ["{epub}"], []),  # the file manager's ShowItems
        ("linux", False, [], ["{epub}"], ["{folder}"]),  # none answers: the folder opened
    ],
)
def test_show_in_folder(desktop, shelf, platform, file_manager, started, shown, opened):  # noqa: F811
    dune, _pdf, epub = shelf
    recorder = _recording(desktop, platform)
    recorder.file_manager = file_manager
    names = {"epub": str(epub), "folder": str(epub.parent)}
    assert desktop.window.library_view.select_book(dune.id)
    desktop.book_actions.opening.show_action.trigger()
    assert recorder.started == [(p, [a.format(**names) for a in args]) for p, args in started]
    assert recorder.shown == [s.format(**names) for s in shown]
    assert recorder.opened == [o.format(**names) for o in opened]


def test_copy_path_puts_the_epubs_path_on_the_clipboard(desktop, shelf):  # noqa: F811
    dune, _pdf, epub = shelf
    assert desktop.window.library_view.select_book(dune.id)
    desktop.book_actions.opening.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == str(epub)


def test_a_missing_file_is_named_and_nothing_opens(desktop, shelf):  # noqa: F811
    dune, pdf, epub = shelf
    recorder = _recording(desktop)
    pdf.unlink()
    epub.unlink()
    opening = desktop.book_actions.opening
    opening.open_book(dune.id)
    opening.show_in_folder(dune.id)
    assert recorder.opened == recorder.started == recorder.shown == []
    box = opening.box
    assert box is not None and box.windowTitle() == "File Not Found"
    assert str(epub) in box.text() and "connect it and try again" in box.text()


def test_a_book_without_an_application_says_so(desktop, shelf):  # noqa: F811
    dune, _pdf, _epub = shelf
    recorder = _recording(desktop)
    recorder.answers = False
    desktop.book_actions.opening.open_book(dune.id)
    box = desktop.book_actions.opening.box
    assert isinstance(box, QMessageBox) and box.windowTitle() == "Could Not Open"
    assert "no application that opens EPUB files" in box.text()


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_show_in_folder_shows_the_path_when_nothing_opens(desktop, shelf, platform):  # noqa: F811
    dune, _pdf, epub = shelf
    recorder = _recording(desktop, platform)
    recorder.answers = recorder.file_manager = False  # no program starts, no desktop opener
    assert desktop.window.library_view.select_book(dune.id)
    opening = desktop.book_actions.opening
    opening.show_action.trigger()
    assert recorder.opened == [str(epub.parent)]  # the last try, which failed too
    dialog = opening.could_not_open
    assert isinstance(dialog, CouldNotOpen) and dialog.isVisible()
    assert dialog.windowTitle() == "Could Not Open Folder"
    assert dialog.address.text() == str(epub.parent)  # to copy and open by hand
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(epub.parent)
