"""`bookorbit-desktop metadata fetch|show|apply|retry` end to end: a real library in a temporary
data folder, the loopback fakes of Open Library and Google Books and the fake Hardcover on
their own threads, and the Hardcover token in a file-backed test keyring."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.metadata_sources import googlebooks, openlibrary
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover
from tests.fakes.metadata_sources import FakeBook, FakeBookSources, ThreadedFakeBookSources
from tests.fakes.metadata_sources_fixtures import paced_virtually

FOX_ISBN = "9780140328721"


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    hc_book = catalog.add_book(
        "Fantastic Mr Fox", authors=["Roald Dahl"], release_year=1970, users_count=500,
        description="Boggis, Bunce and Bean are the meanest farmers around.",
        series="Dahl Classics", series_position=2,
    )  # fmt: skip
    catalog.add_edition(
        hc_book, isbn_13=FOX_ISBN, pages=96, release_date="1988-10-01", users_count=50,
        publisher={"name": "Puffin"}, image={"url": None, "width": 400, "height": 618},
    )  # fmt: skip
    sources = FakeBookSources()
    sources.add(FakeBook(FOX_ISBN, "Fantastic Mr. Fox", ("Roald Dahl",), publisher="Puffin",
                         published="October 1, 1988", pages=96, cover_id=8739161,
                         description="A clever fox outwits three farmers."))  # fmt: skip
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    fox = add_book("Fantastic Mr Fox", ["Unknown"], isbn13=FOX_ISBN).id
    nothing = add_book("A Book Nobody Has", ["Ann Author"]).id
    close_database()
    with (
        ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as hardcover,
        ThreadedFakeBookSources(sources) as fake,
    ):
        env = {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
            "BOOKORBIT_HARDCOVER_URL": hardcover.url,
            "BOOKORBIT_OPENLIBRARY_URL": fake.openlibrary_url,
            "BOOKORBIT_GOOGLEBOOKS_URL": fake.google_url,
            "BOOKORBIT_DATA_DIR": str(data_dir),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        # The sources' polite pacing is real seconds; these tests ask a few times only.
        monkeypatch.setattr(openlibrary, "REQUEST_INTERVAL", 0.0)
        monkeypatch.setattr(googlebooks, "REQUEST_INTERVAL", 0.0)
        paced_virtually(monkeypatch)  # a refusal's wait takes no wall time
        yield {
            "fox": fox,
            "nothing": nothing,
            "paths": paths,
            "fake": fake,
            "keyring": keyring_file,
        }


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["metadata", *args])
    out, err = capsys.readouterr()
    return code, out, err


def book(world, book_id: int) -> Book:
    open_database(world["paths"].db_file)
    try:
        found = Book.get_by_id(book_id)
        found.authors = found.author_names()  # read while the library is open
        found.edited = edited_fields(book_id)
        return found
    finally:
        close_database()


def test_fetch_then_show_compares_every_source_with_the_book(world, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "fetch", str(world["fox"]))
    assert code == 0, err
    assert "hardcover ok (1)" in out and "openlibrary ok (1)" in out and "google ok (1)" in out
    code, out, _ = run(monkeypatch, capsys, "show", str(world["fox"]), "--json")
    shown = json.loads(out)
    assert [(s["source"], s["status"]) for s in shown["sources"]] == [
        ("hardcover", "ok"),
        ("openlibrary", "ok"),
        ("google", "ok"),
    ]
    fields = {row["name"]: row for row in shown["fields"]}
    assert fields["authors"]["values"]["hardcover"] == ["Roald Dahl"]
    assert sorted(fields["authors"]["differs"]) == ["google", "hardcover", "openlibrary"]
    assert fields["title"]["differs"] == ["google", "openlibrary"]  # "Mr." vs the book's "Mr"
    assert fields["series"]["values"] == {"hardcover": "Dahl Classics"}
    assert fields["description"]["best"] == "hardcover"
    assert fields["release_date"]["values"]["openlibrary"] == "1988-10-01"
    code, out, _ = run(monkeypatch, capsys, "show", str(world["fox"]))
    lines = out.splitlines()
    authors = lines[lines.index("authors:") + 1 : lines.index("authors:") + 5]
    assert [line[:18] for line in authors] == [
        "    this book     ",
        "  * hardcover     ",
        "  * openlibrary   ",
        "  * google        ",
    ]  # every value starts in one column, under the book's
    assert authors[1][18:] == "Roald Dahl  <- best"


def test_apply_a_field_is_the_users_edit(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "fetch", str(world["fox"]))
    code, out, err = run(
        monkeypatch, capsys, "apply", str(world["fox"]), "--field", "authors", "--field",
        "series", "--from", "hardcover",
    )  # fmt: skip
    assert code == 0, err
    assert "authors (hardcover), series (hardcover)" in out
    applied = book(world, world["fox"])
    assert (applied.authors, applied.series) == (["Roald Dahl"], "Dahl Classics")
    assert applied.title == "Fantastic Mr Fox"  # not asked for: left as it was
    assert {"authors", "series"} <= applied.edited


def test_all_from_only_empty_fills_the_gaps_and_the_cover_is_downloaded(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "fetch", str(world["fox"]))
    code, _out, err = run(
        monkeypatch, capsys, "apply", str(world["fox"]), "--all-from", "openlibrary",
        "--only-empty",
    )  # fmt: skip
    assert code == 0, err
    applied = book(world, world["fox"])
    assert applied.description == "A clever fox outwits three farmers."
    assert applied.title == "Fantastic Mr Fox"  # had a value
    assert applied.authors == ["Roald Dahl"]  # "Unknown" counts as empty
    assert applied.cover_path and (world["paths"].data_dir / applied.cover_path).is_file()
    assert "cover" in applied.edited
    # The imprint the book had no value for, applied as the user's too.
    assert (applied.publisher, applied.published, applied.pages) == ("Puffin", "1988-10-01", 96)
    assert {"publisher", "published", "pages"} <= applied.edited
    assert "publisher" not in err  # nothing the source had was left out


def test_a_failing_source_never_blocks_the_others_and_retry_asks_it_again(
    world, monkeypatch, capsys
):
    world["fake"].fail["google"] = 503
    code, out, err = run(monkeypatch, capsys, "fetch", str(world["fox"]))
    assert code == 1
    assert "openlibrary ok (1)" in out and "google refused" in out and "HTTP 503" in out
    assert "metadata retry" in err and "Traceback" not in err
    asked = dict(world["fake"].requests)
    world["fake"].fail.clear()
    code, out, err = run(monkeypatch, capsys, "retry")
    assert code == 0, err
    assert "google ok (1)" in out and "openlibrary" not in out  # only the failed source
    assert world["fake"].requests["openlibrary"] == asked["openlibrary"]
    code, out, _ = run(monkeypatch, capsys, "retry")
    assert (code, out.strip()) == (0, "No failed metadata fetches to retry.")


def test_a_rate_limit_is_waited_out_and_said_on_stderr(world, monkeypatch, capsys):
    world["fake"].refuse["openlibrary"] = [(429, "40")]
    code, out, err = run(monkeypatch, capsys, "fetch", str(world["fox"]))
    assert code == 0, err
    assert "openlibrary ok (1)" in out
    assert f"book {world['fox']}: waiting for Open Library (rate limit) — 40 s" in err


def test_without_hardcover_the_others_still_answer_and_nothing_failed(world, monkeypatch, capsys):
    world["keyring"].write_text("{}")
    code, out, err = run(monkeypatch, capsys, "fetch", str(world["fox"]))
    assert code == 0, err  # a source not set up is no failure
    assert "hardcover not connected" in out and "openlibrary ok (1)" in out
    assert out.count("Hardcover is not connected (not asked). Connect with:") == 1
    assert "failed" not in err


def test_a_book_nobody_knows_is_no_result_not_a_failure(world, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "fetch", str(world["nothing"]))
    assert code == 0, err
    assert out.count("no result") == 3
    code, out, err = run(monkeypatch, capsys, "apply", str(world["nothing"]), "--all-from",
                         "google")  # fmt: skip
    assert code == 2 and "no candidate" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["fetch", "999"], "None of those books"),
        (["show", "999"], "no book with id 999"),
        (["apply", "1", "--field", "title"], "--field NAME --from SOURCE"),
        (["apply", "1", "--field", "shoe_size", "--from", "google"], "no candidate"),
    ],
)
def test_wrong_input_is_one_clear_line(world, monkeypatch, capsys, args, words):
    code, _, err = run(monkeypatch, capsys, *args)
    assert code == 2 and words in err and "Traceback" not in err


def test_a_field_that_does_not_exist_is_named(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "fetch", str(world["fox"]))
    code, _, err = run(monkeypatch, capsys, "apply", str(world["fox"]), "--field", "shoe_size",
                       "--from", "google")  # fmt: skip
    assert code == 2 and "There is no field 'shoe_size'" in err


def test_best_takes_each_empty_field_from_the_source_the_rule_picks(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "fetch", str(world["fox"]))
    code, out, err = run(monkeypatch, capsys, "apply", str(world["fox"]), "--best", "--only-empty")
    assert code == 0, err
    applied = book(world, world["fox"])
    # Every source found the book by its ISBN: Hardcover first, then Open Library for what
    # Hardcover lacks (its cover here).
    assert applied.description == "Boggis, Bunce and Bean are the meanest farmers around."
    assert applied.series == "Dahl Classics"
    assert "description (hardcover)" in out and "cover (openlibrary)" in out
    assert applied.title == "Fantastic Mr Fox"  # not empty
    assert applied.authors == ["Roald Dahl"]  # "Unknown" counts as empty


def test_best_takes_nothing_from_another_editions_record(world, monkeypatch, capsys):
    """A German book whose file carries an English edition's ISBN: Open Library and Google
    Books answer with that edition, and `--best --only-empty` takes none of its publisher,
    date, pages, cover (nor anything else): the same rule as the window's Fill Empty Fields."""
    world["fake"].add(FakeBook("9780547928227", "The Hobbit", ("J. R. R. Tolkien",),
                               publisher="Houghton Mifflin Harcourt", published="2012",
                               pages=300, cover_id=6979861))  # fmt: skip
    open_database(world["paths"].db_file)
    hobbit = add_book("Der Hobbit", ["J. R. R. Tolkien"], isbn13="9780547928227", language="de")
    close_database()
    run(monkeypatch, capsys, "fetch", str(hobbit.id))
    code, out, err = run(monkeypatch, capsys, "apply", str(hobbit.id), "--best", "--only-empty")
    assert code == 1 and "Nothing to apply" in out
    why = "Open Library: another edition: English, not German"
    assert f"Not applied: publisher ({why})" in err.splitlines()
    applied = book(world, hobbit.id)
    assert (applied.publisher, applied.published, applied.pages, applied.cover_path) == (None,) * 4


def second_fox(world) -> int:
    """Another copy of the book the sources know (an EPUB and a PDF imported apart)."""
    open_database(world["paths"].db_file)
    other = add_book("Fantastic Mr Fox", ["Unknown"], isbn13=FOX_ISBN).id
    close_database()
    return other


def test_show_takes_several_books_and_all(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "fetch", str(world["fox"]), str(world["nothing"]))
    code, out, _ = run(monkeypatch, capsys, "show", str(world["fox"]), "999", "--json")
    assert code == 1  # one of them is not in the library: said, the other still shown
    shown = json.loads(out)
    assert [(r["id"], r["ok"]) for r in shown] == [(world["fox"], True), (999, False)]
    assert shown[0]["candidates"]["title"] == "Fantastic Mr Fox"
    assert "no book with id 999" in shown[1]["error"]
    code, out, _ = run(monkeypatch, capsys, "show", "--all")
    assert code == 0
    assert f"Book {world['fox']}: Fantastic Mr Fox" in out
    assert f"Book {world['nothing']}: A Book Nobody Has" in out
    code, out, _ = run(monkeypatch, capsys, "show", "--where", "status=unread", "--json")
    assert sorted(r["id"] for r in json.loads(out)) == sorted([world["fox"], world["nothing"]])


def test_apply_best_to_all_books_is_one_undoable_step(world, monkeypatch, capsys):
    other = second_fox(world)
    run(monkeypatch, capsys, "fetch", str(world["fox"]), str(other), str(world["nothing"]))
    code, out, err = run(monkeypatch, capsys, "apply", "--all", "--best", "--only-empty")
    assert code == 1, err  # the book nobody knows has nothing to apply: named, not fatal
    assert f"book {world['nothing']}: nothing to apply" in out
    assert "Applied to 2 of 3 books." in out
    for book_id in (world["fox"], other):
        assert book(world, book_id).series == "Dahl Classics"
    assert main(["history"]) == 0
    history = capsys.readouterr().out
    assert "Fill Empty Fields (2 books)" in history
    assert main(["undo"]) == 0
    capsys.readouterr()
    for book_id in (world["fox"], other):
        restored = book(world, book_id)
        assert (restored.series, restored.authors) == (None, ["Unknown"])


def test_apply_a_field_to_several_books_names_the_one_without_candidates(
    world, monkeypatch, capsys
):
    other = second_fox(world)
    run(monkeypatch, capsys, "fetch", str(world["fox"]), str(other))
    code, out, err = run(
        monkeypatch, capsys, "apply", str(world["fox"]), str(other), str(world["nothing"]),
        "--field", "series", "--from", "hardcover",
    )  # fmt: skip
    assert code == 1
    assert f"book {world['nothing']}: Hardcover has no candidate" in err
    assert "Applied to 2 of 3 books." in out
    assert book(world, other).series == "Dahl Classics"


def test_apply_without_books_says_how_to_name_them(world, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "apply", "--best")
    assert code == 2 and "Name the books" in err
