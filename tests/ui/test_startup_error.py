"""When the app cannot start, a window says why (and the terminal and the log say it too)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop import app as desktop_app
from bookorbit_desktop.cli import main
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.startup_error import can_show
from tests.logging_support import restore_root_logger  # noqa: F401


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ""}, False),
        ({"DISPLAY": ":1"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ],
)
def test_a_window_is_only_tried_with_a_screen(environ, expected):
    assert can_show(environ) is expected


def close_the_error_window_when_it_opens(seen: list[tuple[str, str]]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, close)
            return
        seen.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(20, close)


def test_an_unexpected_failure_is_shown_printed_and_logged(qapp, tmp_path, monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the platform plugin is damaged")

    monkeypatch.setattr(desktop_app, "run_gui", broken)
    seen: list[tuple[str, str]] = []
    close_the_error_window_when_it_opens(seen)
    assert main(["--data-dir", str(tmp_path), "gui"]) == 1

    ((title, text),) = seen
    assert title == "BookOrbit Desktop could not start"
    assert "RuntimeError: the platform plugin is damaged" in text
    assert str(tmp_path / "logs") in text
    err = capsys.readouterr().err
    assert "could not start: RuntimeError: the platform plugin is damaged" in err
    assert "Traceback" not in err
    log = (tmp_path / "logs" / "bookorbit-desktop.log").read_text()
    assert "Traceback" in log and "the platform plugin is damaged" in log


def test_a_known_error_is_shown_with_its_title(qapp, tmp_path, monkeypatch, capsys):
    def refused(*_args, **_kwargs):
        raise BookOrbitError("The library folder is read-only.", title="Cannot open the library")

    monkeypatch.setattr(desktop_app, "run_gui", refused)
    seen: list[tuple[str, str]] = []
    close_the_error_window_when_it_opens(seen)
    assert main(["--data-dir", str(tmp_path), "gui"]) == 2
    assert seen == [("Cannot open the library", "The library folder is read-only.")]
    assert "Cannot open the library: The library folder is read-only." in capsys.readouterr().err
