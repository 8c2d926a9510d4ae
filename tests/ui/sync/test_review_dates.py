"""The review's read dates from the reading history: one row each under its book, unticked
until the user ticks it; a book listed only for its dates cannot be excluded from there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.hardcover.sync.desired import Proposal
from bookorbit_desktop.services.hardcover.sync import BookResult, ProposedDate
from bookorbit_desktop.ui.sync.review_dialog import (
    BOOK,
    CHANGE,
    DATES_ONLY,
    ReviewDialog,
    date_line,
    intro_text,
    send_text,
)

TICKED, UNTICKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
ADD = ({"changes": ("add to Hardcover as Read",)},)


def proposals(book_id: int, *dates: tuple[str, str, str | None]) -> tuple[ProposedDate, ...]:
    return tuple(
        ProposedDate(Proposal(book_id, name, value), theirs) for name, value, theirs in dates
    )


def dialog_for(qtbot, *books: BookResult) -> ReviewDialog:
    dialog = ReviewDialog(books, None)
    qtbot.addWidget(dialog)
    return dialog


def book_row(dialog: ReviewDialog, title: str):
    (item,) = dialog.tree.findItems(title, Qt.MatchFlag.MatchExactly, BOOK)
    return item


PIRANESI = BookResult(
    7,
    "Piranesi",
    "up_to_date",
    proposals=proposals(
        7, ("started", "2024-10-04", None), ("finished", "2024-10-07", "2024-11-01")
    ),
)
DUNE = BookResult(
    3,
    "Dune",
    "would_send",
    ADD,
    proposals=proposals(3, ("started", "2023-01-02", None), ("finished", "2023-02-03", None)),
)
EMMA = BookResult(5, "Emma", "would_send", ADD)


def test_a_book_listed_for_its_dates_only_sends_just_the_date_ticked(qtbot):
    dialog = dialog_for(qtbot, PIRANESI, EMMA)
    piranesi = book_row(dialog, "Piranesi")
    assert not piranesi.flags() & Qt.ItemFlag.ItemIsUserCheckable  # nothing else to exclude
    assert piranesi.text(CHANGE) == DATES_ONLY
    assert [piranesi.child(i).text(BOOK) for i in range(piranesi.childCount())] == [
        "Started 2024-10-04 — from your reading history (Hardcover has: no date)",
        "Finished 2024-10-07 — from your reading history (Hardcover has: 2024-11-01)",
    ]
    piranesi.child(1).setCheckState(BOOK, TICKED)
    assert dialog.approved_dates() == [PIRANESI.proposals[1]]
    assert dialog.unticked() == []
    assert dialog.send_button.text() == "Send 1 book and 1 date"


def test_unticking_a_book_takes_its_ticked_dates_with_it(qtbot):
    dialog = dialog_for(qtbot, DUNE)
    dune = book_row(dialog, "Dune")
    for i in range(dune.childCount()):
        dune.child(i).setCheckState(BOOK, TICKED)
    assert dialog.approved_dates() == list(DUNE.proposals)
    assert dialog.send_button.text() == "Send 1 book and 2 dates"
    dune.setCheckState(BOOK, UNTICKED)
    assert dialog.approved_dates() == []
    assert dialog.unticked() == [3]
    assert dune.child(0).isDisabled() and dune.child(1).isDisabled()
    assert dialog.send_button.text() == "Send Nothing"


def test_by_default_no_date_is_approved_and_no_book_excluded(qtbot):
    dialog = dialog_for(qtbot, PIRANESI, DUNE)
    children = [
        book_row(dialog, title).child(i) for title in ("Dune", "Piranesi") for i in range(2)
    ]
    assert [child.checkState(BOOK) for child in children] == [UNTICKED] * 4
    assert dialog.approved_dates() == [] and dialog.unticked() == []
    assert dialog.history_dates.checkState() == UNTICKED
    assert dialog.send_button.text() == "Send 1 book"


def test_one_box_ticks_every_date_and_shows_when_only_some_are(qtbot):
    dialog = dialog_for(qtbot, PIRANESI, DUNE)
    box = dialog.history_dates
    assert box.accessibleName() and dialog.tree.accessibleName()
    box.click()
    assert dialog.approved_dates() == [*DUNE.proposals, *PIRANESI.proposals]  # the tree's order
    book_row(dialog, "Dune").child(0).setCheckState(BOOK, UNTICKED)
    assert box.checkState() == Qt.CheckState.PartiallyChecked
    box.click()  # from "some", a click ticks them all again
    assert box.checkState() == TICKED and len(dialog.approved_dates()) == 4
    box.click()
    assert box.checkState() == UNTICKED and dialog.approved_dates() == []


def test_space_ticks_the_current_row_whatever_column_the_cursor_is_in(qtbot):
    dialog = dialog_for(qtbot, DUNE)
    dialog.show()
    qtbot.waitExposed(dialog)
    dune = book_row(dialog, "Dune")
    tree = dialog.tree
    tree.setFocus()
    tree.setCurrentItem(dune.child(1), BOOK)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert dialog.approved_dates() == [DUNE.proposals[1]]
    assert "Finished 2023-02-03" in dialog.details.text()
    tree.setCurrentItem(dune, CHANGE)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert dialog.unticked() == [3] and dialog.approved_dates() == []


def test_a_date_row_spans_the_tree_and_wraps_only_when_it_must(qtbot):
    dialog = dialog_for(qtbot, DUNE)
    dialog.resize(1100, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    tree.setColumnWidth(BOOK, 80)  # a narrow first column: the date's line is not squeezed in it
    QApplication.processEvents()
    line = dialog.fontMetrics().height()
    child = book_row(dialog, "Dune").child(1)
    assert tree.visualItemRect(child).height() < 2 * line + 8
    assert tree.visualItemRect(child).width() > 600


@pytest.mark.parametrize(
    ("books", "dates", "text"),
    [
        (3, 2, "Send 3 books and 2 dates"),
        (1, 1, "Send 1 book and 1 date"),
        (0, 1, "Send 1 date"),
        (21, 0, "Send 21 books"),
        (0, 0, "Send Nothing"),
    ],
)
def test_the_send_button_counts_books_and_dates(books, dates, text):
    assert send_text(books, dates) == text


@pytest.mark.parametrize(
    ("sending", "proposed", "has", "lacks"),
    [
        (2, 0, "would add or change 2 books", "reading history"),
        (1, 1, "1 read date from your KOReader reading history is listed under its book", "0"),
        (0, 3, "3 read dates from your KOReader reading history are listed under their", "Untick"),
    ],
)
def test_the_intro_says_what_is_sent_and_what_waits_for_a_tick(sending, proposed, has, lacks):
    text = intro_text(sending, proposed)
    assert has in text and lacks not in text


def test_a_date_line_says_which_date_and_what_hardcover_has():
    (date,) = proposals(1, ("finished", "2024-10-14", None))
    assert date_line(date) == (
        "Finished 2024-10-14 — from your reading history (Hardcover has: no date)"
    )
