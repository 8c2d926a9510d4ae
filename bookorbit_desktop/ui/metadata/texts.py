"""How fields, values and the sources' statuses read in the metadata dialogs (plain text, also
what screen readers say)."""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.services.metadata.values import (
    MALFORMED,
    NO_RESULT,
    NOT_CONNECTED,
    OK,
    PENDING,
    RATE_LIMITED,
    REFUSED,
    SOURCE_LABELS,
    TIMED_OUT,
    SourceResult,
)

FIELD_LABELS = {
    "title": "Title",
    "subtitle": "Subtitle",
    "authors": "Authors",
    "series": "Series",
    "series_index": "Number in series",
    "description": "Description",
    "publisher": "Publisher",
    "release_date": "Release date",
    "language": "Language",
    "isbn13": "ISBN-13",
    "pages": "Pages",
    "cover": "Cover",
}
# What each status means when the source sent no message of its own.
STATUS_MEANING = {
    OK: "found this book",
    NO_RESULT: "has no record of this book",
    REFUSED: "refused the request; check the account or key in Settings, then retry",
    RATE_LIMITED: "asked to slow down; retry in a few minutes",
    TIMED_OUT: "did not answer in time; check the connection, then retry",
    MALFORMED: "sent an answer that could not be read; retry later",
    PENDING: "the fetch was stopped before it reached this book, or is still under way",
    NOT_CONNECTED: "connect it in Settings",
}
ASKING = "asking…"  # a source's status while a fetch waits for its answer
NOT_ANSWERED = "not answered"  # … and once that fetch was stopped before the source answered
EMPTY = "—"
DIFFERS = "≠"  # the marker beside a value that differs from the book's (not colour alone)
CASE = "case"  # … and beside one that differs from it in capitals only
OTHER_EDITION_NOTE = "not taken by Best or Fill Empty Fields; tick its values by hand if they fit"
SHORT = 160  # characters of a description shown in the table; the rest in its tooltip


def source_label(source: str) -> str:
    return "Local" if source == "local" else SOURCE_LABELS.get(source, source)


def value_text(name: str, value: Any) -> str:
    """A field's value as one line of text (EMPTY when there is none)."""
    if value in (None, "", (), []):
        return EMPTY
    if name == "authors":
        return ", ".join(value)
    if name == "series_index":
        return f"{float(value):g}"
    text = " ".join(str(value).split())
    if name == "description" and len(text) > SHORT:
        return text[: SHORT - 1] + "…"
    return text


def waiting(result: SourceResult) -> bool:
    """A source's note, under way, that it waits ("waiting for Open Library (rate limit) —
    40 s"): not an answer; the source's answer follows."""
    return result.status == PENDING and bool(result.message)


def status_line(
    source: str, status: str, message: str, count: int = 0, *, asking: bool = False
) -> str:
    """ "Open Library: ok — 2 candidates" / "Google Books: rate-limited — …" / "Hardcover: not
    connected (Settings ▸ Hardcover)"; a source not answered yet reads "asking…" while a fetch
    is under way (`asking`)."""
    label = SOURCE_LABELS.get(source, source)
    if status == PENDING and message:  # waiting, as the source asked
        return f"{label}: {message}"
    if status == PENDING and asking:
        return f"{label}: {ASKING}"
    if status == OK:
        found = "1 candidate" if count == 1 else f"{count} candidates"
        return f"{label}: ok — {found}"
    if status == NOT_CONNECTED:  # one short line: where to connect it
        return f"{label}: {status} ({message or STATUS_MEANING[status]})"
    why = message or STATUS_MEANING.get(status, "")
    return f"{label}: {status_word(status, asking=asking)} — {why}".rstrip(" —")


def status_word(status: str, *, asking: bool = False) -> str:
    """The status as the lists show it: a source not answered yet is "asking…" while a fetch
    is under way (`asking`), else "not answered"."""
    if status == PENDING:
        return ASKING if asking else NOT_ANSWERED
    return status
