"""A library of two books with KOReader notes, tidied by a process of its own (and, when asked,
first by one killed part way and the run that finished it), kept to be laid out again before
each kill, and the checks the kill sweeps of Undo Last Tidy and of Redo (test_undo_kill_sweep,
test_redo_kill_sweep) make after each kill."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover, safe
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.books import add_with_notes
from tests.library.files.file_child import run_child
from tests.new_library import new_library


def paths() -> list[str]:
    return [f.path for f in BookFile.select().order_by(BookFile.id)]


def tidied(
    base: Path, target: Path, stop_at: int | None = None
) -> tuple[Path, list[str], list[str], int]:
    """A library of two books with notes, tidied into `target`; with `stop_at`, by a run killed
    at that step (0: the first step after a file moved) and the run that finished it. Its data
    folder, the paths before, after, and the step the stopped run was killed at."""
    data = base / "data"
    data.mkdir(parents=True)
    new_library(resolve_paths(data).db_file)
    open_database(resolve_paths(data).db_file)
    set_setting("library.tidy_folder", str(target))
    add_with_notes(base / "in")
    before = paths()
    close_database()
    kill_at = stop_at or 0
    if kill_at:
        assert run_child(data, "tidy-copy", kill_at=kill_at).returncode == -9
        assert paths_after(data) != before
    while stop_at == 0 and paths_after(data) == before:
        kill_at += 1
        assert run_child(data, "tidy-copy", kill_at=kill_at).returncode == -9
    open_database(resolve_paths(data).db_file)
    mover.tidy(mover.preview(), allow_copy=True)
    after = paths()
    close_database()
    return data, before, after, kill_at


def kept(folders: list[Path], store: Path) -> Callable[[], None]:
    """Copies of `folders` as they are now (the library closed) in `store`; the function returned
    lays each folder out again as it was, at the same paths (the library records them), so each
    kill of a sweep starts from the same tidy without making it again."""
    for number, folder in enumerate(folders):
        for found in folder.rglob("*"):  # a copy would split a file's hard links
            assert found.is_dir() or found.is_symlink() or found.stat().st_nlink == 1, found
        shutil.copytree(folder, store / str(number), symlinks=True)

    def again() -> None:
        for number, folder in enumerate(folders):
            shutil.rmtree(folder)
            shutil.copytree(store / str(number), folder, symlinks=True)

    return again


def paths_after(data: Path) -> list[str]:
    """The library's paths once a repair ran."""
    open_database(resolve_paths(data).db_file)
    try:
        mover.recover()
        return paths()
    finally:
        close_database()


def consistent(before: list[str], after: list[str], *, redoing: bool = False) -> None:
    """Each file is at its recorded path and nowhere else, its notes beside it. The tidy's step
    is undone exactly when every file is back (after an undo), done exactly when every file is
    where the tidy put it (after a redo): Edit ▸ Undo or Redo offers what finishes the work."""
    now = paths()
    for path, old, new in zip(now, before, after, strict=True):
        assert path in (old, new)
        other = new if path == old else old
        assert os.path.isfile(path) and not os.path.lexists(other), (path, other)
        assert Path(path).with_suffix(".sdr").joinpath("metadata.epub.lua").is_file()
    (step,) = steps.history()
    if redoing:
        assert (step.undone_at is None) == (now == after), (now, step)
    else:
        assert (step.undone_at is not None) == (now == before), (now, step)


def leftovers(*roots: Path) -> list[Path]:
    """Temporary files a copy left (none once a repair ran)."""
    return [found for root in roots for found in root.rglob(f"{safe.TEMP_PREFIX}*")]


def too_big_for_a_small_drive(folder: Path, titles: tuple[str, ...] = ("Dune", "Emma")) -> None:
    """A book of author "A" for each title, its EPUB in `folder` with 2 MB that do not compress
    (more than a 1 MB drive holds)."""
    for title in titles:
        path = make_epub(folder / f"{title}.epub", title)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("OEBPS/noise.bin", os.urandom(2 << 20), zipfile.ZIP_STORED)
        add_book(title, ["A"], file=path)
