"""The reading goals kept in the library (`reading_goal`), and how far along each is.

A goal set here is the library's until it is sent to Hardcover; a goal read from Hardcover keeps
its id there, its own progress as Hardcover counted it, and its values as last read (`seen`):
a change made on hardcover.app since is told apart from the user's edit here by them
(`hardcover.goals`).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.goals.rules import METRICS, Goal
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import delete_setting, get_private, set_setting

_COLUMNS = (
    "id, metric, target, start_date, end_date, description, hardcover_goal_id,"
    " hardcover_progress, seen"
)
WAITING = "goals_waiting"  # new goals set while Hardcover was not connected (`mark_waiting`)
LONGEST_DAYS = 3660  # ten years: a goal's dates further apart are a typing mistake


@dataclass(frozen=True)
class StoredGoal:
    id: int
    goal: Goal
    hardcover_goal_id: int | None = None
    hardcover_progress: float | None = None  # Hardcover's own count, as last read
    seen: dict[str, Any] | None = None  # the goal's values on Hardcover as last read


def checked(goal: Goal) -> Goal:
    """The goal if it can be kept; InvalidValueError saying what to change otherwise."""
    if goal.metric not in METRICS:
        raise InvalidValueError(f"A goal counts books or pages, not “{goal.metric}”.")
    if goal.target <= 0:
        raise InvalidValueError("A goal needs at least one book or page to reach.")
    if goal.end < goal.start:
        raise InvalidValueError(
            f"The goal ends ({goal.end.isoformat()}) before it starts ({goal.start.isoformat()})."
        )
    if (goal.end - goal.start).days > LONGEST_DAYS:
        raise InvalidValueError("A goal spans ten years at most: check its dates.")
    return Goal(goal.target, goal.metric, goal.start, goal.end, goal.description.strip())


def all_goals() -> list[StoredGoal]:
    """Every goal, the latest ending first."""
    rows = database.execute_sql(
        f"SELECT {_COLUMNS} FROM reading_goal ORDER BY end_date DESC, start_date DESC, id DESC"
    ).fetchall()
    return [_stored(row) for row in rows]


def get_goal(goal_id: int) -> StoredGoal:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM reading_goal WHERE id = ?", (goal_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no goal {goal_id}. `stats goal` lists them.")
    return _stored(row)


def linked_to(hardcover_goal_id: int) -> StoredGoal | None:
    """The goal kept with Hardcover's goal `hardcover_goal_id`, if any."""
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM reading_goal WHERE hardcover_goal_id = ?", (hardcover_goal_id,)
    ).fetchone()
    return None if row is None else _stored(row)


def current_goals(today: dt.date) -> list[StoredGoal]:
    """The goals whose dates hold `today`, the soonest ending first."""
    return sorted(
        (g for g in all_goals() if g.goal.start <= today <= g.goal.end),
        key=lambda g: (g.goal.end, g.id),
    )


def save_goal(goal: Goal, goal_id: int | None = None) -> StoredGoal:
    """Keep a new goal, or change goal `goal_id`; the goal as kept."""
    goal = checked(goal)
    values = (goal.metric, goal.target, goal.start.isoformat(), goal.end.isoformat())
    with database.atomic("IMMEDIATE"):
        if goal_id is None:
            cursor = database.execute_sql(
                "INSERT INTO reading_goal (metric, target, start_date, end_date, description,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (*values, goal.description, time.time()),
            )
            return get_goal(int(cursor.lastrowid or 0))
        get_goal(goal_id)
        database.execute_sql(
            "UPDATE reading_goal SET metric = ?, target = ?, start_date = ?, end_date = ?,"
            " description = ?, updated_at = ? WHERE id = ?",
            (*values, goal.description, time.time(), goal_id),
        )
        return get_goal(goal_id)


def delete_goal(goal_id: int) -> StoredGoal:
    with database.atomic("IMMEDIATE"):
        gone = get_goal(goal_id)
        database.execute_sql("DELETE FROM reading_goal WHERE id = ?", (goal_id,))
        _set_waiting(waiting() - {goal_id})
    return gone


def mark_waiting(goal_id: int) -> None:
    """Goal `goal_id`, new here, is to go to Hardcover once it can (set while Hardcover was
    not connected); a goal unlinked because it is gone there is not (it stays here only)."""
    with database.atomic("IMMEDIATE"):
        _set_waiting(waiting() | {goal_id})


def waiting() -> set[int]:
    """The new goals waiting to go to Hardcover (`mark_waiting`)."""
    return set(get_private(WAITING) or [])


def _set_waiting(ids: set[int]) -> None:
    if ids:
        set_setting(WAITING, sorted(ids))
    else:
        delete_setting(WAITING)


def keep_from_hardcover(
    goal: Goal, hardcover_goal_id: int, progress: float | None, seen: dict[str, Any]
) -> StoredGoal:
    """Hardcover's goal as read there: the one linked to it updated (a goal set here and sent
    is linked by its id), else a new one."""
    with database.atomic("IMMEDIATE"):
        row = database.execute_sql(
            "SELECT id FROM reading_goal WHERE hardcover_goal_id = ?", (hardcover_goal_id,)
        ).fetchone()
        goal_id = save_goal(goal, row[0] if row else None).id
        link(goal_id, hardcover_goal_id, progress, seen)
        return get_goal(goal_id)


def link(
    goal_id: int, hardcover_goal_id: int, progress: float | None, seen: dict[str, Any]
) -> None:
    """Goal `goal_id` is Hardcover's goal `hardcover_goal_id`, which now holds `seen`."""
    with database.atomic("IMMEDIATE"):
        database.execute_sql(
            "UPDATE reading_goal SET hardcover_goal_id = ?, hardcover_progress = ?, seen = ?"
            " WHERE id = ?",
            (hardcover_goal_id, progress, json.dumps(seen, sort_keys=True), goal_id),
        )
        _set_waiting(waiting() - {goal_id})


def unlink(goal_id: int) -> None:
    """Goal `goal_id` is no goal on Hardcover any more (gone there): kept here only."""
    database.execute_sql(
        "UPDATE reading_goal SET hardcover_goal_id = NULL, hardcover_progress = NULL,"
        " seen = NULL WHERE id = ?",
        (goal_id,),
    )


def forget_hardcover_goals(kept: Sequence[int]) -> list[StoredGoal]:
    """Delete the goals linked to a Hardcover goal not among `kept` (deleted or archived on
    hardcover.app); the goals deleted."""
    gone = [g for g in all_goals() if g.hardcover_goal_id and g.hardcover_goal_id not in kept]
    with database.atomic("IMMEDIATE"):
        for goal in gone:
            database.execute_sql("DELETE FROM reading_goal WHERE id = ?", (goal.id,))
    return gone


def _stored(row: tuple[Any, ...]) -> StoredGoal:
    goal_id, metric, target, start, end, description, hc_id, hc_progress, seen = row
    goal = Goal(
        target, metric, dt.date.fromisoformat(start), dt.date.fromisoformat(end), description
    )
    return StoredGoal(goal_id, goal, hc_id, hc_progress, json.loads(seen) if seen else None)
