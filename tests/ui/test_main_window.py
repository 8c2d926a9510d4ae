"""The assembled desktop (the composition root's own wiring) on a real library and server."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.library.reading import edits
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.view import EMPTY_LIBRARY
from bookorbit_desktop.ui.single_instance import SingleInstance
from tests.factories import add_book, make_epub


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def http_get(port: int, path: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    return data.decode("latin-1")


def show_all(desktop: Desktop, *, start_hidden: bool) -> None:
    """Show the app and load what it loads after the first screenful, as the next turn of the
    event loop does in the running app."""
    desktop.show(start_hidden=start_hidden)
    fill(desktop)


def fill(desktop: Desktop) -> None:
    """Run the fill `show` leaves for the loop's next turn (the library read off the loop)."""
    task = desktop.fill()
    if task is not None:
        asyncio.get_event_loop().run_until_complete(task)


@pytest.fixture
def desktop(library, qtbot, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)  # any free port
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_empty_library_says_what_to_do(desktop):
    show_all(desktop, start_hidden=False)
    view = desktop.window.library_view
    assert view.empty_label.text() == EMPTY_LIBRARY
    assert view._stack.currentWidget() is view.empty_label
    assert desktop.window.isVisible()


def test_books_appear_after_a_refresh_and_selection_fills_the_panel(desktop, qtbot):
    show_all(desktop, start_hidden=False)
    dune = add_book("Dune", ["Frank Herbert"])
    add_book("Piranesi", ["Susanna Clarke"])
    desktop.controller.refresh()
    view = desktop.window.library_view
    assert view.count_label.text() == "2 books"
    assert view._stack.currentWidget() is view.table
    assert view.select_book(dune.id)
    assert desktop.window.book_panel.title_label.text() == "Dune"
    qtbot.keyClicks(view.filter_edit, "clarke")
    assert view.count_label.text() == "1 of 2 books"
    assert desktop.window.book_panel.book_id is None  # the selected book was filtered out


def test_server_starts_and_the_status_bar_shows_its_address(desktop, qloop):
    show_all(desktop, start_hidden=False)
    info = qloop.run_until_complete(desktop.server.start())
    desktop.controller.apply_server_info(info)
    assert info.running and info.port > 0
    url = f"http://127.0.0.1:{info.port}/kosync"
    assert desktop.hub.status.kosync_urls == (url,)
    assert desktop.window.server_label.text() == f"KOReader sync server: {url}"
    answer = qloop.run_until_complete(http_get(info.port, "/kosync/healthcheck"))
    assert answer.startswith("HTTP/1.1 200")
    desktop.window.copy_server_address()
    assert QApplication.clipboard().text() == url


def start_on_a_taken_port(desktop, qloop):
    """Start the server on a port another program holds (and lets go of afterwards)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        set_setting("server.port", port)
        info = qloop.run_until_complete(desktop.server.start())
    assert not info.running
    return port, info


def test_a_port_in_use_is_explained_and_the_app_keeps_running(desktop, qloop):
    show_all(desktop, start_hidden=False)
    port, info = start_on_a_taken_port(desktop, qloop)
    desktop.controller.apply_server_info(info)
    box = desktop.controller.report_server_problem(info)
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "Port already in use"
    assert f"Port {port} is already in use" in box.text()
    assert "Open Settings…" in [button.text() for button in box.buttons()]
    assert f"Port {port} is already in use" in box.text() and "Settings" in box.text()
    assert desktop.window.server_label.text() == "Server stopped: Port already in use"
    assert desktop.hub.status.server_problem is not None
    box.close()


def test_settings_change_restarts_the_server_on_the_new_port(desktop, qloop, qtbot):
    show_all(desktop, start_hidden=False)
    qloop.run_until_complete(desktop.server.start())
    new_port = free_port()

    async def scenario():
        opened = signal_future(desktop.controller.settings_opened)
        task = desktop.controller.open_settings()
        (dialog,) = await opened
        assert dialog is desktop.controller.settings_dialog
        assert desktop.controller.open_settings() is None  # a second request focuses it
        dialog.port_spin.setValue(new_port)
        dialog.accept()
        await task
        return await http_get(new_port, "/kosync/healthcheck")

    answer = qloop.run_until_complete(scenario())
    assert answer.startswith("HTTP/1.1 200")
    assert desktop.server.info.port == new_port
    assert desktop.hub.status.kosync_urls == (f"http://127.0.0.1:{new_port}/kosync",)


def test_dropping_files_imports_them(desktop, qloop, tmp_path):
    show_all(desktop, start_hidden=False)
    first = make_epub(tmp_path / "a.epub", "Alpha", ["Ann"])
    second = make_epub(tmp_path / "b.epub", "Beta", ["Bob"])
    view = desktop.window.library_view
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])

    async def scenario():
        imported = signal_future(desktop.controller.importer.finished)
        event = QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        view.dropEvent(event)
        (report,) = await imported
        return report

    report = qloop.run_until_complete(scenario())
    assert report.imported == 2
    assert view.model.total_count == 2
    assert desktop.window.book_panel.title_label.text() in ("Alpha", "Beta")
    desktop.controller.importer.summary_box.close()


def test_closing_the_window_hides_it_and_explains_once(desktop, qtbot):
    show_all(desktop, start_hidden=False)
    with qtbot.waitSignal(desktop.window.hidden_to_tray):
        desktop.window.close()
    assert not desktop.window.isVisible()
    assert not desktop._quit.is_set()  # the server keeps running
    notices = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("keeps running" in box.text() for box in notices if box.isVisible())
    for box in notices:
        box.close()
    desktop.instance.activated.emit()  # a second launch asks for the window
    assert desktop.window.isVisible()
    with qtbot.assertNotEmitted(desktop.window.hidden_to_tray):
        desktop.window.close()


def test_pushes_refresh_the_books_they_changed_once_per_burst(desktop, qtbot):
    dune = add_book("Dune", ["Frank Herbert"])
    other = add_book("Piranesi", ["Susanna Clarke"])
    show_all(desktop, start_hidden=False)
    model = desktop.window.library_view.model
    desktop.window.library_view.select_book(dune.id)
    edits.update_reading_state(dune.id, status="reading", progress=0.5)
    edits.update_reading_state(other.id, status="read", finished="2024-05-01")  # not reported
    repainted, resets = [], []
    model.dataChanged.connect(lambda first, _last: repainted.append(model.book_at(first.row())))
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.dataChanged, timeout=3000):
        desktop._reading_changed(dune.id)
        desktop._reading_changed(dune.id)
    rows = {model.book_at(r).id: model.book_at(r) for r in range(model.rowCount())}
    assert (rows[dune.id].status, rows[dune.id].progress) == ("reading", 0.5)
    assert rows[other.id].status == "unread"
    assert [book.id for book in repainted] == [dune.id]  # one repaint of its row, once
    assert resets == []  # the table is not rebuilt: scroll position and selection stay
    assert desktop.window.book_panel.progress_spin.value() == 50.0


def test_opening_the_unlinked_page_shows_new_documents(desktop):
    show_all(desktop, start_hidden=False)
    assert desktop.controller.unlinked.count == 0
    progress.record_push(
        progress.Push("ab" * 16, "/body/p[1]", 0.1, "Kobo"), timestamp=1_763_750_000
    )
    tabs = desktop.window.tabs
    tabs.setCurrentIndex(1)
    assert desktop.controller.unlinked.count == 1
    assert tabs.tabText(1) == "&Unlinked Documents (1)"


def test_quit_from_the_menu_ends_the_run(desktop, qloop):
    quit_action = next(
        action
        for action in desktop.window.menuBar().actions()[0].menu().actions()
        if action.text() == "&Quit"
    )
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    quit_action.trigger()
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert desktop._quit.is_set()


def test_quitting_with_unsaved_edits_asks_first(desktop, qloop):
    dune = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    panel = desktop.window.book_panel
    desktop.window.library_view.select_book(dune.id)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.0))

    async def quit_and_answer(button):
        opened = signal_future(panel.question_opened)
        task = desktop.controller.quit()
        (box,) = await asyncio.wait_for(opened, 5)
        box.button(button).click()
        await task

    qloop.run_until_complete(quit_and_answer(QMessageBox.StandardButton.Cancel))
    assert not desktop._quit.is_set()
    assert panel.rating_combo.currentData() == 4.0  # still there
    qloop.run_until_complete(quit_and_answer(QMessageBox.StandardButton.Save))
    assert desktop._quit.is_set()
    assert queries.get_book(dune.id)["reading"]["rating"] == 4.0


def test_starting_hidden_without_a_tray_still_shows_the_window(desktop):
    assert desktop.tray is None  # the offscreen platform has no system tray
    show_all(desktop, start_hidden=True)
    assert desktop.window.isVisible()


@pytest.fixture
def desktop_with_tray(library, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    desktop = Desktop(
        library, SingleInstance(library.data_dir), started=time.monotonic(), use_tray=True
    )
    desktop.build()
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_tray_menu_drives_the_app(desktop_with_tray, qloop, qtbot):
    desktop = desktop_with_tray
    tray = desktop.tray
    show_all(desktop, start_hidden=True)
    assert not desktop.window.isVisible()  # hidden in the tray
    info = qloop.run_until_complete(desktop.server.start())
    desktop.controller.apply_server_info(info)
    tray.rebuild_menu()
    tray.action("open").trigger()
    assert desktop.window.isVisible()
    tray.action("copy-kosync-0").trigger()
    assert desktop.window.statusBar().currentMessage() == f"Copied {info.base_urls[0]}/kosync"
    assert not tray.action("sync").isEnabled()  # no Hardcover account yet

    async def settings_from_tray():
        opened = signal_future(desktop.controller.settings_opened)
        tray.action("settings").trigger()
        (dialog,) = await opened
        dialog.reject()

    qloop.run_until_complete(settings_from_tray())
    assert (
        tray.action("sync-state").text() == "Connect your Hardcover account first (Hardcover page)"
    )
    tray.action("quit").trigger()
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert desktop._quit.is_set()


def test_settings_are_reachable_from_the_window_menu(desktop, qloop):
    # Desktops without a tray (vanilla GNOME) have no other way into Settings.
    show_all(desktop, start_hidden=False)
    actions = [a for menu in desktop.window.menuBar().actions() for a in menu.menu().actions()]
    settings = next(a for a in actions if a.text() == "&Settings…")
    assert settings.shortcut().toString() == "Ctrl+,"

    async def scenario():
        opened = signal_future(desktop.controller.settings_opened)
        settings.trigger()
        (dialog,) = await opened
        dialog.reject()

    qloop.run_until_complete(scenario())


def test_status_bar_messages_have_room_to_show(desktop, qtbot):
    show_all(desktop, start_hidden=False)
    qtbot.waitExposed(desktop.window)
    bar = desktop.window.statusBar()
    bar.showMessage("Settings saved.")
    # The message is drawn left of the first visible permanent widget.
    labels = (desktop.window.server_label, desktop.window.sync_label)
    left_edge = min(label.x() for label in labels if label.isVisible())
    assert left_edge > bar.fontMetrics().horizontalAdvance("Settings saved.")


def test_saving_settings_retries_a_server_that_could_not_start(desktop, qloop):
    show_all(desktop, start_hidden=False)
    _port, info = start_on_a_taken_port(desktop, qloop)
    desktop.controller.apply_server_info(info)
    # The other program has gone; Save with the same port should start the server now.

    async def scenario():
        opened = signal_future(desktop.controller.settings_opened)
        task = desktop.controller.open_settings()
        (dialog,) = await opened
        dialog.accept()
        await task

    qloop.run_until_complete(scenario())
    assert desktop.server.info.running
    assert desktop.hub.status.server_problem is None


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ({"sync_paused": True, "pending": 1}, "Hardcover sync is paused"),
        ({"sync_available": False}, "Connect your Hardcover account first (Hardcover page)"),
    ],
)
def test_ctrl_r_says_why_no_sync_starts(desktop, qtbot, status, said):
    window = desktop.window
    show_all(desktop, start_hidden=False)
    desktop.hub.update(**{"sync_available": True, **status})
    started = []
    window.sync_requested.connect(lambda: started.append(True))
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert started == []
    assert window.statusBar().currentMessage() == said


@pytest.mark.parametrize("pending", [1, 0])  # with nothing to send, it still gets hardcover.app's
def test_ctrl_r_starts_a_sync_with_an_account(desktop, pending):
    desktop.hub.update(sync_available=True, sync_paused=False, pending=pending)
    started = []
    desktop.window.sync_requested.connect(lambda: started.append(True))
    desktop.window.sync_action.trigger()
    assert started == [True]
    assert desktop.window.sync_action.toolTip() == (
        "Get your changes from Hardcover, then send the library's"
    )


def test_a_push_or_a_refresh_keeps_what_the_user_is_typing(desktop, qtbot):
    dune = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    panel = desktop.window.book_panel
    desktop.window.library_view.select_book(dune.id)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.5))
    panel.started_edit.setText("2024-05-01")
    edits.update_reading_state(dune.id, status="reading", started="2024-05-03", progress=0.5)
    with qtbot.waitSignal(desktop.window.library_view.model.dataChanged, timeout=3000):
        desktop._reading_changed(dune.id)  # a KOReader push, refreshed once the burst is over
    assert panel.progress_spin.value() == 50.0
    assert panel.status_combo.currentData() == "reading"
    assert (panel.rating_combo.currentData(), panel.started_edit.text()) == (4.5, "2024-05-01")
    desktop.controller.refresh_books()  # what a Hardcover action or F5 does
    assert panel.edited() == {"rating": 4.5, "started": "2024-05-01"}
    assert "Started is now" in panel.reading_notice.text()


def test_selecting_another_book_with_unsaved_edits_asks_first(desktop, qloop):
    dune = add_book("Dune", ["Frank Herbert"])
    piranesi = add_book("Piranesi", ["Susanna Clarke"])
    show_all(desktop, start_hidden=False)
    view, panel = desktop.window.library_view, desktop.window.book_panel
    view.select_book(dune.id)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(4.0))

    async def select_and_answer(book_id, button, *, click=False):
        opened = signal_future(panel.question_opened)
        if click:  # a real click on the row, not only a selection change
            rect = view.table.visualRect(view.model.index(view.model.row_of(book_id), 0))
            QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        else:
            view.select_book(book_id)
        (box,) = await asyncio.wait_for(opened, 5)
        # While asking, the table shows the book the question is about.
        assert view.selected_book_id == panel.book_id != book_id
        assert box.isVisible() and box.windowModality() == Qt.WindowModality.WindowModal
        box.button(button).click()
        await desktop.window._switching

    cancel = QMessageBox.StandardButton.Cancel
    qloop.run_until_complete(select_and_answer(piranesi.id, cancel, click=True))
    assert view.selected_book_id == panel.book_id == dune.id
    highlighted = [index.row() for index in view.table.selectionModel().selectedRows()]
    assert highlighted == [view.model.row_of(dune.id)]
    assert panel.rating_combo.currentData() == 4.0  # still there, still unsaved

    qloop.run_until_complete(select_and_answer(piranesi.id, QMessageBox.StandardButton.Discard))
    assert view.selected_book_id == panel.book_id == piranesi.id
    assert queries.get_book(dune.id)["reading"]["rating"] is None

    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(2.5))
    qloop.run_until_complete(select_and_answer(dune.id, QMessageBox.StandardButton.Save))
    assert view.selected_book_id == panel.book_id == dune.id
    assert queries.get_book(piranesi.id)["reading"]["rating"] == 2.5
    assert panel.edited() == {}


def test_filtering_out_the_edited_book_keeps_it_open(desktop, qtbot):
    dune = add_book("Dune", ["Frank Herbert"])
    add_book("Piranesi", ["Susanna Clarke"])
    show_all(desktop, start_hidden=False)
    view, panel = desktop.window.library_view, desktop.window.book_panel
    view.select_book(dune.id)
    panel.rating_combo.setCurrentIndex(panel.rating_combo.findData(3.0))
    qtbot.keyClicks(view.filter_edit, "clarke")
    assert view.selected_book_id is None
    assert panel.book_id == dune.id and panel.edited() == {"rating": 3.0}


def test_the_window_shows_at_once_and_then_every_book(desktop, qtbot, caplog):
    titles = ["Echo", "Alpha", "Delta", "Bravo", "Foxtrot", "Charlie"]
    for title in titles:
        add_book(title, ["Ann Author"])
    caplog.set_level("INFO", logger="bookorbit_desktop.app")
    desktop.show(start_hidden=False)
    model = desktop.window.library_view.model
    assert desktop.window.isVisible()
    assert not model.loaded and model.rowCount() == 0  # read in a worker thread, next
    fill(desktop)
    assert [model.book_at(r).title for r in range(model.rowCount())] == sorted(titles)
    assert desktop.fill() is None  # once only: the timer that fires later changes nothing
    assert model.total_count == 6
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("Window shown after") for m in messages)
    assert any(m.startswith("Library table filled with 6 books after") for m in messages)


def test_file_choosers_open_in_the_home_folder(desktop, tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("HOME", str(tmp_path))
    for chooser in (desktop.window.choose_files(), desktop.window.choose_folder()):
        assert Path(chooser.directory().absolutePath()) == tmp_path
        chooser.reject()


def test_help_and_the_status_line_say_why_there_is_no_address_yet(desktop):
    window = desktop.window
    desktop.hub.update(
        server_running=True,
        server_starting=False,
        base_urls=("http://127.0.0.1:8765",),
        server_notice="This computer only until a KOReader account exists.",
    )
    QApplication.clipboard().setText("before")
    window.copy_server_address()
    assert QApplication.clipboard().text() == "before"  # no loopback address to type
    assert window.statusBar().currentMessage().startswith("No address to copy yet")
    box = window.show_koreader_help()
    assert "127.0.0.1" not in box.text() and "not on your network yet" in box.text()
    box.close()
    desktop.hub.update(server_notice=None, base_urls=("http://192.168.1.20:8765",))
    box = window.show_koreader_help()
    assert "http://192.168.1.20:8765/opds" in box.text()
    box.close()
