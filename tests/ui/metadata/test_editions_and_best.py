"""The metadata dialogs through real widgets against the loopback sources: a record of another
edition (a German book carrying an English edition's ISBN) is named as such and nothing of it
is taken by Best or Fill Empty Fields; Best never takes a poorer value nor a cover that did not
load; titles compare in NFC, a case-only difference has its own mark, and an applied cover
reads as the book's own."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.diff_table import COVER_FAILED, LOCAL
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from bookorbit_desktop.ui.metadata.fill_review import rows
from bookorbit_desktop.ui.metadata.texts import CASE, DIFFERS
from tests.factories import add_book
from tests.fakes.metadata_sources import FakeBook
from tests.ui.metadata.conftest import emitted, settle, until, wait

HOBBIT = FakeBook(
    "9780547928227", "The Hobbit", ("J. R. R. Tolkien",), publisher="Houghton Mifflin Harcourt",
    published="2012", pages=300, cover_id=6979861, description="In a hole in the ground.",
)  # fmt: skip
KONBINI = FakeBook(
    "9780802128256", "Convenience Store Woman", ("Sayaka Murata",), publisher="Grove Press",
    pages=176, cover_id=8419214, description="Keiko has never fit in.",
)  # fmt: skip
MARTIAN = FakeBook(
    "9780553418026", "The Martian", ("Andy Weir",), cover_id=11446, pages=387,
    description="The Martian by Andy Weir.",
)  # fmt: skip
FULL = (
    "Six days ago, astronaut Mark Watney became one of the first people to walk on Mars. Now "
    "he's sure he'll be the first person to die there."
)
EDITION_FIELDS = {"publisher", "release_date", "pages", "isbn13", "cover"}


def fetched(service, book_id, qtbot, qloop) -> FetchDialog:
    dialog = FetchDialog(service, book_id)
    qtbot.addWidget(dialog)
    dialog.show()
    covers = emitted(qloop, dialog.pane.covers_loaded)
    wait(qloop, dialog.fetch())
    settle(qloop)  # the covers of the last showing, not only the first covers to land
    assert covers.done()
    return dialog


def test_a_record_of_another_edition_says_so_and_best_takes_nothing_of_it(
    service, sources, qtbot, qloop
):
    sources.add(FakeBook(**HOBBIT.__dict__))
    hobbit = add_book("Der Hobbit", ["J. R. R. Tolkien"], isbn13=HOBBIT.isbn13, language="de")
    dialog = fetched(service, hobbit.id, qtbot, qloop)
    pane, table = dialog.pane, dialog.pane.table
    line = pane.status_labels["openlibrary"].text()
    assert line.startswith("Open Library: ok — 1 candidate · another edition: English, not German")
    assert "not taken by Best or Fill Empty Fields" in line
    assert "another edition: English, not German" in pane.status_labels["google"].text()
    header = table.horizontalHeaderItem(1).text()
    assert header == "Open Library\n(another edition: English, not German)"
    table.take_best()
    assert table.picks() == {}  # neither the publisher nor anything else of that edition
    assert table.pick("description", "openlibrary")  # the user may still take it by hand


def test_fill_empty_fields_leaves_other_editions_out_and_lists_them(
    service, sources, fox, qtbot, qloop
):
    sources.add(FakeBook(**HOBBIT.__dict__))
    sources.add(FakeBook(**KONBINI.__dict__))
    hobbit = add_book("Der Hobbit", ["J. R. R. Tolkien"], isbn13=HOBBIT.isbn13, language="de")
    konbini = add_book("コンビニ人間", ["村田沙耶香"], isbn13=KONBINI.isbn13, language=None)
    dialog = BatchDialog(service, [fox.id, hobbit.id, konbini.id])
    qtbot.addWidget(dialog)
    dialog.show()
    done = emitted(qloop, dialog.finished_fetch)
    dialog.start()
    wait(qloop, done)
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    wait(qloop, until(lambda: dialog.question is not None and dialog.question.isVisible()))
    review = dialog.question
    assert review.fill_button.text() == "&Fill 1 Book"  # fantastic_mr_fox only
    h, k = str(hobbit.id), str(konbini.id)
    english, title = "another edition: English, not German", "another edition: title differs"
    assert sorted(rows(review.left_out)) == [
        ["Der Hobbit", "J. R. R. Tolkien", h, "Google Books", english],
        ["Der Hobbit", "J. R. R. Tolkien", h, "Open Library", english],
        ["コンビニ人間", "村田沙耶香", k, "Google Books", title],
        ["コンビニ人間", "村田沙耶香", k, "Open Library", title],
    ]
    assert {books for _, books, _ in rows(review.fields)} == {"1"}
    qtbot.mouseClick(review.fill_button, Qt.MouseButton.LeftButton)
    wait(qloop, until(lambda: dialog.message.text().startswith("Filled")))
    assert dialog.message.text() == "Filled empty fields in 1 book."
    for book_id in (hobbit.id, konbini.id):
        book = Book.get_by_id(book_id)
        assert (book.publisher, book.published, book.pages, book.cover_path) == (None,) * 4
        assert book.description is None
    assert Book.get_by_id(fox.id).publisher == "Puffin"


def test_best_keeps_a_full_description_and_never_a_cover_that_did_not_load(
    service, sources, hardcover_fake, qtbot, qloop
):
    sources.add(FakeBook(**MARTIAN.__dict__))
    catalog = hardcover_fake.catalog
    book = catalog.add_book("The Martian", authors=["Andy Weir"], users_count=10)
    broken = f"{sources.openlibrary_url}/covers/b/id/missing.jpg"  # answers 404
    catalog.add_edition(
        book, isbn_13=MARTIAN.isbn13, users_count=5,
        image={"url": broken, "width": 1200, "height": 1800},
    )  # fmt: skip
    martian = add_book("The Martian", ["Andy Weir"], isbn13=MARTIAN.isbn13)
    Book.update(description=FULL).where(Book.id == martian.id).execute()
    dialog = fetched(service, martian.id, qtbot, qloop)
    table = dialog.pane.table
    cover = table.buttons[("cover", "hardcover")]
    assert not cover.isEnabled() and cover.toolTip() == COVER_FAILED
    qtbot.mouseClick(cover, Qt.MouseButton.LeftButton)
    assert not cover.isChecked()  # a click cannot take it either
    table.take_best()
    picks = table.picks()
    assert "description" not in picks  # the one-line stub is poorer than the book's own
    assert picks["cover"] == "openlibrary"  # the largest cover that loaded


def test_titles_compare_in_nfc_a_case_difference_is_marked_and_an_applied_cover_is_the_same(
    service, sources, fox, qtbot, qloop
):
    sources.add(FakeBook("9782253096344", "Les Misérables", ("Victor Hugo",), language="fr"))
    sources.add(FakeBook("9780553293357", "Foundation", ("Isaac Asimov",)))
    nfd = unicodedata.normalize("NFD", "Les Misérables")
    hugo = add_book(nfd, ["Victor Hugo"], isbn13="9782253096344", language="fr")
    asimov = add_book("FOUNDATION", ["Isaac Asimov"], isbn13="9780553293357")

    dialog = fetched(service, hugo.id, qtbot, qloop)
    assert dialog.pane.table.buttons[("title", "openlibrary")].text() == "Les Misérables"
    dialog = fetched(service, asimov.id, qtbot, qloop)
    title = dialog.pane.table.buttons[("title", "openlibrary")]
    assert title.text() == f"{CASE} Foundation"
    assert title.accessibleName().endswith("differs from the book's in capitals only")

    dialog = fetched(service, fox.id, qtbot, qloop)
    table = dialog.pane.table
    assert table.buttons[("cover", "openlibrary")].text().startswith(DIFFERS)  # it has none
    assert table.pick("cover", "openlibrary")
    covers = emitted(qloop, dialog.pane.covers_loaded)
    wait(qloop, dialog.apply())
    wait(qloop, covers)
    assert Book.get_by_id(fox.id).cover_path
    assert table.cover_labels[LOCAL].pixmap() is not None
    assert not table.buttons[("cover", "openlibrary")].text().startswith(DIFFERS)
    table.take_best()
    assert "cover" not in table.picks()  # the book has that picture already


def test_a_ticked_cover_stays_ticked_when_more_answers_come(service, fox, qtbot, qloop):
    dialog = fetched(service, fox.id, qtbot, qloop)
    pane = dialog.pane
    assert pane.table.pick("cover", "google")
    covers = emitted(qloop, pane.covers_loaded)
    wait(qloop, pane.load(fox.id, keep_picks=True))  # as when another source answers
    wait(qloop, covers)
    assert pane.table.picks() == {"cover": "google"}
