"""Small pure parts of the Hardcover facade: keyring names, run summaries, linked summaries."""

from __future__ import annotations

import pytest

from bookorbit_desktop.services.hardcover import MatchSummary, _summary, keyring_label


@pytest.mark.parametrize(
    ("backend", "label"),
    [
        ("keyring.backends.SecretService.Keyring", "the system keyring (Secret Service)"),
        ("keyring.backends.kwallet.DBusKeyring", "KDE Wallet"),
        ("keyring.backends.macOS.Keyring", "the macOS Keychain"),
        ("keyring.backends.Windows.WinVaultKeyring", "Windows Credential Manager"),
        ("tests.fakes.file_keyring.FileKeyring", "tests.fakes.file_keyring.FileKeyring"),
        ("unavailable", "unavailable"),
    ],
)
def test_keyring_label(backend, label):
    assert keyring_label(backend) == label


@pytest.mark.parametrize(
    ("summary", "text"),
    [
        (MatchSummary(0), "No books to match: mark books as reading, read or want to read first."),
        (
            MatchSummary(3, {"linked": 2, "needs_review": 1}),
            "3 books checked: 2 linked, 1 need review.",
        ),
        (
            MatchSummary(2, {"error": 1, "no_match": 1, "linked": 0}),
            "2 books checked: 1 failed, 1 without a match.",
        ),
    ],
)
def test_match_summary_text(summary, text):
    assert summary.text == text


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
    assert _summary(candidates, 7) == (
        "Dune — Frank Herbert (1965), ebook · en · 604 pages · 40 readers"
    )
    assert _summary(candidates, None) is None
    assert _summary(candidates, 99) == "Hardcover book 99"
