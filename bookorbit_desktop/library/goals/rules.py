"""Pure rules: how far along a reading goal is, and what it takes to reach it. No I/O.

A goal is a number of books, or of pages, between two dates (both days included). What counts
is `reads.counting.counted` between them: each read finished inside the dates once, a re-read
again, a read with no finish date listed apart and never guessed into the count.

| figure        | rule                                                                        |
|---------------|-----------------------------------------------------------------------------|
| done          | books: the counted reads; pages: their pages where known (the reads with no |
|               | page count are named apart, never taken as 0 pages read)                    |
| due           | the part of the target the days gone (today included) ask for: target x     |
|               | days gone / days in all, rounded down; all of it once the goal has ended    |
| ahead, behind | done against due; 0 either way is "on track"                                |
| catch up      | behind (the goal not ended): how many more this month (to its end, or the   |
|               | goal's if sooner) meet the due at its end                                   |
| pace          | what is left over the days left (today included), per week; none when the   |
|               | goal is met or over                                                         |
| state         | "upcoming" before the start, "met" once done reaches the target, "missed"   |
|               | after the end without, else "ahead", "on track" or "behind"                 |
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.library.reads.counting import Read, counted

BOOKS, PAGES = "books", "pages"
METRICS = (BOOKS, PAGES)
UPCOMING, MET, MISSED, AHEAD, ON_TRACK, BEHIND = (
    "upcoming",
    "met",
    "missed",
    "ahead",
    "on track",
    "behind",
)


@dataclass(frozen=True)
class Goal:
    target: int  # books or pages, > 0
    metric: str  # BOOKS | PAGES
    start: dt.date
    end: dt.date  # on or after start
    description: str = ""


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    done: int  # books, or pages of the counted reads whose pages are known
    due: int  # what the days gone ask for
    state: str
    catch_up: int  # behind: how many more this month puts the goal back on track
    per_week: float | None  # what is left per week, over the days left
    counted: tuple[Read, ...]  # the reads that count, oldest first
    no_date: tuple[Read, ...]  # finished reads without a finish date: listed, not counted
    unpaged: int  # pages goal: counted reads whose page count is not known

    @property
    def difference(self) -> int:
        """Ahead (> 0) or behind (< 0) of what the days gone ask for."""
        return self.done - self.due


def goal_progress(goal: Goal, reads: Iterable[Read], today: dt.date) -> GoalProgress:
    """The goal as it stands on `today`, by the table above."""
    found = counted(reads, goal.start, goal.end)
    if goal.metric == PAGES:
        done = sum(read.pages or 0 for read in found.finished)
        unpaged = sum(1 for read in found.finished if not read.pages)
    else:
        done, unpaged = len(found.finished), 0
    due = _due(goal, today)
    month_end = min(goal.end, _month_end(today))
    behind = done < due and today <= goal.end
    catch_up = max(_due(goal, month_end) - done, 0) if behind else 0
    return GoalProgress(
        goal,
        done,
        due,
        _state(goal, today, done, due),
        catch_up,
        _per_week(goal, today, done),
        found.finished,
        found.no_date,
        unpaged,
    )


def _due(goal: Goal, day: dt.date) -> int:
    if day < goal.start:
        return 0
    if day >= goal.end:
        return goal.target
    gone = (day - goal.start).days + 1
    return goal.target * gone // ((goal.end - goal.start).days + 1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _state(goal: Goal, today: dt.date, done: int, due: int) -> str:
    if done >= goal.target:
        return MET
    if today < goal.start:
        return UPCOMING
    if today > goal.end:
        return MISSED
    return AHEAD if done > due else BEHIND if done < due else ON_TRACK


def _per_week(goal: Goal, today: dt.date, done: int) -> float | None:
    left = goal.target - done
    if left <= 0 or today > goal.end:
        return None
    days = (goal.end - max(today, goal.start)).days + 1
    return left * 7 / days


def unit(metric: str, count: int) -> str:
    """`1 book`, `3 books`, `1 page`, `1,200 pages`."""
    word = "book" if metric == BOOKS else "page"
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def pace_text(progress: GoalProgress) -> str:
    """What the goal's state means, in one sentence: "3 books behind today: 4 more this month
    get you back on track." (this month's share of the goal is due too), "2 books ahead.",
    "Met: 24 of 24 books."."""
    goal, metric = progress.goal, progress.goal.metric
    of = f"{progress.done:,} of {unit(metric, goal.target)}"
    if progress.state == MET:
        return f"Met: {of}."
    if progress.state == UPCOMING:
        return f"Starts on {goal.start.isoformat()}."
    if progress.state == MISSED:
        return f"Ended on {goal.end.isoformat()} at {of}."
    pace = "" if progress.per_week is None else f" {_pace(metric, progress.per_week)}"
    if progress.state == AHEAD:
        return f"{unit(metric, progress.difference)} ahead.{pace}"
    if progress.state == ON_TRACK:
        return f"On track.{pace}"
    behind = unit(metric, -progress.difference)
    more = progress.catch_up
    verb = "gets" if more == 1 else "get"
    return f"{behind} behind today: {more:,} more this month {verb} you back on track.{pace}"


def _pace(metric: str, per_week: float) -> str:
    if metric == PAGES:
        return f"To reach it: {round(per_week):,} pages a week."
    if per_week >= 1:
        return f"To reach it: {per_week:.1f} books a week."
    return f"To reach it: a book every {7 / per_week:.0f} days."
