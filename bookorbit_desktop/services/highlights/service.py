"""Highlights for the window and the command line, answered with plain data.

Reads a book's highlights, searches them, exports them (JSON rows, Markdown), imports a folder
of KOReader sidecars, and lists what waits for the user: exports that matched no single book
and the status or rating changes an export proposes. Every decision lives in
`library.highlights`; this module only shapes its answers.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.highlights import (
    export,
    folder,
    proposals,
    store,
    versions,
    waiting_cap,
)
from bookorbit_desktop.library.highlights.proposals import ProposalRow
from bookorbit_desktop.library.highlights.store import HighlightRow, Recorded, Waiting
from bookorbit_desktop.library.highlights.waiting_cap import Usage
from bookorbit_desktop.library.reading.edits import UNSET
from bookorbit_desktop.library.store.queries import get_book
from bookorbit_desktop.library.store.settings import delete_setting, get_setting, set_setting

DEFAULT_EXPORT_PORT = 8080  # the port KOReader's XMNote exporter always appends
# A pairing secret is typed once into KOReader, so it can be long: 24 lowercase letters and
# digits are about 124 bits, which no guesser gets through the receiver's throttle.
SECRET_CHARS = 24
MIN_SECRET_CHARS = 20
SECRET_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class HighlightView:
    """One highlight as the window shows it."""

    id: int
    book_id: int
    book_title: str
    text: str
    note: str
    chapter: str
    page: str
    date: str  # YYYY-MM-DD, the day it was made (this computer's time zone)
    earlier: int = 0  # texts it had before an export or a restore replaced them


def _view(row: HighlightRow, earlier: int = 0) -> HighlightView:
    entry = row.entry
    return HighlightView(
        row.id,
        row.book_id or 0,
        row.book_title,
        entry.text,
        entry.note,
        entry.chapter or "",
        entry.page or "",
        dt.datetime.fromtimestamp(entry.created).date().isoformat(),
        earlier,
    )


@dataclass(frozen=True)
class EarlierText:
    """A text and note a highlight had, as the window lists them."""

    id: int
    text: str
    note: str
    written: str  # "2026-11-20 14:02 from 192.168.1.23"
    replaced: str  # "2026-11-25 09:12 by 192.168.1.40"


def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")


def earlier_texts(highlight_id: int) -> list[EarlierText]:
    """What the highlight's text and note were before, the most recently replaced first."""
    return [
        EarlierText(
            version.id,
            version.text,
            version.note,
            f"{_when(version.changed_at)} from {version.origin or 'an unknown source'}",
            f"{_when(version.replaced_at)} by {version.replaced_by or 'an unknown source'}",
        )
        for version in versions.for_highlight(highlight_id)
    ]


def restore_text(version_id: int, *, clock: Callable[[], float] = time.time) -> None:
    """Make an earlier text the highlight's own again (the one it replaces is kept)."""
    versions.restore(version_id, now=clock())


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_CHARS))


def check_secret(secret: str) -> str:
    """The secret when it is long enough and typable, else InvalidValueError saying why."""
    if len(secret) < MIN_SECRET_CHARS or not all(c in SECRET_ALPHABET for c in secret.lower()):
        raise InvalidValueError(
            f"Use at least {MIN_SECRET_CHARS} letters and digits for the secret, or let "
            "BookOrbit make one (Require a secret on the Highlights page)."
        )
    return secret


def require_secret() -> str:
    """Make a long random pairing secret and require it from now on (after the server's
    restart); returns it for the user to type into KOReader."""
    secret = new_secret()
    set_setting("highlights.secret", secret)
    return secret


def stop_requiring_secret() -> None:
    """Forget the pairing secret: after the server's restart any device on the Wi-Fi may post
    highlights again (texts they replace are kept)."""
    delete_setting("highlights.secret")  # back to its default: none


def waiting_usage() -> Usage:
    """What exports for unknown books keep now, against their cap."""
    return waiting_cap.usage()


def exporter_addresses(addresses: list[str], port: int, secret: str | None = None) -> list[str]:
    """What to type into KOReader's "Set XMNote IP": the bare address on port 8080; else (or
    with a pairing secret) `IP:PORT/send?k=SECRET` or `IP:PORT/send#`, because KOReader
    appends ":8080/send" to whatever is typed."""
    if port == DEFAULT_EXPORT_PORT and not secret:
        return list(addresses)
    tail = f"/send?k={secret}" if secret else "/send#"
    return [f"{address}:{port}{tail}" for address in addresses]


@dataclass(frozen=True)
class ReceiverSettings:
    on: bool
    port: int
    secret: str | None


def receiver_settings() -> ReceiverSettings:
    return ReceiverSettings(
        bool(get_setting("highlights.receiver")),
        int(get_setting("highlights.port")),
        get_setting("highlights.secret"),
    )


def save_receiver(on: bool, port: int) -> ReceiverSettings:
    """Switch the receiver on or off and choose its port (takes effect when the server
    restarts)."""
    if not 1 <= port <= 65535:
        raise InvalidValueError(f"The port must be a number from 1 to 65535, not {port}.")
    set_setting("highlights.receiver", on)
    set_setting("highlights.port", port)
    return receiver_settings()


def book_highlights(book_id: int) -> list[HighlightView]:
    rows = store.for_book(book_id)
    earlier = versions.counts([row.id for row in rows])
    return [_view(row, earlier.get(row.id, 0)) for row in rows]


def every_highlight() -> list[HighlightView]:
    return [_view(row) for row in store.all_linked()]


def search(words: str, limit: int = 200) -> list[HighlightView]:
    """Highlights of every library book holding all the words (all of them when empty)."""
    rows = store.search(words, limit) if words.strip() else store.all_linked()[:limit]
    return [_view(row) for row in rows]


def json_rows(book_id: int | None) -> list[dict[str, Any]]:
    """`{book_id, text, note, chapter, page, created, updated}` for one book or every book."""
    if book_id is not None:
        get_book(book_id)  # a clear "no such book" error
        rows = store.for_book(book_id)
    else:
        rows = store.all_linked()
    return [export.json_row(row) for row in rows]


def markdown(book_id: int) -> str:
    book = get_book(book_id)
    authors = [str(name) for name in book.get("authors", [])]
    return export.markdown(str(book["title"]), authors, store.for_book(book_id))


def delete(highlight_id: int, *, clock: Callable[[], float] = time.time) -> None:
    store.delete(highlight_id, now=clock())


def import_sidecars(
    directory: Path,
    *,
    clock: Callable[[], float] = time.time,
    on_file: Callable[[folder.FileOutcome], None] | None = None,
) -> list[folder.FileOutcome]:
    return folder.import_folder(directory, clock=clock, on_file=on_file)


def waiting_exports() -> list[Waiting]:
    return store.waiting()


def link_export(
    title: str, authors: str, book_id: int, *, clock: Callable[[], float] = time.time
) -> Recorded:
    return store.link_waiting(title, authors, book_id, now=clock())


def waiting_proposals() -> list[ProposalRow]:
    return proposals.waiting()


def apply_proposal(proposal_id: int, *, finished: object = UNSET) -> dict[str, object]:
    return proposals.apply(proposal_id, finished=finished)


def dismiss_proposal(proposal_id: int) -> None:
    proposals.dismiss(proposal_id)
