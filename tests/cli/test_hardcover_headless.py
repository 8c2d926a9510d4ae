"""Scripting `hardcover` without a keyring and per library: books named on the command line,
links in JSON, a token from the environment or a file (never saved, never logged), and a
second library that does not reuse the first one's token."""

from __future__ import annotations

import json

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import TOKEN_ENV
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.cli.test_hardcover_match import run, world  # noqa: F401
from tests.factories import add_book


def test_match_named_books_with_links_and_candidates_in_json(world, monkeypatch, capsys):  # noqa: F811
    books = world["books"]
    code, out, err = run(
        monkeypatch, capsys, "match", str(books["left_hand"]), str(books["unread"]), "--json"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert [book["book_id"] for book in payload["books"]] == [books["left_hand"]]
    assert payload["skipped_unread"] == [books["unread"]]
    left = payload["books"][0]
    link = left["hardcover"]
    assert left["state"] == "linked"
    assert link["book_id"] == world["hc"]["left_hand"]
    assert link["edition_id"] == world["hc"]["left_hand_ebook"]
    assert link["slug"] and link["url"] == f"https://hardcover.app/books/{link['slug']}"
    assert left["candidates"][0]["book_id"] == link["book_id"]

    code, out, err = run(monkeypatch, capsys, "match", str(books["unread"]), "--include-unread")
    assert code == 0, err
    assert "The Dispossessed" in out and "1 book:" in out

    code, out, err = run(monkeypatch, capsys, "match", "999999")
    assert code == 2 and "no book 999999" in err

    code, out, _ = run(monkeypatch, capsys, "match", str(books["berserk2"]), "--json")
    review = json.loads(out)["books"][0]
    assert review["state"] == "needs_review" and review["hardcover"]["book_id"] is None
    assert {c["book_id"] for c in review["candidates"]} >= {world["hc"]["v1"], world["hc"]["v3"]}
    assert all(c["url"].startswith("https://hardcover.app/books/") for c in review["candidates"])

    assert main(["books", "--json"]) == 0
    listed = {book["id"]: book["hardcover"] for book in json.loads(capsys.readouterr().out)}
    assert listed[books["left_hand"]]["state"] == "linked"
    assert listed[books["left_hand"]]["url"] == link["url"]
    assert listed[books["berserk2"]]["state"] == "needs_review"
    assert listed[books["unread"]]["state"] != "unmatched"  # matched on request above


def _logs(log_dir) -> str:
    return "".join(p.read_text() for p in log_dir.glob("*.log*"))


def test_token_from_environment_or_file_is_used_not_saved_not_logged(
    world,  # noqa: F811
    monkeypatch,
    capsys,
    tmp_path,
):
    token = json.loads(world["keyring"].read_text()).popitem()[1]
    world["keyring"].write_text("{}")  # no saved token at all
    monkeypatch.setattr("sys.argv", ["bookorbit-desktop"])
    code, _, err = run(monkeypatch, capsys, "match")
    assert code == 2 and "connect" in err.lower()

    monkeypatch.setenv(TOKEN_ENV, token)
    assert main(["-v", "hardcover", "match"]) == 0
    out, err = capsys.readouterr()
    assert "2 books:" in out and token not in out + err
    code, out, _ = run(monkeypatch, capsys, "status", "--json")
    status = json.loads(out)
    assert status["connected"] and TOKEN_ENV in status["keyring"] and token not in out

    monkeypatch.delenv(TOKEN_ENV)
    token_file = tmp_path / "token.txt"
    token_file.write_text(f"Bearer {token}\n")
    code, out, err = run(monkeypatch, capsys, "--token-file", str(token_file), "search", "Left")
    assert code == 0, err
    assert "The Left Hand of Darkness" in out
    code, out, err = run(monkeypatch, capsys, "match", "--json", "--token-file", str(token_file))
    assert code == 0, err
    assert json.loads(out)["counts"]
    code, _, err = run(monkeypatch, capsys, "--token-file", str(tmp_path / "nope"), "match")
    assert code == 2 and "could not be read" in err

    code, _, err = run(monkeypatch, capsys, "--token-file", str(token_file), "connect")
    assert code == 2 and "connect --token-stdin" in err

    assert json.loads(world["keyring"].read_text()) == {}  # never saved
    logs = _logs(world["paths"].log_dir)
    assert logs and token not in logs


def test_a_second_library_does_not_reuse_the_first_ones_token(
    world,  # noqa: F811
    monkeypatch,
    capsys,
    tmp_path,
):
    second = resolve_paths(tmp_path / "second")
    second.ensure()
    open_database(second.db_file)
    add_book("The Left Hand of Darkness", ["Ursula K. Le Guin"], status="read")
    close_database()
    code, _, err = run(monkeypatch, capsys, "match")  # the first library: connected
    assert code == 0, err
    code = main(["--data-dir", str(second.data_dir), "hardcover", "match"])
    _, err = capsys.readouterr()
    assert code == 2 and "connect" in err.lower()
    code = main(["--data-dir", str(second.data_dir), "hardcover", "status", "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["connected"] is False


def test_a_refused_supplied_token_pauses_nothing_and_a_paused_library_can_use_one(
    world,  # noqa: F811
    monkeypatch,
    capsys,
):
    catalog = world["catalog"]
    good = json.loads(world["keyring"].read_text()).popitem()[1]
    revoked = catalog.add_token(world["user"], revoked=True)
    monkeypatch.setenv(TOKEN_ENV, revoked)
    code, _, err = run(monkeypatch, capsys, "match")
    assert code == 2 and f"token from {TOKEN_ENV}" in err and revoked not in err
    code, out, _ = run(monkeypatch, capsys, "status", "--json")
    assert json.loads(out)["paused_reason"] is None  # the saved token is not blamed

    # The saved token is refused: the library pauses; a token for the run still works.
    monkeypatch.delenv(TOKEN_ENV)
    entry = next(iter(json.loads(world["keyring"].read_text())))
    world["keyring"].write_text(json.dumps({entry: revoked}))
    code, _, err = run(monkeypatch, capsys, "match")
    assert code == 2 and "connect" in err.lower()
    code, out, _ = run(monkeypatch, capsys, "status", "--json")
    assert json.loads(out)["paused_reason"]
    monkeypatch.setenv(TOKEN_ENV, good)
    code, out, err = run(monkeypatch, capsys, "match")
    assert code == 0, err
    assert "2 books:" in out
