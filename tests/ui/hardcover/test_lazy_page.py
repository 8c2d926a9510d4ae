"""The Hardcover page reads its rows a window at a time from SQLite: it shows the rows, in the
order, the groups and the counts that reading every book at once and grouping them in Python
gives (`reference` below, the rule the page has always followed); more rows come as the list
scrolls; a change made by another connection redraws only its row."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

import pytest
from PySide6.QtCore import QModelIndex, Qt

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.dashboard_rows import state_of
from bookorbit_desktop.library.store.models import HardcoverMatch, HardcoverSync, SyncOutbox
from bookorbit_desktop.services.hardcover.service import HardcoverService, copies_conflict
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.hardcover import dashboard
from tests.factories import add_book
from tests.ui.hardcover.conftest import group_rows, heading_row, refresh, row_texts, top_rows

OUTCOMES = (  # (match state, sync state, a change waiting)
    ("linked", "synced", False),
    ("linked", "synced", True),
    ("linked", None, False),
    ("linked", "failed", False),
    ("linked", "ahead", False),
    ("needs_review", None, False),
    ("no_match", None, False),
    ("error", None, False),
    ("excluded", None, False),
    ("removed", None, False),
    (None, None, False),
)
WORDS = ("Orbit", "River", "Stone", "Élan", "Quiet", "Harbour", "Letter", "Garden")


def make_library(count: int = 60) -> None:
    rng = random.Random(7)
    for number in range(count):
        title = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {number}"
        series = rng.choice((None, None, "Saga", "Cycle", "Lone"))
        index = rng.choice((None, 1.0, 2.0, 3.5)) if series else None
        status = rng.choice(("unread", "reading", "read", "want_to_read"))
        book = add_book(
            title,
            [rng.choice(("Ann Author", "Émile Zola"))],
            series=series,
            series_index=index,
            status=status,
        )
        match, synced, queued = rng.choice(OUTCOMES)
        if match is not None:
            linked = match == "linked"
            hc_book = rng.choice((100, 200, number * 1000)) if linked else None
            candidates = [{"book_id": hc_book, "title": f"Hardcover {hc_book}"}] if linked else []
            HardcoverMatch.create(
                book=book.id, state=match, hc_book_id=hc_book, candidates=candidates, updated_at=1.0
            )
        if synced is not None:
            HardcoverSync.create(book=book.id, state=synced, snapshot={}, updated_at=1.0)
        if queued:
            SyncOutbox.create(book=book.id, kinds={"status": 1.0}, queued_at=1.0)


def reference(library, state=None, search="", descending=False):
    """(top-level rows, {heading: its rows}, states) as the page showed them when it read every
    book and grouped them in Python: the library's order, a group where its first book is."""
    service = HardcoverService()
    details, queued = service.match_details(), service.queued_books()
    books = LibraryService(library).list_books()
    rows = [
        (book, details.get(book["id"], {}))
        for book in books
        if book["id"] in details or book["status"] != "unread"
    ]
    states = {
        book["id"]: state_of(match.get("state"), match.get("sync_state"), book["id"] in queued)
        for book, match in rows
    }
    terms = fold(search).split()

    def found(book):
        text = fold(" ".join((book["title"], *book["authors"], book["series"] or "")))
        return all(term in text for term in terms)

    shown = [
        (book, match)
        for book, match in rows
        if (state is None or states[book["id"]] == state) and found(book)
    ]
    if descending:
        shown.reverse()
    copies = Counter(m.get("hc_book_id") for _b, m in shown if m.get("state") == "linked")
    copies.pop(None, None)

    def copy_key(book, match):
        linked = match.get("state") == "linked" and copies[match.get("hc_book_id")] > 1
        return f"c{match['hc_book_id']}" if linked else None

    series = Counter(b["series"] for b, m in shown if b["series"] and not copy_key(b, m))
    tops, children, placed = [], {}, set()
    for book, match in shown:
        key = copy_key(book, match)
        if key is None and book["series"] and series[book["series"]] > 1:
            key = f"s{book['series']}"
        if key is None:
            tops.append(book["title"])
            continue
        if key in placed:
            continue
        placed.add(key)
        members = [
            (place, b, m)
            for place, (b, m) in enumerate(shown)
            if copy_key(b, m) == key
            or (key[0] == "s" and not copy_key(b, m) and f"s{b['series']}" == key)
        ]
        if key[0] == "s":
            members.sort(
                key=lambda e: (e[1]["series_index"] is None, e[1]["series_index"] or 0, e[0])
            )
            heading = f"{book['series']} ({len(members)} books)"
            titles = [
                f"#{b['series_index']:g} {b['title']}"
                if b["series_index"] is not None
                else b["title"]
                for _p, b, _m in members
            ]
        else:
            name = str(match.get("summary") or book["title"]).split(" — ")[0]
            heading = f"{name} ({len(members)} copies)"
            titles = [b["title"] for _p, b, _m in members]
            conflict = copies_conflict([str(b["status"]) for _p, b, _m in members])
            assert conflict is None or conflict.startswith(f"{len(members)} copies")
        tops.append(heading)
        children[heading] = titles
    return tops, children, states


def shown(view):
    tops = top_rows(view)
    model = view.model
    headings = [top for top in tops if model.heading_at(heading_row(view, top)) is not None]
    return tops, {heading: group_rows(view, heading) for heading in headings}


QUERIES = [
    {},
    {"state": "synced"},
    {"state": "pending"},
    {"state": "failed"},
    {"state": "not_matched"},
    {"search": "orbit"},
    {"search": "zola river"},
    {"state": "pending", "search": "ann"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_page_shows_the_rows_in_the_order_and_groups_of_the_full_reading(
    hc, library, qloop, query
):
    make_library()
    refresh(hc, qloop)
    view = hc.view
    states = [view.filter_combo.itemData(i) for i in range(view.filter_combo.count())]
    view.filter_combo.setCurrentIndex(states.index(query.get("state")))
    view.search_edit.setText(query.get("search", ""))
    tops, children, _states = reference(library, **query)
    assert shown(view) == (tops, children)
    assert tops  # the query shows something: the comparison says something
    books = len(tops) - len(children) + sum(len(rows) for rows in children.values())
    assert view.count_label.text() == f"{books:,} of {len(_states):,} books"


def test_the_title_header_turns_the_order_around(hc, library, qloop):
    make_library()
    refresh(hc, qloop)
    view = hc.view
    view.tree.horizontalHeader().sectionClicked.emit(0)  # a click on "Title"
    tops, children, _states = reference(library, descending=True)
    assert shown(view) == (tops, children)
    view.search_edit.setText("river")  # the order stays with the filters
    assert shown(view) == reference(library, search="river", descending=True)[:2]
    view.tree.horizontalHeader().sectionClicked.emit(0)
    assert shown(view) == reference(library, search="river")[:2]


def test_the_counts_are_the_full_readings(hc, library, qloop):
    make_library()
    refresh(hc, qloop)
    _tops, _children, states = reference(library)
    counted = Counter(states.values())
    view = hc.view
    labels = [view.filter_combo.itemText(i) for i in range(view.filter_combo.count())]
    assert labels == [
        dashboard.filter_label(label, len(states) if state is None else counted[state])
        for state, label in dashboard.STATES
    ]


def test_a_change_made_elsewhere_redraws_only_its_row(hc, library, qloop):
    make_library()
    alone = add_book("Aaa Alone", status="reading")  # the first row, in no group
    HardcoverMatch.create(
        book=alone.id, state="linked", hc_book_id=9999, candidates=[], updated_at=1.0
    )
    refresh(hc, qloop)
    view = hc.view
    last = view.model.rowCount() - 1
    assert row_texts(view, 0)[:4] == ["Aaa Alone", "Ann Author", "Reading", "Pending"]
    assert row_texts(view, last)  # every row painted once: the page holds them all
    excluded_before = view.filter_combo.itemText(7)
    redrawn, moved = [], []
    view.model.dataChanged.connect(lambda top, end, *_: redrawn.append((top.row(), end.row())))
    view.model.layoutChanged.connect(lambda *_: moved.append(True))
    view.model.modelReset.connect(lambda: moved.append(True))
    other = sqlite3.connect(library.db_file)  # another process, say
    with other:
        other.execute(
            "UPDATE hardcover_match SET state = 'excluded' WHERE book_id = ?", (alone.id,)
        )
    other.close()
    qloop.run_until_complete(hc.reload_soon(tuple, matches=True))
    assert redrawn == [(0, 0)] and not moved
    assert row_texts(view, 0)[3] == "Excluded"
    assert view.filter_combo.itemText(7) != excluded_before
    assert view.filter_combo.itemText(7) == dashboard.filter_label(
        "Excluded", Counter(reference(library)[2].values())["excluded"]
    )


def test_rows_are_read_as_the_list_scrolls_to_the_end(hc, library, qtbot, qloop):
    for number in range(450):
        add_book(f"Book {number:03}", status="reading")
    view = hc.view
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    refresh(hc, qloop)
    assert 0 < view.model.rowCount() < 450  # the first screen and some, not every book
    assert view.count_label.text() == "450 of 450 books"
    bar = view.tree.verticalScrollBar()
    for _ in range(20):
        if view.model.rowCount() == 450:
            break
        bar.setValue(bar.maximum())  # the user drags to the end: the next rows come
        qtbot.wait(10)
    assert view.model.rowCount() == 450
    assert not view.model.canFetchMore(QModelIndex())
    assert top_rows(view) == [f"Book {number:03}" for number in range(450)]
    assert view.select_book(view.model.book_at(449))


def test_a_group_closes_and_opens_from_the_keyboard(hc, library, qtbot, qloop):
    for number in (1, 2):
        add_book(f"Saga {number}", series="Saga", series_index=number, status="reading")
    add_book("Zed", status="reading")
    refresh(hc, qloop)
    view = hc.view
    assert top_rows(view) == ["Saga (2 books)", "Zed"]
    view.tree.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.tree, Qt.Key.Key_Left)
    assert view.model.rowCount() == 2 and not view.model.is_open(0)
    qtbot.keyClick(view.tree, Qt.Key.Key_Right)
    assert group_rows(view, "Saga (2 books)") == ["#1 Saga 1", "#2 Saga 2"]
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)  # onto the first book: Pick needs a book
    assert view.selected_book_id() is not None
