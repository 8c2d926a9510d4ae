"""`bookorbit-desktop hardcover journal ...` end to end against the fake Hardcover."""

from __future__ import annotations

import os
import re

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.cli.test_hardcover_sync import run, world  # noqa: F401

T = 1_709_300_000


def _highlight(book_id: int) -> None:
    open_database(resolve_paths(os.environ["BOOKORBIT_DATA_DIR"]).db_file)
    store.record(
        store.Target(book_id),
        [Entry(T, "Fear is the mind-killer.", "my note", None, "12")],
        source="xmnote",
        origin="x",
        now=1.0,
    )
    close_database()


def test_opt_in_review_then_send(world, monkeypatch, capsys):  # noqa: F811
    _highlight(world["books"]["dune"])
    code, out, _ = run(monkeypatch, capsys, "journal")
    assert (code, out.strip()) == (
        0,
        "Highlights as journal quotes: no book (off); entries are private.",
    )
    code, out, _ = run(monkeypatch, capsys, "journal", "on", str(world["books"]["dune"]))
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "journal", "preview")
    assert "add quote (Title dune, p. 12): Fear is the mind-killer." in out
    assert "add note (Title dune, p. 12): my note" in out
    code, out, _ = run(monkeypatch, capsys, "journal", "send")
    assert code == 1 and "The first batch waits for your review:" in out
    assert world["catalog"].rows("reading_journals") == []
    code, out, _ = run(monkeypatch, capsys, "journal", "send", "--yes")
    assert (code, out.splitlines()[0]) == (
        0,
        "Journal: 2 added, 0 updated, 0 unchanged, 0 found already there.",
    )
    code, out, _ = run(monkeypatch, capsys, "journal", "send")
    assert out.splitlines()[0] == "Journal: 0 added, 0 updated, 2 unchanged, 0 found already there."
    assert len(world["catalog"].rows("reading_journals")) == 2
    code, _, err = run(monkeypatch, capsys, "journal", "privacy", "everyone")
    assert code == 2 and "Privacy must be one of public, followers, private" in err


def test_quotes_left_by_a_503_and_a_drop_fail_the_send_and_go_later(
    world,  # noqa: F811
    monkeypatch,
    capsys,
):
    open_database(resolve_paths(os.environ["BOOKORBIT_DATA_DIR"]).db_file)
    quotes = [Entry(T + n, text) for n, text in enumerate(("One.", "Two.", "Three."))]
    store.record(store.Target(world["books"]["dune"]), quotes, source="xmnote", origin="x", now=1.0)
    close_database()
    run(monkeypatch, capsys, "journal", "on", str(world["books"]["dune"]))
    world["server"].fail_next(503, operation="InsertReadingJournal")
    world["server"].fail_next("drop", operation="InsertReadingJournal")
    code, out, _ = run(monkeypatch, capsys, "journal", "send", "--yes")
    assert code == 1
    assert out.splitlines()[0] == "Journal: 1 added, 0 updated, 0 unchanged, 0 found already there."
    assert (
        "2 journal entries may have reached Hardcover without an answer. They stay queued and "
        "are not sent again until the journal can be read back to check them" in out
    )
    assert len(world["catalog"].rows("reading_journals")) == 1
    code, out, _ = run(monkeypatch, capsys, "journal", "status")
    assert "Not in the journal yet: 2 waiting for a check." in out
    for token in world["catalog"].tokens.values():  # the user makes a token with read:journal
        token["scopes"] = frozenset(token["scopes"]) | {"read:journal"}
    code, out, _ = run(monkeypatch, capsys, "journal", "send")
    assert (code, out.splitlines()[0]) == (
        0,
        "Journal: 2 added, 0 updated, 1 unchanged, 0 found already there.",
    )
    assert sorted(r["entry"] for r in world["catalog"].rows("reading_journals")) == [
        "One.",
        "Three.",
        "Two.",
    ]


def test_a_refused_quote_fails_the_send_and_is_listed_with_the_reason(
    world,  # noqa: F811
    monkeypatch,
    capsys,
):
    _highlight(world["books"]["dune"])
    run(monkeypatch, capsys, "journal", "on", str(world["books"]["dune"]))
    world["catalog"].delete_book(world["hc"]["dune"])
    code, out, _ = run(monkeypatch, capsys, "journal", "send", "--yes")
    assert code == 1
    assert (
        "Refused by Hardcover: Book not found — quote not added (Title dune): "
        "Fear is the mind-killer." in out
    )
    code, out, _ = run(monkeypatch, capsys, "journal", "status")
    assert code == 0
    assert "Not in the journal yet: 2 refused by Hardcover." in out
    assert (
        "  quote (Title dune): Fear is the mind-killer.\n"
        "    Refused by Hardcover: Book not found\n    Next try: after " in out
    )


def test_a_rate_limit_fails_the_send_and_says_when_it_goes_on(
    world,  # noqa: F811
    monkeypatch,
    capsys,
):
    _highlight(world["books"]["dune"])
    run(monkeypatch, capsys, "journal", "on", str(world["books"]["dune"]))
    world["server"].fail_next(429, retry_after=3_600, operation="InsertReadingJournal")
    code, out, _ = run(monkeypatch, capsys, "journal", "send", "--yes")
    assert code == 1 and world["catalog"].rows("reading_journals") == []
    assert re.search(
        r"Hardcover asked to slow down; 2 journal entries wait; next try after "
        r"(\d{4}-\d\d-\d\d )?\d\d:\d\d\.",
        out,
    )


def test_failed_updates_are_listed_and_status_shows_updates_waiting(
    world,  # noqa: F811
    monkeypatch,
    capsys,
):
    _highlight(world["books"]["dune"])
    run(monkeypatch, capsys, "journal", "on", str(world["books"]["dune"]))
    assert run(monkeypatch, capsys, "journal", "send", "--yes")[0] == 0
    open_database(resolve_paths(os.environ["BOOKORBIT_DATA_DIR"]).db_file)
    edited = [Entry(T, "Fear is the mind-killer.", "edited note", None, "12")]
    store.record(store.Target(world["books"]["dune"]), edited, source="xmnote", origin="x", now=2.0)
    close_database()
    code, out, _ = run(monkeypatch, capsys, "journal", "status")
    assert (
        "Not in the journal yet: 1 update waiting.\n"
        "  note (Title dune): edited note\n"
        "    Update waiting.\n"
        "    Next try: with the next send.\n"
    ) in out
    world["server"].fail_next(500, operation="UpdateReadingJournal")
    code, out, _ = run(monkeypatch, capsys, "journal", "send")
    assert code == 1
    assert (
        "Hardcover did not answer the last try. It goes again after a wait — note not updated "
        "(Title dune): edited note\n" in out
    )
    code, out, _ = run(monkeypatch, capsys, "journal", "status")
    assert re.search(
        r"  note \(Title dune\): edited note\n"
        r"    Update waiting: Hardcover did not answer the last try\.\n"
        r"    Next try: after (\d{4}-\d\d-\d\d )?\d\d:\d\d\.\n",
        out,
    )
    for row in world["catalog"].rows("reading_journals"):
        if row["event"] == "note":
            world["catalog"].delete_row("reading_journals", row["id"])
    code, out, _ = run(monkeypatch, capsys, "journal", "send")
    assert code == 1
    assert "Refused by Hardcover: Not found — note not updated (Title dune): edited note" in out
