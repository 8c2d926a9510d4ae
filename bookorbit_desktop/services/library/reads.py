"""A book's reads for the book panel and `book reads`: each read in plain words, and adding,
editing and deleting one (`library.reads.edits`: each one undo step); the window reads the list
off its thread (`read_lines_later`).

The list holds the book's own reads and the reads on hardcover.app of the Hardcover book it is
linked to that are none of them (`library.reads.gather.hardcover_only`), oldest first, the open
read last. A device's name is shown through `log_text`, as everything a device sent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bookorbit_desktop.library.reading.values import percent
from bookorbit_desktop.library.reads import edits
from bookorbit_desktop.library.reads.counting import HARDCOVER, KOREADER, LIBRARY
from bookorbit_desktop.library.reads.gather import hardcover_only
from bookorbit_desktop.library.reads.store import ABANDONED, DONE, OPEN, STATES, book_reads
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.log_text import for_log

__all__ = ["ABANDONED", "DONE", "OPEN", "STATES"]

SOURCE_LABELS = {LIBRARY: "this library", KOREADER: "a KOReader device", HARDCOVER: "hardcover.app"}
STATE_LABELS = {DONE: "finished", OPEN: "reading", ABANDONED: "abandoned"}


@dataclass(frozen=True)
class ReadLine:
    """One read as the window and the command line show it."""

    read_id: int | None  # the library's read; None for one only on hardcover.app
    hardcover_read_id: int | None
    started: str | None  # ISO date
    finished: str | None  # ISO date; None: open, or finished with no date
    state: str  # DONE, OPEN or ABANDONED
    progress: str  # "100 %", "45 %", "320 pages", or ""
    device: str | None  # the device KOReader named, safe to show
    source: str  # SOURCE_LABELS' words

    @property
    def editable(self) -> bool:
        return self.read_id is not None

    def finish_text(self) -> str:
        """The finish as shown: its date, "no date" for a finished read without one, "open"."""
        if self.state == OPEN:
            return "open"
        return self.finished or "no date"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _shown(text: str | None) -> str | None:
    return None if text is None else for_log(text, limit=max(len(text), 1))[1:-1]


def read_lines(book_id: int) -> list[ReadLine]:
    """The book's reads, oldest first (the open one last)."""
    lines = [
        ReadLine(
            read.id,
            read.hardcover_read_id,
            read.started,
            read.finished,
            read.state,
            f"{read.pages} pages" if read.pages else _progress(read.state, read.progress),
            _shown(read.device),
            SOURCE_LABELS.get(read.source, read.source),
        )
        for read in book_reads(book_id)
    ]
    for read in hardcover_only(book_id):
        lines.append(
            ReadLine(
                None,
                read.hardcover_read_id,
                read.started.isoformat() if read.started else None,
                read.finished.isoformat() if read.finished else None,
                DONE if read.done else OPEN,
                "",
                None,
                SOURCE_LABELS[HARDCOVER],
            )
        )
    return sorted(lines, key=lambda line: (line.state == OPEN, line.started or line.finished or ""))


def _progress(state: str, progress: float | None) -> str:
    if state == DONE:
        return percent(1.0)
    return percent(progress) if progress else ""


def add_read(
    book_id: int,
    started: str | None,
    finished: str | None,
    state: str,
    hardcover_read_id: int | None = None,
) -> int:
    """A new read of the book (that read on hardcover.app, with `hardcover_read_id`); its id."""
    added = edits.add_read(
        book_id,
        started=started,
        finished=finished,
        state=state,
        hardcover_read_id=hardcover_read_id,
    )
    return int(added.id or 0)


def edit_read(read_id: int, **changes: Any) -> None:
    """Change a read's `started`, `finished` or `state` (those given)."""
    edits.edit_read(read_id, **changes)


def delete_read(read_id: int) -> None:
    edits.remove_read(read_id)


def delete_hardcover_read(book_id: int, hardcover_read_id: int) -> None:
    """Delete a read of the book that is only on hardcover.app (the sync deletes it there)."""
    edits.delete_hardcover_read(book_id, hardcover_read_id)


async def read_lines_later(book_id: int) -> list[ReadLine]:
    return await off_loop(read_lines, book_id)
