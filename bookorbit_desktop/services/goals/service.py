"""Reading goals as the window, the tray and `stats goal` show them: each goal's progress
counted from every read the library knows (`reads.gather`, by `goals.rules`), the books that
count, and, with Hardcover connected, the goals read from and sent to Hardcover
(`hardcover.goals`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.hardcover import goals as hardcover_goals
from bookorbit_desktop.hardcover.api.errors import NoKeyringError, NotConnectedError
from bookorbit_desktop.library.goals import store
from bookorbit_desktop.library.goals.rules import Goal, GoalProgress, goal_progress, pace_text
from bookorbit_desktop.library.goals.rules import unit as unit_text
from bookorbit_desktop.library.reads.gather import reads_between
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_private

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.api.client import HardcoverClient
    from bookorbit_desktop.services.hardcover.account import HardcoverAccount

__all__ = [
    "Goal",
    "GoalChangedError",
    "GoalView",
    "NotConnectedError",
    "checked",
    "delete",
    "goal_views",
    "goal_views_off_loop",
    "pull",
    "send",
    "tray_line",
    "tray_line_off_loop",
]
GoalChangedError = hardcover_goals.GoalChangedError
checked = store.checked


@dataclass(frozen=True)
class GoalView:
    stored: store.StoredGoal
    progress: GoalProgress
    text: str  # `rules.pace_text`
    books: tuple[str, ...]  # the reads that count: "2026-03-01  Dune", oldest first
    no_date: tuple[str, ...]  # finished without a date: titles, not counted

    @property
    def headline(self) -> str:
        """`8 of 24 books, 2026-01-01 to 2026-12-31`."""
        goal = self.progress.goal
        span = f"{goal.start.isoformat()} to {goal.end.isoformat()}"
        return f"{self.progress.done:,} of {unit_text(goal.metric, goal.target)}, {span}"

    def to_json(self) -> dict[str, Any]:
        goal, progress = self.progress.goal, self.progress
        return {
            "id": self.stored.id,
            "metric": goal.metric,
            "target": goal.target,
            "start": goal.start.isoformat(),
            "end": goal.end.isoformat(),
            "description": goal.description,
            "done": progress.done,
            "due": progress.due,
            "state": progress.state,
            "catch_up": progress.catch_up,
            "per_week": progress.per_week,
            "text": self.text,
            "books": list(self.books),
            "no_date": list(self.no_date),
            "reads_without_pages": progress.unpaged,
            "hardcover_goal_id": self.stored.hardcover_goal_id,
            "hardcover_progress": self.stored.hardcover_progress,
        }


def goal_views(today: dt.date | None = None, *, current: bool = False) -> list[GoalView]:
    """Every goal (or, `current`, those whose dates hold today) with its progress."""
    today = today or dt.date.today()
    kept = store.current_goals(today) if current else store.all_goals()
    if not kept:
        return []
    reads = reads_between(min(s.goal.start for s in kept), max(s.goal.end for s in kept))
    views = [(stored, goal_progress(stored.goal, reads, today)) for stored in kept]
    titles = _titles({r.book_id for _, p in views for r in (*p.counted, *p.no_date)})
    return [
        GoalView(
            stored,
            progress,
            pace_text(progress),
            tuple(f"{r.finished}  {titles.get(r.book_id, '?')}" for r in progress.counted),
            tuple(titles.get(r.book_id, "?") for r in progress.no_date),
        )
        for stored, progress in views
    ]


def tray_line(today: dt.date | None = None) -> str | None:
    """The current goal in one line for the tray: `Goal: 8 of 24 books, 3 books behind`."""
    views = goal_views(today, current=True)
    if not views:
        return None
    view = views[0]
    goal, progress = view.progress.goal, view.progress
    line = f"Goal: {progress.done:,} of {unit_text(goal.metric, goal.target)}"
    if progress.difference < 0 and progress.state == "behind":
        return f"{line}, {unit_text(goal.metric, -progress.difference)} behind"
    if progress.difference > 0 and progress.state == "ahead":
        return f"{line}, {unit_text(goal.metric, progress.difference)} ahead"
    return f"{line}, {progress.state}"


async def goal_views_off_loop(today: dt.date) -> list[GoalView]:
    """`goal_views(today)` in a worker thread on its own connection."""
    return await off_loop(goal_views, today)


async def tray_line_off_loop(today: dt.date) -> str | None:
    """`tray_line(today)` in a worker thread on its own connection."""
    return await off_loop(tray_line, today)


def _titles(book_ids: set[int]) -> dict[int, str]:
    if not book_ids:
        return {}
    marks = ",".join("?" * len(book_ids))
    rows = database.execute_sql(
        f"SELECT id, title FROM book WHERE id IN ({marks})", tuple(book_ids)
    ).fetchall()
    return {book_id: title for book_id, title in rows}


async def _user_id(account: HardcoverAccount, client: HardcoverClient) -> int:
    from bookorbit_desktop.services.hardcover.account import USER_ID_KEY

    user_id = None if account.supplied() is not None else get_private(USER_ID_KEY)
    return user_id if isinstance(user_id, int) else (await client.me()).id


async def pull(account: HardcoverAccount) -> hardcover_goals.PulledGoals | None:
    """Hardcover's goals into the library, then the goals waiting here sent there; None when
    no Hardcover account is connected."""
    try:
        async with account.open_client() as client:
            user_id = await _user_id(account, client)
            pulled = await hardcover_goals.pull_goals(client, user_id)
            await hardcover_goals.send_waiting(client, user_id, pulled)
            return pulled
    except (NotConnectedError, NoKeyringError):
        return None


async def delete(account: HardcoverAccount | None, goal_id: int) -> str:
    """Delete the goal here and, kept with Hardcover's, there; what became of it."""
    stored = store.get_goal(goal_id)
    if stored.hardcover_goal_id is None or account is None:
        store.delete_goal(goal_id)
        kept = " (it stays on Hardcover)" if stored.hardcover_goal_id is not None else ""
        return f"Goal {goal_id} deleted{kept}."
    try:
        async with account.open_client() as client:
            await hardcover_goals.delete_goal(client, goal_id)
    except (NotConnectedError, NoKeyringError):
        store.delete_goal(goal_id)
        return f"Goal {goal_id} deleted here; Hardcover is not connected, so it stays there."
    return f"Goal {goal_id} deleted here and on Hardcover."


_LATER = " (it goes to Hardcover when Hardcover's goals are next read, once connected)"


async def send(account: HardcoverAccount | None, goal: Goal, goal_id: int | None = None) -> str:
    """Keep the goal (new, or goal `goal_id` changed) and, with Hardcover connected, send it
    there; what became of it, in a sentence. GoalChangedError when it changed on hardcover.app
    meanwhile (nothing sent, Hardcover's values kept)."""
    kept = store.save_goal(goal, goal_id)
    if kept.hardcover_goal_id is None:  # sent as a new goal once Hardcover can be reached
        store.mark_waiting(kept.id)
    if account is None:
        return f"Goal {kept.id} kept in the library{_LATER}."
    try:
        async with account.open_client() as client:
            user_id = await _user_id(account, client)
            sent = await hardcover_goals.send_goal(client, user_id, kept.id)
    except (NotConnectedError, NoKeyringError):
        return f"Goal {kept.id} kept in the library; Hardcover is not connected{_LATER}."
    return f"Goal {sent.id} kept in the library and on Hardcover."
