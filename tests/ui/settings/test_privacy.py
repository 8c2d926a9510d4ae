"""Settings ▸ Hardcover ▸ privacy, end to end against the fake Hardcover: a new privacy goes to
the entries BookOrbit made at the next sync, and to the entries that were on the profile before
only when "Also apply it to books that were on my Hardcover profile before" is ticked."""

from __future__ import annotations

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync.model import PRIVACY_IDS
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.services.settings import load_settings, load_sync_settings, save_settings
from bookorbit_desktop.ui.settings.access import settings_sections
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK

PUBLIC, PRIVATE = PRIVACY_IDS["public"], PRIVACY_IDS["private"]


def _linked_book(fake, title: str) -> tuple[int, int]:
    """A book being read, picked to its own Hardcover book: (library id, Hardcover id)."""
    hc_book = fake.catalog.add_book(title, authors=["Ann Author"], users_count=10)
    edition = fake.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    book = add_book(title, ["Ann Author"])
    pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="picked")
    update_reading_state(book.id, status="reading", started="2026-03-01", progress=0.5)
    return book.id, hc_book


def _save_privacy(qtbot, server, hardcover, privacy: str, *, for_all: bool) -> None:
    dialog = SettingsDialog(
        load_settings(), save_settings, sections=settings_sections(server, hardcover)
    )
    qtbot.addWidget(dialog)
    tab = dialog.hardcover
    tab.privacy_combo.setCurrentIndex(tab.privacy_combo.findData(privacy))
    tab.privacy_for_all_check.setChecked(for_all)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()


def test_earlier_entries_take_the_new_privacy_only_when_asked(
    qtbot, qloop, server, hardcover, fake
):
    qloop.run_until_complete(hardcover.connect(fake.token))
    user_id = fake.user_id
    _, ours = _linked_book(fake, "Made by BookOrbit")
    _, theirs = _linked_book(fake, "Shelved on hardcover.app")
    fake.catalog.add_user_book(user_id, theirs, status_id=2, privacy_setting_id=PUBLIC)

    def privacy(hc_book: int) -> int:
        return fake.catalog.user_book_for(user_id, hc_book)["privacy_setting_id"]

    def sync() -> None:
        report = qloop.run_until_complete(hardcover.sync_all())
        assert report.stopped is None, report.stopped

    sync()  # ours is created, theirs adopted: both public, as the account is
    assert (privacy(ours), privacy(theirs)) == (PUBLIC, PUBLIC)

    _save_privacy(qtbot, server, hardcover, "private", for_all=False)
    sync()
    assert (privacy(ours), privacy(theirs)) == (PRIVATE, PUBLIC)  # theirs kept

    _save_privacy(qtbot, server, hardcover, "private", for_all=True)
    assert load_sync_settings().privacy_for_all
    sync()
    assert (privacy(ours), privacy(theirs)) == (PRIVATE, PRIVATE)
