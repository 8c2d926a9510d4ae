"""The Hardcover page's search box (title or author, accents and case ignored, together with
the state filter) and "Not on Hardcover" in the Pick dialog."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.store import get_match
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect, open_pick, refresh, top_rows


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", True),
        ("emile", True),
        ("ÉMILE zola", True),
        ("zola germinal", True),
        ("herbert", False),
        ("emile dune", False),
    ],
)
def test_the_search_matches_every_term_in_title_or_authors(hc, qloop, text, found):
    add_book("Germinal", ["Émile Zola"], status="reading")
    refresh(hc, qloop)
    hc.view.search_edit.setText(text)
    assert shown_titles(hc.view) == (["Germinal"] if found else [])


def shown_titles(view):
    return sorted(top_rows(view))


def test_the_search_box_filters_rows_with_the_state_filter(hc, qloop):
    add_book("Germinal", ["Émile Zola"], status="reading")
    add_book("Nana", ["Emile Zola"], status="read")
    add_book("Dune", ["Frank Herbert"], status="reading")
    refresh(hc, qloop)
    view = hc.view
    assert shown_titles(view) == ["Dune", "Germinal", "Nana"]
    view.search_edit.setText("ÉMILE")
    assert shown_titles(view) == ["Germinal", "Nana"]
    assert view.count_label.text() == "2 of 3 books"
    view.search_edit.setText("dune")
    assert shown_titles(view) == ["Dune"]
    states = [view.filter_combo.itemData(i) for i in range(view.filter_combo.count())]
    view.filter_combo.setCurrentIndex(states.index("synced"))
    assert shown_titles(view) == []  # both filters apply
    view.filter_combo.setCurrentIndex(0)
    view.search_edit.clear()
    assert shown_titles(view) == ["Dune", "Germinal", "Nana"]


def test_not_on_hardcover_in_the_pick_dialog_excludes_the_book(hc, fake, qloop):
    fake.catalog.add_book("Piranesi", authors=["Someone Else"], users_count=3)
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading")
    connect(hc, fake, qloop)

    async def scenario():
        dialog, task = await open_pick(hc, local.id)
        assert dialog.exclude_button.isEnabled()
        dialog.exclude_button.click()
        await task

    qloop.run_until_complete(scenario())
    assert get_match(local.id).state == "excluded"
    hc.view.select_book(local.id)
    assert hc.view.exclude_button.text() == "Inclu&de"
