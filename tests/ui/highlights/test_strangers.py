"""What the window gives against a stranger's posts: a highlight's earlier texts and restoring
one, a pairing secret in one click, and the cap on exports for unknown books (real library,
real server on 127.0.0.1, real widgets offscreen)."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import socket

from PySide6.QtWidgets import QApplication

from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.ui.highlights.book_box import BookHighlights, panel_with_highlights
from bookorbit_desktop.ui.highlights.page import HighlightsPage
from bookorbit_desktop.ui.highlights.receiver_box import ReceiverAccess, ReceiverBox
from tests.factories import add_book

T = 1_700_000_000


def _record(target, note, origin, now):
    entry = Entry(T, "Fear is the mind-killer.", note)
    store.record(target, [entry], source="xmnote", origin=origin, now=now)


def test_a_replaced_note_is_shown_and_restored_from_the_book_view(qtbot, library):
    dune = add_book("Dune", ["Frank Herbert"])
    _record(store.Target(dune.id), "my own thought", "192.168.1.23", 1_764_000_000.0)
    _record(store.Target(dune.id), "defaced", "192.168.1.99", 1_764_000_100.0)
    panel = panel_with_highlights(LibraryService(library).book_details, lambda *_: None)
    qtbot.addWidget(panel)
    box = panel.findChild(BookHighlights)
    assert box is not None
    panel.show_book(dune.id)
    assert "Note: defaced" in box.browser.toPlainText()
    assert "1 earlier text kept" in box.browser.toPlainText()
    assert box.earlier_button.isVisibleTo(panel)

    dialog = box.show_earlier()
    assert dialog is not None
    qtbot.addWidget(dialog)
    current = dialog.tree.topLevelItem(0)
    assert current.text(0) == "Fear is the mind-killer.\nNote: defaced"
    earlier = current.child(0)
    assert earlier.text(0) == "Fear is the mind-killer.\nNote: my own thought"
    assert earlier.text(1).endswith("from 192.168.1.23")
    assert earlier.text(2).endswith("by 192.168.1.99")
    assert not dialog.restore_button.isEnabled()
    dialog.tree.setCurrentItem(earlier)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert "Note: my own thought" in box.browser.toPlainText()
    assert dialog.tree.topLevelItem(0).text(0).endswith("Note: my own thought")
    assert dialog.tree.topLevelItem(0).child(0).text(2).endswith("by this computer")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(port: int, path: str) -> int:
    body = {"title": "Dune", "author": "", "entries": [{"text": "t", "note": "", "time": T}]}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Content-Type": "application/json", "Host": f"127.0.0.1:{port}"}
        connection.request("POST", path, json.dumps(body).encode(), headers)
        return connection.getresponse().status
    finally:
        connection.close()


@contextlib.contextmanager
def _receiver_box(qtbot, qloop, library, *, receiving: bool):
    """A real server on 127.0.0.1 (the receiver on or off) and the Highlights page's box."""
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    set_setting("highlights.receiver", receiving)
    set_setting("highlights.port", _free_port())
    server = DesktopServer(library, addresses=lambda host: ["192.168.1.20"])
    qloop.run_until_complete(server.start())
    try:
        box = ReceiverBox(ReceiverAccess(server.restart, lambda: server.info))
        qtbot.addWidget(box)
        yield server, box
    finally:
        qloop.run_until_complete(server.stop())


def test_require_a_secret_in_one_click(qtbot, qloop, library):
    with _receiver_box(qtbot, qloop, library, receiving=True) as (server, box):
        assert box.secret_hint.text().startswith("No pairing secret: any device")
        assert not box.secret_field.isVisibleTo(box)
        box.require_button.click()
        qloop.run_until_complete(box.task)
        secret = get_setting("highlights.secret")
        assert len(secret) == 24 and secret.isalnum()
        assert box.secret_field.isVisibleTo(box) and box.secret_field.text() == secret
        assert f"/send?k={secret}, and tick" in box.status.text()
        box.copy_secret_button.click()
        assert QApplication.clipboard().text() == secret
        port = server.info.highlights_port
        assert port is not None
        refused = qloop.run_until_complete(asyncio.to_thread(_post, port, "/send"))
        assert refused == 403  # the server requires it now
        path = f"/send?k={secret}:8080/send"  # as KOReader sends what the user typed
        assert qloop.run_until_complete(asyncio.to_thread(_post, port, path)) == 200


def test_the_secret_hint_points_at_an_address_only_while_one_is_shown(qtbot, qloop, library):
    with _receiver_box(qtbot, qloop, library, receiving=False) as (_server, box):
        box.require_button.click()
        qloop.run_until_complete(box.task)
        secret = get_setting("highlights.secret")
        assert box.status.text().startswith("Off:") and "/send?k=" not in box.status.text()
        assert "address above" not in box.secret_hint.text()
        assert "appears above once the receiver runs" in box.secret_hint.text()

        box.on_check.setChecked(True)
        box.apply_button.click()
        qloop.run_until_complete(box.task)
        assert f"/send?k={secret}" in box.status.text()
        assert "type the address above" in box.secret_hint.text()


def test_the_page_shows_the_cap_on_exports_for_unknown_books(qtbot, qloop, library):
    _record(store.Target(None, "Not In The Library", "Someone"), "", "192.168.1.99", 1.0)
    page = HighlightsPage(LibraryService(library).list_books)
    qtbot.addWidget(page)
    page.show()
    assert page.waiting.cap_label.isVisible()
    assert page.waiting.cap_label.text() == (
        "Exports for books not in the library keep at most 10,000 highlights and 6.0 MiB of "
        "text; past that, new ones are refused. Kept now: 1 highlight, 0.0 MiB."
    )
