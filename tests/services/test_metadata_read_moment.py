"""A book's stored metadata answers are read as of one moment: a source's answer saved by
another thread while they are read (a fetch under way beside the window) shows either whole
or not at all, never its values under an "asking…" line or a count without values."""

from __future__ import annotations

import threading

from bookorbit_desktop.library.store import fetched_metadata
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.metadata_sources.records import Candidate
from bookorbit_desktop.services.metadata import books
from tests.factories import add_book

CANDIDATE = Candidate("openlibrary", "OL1W", "Fantastic Mr. Fox", authors=("Roald Dahl",))


def save_beside(book_id: int) -> None:
    """Open Library's answer, saved and committed by another thread on its own connection."""

    def save() -> None:
        try:
            fetched_metadata.save_answer(
                book_id, "openlibrary", "ok", "", [CANDIDATE.to_json()], 2.0
            )
        finally:
            database.close()

    thread = threading.Thread(target=save)
    thread.start()
    thread.join()


def asked(library) -> int:
    book_id = add_book("fantastic_mr_fox", ["Unknown"]).id
    fetched_metadata.mark_pending({"openlibrary": [book_id]}, 1.0)
    return book_id


def test_an_answer_saved_while_a_book_is_read_shows_whole_or_not_at_all(
    library, tmp_path, monkeypatch
):
    book_id = asked(library)
    real = books.candidates_of

    def candidates_after_a_save(wanted: int):
        save_beside(wanted)  # between reading the states and reading the candidates
        return real(wanted)

    monkeypatch.setattr(books, "candidates_of", candidates_after_a_save)
    shown = books.book_candidates(book_id, tmp_path)
    (answer,) = shown.sources
    assert (answer.status, answer.candidates) == ("pending", ())
    monkeypatch.setattr(books, "candidates_of", real)
    (answer,) = books.book_candidates(book_id, tmp_path).sources  # the next read has it
    assert answer.status == "ok" and len(answer.candidates) == 1


def test_stored_answers_read_candidates_and_states_of_one_moment(library, monkeypatch):
    book_id = asked(library)
    real = books.states

    def states_after_a_save(book_ids):
        save_beside(book_id)  # between reading the candidates and reading the states
        return real(book_ids)

    monkeypatch.setattr(books, "states", states_after_a_save)
    ((_, result),) = books.stored_answers([book_id])
    assert (result.status, result.candidates) == ("pending", ())
    monkeypatch.setattr(books, "states", real)
    ((_, result),) = books.stored_answers([book_id])
    assert result.status == "ok" and len(result.candidates) == 1
