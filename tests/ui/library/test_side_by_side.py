"""The side-by-side view of two copies, offscreen on a real library: a long description is
shortened on its button and whole in its tooltip, as rich text so that the tooltip wraps; each
copy's tags are shown, all kept by the merge."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, Qt
from PySide6.QtWidgets import QLabel

from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.library.merge import MergeService
from bookorbit_desktop.ui.library.side_by_side import SideBySideView
from tests.library.merge.copies import two_copies
from tests.services.test_merge_side_by_side import THEIRS, describe_both
from tests.ui.shown import tooltip_text


def test_a_long_description_is_whole_in_its_tooltip(qtbot, library, tmp_path):
    epub, pdf = describe_both(library, tmp_path)
    view = SideBySideView()
    qtbot.addWidget(view)
    view.show_pair(MergeService(library).side_by_side(epub, pdf))
    _, theirs = view.radios["description"]
    assert theirs.text() == THEIRS[:51] + "…"
    assert tooltip_text(theirs.toolTip()) == THEIRS
    assert Qt.mightBeRichText(theirs.toolTip())
    assert theirs.isChecked()


def _row(view, heading):
    """The texts of the row whose heading is `heading`, heading first."""
    [(row, _, _, _)] = [
        view.grid.getItemPosition(index)
        for index in range(view.grid.count())
        if isinstance(view.grid.itemAt(index).widget(), QLabel)
        and view.grid.itemAt(index).widget().text() == heading
    ]
    cells = [view.grid.itemAtPosition(row, column) for column in range(3)]
    return [cell.widget().text() for cell in cells]


def test_each_copys_tags_are_shown_and_the_merge_keeps_them_all(qtbot, library, tmp_path):
    epub, pdf = two_copies(library, tmp_path)
    change_tags([epub], library, add=["sf"])
    change_tags([pdf], library, add=["classic", "to lend"])
    service = MergeService(library)
    view = SideBySideView()
    qtbot.addWidget(view)
    view.show_pair(service.side_by_side(epub, pdf))
    assert _row(view, "Tags (all kept):") == ["Tags (all kept):", "sf", "classic, to lend"]

    service.merge(epub, pdf, view.choices())
    sql = "SELECT t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = ?"
    assert sorted(name for (name,) in database.execute_sql(sql, (epub,))) == [
        "classic",
        "sf",
        "to lend",
    ]


def test_a_copy_without_tags_says_so(qtbot, library, tmp_path):
    epub, pdf = two_copies(library, tmp_path)
    change_tags([pdf], library, add=["sf"])
    view = SideBySideView()
    qtbot.addWidget(view)
    view.show_pair(MergeService(library).side_by_side(epub, pdf))
    assert _row(view, "Tags (all kept):") == ["Tags (all kept):", "(no tags)", "sf"]


def test_an_ampersand_in_a_value_is_shown_not_taken_for_a_shortcut(qtbot, library, tmp_path):
    epub, pdf = two_copies(library, tmp_path)
    Book.update(publisher="Allen & Unwin").where(Book.id == pdf).execute()
    view = SideBySideView()
    qtbot.addWidget(view)
    view.show_pair(MergeService(library).side_by_side(epub, pdf))
    _, theirs = view.radios["publisher"]
    assert QKeySequence.mnemonic(theirs.text()).isEmpty()  # no Alt+letter, no underline
    assert theirs.text().replace("&&", "&") == "Allen & Unwin"
