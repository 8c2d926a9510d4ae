"""Bring a calibre library in: its books' files imported where they are (no copy) by the one
importer (dedupe, digests, document aliases), then every field calibre keeps laid on the books
they became (`fields`), as one undo step.

A field the user edited here (`store.user_edits`) is left as it is, as a re-import of a file
leaves it; the reading status and the rating are filled only while the book has none of its
own. Running it again lays on what changed since: a book whose calibre `last_modified` is the
one brought last time is skipped (`links`).

The fields are laid on a batch of books at a time, all in one transaction (the search index
and sort keys refreshed once for all, `store.index_batch`), with `on_books(done, total)` after
each batch. Cancelled (`should_cancel`) during the files, it stops before the next file and
lays no field; during the fields, it stops after the batch under way: the books done keep
calibre's fields, as one undo step, and a run again brings the others.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.importer.calibre import links
from bookorbit_desktop.library.importer.calibre.fields import Columns, gives_status, lay_on
from bookorbit_desktop.library.importer.calibre.reader import (
    CalibreBook,
    CustomColumn,
    read_library,
)
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.importer.summary import ImportSummary, ProgressCallback
from bookorbit_desktop.library.journal.record import EDIT, finish_step, recording, start_step
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.models import database

BATCH = 1000  # books laid on between two progress reports (and checks for Cancel)

# (books done, books to do) while the fields are laid on.
BooksCallback = Callable[[int, int], None]


@dataclass
class CalibreSummary:
    files: ImportSummary
    books: int  # calibre's books
    brought: int = 0  # books whose calibre fields were laid on
    missing: list[Path] = field(default_factory=list)  # files calibre lists that are not there
    undated: int = 0  # books the status column marked read, with no finish date
    finished_column: str | None = None  # the column giving finish dates (its label)
    cancelled: bool = False


def import_calibre(
    folder: str | Path,
    paths: Paths,
    *,
    open_library: Callable[[], object] | None = None,
    progress: ProgressCallback | None = None,
    on_books: BooksCallback | None = None,
    should_cancel: Callable[[], bool] = lambda: False,
    status_column: str | None = None,
    finished_column: str | None = None,
    clock: Callable[[], float] = time.time,
) -> CalibreSummary:
    """Bring the calibre library in `folder` in (module docstring). InvalidValueError when it
    is no readable calibre library, or has not the columns named; nothing is written then."""
    books, custom = read_library(folder)
    columns = _columns(custom, status_column, finished_column)
    present = [f for book in books for f in book.files if f.is_file()]
    missing = [f for book in books for f in book.files if not f.is_file()]
    files = import_sources(
        [str(f) for f in present],
        paths,
        open_library=open_library,
        progress=progress,
        should_cancel=should_cancel,
    )
    summary = CalibreSummary(
        files,
        len(books),
        missing=missing,
        finished_column=columns.finished,
        cancelled=files.cancelled,
    )
    if open_library is not None:
        open_library()  # when every file was known, the file import needed no library
    if summary.cancelled:
        return summary
    root = str(Path(folder).expanduser().resolve())
    targets = _targets(books, Path(folder).expanduser(), Path(root))
    now = clock()
    earlier = links.brought(root)
    changed = [(b, i) for b, i in targets if earlier.get(b.id) != (i, b.last_modified)]
    if not changed:
        return summary
    step = start_step(EDIT, "Add calibre Library", now, paths)
    with (
        recording(
            "Add calibre Library", [i for _, i in changed], paths=paths, step=step, clock=clock
        ),
        database.atomic(),
    ):
        open_batch()
        for start in range(0, len(changed), BATCH):
            if should_cancel():
                summary.cancelled = True
                break
            batch = changed[start : start + BATCH]
            summary.undated += lay_on(batch, paths, now, columns)
            links.keep(root, [(b.id, i, b.last_modified) for b, i in batch])
            links.keep_custom(custom, [(i, b.custom) for b, i in batch])
            if on_books is not None:
                on_books(start + len(batch), len(changed))
        close_batch()
    summary.brought = finish_step(step, lambda n: f"Add calibre Library ({n} books)")
    return summary


def _columns(custom: list[CustomColumn], status: str | None, finished: str | None) -> Columns:
    """The columns named, checked against the library's own (InvalidValueError)."""
    kinds = {c.label: c.kind for c in custom}
    known = ", ".join(f"#{c.label}" for c in custom) or "none"
    labels = []
    for name in (status, finished):
        label = None if name is None else name.removeprefix("#")
        if label is not None and label not in kinds:
            raise InvalidValueError(f"The library has no column #{label} (its columns: {known}).")
        labels.append(label)
    by_label = {c.label: c for c in custom}
    if labels[0] is not None and not gives_status(kinds[labels[0]], by_label[labels[0]].multiple):
        raise InvalidValueError(
            f"The column #{labels[0]} cannot give a reading status: name a yes/no column"
            " (yes: read), a fixed list or a text of words such as read or reading."
        )
    if labels[1] is not None:
        if labels[0] is None:
            raise InvalidValueError(
                "A finish date column dates the books the status column marks read: name the "
                "status column too."
            )
        if kinds[labels[1]] != "datetime":
            raise InvalidValueError(f"The column #{labels[1]} holds no dates.")
    return Columns(labels[0], labels[1])


def _targets(books: list[CalibreBook], root: Path, resolved: Path) -> list[tuple[CalibreBook, int]]:
    """Each calibre book with the book its first imported file became. The files are looked
    for under the library's resolved folder, as the import names them, all in one query; a
    file not found so (a folder in the library that is a link) is looked for resolved."""
    known = _book_of([str(f) for b in books for f in b.files])
    known.update(_book_of([str(resolved / f.relative_to(root)) for b in books for f in b.files]))
    found: list[tuple[CalibreBook, int]] = []
    for book in books:
        names = [str(resolved / f.relative_to(root)) for f in book.files] + [
            str(f) for f in book.files
        ]
        ids = [known[name] for name in names if name in known]
        if not ids:
            more = {str(f.resolve()) for f in book.files}
            ids = list(_book_of(list(more)).values())
        if ids:
            found.append((book, ids[0]))
    return found


def _book_of(names: list[str]) -> dict[str, int]:
    """The book each of these files belongs to, for those in the library."""
    rows = database.execute_sql(
        "SELECT path, book_id FROM book_file WHERE path IN (SELECT value FROM json_each(?))",
        (json.dumps(names),),
    )
    return {path: int(book_id) for path, book_id in rows}
