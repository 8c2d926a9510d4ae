"""Moving files to the freedesktop.org trash in a real folder: the file and its .trashinfo,
names that collide, and a clear refusal where there is no such trash."""

from __future__ import annotations

import datetime

import pytest

from bookorbit_desktop.library.editing import trash
from bookorbit_desktop.library.editing.trash import (
    TrashUnavailableError,
    check_trash,
    home_trash,
    move_to_trash,
    trash_info,
    trash_supported,
)


@pytest.mark.parametrize(
    ("platform", "supported"),
    [
        ("linux", True),
        ("freebsd14", True),
        ("win32", True),
        ("darwin", True),
        ("emscripten", False),
    ],
)
def test_where_the_trash_is_supported(platform, supported):
    assert trash_supported(platform) is supported


def test_elsewhere_moving_to_the_trash_is_refused_clearly():
    with pytest.raises(TrashUnavailableError, match="no trash BookOrbit can move"):
        check_trash("emscripten")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"XDG_DATA_HOME": "/data"}, "/data/Trash"), ({"XDG_DATA_HOME": ""}, None)],
)
def test_the_home_trash_follows_xdg_data_home(environ, expected):
    found = home_trash(environ)
    assert str(found) == expected if expected else found.parts[-3:] == (".local", "share", "Trash")


def test_trash_info_escapes_the_path():
    text = trash_info(trash.Path("/books/Été 100%.epub"), datetime.datetime(2026, 11, 25, 7, 5, 9))
    assert text == (
        "[Trash Info]\nPath=/books/%C3%89t%C3%A9%20100%25.epub\nDeletionDate=2026-11-25T07:05:09\n"
    )


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_a_file_goes_to_the_trash_with_its_info_and_names_do_not_collide(tmp_path):
    bin_ = tmp_path / "Trash"
    first = tmp_path / "a" / "book.epub"
    second = tmp_path / "b" / "book.epub"
    for path, text in ((first, "one"), (second, "two")):
        path.parent.mkdir()
        path.write_text(text)
    assert move_to_trash(first, bin_) == bin_ / "files" / "book.epub"
    assert move_to_trash(second, bin_) == bin_ / "files" / "book.2.epub"
    assert not first.exists() and not second.exists()
    assert (bin_ / "files" / "book.2.epub").read_text() == "two"
    info = (bin_ / "info" / "book.2.epub.trashinfo").read_text()
    assert f"Path={second}\n" in info and "DeletionDate=" in info


def test_a_file_that_cannot_be_moved_leaves_no_info_behind(tmp_path):
    if not trash_supported():
        pytest.skip("the freedesktop trash is for Linux")
    bin_ = tmp_path / "Trash"
    with pytest.raises(OSError):
        move_to_trash(tmp_path / "gone.epub", bin_)
    assert list((bin_ / "info").iterdir()) == []


@pytest.mark.skipif(not trash.freedesktop(), reason="the freedesktop trash")
def test_a_trashed_file_without_info_is_never_overwritten(tmp_path):
    """A file another program put in the trash without its info file keeps its name."""
    bin_ = tmp_path / "Trash"
    (bin_ / "files").mkdir(parents=True)
    (bin_ / "files" / "d.epub").write_text("trashed earlier")
    book = tmp_path / "d.epub"
    book.write_text("removed now")
    assert move_to_trash(book, bin_) == bin_ / "files" / "d.2.epub"
    assert (bin_ / "files" / "d.epub").read_text() == "trashed earlier"
    assert (bin_ / "files" / "d.2.epub").read_text() == "removed now"
    assert not (bin_ / "info" / "d.epub.trashinfo").exists()


@pytest.mark.skipif(not trash.freedesktop(), reason="the freedesktop trash")
def test_a_trashed_file_is_put_back_where_it_was(tmp_path):
    bin_ = tmp_path / "Trash"
    book = tmp_path / "shelf" / "Été 100%.epub"
    book.parent.mkdir()
    book.write_text("the book")
    trashed = move_to_trash(book, bin_)
    assert trashed is not None
    assert trash.restore_from_trash(trashed) == book
    assert book.read_text() == "the book"
    assert list((bin_ / "info").iterdir()) == [] and list((bin_ / "files").iterdir()) == []


@pytest.mark.skipif(not trash.freedesktop(), reason="the freedesktop trash")
def test_putting_back_never_overwrites_a_file_at_the_old_place(tmp_path):
    bin_ = tmp_path / "Trash"
    book = tmp_path / "b.epub"
    book.write_text("old")
    trashed = move_to_trash(book, bin_)
    assert trashed is not None
    book.write_text("a new file of that name")
    with pytest.raises(FileExistsError):
        trash.restore_from_trash(trashed)
    assert book.read_text() == "a new file of that name" and trashed.read_text() == "old"


def test_where_the_system_trash_is_not_freedesktop_send2trash_takes_the_file(tmp_path, monkeypatch):
    """On Windows and macOS the system's trash takes the file through Send2Trash (here it uses
    its own freedesktop code, under a private XDG_DATA_HOME)."""
    monkeypatch.setattr(trash, "freedesktop", lambda platform="": False)
    monkeypatch.setattr(trash, "trash_supported", lambda platform="": True)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    book = tmp_path / "c.epub"
    book.write_text("c")
    assert move_to_trash(book) is None
    assert not book.exists()
    assert (tmp_path / "data" / "Trash" / "files" / "c.epub").read_text() == "c"


@pytest.mark.skipif(not trash.freedesktop(), reason="the freedesktop trash")
def test_a_name_near_the_limit_fits_with_its_info_file(tmp_path):
    bin_ = tmp_path / "Trash"
    name = "é" * 122 + ".epub"  # 249 bytes: the info file's name would be 259
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(folder)
    first = move_to_trash(tmp_path / "a" / name, bin_)
    second = move_to_trash(tmp_path / "b" / name, bin_)
    assert first is not None and second is not None
    assert first.read_text() == "a" and second.read_text() == "b"
    for trashed in (first, second):
        assert trashed.suffix == ".epub"
        assert len((trashed.name + ".trashinfo").encode()) <= 255
        assert trash.restore_from_trash(trashed) in (tmp_path / "a" / name, tmp_path / "b" / name)
    assert (tmp_path / "a" / name).read_text() == "a" and (tmp_path / "b" / name).read_text() == "b"
