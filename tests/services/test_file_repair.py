"""The window's start repairs what a stopped tidy left before anything plans or lists files:
a move recorded as planned whose file was already renamed is recorded where the file is."""

from __future__ import annotations

import os
from pathlib import Path

from bookorbit_desktop.library.files import journal, mover
from bookorbit_desktop.library.store.models import BookFile
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.library import file_names
from tests.factories import add_book, make_epub


async def test_the_start_records_a_move_a_stopped_process_made(library, tmp_path):
    set_setting("library.tidy_folder", str(tmp_path / "Library"))
    book = add_book("Emma", ["Jane Austen"], file=make_epub(tmp_path / "in" / "e.epub", "Emma"))
    (planned,) = mover.preview()
    journal.start_batch([planned.rename], [journal.MOVE])
    Path(planned.rename.new).parent.mkdir(parents=True)
    os.rename(planned.rename.old, planned.rename.new)  # the process stopped here
    assert await file_names.repair() == 1
    assert BookFile.get_by_id(book.files[0].id).path == planned.rename.new
    assert [move.state for move in journal.moves()] == [journal.DONE]
