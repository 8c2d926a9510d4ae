"""The data folder is private, and a damaged library is never replaced by an empty one."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book, make_epub
from tests.server.hostile.support import exchange, http_request, prepare_library, serving

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    return subprocess.run(
        [*command, "--data-dir", str(data_dir), *args], capture_output=True, text=True, timeout=60
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.asyncio
async def test_folders_are_0700_and_files_0600_even_when_they_were_open(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    paths = resolve_paths(data_dir)
    for folder in (paths.data_dir, paths.log_dir):
        folder.chmod(0o755)
    paths.db_file.chmod(0o644)
    with serving(data_dir) as served:
        status, _body, _seconds = await exchange(
            served.port, http_request("GET", "/kosync/healthcheck")
        )
        files = [paths.db_file, *paths.data_dir.glob("library.sqlite3-*"), served.log_file]
        modes = {path.name: mode(path) for path in files}
        folders = {
            path.name: mode(path) for path in (paths.data_dir, paths.log_dir, paths.cache_dir)
        }
    assert status == 200
    assert set(folders.values()) == {0o700}, folders
    assert set(modes.values()) == {0o600}, modes


def test_an_emptied_library_is_refused_with_the_backup_to_restore(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    db_file = resolve_paths(data_dir).db_file
    backup = db_file.with_name(f"{db_file.name}.v1-20260101-000000.bak")
    shutil.copy(db_file, backup)
    db_file.write_bytes(b"")
    result = cli(data_dir, "serve", "--host", "127.0.0.1", "--port", "0")
    assert result.returncode == 2
    assert "is empty (0 bytes)" in result.stderr and str(backup) in result.stderr
    assert db_file.stat().st_size == 0  # left as it was, not replaced by a new library


def test_a_damaged_library_is_refused_after_a_quick_check(tmp_path):
    """A command that changes the library checks the whole file first and refuses it; one that
    only reads answers from the pages it reads (here an empty listing) and writes nothing."""
    data_dir = prepare_library(tmp_path / "data")
    db_file = resolve_paths(data_dir).db_file
    open_database(db_file)
    database.execute_sql("CREATE TABLE filler (x TEXT)")
    database.connection().executemany(
        "INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(2000)]
    )
    database.execute_sql("CREATE INDEX filler_x ON filler (x)")
    close_database()
    before = db_file.read_bytes()
    damaged = bytearray(before)
    page = 4096
    for offset in range(len(damaged) - 20 * page, len(damaged) - 2 * page, 7):
        damaged[offset] = 0xA5  # scribble over index pages near the end
    db_file.write_bytes(bytes(damaged))
    assert cli(data_dir, "books").returncode == 0
    result = cli(data_dir, "serve", "--host", "127.0.0.1", "--port", "0")
    assert result.returncode == 2, result.stdout
    assert "Cannot open the library" in result.stderr
    assert "There is no backup beside it" in result.stderr or "damaged" in result.stderr
    assert db_file.read_bytes() == bytes(damaged)


def test_a_damaged_book_table_is_one_line_naming_the_file_and_the_last_copy(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    db_file = resolve_paths(data_dir).db_file
    backup = db_file.with_name(f"{db_file.name}.v1-20260101-000000.bak")
    open_database(db_file)
    add_book("Dune")  # so that listing the books reads the book table
    close_database()
    shutil.copy(db_file, backup)
    probe = sqlite3.connect(db_file)
    page_size = probe.execute("PRAGMA page_size").fetchone()[0]
    (root,) = probe.execute("SELECT rootpage FROM sqlite_master WHERE name = 'book'").fetchone()
    probe.close()
    with db_file.open("r+b") as handle:  # the table's root page: garbage
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\xff" * (page_size // 2))
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    for args in (("books",), ("serve", "--port", "0"), ("import", str(tmp_path / "books"))):
        result = cli(data_dir, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert f"The library file {db_file}" in result.stderr
        assert f"The newest copy beside it is {backup}" in result.stderr
