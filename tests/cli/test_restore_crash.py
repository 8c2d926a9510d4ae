"""A restore killed at any moment leaves one whole library in place, and a start that finds only
what an interrupted restore left refuses loudly instead of making an empty library."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.server.hostile.test_data_folder import cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

KILLS = 8
PADDING_BYTES = 24 * 1024 * 1024  # makes a restore last long enough to be killed inside


def mark(data_dir: Path, value: str) -> None:
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_setting("marker", value)
    close_database()


def marker(db_file: Path) -> str:
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (value,) = db.execute("SELECT value FROM setting WHERE key = 'marker'").fetchone()
    finally:
        db.close()
    return json.loads(value)


def restore_command(data_dir: Path, archive: Path) -> list[str]:
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    return [*command, "--data-dir", str(data_dir), "restore", str(archive)]


@pytest.fixture
def prepared(tmp_path) -> tuple[Path, Path, float]:
    """A library marked "live" and a backup of it marked "backup", with the seconds a whole
    restore takes."""
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_setting("padding", os.urandom(PADDING_BYTES // 2).hex())
    close_database()
    mark(data_dir, "backup")
    archive = tmp_path / "b.zip"
    assert cli(data_dir, "backup", str(archive)).returncode == 0
    mark(data_dir, "live")
    started = time.monotonic()
    assert cli(data_dir / ".." / "timing", "restore", str(archive)).returncode == 0
    return data_dir, archive, time.monotonic() - started


def test_a_restore_killed_at_any_moment_leaves_a_whole_library(prepared):
    data_dir, archive, seconds = prepared
    db_file = resolve_paths(data_dir).db_file
    seen = set()
    for attempt in range(KILLS):
        process = subprocess.Popen(restore_command(data_dir, archive), stderr=subprocess.PIPE)
        time.sleep(seconds * (0.4 + 0.7 * attempt / (KILLS - 1)))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert db_file.exists(), f"no library after a kill at attempt {attempt}"
        seen.add(marker(db_file))
        books = cli(data_dir, "books")
        assert books.returncode == 0, books.stderr
    assert seen <= {"live", "backup"}
    assert cli(data_dir, "restore", str(archive)).returncode == 0  # finishing is one command
    assert marker(db_file) == "backup"
    assert not list(data_dir.glob(".restore-*"))  # scratch folders of killed runs are gone


@pytest.mark.parametrize("leftover", ["restored copy", "kept copy"])
def test_a_start_without_a_library_but_with_leftovers_refuses_and_says_how(tmp_path, leftover):
    data_dir = tmp_path / "data"
    mark(data_dir, "live")
    db_file = resolve_paths(data_dir).db_file
    if leftover == "restored copy":  # what a crash between delete and rename used to leave
        scratch = data_dir / ".restore-abc123"
        scratch.mkdir()
        target = scratch / db_file.name
        hint = "but an interrupted restore left the restored library at"
    else:
        target = db_file.with_name(f"{db_file.name}.before-restore-20260101-000000.bak")
        hint = "but a copy of one is beside it"
    shutil.move(db_file, target)
    for args in (("books",), ("serve", "--host", "127.0.0.1", "--port", "0")):
        result = cli(data_dir, *args)
        assert result.returncode == 2
        assert f"There is no library file at {db_file}, {hint}" in result.stderr
        assert str(target) in result.stderr
        assert "Traceback" not in result.stderr
        assert not db_file.exists()  # nothing empty made in its place
    shutil.move(target, db_file)  # what the message says to do
    assert cli(data_dir, "books").returncode == 0
    assert marker(db_file) == "live"
