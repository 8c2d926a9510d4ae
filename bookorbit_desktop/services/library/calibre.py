"""Bringing a calibre library in from the window (`library.importer.calibre`): its columns to
choose the reading status and the finish date from, and the import itself off the window's
thread, reporting its progress and stopping when asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.importer.calibre.apply import CalibreSummary, import_calibre
from bookorbit_desktop.library.importer.calibre.fields import gives_status
from bookorbit_desktop.library.importer.calibre.reader import read_columns
from bookorbit_desktop.library.importer.summary import ImportProgress
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.service import IMPORT_LOCK

__all__ = [
    "CalibreStep",
    "CalibreSummary",
    "calibre_columns",
    "import_calibre_off_loop",
    "summary_text",
]

# Progress is passed on at most this often (and at the end of each part).
_PROGRESS_INTERVAL = 0.05


@dataclass(frozen=True)
class CalibreStep:
    """Where the import is: `done` of `total`, and in words."""

    done: int
    total: int
    text: str


def calibre_columns(folder: str) -> list[tuple[str, str, str, bool]]:
    """The calibre library's own columns: each one's label ("#read"), name ("Read"), calibre's
    kind ("bool") and whether it can give the reading status (`fields.gives_status`); none when
    `folder` holds no calibre library."""
    try:
        return [
            (f"#{c.label}", c.name, c.kind, gives_status(c.kind, c.multiple))
            for c in read_columns(Path(folder))
        ]
    except InvalidValueError:
        return []


def _run(
    paths: Paths,
    folder: str,
    status_column: str | None,
    finished_column: str | None,
    progress: Callable[[CalibreStep], None],
    cancel: threading.Event,
) -> CalibreSummary:
    last = 0.0

    def report(done: int, total: int, words: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= _PROGRESS_INTERVAL or done == total:
            last = now
            progress(CalibreStep(done, total, f"{words}: {done:,} of {total:,}"))

    def files(event: ImportProgress) -> None:
        report(event.done, event.total, "Files imported")

    def books(done: int, total: int) -> None:
        report(done, total, "Books given calibre's fields")

    with IMPORT_LOCK:
        return import_calibre(
            folder,
            paths,
            progress=files,
            on_books=books,
            should_cancel=cancel.is_set,
            status_column=status_column,
            finished_column=finished_column,
        )


async def import_calibre_off_loop(
    paths: Paths,
    folder: str,
    status_column: str | None,
    finished_column: str | None = None,
    *,
    progress: Callable[[CalibreStep], None] = lambda _step: None,
    cancel: threading.Event | None = None,
) -> CalibreSummary:
    """`import_calibre` in a worker thread on its own connection; `progress` is called on
    that thread, and once `cancel` is set the import stops (`import_calibre`)."""
    return await off_loop(
        _run, paths, folder, status_column, finished_column, progress, cancel or threading.Event()
    )


def summary_text(summary: CalibreSummary) -> str:
    files = summary.files
    step = " (Edit ▸ Undo takes them back in one step)" if summary.brought else ""
    if summary.cancelled and files.cancelled:
        lines = [
            f"Cancelled while the files were imported: {files.imported} new here, no book given "
            "calibre's fields. Add the library again to go on."
        ]
    elif summary.cancelled:
        lines = [
            f"Cancelled: {files.imported} new here, {summary.brought} given calibre's fields"
            f"{step}. Add the library again to bring the others."
        ]
    else:
        lines = [
            f"{summary.books} books in the calibre library; {files.imported} new here, "
            f"{summary.brought} given calibre's fields{step}."
        ]
    if summary.undated:
        column = summary.finished_column
        why = f"calibre's #{column} holds none" if column else "no date column was chosen"
        many = summary.undated != 1
        books = f"{summary.undated} book{'s' if many else ''} marked read ha{'ve' if many else 's'}"
        lines.append(f"{books} no finish date: {why}.")
    if summary.missing:
        lines.append(f"{len(summary.missing)} files calibre lists could not be found:")
        lines.extend(f"  {path}" for path in summary.missing)
    if files.failures:
        lines.append(f"{len(files.failures)} files could not be imported:")
        lines.extend(f"  {failure.path}: {failure.reason}" for failure in files.failures)
    return "\n".join(lines)
