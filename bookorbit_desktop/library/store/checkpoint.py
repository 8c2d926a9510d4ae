"""Copying the write-ahead log back into the library file, on a thread of its own.

By default SQLite does it inside the commit that takes the log past 1,000 pages: that commit
then writes and syncs the library file, a pause of up to a tenth of a second for whoever
committed (a KOReader push waiting for its answer, the window saving a book during a sync). The
app and the server therefore switch that off on their busy connections (`no_inline_checkpoints`)
and run a `Checkpointer`: every `CHECKPOINT_SECONDS`, when the log changed, a PASSIVE checkpoint
(it copies what it can without waiting for readers or writers) on a connection of its own. A
copy's CPU grows with what came in since the last one and with the library: once a second,
under a storm of pushes into a library of 200,000 of them, up to 16 ms at a time on the core the
event loop answers on, which then waited for it. Four copies a second take more CPU in all (15
ms a second instead of 9, against about a second of the server's), but nine in ten take at
most 5 ms instead of 14.

A PASSIVE checkpoint never lets the log start over while commits keep coming: the log restarts
from its beginning only when a transaction begins after everything in it was copied, and a
device pushing without a pause commits again before the copy ends. The log file then grows for
as long as the pushes last (about 20 MB a second under a storm of pushes) and keeps that size
until the app quits. So once the log holds more than `RESTART_LOG_BYTES` after the copy, the
thread runs a RESTART checkpoint: it waits for the current transaction, copies what came in
meanwhile and has the next commit write from the start of the file again. The server's writer
thread waits for all of it on `WRITER_GATE` (it wakes the moment the restart ends; SQLite's busy
handler would sleep in steps of up to 100 ms): the copy, the syncs of the log and the library
file, and up to `RESTART_WAIT_MS` twice for readers of the old log. The next commit then syncs
the log's new header, a pause of a few milliseconds for the pushes it stores (once, a sync took
0.7 s). So the limit is high: it bounds the disk a storm can take, and ordinary use never
reaches it. A restart does not make the file smaller, so once the log has been quiet for
`QUIET_SECONDS` while larger than `SHRINK_LOG_BYTES`, the thread empties it (a TRUNCATE
checkpoint, also inside `WRITER_GATE`, which gives up at once when a reader still uses the log)
and the disk a storm took is given back within seconds of its end. A RESTART or TRUNCATE
that a reader kept from finishing (a backup, another program holding a snapshot) is not tried
again for `EXCLUSIVE_RETRY_SECONDS`, so a long read never holds the writer back at every copy.

The same thread keeps the change log short: every `COMPACT_SECONDS` (and soon after it starts)
it runs `changes.compact_steps`, which does nothing until the log has grown well past one entry
per book. Each of its steps is a short transaction inside `WRITER_GATE` (the server's writer
waits there, not in SQLite's busy handler), with `COMPACT_PAUSE_SECONDS` between steps so the
writer's group commits go first. A compaction that falls due while commits keep coming waits
for the first moment the log has been quiet for `QUIET_SECONDS` (for `COMPACT_SECONDS` at
most): a server's first one, 30 s after its start, came in the middle of a storm of pushes
into 10,000 books (half a second of reading the whole change log and 35 steps inside the gate,
the pushes waiting behind each), where a pause between pushes finds the gate free.

It also brings the table's sort keys by progress and last read up to date with the pushes
stored since (`pushed_keys`, which a push leaves them to), in steps inside `WRITER_GATE`: once
the log has been quiet for `QUIET_SECONDS` after a change, and every `FOLD_SECONDS` while
commits keep coming.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bookorbit_desktop.library.store import changes, pushed_keys
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 0.25
QUIET_SECONDS = 1.0  # a log unchanged this long may be emptied
COMPACT_SECONDS = 600.0
FIRST_COMPACT_SECONDS = 30.0
COMPACT_PAUSE_SECONDS = 0.01
FOLD_SECONDS = 60.0  # the sort keys a push leaves are brought up to date at least this often
FOLD_RETRY_SECONDS = 5.0
RESTART_LOG_BYTES = 1 << 30
SHRINK_LOG_BYTES = 64 << 20
RESTART_WAIT_MS = 100
EXCLUSIVE_RETRY_SECONDS = 10.0
BULK_CHECKPOINT_PAGES = 16_000  # 64 MB of 4 KiB pages: `SHRINK_LOG_BYTES`
_FRAME_HEADER_BYTES = 24  # each page in the log is preceded by a header of this size

# Held by the server's writer thread around each group commit and by a `Checkpointer` around
# a restart of the log (one library per process, so one gate).
WRITER_GATE = threading.Lock()


def no_inline_checkpoints() -> None:
    """Commits on this thread's connection leave the log to the `Checkpointer`."""
    database.execute_sql("PRAGMA wal_autocheckpoint = 0")


@contextmanager
def bulk_checkpoints() -> Iterator[None]:
    """Commits on this thread's connection copy the log into the library file only once it
    holds `bulk_pages` pages, until the block ends (then as before).

    A bulk write (an import) in a large library dirties index leaves all over the file in
    every transaction, many of them again in the next: copied back at each commit past the
    usual 1,000 pages, each was written to the library file once per transaction (an import
    of 2,000 files into 250,000 books wrote about 900 MB in all). Copied once per
    `BULK_CHECKPOINT_PAGES`, a page dirtied by several transactions is written once (the same
    import: 120 to 220 MB, and a tenth less CPU in its writer). A connection that leaves the
    log to a `Checkpointer` (`no_inline_checkpoints`) is left as it is."""
    before = database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    pages = bulk_pages(_free_bytes(Path(database.database).parent), page_size)
    if 0 < before < pages:
        database.execute_sql(f"PRAGMA wal_autocheckpoint = {pages}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA wal_autocheckpoint = {before}")


def bulk_pages(free_bytes: int, page_size: int) -> int:
    """Pages the log may grow to in a bulk write: `BULK_CHECKPOINT_PAGES`, or fewer on a drive
    short of room, a quarter of its free space at most: the log grows before the library file
    takes its pages, and other programs need room too. An import on a drive with 30 MB free
    failed for want of room where its library needed 5 MB."""
    return min(BULK_CHECKPOINT_PAGES, free_bytes // (4 * page_size))


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:  # unknown: no more than the usual log
        return 0


class Checkpointer:
    def __init__(self, db_file: Path, busy_timeout_ms: int = 1_000) -> None:
        self._wal = db_file.with_name(db_file.name + "-wal")
        self._busy_timeout_ms = busy_timeout_ms
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._exclusive_after = 0.0  # no RESTART or TRUNCATE before this (monotonic) time

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="bookorbit-wal", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            thread.join(10.0)

    def _log_state(self) -> tuple[int, int] | None:
        try:
            found = self._wal.stat()
        except OSError:
            return None
        return found.st_size, found.st_mtime_ns

    def _loop(self) -> None:
        database.execute_sql(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        # The compaction's commits (inside `WRITER_GATE`) must not copy the log themselves.
        no_inline_checkpoints()
        frame_bytes = database.execute_sql("PRAGMA page_size").fetchone()[0] + _FRAME_HEADER_BYTES
        # Nothing seen yet: a log found at the first look is copied, though it was written before
        # this thread started (a commit right after the server started, while it was starting).
        seen: tuple[int, int] | None = None
        changed_at = time.monotonic()
        compact_at = changed_at + FIRST_COMPACT_SECONDS
        fold_at, fold_retry_at, unfolded = changed_at + FOLD_SECONDS, 0.0, True
        try:
            while not self._stopping.wait(CHECKPOINT_SECONDS):
                now = time.monotonic()
                quiet = now - changed_at >= QUIET_SECONDS
                if now >= compact_at and (quiet or now >= compact_at + COMPACT_SECONDS):
                    compact_at = now + COMPACT_SECONDS
                    self._compact()
                if unfolded and now >= fold_retry_at and (quiet or now >= fold_at):
                    due = now >= fold_at  # not only quiet: carried on whatever comes in
                    fold_at, unfolded = now + FOLD_SECONDS, not self._fold(yielding=not due)
                    fold_retry_at = now + FOLD_RETRY_SECONDS if unfolded else 0.0
                state = self._log_state()
                if state is None:
                    continue
                if state == seen:
                    quiet = time.monotonic() - changed_at >= QUIET_SECONDS
                    if quiet and state[0] > SHRINK_LOG_BYTES:
                        self._exclusive("TRUNCATE", wait_ms=0)
                    continue
                seen, changed_at, unfolded = state, time.monotonic(), True
                try:
                    self._checkpoint(frame_bytes)
                except Exception as error:
                    log.info("Could not copy the journal into the library yet: %s", error)
        finally:
            database.close()

    def _checkpoint(self, frame_bytes: int) -> None:
        _busy, frames, _copied = database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames * frame_bytes > RESTART_LOG_BYTES:
            self._exclusive("RESTART", wait_ms=RESTART_WAIT_MS)

    def _exclusive(self, mode: str, *, wait_ms: int) -> None:
        """A checkpoint that holds the writer back while it runs: RESTART or TRUNCATE. One that a
        reader keeps from finishing is not tried again for `EXCLUSIVE_RETRY_SECONDS`."""
        if time.monotonic() < self._exclusive_after:
            return
        database.execute_sql(f"PRAGMA busy_timeout = {wait_ms}")
        try:
            with WRITER_GATE:
                busy = database.execute_sql(f"PRAGMA wal_checkpoint({mode})").fetchone()[0]
        except Exception as error:
            busy, reason = 1, str(error)
        else:
            reason = "another connection is still reading it"
        finally:
            database.execute_sql(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        if busy:
            self._exclusive_after = time.monotonic() + EXCLUSIVE_RETRY_SECONDS
            log.info("Could not start the journal over yet: %s", reason)

    def _fold(self, *, yielding: bool) -> bool:
        """Bring the sort keys a push leaves up to date; False when a step failed (another
        program holds the write lock, the disk is full) or, `yielding`, when another write
        came in between two steps (a push waits for no step of a catch-up begun because the
        library was quiet: after an import, one can be thousands of steps long): tried
        again `FOLD_RETRY_SECONDS` later, whether or not anything is written meanwhile."""
        newest = database.execute_sql(pushed_keys.NEWEST).fetchone() if yielding else None
        try:
            for _written in pushed_keys.fold_steps(database, gate=WRITER_GATE):
                if self._stopping.wait(COMPACT_PAUSE_SECONDS):
                    break
                if (
                    newest is not None
                    and database.execute_sql(pushed_keys.NEWEST).fetchone() != newest
                ):
                    return False
        except Exception as error:
            log.info("Could not bring the sort keys up to date yet: %s", error)
            return False
        return True

    def _compact(self) -> None:
        removed = 0
        try:
            for step in changes.compact_steps(database, gate=WRITER_GATE):
                removed += step
                if self._stopping.wait(COMPACT_PAUSE_SECONDS):
                    break
        except Exception as error:
            log.info("Could not compact the change log yet: %s", error)
        if removed:
            log.debug("Compacted the change log: %d superseded entries removed", removed)
