"""Backups are consistent copies taken while the library is in use; a restore checks everything
before it changes anything and keeps the library it replaces."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import backup as backups
from bookorbit_desktop.library.store.backup import BackupError, backup_library
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.migrations import SCHEMA_VERSION
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.queries import list_books
from bookorbit_desktop.library.store.restore import (
    RestoreError,
    RestoreSummary,
    check_backup,
    covers_kept,
    kept_names,
    library_books,
    restore_library,
)
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from tests.factories import add_book, make_epub
from tests.sql_functions import as_the_app


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256: 'unchanged' means this stays equal."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    }


def titles(db_file: Path) -> list[str]:
    db = sqlite3.connect(db_file)
    try:
        return [row[0] for row in db.execute("SELECT title FROM book ORDER BY title")]
    finally:
        db.close()


@pytest.fixture
def filled(library):
    """A library with two books, a reading state, a setting and one cover on disk."""
    dune = add_book("Dune", ["Frank Herbert"], status="reading")
    add_book("Piranesi", ["Susanna Clarke"])
    update_reading_state(dune.id, progress=0.42)
    set_setting("server.port", 9123)
    cover = library.covers_dir / f"{dune.id}.jpg"
    cover.write_bytes(b"\xff\xd8\xff\xe0 a jpeg cover")
    Book.update(cover_path=f"covers/{dune.id}.jpg").where(Book.id == dune.id).execute()
    return library


def test_a_backup_restores_books_reading_state_settings_and_covers(filled, tmp_path):
    summary = backup_library(filled, tmp_path / "library.zip")
    assert (summary.books, summary.covers, summary.missing_covers) == (2, 1, 0)
    assert summary.schema == SCHEMA_VERSION
    close_database()

    elsewhere = resolve_paths(tmp_path / "other-computer")
    restored = restore_library(elsewhere, summary.archive)
    assert (restored.books, restored.covers) == (2, 1)
    assert restored.kept_database is None and restored.kept_covers is None

    open_database(elsewhere.db_file)
    books = {book["title"]: book for book in list_books()}
    assert books["Dune"]["reading"]["progress"] == pytest.approx(0.42)
    assert books["Dune"]["reading"]["status"] == "reading"
    assert get_setting("server.port") == 9123
    cover = elsewhere.data_dir / "covers" / f"{books['Dune']['id']}.jpg"
    assert cover.read_bytes() == b"\xff\xd8\xff\xe0 a jpeg cover"


def test_a_backup_holds_committed_work_only_while_a_writer_is_busy(filled, tmp_path):
    """Committed rows still in the WAL are in the copy; an open transaction's rows are not."""
    writer = sqlite3.connect(filled.db_file, isolation_level=None)
    as_the_app(writer)  # as the app's own
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(
            "INSERT INTO book (title, sort_title, identifiers, added_at, updated_at) "
            "VALUES ('Committed', 'committed', '{}', 0, 0)"
        )
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO book (title, sort_title, identifiers, added_at, updated_at) "
            "VALUES ('Uncommitted', 'uncommitted', '{}', 0, 0)"
        )
        summary = backup_library(filled, tmp_path / "busy.zip")
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert summary.books == 3
    with zipfile.ZipFile(summary.archive) as archive:
        archive.extract("library.sqlite3", tmp_path / "out")
    assert titles(tmp_path / "out" / "library.sqlite3") == ["Committed", "Dune", "Piranesi"]


def test_a_folder_gets_a_dated_file_and_a_missing_cover_is_counted(filled, tmp_path):
    Book.update(cover_path="covers/gone.jpg").where(Book.title == "Piranesi").execute()
    folder = tmp_path / "backups"
    folder.mkdir()
    summary = backup_library(filled, folder)
    assert summary.archive.parent == folder
    assert summary.archive.name.startswith("bookorbit-backup-")
    assert summary.archive.suffix == ".zip"
    assert (summary.covers, summary.missing_covers) == (1, 1)
    manifest = json.loads(zipfile.ZipFile(summary.archive).read(backups.MANIFEST))
    assert manifest["books"] == 2 and manifest["format"] == backups.FORMAT


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("existing.zip", "already exists"),
        ("no-such-folder/backup.zip", "does not exist"),
    ],
)
def test_a_backup_never_overwrites_or_guesses(filled, tmp_path, target, message):
    (tmp_path / "existing.zip").write_bytes(b"keep me")
    with pytest.raises(BackupError, match=message):
        backup_library(filled, tmp_path / target)
    assert (tmp_path / "existing.zip").read_bytes() == b"keep me"
    assert not list(tmp_path.glob(".*.partial"))


def test_a_backup_replaces_an_earlier_backup_only_when_asked_and_only_once_complete(
    filled, tmp_path, monkeypatch
):
    target = tmp_path / "weekly.zip"
    backup_library(filled, target)
    add_book("Emma", ["Jane Austen"])
    earlier = target.read_bytes()

    def broken(*_args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as full:
        full.setattr(backups.zipfile.ZipFile, "writestr", broken)
        with pytest.raises(BackupError, match="No space left on device"):
            backup_library(filled, target, replace=True)
    assert target.read_bytes() == earlier  # the earlier backup stays whole
    summary = backup_library(filled, target, replace=True)
    assert summary.books == 3 and target.read_bytes() != earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "weekly.zip"]


@pytest.mark.parametrize("other", ["notes.zip", "notes.txt"])
def test_a_file_that_is_not_a_backup_is_never_replaced(filled, tmp_path, other):
    target = tmp_path / other
    if other.endswith(".zip"):
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("notes.txt", "a zip of the user's own")
    else:
        target.write_text("the user's own notes")
    before = target.read_bytes()
    with pytest.raises(BackupError, match="is not a BookOrbit backup, so it was not replaced"):
        backup_library(filled, target, replace=True)
    assert target.read_bytes() == before
    assert not list(tmp_path.rglob(".*.partial"))


def test_a_failed_backup_leaves_no_half_written_file(filled, tmp_path, monkeypatch):
    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups.zipfile.ZipFile, "writestr", broken)
    with pytest.raises(BackupError, match="No space left on device"):
        backup_library(filled, tmp_path / "full.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_there_is_nothing_to_back_up_without_a_library(tmp_path):
    empty = resolve_paths(tmp_path / "empty")
    with pytest.raises(BackupError, match="no library"):
        backup_library(empty, tmp_path / "x.zip")


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with `change(name, data)` applied to every member."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info)):
                out.writestr(name, data)
    return target


def _newer_schema(name: str, data: bytes, scratch: Path) -> list[tuple[str, bytes]]:
    if name != "library.sqlite3":
        return [(name, data)]
    scratch.write_bytes(data)
    db = sqlite3.connect(scratch)
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    return [(name, scratch.read_bytes())]


def _with_checksum_of_changed_db(name, data, scratch):
    """A newer-schema database with a manifest that matches it (so only the schema refuses)."""
    changed = _newer_schema(name, data, scratch)
    if name == backups.MANIFEST:
        manifest = json.loads(data)
        manifest["database_sha256"] = hashlib.sha256(scratch.read_bytes()).hexdigest()
        return [(name, json.dumps(manifest).encode())]
    return changed


BROKEN_ARCHIVES = {
    "no manifest": (lambda n, d, s: [] if n == backups.MANIFEST else [(n, d)], "no bookorbit"),
    "unknown format": (
        lambda n, d, s: [(n, b'{"format": 99}' if n == backups.MANIFEST else d)],
        "does not understand",
    ),
    "damaged manifest": (
        lambda n, d, s: [(n, b"{not json" if n == backups.MANIFEST else d)],
        "manifest .* is damaged",
    ),
    "no database": (lambda n, d, s: [] if n == "library.sqlite3" else [(n, d)], "no library"),
    "database changed": (
        lambda n, d, s: [(n, d + b"x" if n == "library.sqlite3" else d)],
        "checksum does not match",
    ),
    "path outside covers": (
        lambda n, d, s: [(n, d)] + ([("../evil.sh", b"rm -rf")] if n == "library.sqlite3" else []),
        "unexpected file",
    ),
    "newer schema": (_with_checksum_of_changed_db, "newer BookOrbit"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_ARCHIVES))
def test_a_bad_backup_is_refused_and_the_library_is_untouched(filled, tmp_path, case):
    change, message = BROKEN_ARCHIVES[case]
    good = backup_library(filled, tmp_path / "good.zip").archive
    close_database()
    before = fingerprint(filled.data_dir)
    scratch = tmp_path / "scratch.sqlite3"
    bad = _rewrite(good, tmp_path / "bad.zip", lambda n, d: change(n, d, scratch))
    for refuse in (check_backup, lambda source: restore_library(filled, source)):
        with pytest.raises(RestoreError, match=f"(?i){message}"):
            refuse(bad)
    assert fingerprint(filled.data_dir) == before
    assert not (tmp_path / "evil.sh").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), (b"PK\x03\x04 not really", "not a BookOrbit backup")],
)
def test_a_missing_or_foreign_file_is_refused(filled, tmp_path, content, message):
    source = tmp_path / "given.zip"
    if content is not None:
        source.write_bytes(content)
    close_database()
    before = fingerprint(filled.data_dir)
    for refuse in (check_backup, lambda source: restore_library(filled, source)):
        with pytest.raises(RestoreError, match=message):
            refuse(source)
    assert fingerprint(filled.data_dir) == before


def test_a_truncated_backup_is_refused(filled, tmp_path):
    good = backup_library(filled, tmp_path / "good.zip").archive
    close_database()
    before = fingerprint(filled.data_dir)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    for refuse in (check_backup, lambda source: restore_library(filled, source)):
        with pytest.raises(RestoreError):
            refuse(cut)
    assert fingerprint(filled.data_dir) == before


def test_a_damaged_cover_is_found_by_the_check_before_anything_changes(filled, tmp_path):
    """The check reads every member to its end: a cover whose bytes changed on the disk (its
    zip checksum no longer matches) refuses the backup, though the check writes no cover."""
    good = backup_library(filled, tmp_path / "good.zip").archive
    close_database()
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        cover = next(i for i in archive.infolist() if i.filename.startswith("covers/"))
    start = cover.header_offset + 30 + len(cover.filename.encode()) + len(cover.extra)
    data[start + cover.compress_size // 2] ^= 0xFF  # stored uncompressed: one byte flipped
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    before = fingerprint(filled.data_dir)
    for refuse in (check_backup, lambda source: restore_library(filled, source)):
        with pytest.raises(RestoreError, match="cannot be read completely"):
            refuse(damaged)
    assert fingerprint(filled.data_dir) == before


def test_the_check_says_what_a_backup_holds_and_the_restore_keeps_the_named_files(filled, tmp_path):
    archive = backup_library(filled, tmp_path / "good.zip").archive
    add_book("Added after the backup", ["Someone"])
    facts = check_backup(archive)
    assert (facts.books, facts.covers, facts.schema) == (2, 1, SCHEMA_VERSION)
    assert facts.created.startswith(time.strftime("%Y-%m-%dT"))
    assert library_books(filled.db_file) == 3
    close_database()
    kept = kept_names(filled, "20261126-180000")  # as the question names them, before
    summary = restore_library(filled, archive, stamp="20261126-180000")
    assert (summary.kept_database, summary.kept_covers) == kept
    assert summary.kept_database.name == "library.sqlite3.before-restore-20261126-180000.bak"
    assert library_books(filled.db_file) == 2


KEPT_DB = Path("/data/library.sqlite3.before-restore-20261126-180000.bak")
KEPT_COVERS = Path("/data/covers.before-restore-20261126-180000")


@pytest.mark.parametrize(
    ("database", "covers", "said"),
    [
        (
            KEPT_DB,
            KEPT_COVERS,
            f"The library that was here is kept as {KEPT_DB} (its covers as {KEPT_COVERS}).",
        ),
        (KEPT_DB, None, f"The library that was here is kept as {KEPT_DB}."),
        (None, KEPT_COVERS, f"The covers that were here are kept as {KEPT_COVERS}."),
        (None, None, ""),
    ],
)
def test_where_the_replaced_library_is_kept_is_one_sentence(database, covers, said):
    summary = RestoreSummary(2, 1, SCHEMA_VERSION, "", database, covers)
    assert summary.kept() == said


@pytest.mark.parametrize("cover", [None, b"\xff\xd8\xff\xe0 a cover"])
def test_covers_kept_says_whether_the_restore_keeps_the_covers_folder(filled, tmp_path, cover):
    archive = backup_library(filled, tmp_path / "good.zip").archive
    close_database()
    shutil.rmtree(filled.covers_dir)
    filled.covers_dir.mkdir()  # a folder there, empty or with one cover
    if cover is not None:
        (filled.covers_dir / "7.jpg").write_bytes(cover)
    promised = covers_kept(filled)
    summary = restore_library(filled, archive)
    assert promised is (cover is not None)
    assert (summary.kept_covers is not None) is promised


def test_a_library_that_cannot_be_read_has_no_book_count(tmp_path):
    paths = resolve_paths(tmp_path / "data")
    assert library_books(paths.db_file) is None  # no library yet
    paths.data_dir.mkdir(parents=True)
    paths.db_file.write_bytes(b"SQLite format 3\x00" + b"\x17" * 5000)
    assert library_books(paths.db_file) is None


def test_restoring_over_a_library_keeps_the_old_one_beside_it(filled, tmp_path):
    old = backup_library(filled, tmp_path / "old.zip").archive
    add_book("Added after the backup", ["Someone"])
    close_database()
    old_cover = next((filled.covers_dir).iterdir()).read_bytes()

    summary = restore_library(filled, old)
    assert summary.kept_database is not None and summary.kept_covers is not None
    assert "Added after the backup" in titles(summary.kept_database)
    assert next(summary.kept_covers.iterdir()).read_bytes() == old_cover
    assert titles(filled.db_file) == ["Dune", "Piranesi"]
    assert not Path(f"{filled.db_file}-wal").exists()
    open_database(filled.db_file)  # the restored file opens and migrates like any other
    assert len(list_books()) == 2


def test_moving_to_another_computer_keeps_reading_state_for_moved_files(library, tmp_path):
    """Restore on the new computer, import the books from where they are now: same books."""
    make_epub(tmp_path / "old-home" / "dune.epub", "Dune", ["Frank Herbert"])
    assert import_paths([tmp_path / "old-home"], library).imported == 1
    (book,) = list_books()
    update_reading_state(book["id"], status="reading", progress=0.6)
    archive = backup_library(library, tmp_path / "move.zip").archive
    close_database()

    new = resolve_paths(tmp_path / "new-computer")
    restore_library(new, archive)
    (tmp_path / "new-home").mkdir()
    (tmp_path / "old-home" / "dune.epub").rename(tmp_path / "new-home" / "dune.epub")
    open_database(new.db_file)
    import_paths([tmp_path / "new-home"], new)
    (moved,) = list_books()
    assert moved["id"] == book["id"]
    assert moved["reading"]["status"] == "reading"
    assert moved["reading"]["progress"] == pytest.approx(0.6)


def test_a_damaged_library_is_replaced_and_kept_byte_for_byte(filled, tmp_path):
    """Restoring is what people do after the library file broke: the broken file is kept."""
    archive = backup_library(filled, tmp_path / "good.zip").archive
    close_database()
    damaged = b"SQLite format 3\x00" + b"\x17" * 5000
    filled.db_file.write_bytes(damaged)
    summary = restore_library(filled, archive)
    assert summary.kept_database is not None
    assert summary.kept_database.read_bytes() == damaged
    assert titles(filled.db_file) == ["Dune", "Piranesi"]
