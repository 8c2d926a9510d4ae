"""The reading goals kept with the user's goals on Hardcover (`goals`, `insert_goal`,
`update_goal`; scopes read:goals and write:goals).

- `pull_goals` reads every goal not archived there into the library: a goal linked to one is
  updated to Hardcover's values (unless it was changed here since: the user's change is kept,
  to be sent), a new one is added, and one deleted or archived there is deleted here. Goals
  counting what the library has no word for (a metric other than books or pages) are left on
  Hardcover and named.
- `delete_goal` deletes a goal here and there.
- `send_goal` sends a goal set or changed here. A goal linked to Hardcover's is read there
  first: if it changed on hardcover.app since it was last read, nothing is sent, Hardcover's
  values are kept here, and `GoalChangedError` says what they are (no silent overwrite); if it
  is gone there, nothing is sent and the goal is kept here only.

The values Hardcover's `metric` takes are not documented: `book` and `pages` are sent, and any
metric starting with "book" or "page" is read as books or pages.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.errors import BookOrbitError, InvalidValueError, NotFoundError
from bookorbit_desktop.library.goals import store
from bookorbit_desktop.library.goals.rules import BOOKS, PAGES, Goal, unit

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.api.client import HardcoverClient

log = logging.getLogger(__name__)

SENT_METRICS = {BOOKS: "book", PAGES: "pages"}
GOALS_READ = 100  # the most goals `Goals` reads (its limit)
PRIVATE = 3  # Hardcover's privacy setting "Private": a goal sent from here is the user's own


class GoalChangedError(BookOrbitError):
    title = "Goal changed on Hardcover"


@dataclass
class PulledGoals:
    kept: list[store.StoredGoal] = field(default_factory=list)
    # Goals changed here since Hardcover's was last read, kept as they are, then sent
    # (`send_waiting`) with the new goals set while Hardcover was not connected.
    held: list[store.StoredGoal] = field(default_factory=list)
    sent: list[store.StoredGoal] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)  # why a waiting goal was not sent
    deleted: list[store.StoredGoal] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # Hardcover goals the library cannot count

    def describe(self) -> str:
        said = f"{len(self.kept)} goal{'' if len(self.kept) == 1 else 's'} from Hardcover"
        if self.deleted:
            said += f", {len(self.deleted)} deleted there"
        if self.sent:
            said += f"; sent: goal {', '.join(str(g.id) for g in self.sent)}"
        said += "".join(f"; {why}" for why in self.not_sent)
        if self.left_out:
            said += f"; left on Hardcover (not books or pages): {', '.join(self.left_out)}"
        return said


def library_metric(metric: str) -> str | None:
    """BOOKS or PAGES for Hardcover's metric; None for one the library has no word for."""
    word = metric.strip().lower()
    return BOOKS if word.startswith("book") else PAGES if word.startswith("page") else None


def _wanted(goal: Goal) -> dict[str, Any]:
    """The goal in Hardcover's words, as sent (and then seen there)."""
    return {
        "goal": goal.target,
        "metric": SENT_METRICS[goal.metric],
        "start_date": goal.start.isoformat(),
        "end_date": goal.end.isoformat(),
        "description": goal.description or _default_description(goal),
    }


def _changed_here(stored: store.StoredGoal) -> bool:
    """Was the goal changed here since Hardcover's was last read (or sent)?"""
    if stored.seen is None:
        return False
    there = _goal(stored.seen)
    return there is None or _wanted(stored.goal) != _wanted(there)


def _seen(row: dict[str, Any]) -> dict[str, Any]:
    """The goal's values that tell a change made on hardcover.app."""
    return {
        "goal": row.get("goal"),
        "metric": row.get("metric"),
        "start_date": str(row.get("start_date")),
        "end_date": str(row.get("end_date")),
        "description": row.get("description") or "",
    }


def _goal(row: dict[str, Any]) -> Goal | None:
    metric = library_metric(str(row.get("metric") or ""))
    if metric is None:
        return None
    try:
        start = dt.date.fromisoformat(str(row["start_date"]))
        end = dt.date.fromisoformat(str(row["end_date"]))
        return store.checked(
            Goal(int(row["goal"]), metric, start, end, row.get("description") or "")
        )
    except (KeyError, TypeError, ValueError, InvalidValueError):
        return None


async def _read(client: HardcoverClient, user_id: int) -> list[dict[str, Any]]:
    data = await client.execute("Goals", {"userId": user_id})
    return [row for row in data.get("goals") or [] if isinstance(row, dict)]


async def pull_goals(client: HardcoverClient, user_id: int) -> PulledGoals:
    """Hardcover's goals into the library (the module's rules)."""
    pulled = PulledGoals()
    rows = await _read(client, user_id)
    for row in rows:
        goal = _goal(row)
        if goal is None:
            pulled.left_out.append(f"{row.get('goal')} {row.get('metric')}")
            continue
        linked = store.linked_to(int(row["id"]))
        if linked is not None and _changed_here(linked):  # the user's change waits to be sent
            pulled.held.append(linked)
            continue
        kept = store.keep_from_hardcover(goal, int(row["id"]), _progress(row), _seen(row))
        pulled.kept.append(kept)
    if len(rows) < GOALS_READ:  # all of them: the ones not among them are gone there
        pulled.deleted = store.forget_hardcover_goals([int(row["id"]) for row in rows])
    return pulled


async def send_waiting(client: HardcoverClient, user_id: int, pulled: PulledGoals) -> None:
    """Send what waits after a pull: the goals changed here (`pulled.held`) and the new ones
    set while Hardcover was not connected (`store.waiting`), each under `send_goal`'s rules (a
    goal changed on hardcover.app meanwhile keeps Hardcover's values, and says so)."""
    goal_ids = sorted({g.id for g in pulled.held} | store.waiting())
    for goal_id in goal_ids:
        try:
            pulled.sent.append(await send_goal(client, user_id, goal_id))
        except NotFoundError:
            continue  # deleted meanwhile
        except (GoalChangedError, InvalidValueError) as error:
            pulled.not_sent.append(f"goal {goal_id} not sent: {error}")


async def send_goal(client: HardcoverClient, user_id: int, goal_id: int) -> store.StoredGoal:
    """Goal `goal_id` sent to Hardcover (the module's rules); the goal as now kept."""
    stored = store.get_goal(goal_id)
    goal = stored.goal
    values = {**_wanted(goal), "conditions": {}}
    if stored.hardcover_goal_id is None:
        data = await client.execute(
            "InsertGoal", {"object": {**values, "privacy_setting_id": PRIVATE}}
        )
        answer = data.get("insert_goal") or {}
    else:
        now = next(
            (r for r in await _read(client, user_id) if r.get("id") == stored.hardcover_goal_id),
            None,
        )
        if now is None:
            store.unlink(goal_id)
            raise GoalChangedError(
                "This goal was deleted or archived on hardcover.app, so nothing was sent. It is "
                "kept here only now; send it again to make it a new goal there."
            )
        if stored.seen is not None and _seen(now) != stored.seen:
            there = _goal(now)
            if there is None:  # now counting what the library has no word for
                store.unlink(goal_id)
                raise GoalChangedError(
                    "The goal was changed on hardcover.app to count something other than books "
                    "or pages, so nothing was sent. It is kept here only now."
                )
            store.keep_from_hardcover(there, stored.hardcover_goal_id, _progress(now), _seen(now))
            raise GoalChangedError(
                f"The goal was changed on hardcover.app since it was last read: it is now "
                f"{unit(there.metric, there.target)} from {there.start.isoformat()} to "
                f"{there.end.isoformat()}, and is kept so here. Your change was not sent; make "
                "it again to send it."
            )
        data = await client.execute(
            "UpdateGoal", {"id": stored.hardcover_goal_id, "object": values}
        )
        answer = data.get("update_goal") or {}
    if answer.get("errors") or not answer.get("id"):
        said = "; ".join(str(e) for e in answer.get("errors") or []) or "no goal id"
        raise InvalidValueError(f"Hardcover did not keep the goal ({said}).")
    store.link(goal_id, int(answer["id"]), _progress(answer.get("goal") or {}), _seen(values))
    return store.get_goal(goal_id)


async def delete_goal(client: HardcoverClient, goal_id: int) -> store.StoredGoal:
    """Goal `goal_id` deleted here and, kept with Hardcover's, there (one already gone there is
    only deleted here); the goal as it was."""
    stored = store.get_goal(goal_id)
    if stored.hardcover_goal_id is not None:
        data = await client.execute("DeleteGoal", {"id": stored.hardcover_goal_id})
        answer = data.get("delete_goal") or {}
        errors = [str(e) for e in answer.get("errors") or []]
        if errors and not any("not found" in e.lower() for e in errors):
            raise InvalidValueError(f"Hardcover did not delete the goal ({'; '.join(errors)}).")
    return store.delete_goal(goal_id)


def _progress(row: dict[str, Any]) -> float | None:
    try:
        return float(row["progress"])
    except (KeyError, TypeError, ValueError):
        return None


def _default_description(goal: Goal) -> str:
    return f"{unit(goal.metric, goal.target)} by {goal.end.isoformat()}"
