"""Progress KOReader pushed before its book was imported is adopted by every import, whichever
front end starts it: the command line, the window's Import and a watched-folder refresh."""

from __future__ import annotations

import sys
import threading

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.library.service import run_import
from bookorbit_desktop.services.library.watched_folders import refresh_folders
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def push_before_import(path) -> None:
    """KOReader pushes 42 % of a file the library does not have yet."""
    push = Push(document=partial_md5(path), progress="/body/p[3]", percentage=0.42, device="kobo")
    assert record_push(push, timestamp=1_700_000_000).book_id is None


def progress_of_only_book() -> tuple[str, float]:
    (state,) = ReadingState.select()
    return state.status, state.progress


def test_the_window_import_adopts_waiting_progress(library, tmp_path):
    book = make_epub(tmp_path / "shelf" / "dune.epub", "Dune")
    push_before_import(book)
    report = run_import(library, [str(book)], lambda step: None, threading.Event())
    assert progress_of_only_book() == ("reading", 0.42)
    assert report.imported == 1 and report.adopted == 1


def test_a_watched_folder_refresh_adopts_waiting_progress(library, tmp_path):
    book = make_epub(tmp_path / "shelf" / "dune.epub", "Dune")
    push_before_import(book)
    refresh = refresh_folders(library, [str(tmp_path / "shelf")], threading.Event())
    assert progress_of_only_book() == ("reading", 0.42)
    assert refresh.report.imported == 1 and refresh.report.adopted == 1


@pytest.mark.parametrize("again", [False, True], ids=["new book", "unchanged re-import"])
def test_the_command_line_import_adopts_and_says_so(paths, tmp_path, capsys, again):
    book = make_epub(tmp_path / "shelf" / "dune.epub", "Dune")
    data = ["--data-dir", str(paths.data_dir)]
    if again:  # imported, then pushed: the unchanged re-import still links the push
        assert main([*data, "import", str(book)]) == 0
    open_database(paths.db_file)
    if again:
        _push_unlinked(book)
    else:
        push_before_import(book)
    close_database()
    capsys.readouterr()
    assert main([*data, "import", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Earlier KOReader progress linked to 1 book." in out
    open_database(paths.db_file)
    try:
        assert progress_of_only_book() == ("reading", 0.42)
    finally:
        close_database()


def _push_unlinked(book) -> None:
    """A push the library stored unlinked although it has the document (an import stopped
    before it linked it)."""
    from bookorbit_desktop.library.store.models import ProgressEvent

    ProgressEvent.create(
        document=partial_md5(book),
        book=None,
        device="kobo",
        percentage=0.42,
        progress="/body/p[3]",
        timestamp=1_700_000_000,
    )


def test_an_import_with_no_progress_waiting_leaves_the_adoption_unloaded(
    library, tmp_path, monkeypatch
):
    """Most imports find no progress waiting: asking that costs one query, loading the
    adoption's modules a tenth of a second."""
    book = make_epub(tmp_path / "shelf" / "dune.epub", "Dune")
    monkeypatch.setitem(sys.modules, "bookorbit_desktop.library.reading.pushes", None)
    report = run_import(library, [str(book)], lambda step: None, threading.Event())
    assert report.imported == 1 and report.adopted == 0
