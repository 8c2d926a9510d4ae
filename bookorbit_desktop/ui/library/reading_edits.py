"""What the book panel's reading form shows, what counts as an edit, and how a reload merges.

Plain functions, no Qt. The form shows a stored reading state as `FormValues`: the status key,
the progress in percent with one decimal (what the spin box holds), dates as ISO text ("" for
none) and the rating (None for none). A field is edited while the form differs from the stored
value. When the stored state changes under the form (a KOReader push, a Hardcover action), the
fields the user has not edited take the new stored values and the edited ones keep what was
typed; an edited field whose stored value moved meanwhile is named, so the user can choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bookorbit_desktop.services.library.records import ReadingInfo
from bookorbit_desktop.services.library.service import STATUS_LABELS, ReadingEdit

FIELDS = ("status", "progress", "started", "finished", "rating")
LABELS = {
    "status": "Status",
    "progress": "Progress",
    "started": "Started",
    "finished": "Finished",
    "rating": "Rating",
}

FormValues = Mapping[str, object]


def form_values(reading: ReadingInfo) -> dict[str, object]:
    """A stored reading state as the form shows it."""
    return {
        "status": reading["status"],
        "progress": round(float(reading.get("progress") or 0.0) * 100, 1),
        "started": reading.get("started") or "",
        "finished": reading.get("finished") or "",
        "rating": reading.get("rating"),
    }


def edited_fields(stored: FormValues, form: FormValues) -> tuple[str, ...]:
    """The fields where the form differs from the stored state, in form order."""
    return tuple(key for key in FIELDS if form[key] != stored[key])


def edits(stored: FormValues, form: FormValues) -> ReadingEdit:
    """The edited fields as the library takes them (progress as a fraction, None clears)."""
    changes: ReadingEdit = {}
    for key in edited_fields(stored, form):
        value = form[key]
        if key == "progress":
            changes[key] = round(float(value) / 100, 4)  # type: ignore[arg-type]
        elif key in ("started", "finished"):
            changes[key] = value or None
        else:
            changes[key] = value
    return changes


@dataclass(frozen=True)
class Merged:
    show: dict[str, object]  # what the form shows after the reload
    changed_elsewhere: tuple[str, ...]  # edited fields whose stored value moved meanwhile


def merge_reload(
    before: FormValues, after: FormValues, form: FormValues, noted: tuple[str, ...] = ()
) -> Merged:
    """The form after the stored state went from `before` to `after` while it showed `form`.

    `noted` are the fields an earlier reload named; they stay named while still edited.

    | field      | stored value moved        | result                                  |
    |------------|---------------------------|-----------------------------------------|
    | not edited | no / yes                  | shows the stored value                  |
    | edited     | no                        | keeps what was typed                    |
    | edited     | yes, to what was typed    | shows it, no longer an edit             |
    | edited     | yes, to something else    | keeps what was typed, named             |
    """
    edited = set(edited_fields(before, form))
    show = {key: form[key] if key in edited else after[key] for key in FIELDS}
    still_edited = set(edited_fields(after, show))
    named = tuple(
        key for key in FIELDS if key in still_edited and (key in noted or after[key] != before[key])
    )
    return Merged(show, named)


def describe(key: str, value: object) -> str:
    """A stored value in words, for "Progress is now 52 %"."""
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if key == "progress":
        return f"{float(value):g} %"  # type: ignore[arg-type]
    if key == "rating":
        return "no rating" if value is None else f"{float(value):g} of 5"  # type: ignore[arg-type]
    return str(value) if value else "empty"


def changed_elsewhere_note(keys: tuple[str, ...], stored: FormValues) -> str:
    """The note under the form naming edited fields whose stored value changed meanwhile."""
    if not keys:
        return ""
    parts = ", ".join(f"{LABELS[key]} is now {describe(key, stored[key])}" for key in keys)
    return (
        f"Changed while you were editing: {parts}. Save keeps what you typed; Revert shows "
        "the stored values."
    )
