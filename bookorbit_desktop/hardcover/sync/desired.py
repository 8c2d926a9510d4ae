"""The dates a Hardcover entry should carry, each with where it came from. Pure.

A value reaches Hardcover only with its evidence or the user's word. Every trigger (the
background worker, Sync Now, `hardcover sync`) builds an entry's desired state here, from the
library's dates (after `copies.combine`) with their sources (`library.reading.sources`) and,
when asked, the reads found in KOReader's reading history (`library.history.splitting`):

| the library's date (its source)     | history's read    | the entry wants         | source    |
|-------------------------------------|-------------------|-------------------------|-----------|
| the user's: an edit, Mark Read, an  | any               | the library's date      | user      |
| approved date, or stored before     |                   |                         |           |
| sources were kept (user, NULL)      |                   |                         |           |
| taken from Hardcover (hardcover)    | any               | the library's date      | hardcover |
| the day a kosync push arrived       | none, or the same | the library's date      | kosync    |
| (sync: "date of sync")              | date              |                         |           |
| the day a kosync push arrived       | another date      | the library's date, and | kosync    |
|                                     |                   | history's as a proposal |           |
| a session's day (history)           | any               | nothing new; the        | hardcover |
|                                     |                   | library's date proposed |           |
| none                                | a date            | nothing new; a proposal | hardcover |
| none                                | none              | nothing new             | hardcover |

"hardcover" as a source of nothing new means the entry keeps what Hardcover has (`reconcile`
decides, three-way). A proposal is shown in the review and by `hardcover sync --dry-run`; it
becomes the user's date only when approved (`approvals.accept`), which writes it to the
library's reading state as the user's, so every later trigger sends it. A date of sync is weaker
evidence than history because KOReader keeps offline pushes and sends them later: the arrival
day may be days after the reading, while the statistics hold the session's own time; it is
still sent (it is what the library shows) until the user approves history's date instead.

Which read of the history: for a finished status, the latest finished read (its first and last
session); for an open status, the latest read when it is unfinished (its start only).

Started ≤ finished, always: when the two dates the entry would carry disagree, the weaker one
(user > hardcover > kosync) is withheld, the start date when both are as strong: Hardcover
keeps its own for it (`Local.kept_dates`) and the entry says why; a proposal that would break
the order is not offered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bookorbit_desktop.hardcover.sync.model import FINISHED_READ, OPEN_READ, Local, read_kind
from bookorbit_desktop.library.history.splitting import DatedRead
from bookorbit_desktop.library.reading import sources as library

KOSYNC, HISTORY, USER, HARDCOVER = "kosync", "history", "user", "hardcover"
DATES = ("started", "finished")
_FROM_LIBRARY = {library.SYNC: KOSYNC, library.HISTORY: HISTORY, library.HARDCOVER: HARDCOVER}
_STRENGTH = {USER: 3, HARDCOVER: 2, KOSYNC: 1}


@dataclass(frozen=True)
class Proposal:
    """A date from the reading history that waits for the user's yes."""

    book_id: int  # the library copy whose reading state takes it once approved
    name: str  # "started" or "finished"
    value: str

    def to_json(self) -> dict[str, object]:
        return {"book_id": self.book_id, "name": self.name, "value": self.value}


@dataclass(frozen=True)
class Desired:
    local: Local  # the entry's desired state: only dates with a source in `sources`
    sources: Mapping[str, str]  # "started"/"finished" -> kosync | user | hardcover
    proposals: tuple[Proposal, ...] = ()
    notes: tuple[str, ...] = ()


def library_source(stored: str | None) -> str:
    """The source of a library date from the word the reading state records beside it."""
    return _FROM_LIBRARY.get(stored or "", USER)


def needs_history(local: Local, stored_sources: Mapping[str, str | None] | None = None) -> bool:
    """Could the history propose anything for this entry (a date its status needs that is
    not the user's)? Only then are the book's reads looked up."""
    kind = read_kind(local.status_id or 0)
    names = DATES if kind == FINISHED_READ else ("started",) if kind == OPEN_READ else ()
    stored = stored_sources or {}
    strong = (USER, HARDCOVER)
    return any(not getattr(local, n) or library_source(stored.get(n)) not in strong for n in names)


def desired_entry(
    local: Local,
    history: Sequence[DatedRead] = (),
    stored_sources: Mapping[str, str | None] | None = None,
) -> Desired:
    """The entry's dates by the module's table; `history` is the entry's reads (the leading
    copy's, else its other copies'), oldest first, and `stored_sources` what the library
    records of where its dates came from."""
    kind = read_kind(local.status_id or 0)
    stored = stored_sources or {}
    needed = DATES if kind == FINISHED_READ else ("started",) if kind == OPEN_READ else ()
    dates: dict[str, str | None] = {n: getattr(local, n) if n in needed else None for n in DATES}
    sources = {n: library_source(stored.get(n)) if dates[n] else HARDCOVER for n in DATES}
    offered: dict[str, str | None] = {n: None for n in DATES}
    for name in DATES:
        if sources[name] == HISTORY:  # the library's own record of history: a proposal
            offered[name], dates[name], sources[name] = dates[name], None, HARDCOVER
    notes: list[str] = []
    before = dict(dates)
    dates, sources = _ordered(dates, sources, notes)
    # Withheld as out of order, or only proposed from the history: Hardcover keeps what it
    # has for it (a date sent earlier is never cleared) until the user settles it.
    kept = frozenset(
        n for n in DATES if (before[n] and not dates[n]) or library_source(stored.get(n)) == HISTORY
    )
    read = _history_read(kind, history)
    if read is not None:
        found = {"started": read.started, "finished": read.finished}
        offered = {n: offered[n] or found[n] for n in DATES}
    proposals: list[Proposal] = []
    for name in DATES:
        value = offered[name]
        sent = dates[name] is not None and sources[name] in (USER, HARDCOVER)
        if value is None or sent or value == dates[name]:
            continue
        other = dates["finished" if name == "started" else "started"]
        if other is not None and (value > other if name == "started" else value < other):
            notes.append(f"history's {name} date {value} disagrees with the other date")
            continue
        proposals.append(Proposal(local.book_id, name, value))
    desired = replace(local, started=dates["started"], finished=dates["finished"], kept_dates=kept)
    return Desired(desired, sources, tuple(proposals), tuple(notes))


def _ordered(
    dates: dict[str, str | None], sources: dict[str, str], notes: list[str]
) -> tuple[dict[str, str | None], dict[str, str]]:
    started, finished = dates["started"], dates["finished"]
    if started is None or finished is None or started <= finished:
        return dates, sources
    weaker = (
        "finished"
        if _STRENGTH.get(sources["finished"], 0) < _STRENGTH.get(sources["started"], 0)
        else "started"
    )
    notes.append(
        f"start date {started} is after the finish date {finished}: the {weaker} date is "
        "not sent; check the book's dates"
    )
    return {**dates, weaker: None}, {**sources, weaker: HARDCOVER}


def _history_read(kind: str, history: Sequence[DatedRead]) -> DatedRead | None:
    if kind == FINISHED_READ:
        return next((r for r in reversed(history) if r.finished is not None), None)
    if kind == OPEN_READ and history and history[-1].finished is None:
        return history[-1]
    return None
