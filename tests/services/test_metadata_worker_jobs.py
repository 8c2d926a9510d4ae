"""A fetch's library work runs in short worker jobs, so a worker never holds the interpreter
lock (which the window's thread waits for around its calls into Qt) for long: the lookups go a
few books a job and the fixed answers a few a transaction, and queueing is one statement. Each
gives what one long job would."""

from __future__ import annotations

from bookorbit_desktop.library.store import fetched_metadata as store
from bookorbit_desktop.metadata_sources.records import REFUSED, Lookup, SourceResult
from bookorbit_desktop.services.metadata import fetch_run
from bookorbit_desktop.services.metadata import service as metadata
from bookorbit_desktop.services.metadata.books import lookups
from tests.factories import add_book


def _states() -> list[tuple[int, str, str, str, float]]:
    return [(s.book_id, s.source, s.status, s.message, s.fetched_at) for s in store.states()]


def test_queueing_marks_each_source_book_pending_and_keeps_earlier_answers(library):
    dune, emma, other = (add_book(t).id for t in ("Dune", "Emma", "Other"))
    store.save_answer(dune, "google", "ok", "1 found", [{"title": "Dune"}], 1.0)
    store.save_answer(emma, "google", "timed out", "no answer", [], 1.0)
    plan = {"google": [dune, emma, 999, dune], "openlibrary": [emma, other]}  # 999: no book
    store.mark_pending(plan, 5.0)
    assert _states() == [
        (dune, "google", "pending", "", 1.0),  # queued again: its time is the answer's
        (emma, "google", "pending", "", 1.0),
        (emma, "openlibrary", "pending", "", 5.0),
        (other, "openlibrary", "pending", "", 5.0),
    ]
    assert store.candidates_of(dune) == [("google", {"title": "Dune"})]


async def test_lookups_go_a_few_books_a_job_in_the_order_given(library, monkeypatch):
    ids = [add_book(f"Book {n}").id for n in range(metadata.LOOKUPS_AT_ONCE * 2 + 3)]
    asked = [*reversed(ids), 999, ids[0]]  # 999: no such book; a book twice
    jobs: list[int] = []
    real = metadata.off_loop

    async def counted(fn, book_ids):
        jobs.append(len(book_ids))
        return await real(fn, book_ids)

    monkeypatch.setattr(metadata, "off_loop", counted)
    found = await metadata._lookups(asked)
    assert found == lookups(asked)
    assert [b.book_id for b in found] == list(reversed(ids))
    assert max(jobs) == metadata.LOOKUPS_AT_ONCE and sum(jobs) == len(ids) + 1


async def test_fixed_answers_are_stored_a_few_a_transaction(library, monkeypatch):
    ids = [add_book(f"Book {n}").id for n in range(fetch_run.SAVED_AT_ONCE * 2 + 1)]
    plan = {"hardcover": [Lookup(book_id=b, title=f"Book {b}") for b in ids]}
    saved: list[int] = []
    real = fetch_run.save_answers

    def counted(answers, now):
        saved.append(len(answers))
        real(answers, now)

    monkeypatch.setattr(fetch_run, "save_answers", counted)
    answered: list[int] = []
    run = fetch_run.FetchRun(plan, clock=lambda: 1.0, answered=lambda a: answered.append(a.book_id))
    report = await run.run([], {"hardcover": SourceResult("hardcover", REFUSED, "No account")})
    assert saved == [fetch_run.SAVED_AT_ONCE, fetch_run.SAVED_AT_ONCE, 1]
    assert answered == ids and report.books == len(ids) and not report.cancelled
    assert {s.status for s in store.states(ids)} == {REFUSED}
