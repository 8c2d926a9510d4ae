"""A data folder that cannot be used: the command line says why and exits with 2; the window
says why and lets the user choose another folder for the run, or quit. An empty --data-dir is
a mistake for both, never the default library. Real folders, the real dialog offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from bookorbit_desktop import app as desktop_app
from bookorbit_desktop.cli import main
from bookorbit_desktop.config import DATA_DIR_ENV
from bookorbit_desktop.ui.data_folder_dialog import DataFolderDialog
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


@pytest.fixture
def started(monkeypatch):
    """The paths the window was started with (the window itself is not built here)."""
    runs = []

    def run_gui(paths, start_hidden=False, **_kwargs):
        runs.append(paths)
        return 0

    monkeypatch.setattr(desktop_app, "run_gui", run_gui)
    return runs


def when_open(kind, act) -> None:
    """Run `act(widget)` once a modal window of `kind` is on screen."""

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            QTimer.singleShot(20, look)
            return
        act(widget)

    QTimer.singleShot(20, look)


def choose_in_chooser(dialog: DataFolderDialog, folder: str) -> None:
    """Click Choose Another Folder… and pick `folder` in the folder chooser it opens."""
    dialog.choose_button.click()
    (chooser,) = dialog.findChildren(QFileDialog)
    chooser.selectFile(folder)
    chooser.accept()


def test_a_file_in_place_of_the_data_folder_is_explained_and_another_is_chosen(
    qapp, tmp_path, capsys, started, small_screen
):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    other = tmp_path / "Other library"
    other.mkdir()
    seen = []

    def act(dialog: DataFolderDialog) -> None:
        seen.append(dialog.reason_label.text())
        assert dialog.quit_button.isVisible() and dialog.choose_button.isVisible()
        dialog.use_folder(str(blocked / "inside"))  # as the chooser would: no folder there
        seen.append(dialog.reason_label.text())
        choose_in_chooser(dialog, str(other))

    when_open(DataFolderDialog, act)
    assert main(["--data-dir", str(blocked), "gui"]) == 0
    assert seen[0].startswith(f"{blocked} is a file, not a folder.")
    assert seen[1].startswith(f"{blocked / 'inside'} cannot be written")  # still open
    (paths,) = started
    assert paths.data_dir == other and (other / "logs").is_dir()
    assert f"{blocked} is a file, not a folder" in capsys.readouterr().err


def test_quit_ends_with_2_and_nothing_runs(qapp, tmp_path, capsys, started, small_screen):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    when_open(DataFolderDialog, lambda dialog: dialog.quit_button.click())
    assert main(["--data-dir", str(blocked), "gui"]) == 2
    assert started == []
    assert "Data folder unusable" in capsys.readouterr().err


def test_the_command_line_says_why_in_one_line(tmp_path, capsys, started):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    assert main(["--data-dir", str(blocked), "books"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{blocked} is a file, not a folder" in err


@pytest.mark.parametrize("command", [["books"], ["gui"], []])
def test_an_empty_data_dir_is_an_error(qapp, tmp_path, monkeypatch, capsys, started, command):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    shown = []
    if command != ["books"]:  # the window says it too, then ends with 2
        when_open(QMessageBox, lambda box: (shown.append(box.text()), box.accept()))
    assert main(["--data-dir", "", *command]) == 2
    err = capsys.readouterr().err
    assert "--data-dir was given no folder" in err
    assert started == [] and not (tmp_path / "from-env").exists()
    if command != ["books"]:
        assert shown and "--data-dir was given no folder" in shown[0]
