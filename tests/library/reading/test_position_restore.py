"""The jump-back guard, the position history and Restore with its undo, on a real library."""

from __future__ import annotations

import time

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.device_positions import (
    RESET_DEVICE,
    RESTORE_ID,
    reset_progress,
)
from bookorbit_desktop.library.reading.edits import save_edit
from bookorbit_desktop.library.reading.position_history import (
    PUSH,
    RESTORE,
    history,
    jump_notices,
    where,
)
from bookorbit_desktop.library.reading.position_restore import restore_position
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.reading.rules import Change
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    DocumentAlias,
    ReadingState,
    SyncOutbox,
)
from tests.factories import add_book

T0 = 1_790_000_000
DAY = 86_400


def push(document: str, percentage: float, device: str, when: int, *, batched: bool = False):
    sent = Push(
        document, f"/body/DocFragment[{int(percentage * 40) + 1}]/body/p[3]", percentage,
        device, device.upper(),
    )  # fmt: skip
    if batched:
        return record_pushes([(sent, when)])[0]
    return progress.record_push(sent, timestamp=when)


@pytest.fixture
def book(library):
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    for document in ("doc", "other-copy"):
        DocumentAlias.create(document=document, kind=ALIAS_CONTENT, book=book, created_at=T0)
    return book


def state(book) -> tuple[str, float]:
    row = ReadingState.get_by_id(book.id)
    return row.status, row.progress


@pytest.mark.parametrize("batched", [False, True])
def test_a_fresh_device_at_the_start_is_kept_but_never_lowers_the_book(book, batched):
    push("doc", 0.30, "Phone", T0)
    push("doc", 0.63, "Phone", T0 + DAY)
    SyncOutbox.delete().execute()
    result = push("doc", 0.0, "Kobo Clara", T0 + DAY + 60, batched=batched)
    assert result.changes == (Change.JUMPED_BACK,)
    assert state(book) == ("reading", 0.63)
    assert SyncOutbox.select().count() == 0  # nothing for Hardcover
    assert progress.latest_position("doc").percentage == 0.0  # served: KOReader's rules decide
    events = history(book.id)
    assert [(e.device, e.percentage, e.jumped_from, e.kind) for e in events] == [
        ("Kobo Clara", 0.0, 0.63, PUSH),
        ("Phone", 0.63, None, PUSH),
        ("Phone", 0.30, None, PUSH),
    ]
    (notice,) = jump_notices(book.id)
    assert (notice.device, notice.from_percentage, notice.to_percentage) == ("Kobo Clara", 0.63, 0)
    assert notice.from_event_id == events[1].event_id


def test_a_device_weeks_behind_is_a_jump_back_and_on_hold_stays_so(book):
    push("doc", 0.30, "Kobo Clara", T0)
    push("doc", 0.63, "Phone", T0 + 20 * DAY)
    save_edit(book.id, status="on_hold")
    assert push("doc", 0.30, "Kobo Clara", T0 + 21 * DAY).changes == (Change.JUMPED_BACK,)
    assert state(book) == ("on_hold", 0.63)


def test_a_reread_from_the_start_and_a_second_copy_are_no_jump_back(book):
    push("doc", 0.63, "Phone", T0)
    assert push("other-copy", 0.10, "Kobo", T0 + 60).changes != (Change.JUMPED_BACK,)
    push("doc", 0.995, "Phone", T0 + 120)
    assert state(book)[0] == "read"
    save_edit(book.id, status="rereading")  # Read -> Rereading: the re-read starts at 0
    assert Change.JUMPED_BACK not in push("doc", 0.02, "Kobo", T0 + 180).changes
    assert state(book) == ("rereading", 0.02)
    assert jump_notices(book.id) == []


def test_after_a_reset_the_start_is_no_jump_back(book):
    push("doc", 0.63, "Phone", T0)
    reset_progress(book.id, now=T0 + 60)
    assert push("doc", 0.01, "Phone", T0 + 120).changes == (Change.PROGRESS,)
    assert state(book) == ("reading", 0.01)


def test_restore_is_served_undone_and_redone(book, library):
    push("doc", 0.30, "Phone", T0)
    push("doc", 0.63, "Phone", T0 + DAY)
    push("doc", 0.0, "Kobo Clara", T0 + DAY + 60)
    kobo = progress.latest_position("doc")
    (notice,) = jump_notices(book.id)
    now = time.time()
    restored = restore_position(book.id, notice.from_event_id, now=now, paths=library)
    served = progress.latest_position("doc")
    assert (served.percentage, served.device, served.device_id) == (0.63, RESET_DEVICE, RESTORE_ID)
    assert served.timestamp == int(now)  # newer than every device's last page turn
    assert served.progress == history(book.id)[2].progress
    assert jump_notices(book.id) == []
    assert history(book.id)[0].kind == RESTORE
    assert restored.percentage == 0.63

    assert run.undo(library).label == "Restore 63 % of “Leaves of Grass”"
    back = progress.latest_position("doc")
    assert (back.percentage, back.progress, back.timestamp) == (0.0, kobo.progress, kobo.timestamp)
    (again_offered,) = jump_notices(book.id)  # the jump back is offered for restore again
    assert (again_offered.from_event_id, again_offered.to_percentage) == (notice.from_event_id, 0)

    run.redo(library)
    again = progress.latest_position("doc")
    assert (again.percentage, again.timestamp) == (0.63, int(now))
    assert jump_notices(book.id) == []


def test_restore_moves_the_progress_back_up_and_undo_takes_it_back(book, library):
    push("doc", 0.50, "Phone", T0)
    push("doc", 0.45, "Phone", T0 + 60)  # a look back: no jump, the progress follows
    assert state(book) == ("reading", 0.45)
    first = history(book.id)[1]
    restore_position(book.id, first.event_id, now=T0 + 120, paths=library)
    assert state(book) == ("reading", 0.50)
    run.undo(library)
    assert state(book) == ("reading", 0.45)
    assert progress.latest_position("doc").percentage == 0.45
    run.redo(library)
    assert state(book) == ("reading", 0.50)


def test_undo_leaves_a_position_a_device_synced_since(book, library):
    push("doc", 0.63, "Phone", T0)
    push("doc", 0.0, "Kobo Clara", T0 + 60)
    restore_position(book.id, history(book.id)[1].event_id, now=T0 + 120, paths=library)
    push("doc", 0.64, "Kobo Clara", T0 + 180)  # the Kobo took the restored place, read on
    done = run.undo(library)
    assert any("a device synced since" in line for line in done.skipped)
    assert progress.latest_position("doc").percentage == 0.64


def test_restoring_the_served_position_is_refused(book, library):
    push("doc", 0.63, "Phone", T0)
    with pytest.raises(InvalidValueError, match="already the position"):
        restore_position(book.id, history(book.id)[0].event_id, now=T0 + 60, paths=library)


def test_where_a_position_is():
    assert where("/body/DocFragment[11]/body/div/p[7]/text().123") == "part 11"
    assert where("56") == "page 56"
    assert where("/FictionBook/body/section[2]") is None
