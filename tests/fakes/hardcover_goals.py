"""The fake Hardcover's reading goals: insert, update and the progress Hardcover counts.

Refusals come back in `GoalIdType.errors` with HTTP 200. Progress is Hardcover's own count of
the user's reads finished between the goal's dates (books: reads; pages: their editions' pages),
as `update_goal_progress` or a change of the goal recounts it. The values `metric` takes are not
documented; `METRICS` lists the ones this fake accepts (a switch for tests of an unknown one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.hardcover_catalog import Catalog
    from tests.fakes.hardcover_resolvers import ExecutionContext

METRICS = {"book", "pages"}
_COLUMNS = ("goal", "metric", "start_date", "end_date", "description", "privacy_setting_id")


def _refused(message: str) -> dict[str, Any]:
    return {"errors": [message], "id": None, "goal": None}


def _checked(object: dict[str, Any]) -> str | None:
    if object["metric"] not in METRICS:
        return f"Unknown metric {object['metric']}"
    if object["goal"] <= 0:
        return "Goal must be greater than 0"
    if str(object["end_date"]) < str(object["start_date"]):
        return "End date must be after start date"
    return None


def recount(catalog: Catalog, goal: dict[str, Any]) -> None:
    """The goal's progress as Hardcover counts it."""
    total = 0
    for entry in catalog.rows("user_books"):
        if entry["user_id"] != goal["user_id"]:
            continue
        for read in catalog.reads_of(entry["id"]):
            finished = read.get("finished_at")
            if finished and goal["start_date"] <= str(finished)[:10] <= goal["end_date"]:
                edition = catalog.get("editions", read.get("edition_id") or entry.get("edition_id"))
                total += (edition or {}).get("pages") or 0 if goal["metric"] == "pages" else 1
    goal["progress"] = total


def insert_goal(context: ExecutionContext, object: dict[str, Any]) -> dict[str, Any]:
    if refusal := _checked(object):
        return _refused(refusal)
    values = {name: object.get(name) for name in _COLUMNS}
    values.update(user_id=context.user_id, archived=bool(object.get("archived")),
                  conditions=object.get("conditions") or {}, state="active",
                  completed_at=None, progress=0)  # fmt: skip
    goal_id = context.catalog._insert("goals", values)
    goal = context.catalog.get("goals", goal_id)
    assert goal is not None
    recount(context.catalog, goal)
    return {"errors": None, "id": goal_id, "goal": goal}


def update_goal(context: ExecutionContext, id: int, object: dict[str, Any]) -> dict[str, Any]:
    goal = _own_goal(context, id)
    if goal is None:
        return _refused("Goal not found")
    if refusal := _checked(object):
        return _refused(refusal)
    for name in _COLUMNS:
        if name in object:
            goal[name] = object[name]
    goal["archived"] = bool(object.get("archived", goal["archived"]))
    recount(context.catalog, goal)
    return {"errors": None, "id": id, "goal": goal}


def _own_goal(context: ExecutionContext, id: int) -> dict[str, Any] | None:
    goal = context.catalog.get("goals", id)
    return goal if goal is not None and goal["user_id"] == context.user_id else None


def update_goal_progress(context: ExecutionContext, id: int) -> dict[str, Any]:
    goal = _own_goal(context, id)
    if goal is None:
        return _refused("Goal not found")
    recount(context.catalog, goal)
    return {"errors": None, "id": id, "goal": goal}


def delete_goal(context: ExecutionContext, id: int) -> dict[str, Any]:
    if _own_goal(context, id) is None:
        return _refused("Goal not found")
    context.catalog.delete_row("goals", id)
    return {"errors": None, "id": id, "goal": None}


GOAL_MUTATIONS = {
    "delete_goal": delete_goal,
    "insert_goal": insert_goal,
    "update_goal": update_goal,
    "update_goal_progress": update_goal_progress,
}
