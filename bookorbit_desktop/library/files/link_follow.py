"""A link the user made to another file of the same book follows that file wherever a tidy or
its undo takes it, whichever of the two moves first (a tidy moves links last; its undo, run
batch by batch, may take a link back before the file it points at, and a stopped run may leave
them apart until the next one finishes): after each run, a link among the books' files that
points at a place a file of the run left points at where that file went, relative as before.
The link is replaced in one step (`safe.retarget`)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.files.journal import Move
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list

log = logging.getLogger(__name__)


def follow_links(moved: Sequence[Move]) -> None:
    """The links of the moved files' books follow the files the run moved (module rules)."""
    went = {os.path.normpath(m.old): m.new for m in moved if not os.path.islink(m.new)}
    if not went:
        return
    file_ids = sorted({m.file_id for m in moved})
    rows = database.execute_sql(
        "SELECT path FROM book_file WHERE book_id IN (SELECT book_id FROM book_file WHERE "
        f"{in_list('id', file_ids)})",
        tuple(file_ids),
    ).fetchall()
    for (path,) in rows:
        if not os.path.islink(path):
            continue
        target = safe.link_target(path)
        if target in went and not os.path.lexists(target):
            try:
                safe.retarget(path, went[target])
            except OSError as error:
                log.warning("Tidy: the link %s could not follow its file: %s", path, error)
