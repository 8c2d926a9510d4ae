"""A source the user has not set up (Hardcover without a token) in the metadata dialogs: said
once, in one short line, never a failed answer, never offered to Retry, and the review keeps
its room. A token Hardcover refused is still a failure (tests/services/test_metadata_answers)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.ui.metadata import screen_fit
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog
from tests.fakes.file_keyring import FileKeyring
from tests.ui.metadata.conftest import NO_PACING, emitted, wait

LINE = "Hardcover: not connected (Settings ▸ Hardcover)"
LAPTOP = QRect(0, 0, 1366, 768 - 40)


@pytest.fixture
def unconnected(library, sources, tmp_path, monkeypatch) -> MetadataService:
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget: LAPTOP)
    account = HardcoverAccount(TokenStore(FileKeyring(tmp_path / "keyring.json")), supplied=None)
    return MetadataService(library, account=account, intervals=NO_PACING)


def test_the_batch_dialog_says_it_once_and_fails_no_book(unconnected, fox, qtbot, qloop):
    dialog = BatchDialog(unconnected, [fox.id])
    qtbot.addWidget(dialog)
    dialog.show()
    done = emitted(qloop, dialog.finished_fetch)
    dialog.start()
    wait(qloop, done)
    status = dialog.status
    assert status.unconnected_label.isVisible() and status.unconnected_label.text() == LINE
    assert "Hardcover" not in dialog.items[fox.id].text()  # not on each book's line
    assert dialog.failures == {} and dialog.failed_list.count() == 0
    assert not dialog.retry_button.isEnabled()
    assert "0 with failed answers" in dialog.progress_label.text()
    assert dialog.review == [fox.id]
    wait(qloop, dialog.go_to(0))
    labels = dialog.pane.status_labels
    assert labels["hardcover"].text() == LINE  # one short line above the review's table
    # one line like the others (the keyring's five-line advice took the table's room)
    assert labels["hardcover"].height() == labels["openlibrary"].height()


def test_the_fetch_dialog_says_it_in_one_line(unconnected, fox, qtbot, qloop):
    dialog = FetchDialog(unconnected, fox.id)
    qtbot.addWidget(dialog)
    wait(qloop, dialog.fetch())
    lines = {s: label.text() for s, label in dialog.pane.status_labels.items()}
    assert lines["hardcover"] == LINE
    assert lines["openlibrary"] == "Open Library: ok — 1 candidate"
