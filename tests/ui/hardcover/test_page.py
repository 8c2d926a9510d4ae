"""The Hardcover page and Pick dialog against the fake Hardcover API on 127.0.0.1.

The fake runs on its own thread; the client runs on the app's qasync loop and talks to it
over real HTTP. The token lives in a file-backed keyring in the test's folder.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.api.client import ENDPOINT_ENV
from bookorbit_desktop.hardcover.api.credentials import (
    SERVICE,
    library_account,
    open_library_dir,
)
from bookorbit_desktop.hardcover.matching.store import get_match, pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.services.hardcover.service import HardcoverStatus
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.hardcover.pick_dialog import candidate_cells
from bookorbit_desktop.ui.icons import TrayState
from bookorbit_desktop.ui.status import tray_state
from tests.factories import add_book
from tests.fakes.file_keyring import CountingKeyring, FileKeyring
from tests.fakes.hardcover_catalog import AUDIO, EBOOK
from tests.ui.hardcover.conftest import (
    connect,
    current_texts,
    group_rows,
    heading_row,
    make_controller,
    open_pick,
    refresh,
    row_texts,
    settle,
    top_rows,
)
from tests.ui.shown import tooltip_text


def library_entry() -> str:
    """The keyring entry of the library the test has open."""
    return library_account(open_library_dir())


def test_refreshing_never_reads_the_keyring(hc, fake, qloop, keyring_backend):
    connect(hc, fake, qloop)
    keyring_backend.calls.clear()
    for _ in range(3):
        hc.refresh()
    hc.set_paused(True)
    hc.set_paused(False)
    assert "Connected as <b>@reader</b>" in hc.view.account_label.text()
    assert hc.hub.status.sync_available
    assert keyring_backend.calls == []


def test_the_keyring_is_read_off_the_ui_thread_and_a_slow_one_blocks_nothing(
    library, fake, keyring_file, qtbot, qloop
):
    FileKeyring(keyring_file).set_password(
        SERVICE, library_entry(), fake.token
    )  # an earlier session
    backend = CountingKeyring(keyring_file)
    hc = make_controller(library, fake, backend, qtbot)
    refresh(hc, qloop)
    view = hc.view
    assert "Looking for a saved Hardcover token" in view.account_label.text()
    assert not view.token_row.isVisibleTo(view) and not hc.hub.status.sync_available

    async def start_up():
        backend.hold_next()  # the keyring has not answered yet (an unlock prompt, say)
        task = hc.check_account()
        assert hc.check_account() is None  # one check at a time
        assert await asyncio.to_thread(backend.waiting.wait, 5)
        hc.refresh()  # the window keeps working meanwhile
        assert "Looking for" in view.account_label.text()
        backend.release()
        await task

    qloop.run_until_complete(start_up())
    assert "Connected" in view.account_label.text()
    assert hc.hub.status.sync_available
    assert backend.calls and threading.get_ident() not in backend.threads


def test_an_unreadable_keyring_is_explained_and_checked_again_on_refresh(
    library, fake, keyring_file, qtbot, qloop
):
    FileKeyring(keyring_file).set_password(SERVICE, library_entry(), fake.token)
    backend = CountingKeyring(keyring_file)
    backend.locked = True
    hc = make_controller(library, fake, backend, qtbot)
    refresh(hc, qloop)
    assert hc.check_again_if_unreadable() is None  # not checked yet: nothing to retry
    qloop.run_until_complete(hc.check_account())
    label = hc.view.account_label.text()
    assert "keyring is locked" in label and "F5" in label
    assert not hc.hub.status.sync_available
    backend.locked = False  # the user unlocked it
    qloop.run_until_complete(hc.check_again_if_unreadable())
    assert "Connected" in hc.view.account_label.text()
    assert hc.check_again_if_unreadable() is None  # read fine: F5 leaves the keyring alone


def test_not_connected_explains_how_to_connect(hc):
    view = hc.view
    assert "Get Token" in view.account_label.text()
    assert view.token_row.isVisibleTo(view)
    assert not view.sync_button.isVisibleTo(view)
    assert not hc.hub.status.sync_available
    assert not view.pick_button.isEnabled()


def test_connect_checks_the_token_and_keeps_it_only_in_the_keyring(hc, fake, qloop, keyring_file):
    connect(hc, fake, qloop)
    view = hc.view
    assert "Connected as <b>@reader</b>" in view.account_label.text()
    assert view.account_message.text() == ""  # said once, in the account box
    assert "connected" not in view.sync_label.text().lower()
    assert view.token_edit.text() == ""
    assert not view.token_row.isVisibleTo(view)
    assert hc.hub.status.sync_available
    assert fake.token in json.loads(keyring_file.read_text()).values()
    assert tray_state(hc.hub.status) == TrayState.OFFLINE  # no server in this test


def test_a_refused_token_is_explained_and_not_kept(hc, fake, qloop, keyring_file):
    fake.catalog.revoke_token(fake.token)
    connect(hc, fake, qloop)
    view = hc.view
    assert view.account_message.isVisibleTo(view)
    assert "token" in view.account_message.text().lower()
    assert not hc.hub.status.sync_available
    assert not keyring_file.exists() or fake.token not in keyring_file.read_text()


def test_an_empty_token_is_refused_before_asking_hardcover(hc, fake):
    hc.view.connect_button.click()
    assert hc.view.account_message.text() == "Paste the token from Hardcover first."
    assert fake.requests == []


def test_sync_now_matches_the_library_and_pushes_it(hc, fake, qloop, library):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604, users_count=40)
    local = add_book("Dune", ["Frank Herbert"], status="reading", isbn13="9780441013593")
    add_book("Unread Book", ["Nobody"], status="unread")
    connect(hc, fake, qloop)
    states = []
    hc.hub.changed.connect(lambda status: states.append(status.syncing))
    task = hc.sync_now()
    assert hc.sync_now() is None  # one run at a time
    qloop.run_until_complete(task)
    assert states[0] is True and hc.hub.status.syncing is False
    assert get_match(local.id).state == "linked"
    assert hc.view.account_message.text() == "1 book: 1 sent."
    entry = fake.catalog.user_book_for(fake.user_id, dune)
    assert entry is not None and entry["status_id"] == 2
    assert row_texts(hc.view, 0)[:4] == ["Dune", "Frank Herbert", "Reading", "Synced"]
    assert hc.view.model.rowCount() == 1  # unread books are not matched


def test_books_of_a_series_are_grouped_in_series_order(hc, fake, qloop):
    messiah = add_book(
        "Dune Messiah", ["Frank Herbert"], status="reading", series="Dune", series_index=2
    )
    messiah_id = messiah.id
    add_book("Piranesi", ["Susanna Clarke"], status="read")
    add_book("Dune", ["Frank Herbert"], status="read", series="Dune", series_index=1)
    connect(hc, fake, qloop)
    refresh(hc, qloop)
    assert sorted(top_rows(hc.view)) == ["Dune (2 books)", "Piranesi"]
    assert group_rows(hc.view, "Dune (2 books)") == ["#1 Dune", "#2 Dune Messiah"]
    heading = heading_row(hc.view, "Dune (2 books)")
    assert hc.view.model.is_open(heading)
    flags = hc.view.model.flags(hc.view.model.index(heading, 0))
    assert not flags & Qt.ItemFlag.ItemIsSelectable  # a heading, not a book
    assert hc.view.select_book(messiah_id)
    assert hc.view.selected_book_id() == messiah_id
    assert hc.view.sync_book_button.isEnabled() is False  # not linked yet
    assert hc.view.count_label.text() == "3 of 3 books"


def test_sync_while_disconnected_says_what_to_do(hc, qloop):
    qloop.run_until_complete(hc.sync_now())
    assert hc.view.account_message.isVisibleTo(hc.view)
    assert "connect" in hc.view.account_message.text().lower()
    assert not hc.hub.status.syncing


def test_pause_and_resume(hc, fake, qloop):
    add_book("Dune", ["Frank Herbert"], status="reading")  # something to sync
    connect(hc, fake, qloop)
    hc.set_paused(True)
    assert hc.hub.status.sync_paused
    assert tray_state(hc.hub.status) == TrayState.OFFLINE  # no server; paused shows with one
    assert not hc.view.sync_button.isEnabled()
    hc.set_paused(False)
    assert not hc.hub.status.sync_paused
    assert hc.view.sync_button.isEnabled()


def test_sync_now_is_on_while_nothing_waits_and_says_what_it_does(hc, fake, qloop):
    connect(hc, fake, qloop)
    refresh(hc, qloop)
    assert hc.view.sync_button.isEnabled()  # changes made on hardcover.app may wait
    assert (
        hc.view.sync_button.toolTip() == "Get your changes from Hardcover, then send the library's"
    )


def test_pick_searches_and_pins_book_and_edition(hc, fake, qloop, qtbot, library):
    right = fake.catalog.add_book("Piranesi", authors=["Susanna Clarke"], users_count=500)
    fake.catalog.add_edition(right, pages=272, users_count=300)
    ebook = fake.catalog.add_edition(right, pages=245, reading_format_id=EBOOK, users_count=20)
    audio_only = fake.catalog.add_book("Piranesi", authors=["Reader Narrator"], users_count=3)
    fake.catalog.add_edition(audio_only, reading_format_id=AUDIO, users_count=3)
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading")
    connect(hc, fake, qloop)
    refresh(hc, qloop)

    async def scenario():
        dialog, task = await open_pick(hc, local.id)
        assert hc.pick(local.id) is None  # one action per book at a time
        searched = signal_future(dialog.searched)
        dialog.query_edit.setText("")
        dialog.search_button.click()
        await searched
        assert "Piranesi" in dialog.query_edit.text()
        ids = [c["book_id"] for c in dialog.candidates]
        assert right in ids
        row = ids.index(right)
        loaded = signal_future(dialog.editions_loaded)
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(row))
        await loaded
        editions = [dialog.edition_combo.itemData(i) for i in range(dialog.edition_combo.count())]
        assert editions[0] is None and ebook in editions
        dialog.edition_combo.setCurrentIndex(editions.index(ebook))
        qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
        await task

    qloop.run_until_complete(scenario())
    record = get_match(local.id)
    assert (record.state, record.hc_book_id, record.hc_edition_id, record.pinned) == (
        "linked",
        right,
        ebook,
        True,
    )
    hc.view.select_book(local.id)
    texts = current_texts(hc.view)
    assert texts[3] == "Pending"  # linked, not sent yet
    assert "picked by you" in texts[4]


def test_pick_shows_each_candidates_cover_once_loaded(
    library, fake, keyring_backend, qtbot, qloop, tmp_path, monkeypatch
):
    monkeypatch.setenv(ENDPOINT_ENV, fake.url)  # covers on loopback: the configured address only
    covers = RemoteCovers(tmp_path / "covers")
    hc = make_controller(library, fake, keyring_backend, qtbot, remote_cover=covers.fetch)
    with_cover = fake.catalog.add_book(
        "Piranesi",
        authors=["Susanna Clarke"],
        users_count=500,
        cached_image={"url": fake.cover_url("piranesi.png"), "width": 20, "height": 30},
    )
    broken = fake.catalog.add_book(
        "Piranesi",
        authors=["Someone Else"],
        users_count=4,
        cached_image={"url": fake.cover_url("missing.png")},
    )
    no_cover = fake.catalog.add_book("Piranesi", authors=["A Third"], users_count=2)
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading")
    connect(hc, fake, qloop)

    async def scenario():
        dialog, task = await open_pick(hc, local.id)
        searched = signal_future(dialog.searched)
        dialog.search_button.click()
        await searched
        ids = [c["book_id"] for c in dialog.candidates]
        assert {with_cover, broken, no_cover} <= set(ids)
        placeholder = dialog.tree.topLevelItem(ids.index(no_cover)).icon(0).cacheKey()
        shown = signal_future(dialog.cover_shown)
        assert await shown == (with_cover,)
        for _ in range(20):  # let the missing cover's request finish too
            await asyncio.sleep(0.02)
        icons = {i: dialog.tree.topLevelItem(ids.index(i)).icon(0) for i in ids}
        assert icons[with_cover].cacheKey() != placeholder
        assert icons[broken].cacheKey() == placeholder  # a 404 keeps the placeholder
        assert icons[no_cover].cacheKey() == placeholder
        dialog.reject()
        await task

    qloop.run_until_complete(scenario())
    assert len(list((tmp_path / "covers").glob("*.jpg"))) == 1  # kept for next time


def test_search_errors_show_in_the_dialog(hc, fake, qloop):
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading")
    connect(hc, fake, qloop)
    fake.catalog.revoke_token(fake.token)

    async def scenario():
        dialog, task = await open_pick(hc, local.id)
        searched = signal_future(dialog.searched)
        dialog.start_search()
        await searched
        text = dialog.status_label.text()
        dialog.reject()
        await task
        return text

    text = qloop.run_until_complete(scenario())
    assert "token" in text.lower()
    assert get_match(local.id) is None


def test_rematch_exclude_and_include_keep_the_entry_and_removal_asks_naming_it(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604)
    local = add_book("Dune", ["Frank Herbert"], status="read", isbn13="9780441013593")
    update_reading_state(local.id, rating=4.5)
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    assert get_match(local.id).state == "linked"
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None  # Sync Now added it

    qloop.run_until_complete(hc.exclude(local.id, True))  # no question: nothing is removed
    assert get_match(local.id).state == "excluded"
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None
    hc.view.select_book(local.id)
    assert hc.view.exclude_button.text() == "Inclu&de"
    assert not hc.view.pick_button.isEnabled()
    qloop.run_until_complete(hc.exclude(local.id, False))
    assert get_match(local.id).state == "linked"
    hc.view.select_book(local.id)
    assert hc.view.remove_button.isEnabled()  # BookOrbit created this entry

    async def remove(confirm: bool) -> str:
        opened = signal_future(hc.question_opened)
        task = hc.remove_entry(local.id)
        (box,) = await opened
        text = box.text()
        if confirm:
            next(b for b in box.buttons() if "Remove" in b.text()).click()
        else:
            box.button(QMessageBox.StandardButton.Cancel).click()
        await task
        return text

    question = qloop.run_until_complete(remove(False))
    assert "status Read, rating 4.5★" in question
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None  # Cancel is the default
    qloop.run_until_complete(remove(True))
    assert fake.catalog.user_book_for(fake.user_id, dune) is None
    qloop.run_until_complete(hc.rematch(local.id))
    assert get_match(local.id).state == "unmatched"


def test_rematch_keeps_the_entry_it_had(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604)
    local = add_book("Dune", ["Frank Herbert"], status="read", isbn13="9780441013593")
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    qloop.run_until_complete(hc.rematch(local.id))
    assert get_match(local.id).state == "unmatched"
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None


def test_copies_of_one_hardcover_book_show_under_one_row_with_their_conflict(hc, fake, qloop):
    wind = fake.catalog.add_book("The Name of the Wind", authors=["Patrick Rothfuss"],
                                 users_count=900)  # fmt: skip
    fake.catalog.add_edition(wind, isbn_13="9780756404741", pages=662)
    german_edition = fake.catalog.add_edition(wind, isbn_13="9783608938159", pages=863,
                                              language="de")  # fmt: skip
    english = add_book("The Name of the Wind", ["Patrick Rothfuss"], status="read",
                       isbn13="9780756404741")  # fmt: skip
    german = add_book("Der Name des Windes", ["Patrick Rothfuss"], status="want_to_read",
                      isbn13="9783608938159", language="de")  # fmt: skip
    # The translation's title differs: matching asks, and the user picks the same book.
    pin(german.id, wind, edition_id=german_edition, edition_pages=863, reason="picked by you")
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    assert get_match(english.id).hc_book_id == get_match(german.id).hc_book_id == wind
    entry = fake.catalog.user_book_for(fake.user_id, wind)
    assert entry["status_id"] == 3  # the copy not started did not lower the finished read
    (group,) = top_rows(hc.view)
    assert group.endswith("(2 copies)")
    assert row_texts(hc.view, heading_row(hc.view, group))[4] == (
        "2 copies linked: Read and Want to Read"
    )
    assert sorted(group_rows(hc.view, group)) == [
        "Der Name des Windes",
        "The Name of the Wind",
    ]
    hc.view.select_book(german.id)
    assert hc.view.lead_button.isVisibleTo(hc.view) and hc.view.lead_button.isEnabled()
    messages = []
    hc.message.connect(messages.append)
    hc.view.lead_button.click()  # the user: this copy is the one being read now
    assert messages and "This copy now gives the Hardcover entry its status" in messages[0]
    from bookorbit_desktop.library.store.models import HardcoverMatch

    assert HardcoverMatch.get(HardcoverMatch.book == german.id).lead is True
    add_book("Alone", ["Nobody"], status="reading")
    refresh(hc, qloop)
    hc.view.select_book(english.id)
    assert hc.view.lead_button.isVisibleTo(hc.view)


def test_disconnect_asks_first(hc, fake, qloop, keyring_file):
    connect(hc, fake, qloop)

    async def scenario(answer_disconnect: bool):
        opened = signal_future(hc.question_opened)
        task = hc.disconnect_account()
        (box,) = await opened
        if answer_disconnect:
            next(b for b in box.buttons() if b.text() == "Disconnect").click()
        else:
            box.button(QMessageBox.StandardButton.Cancel).click()
        await task

    qloop.run_until_complete(scenario(False))
    assert hc.hub.status.sync_available
    qloop.run_until_complete(scenario(True))
    settle(hc, qloop)  # the account as read once disconnected
    assert not hc.hub.status.sync_available
    assert fake.token not in keyring_file.read_text()


def test_an_expired_token_pauses_sync_with_one_short_clear_message(hc, fake, qloop, library):
    local = add_book("Dune", ["Frank Herbert"], status="reading")
    connect(hc, fake, qloop)
    fake.catalog.expire_token(fake.token)
    qloop.run_until_complete(hc.sync_now())
    view = hc.view
    label = view.account_label.text()
    assert "paste a new token" in label.lower()
    assert view.token_row.isVisibleTo(view)
    # Said once, in the window's words: no command lines, no repeat below the label.
    assert "bookorbit-desktop" not in label
    assert not view.account_message.isVisibleTo(view)
    problem = hc.hub.status.sync_problem
    assert problem and len(problem) <= 40
    assert "bookorbit-desktop" not in view.sync_label.text()
    # The same after a restart, when the paused state is read back from the library.
    hc.hub.update(sync_problem=None)
    refresh(hc, qloop)
    assert hc.hub.status.sync_problem == problem
    QApplication.processEvents()  # size hints settle through posted layout requests
    assert view.minimumSizeHint().width() < 900  # no long text forcing the window wider
    # Actions while paused explain themselves in the window's words too.
    with pytest.raises(BookOrbitError) as refused:
        qloop.run_until_complete(hc.service.search(local.id, ""))
    assert "bookorbit-desktop" not in refused.value.message


def test_enter_in_the_search_box_searches_and_does_not_link(hc, fake, qloop, qtbot, library):
    right = fake.catalog.add_book("Piranesi", authors=["Susanna Clarke"], users_count=500)
    fake.catalog.add_edition(right, pages=272)
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading")
    connect(hc, fake, qloop)

    async def scenario():
        dialog, task = await open_pick(hc, local.id)
        searched = signal_future(dialog.searched)
        dialog.start_search()
        await searched
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        assert dialog.link_button.isEnabled()
        dialog.query_edit.setFocus()
        dialog.query_edit.setText("clarke")
        searched = signal_future(dialog.searched)
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
        still_open = dialog.isVisible()
        if still_open:
            await searched
            dialog.reject()
        await task
        return still_open

    assert qloop.run_until_complete(scenario())
    assert get_match(local.id) is None  # nothing linked by the Enter key


@pytest.mark.parametrize(
    ("differences", "shown"),
    [
        (["≠ author"], "≠ author"),
        (["≠ volume (2 vs 10)", "audiobook"], "≠ volume (2 vs 10), audiobook"),
        ([], ""),
    ],
)
def test_candidate_differences_are_shown_as_labelled(differences, shown):
    assert candidate_cells({"title": "X", "differences": differences})[-1] == shown


def test_a_long_title_in_the_progress_line_does_not_widen_the_window(hc):
    view = hc.view
    view.show_account(HardcoverStatus(True, "reader", True, None, "the system keyring"))
    assert view.sync_label.isVisibleTo(view)
    view.sync_label.setText("Matching 3 of 40: " + "A Very Long Subtitle, " * 30)
    QApplication.processEvents()  # size hints settle through posted layout requests
    assert view.minimumSizeHint().width() < 900


def test_hardcover_ahead_shows_and_send_this_position_anyway(hc, fake, qloop, library):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=600, users_count=40)
    local = add_book("Dune", ["Frank Herbert"], status="reading", isbn13="9780441013593")
    update_reading_state(local.id, progress=0.8)
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    update_reading_state(local.id, progress=0.3)  # a device that was offline for a while
    qloop.run_until_complete(hc.sync_now())
    entry = fake.catalog.user_book_for(fake.user_id, dune)
    (read,) = fake.catalog.reads_of(entry["id"])
    assert read["progress_pages"] == 480  # never rewound by itself
    hc.view.select_book(local.id)
    assert "Hardcover is ahead (p. 480); p. 180 not sent" in current_texts(hc.view)[4]
    button = hc.view.send_position_button
    assert not button.isHidden() and button.isEnabled()
    qloop.run_until_complete(hc.send_position(local.id))
    (read,) = fake.catalog.reads_of(entry["id"])
    assert read["progress_pages"] == 180
    hc.view.select_book(local.id)
    assert hc.view.send_position_button.isHidden()


def test_the_page_is_a_sync_dashboard_with_counts_log_and_links(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900, slug="dune")
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604, users_count=40)
    local = add_book("Dune", ["Frank Herbert"], status="reading", isbn13="9780441013593")
    add_book("Nowhere To Be Found", ["Zed Nobody"], status="read")
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    settle(hc, qloop)  # the counts read again after the sync
    view = hc.view
    labels = [view.filter_combo.itemText(i) for i in range(view.filter_combo.count())]
    assert labels == [
        "All books (2)",
        "Synced (1)",
        "Pending (0)",
        "Held (0)",
        "Needs review (0)",
        "Not matched (1)",
        "Failed (0)",
        "Excluded (0)",
        "Entry removed (0)",
        "Conflict (0)",
    ]
    view.filter_combo.setCurrentIndex(1)
    assert view.model.rowCount() == 1
    assert "604 pages" in row_texts(view, 0)[4]  # the linked edition
    view.tree.setCurrentIndex(view.model.index(0, 0))
    assert view.open_button.isEnabled()
    assert view._match_of(local.id)["url"] == "https://hardcover.app/books/dune"
    log = view.log_panel.tree
    assert view.log_panel.title() == "Sync log — Dune"
    assert log.topLevelItemCount() == 1 and log.topLevelItem(0).text(2) == "Sent"
    assert "Currently Reading" in log.topLevelItem(0).text(3)
    assert view.details_label.text() == "Last sync just now"
    # A change waits: the book is pending until Sync This Book sends it.
    update_reading_state(local.id, rating=4.5)
    refresh(hc, qloop)
    assert view.filter_combo.itemText(2) == "Pending (1)"
    view.filter_combo.setCurrentIndex(0)
    assert view.select_book(local.id) and view.sync_book_button.isEnabled()
    view.sync_book_button.click()
    qloop.run_until_complete(hc.sync_task)
    settle(hc, qloop)
    assert view.filter_combo.itemText(1) == "Synced (1)"
    assert fake.catalog.user_book_for(fake.user_id, dune)["rating"] == 4.5


def test_a_refresh_redraws_changed_rows_in_place_and_rebuilds_when_rows_move(hc, qloop):
    first = add_book("Aa First", status="reading")
    add_book("Bb Second", status="reading")
    refresh(hc, qloop)
    view = hc.view
    assert top_rows(view) == ["Aa First", "Bb Second"]  # the rows as painted
    redrawn, moved = [], []
    view.model.dataChanged.connect(lambda top, end, *_: redrawn.append((top.row(), end.row())))
    view.model.layoutChanged.connect(lambda *_: moved.append(True))
    update_reading_state(first.id, progress=0.42)
    refresh(hc, qloop)
    assert redrawn == [(0, 0)] and not moved  # only the changed row, in place
    assert row_texts(view, 0)[2] == "Reading · 42 %"
    assert view.count_label.text() == "2 of 2 books"
    add_book("Ab Between", status="reading")  # a new row between the two
    refresh(hc, qloop)
    assert moved
    assert top_rows(view) == ["Aa First", "Ab Between", "Bb Second"]
    assert view.count_label.text() == "3 of 3 books"


def test_the_pick_dialog_marks_the_current_link(qtbot):
    from bookorbit_desktop.ui.hardcover.pick_dialog import LINKED_MARK, PickDialog

    async def no_search(query):
        return query, []

    async def no_editions(book_id):
        return []

    candidates = [
        {"book_id": 1, "title": "Dune", "authors": ["Frank Herbert"]},
        {"book_id": 2, "title": "Dune Messiah", "authors": ["Frank Herbert"]},
    ]
    dialog = PickDialog("Dune", candidates, no_search, no_editions, current=2)
    qtbot.addWidget(dialog)
    first, second = (dialog.tree.topLevelItem(i) for i in range(2))
    assert first.text(0) == "Dune" and not first.font(0).bold()
    assert second.text(0) == f"Dune Messiah {LINKED_MARK}" and second.font(0).bold()


def test_a_read_made_before_the_users_own_action_is_read_again_not_shown(hc, fake, qloop):
    connect(hc, fake, qloop)
    add_book("Dune", ["Frank Herbert"], status="reading")
    service = hc.service
    page_later = service.page_later
    reads = []

    async def read_then_pause(**kwargs):
        page = await page_later(**kwargs)
        reads.append(page)
        if len(reads) == 1:  # the user pauses while this read is on its way
            hc.set_paused(True)
            assert hc.hub.status.sync_paused
        return page

    service.page_later = read_then_pause
    qloop.run_until_complete(hc.reload_soon(lambda: [], matches=True))
    assert len(reads) == 2  # the first read was older than the pause: made again
    assert hc.hub.status.sync_paused
    assert top_rows(hc.view) == ["Dune"]  # the page shows the second read


def test_the_reading_and_sync_columns_hold_their_texts_and_the_long_one_is_a_tooltip(hc, qloop):
    book = add_book("Middlemarch", status="abandoned")
    update_reading_state(book.id, progress=0.45, status="abandoned")
    refresh(hc, qloop)
    table = hc.view.tree
    metrics = table.fontMetrics()
    assert table.columnWidth(2) > metrics.horizontalAdvance("Abandoned · 100 %")
    assert table.columnWidth(3) > metrics.horizontalAdvance("Entry removed")
    cell = table.model().index(0, 2)
    assert tooltip_text(cell.data(Qt.ItemDataRole.ToolTipRole)) == "Abandoned · 45 %"
