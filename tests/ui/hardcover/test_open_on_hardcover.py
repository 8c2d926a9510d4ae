"""Open on Hardcover and the token page say where they meant to go when no browser answers."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from bookorbit_desktop.services.hardcover.service import GET_TOKEN_URL
from bookorbit_desktop.ui.opening import CouldNotOpen
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect


def refuses(url: QUrl) -> bool:
    return False


def test_open_on_hardcover_shows_the_address_when_no_browser_answers(hc, fake, qloop):
    """The button's failure is seen through the real page: the address, ready to copy."""
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], slug="dune")
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604)
    local = add_book("Dune", ["Frank Herbert"], status="reading", isbn13="9780441013593")
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    view = hc.view
    view.opener = refuses
    assert view.select_book(local.id) and view.open_button.isEnabled()
    view.open_button.click()
    shown = view.findChild(CouldNotOpen)
    assert shown is not None and shown.isVisible()
    assert shown.address.text() == "https://hardcover.app/books/dune"
    token_page = view.open_token_page()
    assert isinstance(token_page, CouldNotOpen) and token_page.address.text() == GET_TOKEN_URL
