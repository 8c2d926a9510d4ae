"""Moving files to their tidy names against a real library and real files: records follow in
the same transaction, the KOReader sidecar moves along, one undo, a process killed between two
files loses nothing, and a move to another file system is a confirmed, synced copy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.library.files import journal, mover
from bookorbit_desktop.library.files.journal import DONE, PLANNED, SKIPPED
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_FILENAME, BookFile, DocumentAlias
from bookorbit_desktop.library.store.removed_files import RemovedFile
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from tests.factories import add_book, make_epub

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def books(library, tmp_path):
    """Three books in a watched folder, the library folder beside it."""
    inbox = tmp_path / "downloads"
    made = [
        add_book(
            title,
            [author],
            file=make_epub(inbox / f"{name}.epub", title, [author]),
            series=series,
            series_index=index,
        )
        for name, title, author, series, index in (
            ("dune", "Dune", "Frank Herbert", "Dune", 1.0),
            ("emma", "Emma", "Jane Austen", None, None),
            ("solaris", "Solaris", "Stanisław Lem", None, None),
        )
    ]
    (inbox / "dune.sdr").mkdir()
    (inbox / "dune.sdr" / "metadata.epub.lua").write_text("return {}")
    target = tmp_path / "Library"
    target.mkdir()
    set_setting("library.tidy_folder", str(target))
    set_setting("library.watched_folders", [str(inbox)])
    return made


def _paths() -> dict[int, str]:
    return {f.id: f.path for f in BookFile.select().order_by(BookFile.id)}


def _consistent() -> None:
    for path in _paths().values():
        assert os.path.isfile(path), path


def test_tidy_moves_files_sidecars_and_records_then_undo_puts_them_back(books, tmp_path):
    before = _paths()
    planned = mover.preview()
    assert [p.rename.new for p in planned] == [
        f"{tmp_path}/Library/Frank Herbert/Dune 01 - Dune.epub",
        f"{tmp_path}/Library/Jane Austen/Emma.epub",
        f"{tmp_path}/Library/Stanisław Lem/Solaris.epub",
    ]
    assert not any(p.cross_device for p in planned)
    assert _paths() == before  # a preview moves nothing

    result = mover.tidy(planned)
    assert len(result.done) == 3 and not result.failed
    after = _paths()
    assert sorted(after.values()) == sorted(p.rename.new for p in planned)
    _consistent()
    dune_dir = tmp_path / "Library" / "Frank Herbert"
    assert (dune_dir / "Dune 01 - Dune.sdr" / "metadata.epub.lua").is_file()
    assert not (tmp_path / "downloads" / "dune.sdr").exists()
    dune = books[0]
    names = {
        a.document
        for a in DocumentAlias.select().where(
            (DocumentAlias.book == dune.id) & (DocumentAlias.kind == ALIAS_FILENAME)
        )
    }
    assert filename_md5("Dune 01 - Dune.epub") in names
    assert get_setting("library.watched_folders") == [
        str(tmp_path / "downloads"),
        str(tmp_path / "Library"),
    ]

    mover.undo_last()
    assert _paths() == before
    _consistent()
    assert (tmp_path / "downloads" / "dune.sdr" / "metadata.epub.lua").is_file()
    with pytest.raises(mover.NothingToUndoError):
        mover.undo_last()


def test_removed_file_entries_follow_the_path(books, tmp_path):
    (planned, *_) = mover.preview()
    RemovedFile.create(path=planned.rename.old, size=1, mtime=1.0, partial_md5="x", removed_at=1.0)
    mover.tidy([planned])
    assert RemovedFile.get_or_none(RemovedFile.path == planned.rename.new) is not None
    assert RemovedFile.get_or_none(RemovedFile.path == planned.rename.old) is None


def test_a_file_in_the_way_is_not_overwritten(books, tmp_path):
    planned = mover.preview()
    blocker = Path(planned[1].rename.new)
    blocker.parent.mkdir(parents=True)
    blocker.write_text("someone else's file")
    result = mover.tidy(planned)
    assert [move.new for move, _why in result.failed] == [str(blocker)]
    assert blocker.read_text() == "someone else's file"
    _consistent()


def test_a_move_recorded_as_planned_whose_file_moved_is_finished_by_recover(books):
    (planned, *_) = mover.preview()
    batch = journal.start_batch([planned.rename], [journal.MOVE])
    Path(planned.rename.new).parent.mkdir(parents=True)
    os.rename(planned.rename.old, planned.rename.new)  # the process died right after this
    assert mover.recover() == 1
    assert _paths()[planned.rename.file_id] == planned.rename.new
    assert [m.state for m in journal.moves(batch)] == [DONE]


def test_killed_between_files_loses_nothing_and_undo_and_redo_work(books, library, tmp_path):
    before = _paths()
    close_database()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.library.files.tidy_process", str(library.db_file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()  # the first file is moved and recorded
        assert line.startswith(f"{DONE} "), line
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    open_database(library.db_file)

    states = [m.state for m in journal.moves()]
    assert states == [DONE, PLANNED, PLANNED]
    _consistent()
    mover.recover()
    assert [m.state for m in journal.moves()] == [DONE, SKIPPED, SKIPPED]
    moved = [fid for fid, path in _paths().items() if path != before[fid]]
    assert len(moved) == 1

    mover.undo_last()  # the one file moved goes back
    assert _paths() == before
    result = mover.tidy(mover.preview())  # and the whole batch again
    assert len(result.done) == 3
    _consistent()
    mover.undo_last()
    assert _paths() == before
    _consistent()


def test_another_file_system_needs_consent_then_copies_syncs_and_deletes(library, tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    target = Path(
        subprocess.run(
            ["mktemp", "-d", "-p", str(shm)], capture_output=True, text=True
        ).stdout.strip()
    )
    try:
        book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
        set_setting("library.tidy_folder", str(target))
        planned = mover.preview()
        assert [p.cross_device for p in planned] == [True]
        with pytest.raises(mover.CrossDeviceError):
            mover.tidy(planned)
        assert (tmp_path / "in" / "e.epub").is_file()  # nothing moved
        mover.tidy(planned, allow_copy=True)
        assert not (tmp_path / "in" / "e.epub").exists()
        assert _paths()[book.files[0].id] == str(target / "Jane Austen" / "Emma.epub")
        _consistent()
        with pytest.raises(mover.CrossDeviceError):
            mover.undo_last()
        mover.undo_last(allow_copy=True)
        assert (tmp_path / "in" / "e.epub").is_file()
    finally:
        subprocess.run(["rm", "-rf", str(target)], check=False)


def test_keep_copies_the_files_and_undo_drops_the_copies(books, tmp_path):
    before = _paths()
    planned = mover.preview()
    result = mover.tidy(planned, keep=True)
    assert len(result.done) == 3
    assert sorted(_paths().values()) == sorted(p.rename.new for p in planned)
    assert all(os.path.isfile(path) for path in before.values())  # the originals stay
    _consistent()
    assert (tmp_path / "downloads" / "dune.sdr").is_dir()  # the sidecar is copied too
    assert (tmp_path / "Library" / "Frank Herbert" / "Dune 01 - Dune.sdr").is_dir()

    mover.undo_last()
    assert _paths() == before
    assert not any(os.path.exists(p.rename.new) for p in planned)  # the copies are gone
    assert not (tmp_path / "Library" / "Frank Herbert" / "Dune 01 - Dune.sdr").exists()
    _consistent()
