"""A whole import as every front end runs it: the quick answer, the full run, the adoption.

    summary = import_sources(["~/Books"], paths, open_library=ctx.open_library)

1. `unchanged.import_unchanged` finds the known, unchanged paths and reports them without
   opening the library for writing or loading the ebook readers. When that is every file,
   it is the whole import.
2. Otherwise the library is opened (`open_library`, for a caller that has not yet: its
   quick check, `store.early_check`, begins as soon as step 1 knows) and `run.import_paths`
   imports the other files (found once, by `finding.Finding`, for both steps), so a new
   book among many known ones costs what it costs in a small library.
3. Then KOReader progress pushed before its book was in the library is given to that book
   (`reading.pushes.adopt_documents`), whatever front end started the import; the summary
   says for how many books (`adopted`). After a quick answer this runs only when such
   progress waits, so the usual second import still opens nothing for writing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import replace
from functools import partial

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.importer.finding import Finding
from bookorbit_desktop.library.importer.summary import ImportSummary, ProgressCallback
from bookorbit_desktop.library.importer.unchanged import import_unchanged
from bookorbit_desktop.library.reading.waiting import WAITING_DOCUMENTS_SQL
from bookorbit_desktop.library.store import early_check

# A caller that prints the files of a quick answer takes them as text: (the unchanged files,
# numbered from 1, the import's number of files, elapsed seconds).
UnchangedCallback = Callable[[Sequence[str], int, float], None]


def import_sources(
    sources: Iterable[str | os.PathLike[str]],
    paths: Paths,
    *,
    open_library: Callable[[], object] | None = None,
    progress: ProgressCallback | None = None,
    on_unchanged: UnchangedCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Import `sources` and adopt the KOReader progress waiting for them (module docstring).

    `progress` gets every file's event; with `on_unchanged` too, a quick answer goes there
    instead, all at once. `open_library` opens the library database before anything is
    written; without it the database must already be open (`db.open_database`).
    """
    sources = list(sources)
    # Once, for both answers: by a child while the quick answer reads the library, if it can.
    with closing(Finding(sources, skip=[paths.data_dir], library=paths.db_file)) as finding:
        # When the library is to be opened, SQLite's quick check of it begins as soon as that
        # is known, and runs on the other core while the unchanged files are reported and the
        # readers load.
        check = None if open_library is None else partial(early_check.begin, paths.db_file)
        quick = import_unchanged(
            sources,
            paths,
            progress=progress if on_unchanged is None else None,
            found=finding,
            on_others=check,
        )
        found = finding.result()
    if check is not None and (quick is None or quick.documents_to_adopt):
        check()  # (begun already when some files are not unchanged)
    if quick is not None:
        if on_unchanged is not None and quick.files:
            elapsed = quick.summary.elapsed or time.monotonic() - found.started
            on_unchanged(quick.files, quick.summary.total, elapsed)
        if not quick.others:
            if quick.documents_to_adopt:
                _open(open_library, paths)
                quick.summary.adopted = adopt_waiting_progress()
            return quick.summary
        # Only the other files go on: the unchanged ones are reported and counted.
        found = replace(found, files=quick.others)
    from bookorbit_desktop.library.importer.run import import_paths  # the readers

    _open(open_library, paths)
    summary = import_paths(
        sources,
        paths,
        progress=progress,
        should_cancel=should_cancel,
        workers=workers,
        found=found,
        before=quick.summary if quick is not None else None,
    )
    summary.adopted = adopt_waiting_progress()
    _hold_for_inbox(summary)
    return summary


def _hold_for_inbox(summary: ImportSummary) -> None:
    """With the Inbox on, the books this import created wait for the user's approval
    (`store.inbox`), whichever front end imported them."""
    from bookorbit_desktop.library.store.inbox import hold_new_books

    hold_new_books(summary.book_ids, summary.elapsed)


def adopt_waiting_progress() -> int:
    """Give newly imported books the KOReader progress their documents were pushed with;
    how many books received some. Mostly none waits: that is asked first, so the adoption's
    modules (a tenth of a second to load) load only when some progress waits."""
    from bookorbit_desktop.library.store.models import database

    if database.execute_sql(f"{WAITING_DOCUMENTS_SQL} LIMIT 1").fetchone() is None:
        return 0
    from bookorbit_desktop.library.reading.pushes import adopt_documents

    return sum(1 for result in adopt_documents() if result.events_moved)


def _open(open_library: Callable[[], object] | None, paths: Paths) -> None:
    if open_library is not None:
        open_library()  # takes the early check's answer when it opens the library
        early_check.take(paths.db_file)  # or closes it, when the library was open already
