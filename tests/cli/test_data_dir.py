"""`--data-dir` that cannot hold a library: one clear line and exit status 2, for a command and
for the desktop app's start without a screen, through the real entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_data_dir_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "library.txt"
    target.write_text("not a folder")
    assert main(["--data-dir", str(target), "books"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(target) in err
    assert "is a file, not a folder" in err
    assert "Traceback" not in err


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="permissions: POSIX, not as root"
)
def test_data_dir_in_an_unwritable_folder(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["--data-dir", str(locked / "data"), "books"]) == 2
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "cannot be written" in err
    assert str(locked / "data") in err


def test_app_start_without_a_screen_with_a_file_as_data_dir(tmp_path):
    """With a screen, a window says why and offers another folder (tests/ui)."""
    target = tmp_path / "library.txt"
    target.write_text("not a folder")
    screens = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {key: value for key, value in os.environ.items() if key not in screens}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(target), "gui"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is a file, not a folder" in result.stderr


def test_data_dir_under_a_file(tmp_path, capsys):
    """A folder that cannot be made (its parent is a file), whoever runs the command."""
    parent = tmp_path / "notes.txt"
    parent.write_text("a file")
    assert main(["--data-dir", str(parent / "data"), "books"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{parent / 'data'} cannot be written" in err
