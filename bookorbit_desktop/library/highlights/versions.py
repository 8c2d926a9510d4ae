"""The earlier texts of a highlight: nothing an export (or a restore) replaces is lost.

Without a pairing secret anyone on the Wi-Fi may post highlights, so a post can replace the
note the user wrote. Before a highlight's text or note is replaced, `keep_replaced` copies the
old ones to `highlight_version` with who wrote them, when, and the address that replaced them.
`for_highlight` lists them, newest first; `restore` makes one the highlight's text again (the
text it replaces is kept in turn, so a restore can be undone the same way).

A highlight keeps at most `MAX_VERSIONS` earlier texts, the newest, plus always its oldest one
(the text before any replacement, usually the user's own): a stranger re-posting edited notes
again and again can neither grow the table without bound nor push the user's text out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import fn

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.channel_tables import Highlight, HighlightVersion
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.typed import tuples

THIS_COMPUTER = "this computer"  # who replaced a text when the user restored an earlier one


@dataclass(frozen=True)
class Version:
    """A text and note a highlight had, who wrote them when, and who replaced them when."""

    id: int
    highlight_id: int
    text: str
    note: str
    origin: str | None
    changed_at: float
    replaced_at: float
    replaced_by: str | None


def keep_replaced(
    changes: Sequence[tuple[int, Entry]], *, replaced_by: str | None, now: float
) -> int:
    """Keep the text and note of every highlight in `changes` (id, entry after the change)
    that the change replaces; at most a few hundred changes at a time. Returns how many."""
    after = dict(changes)
    query = Highlight.select(
        Highlight.id, Highlight.text, Highlight.note, Highlight.origin, Highlight.changed_at
    ).where(Highlight.id.in_(list(after)))
    kept = [
        {
            "highlight": row_id,
            "text": text,
            "note": note,
            "origin": origin,
            "changed_at": changed_at,
            "replaced_at": now,
            "replaced_by": replaced_by,
        }
        for row_id, text, note, origin, changed_at in tuples(query)
        if (text, note) != (after[row_id].text, after[row_id].note)
    ]
    if kept:
        HighlightVersion.insert_many(kept).execute()
        _trim([row["highlight"] for row in kept])
    return len(kept)


MAX_VERSIONS = 20  # earlier texts kept per highlight, besides its oldest


def _trim(highlight_ids: list[int]) -> None:
    """Drop all but the newest `MAX_VERSIONS` and the oldest earlier text of these highlights."""
    table = HighlightVersion._meta.table_name
    marks = ", ".join("?" * len(highlight_ids))
    database.execute_sql(
        f"DELETE FROM {table} WHERE highlight_id IN ({marks}) AND id NOT IN ("
        " SELECT id FROM (SELECT id,"
        "  ROW_NUMBER() OVER (PARTITION BY highlight_id ORDER BY id DESC) AS newest,"
        "  ROW_NUMBER() OVER (PARTITION BY highlight_id ORDER BY id) AS oldest"
        f"  FROM {table} WHERE highlight_id IN ({marks}))"
        " WHERE newest <= ? OR oldest = 1)",
        (*highlight_ids, *highlight_ids, MAX_VERSIONS),
    )


def for_highlight(highlight_id: int) -> list[Version]:
    """The highlight's earlier texts, the most recently replaced first."""
    query = (
        HighlightVersion.select()
        .where(HighlightVersion.highlight == highlight_id)
        .order_by(HighlightVersion.replaced_at.desc(), HighlightVersion.id.desc())
    )
    return [_version(row) for row in query]


def counts(highlight_ids: Sequence[int]) -> dict[int, int]:
    """How many earlier texts each of these highlights has (those with none are left out)."""
    found: dict[int, int] = {}
    for start in range(0, len(highlight_ids), 500):
        part = list(highlight_ids[start : start + 500])
        query = (
            HighlightVersion.select(HighlightVersion.highlight, fn.COUNT(HighlightVersion.id))
            .where(HighlightVersion.highlight.in_(part))
            .group_by(HighlightVersion.highlight)
        )
        found.update(dict(tuples(query)))
    return found


def restore(version_id: int, *, now: float) -> Version:
    """Make an earlier text and note the highlight's own again; the ones it replaces are
    kept as a version in turn. Returns the version restored."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = HighlightVersion.get_or_none(HighlightVersion.id == version_id)
        if row is None:
            raise NotFoundError(f"There is no earlier text {version_id}.")
        highlight = Highlight.get_by_id(row.highlight_id)
        restored = Entry(highlight.created, row.text, row.note)
        keep_replaced([(highlight.id, restored)], replaced_by=THIS_COMPUTER, now=now)
        Highlight.update(text=row.text, note=row.note, origin=THIS_COMPUTER, changed_at=now).where(
            Highlight.id == highlight.id
        ).execute()
    return _version(row)


def _version(row: HighlightVersion) -> Version:
    return Version(
        row.id,
        row.highlight_id,
        row.text,
        row.note,
        row.origin,
        row.changed_at,
        row.replaced_at,
        row.replaced_by,
    )
