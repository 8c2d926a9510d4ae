"""Watched folders: real files in a temporary folder, the real Qt watcher, the real importer."""

from __future__ import annotations

import functools
import os
import threading

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.services.library.service import run_import
from bookorbit_desktop.services.library.watched_folders import (
    add_watched_folder,
    refresh_folders,
    remove_watched_folder,
    watched_folders,
)
from bookorbit_desktop.ui.folder_watcher import FolderWatcher
from tests.factories import make_epub

NO_RESCAN_MS = 3_600_000  # the tests see the watcher at work, not the periodic rescan


def files() -> dict[str, tuple[int, bool]]:
    """path -> (book id, missing)."""
    return {row.path: (row.book_id, row.missing) for row in BookFile.select()}


@pytest.fixture
def books(tmp_path, library):
    folder = tmp_path / "Books"
    make_epub(folder / "first.epub", "First Book")
    add_watched_folder(str(folder))
    return folder.resolve()


@pytest.fixture
def watcher(qtbot, library, books):
    watcher = FolderWatcher(
        functools.partial(refresh_folders, library),
        watched_folders,
        settle_ms=100,
        rescan_ms=NO_RESCAN_MS,
    )
    yield watcher
    watcher.stop()
    watcher.wait(30)


def test_added_moved_and_removed_files_are_picked_up(qtbot, watcher, books):
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000) as first:
        watcher.start()
    assert first.args[0].report.imported == 1
    assert str(books) in watcher.watched()
    (book_id, _missing) = files()[str(books / "first.epub")]

    # A new file in a new subfolder: the folder is watched, then the file inside it is found.
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000):
        (books / "Series").mkdir()
    assert str(books / "Series") in watcher.watched()
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000) as added:
        make_epub(books / "Series" / "second.epub", "Second Book")
    assert added.args[0].report.imported == 1

    # Moving a file keeps its book (and with it the reading state and history).
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000) as moved:
        os.rename(books / "first.epub", books / "Series" / "first renamed.epub")
    assert (moved.args[0].report.moved, moved.args[0].missing) == (1, 0)
    known = files()
    assert known[str(books / "Series" / "first renamed.epub")] == (book_id, False)
    assert str(books / "first.epub") not in known

    # A removed file is flagged missing; its book stays.
    second = books / "Series" / "second.epub"
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000) as removed:
        second.unlink()
    assert removed.args[0].missing == 1
    assert files()[str(second)][1] is True


def test_a_file_changed_in_place_is_found_by_the_rescan(qtbot, library, books):
    watcher = FolderWatcher(
        functools.partial(refresh_folders, library), watched_folders, rescan_ms=300
    )
    with qtbot.waitSignal(watcher.refreshed, timeout=30_000):
        watcher.start()
    make_epub(books / "first.epub", "First Book, Revised", body="A new preface.")
    try:
        with qtbot.waitSignal(
            watcher.refreshed,
            timeout=30_000,
            check_params_cb=lambda result: result.report.updated == 1,
        ):
            pass
    finally:
        watcher.stop()
        watcher.wait(30)


def test_a_missing_file_that_comes_back_is_cleared(library, books):
    cancel = threading.Event()
    refresh_folders(library, watched_folders(), cancel)
    moved_away = books.parent / "away.epub"
    os.rename(books / "first.epub", moved_away)
    assert refresh_folders(library, watched_folders(), cancel).missing == 1
    os.rename(moved_away, books / "first.epub")
    again = refresh_folders(library, watched_folders(), cancel)
    assert again.missing == 0
    assert files()[str(books / "first.epub")][1] is False


def test_an_unmounted_folder_flags_nothing(library, tmp_path):
    drive = tmp_path / "Drive"
    make_epub(drive / "book.epub")
    add_watched_folder(str(drive))
    cancel = threading.Event()
    refresh_folders(library, watched_folders(), cancel)
    (drive / "book.epub").rename(tmp_path / "book.epub")
    drive.rmdir()
    assert refresh_folders(library, watched_folders(), cancel).missing == 0
    assert all(not missing for _book, missing in files().values())


def test_the_folder_list(library, tmp_path):
    with pytest.raises(InvalidValueError, match="is not a folder"):
        add_watched_folder(str(tmp_path / "nowhere"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    add_watched_folder(str(tmp_path / "a"))
    add_watched_folder(str(tmp_path / "b"))
    assert add_watched_folder(str(tmp_path / "a")) == [
        str((tmp_path / "a").resolve()),
        str((tmp_path / "b").resolve()),
    ]
    assert remove_watched_folder(str((tmp_path / "a").resolve())) == [
        str((tmp_path / "b").resolve())
    ]
    assert watched_folders() == [str((tmp_path / "b").resolve())]


def test_an_import_and_a_refresh_at_once_take_turns(library, tmp_path):
    folder = tmp_path / "Shelf"
    for number in range(12):
        make_epub(folder / f"book-{number}.epub", f"Book {number}")
    add_watched_folder(str(folder))
    cancel = threading.Event()
    reports = []

    def manual_import() -> None:
        reports.append(run_import(library, [str(folder)], lambda _step: None, cancel))

    def refresh() -> None:
        reports.append(refresh_folders(library, watched_folders(), cancel).report)

    threads = [threading.Thread(target=manual_import), threading.Thread(target=refresh)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [report.failures for report in reports] == [[], []]
    assert sorted(report.imported for report in reports) == [0, 12]
    assert len(files()) == 12
