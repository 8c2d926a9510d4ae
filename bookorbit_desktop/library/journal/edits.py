"""The `edit` kind: a step that changed books' values (an edit, a metadata apply, a bulk fill,
a reading-state change). Undo and redo move each book field by field (`rules.plan_back`),
leaving and naming the fields changed since.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.descriptions import is_html, plain_text
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.book_values import read_values, write_values
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import EDIT
from bookorbit_desktop.library.journal.rules import (
    MARKS,
    conflict_text,
    field_label,
    marks_after,
    plan_back,
)


def _move(step: steps.Step, paths: Paths, now: float, *, back: bool) -> Outcome:
    outcome = Outcome()
    # Read at once; the images only when the step changed a cover.
    covers = any("cover" in entry.after for entry in step.entries)
    now_values = read_values([entry.book_id for entry in step.entries], paths if covers else None)
    for entry in step.entries:
        source, target = (entry.after, entry.before) if back else (entry.before, entry.after)
        current = now_values.get(entry.book_id)
        if current is None:
            outcome.skipped.append(f"Book {entry.book_id} is no longer in the library")
            continue
        title = current["title"][0]
        plan = plan_back(source, target, current)
        writes = dict(plan.writes)
        cover_data = None
        if "cover" in writes and writes["cover"][1] is not None:
            cover_data = steps.kept_cover(paths, writes["cover"][1])
            if cover_data is None:
                del writes["cover"]
                outcome.skipped.append(f"“{title}”: its earlier cover image is no longer kept")
        if plan.conflicts:
            outcome.skipped.append(conflict_text(title, plan.conflicts))
        marks = None
        if MARKS in target:
            marks = marks_after(current[MARKS], source[MARKS], target[MARKS], plan.conflicts)
            if marks == current[MARKS]:
                marks = None
        if not writes and marks is None:
            continue
        write_values(entry.book_id, writes, marks, cover_data=cover_data, paths=paths, now=now)
        outcome.books += 1
    return outcome


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=True)


def redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=False)


def whole(name: str, value: Any) -> str:
    """A field's value as text, on one line and in full (a merge's side-by-side view shortens
    it itself and shows the rest on demand)."""
    if isinstance(value, list) and name in ("title", "started", "finished", "isbn", "cover"):
        value = value[0]
    if name == "authors":
        value = " & ".join(value)
    if name == "tags" or isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(value, float):
        value = f"{value:g}"  # a rating of 4.0 as 4
    elif isinstance(value, str) and is_html(value):
        value = plain_text(value)  # a description, calibre's comments: the words, not the tags
    if name == "identifiers":
        value = ", ".join(f"{scheme}:{code}" for scheme, code in (value or {}).items())
    if value is None or value == "":
        return "(none)"
    return " ".join(str(value).split())


def shown(name: str, value: Any) -> str:
    """A field's value in a line of the history: `whole`, cut at 40 characters."""
    text = whole(name, value)
    return text if len(text) <= 40 else text[:39] + "…"


def describe(entry: steps.Entry) -> str:
    parts = [
        f"{field_label(name)}: {shown(name, entry.before.get(name))} → {shown(name, value)}"
        for name, value in entry.after.items()
        if name != MARKS
    ]
    return "; ".join(parts) or "marked as the user's"


register(EDIT, StepKind(undo, redo, describe))
