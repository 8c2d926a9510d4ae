"""The one-book Fetch Metadata dialog against the loopback sources: a status line per source,
the values side by side with "≠" where they differ, fields the library cannot save shown but
off, Take All / Best, and Apply saving the ticked values as the user's edit."""

from __future__ import annotations

import asyncio

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.services.metadata import service as metadata_service
from bookorbit_desktop.ui.asyncqt import running_tasks
from bookorbit_desktop.ui.metadata.diff_table import LOCAL, NOT_APPLIABLE
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from bookorbit_desktop.ui.metadata.texts import DIFFERS
from tests.ui.metadata.conftest import emitted, settle, until, wait


def open_fetched(service, book_id, qtbot, qloop) -> FetchDialog:
    dialog = FetchDialog(service, book_id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait(qloop, dialog.fetch())
    return dialog


def test_fetch_shows_each_source_side_by_side_and_apply_saves_the_ticks(service, fox, qtbot, qloop):
    dialog = open_fetched(service, fox.id, qtbot, qloop)
    pane, table = dialog.pane, dialog.pane.table
    assert dialog.windowTitle() == "Fetch Metadata for “fantastic_mr_fox”"
    lines = {s: label.text() for s, label in pane.status_labels.items()}
    assert lines["hardcover"].startswith("Hardcover: ok")
    assert lines["openlibrary"] == "Open Library: ok — 1 candidate"
    assert lines["google"] == "Google Books: ok — 1 candidate"
    assert table.sources == ("hardcover", "openlibrary", "google")
    title = table.buttons[("title", "openlibrary")]
    assert title.text() == f"{DIFFERS} Fantastic Mr. Fox"  # a marker, not colour alone
    assert "differs from the book's" in title.accessibleName()
    assert table.buttons[("title", LOCAL)].isChecked()  # the book's own value by default
    assert not table.buttons[("title", LOCAL)].text().startswith(DIFFERS)
    publisher = table.buttons[("publisher", "openlibrary")]
    if "publisher" not in metadata_service.APPLICABLE:  # shown only, saying why
        assert not publisher.isEnabled() and publisher.toolTip() == NOT_APPLIABLE
    assert publisher.text().endswith("Puffin")

    assert table.take_all("google") > 0
    assert table.picks()["title"] == "google"
    table.keep_all()
    assert table.picks() == {}
    table.pick("title", "openlibrary")
    qtbot.mouseClick(table.buttons[("description", "openlibrary")], Qt.MouseButton.LeftButton)
    table.pick("authors", "hardcover")
    assert table.picks() == {
        "title": "openlibrary", "description": "openlibrary", "authors": "hardcover",
    }  # fmt: skip

    saved = emitted(qloop, dialog.saved)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    book_id, text = wait(qloop, saved)
    # the table shows the book's new values (a load still under way may end first)
    wait(qloop, until(lambda: table.buttons[("title", LOCAL)].text() == "Fantastic Mr. Fox"))
    assert book_id == fox.id and text.startswith("Saved ")
    book = Book.get_by_id(fox.id)
    assert book.title == "Fantastic Mr. Fox"
    assert book.author_names() == ["Roald Dahl"]
    assert book.description == "A clever fox outwits three farmers."
    assert {"title", "authors", "description"} <= edited_fields(fox.id)
    assert table.buttons[("title", LOCAL)].text() == "Fantastic Mr. Fox"
    assert not table.buttons[("title", "openlibrary")].text().startswith(DIFFERS)


@pytest.mark.parametrize("slow", [False, True], ids=["prompt", "hardcover_after_the_covers"])
def test_best_ticks_the_rule_and_covers_show_their_size(
    slow, service, hardcover_fake, fox, qtbot, qloop
):
    """Also when Hardcover answers after the others' covers have shown, and each cover takes a
    while (a busy machine): the table shown at the end gets its covers again."""
    dialog = FetchDialog(service, fox.id)
    qtbot.addWidget(dialog)
    dialog.show()
    if slow:
        hardcover_fake.config.response_delay = 1.0
        real_fetch = dialog.pane._covers.fetch

        async def slow_fetch(url):
            await asyncio.sleep(0.2)
            return await real_fetch(url)

        dialog.pane._covers.fetch = slow_fetch
    covers = emitted(qloop, dialog.pane.covers_loaded)
    wait(qloop, dialog.fetch())
    settle(qloop)  # the covers of the last showing, not only the first covers to land
    assert covers.done()
    table = dialog.pane.table
    rows = {row.name: row for row in dialog.pane.shown.fields}
    assert table.take_best() > 0
    for name, source in table.picks().items():
        assert source == rows[name].best
    assert table.picks()["title"] == "hardcover"  # its edition has the book's ISBN: rank 2, first
    cover = table.buttons[("cover", "openlibrary")]
    assert cover.text().endswith(" px")  # its pixel size, read from the picture
    picture = table.cover_labels["openlibrary"]
    assert picture.pixmap() is not None and not picture.pixmap().isNull()
    assert table.cover_labels[LOCAL].size() == picture.size()  # the same box for every cover


def test_a_failing_source_says_why_and_the_others_still_show(service, sources, fox, qtbot, qloop):
    sources.fail["google"] = 429
    sources.fail["openlibrary"] = "malformed"
    dialog = open_fetched(service, fox.id, qtbot, qloop)
    lines = {s: label.text() for s, label in dialog.pane.status_labels.items()}
    assert lines["google"].startswith("Google Books: rate-limited — ")
    assert lines["openlibrary"].startswith("Open Library: malformed — ")
    assert dialog.pane.table.sources == ("hardcover",)
    assert dialog.apply_button.isEnabled()


def test_each_source_shows_as_it_answers_while_a_slow_one_is_still_asking(
    service, hardcover_fake, fox, qtbot, qloop
):
    hardcover_fake.config.response_delay = 3.0  # each Hardcover answer: 3 s (a busy machine)
    dialog = FetchDialog(service, fox.id)
    qtbot.addWidget(dialog)
    dialog.show()
    first = emitted(qloop, dialog.pane.loaded)
    task = dialog.fetch()
    wait(qloop, first)  # the first source with values has answered
    pane, table = dialog.pane, dialog.pane.table
    assert pane.status_labels["hardcover"].text() == "Hardcover: asking…"
    assert not task.done() and dialog.stop_button.isEnabled()
    assert table.sources and "hardcover" not in table.sources
    source = table.sources[0]
    assert pane.status_labels[source].text().endswith("ok — 1 candidate")
    assert dialog.apply_button.isEnabled()  # what came can be applied already
    assert table.pick("title", source)  # ticked while Hardcover is still asking

    wait(qloop, task)
    assert pane.status_labels["hardcover"].text().startswith("Hardcover: ok")
    assert table.sources == ("hardcover", "openlibrary", "google")
    assert table.picks() == {"title": source}  # the tick survived the later answers


def test_stop_says_which_sources_never_answered(service, hardcover_fake, fox, qtbot, qloop):
    hardcover_fake.config.response_delay = 3.0
    dialog = FetchDialog(service, fox.id)
    qtbot.addWidget(dialog)
    dialog.show()
    first = emitted(qloop, dialog.pane.loaded)
    task = dialog.fetch()
    wait(qloop, first)
    (source, *_) = dialog.pane.table.sources
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qloop.run_until_complete(asyncio.wait([task], timeout=5))
    assert task.cancelled()
    lines = {s: label.text() for s, label in dialog.pane.status_labels.items()}
    assert lines["hardcover"] == (
        "Hardcover: not answered — the fetch was stopped before it reached this book, or is "
        "still under way"
    )
    assert lines[source].endswith(": ok — 1 candidate")  # what came stays shown
    assert dialog.message.text().startswith("Stopped.")
    assert dialog.again_button.isEnabled() and not dialog.stop_button.isEnabled()


def test_closing_the_dialog_before_its_covers_arrive_is_quiet(service, fox, qtbot, qloop):
    """The covers of a dialog closed meanwhile land nowhere (no error about deleted labels)."""
    dialog = FetchDialog(service, fox.id)
    dialog.show()
    covers = dialog.pane._covers
    real_fetch = covers.fetch

    async def slow_fetch(url):
        await asyncio.sleep(0.3)  # still on its way when the dialog goes
        return await real_fetch(url)

    covers.fetch = slow_fetch
    wait(qloop, dialog.fetch())
    loading = [t for t in running_tasks() if t.get_coro().__name__ == "_load_covers"]
    assert loading
    shiboken6.delete(dialog)
    for task in loading:
        wait(qloop, task)  # raises what the task raised


def test_a_description_tooltip_shows_the_description_cleaned(service, fox, qtbot, qloop):
    """A tooltip renders rich text, images included: the book's own description, stored raw
    before descriptions were cleaned, is shown without what it would load."""
    fox.description = '<p>A fox.<img src="/dev/zero"><img src="file:///etc/passwd"></p>'
    fox.save()
    dialog = open_fetched(service, fox.id, qtbot, qloop)
    assert dialog.pane.table.buttons[("description", LOCAL)].toolTip() == "<p>A fox.</p>"


def test_an_ampersand_in_a_value_is_shown_not_taken_for_a_shortcut(service, fox, qtbot, qloop):
    Book.update(publisher="Allen & Unwin").where(Book.id == fox.id).execute()
    dialog = open_fetched(service, fox.id, qtbot, qloop)
    own = dialog.pane.table.buttons[("publisher", LOCAL)]
    assert QKeySequence.mnemonic(own.text()).isEmpty()  # no Alt+letter, no underline
    assert own.text().replace("&&", "&") == "Allen & Unwin"
