"""The first run in the real app: an empty library and no account open the guided set-up.

Real parts: the app's own pieces (`Desktop.build`), the LAN server on 127.0.0.1, the folder
watcher importing a real folder, a KOReader login over HTTP, and the fake Hardcover.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import time
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services import settings as settings_service
from bookorbit_desktop.services.library.watched_folders import add_watched_folder, watched_folders
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.first_run.page import WAITING, FirstRunAccess, FirstRunPage
from bookorbit_desktop.ui.settings.reachability_box import OK_COLOUR
from bookorbit_desktop.ui.single_instance import SingleInstance
from tests.factories import add_book, make_epub


@pytest.fixture
def desktop(library, qtbot, qloop):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", free_port())  # a real port: the set-up saves the settings
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_app(desktop, qloop):
    desktop.show(start_hidden=False)
    qloop.run_until_complete(desktop.fill())
    desktop.controller.apply_server_info(qloop.run_until_complete(desktop.server.start()))


def welcome(desktop) -> FirstRunPage | None:
    page = desktop.window.tabs.currentWidget()
    return page if isinstance(page, FirstRunPage) else None


async def koreader_login(port: int, user: str, password: str) -> str:
    key = hashlib.md5(password.encode()).hexdigest()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /kosync/users/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-user: {user}\r\n"
        f"x-auth-key: {key}\r\nAccept: application/vnd.koreader.v1+json\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer.decode("latin-1")


def test_a_whole_first_run(desktop, qloop, qtbot, tmp_path):
    open_app(desktop, qloop)
    page = welcome(desktop)
    assert page is not None and desktop.window.tabs.tabText(desktop.window.tabs.currentIndex())

    # 1. The books folder: imported off the GUI thread, then watched. Before a folder is
    # chosen, a watcher pass over nothing claims nothing.
    page.books_imported(0)
    assert page.folder_label.text() == ""
    books = tmp_path / "Books"
    make_epub(books / "dune.epub", "Dune", ["Frank Herbert"])
    steps = []
    desktop.controller.importer.progressed.connect(
        lambda done, total: steps.append((done, total, page.cancel_import_button.isVisibleTo(page)))
    )
    with qtbot.waitSignal(desktop.folder_watcher.refreshed, timeout=30_000):
        page.add_folder(str(books))
        qloop.run_until_complete(desktop.controller.first_run.task)
    assert steps == [(1, 1, True)]  # the count, with Cancel beside it, while importing
    assert not page.cancel_import_button.isVisibleTo(page)
    assert QApplication.activeModalWidget() is None  # the import ends on the page
    assert watched_folders() == [str(books.resolve())]
    assert page.folder_label.text() == "1 book in your library."
    assert desktop.window.library_view.model.total_count == 1
    assert str(books.resolve()) in desktop.folder_watcher.watched()

    # 2. The account, the exact addresses, and the line that turns green at the first login.
    port = desktop.server.info.port
    assert page.sync_url.text() == f"http://127.0.0.1:{port}/kosync"
    assert page.opds_url.text() == f"http://127.0.0.1:{port}/opds"
    page.username_edit.setText("reader")
    page.password_edit.setText("secret words")
    page.account_button.click()
    assert settings_service.load_settings().username == "reader"
    assert page.device_label.text() == WAITING and page.password_edit.text() == ""

    async def log_in():
        logged_in = asyncio.get_running_loop().create_future()
        desktop.controller.device_logged_in.connect(
            lambda *args: logged_in.done() or logged_in.set_result(args)
        )
        answer = await koreader_login(port, "reader", "secret words")
        return answer, await asyncio.wait_for(logged_in, 10)

    answer, (what, address) = qloop.run_until_complete(log_in())
    assert answer.startswith("HTTP/1.1 200") and (what, address) == ("KOReader", "127.0.0.1")
    assert page.device_label.text() == "Your e-reader (127.0.0.1) logged in: KOReader works."
    assert OK_COLOUR in page.device_label.styleSheet()

    # 3. Hardcover is optional: leaving goes to the library, which now has the book.
    page.done_button.click()
    assert welcome(desktop) is None
    assert desktop.window.tabs.currentIndex() == 0
    assert all(
        not isinstance(desktop.window.tabs.widget(i), FirstRunPage)
        for i in range(desktop.window.tabs.count())
    )


def test_a_wrong_login_does_not_turn_the_line_green(desktop, qloop):
    open_app(desktop, qloop)
    page = welcome(desktop)
    page.username_edit.setText("reader")
    page.password_edit.setText("secret words")
    page.account_button.click()
    answer = qloop.run_until_complete(koreader_login(desktop.server.info.port, "reader", "wrong"))
    assert answer.startswith("HTTP/1.1 401")
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert page.device_label.text() == WAITING


def test_a_bad_account_or_folder_is_explained(desktop, qloop, tmp_path):
    open_app(desktop, qloop)
    page = welcome(desktop)
    page.username_edit.setText("reader")
    page.account_button.click()
    assert "Choose a password" in page.account_message.text()
    assert settings_service.load_settings().username is None
    page.add_folder(str(tmp_path / "nowhere"))
    assert "is not a folder" in page.folder_label.text()
    assert watched_folders() == []


@pytest.mark.parametrize("setup", ["book", "account"])
def test_no_first_run_with_books_or_an_account(desktop, qloop, setup):
    if setup == "book":
        add_book("Dune", ["Frank Herbert"])
    else:
        settings = settings_service.load_settings()
        settings_service.save_settings(replace(settings, username="reader"), "secret")
    open_app(desktop, qloop)
    assert welcome(desktop) is None


def test_the_hardcover_step_connects_or_explains(library, qtbot, qloop, hardcover_reader):
    service, token = hardcover_reader
    page = FirstRunPage(
        FirstRunAccess(
            add_watched_folder,
            settings_service.load_settings,
            settings_service.save_settings,
            service.connect,
        )
    )
    qtbot.addWidget(page)
    page.token_edit.setText("wrong token")
    page.connect_hardcover()
    qloop.run_until_complete(page.task)
    assert page.hardcover_button.isEnabled() and page.token_edit.text() == ""
    assert page.hardcover_message.text() and "Connected" not in page.hardcover_message.text()
    page.token_edit.setText(f"Bearer {token}")
    with qtbot.waitSignal(page.hardcover_connected):
        page.connect_hardcover()
        qloop.run_until_complete(page.task)
    assert page.hardcover_message.text() == "Connected as reader."
    assert service.status().username == "reader"


def test_the_welcome_import_can_be_cancelled_and_forgets_the_folder(desktop, qloop, tmp_path):
    open_app(desktop, qloop)
    page = welcome(desktop)
    books = tmp_path / "Books"
    total = 450  # more than one batch: files are reported once their batch is committed
    for number in range(total):
        make_epub(books / f"book{number}.epub", f"Book {number}", ["A. Writer"])
    cancelled = []

    def cancel_at_first_report(done: int, _total: int) -> None:
        if not cancelled:
            cancelled.append(done)
            page.cancel_import_button.click()

    desktop.controller.importer.progressed.connect(cancel_at_first_report)
    page.add_folder(str(books))
    qloop.run_until_complete(desktop.controller.first_run.task)
    count = desktop.window.library_view.model.total_count
    assert cancelled and 1 <= count < total
    assert page.folder_label.text().startswith(f"Import cancelled: {count} book")
    assert "not watched" in page.folder_label.text()
    assert watched_folders() == []
    assert not page.cancel_import_button.isVisibleTo(page)
    assert page.folder_button.isEnabled()


def test_the_status_line_points_to_the_welcome_page_while_it_is_open(desktop, qloop):
    open_app(desktop, qloop)
    page = welcome(desktop)
    assert desktop.hub.status.welcome_open
    # As the server says while it waits on loopback for the account (0.0.0.0 without one).
    desktop.hub.update(server_notice="This computer only until a KOReader account exists.")
    assert "Welcome page" in desktop.window.server_label.text()
    page.done_button.click()
    assert not desktop.hub.status.welcome_open
    assert "Settings" in desktop.window.server_label.text()


def test_an_account_made_in_settings_shows_and_replacing_it_asks(desktop, qloop, qtbot):
    open_app(desktop, qloop)
    page = welcome(desktop)
    assert page.account_button.text() == "Create &Account"

    async def save_in_settings():
        opened = signal_future(desktop.controller.settings_opened)
        task = desktop.controller.open_settings()
        (dialog,) = await opened
        dialog.username_edit.setText("reader")
        dialog.password_edit.setText("secret words")
        dialog.accept()
        await task

    qloop.run_until_complete(save_in_settings())
    assert page.account_button.text() == "Replace &Account…"
    assert page.account_message.text() == "KOReader logs in as “reader”."
    page.device_logged_in("KOReader", "192.168.1.50")

    async def replace_and_answer(agree: bool) -> str:
        opened = signal_future(page.question_opened)
        page.username_edit.setText("other")
        page.password_edit.setText("new words")
        page.account_button.click()
        (box,) = await asyncio.wait_for(opened, 5)
        text = box.text()
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        if agree:
            next(b for b in box.buttons() if b.text() == "&Replace").click()
        else:
            box.button(QMessageBox.StandardButton.Cancel).click()
        await page.task
        return text

    text = qloop.run_until_complete(replace_and_answer(agree=False))
    assert "“reader”" in text and "192.168.1.50" in text
    assert settings_service.load_settings().username == "reader"  # nothing replaced
    qloop.run_until_complete(replace_and_answer(agree=True))
    assert settings_service.load_settings().username == "other"
    assert page.account_message.text() == "KOReader logs in as “other” with this password."


def test_hardcover_connected_elsewhere_shows_on_the_page(desktop, qloop):
    open_app(desktop, qloop)
    page = welcome(desktop)
    assert page.hardcover_message.text() == ""
    desktop.hub.update(sync_available=True)
    assert page.hardcover_message.text() == "Hardcover is connected."
