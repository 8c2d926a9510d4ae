"""Words for a running or finished sync: outcomes, counts, time left. Plain functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bookorbit_desktop.services.hardcover.sync import counted_outcomes
from bookorbit_desktop.ui.text import counted

# A pass that would create or change more entries than this on the profile is shown for
# review first.
REVIEW_THRESHOLD = 20


def natural_key(title: str) -> tuple[object, ...]:
    """Sort "Book 2" before "Book 10": runs of digits compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", title.casefold())
        if part
    )


def books(count: int) -> str:
    """ "1 book", "2 books", "1,204 books"."""
    return counted("%n book(s)", count)


def duration_text(seconds: float) -> str:
    """ "a few seconds", "40 seconds", "about 3 minutes", "about 2 hours"."""
    if seconds < 10:
        return "a few seconds"
    if seconds < 60:
        return f"{round(seconds / 10) * 10} seconds"
    minutes = round(seconds / 60)
    if minutes < 90:
        return counted("about %n minute(s)", minutes)
    hours = round(seconds / 3600)
    return counted("about %n hour(s)", hours)


def counts_line(counts: Mapping[str, int]) -> str:
    """ "3 sent · 12 up to date · 1 failed" (zero counts left out; the sync's own words)."""
    return counted_outcomes(dict(counts))


def declined_line(held: int) -> str:
    """The line after the user cancelled the review: what was sent (nothing) and what waits."""
    if not held:
        return "Sync cancelled: nothing was sent to Hardcover."
    return (
        f"Sync cancelled: nothing was sent to Hardcover. {books(held)} held: they wait until you "
        "send them (Sync Now, or Send Held on the Hardcover page) or discard their changes."
    )


def step_line(phase: str, done: int, total: int) -> str:
    """ "Matching 3 of 40" / "Sending 12 of 40" / "Sending…" while the total is unknown."""
    verb = "Matching" if phase == "match" else "Sending"
    return f"{verb} {done} of {total}" if total else f"{verb}…"


def time_left_line(eta_seconds: float | None, waiting_seconds: float) -> str:
    """What the wait looks like: Hardcover's limit first (it is why the pass is slow)."""
    if waiting_seconds >= 1:
        return f"Waiting for Hardcover's request limit: {duration_text(waiting_seconds)}"
    if eta_seconds is None:
        return ""
    return f"Time left: {duration_text(eta_seconds)}"


def entries_to_send(counts: Mapping[str, int]) -> int:
    return counts.get("would_send", 0)


def needs_review(counts: Mapping[str, int], threshold: int = REVIEW_THRESHOLD) -> bool:
    """A dry run that would create or change more than `threshold` entries is reviewed."""
    return entries_to_send(counts) > threshold


def report_title(counts: Mapping[str, int], stopped: str | None, cancelled: bool) -> str:
    if cancelled:
        return "Sync cancelled"
    if stopped:
        return "Sync stopped"
    if counts.get("failed"):
        return "Sync finished with problems"
    return "Sync finished"


def review_line(candidates: Sequence[Mapping[str, Any]]) -> str:
    """Why a book waits for the user's choice, from its kept candidates: one weak candidate
    is offered for checking; several are offered to choose from."""
    plausible = [c for c in candidates if c.get("grade", "low") != "none"]
    if len(plausible) == 1 and plausible[0].get("score") is not None:
        percent = round(float(plausible[0]["score"]) * 100)
        return f"One possible match ({percent} %): check it with Pick…"
    if len(plausible) == 1:
        return "One possible match: check it with Pick…"
    return "Several Hardcover books could be this one: Pick the right one."
