"""Two hard-linked names of one book (`emma.epub` and `emma.kepub`, one file on the disk): a
tidy on one drive renames each name, so they stay one file, and so does the undo."""

from __future__ import annotations

import os

import pytest

from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.store.models import BookFile
from tests.factories import add_book, make_epub


@pytest.mark.parametrize("name", ["emma.kepub", "emma copy.epub"])
def test_two_hard_linked_names_of_a_book_stay_one_file_through_tidy_and_undo(
    library_folder, tmp_path, name
):
    folder = tmp_path / "in"
    real = make_epub(folder / "emma.epub", "Emma", ["Jane Austen"])
    other = folder / name
    os.link(real, other)
    book = add_book("Emma", ["Jane Austen"], file=real)
    BookFile.create(
        book=book,
        path=str(other),
        format=other.suffix[1:],
        size=real.stat().st_size,
        mtime=0.0,
        partial_md5="x",
        added_at=0.0,
    )
    before = real.read_bytes()
    result = mover.tidy(mover.preview())
    assert len(result.done) == 2 and not result.failed, result.failed
    first, second = (f.path for f in BookFile.select().order_by(BookFile.id))
    assert first != second
    assert first.startswith(str(library_folder)) and second.startswith(str(library_folder))
    assert os.path.samefile(first, second) and os.stat(first).st_nlink == 2
    assert not real.exists() and not other.exists()

    result = mover.undo_last()
    assert len(result.done) == 2 and not result.failed, result.failed
    assert os.path.samefile(real, other) and os.stat(real).st_nlink == 2
    assert real.read_bytes() == before
