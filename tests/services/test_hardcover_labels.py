"""Small pure parts of the Hardcover facade: keyring names, run summaries, linked summaries."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.sync.results import BookResult
from bookorbit_desktop.services.hardcover.matches import linked_summary
from bookorbit_desktop.services.hardcover.service import keyring_label
from bookorbit_desktop.services.hardcover.sync import SyncReport


@pytest.mark.parametrize(
    ("backend", "label"),
    [
        ("keyring.backends.SecretService.Keyring", "the system keyring (Secret Service)"),
        ("keyring.backends.kwallet.DBusKeyring", "KDE Wallet"),
        ("keyring.backends.macOS.Keyring", "the macOS Keychain"),
        ("keyring.backends.Windows.WinVaultKeyring", "Windows Credential Manager"),
        ("keyring.backends.libsecret.Keyring", "the system keyring (Secret Service)"),
        ("keyring.backends.chainer.ChainerBackend", "the system keyring"),
        ("keyrings.alt.file.PlaintextKeyring", "a file in your home folder (keyrings.alt)"),
        ("tests.fakes.file_keyring.FileKeyring", "the system keyring"),
        ("my_company.vault.Keyring", "the system keyring"),
    ],
)
def test_keyring_label(backend, label):
    assert keyring_label(backend) == label


def _report(*outcomes: str, stopped: str | None = None) -> SyncReport:
    books = [BookResult(n, f"Book {n}", outcome) for n, outcome in enumerate(outcomes)]
    return SyncReport(books, stopped, 0)


@pytest.mark.parametrize(
    ("report", "text"),
    [
        (_report(), "No books to sync: mark books as reading, read or want to read first."),
        (_report("sent"), "1 book: 1 sent."),
        (
            _report("sent", "up_to_date", "needs_review", "not_matched", "sent"),
            "5 books: 2 sent, 1 up to date, 1 need review, 1 not matched.",
        ),
        (
            _report("failed", "skipped", stopped="cancelled"),
            "2 books: 1 failed, 1 not reached. Stopped: cancelled",
        ),
        (
            _report(stopped="Hardcover refused the token"),
            "Hardcover sync stopped: Hardcover refused the token",
        ),
    ],
)
def test_sync_report_text(report, text):
    assert report.text == text


def test_linked_summary_names_the_linked_candidate():
    candidates = [
        {
            "book_id": 7,
            "title": "Dune",
            "authors": ["Frank Herbert"],
            "year": 1965,
            "edition": "ebook · en · 604 pages · 40 readers",
        },
        {"book_id": 8, "title": "Dune Messiah", "authors": ["Frank Herbert"]},
    ]
    assert linked_summary(candidates, 7) == ("Dune — Frank Herbert (1965), ebook, 604 pages")
    assert linked_summary(candidates, None) is None
    assert linked_summary(candidates, 99) == "A Hardcover book whose title is not stored yet"
    assert linked_summary([{"book_id": 5, "authors": ["Anon"]}], 5) == "Untitled book — Anon"
