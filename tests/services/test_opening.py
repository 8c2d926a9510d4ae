"""A book's files for Open and Show in Folder: the order Open takes them in, each system's
command, and the files as they are on disk (real files, a real library)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.services.library.opening import (
    BookFileChoice,
    BookFilesService,
    chooser_command,
    preferred_order,
    show_command,
)
from tests.factories import add_book


def _files(*kinds: str) -> list[BookFileChoice]:
    """Files by format; a format in capitals with "!" is not on disk ("PDF!")."""
    return [BookFileChoice(f"/b/{n}.{k.rstrip('!')}", k.rstrip("!"), not k.endswith("!"))
            for n, k in enumerate(kinds)]  # fmt: skip


@pytest.mark.parametrize(
    ("kinds", "first_paths"),
    [
        (("PDF", "EPUB"), ["/b/1.EPUB", "/b/0.PDF"]),  # EPUB first
        (("EPUB!", "PDF"), ["/b/1.PDF", "/b/0.EPUB"]),  # a file on disk before one that is not
        (("CBZ", "MOBI", "AZW3"), ["/b/2.AZW3", "/b/1.MOBI", "/b/0.CBZ"]),
        (("DJVU", "PDF"), ["/b/1.PDF", "/b/0.DJVU"]),  # a format not listed: last
        (("EPUB", "EPUB"), ["/b/0.EPUB", "/b/1.EPUB"]),  # the same format: as added
        (("epub", "PDF"), ["/b/0.epub", "/b/1.PDF"]),  # any case
        ((), []),
    ],
)
def test_preferred_order(kinds, first_paths):
    assert [choice.path for choice in preferred_order(_files(*kinds))] == first_paths


@pytest.mark.parametrize(
    ("platform", "path", "command"),
    [
        ("win32", "C:/Books/Dune.epub", ("explorer", ["/select,C:/Books/Dune.epub"])),
        ("darwin", "/Users/a/Dune.epub", ("open", ["-R", "/Users/a/Dune.epub"])),
        ("linux", "/home/a/Dune.epub", None),  # the file manager's D-Bus ShowItems
        ("freebsd14", "/home/a/Dune.epub", None),
    ],
)
def test_show_command(platform, path, command):
    assert show_command(platform, path) == command


@pytest.mark.parametrize(
    ("platform", "command"),
    [
        ("win32", ("rundll32.exe", ["shell32.dll,OpenAs_RunDLL", "/b/Dune.epub"])),
        ("darwin", None),
        ("linux", None),
    ],
)
def test_chooser_command(platform, command):
    assert chooser_command(platform, "/b/Dune.epub") == command


def test_the_files_are_read_as_they_are_on_disk(library, tmp_path):
    pdf = tmp_path / "Dune.pdf"
    pdf.write_bytes(b"%PDF")
    book = add_book("Dune", file=pdf)
    BookFile.create(
        book=book, path=str(tmp_path / "gone.epub"), format="epub", size=1, mtime=0.0,
        partial_md5="0", added_at=0.0,
    )  # fmt: skip
    found = BookFilesService().files(book.id)
    assert found is not None and found.title == "Dune"
    assert found.files == [
        BookFileChoice(str(pdf), "PDF", True),
        BookFileChoice(str(tmp_path / "gone.epub"), "EPUB", False),
    ]
    assert BookFilesService().files(book.id + 1) is None
