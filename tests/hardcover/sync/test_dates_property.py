"""Random histories, copies, approvals, Hardcover entries and kills, through the same pure
pieces every trigger uses (history splitting, `copies.combine`, `desired.desired_entry`, the
reconciler with Hardcover's side effects): no date reaches Hardcover without a source, a read is
never started after it finished, and progress on an open read never goes down."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.sync.copies import Copy, combine
from bookorbit_desktop.hardcover.sync.desired import desired_entry
from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    READ,
    Local,
    Options,
    Read,
    Remote,
    Snapshot,
)
from bookorbit_desktop.hardcover.sync.preview import MAX_STEPS, after_action, expected_answer
from bookorbit_desktop.hardcover.sync.reconcile import (
    UPDATE_ENTRY,
    UPDATE_READ,
    Tracking,
    plan,
)
from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.history.splitting import Stretch, split_reads
from bookorbit_desktop.library.reading.sources import HARDCOVER, HISTORY, SYNC, USER

TODAY = "2026-11-22"
UTC = LocalDays(lambda _ts: 0)
BASE = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp())
DAY = 86_400
OPTIONS = Options()
WORDS = [None, USER, SYNC, HISTORY, HARDCOVER]  # where the library's dates came from

days = st.integers(min_value=0, max_value=700)
iso = days.map(lambda d: (dt.date(2024, 1, 1) + dt.timedelta(days=d)).isoformat())
maybe_iso = st.none() | iso


@st.composite
def histories(draw):
    sessions = []
    for _ in range(draw(st.integers(0, 8))):
        start = BASE + draw(days) * DAY
        first = draw(st.floats(0, 1))
        sessions.append(Stretch(start, start + 3600, first, max(first, draw(st.floats(0, 1)))))
    return [read.dates(UTC) for read in split_reads(sessions)]


@st.composite
def copies(draw):
    found = []
    for book_id in range(1, draw(st.integers(1, 3)) + 1):
        local = Local(
            book_id=book_id,
            status=draw(st.sampled_from(["want_to_read", "reading", "read", "on_hold"])),
            progress=draw(st.floats(0, 1)),
            started=draw(maybe_iso),
            finished=draw(maybe_iso),
            rating=None,
            date_added="2024-01-01",
            hc_book_id=100,
            edition_id=500,
            edition_pages=300,
        )
        found.append(Copy(local, draw(st.floats(0, 10)), lead=False))
    return found


@st.composite
def remotes(draw):
    if draw(st.booleans()):
        return None
    reads = tuple(
        Read(i, draw(maybe_iso), draw(maybe_iso), draw(st.none() | st.integers(0, 300)), 500)
        for i in range(1, draw(st.integers(0, 2)) + 1)
    )
    status = draw(st.sampled_from([1, CURRENTLY_READING, READ]))
    return Remote(50, 100, status, None, 1, 500, "2024-01-01", reads)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=histories(),
    linked=copies(),
    remote=remotes(),
    approve=st.booleans(),
    started_word=st.sampled_from(WORDS),
    finished_word=st.sampled_from(WORDS),
    kill_after=st.none() | st.integers(0, MAX_STEPS),
)
def test_no_date_without_a_source_no_impossible_read_no_progress_lost(
    history, linked, remote, approve, started_word, finished_word, kill_after
):
    stored = {"started": started_word, "finished": finished_word}
    entry = desired_entry(combine(linked).local, history, stored)
    if approve:  # the user's yes makes each proposal the library's own date
        dates = {p.name: p.value for p in entry.proposals}
        entry = desired_entry(replace(entry.local, **dates), history, stored)
    local = entry.local
    before = {r.id: r for r in remote.reads} if remote is not None else {}
    sourced = {local.started, local.finished, None}
    snapshot: Snapshot | None = None
    tracking = Tracking.of(snapshot)
    for index in range(MAX_STEPS * 2):
        if kill_after is not None and index == kill_after and remote is not None:
            # The process dies here: a new pass starts from what the engine recorded.
            tracking = Tracking(
                user_book_id=tracking.user_book_id,
                created_by_us=tracking.created_by_us,
                read_id=tracking.read_id,
                read_owned=tracking.read_owned,
                seen_reads=None if not tracking.created_by_us else tracking.seen_reads,
                stamped_finish=tracking.stamped_finish,
            )
        step = plan(local, snapshot, remote, tracking, OPTIONS)
        tracking = step.tracking
        action = step.action
        if action is None:
            break
        if action.kind in (UPDATE_READ, "insert_user_book_read"):
            fields = action.fields
            old = before.get(action.target) if action.kind == UPDATE_READ else None
            for name, key in (("started", "started_at"), ("finished", "finished_at")):
                theirs = getattr(old, name) if old is not None else None
                assert fields[key] in sourced or fields[key] == theirs, (name, fields, local)
            if fields["started_at"] and fields["finished_at"]:
                assert fields["started_at"] <= fields["finished_at"]
            if old is not None and not fields["finished_at"] and old.pages is not None:
                assert (fields["progress_pages"] or 0) >= old.pages
        if action.kind == UPDATE_ENTRY and action.fields.get("status_id") == READ:
            tracking = replace(tracking, stamped_finish=True)
        remote = expected_answer(remote, action, today=TODAY, edition_pages=300)
        tracking = after_action(tracking, action, remote)
    if remote is None:
        return
    for read in remote.reads:
        if read.id in before and before[read.id] == read:
            continue  # a read the sync did not touch
        if read.finished == TODAY:
            assert TODAY in sourced  # Hardcover's stamp of today never stands as evidence
        if read.started and read.finished and read.id not in before:
            assert read.started <= read.finished
