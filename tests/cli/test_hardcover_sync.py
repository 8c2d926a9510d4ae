"""`bookorbit-desktop hardcover sync|settings|log|status` end to end: a real library, the fake
Hardcover on its own thread, the token in a file-backed test keyring."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.hardcover.sync import SyncService
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    hc = {}
    for key in ("dune", "emma"):
        hc[key] = catalog.add_book(f"Title {key}", authors=["Ann Author"], users_count=5)
        hc[f"{key}_edition"] = catalog.add_edition(hc[key], pages=400, reading_format_id=EBOOK)
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    books = {}
    for key in ("dune", "emma"):
        book = add_book(f"Title {key}", ["Ann Author"])
        pin(book.id, hc[key], edition_id=hc[f"{key}_edition"], edition_pages=400, reason="pick")
        books[key] = book.id
    update_reading_state(books["dune"], status="reading", started="2026-03-01", progress=0.25)
    update_reading_state(books["emma"], status="read", finished="2026-02-01", rating="4.5")
    books["unread"] = add_book("Never opened", ["Ann Author"]).id
    close_database()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as server:
        env = {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
            "BOOKORBIT_HARDCOVER_URL": server.url,
            "BOOKORBIT_DATA_DIR": str(data_dir),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield {"server": server, "catalog": catalog, "hc": hc, "books": books, "user": user}


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["hardcover", *args])
    out, err = capsys.readouterr()
    return code, out, err


def mutations(world) -> int:
    return sum(1 for r in world["server"].requests if r.operation_type == "mutation")


def test_dry_run_shows_each_book_and_sends_nothing(world, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "sync", "--dry-run")
    assert code == 0
    assert "Title dune — will be sent" in out
    assert "add to Hardcover as Currently Reading" in out and "p. 100 of 400" in out
    assert (
        "Title emma — will be sent" in out and "rating 4.5★" in out and "finished 2026-02-01" in out
    )
    assert "Never opened" not in out  # unread books are not listed
    assert out.strip().splitlines()[-1].startswith("Dry run, nothing was sent: 2 to send")
    assert mutations(world) == 0


def test_sync_json_then_an_unchanged_resync(world, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "sync", "--json")
    report = json.loads(out)
    assert code == 0 and report["counts"] == {"sent": 2}
    by_title = {b["title"]: b for b in report["books"]}
    assert set(by_title["Title dune"]) == {
        "book_id",
        "title",
        "outcome",
        "actions",
        "notes",
        "error",
        "proposed_dates",
    }
    assert by_title["Title dune"]["outcome"] == "sent"
    catalog, user = world["catalog"], world["user"]
    entry = catalog.user_book_for(user, world["hc"]["emma"])
    (read,) = catalog.reads_of(entry["id"])
    assert (entry["status_id"], entry["rating"], read["finished_at"]) == (3, 4.5, "2026-02-01")
    sent = mutations(world)
    code, out, _ = run(monkeypatch, capsys, "sync")
    assert code == 0 and "2 up to date." in out
    assert mutations(world) == sent
    code, out, _ = run(monkeypatch, capsys, "log", "--json", "--limit", "10")
    log = json.loads(out)
    assert {e["title"] for e in log} == {"Title dune", "Title emma"}
    assert "token" not in out.lower()
    code, out, _ = run(monkeypatch, capsys, "status")
    assert "Waiting: nothing" in out and "Last sync: never" not in out


def test_one_book_and_allow_rewind(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "sync")
    open_database(resolve_paths().db_file)
    try:
        update_reading_state(world["books"]["dune"], progress=0.1)
    finally:
        close_database()
    code, out, _ = run(monkeypatch, capsys, "status")
    assert "Waiting: 1 book to send" in out
    book = str(world["books"]["dune"])
    code, out, _ = run(monkeypatch, capsys, "sync", "--book", book)
    assert code == 0 and "Hardcover is ahead (p. 100); p. 40 not sent" in out
    code, out, _ = run(monkeypatch, capsys, "sync", "--book", book, "--allow-rewind")
    assert code == 0 and "p. 40 of 400" in out
    code, _, err = run(monkeypatch, capsys, "sync", "--allow-rewind")
    assert code == 2 and "--book" in err


def test_settings_show_and_change(world, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "settings")
    assert code == 0 and "Sync: on" in out and "Privacy of new entries: the account's own" in out
    code, out, _ = run(
        monkeypatch, capsys, "settings", "--pause", "--privacy", "private", "--on-progress", "off"
    )
    assert "Sync: paused" in out and "Privacy of new entries: private" in out
    assert "Push reading progress by itself: off" in out
    code, out, _ = run(monkeypatch, capsys, "settings", "--json")
    assert json.loads(out)["privacy"] == "private"
    code, out, _ = run(monkeypatch, capsys, "sync", "--json")
    entries = world["catalog"].tables["user_books"].values()
    assert {e["privacy_setting_id"] for e in entries} == {3}


def test_a_refused_token_exits_1_and_says_what_to_do(world, monkeypatch, capsys):
    world["server"].fail_next(401)
    code, out, err = run(monkeypatch, capsys, "sync")
    assert code == 1
    assert "connect" in (out + err).lower()
    assert mutations(world) == 0


def test_history_dates_go_out_from_the_cli_only_with_the_flag(world, tmp_path, monkeypatch, capsys):
    import datetime as dt

    from bookorbit_desktop.library.history.importer import import_statistics
    from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
    from bookorbit_desktop.library.store.models import ReadingState
    from tests.factories import make_epub
    from tests.library.history.koreader_file import KoBook, write_statistics

    catalog = world["catalog"]
    hc_book = catalog.add_book("Title hist", authors=["Ann Author"], users_count=5)
    edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    open_database(resolve_paths(tmp_path / "data").db_file)
    epub = make_epub(tmp_path / "hist.epub", "Title hist", ("Ann Author",))
    book = add_book("Title hist", ["Ann Author"], file=epub)
    pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="pick")
    ReadingState.update(status="read", progress=1.0).where(ReadingState.book == book.id).execute()
    noon = int(dt.datetime(2024, 10, 4, 12, 0).timestamp())
    rows = [(1, noon, 600, 300), (300, noon + 10 * 86_400, 600, 300)]
    ko = KoBook("Title hist", "Ann Author", partial_md5(epub), 300, rows)
    import_statistics(write_statistics(tmp_path / "stats.sqlite3", [ko]))
    close_database()

    def hist_dates():
        entry = catalog.user_book_for(world["user"], hc_book)
        return [(r["started_at"], r["finished_at"]) for r in catalog.reads_of(entry["id"])]

    code, out, _ = run(monkeypatch, capsys, "sync", "--dry-run", "--book", str(book.id))
    assert "proposed: started 2024-10-04 from your reading history (Hardcover: no date)" in out
    assert "proposed: finished 2024-10-14" in out and "--accept-history-dates" in out
    code, out, _ = run(monkeypatch, capsys, "sync")
    assert code == 0 and hist_dates() == [(None, None)]
    code, out, _ = run(monkeypatch, capsys, "sync", "--accept-history-dates")
    assert code == 0 and hist_dates() == [("2024-10-04", "2024-10-14")]


@pytest.mark.parametrize(
    ("on_hardcover", "expected"),
    [(None, [(None, None)]), (1, [(None, None)]), (2, [("2025-01-01", None)])],
    ids=["new entry", "want to read there", "reading there"],
)
def test_read_with_no_date_goes_out_as_a_read_without_dates(
    world, tmp_path, monkeypatch, capsys, on_hardcover, expected
):
    catalog, user = world["catalog"], world["user"]
    hc_book = catalog.add_book("Title long ago", authors=["Ann Author"], users_count=5)
    edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    if on_hardcover is not None:
        entry_id = catalog.add_user_book(user, hc_book, status_id=on_hardcover)
        if on_hardcover == 2:  # an open read of the user's, begun on hardcover.app
            catalog.add_read(entry_id, started_at="2025-01-01", finished_at=None)
    open_database(resolve_paths(tmp_path / "data").db_file)
    book = add_book("Title long ago", ["Ann Author"]).id
    pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
    close_database()
    code = main(["book", str(book), "--status", "read", "--finished", "none"])
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "sync", "--book", str(book))
    assert code == 0
    entry = catalog.user_book_for(user, hc_book)
    reads = [(r["started_at"], r["finished_at"]) for r in catalog.reads_of(entry["id"])]
    assert entry["status_id"] == 3 and reads == expected  # never today
    assert "Read" in out and "1 sent" in out


def test_held_books_are_listed_sent_only_by_sync_and_discarded_on_demand(
    world, monkeypatch, capsys
):
    run(monkeypatch, capsys, "sync")
    open_database(resolve_paths().db_file)
    try:
        update_reading_state(world["books"]["emma"], status="want_to_read")
        SyncService().decline([world["books"]["emma"]])  # the window's Cancel at the review
    finally:
        close_database()
    code, out, _ = run(monkeypatch, capsys, "status")
    assert "Waiting: 1 book held after Cancel" in out
    code, out, _ = run(monkeypatch, capsys, "held", "--json")
    assert json.loads(out) == [{"book_id": world["books"]["emma"], "title": "Title emma"}]
    sent = mutations(world)
    code, out, _ = run(monkeypatch, capsys, "held", "--discard")
    assert code == 0 and out.startswith("Discarded held changes: 1 book takes Hardcover's")
    assert mutations(world) == sent  # nothing sent
    code, out, _ = run(monkeypatch, capsys, "held")
    assert out == "Nothing is held.\n"
    code, out, _ = run(monkeypatch, capsys, "status")
    assert "Waiting: nothing" in out
    open_database(resolve_paths().db_file)
    try:
        state = ReadingState.get_by_id(world["books"]["emma"])
        assert (state.status, state.rating) == ("read", 4.5)  # Hardcover's values back
    finally:
        close_database()
