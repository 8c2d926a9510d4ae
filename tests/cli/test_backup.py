"""`backup` and `restore` through the real command line, and the guard against a running app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.ui.single_instance import SingleInstance
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


@pytest.fixture
def imported(tmp_path) -> Path:
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    data = tmp_path / "data"
    assert run(data, "import", str(tmp_path / "books")) == 0
    return data


def test_backup_then_restore_on_another_library(imported, tmp_path, capsys):
    capsys.readouterr()
    assert run(imported, "backup", str(tmp_path / "b.zip")) == 0
    out = capsys.readouterr().out
    assert f"Backed up 2 books and 0 covers to {tmp_path / 'b.zip'}" in out

    other = tmp_path / "other"
    assert run(other, "restore", str(tmp_path / "b.zip")) == 0
    out = capsys.readouterr().out
    assert "Restored 2 books and 0 covers from the backup made" in out
    assert "kept as" not in out  # there was no library to keep
    assert run(other, "books") == 0
    listed = capsys.readouterr().out
    assert "Dune" in listed and "Emma" in listed


def test_restore_says_where_the_replaced_library_is(imported, tmp_path, capsys):
    assert run(imported, "backup", str(tmp_path / "b.zip")) == 0
    capsys.readouterr()
    assert run(imported, "restore", str(tmp_path / "b.zip")) == 0
    out = capsys.readouterr().out
    kept = next(imported.glob("library.sqlite3.before-restore-*.bak"))
    assert f"kept as {kept}" in out


def test_restore_is_refused_while_the_app_runs_with_the_library(imported, tmp_path, qapp, capsys):
    assert run(imported, "backup", str(tmp_path / "b.zip")) == 0
    app = SingleInstance(imported)  # the desktop app's own lock
    assert app.acquire()
    try:
        before = (imported / "library.sqlite3").read_bytes()
        capsys.readouterr()
        assert run(imported, "restore", str(tmp_path / "b.zip")) == 2
        err = capsys.readouterr().err
        assert "Library in use: The library in" in err
        assert f"is in use by `window` (pid {os.getpid()})" in err
        assert (imported / "library.sqlite3").read_bytes() == before
        assert not list(imported.glob("*before-restore*"))
    finally:
        app.release()
        app.deleteLater()
    del app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("backup", "{tmp}/no-folder/b.zip"), "Backup failed: The folder"),
        (("restore", "{tmp}/missing.zip"), "Restore refused:"),
    ],
)
def test_failures_are_one_line_and_exit_2(imported, tmp_path, capsys, args, message):
    capsys.readouterr()
    filled = [part.format(tmp=tmp_path) for part in args]
    assert run(imported, *filled) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_backup_runs_as_a_separate_process(imported, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(imported), "backup", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    (archive,) = tmp_path.glob("bookorbit-backup-*.zip")
    assert archive.name in result.stdout
