"""Every "open" action says where it meant to go when no browser or file manager answers."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.ui.opening import CouldNotOpen, open_or_show
from tests.ui.assembled import bare_window


def refuses(url: QUrl) -> bool:
    return False


def test_an_opened_address_shows_nothing(qtbot):
    opened: list[QUrl] = []

    def opens(url: QUrl) -> bool:
        opened.append(url)
        return True

    assert open_or_show(None, QUrl("https://hardcover.app"), opens) is None  # type: ignore[arg-type]
    assert opened == [QUrl("https://hardcover.app")]


def test_an_address_nothing_opens_is_shown_to_copy(qtbot):
    dialog = open_or_show(None, QUrl("https://hardcover.app/books/dune"), refuses)  # type: ignore[arg-type]
    assert isinstance(dialog, CouldNotOpen)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.windowTitle() == "Could Not Open Page"
    assert dialog.address.text() == "https://hardcover.app/books/dune"
    assert dialog.address.isReadOnly()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "https://hardcover.app/books/dune"
    assert dialog.copy_button.text() == "Copied ✓"


def test_the_log_and_data_folders_are_shown_when_no_file_manager_answers(library, qtbot, tmp_path):
    logs = tmp_path / "logs"
    window = bare_window(qtbot, library, tmp_path, log_dir=logs)
    window.opener = refuses
    shown = window.open_log_folder()
    assert isinstance(shown, CouldNotOpen)
    assert shown.windowTitle() == "Could Not Open Folder"
    assert shown.address.text() == str(logs)
    data = window.open_data_folder()
    assert isinstance(data, CouldNotOpen) and data.address.text() == str(tmp_path)
    window.opener = lambda url: True
    assert window.open_log_folder() is None
