"""Schema: where each of a book's reading dates came from (kept in a module of its own so
`migrations` stays within the module size; frozen like every shipped migration).

`reading_state.started_source` and `reading_state.finished_source` say what the date beside
them rests on (`library.reading.sources` names the values and says what each one may do):

- "user": the user typed or chose it (an edit, Mark Read's dialog, an approved history date);
- "history": the reading history (KOReader's statistics) holds it: a first or last session;
- "sync": the day a kosync push arrived (the protocol carries no time of reading, and KOReader
  sends offline pushes later), weak evidence;
- "hardcover": taken from the user's Hardcover entry.

NULL: no date, or a date stored before sources were kept (read as the user's).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def date_sources(db: SqliteDatabase) -> None:
    for column in ("started_source TEXT", "finished_source TEXT"):
        db.execute_sql(f"ALTER TABLE reading_state ADD COLUMN {column}")
