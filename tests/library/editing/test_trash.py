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
    [("linux", True), ("freebsd14", True), ("win32", False), ("darwin", False)],
)
def test_where_the_trash_is_supported(platform, supported):
    assert trash_supported(platform) is supported


def test_elsewhere_moving_to_the_trash_is_refused_clearly():
    with pytest.raises(TrashUnavailableError, match="works on Linux only"):
        check_trash("win32")


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
