"""Links inside KOReader's sidecar folder stay links when tidy copies a book to another drive:
made anew at the new place, pointing where the old one did (at the moved file, when it pointed
at the book or at another note that moved with it); undo makes them anew where they were. A
tidy killed at any step leaves no new link behind once the next run repairs."""

from __future__ import annotations

import os
from pathlib import Path

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.files.plan import sidecar
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child
from tests.new_library import new_library

# name in the sidecar -> what the link says (OUTSIDE: an absolute link to a file elsewhere)
OUTSIDE = "<outside>"
LINKS = {
    "metadata.epub.lua.old": "metadata.epub.lua",  # another note of the sidecar
    "book.epub": "../Emma.epub",  # the book file itself
    "shared.txt": OUTSIDE,
    "near.txt": "../../elsewhere/shared.txt",  # a file that does not move, by a relative path
}


def _book(base: Path) -> Path:
    """Emma in `base/in`, its sidecar holding its settings file and the links of LINKS."""
    (base / "elsewhere").mkdir(parents=True)
    (base / "elsewhere" / "shared.txt").write_text("shared")
    path = make_epub(base / "in" / "Emma.epub", "Emma", ["Jane Austen"])
    sdr = base / "in" / "Emma.sdr"
    sdr.mkdir()
    (sdr / "metadata.epub.lua").write_text("return {pos=1}")
    for name, text in LINKS.items():
        os.symlink(str(base / "elsewhere" / "shared.txt") if text == OUTSIDE else text, sdr / name)
    add_book("Emma", ["Jane Austen"], file=path)
    return path


def _links_right(book: Path, base: Path) -> None:
    """The sidecar beside `book` holds links only where LINKS says, each naming its file."""
    sdr = Path(sidecar(str(book)))
    named = {
        "metadata.epub.lua.old": sdr / "metadata.epub.lua",
        "book.epub": book,
        "shared.txt": base / "elsewhere" / "shared.txt",
        "near.txt": base / "elsewhere" / "shared.txt",
    }
    for name, text in LINKS.items():
        link = sdr / name
        assert link.is_symlink(), link
        assert os.path.realpath(link) == os.path.realpath(named[name]), (link, os.readlink(link))
        assert os.path.isabs(os.readlink(link)) == (text == OUTSIDE), os.readlink(link)
    assert not (sdr / "metadata.epub.lua").is_symlink()


def test_a_cross_drive_tidy_keeps_the_sidecar_s_links_and_undo_puts_them_back(
    library, tmp_path, other_drive
):
    path = _book(tmp_path)
    texts = {name: os.readlink(path.with_suffix(".sdr") / name) for name in LINKS}
    set_setting("library.tidy_folder", str(other_drive / "Library"))
    result = mover.tidy(mover.preview(), allow_copy=True)
    assert not result.failed, result.failed
    (row,) = BookFile.select()
    assert row.path.startswith(str(other_drive))
    _links_right(Path(row.path), tmp_path)
    assert not path.exists() and not path.with_suffix(".sdr").exists()

    mover.undo_last(allow_copy=True)
    (row,) = BookFile.select()
    assert row.path == str(path)
    _links_right(path, tmp_path)
    assert {name: os.readlink(path.with_suffix(".sdr") / name) for name in LINKS} == texts
    assert not os.path.lexists(other_drive / "Library" / "Jane Austen")


def _links_anywhere(*roots: Path) -> list[str]:
    return sorted(
        os.path.join(folder, name)
        for root in roots
        for folder, dirs, names in os.walk(root)
        for name in names + dirs
        if os.path.islink(os.path.join(folder, name))
    )


def test_a_cross_drive_tidy_killed_at_any_step_leaves_no_new_link(tmp_path, other_drive):
    step, finished = 0, False
    while not finished:
        step += 1
        base, target = tmp_path / f"run{step}", other_drive / f"run{step}"
        data = base / "data"
        data.mkdir(parents=True)
        new_library(resolve_paths(data).db_file)
        open_database(resolve_paths(data).db_file)
        path = _book(base)
        set_setting("library.tidy_folder", str(target))
        close_database()
        child = run_child(data, "tidy-copy", kill_at=step)
        finished = child.returncode == 0
        assert finished or child.returncode == -9, child.stderr[-2000:]
        open_database(data / "library.sqlite3")
        try:
            mover.recover()
            (row,) = BookFile.select()
            assert len(_links_anywhere(base / "in", target)) == len(LINKS), step
            _links_right(Path(row.path), base)
            mover.tidy(mover.preview(), allow_copy=True)
            (row,) = BookFile.select()
            assert row.path.startswith(str(target))
            _links_right(Path(row.path), base)
            assert not path.exists() and not path.with_suffix(".sdr").exists()
            assert len(_links_anywhere(base / "in", target)) == len(LINKS)
        finally:
            close_database()
    assert step > 6


def test_a_tidy_on_one_drive_keeps_the_sidecar_s_links_and_undo_puts_them_back(library, tmp_path):
    """The sidecar is renamed with its book, to a folder of another depth: a relative link
    inside it that names a file outside the book's folders still names that file, and the
    book's own link the moved book; undo puts every link back as the user made it."""
    path = _book(tmp_path)
    texts = {name: os.readlink(path.with_suffix(".sdr") / name) for name in LINKS}
    set_setting("library.tidy_folder", str(tmp_path / "Library" / "deeper"))
    result = mover.tidy(mover.preview())
    assert not result.failed, result.failed
    (row,) = BookFile.select()
    _links_right(Path(row.path), tmp_path)
    mover.undo_last()
    _links_right(path, tmp_path)
    assert {name: os.readlink(path.with_suffix(".sdr") / name) for name in LINKS} == texts
