"""What an import reports: each file's outcome as it goes, and the summary at the end.

Plain data with no readers behind it, so the command line can name it without loading them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

__all__ = [
    "DigestCollision",
    "ImportFailure",
    "ImportOutcome",
    "ImportProgress",
    "ImportSummary",
    "ProgressCallback",
]

log = logging.getLogger("bookorbit_desktop.library.importer")


@dataclass(frozen=True)
class ImportFailure:
    """A file (or named source) that was not imported, with a one-line reason."""

    path: Path
    reason: str


class ImportOutcome(StrEnum):
    IMPORTED = "imported"  # a new book
    COPY = "copy"  # an identical copy of a known file: added to that book
    MOVED = "moved"  # a known file found under a new path
    UPDATED = "updated"  # a known path whose content changed
    UNCHANGED = "unchanged"
    REMOVED = "left out, its book was removed"  # unchanged since the user removed its book
    FAILED = "failed"


TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import NamedTuple

    class _Progress(NamedTuple):
        done: int
        total: int
        file: str | Path  # as the import holds it; `path` is it as a Path
        outcome: ImportOutcome
        book_id: int | None
        reason: str | None  # why it failed, for FAILED
        elapsed: float  # seconds since the import started

else:
    from collections import namedtuple

    _Progress = namedtuple("_Progress", "done total file outcome book_id reason elapsed")


class ImportProgress(_Progress):
    """Sent after each file. A named tuple: a frozen dataclass took three times as long to
    make, which showed with a large library's unchanged files."""

    __slots__ = ()

    @property
    def path(self) -> Path:
        """The file. Made when asked: a Path for each of a large library's unchanged files
        cost more than deciding they are unchanged, and most events are never shown."""
        return Path(self.file)


@dataclass(frozen=True)
class DigestCollision:
    """Two different files with the same KOReader partial MD5 (both books keep the alias)."""

    document: str
    path: Path
    book_id: int
    other_path: Path
    other_book_id: int


@dataclass
class ImportSummary:
    total: int = 0
    imported: int = 0
    copies: int = 0
    moved: int = 0
    updated: int = 0
    unchanged: int = 0
    left_out: int = 0  # files of books the user removed, unchanged since
    ignored: int = 0  # files in folders whose names are not ebooks (covers, notes, ...)
    failures: list[ImportFailure] = field(default_factory=list)
    collisions: list[DigestCollision] = field(default_factory=list)
    book_ids: list[int] = field(default_factory=list)  # books created or changed
    cancelled: bool = False
    elapsed: float = 0.0
    workers: int = 0  # worker processes that read the files (0: read in this process)
    adopted: int = 0  # books given KOReader progress pushed before they were imported

    @property
    def changed(self) -> int:
        """Files that added or changed a book."""
        return self.imported + self.copies + self.moved + self.updated

    @property
    def ok(self) -> bool:
        """True when every file was imported (or already was) and nothing was cancelled."""
        return not self.failures and not self.cancelled

    def finish(self, started: float) -> ImportSummary:
        """Note the time since `started` (time.monotonic) and log the run; returns self."""
        self.elapsed = time.monotonic() - started
        log.info("%s", self.log_line())
        return self

    def log_line(self) -> str:
        """What the log says of a finished run (benchmarks read its worker count)."""
        return (
            f"Import: {self.imported} new, {self.copies} copies, {self.moved} moved, "
            f"{self.updated} updated, {self.unchanged} unchanged, {len(self.failures)} failed "
            f"in {self.elapsed:.1f} s ({self.workers} worker processes)"
        )

    def count(self, outcome: ImportOutcome) -> None:
        attribute = _COUNTED_AS.get(outcome)
        if attribute:
            setattr(self, attribute, getattr(self, attribute) + 1)


# The summary's count of each outcome (failures are listed, not counted).
_COUNTED_AS = {
    ImportOutcome.IMPORTED: "imported",
    ImportOutcome.COPY: "copies",
    ImportOutcome.MOVED: "moved",
    ImportOutcome.UPDATED: "updated",
    ImportOutcome.UNCHANGED: "unchanged",
    ImportOutcome.REMOVED: "left_out",
}


ProgressCallback = Callable[[ImportProgress], None]
