"""Each device's position in a book, resetting a book to its start, and the book an unlinked
document's metadata proposes: for the window (off its thread: `*_later`) and the command line.

What a device sent (its name, a file name, a title) is shown through `log_text`: control
and format characters escaped, so a device cannot forge lines or reorder text on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bookorbit_desktop.library.reading import device_positions as positions
from bookorbit_desktop.library.reading.link_proposal import BY_FILENAME, Proposal, propose_book
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.log_text import for_log

__all__ = ["BY_FILENAME", "DeviceRow", "Proposal"]  # what the window uses of the library


@dataclass(frozen=True)
class DeviceRow:
    key: str  # what `reset(book, device=key)` takes
    device: str  # the device's name, safe to show
    percentage: float  # 0..1 (0 after a reset)
    where: str  # "page 56", "at the start", or the XPointer of a reflowable book
    timestamp: int  # of the device's last push, Unix seconds
    reset_at: int | None  # when a reset put the device back at the start, if one did


def shown(text: str) -> str:
    """A device's text as the window may show it (`for_log` without its quotes)."""
    return for_log(text, limit=max(len(text), 1))[1:-1]


def _where(position: positions.DevicePosition) -> str:
    if position.reset_at is not None:
        return "at the start"
    progress = position.progress.strip()
    return f"page {progress}" if progress.isdigit() else shown(position.progress)


def device_rows(book_id: int) -> list[DeviceRow]:
    return [
        DeviceRow(
            key=position.device_key,
            device=shown(position.device),
            percentage=position.percentage,
            where=_where(position),
            timestamp=position.timestamp,
            reset_at=position.reset_at,
        )
        for position in positions.device_positions(book_id)
    ]


def reset_reach(book_id: int, device: str | None = None) -> list[DeviceRow]:
    """The devices a reset of `device` (None: every device) sends back to the start, as
    `device_rows` shows them: with one device, also those reading the same document."""
    found = positions.device_positions(book_id)
    _, keys = positions.reset_scope(found, device, [p.document for p in found])
    return [row for row in device_rows(book_id) if row.key in keys]


def reset(
    book_id: int, device: str | None = None, *, clock: Callable[[], float] = time.time
) -> positions.ResetResult:
    """Put `book_id` back at its start for every device (or one): nothing else changes, and
    nothing is sent to Hardcover."""
    return positions.reset_progress(book_id, device=device, now=int(clock()))


def proposal(document: str) -> Proposal | None:
    return propose_book(document)


async def device_rows_later(book_id: int) -> list[DeviceRow]:
    return await off_loop(device_rows, book_id)


async def reset_later(book_id: int, device: str | None = None) -> positions.ResetResult:
    return await off_loop(reset, book_id, device)


async def proposal_later(document: str) -> Proposal | None:
    return await off_loop(proposal, document)
