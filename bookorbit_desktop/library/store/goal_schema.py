"""Schema: the user's reading goals (`library.goals`): a number of books or pages between two
dates, and, for a goal kept with Hardcover's, that goal's id there and its values as last read
from Hardcover (`seen`, JSON: the base a change made there meanwhile is told by). Frozen like
every shipped migration."""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def reading_goals(db: SqliteDatabase) -> None:
    """Schema: the reading goals."""
    db.execute_sql(
        "CREATE TABLE reading_goal (id INTEGER PRIMARY KEY,"
        " metric TEXT NOT NULL CHECK (metric IN ('books', 'pages')),"
        " target INTEGER NOT NULL CHECK (target > 0),"
        " start_date TEXT NOT NULL, end_date TEXT NOT NULL CHECK (end_date >= start_date),"
        " description TEXT NOT NULL DEFAULT '',"
        " hardcover_goal_id INTEGER UNIQUE, hardcover_metric TEXT, hardcover_progress REAL,"
        " seen TEXT, updated_at REAL NOT NULL)"
    )
