"""Enter in the Welcome page's fields does what the step's button does: the user name and the
password create the KOReader account, the token connects Hardcover (the fake, on 127.0.0.1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.services import settings as settings_service
from bookorbit_desktop.services.library.watched_folders import add_watched_folder
from bookorbit_desktop.ui.first_run.page import FirstRunAccess, FirstRunPage
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


def welcome_page(qtbot, connect) -> FirstRunPage:
    page = FirstRunPage(
        FirstRunAccess(
            add_watched_folder,
            settings_service.load_settings,
            settings_service.save_settings,
            connect,
        )
    )
    qtbot.addWidget(page)
    page.resize(1366, 740)
    page.show()
    return page


async def never(_token: str) -> str:
    raise AssertionError("Hardcover is not asked here")


@pytest.mark.parametrize("field", ["username_edit", "password_edit"])
def test_enter_in_the_account_fields_creates_the_account(library, qtbot, small_screen, field):
    page = welcome_page(qtbot, never)
    page.username_edit.setText("reader")
    page.password_edit.setText("secret words")
    with qtbot.waitSignal(page.account_created):
        qtbot.keyClick(getattr(page, field), Qt.Key.Key_Return)
    assert settings_service.load_settings().username == "reader"
    assert "reader" in page.account_message.text()


def test_enter_in_the_token_field_connects_hardcover(
    library, qtbot, qloop, hardcover_reader, small_screen
):
    service, token = hardcover_reader
    page = welcome_page(qtbot, service.connect)
    page.token_edit.setText(token)
    with qtbot.waitSignal(page.hardcover_connected):
        qtbot.keyClick(page.token_edit, Qt.Key.Key_Return)
        assert page.task is not None
        qloop.run_until_complete(page.task)
    assert page.hardcover_message.text() == "Connected as reader."
