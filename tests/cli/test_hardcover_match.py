"""`bookorbit-desktop hardcover match|candidates|pick|rematch|exclude|include` end to end.

A real library in a temporary data folder, the fake Hardcover on its own thread, and the
token in a file-backed test keyring.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.matching.store import get_match, record_user_book
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import AUDIO, EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    ids = {}
    ids["left_hand"] = catalog.add_book(
        "The Left Hand of Darkness", authors=["Ursula K. Le Guin"], release_year=1969,
        users_count=4321,
    )  # fmt: skip
    ids["left_hand_ebook"] = catalog.add_edition(
        ids["left_hand"], pages=304, reading_format_id=EBOOK, users_count=40
    )
    ids["left_hand_audio"] = catalog.add_edition(ids["left_hand"], reading_format_id=AUDIO)
    ids["v1"] = catalog.add_book("Berserk, Vol. 1", authors=["Kentaro Miura"], users_count=900)
    ids["v3"] = catalog.add_book("Berserk, Vol. 3", authors=["Kentaro Miura"], users_count=700)
    ids["v3_edition"] = catalog.add_edition(ids["v3"], pages=224)
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    books = {
        "left_hand": add_book("The Left Hand of Darkness", ["Le Guin, Ursula K."], status="read"),
        "berserk2": add_book("Berserk Vol. 2", ["Kentaro Miura"], status="reading"),
        "unread": add_book("The Dispossessed", ["Ursula K. Le Guin"], status="unread"),
    }
    book_ids = {key: book.id for key, book in books.items()}
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
        yield {
            "server": server,
            "catalog": catalog,
            "hc": ids,
            "books": book_ids,
            "user": user,
            "paths": paths,
            "keyring": keyring_file,
        }


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["hardcover", *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored(world, key):
    open_database(world["paths"].db_file)
    try:
        return get_match(world["books"][key])
    finally:
        close_database()


def test_match_prints_each_outcome_then_reuses_the_results(world, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "match")
    assert code == 0, err
    lines = out.splitlines()
    left = next(line for line in lines if "The Left Hand of Darkness" in line)
    assert " linked " in left and "title and author match" in left
    assert "edition: ebook · en · 304 pages" in left
    berserk = next(line for line in lines if "Berserk Vol. 2" in line)
    assert " review " in berserk and "≠ volume" in berserk
    assert not any("Dispossessed" in line for line in lines)  # unread books are not matched
    assert "2 books:" in lines[-2] and "hardcover candidates BOOK" in lines[-1]
    assert stored(world, "left_hand").hc_edition_id == world["hc"]["left_hand_ebook"]

    requests_before = len(world["server"].requests)
    code, out, _ = run(monkeypatch, capsys, "match", "--json")
    payload = json.loads(out)
    assert payload["counts"] == {"linked": 1, "needs_review": 1}
    assert all(book["cached"] for book in payload["books"])
    assert payload["requests"] == 0 and len(world["server"].requests) == requests_before


def test_candidates_then_pick_with_an_edition(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "match")
    book = world["books"]["berserk2"]
    code, out, _ = run(monkeypatch, capsys, "candidates", str(book))
    assert code == 0
    assert "Berserk Vol. 2: review" in out
    assert "Berserk, Vol. 3 — Kentaro Miura" in out and "≠ volume (2 vs 3)" in out
    assert f"hardcover pick {book} HC_BOOK_ID" in out

    code, out, _ = run(monkeypatch, capsys, "candidates", str(book), "--json")
    assert json.loads(out)["state"] == "needs_review"

    v3, edition = world["hc"]["v3"], world["hc"]["v3_edition"]
    code, out, err = run(monkeypatch, capsys, "pick", str(book), str(v3), "--edition", str(edition))
    assert code == 0, err
    assert out.startswith("Linked to “Berserk, Vol. 3” by Kentaro Miura, edition")
    assert "Differences noted: ≠ volume (2 vs 3)" in out
    record = stored(world, "berserk2")
    assert (record.state, record.hc_book_id, record.hc_edition_id, record.pinned) == (
        "linked", v3, edition, True,
    )  # fmt: skip
    assert record.edition_pages == 224

    # A pick survives the next matching pass.
    run(monkeypatch, capsys, "match")
    assert stored(world, "berserk2").hc_book_id == v3


def test_pick_refuses_unknown_books_and_foreign_editions(world, monkeypatch, capsys):
    book = str(world["books"]["berserk2"])
    code, _, err = run(monkeypatch, capsys, "pick", book, "999999")
    assert code == 2 and "Hardcover has no book 999999" in err
    code, _, err = run(
        monkeypatch, capsys, "pick", book, str(world["hc"]["v1"]), "--edition",
        str(world["hc"]["v3_edition"]),
    )  # fmt: skip
    assert code == 2 and "belongs to Hardcover book" in err
    code, _, err = run(monkeypatch, capsys, "pick", "4242", str(world["hc"]["v1"]))
    assert code == 2 and "no book 4242" in err
    world["catalog"].delete_book(world["hc"]["v1"])
    code, _, err = run(monkeypatch, capsys, "pick", book, str(world["hc"]["v1"]))
    assert code == 2 and f"Hardcover has no book {world['hc']['v1']}" in err
    assert "Traceback" not in err
    assert stored(world, "berserk2") is None


def test_rematch_keeps_entries_and_removes_only_ours_when_asked(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "match")
    catalog, user = world["catalog"], world["user"]
    left_hand = world["hc"]["left_hand"]
    entry = catalog.add_user_book(user, left_hand, status_id=3)
    open_database(world["paths"].db_file)
    record_user_book(world["books"]["left_hand"], entry, created_by_us=False)
    close_database()

    code, out, _ = run(monkeypatch, capsys, "rematch", str(world["books"]["left_hand"]))
    assert code == 0 and "stays on your profile" in out
    assert catalog.user_book_for(user, left_hand) is not None
    assert stored(world, "left_hand").state == "unmatched"

    run(monkeypatch, capsys, "match")
    open_database(world["paths"].db_file)
    record_user_book(world["books"]["left_hand"], entry, created_by_us=True)
    close_database()
    code, out, _ = run(monkeypatch, capsys, "rematch", str(world["books"]["left_hand"]))
    assert code == 0 and "stays on your profile" in out  # even BookOrbit's own: not unasked
    assert catalog.user_book_for(user, left_hand) is not None
    run(monkeypatch, capsys, "match")
    open_database(world["paths"].db_file)
    record_user_book(world["books"]["left_hand"], entry, created_by_us=True)
    close_database()
    book = str(world["books"]["left_hand"])
    code, out, _ = run(monkeypatch, capsys, "rematch", book, "--remove-from-hardcover")
    assert code == 0 and "BookOrbit had created was removed" in out
    assert catalog.user_book_for(user, left_hand) is None
    record = stored(world, "left_hand")
    assert (record.state, record.user_book_id, record.created_by_us) == ("unmatched", None, False)


@pytest.mark.parametrize("failure", ["refused", "rejected"])
def test_failed_removal_keeps_the_link_and_the_entry_id(world, monkeypatch, capsys, failure):
    run(monkeypatch, capsys, "match")
    owner = world["user"]
    if failure == "refused":  # Hardcover answers with nulls: not this account's entry
        owner = world["catalog"].add_user("someone-else")
    entry = world["catalog"].add_user_book(owner, world["hc"]["left_hand"])
    open_database(world["paths"].db_file)
    record_user_book(world["books"]["left_hand"], entry, created_by_us=True)
    close_database()
    if failure == "rejected":
        world["server"].fail_next(400, body={"error": "Malformed request body"})

    book = str(world["books"]["left_hand"])
    code, _, err = run(monkeypatch, capsys, "rematch", book, "--remove-from-hardcover")

    assert code == 2 and "Traceback" not in err
    if failure == "refused":
        assert "Hardcover entry not removed" in err and "link was kept" in err
    record = stored(world, "left_hand")
    assert (record.state, record.user_book_id, record.created_by_us) == ("linked", entry, True)
    assert world["catalog"].get("user_books", entry) is not None


def test_exclude_offers_removal_and_include_restores(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "match")
    book = str(world["books"]["left_hand"])
    entry = world["catalog"].add_user_book(world["user"], world["hc"]["left_hand"])
    open_database(world["paths"].db_file)
    record_user_book(world["books"]["left_hand"], entry, created_by_us=True)
    close_database()

    code, out, _ = run(monkeypatch, capsys, "exclude", book)
    assert code == 0 and f"hardcover exclude {book} --remove-from-hardcover" in out
    assert world["catalog"].user_book_for(world["user"], world["hc"]["left_hand"]) is not None
    assert stored(world, "left_hand").state == "excluded"

    code, out, _ = run(monkeypatch, capsys, "exclude", book, "--remove-from-hardcover")
    assert code == 0 and "was removed" in out
    assert world["catalog"].user_book_for(world["user"], world["hc"]["left_hand"]) is None

    run(monkeypatch, capsys, "match")
    assert stored(world, "left_hand").state == "excluded"  # never matched or synced

    code, out, _ = run(monkeypatch, capsys, "include", book)
    assert code == 0 and "previous link" in out
    record = stored(world, "left_hand")
    assert (record.state, record.hc_book_id) == ("linked", world["hc"]["left_hand"])
    code, _, err = run(monkeypatch, capsys, "include", book)
    assert code == 2 and "not excluded" in err


def test_match_without_a_token_explains_how_to_connect(world, monkeypatch, capsys):
    world["keyring"].write_text("{}")
    code, _, err = run(monkeypatch, capsys, "match")
    assert code == 2
    assert "hardcover connect --token-stdin" in err
    assert world["server"].requests == []


def test_rematch_and_exclude_work_offline_when_nothing_must_be_removed(world, monkeypatch, capsys):
    world["keyring"].write_text("{}")  # not connected at all
    book = str(world["books"]["berserk2"])
    assert run(monkeypatch, capsys, "exclude", book)[0] == 0
    assert run(monkeypatch, capsys, "include", book)[0] == 0
    assert run(monkeypatch, capsys, "rematch", book)[0] == 0
    assert world["server"].requests == []


def test_candidates_search_weighs_fresh_results_without_storing_them(world, monkeypatch, capsys):
    book = str(world["books"]["berserk2"])
    code, out, err = run(monkeypatch, capsys, "candidates", book, "--search")
    assert code == 0, err
    assert "Hardcover results for 'Berserk Vol. 2 Kentaro Miura'" in out
    assert "≠ volume (2 vs 1)" in out and "≠ volume (2 vs 3)" in out
    assert stored(world, "berserk2") is None  # read-only

    code, out, _ = run(monkeypatch, capsys, "candidates", book, "--search", "darkness", "--json")
    payload = json.loads(out)
    assert payload["query"] == "darkness"
    assert [c["title"] for c in payload["candidates"]] == ["The Left Hand of Darkness"]
    assert "≠ author" in payload["candidates"][0]["differences"]


def test_remove_entry_stays_removed_through_cli_syncs_until_add_again(world, monkeypatch, capsys):
    book = str(world["books"]["left_hand"])
    catalog, user, left_hand = world["catalog"], world["user"], world["hc"]["left_hand"]
    code, out, err = run(monkeypatch, capsys, "sync")
    assert code == 0, err
    assert catalog.user_book_for(user, left_hand) is not None

    code, out, _ = run(monkeypatch, capsys, "remove-entry", book)
    assert code == 0 and "stays removed" in out and f"hardcover add-again {book}" in out
    assert catalog.user_book_for(user, left_hand) is None
    code, out, err = run(monkeypatch, capsys, "sync")
    assert code == 0, err
    assert catalog.user_book_for(user, left_hand) is None  # not inserted afresh
    assert stored(world, "left_hand").state == "removed"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["book", book]) == 0
    assert "Entry removed" in capsys.readouterr().out

    code, out, _ = run(monkeypatch, capsys, "add-again", book)
    assert code == 0 and "next sync" in out
    code, out, err = run(monkeypatch, capsys, "sync")
    assert code == 0, err
    assert catalog.user_book_for(user, left_hand) is not None
    code, _, err = run(monkeypatch, capsys, "add-again", book)
    assert code == 2 and "was not removed" in err
