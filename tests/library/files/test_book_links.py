"""Links the user made among a book's files and in its KOReader notes stay links through tidy
and undo, on one drive and across drives, with a process killed before each file-system step
and the repair the next run makes: each link still leads to the same bytes, none dangles, no
byte is lost, and the undo makes each link anew as it was. A chain of links is kept resolving;
one whose end is gone is refused, never followed or copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.files.plan import sidecar
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.files import mark_missing_under
from bookorbit_desktop.library.store.models import Book, BookFile
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub
from tests.library.files.file_child import run_child
from tests.library.files.tidied import kept, leftovers, paths
from tests.new_library import new_library

# the book's names in its folder -> what each link says (None: the real file)
CHAIN = {"emma.epub": None, "emma.kepub": "emma.epub", "emma.mobi": "emma.kepub"}
NOTE = "../../elsewhere/notes.lua"  # a link in the notes to a file outside the book's folders


def _record(book: Book, path: Path) -> None:
    BookFile.create(
        book=book,
        path=str(path),
        format=path.suffix[1:],
        size=os.path.getsize(os.path.realpath(path)) if path.exists() else 0,
        mtime=0.0,
        partial_md5="x",
        added_at=0.0,
    )


def _book(base: Path, names: dict[str, str | None]) -> bytes:
    """Emma in `base/in` under each of `names` (the first the real file, the others relative
    links), its notes holding a link out of the book's folders and one to the book; its bytes."""
    (base / "elsewhere").mkdir(parents=True)
    (base / "elsewhere" / "notes.lua").write_text("outside")
    real, *links = names
    path = make_epub(base / "in" / real, "Emma", ["Jane Austen"])
    for name in links:
        os.symlink(names[name], base / "in" / name)
    sdr = path.with_suffix(".sdr")
    sdr.mkdir()
    (sdr / "metadata.epub.lua").write_text("return {pos=1}")
    os.symlink(NOTE, sdr / "notes.lua")
    os.symlink(f"../{real}", sdr / "book.epub")  # the book itself, from its notes
    book = add_book("Emma", ["Jane Austen"], file=path)
    for name in links:
        _record(book, base / "in" / name)
    return path.read_bytes()


def _library(base: Path, target: Path, names: dict[str, str | None]) -> tuple[Path, bytes]:
    data = base / "data"
    data.mkdir(parents=True)
    new_library(resolve_paths(data).db_file)
    open_database(resolve_paths(data).db_file)
    emma = _book(base, names)
    set_setting("library.tidy_folder", str(target))
    close_database()
    return data, emma


def _dangling(*roots: Path) -> list[Path]:
    return [
        found
        for root in roots
        for found in root.rglob("*")
        if found.is_symlink() and not found.exists()
    ]


def _whole(base: Path, emma: bytes, *roots: Path) -> None:
    """Every recorded name has the book's bytes, the links among them are relative links to
    the real file, the notes' link leads outside as it did, and nothing dangles."""
    rows = [Path(path) for path in paths()]
    real = rows[0]
    assert not real.is_symlink() and real.read_bytes() == emma, real
    for row in rows[1:]:
        assert row.is_symlink() and not os.path.isabs(os.readlink(row)), row
        assert os.path.realpath(row) == os.path.realpath(real), (row, os.readlink(row))
    note = Path(sidecar(str(real))) / "notes.lua"
    assert note.is_symlink() and not os.path.isabs(os.readlink(note)), note
    assert os.path.realpath(note) == str((base / "elsewhere" / "notes.lua").resolve())
    assert os.path.realpath(note.with_name("book.epub")) == os.path.realpath(real)
    assert (base / "elsewhere" / "notes.lua").read_text() == "outside"
    assert sorted(os.listdir(base / "elsewhere")) == ["notes.lua"]  # never copied or moved
    assert _dangling(base, *roots) == []
    assert leftovers(base, *roots) == []


def _as_made(base: Path, names: dict[str, str | None]) -> None:
    """Each link in `base/in` says what it said when the user made it."""
    assert paths() == [str(base / "in" / name) for name in names]
    for name, text in names.items():
        if text is not None:
            assert os.readlink(base / "in" / name) == text
    assert os.readlink(base / "in" / "emma.sdr" / "notes.lua") == NOTE
    assert os.readlink(base / "in" / "emma.sdr" / "book.epub") == "../emma.epub"


def _killed(data: Path, action: str, step: int) -> bool:
    """Run `action` in a child killed before file-system step `step`; whether it finished."""
    child = run_child(data, action, kill_at=step)
    assert child.returncode in (0, -9), child.stderr[-2000:]
    return child.returncode == 0


@pytest.mark.parametrize("across", [False, True], ids=["same drive", "across drives"])
@pytest.mark.parametrize("chain", [False, True], ids=["a link", "a link to a link"])
def test_a_tidy_and_its_undo_killed_at_any_step_keep_the_book_s_links(
    tmp_path, across, chain, request
):
    drive = request.getfixturevalue("other_drive") if across else tmp_path
    names = CHAIN if chain else dict(list(CHAIN.items())[:2])
    step, finished = 0, False
    while not finished:  # the tidy, killed before each step
        step += 1
        base, target = tmp_path / f"tidy{step}", drive / f"tidy{step}" / "Library"
        data, emma = _library(base, target, names)
        finished = _killed(data, "tidy-copy", step)
        open_database(data / "library.sqlite3")
        try:
            mover.recover()
            _whole(base, emma, target)
            mover.tidy(mover.preview(), allow_copy=True)
            assert all(path.startswith(str(target)) for path in paths()), paths()
            _whole(base, emma, target)
            mover.undo_last(allow_copy=True)
            _as_made(base, names)
            _whole(base, emma, target)
        finally:
            close_database()
    assert step > 3

    base, target = tmp_path / "undo", drive / "undo" / "Library"
    data, emma = _library(base, target, names)
    open_database(data / "library.sqlite3")
    mover.tidy(mover.preview(), allow_copy=True)
    close_database()
    lay_out = kept([base] if drive == tmp_path else [base, drive / "undo"], tmp_path / "kept")
    step, finished = 0, False
    while not finished:  # its undo, killed before each step
        step += 1
        lay_out()
        finished = _killed(data, "undo", step)
        open_database(data / "library.sqlite3")
        try:
            mover.recover()
            _whole(base, emma, target)
            if paths()[0].startswith(str(target)):  # else the repair finished the undo
                mover.undo_last(allow_copy=True)
            _as_made(base, names)
            _whole(base, emma, target)
        finally:
            close_database()
    assert step > 3


def test_a_chain_whose_end_is_gone_is_refused_and_nothing_is_copied(library, tmp_path):
    _book(tmp_path, {"emma.epub": None, "emma.mobi": "emma.kepub"})
    os.symlink("gone.epub", tmp_path / "in" / "emma.kepub")  # not a file of the book
    target = tmp_path / "Library"
    set_setting("library.tidy_folder", str(target))
    result = mover.tidy(mover.preview(), allow_copy=True)
    (refused,) = result.failed
    assert refused[0].old == str(tmp_path / "in" / "emma.mobi")
    assert refused[1] == (
        f"{tmp_path / 'in' / 'emma.mobi'} is a link to "
        f"{tmp_path / 'in' / 'gone.epub'}, which is not there"
    )
    assert os.readlink(tmp_path / "in" / "emma.mobi") == "emma.kepub"
    assert [p for p in target.rglob("*") if p.name.startswith("emma.mobi")] == []
    assert mark_missing_under([str(tmp_path / "in")]) == 1  # the next scan shows it missing
    (mobi,) = BookFile.select().where(BookFile.missing == True)  # noqa: E712
    assert mobi.path == str(tmp_path / "in" / "emma.mobi")
    assert mover.tidy(mover.preview(), allow_copy=True).failed == []  # and tidy leaves it be
