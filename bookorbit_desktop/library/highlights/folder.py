"""Importing the sidecars under a folder (a mounted e-reader or a copy of one).

Every `metadata.*.lua` below the folder is read as data (never its `.old` backup), matched to a
library book by its `partial_md5_checksum` (the library's KOReader digest), else by title and
authors with the library's own rule; a book found neither way, or more than one, waits for the
user like an unlinked document. One unreadable file is reported and the others still import.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.lua_table import LuaSyntaxError, parse
from bookorbit_desktop.library.highlights.sidecar import Sidecar, SidecarError, read_sidecar
from bookorbit_desktop.library.highlights.store import Recorded, Target
from bookorbit_desktop.library.reading.document_match import match_book_by_metadata
from bookorbit_desktop.library.reading.pushes import resolve_document
from bookorbit_desktop.library.store.models import database

MAX_SIDECAR_BYTES = 16 * 1024 * 1024  # a sidecar with thousands of highlights is ~2 MiB
_SIDECAR_NAME = re.compile(r"^metadata\.[^/\\]+\.lua$")


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    title: str
    book_id: int | None  # None: waits for the user (or the file could not be read)
    recorded: Recorded | None
    proposed: bool = False
    skipped: int = 0
    error: str | None = None


def find_sidecars(folder: Path) -> Iterator[Path]:
    """Every sidecar file below `folder`, in a stable order (links to folders not followed)."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if _SIDECAR_NAME.match(name):
                yield Path(root) / name


def book_for(sidecar: Sidecar) -> int | None:
    """The one library book the sidecar belongs to, or None (unknown or ambiguous)."""
    if sidecar.digest:
        found = resolve_document(sidecar.digest)
        if found.book_id is not None:
            return found.book_id
        if found.candidates:
            return None
    return match_book_by_metadata(sidecar.title, sidecar.authors)


def _read(path: Path, tz: dt.tzinfo | None) -> Sidecar:
    if path.stat().st_size > MAX_SIDECAR_BYTES:
        raise SidecarError(f"larger than {MAX_SIDECAR_BYTES // (1024 * 1024)} MiB")
    return read_sidecar(parse(path.read_bytes()), tz=tz)


def import_file(path: Path, *, now: float, tz: dt.tzinfo | None = None) -> FileOutcome:
    """Import one sidecar file; a file that cannot be read becomes an outcome with `error`."""
    try:
        sidecar = _read(path, tz)
    except (OSError, LuaSyntaxError, SidecarError) as error:
        return FileOutcome(path, "", None, None, error=f"{path}: {error}")
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        return _store(path, sidecar, now)


def _store(path: Path, sidecar: Sidecar, now: float) -> FileOutcome:
    book_id = book_for(sidecar)
    title = sidecar.title or path.parent.name.removesuffix(".sdr")
    target = Target(book_id, title, sidecar.authors)
    recorded = store.record(
        target, sidecar.entries, source=store.SOURCE_SIDECAR, origin=str(path), now=now
    )
    proposed = False
    if book_id is not None:
        proposed = (
            proposals.propose(
                book_id,
                store.SOURCE_SIDECAR,
                status=sidecar.status,
                rating=sidecar.rating,
                note=sidecar.note,
                now=now,
            )
            is not None
        )
    return FileOutcome(path, title, book_id, recorded, proposed, sidecar.skipped)


def import_folder(
    folder: Path,
    *,
    clock: Callable[[], float],
    tz: dt.tzinfo | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Import every sidecar below `folder`, one transaction per file."""
    if not folder.is_dir():
        raise InvalidValueError(
            f"{folder} is not a folder. Give the e-reader's folder (or a copy of it)."
        )
    outcomes = []
    for path in find_sidecars(folder):
        outcome = import_file(path, now=clock(), tz=tz)
        outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return outcomes
