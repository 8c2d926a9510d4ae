"""A book whose `.kepub` is a relative link to its `.epub` beside it (both the book's files),
tidied and the tidy undone by a process killed with SIGKILL before each file-system step, on
one drive and across two: once the next run has repaired and finished, the link still resolves
to the same bytes, relative, nothing dangles and no byte is lost; undo puts the link back as
the user made it. A link to a link whose end is gone is reported missing, never followed."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child
from tests.new_library import new_library


def _setup(base: Path, target: Path) -> tuple[Path, bytes]:
    data = base / "data"
    data.mkdir(parents=True)
    new_library(resolve_paths(data).db_file)
    open_database(resolve_paths(data).db_file)
    real = make_epub(base / "in" / "emma.epub", "Emma", ["Jane Austen"])
    link = base / "in" / "emma.kepub"
    link.symlink_to("emma.epub")
    book = add_book("Emma", ["Jane Austen"], file=link)
    BookFile.create(
        book=book, path=str(real), format="epub", size=real.stat().st_size, mtime=0.0,
        partial_md5="x", added_at=0.0,
    )  # fmt: skip
    set_setting("library.tidy_folder", str(target))
    close_database()
    return data, real.read_bytes()


def _whole(before: bytes) -> tuple[Path, Path]:
    """Both rows name a file with the book's bytes; the link is a relative link to the other."""
    link_row, real_row = BookFile.select().order_by(BookFile.id)
    link, real = Path(link_row.path), Path(real_row.path)
    assert link.is_symlink() and not os.path.isabs(os.readlink(link)), link
    assert link.resolve() == real.resolve(), (link, real)
    assert real.read_bytes() == before and link.read_bytes() == before
    return link, real


@pytest.mark.parametrize("drive", ["same", "other"])
def test_a_killed_tidy_and_undo_of_a_linked_book_keep_the_link(tmp_path, drive, request):
    target_root = tmp_path if drive == "same" else request.getfixturevalue("other_drive")
    action = "tidy" if drive == "same" else "tidy-copy"
    step, finished = 0, False
    while not finished:
        step += 1
        base = tmp_path / f"run{step}"
        data, before = _setup(base, target_root / f"Library{step}")
        run = run_child(data, action, kill_at=step)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            mover.tidy(mover.preview(), allow_copy=True)  # repairs first, then finishes
            link, _real = _whole(before)
            assert str(link).startswith(str(target_root / f"Library{step}"))
            assert not (base / "in" / "emma.epub").exists()
            assert not (base / "in" / "emma.kepub").is_symlink()
        finally:
            close_database()
        undo = run_child(data, "undo", kill_at=step)  # the undo, killed at the same step
        assert undo.returncode in (0, -9), undo.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            if undo.returncode == -9:  # repair, then undo what is left (nothing, when the
                # stopped undo had taken every file back: the repair finished it)
                with contextlib.suppress(mover.NothingToUndoError):
                    mover.undo_last(allow_copy=True)
            link, real = _whole(before)
            assert (link, real) == (base / "in" / "emma.kepub", base / "in" / "emma.epub")
            assert os.readlink(link) == "emma.epub"  # as the user made it
        finally:
            close_database()
    assert step > 3  # every step of the moves was a kill point


def test_a_link_to_a_link_whose_end_is_gone_is_missing(library_folder, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "middle.epub").symlink_to("gone.epub")  # the end of the chain is not there
    chain = folder / "emma.epub"
    chain.symlink_to("middle.epub")
    add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "real" / "x.epub", "X"))
    (row,) = BookFile.select()
    row.path = str(chain)
    row.save()
    result = mover.tidy(mover.preview())
    assert not result.done  # nothing moved, nothing followed or copied in part
    assert chain.is_symlink() and os.readlink(chain) == "middle.epub"
    assert not any(library_folder.rglob("*.epub"))
