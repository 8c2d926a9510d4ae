"""Schema version 10: the earlier texts of each highlight (kept in a module of its own so
`migrations` stays within the module size; frozen like every shipped migration).

A device's export or the user replacing a highlight's text or note never loses the text it
replaces: the old text and note, who wrote them and when, and when and from where they were
replaced go to `highlight_version`, which the window lists and restores from.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def v10_highlight_versions(db: SqliteDatabase) -> None:
    db.execute_sql(
        """CREATE TABLE highlight_version (
            id INTEGER NOT NULL PRIMARY KEY,
            highlight_id INTEGER NOT NULL REFERENCES highlight (id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            note TEXT NOT NULL,
            origin TEXT,
            changed_at REAL NOT NULL,
            replaced_at REAL NOT NULL,
            replaced_by TEXT)"""
    )
    db.execute_sql(
        "CREATE INDEX highlight_version_highlight_id ON highlight_version (highlight_id)"
    )
