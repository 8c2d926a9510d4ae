"""The batch Fetch Metadata dialog against the loopback sources: every book fetched in the
background with a status line each, the review moving book by book from the keyboard, Enter
applying and moving on, "Fill Empty Fields" giving only what a book lacks, and a failed source
listed with its reason and asked again by Retry."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fill_review import rows
from tests.factories import add_book
from tests.fakes.metadata_sources import FakeBook
from tests.ui.metadata.conftest import emitted, until, wait
from tests.ui.shown import tooltip_text

MATILDA = FakeBook(
    "9780142410370", "Matilda", ("Roald Dahl",), publisher="Puffin", pages=240,
    description="A girl who loves books.",
)  # fmt: skip


def fetched_batch(service, book_ids, qtbot, qloop) -> BatchDialog:
    dialog = BatchDialog(service, book_ids)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    done = emitted(qloop, dialog.finished_fetch)
    dialog.start()
    wait(qloop, done)
    return dialog


def shown_after(qloop, dialog, press) -> int:
    shown = emitted(qloop, dialog.shown)
    press()
    (book_id,) = wait(qloop, shown)
    return book_id


def test_fetch_then_review_book_by_book_from_the_keyboard(service, sources, fox, qtbot, qloop):
    sources.add(FakeBook(**MATILDA.__dict__))
    matilda = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    unknown = add_book("Nobody Knows This One", ["Ann Author"])
    dialog = fetched_batch(service, [fox.id, unknown.id, matilda.id], qtbot, qloop)
    assert dialog.progress.value() == 3
    lines = [dialog.book_list.item(n).text() for n in range(dialog.book_list.count())]
    assert lines[0].startswith(
        "fantastic_mr_fox — Hardcover: ok · Open Library: ok · Google Books: ok"
    )
    assert lines[1] == (
        "Nobody Knows This One — Hardcover: no result · Open Library: no result · "
        "Google Books: no result"
    )
    assert dialog.review == [fox.id, matilda.id]  # only books with something to review
    assert dialog.pane.book_id == fox.id
    assert dialog.position_label.text() == "Book 1 of 2: fantastic_mr_fox"
    assert not dialog.previous_button.isEnabled()

    assert shown_after(qloop, dialog, lambda: qtbot.keyClick(dialog, Qt.Key.Key_PageDown)) == (
        matilda.id
    )
    assert dialog.position_label.text() == "Book 2 of 2: Matilda"
    assert not dialog.next_button.isEnabled()
    press_alt_p = lambda: qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # noqa: E731
    assert shown_after(qloop, dialog, press_alt_p) == fox.id
    press_alt_n = lambda: qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # noqa: E731
    assert shown_after(qloop, dialog, press_alt_n) == matilda.id
    assert shown_after(qloop, dialog, lambda: qtbot.keyClick(dialog, Qt.Key.Key_PageUp)) == fox.id

    dialog.pane.table.pick("title", "openlibrary")
    saved = emitted(qloop, dialog.saved)
    assert shown_after(qloop, dialog, lambda: qtbot.keyClick(dialog, Qt.Key.Key_Return)) == (
        matilda.id
    )  # Enter applied the ticks and went on to the next book
    assert saved.result()[0] == fox.id
    assert Book.get_by_id(fox.id).title == "Fantastic Mr. Fox"
    assert "title" in edited_fields(fox.id)
    assert Book.get_by_id(matilda.id).description is None  # not applied: only shown
    assert steps.next_undo().label == "Apply Metadata to “fantastic_mr_fox”"


def test_fill_empty_fields_gives_only_what_the_books_lack(service, sources, fox, qtbot, qloop):
    sources.add(FakeBook(**MATILDA.__dict__))
    matilda = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    Book.update(description="My own words.").where(Book.id == matilda.id).execute()
    dialog = fetched_batch(service, [fox.id, matilda.id], qtbot, qloop)
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_asked(qloop, dialog).fill_button, Qt.MouseButton.LeftButton)
    # Not the pane's next load: the first book's own load may still be under way.
    wait(qloop, until(lambda: dialog.message.text().startswith("Filled")))
    assert dialog.message.text() == "Filled empty fields in 2 books."
    fox_now, matilda_now = Book.get_by_id(fox.id), Book.get_by_id(matilda.id)
    assert fox_now.title == "fantastic_mr_fox"  # a value it had: left alone
    assert fox_now.author_names() == ["Roald Dahl"]  # "Unknown" is no value: filled
    assert fox_now.description  # it had none: filled
    assert fox_now.language == "en"
    assert {"description", "authors"} <= edited_fields(fox.id)
    assert "title" not in edited_fields(fox.id)
    assert matilda_now.description == "My own words."
    assert "description" not in edited_fields(matilda.id)


def test_a_failed_source_is_listed_with_its_reason_and_retried(service, sources, fox, qtbot, qloop):
    sources.fail["google"] = 503
    other = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    dialog = fetched_batch(service, [fox.id, other.id], qtbot, qloop)
    failed = [dialog.failed_list.item(n).text() for n in range(dialog.failed_list.count())]
    assert len(failed) == 2  # listed as they fail, in either order
    (row,) = [n for n, text in enumerate(failed) if text.startswith("fantastic_mr_fox — Google")]
    assert failed[row].startswith("fantastic_mr_fox — Google Books: ")
    assert "503" in failed[row]  # the source's own reason
    assert (
        tooltip_text(dialog.failed_list.item(row).toolTip()) == failed[row]
    )  # whole, however narrow
    assert dialog.retry_button.isEnabled()

    del sources.fail["google"]
    done = emitted(qloop, dialog.finished_fetch)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    wait(qloop, done)
    assert dialog.failed_list.count() == 0
    assert not dialog.retry_button.isEnabled()
    assert dialog.items[fox.id].text().endswith("Google Books: ok")


def test_each_books_answers_show_as_they_come_while_a_slow_source_asks(
    service, sources, hardcover_fake, fox, qtbot, qloop
):
    sources.add(FakeBook(**MATILDA.__dict__))
    matilda = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    hardcover_fake.config.response_delay = 3.0  # each Hardcover answer: 3 s (a busy machine)
    dialog = BatchDialog(service, [fox.id, matilda.id])
    qtbot.addWidget(dialog)
    dialog.show()
    done = emitted(qloop, dialog.finished_fetch)
    dialog.start()
    line = lambda b: dialog.items[b].text() if b in dialog.items else ""  # noqa: E731
    fast = ("Open Library: ok", "Google Books: ok")
    wait(qloop, until(lambda: all(s in line(b) for b in (fox.id, matilda.id) for s in fast)))
    assert line(matilda.id) == (
        "Matilda — Hardcover: asking… · Open Library: ok · Google Books: ok"
    )
    assert not done.done() and dialog.progress.value() == 0  # no book has all its answers
    assert dialog.review == [fox.id, matilda.id]  # reviewable already, in the given order
    assert dialog.position_label.text() == "Book 1 of 2: fantastic_mr_fox"

    wait(qloop, done)
    assert line(fox.id).startswith("fantastic_mr_fox — Hardcover: ok · Open Library: ok")
    assert dialog.progress.value() == 2
    assert dialog.position_label.text() == "Book 1 of 2: fantastic_mr_fox"


def test_retry_asks_only_this_batchs_failed_books(service, sources, fox, qtbot, qloop):
    sources.fail["google"] = 503
    elsewhere = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    wait(qloop, service.fetch([elsewhere.id]))  # an earlier fetch, failed too
    dialog = fetched_batch(service, [fox.id], qtbot, qloop)
    assert dialog.failed_list.count() == 1
    del sources.fail["google"]
    asked = sources.requests["google"]
    done = emitted(qloop, dialog.finished_fetch)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    wait(qloop, done)
    assert dialog.failed_list.count() == 0
    assert sources.requests["google"] == asked + 1  # this batch's one book, not the other
    assert set(service.failed()) == {elsewhere.id}
    assert dialog.progress.value() == 1


def test_failed_fetches_of_earlier_runs_are_listed_with_their_reason_and_retried(
    service, sources, fox, qtbot, qloop
):
    sources.fail["google"] = 429
    wait(qloop, service.fetch([fox.id]))  # as `metadata fetch` would have left it
    dialog = BatchDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert wait(qloop, dialog.show_failed()) == 1
    assert dialog.windowTitle() == "Failed Metadata Fetches: 1 book"
    (failed,) = [dialog.failed_list.item(n).text() for n in range(dialog.failed_list.count())]
    assert failed.startswith("fantastic_mr_fox — Google Books: rate-limited: ")
    assert dialog.items[fox.id].text() == (
        "fantastic_mr_fox — Hardcover: ok · Open Library: ok · Google Books: rate-limited"
    )
    assert dialog.review == [fox.id]  # what the other sources sent can be reviewed
    assert dialog.retry_button.isEnabled()

    del sources.fail["google"]
    done = emitted(qloop, dialog.finished_fetch)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    wait(qloop, done)
    assert dialog.failed_list.count() == 0
    assert dialog.items[fox.id].text().endswith("Google Books: ok")
    assert service.failed() == {}


def test_no_failed_fetch_says_so(service, qtbot, qloop):
    dialog = BatchDialog(service)
    qtbot.addWidget(dialog)
    assert wait(qloop, dialog.show_failed()) == 0
    assert dialog.progress_label.text() == "No metadata fetch has failed."
    assert dialog.position_label.text() == ""  # no fetch ran here: no "no source had values"
    assert not dialog.retry_button.isEnabled()


def test_a_fetch_with_nothing_to_review_says_so(service, qtbot, qloop):
    unknown = add_book("Nobody Knows This One", ["Ann Author"])
    dialog = fetched_batch(service, [unknown.id], qtbot, qloop)
    assert dialog.review == []
    assert dialog.position_label.text() == (
        "Nothing to review: no source had values for these books."
    )


def test_with_failed_sources_and_no_values_the_empty_review_points_to_retry(
    service, sources, qtbot, qloop
):
    unknown = add_book("Nobody Knows This One", ["Ann Author"])  # the others have no values
    for source in ("openlibrary", "google"):
        sources.fail[source] = 503
    dialog = fetched_batch(service, [unknown.id], qtbot, qloop)
    assert dialog.review == []
    assert dialog.position_label.text() == (
        "Nothing to review yet: no source answered with values. Retry Failed asks the "
        "failed sources again."
    )
    assert dialog.retry_button.isEnabled()

    failed = BatchDialog(service)  # the stored failures, nothing else to review
    qtbot.addWidget(failed)
    failed.resize(900, 600)
    failed.show()
    assert wait(qloop, failed.show_failed()) == 1
    assert failed.progress_label.text() == (
        "1 book with a failed fetch. Retry Failed asks those sources again."
    )
    assert failed.position_label.text().startswith("Nothing to review yet:")
    assert not failed.progress.isVisible()
    stop = failed.stop_button  # keeps its own size where the bar was
    assert stop.width() <= stop.sizeHint().width() + 2


def _four_books(service, sources, fox, qtbot, qloop):
    sources.add(FakeBook(**MATILDA.__dict__))
    copies = [add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13) for _ in range(3)]
    ids = [fox.id, *(book.id for book in copies)]
    return fetched_batch(service, ids, qtbot, qloop), ids


def _asked(qloop, dialog):
    wait(qloop, until(lambda: dialog.question is not None and dialog.question.isVisible()))
    return dialog.question


def test_fill_empty_fields_over_many_books_shows_a_review_first_and_is_one_undo_step(
    service, sources, fox, qtbot, qloop
):
    dialog, ids = _four_books(service, sources, fox, qtbot, qloop)
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    review = _asked(qloop, dialog)
    assert review.intro.text().startswith("4 books of the 4 reviewed get values ")
    assert "Edit ▸ Undo takes the whole fill back." in review.intro.text()
    fields = {row[0]: row[1:] for row in rows(review.fields)}
    assert fields["Description"][0] == "4"
    assert fields["Authors"] == ["1", "Hardcover 1"]  # only fantastic_mr_fox's "Unknown" is empty
    assert not review.left_out.isVisible()  # no record of another edition
    assert review.fill_button.text() == "&Fill 4 Books"
    assert Book.get_by_id(ids[0]).description is None  # nothing written before the click
    qtbot.mouseClick(review.fill_button, Qt.MouseButton.LeftButton)
    wait(qloop, until(lambda: dialog.message.text().startswith("Filled")))
    assert dialog.message.text() == "Filled empty fields in 4 books."
    assert all(Book.get_by_id(book_id).description for book_id in ids)

    [step] = steps.history()
    assert step.label == "Fill Empty Fields (4 books)"
    run.undo(service.paths)
    assert [Book.get_by_id(book_id).description for book_id in ids] == [None] * 4
    assert Book.get_by_id(fox.id).author_names() == ["Unknown"]


def test_a_cancelled_fill_changes_nothing(service, sources, fox, qtbot, qloop):
    dialog, ids = _four_books(service, sources, fox, qtbot, qloop)
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    question = _asked(qloop, dialog)
    qtbot.keyClick(question, Qt.Key.Key_Return)  # Cancel is the default
    wait(qloop, until(lambda: dialog.message.text() == "Nothing was filled."))
    assert [Book.get_by_id(book_id).description for book_id in ids] == [None] * 4
    assert steps.history() == []


def test_fill_says_which_covers_it_could_not_download_and_undoes_what_it_wrote(
    service, sources, fox, qtbot, qloop
):
    """Open Library's cover server fails two of three downloads (503): the fill writes the
    rest, its message counts the covers written against those the review promised and names
    the failed ones with why, and its undo step holds only what was written."""
    emma = sources.add(FakeBook("9780141439587", "Emma", ("Jane Austen",), pages=474,
                                cover_id=5555, description="Handsome, clever."))  # fmt: skip
    sources.add(FakeBook(**{**MATILDA.__dict__, "cover_id": 7777}))
    sources.failing_covers |= {8739161, emma.cover_id}  # Mr Fox's and Emma's
    matilda = add_book("Matilda", ["Roald Dahl"], isbn13=MATILDA.isbn13)
    own_emma = add_book("Emma", ["Jane Austen"], isbn13=emma.isbn13)
    ids = [fox.id, matilda.id, own_emma.id]
    dialog = fetched_batch(service, ids, qtbot, qloop)
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    review = _asked(qloop, dialog)
    assert {row[0]: row[1:] for row in rows(review.fields)}["Cover"] == ["3", "Open Library 3"]
    qtbot.mouseClick(review.fill_button, Qt.MouseButton.LeftButton)
    wait(qloop, until(lambda: dialog.message.text().startswith("Filled")))
    assert dialog.message.text() == (
        "Filled empty fields in 3 books: Cover 1 of 3 (2 from Open Library not written: "
        "127.0.0.1 answered HTTP 503 for the cover. Try again later)."
    )
    assert [bool(Book.get_by_id(b).cover_path) for b in ids] == [False, True, False]
    assert [("cover" in edited_fields(b)) for b in ids] == [False, True, False]

    [step] = steps.history()
    assert step.label == "Fill Empty Fields (3 books)"
    run.undo(service.paths)
    assert [Book.get_by_id(b).cover_path for b in ids] == [None] * 3
    assert [Book.get_by_id(b).description for b in ids] == [None] * 3
