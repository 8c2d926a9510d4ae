"""Custom columns through the real command line on a real library: `books columns` lists, adds,
renames and deletes them, `books edit ID --set '#label=value'` sets values checked per kind,
`books --search '#label:…'` finds them, and `undo` takes each back."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def found(tmp_path, capsys, search: str) -> list[str]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json", "--search", search) == 0
    return sorted(book["title"] for book in json.loads(capsys.readouterr().out))


@pytest.fixture
def imported(tmp_path, capsys):
    for name, title in (("a", "Dune"), ("b", "Emma"), ("c", "Ulysses")):
        make_epub(tmp_path / "books" / f"{name}.epub", title, ("Ann Author",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"]: str(book["id"]) for book in json.loads(capsys.readouterr().out)}


def test_columns_are_added_listed_renamed_and_deleted(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns") == 0
    assert "No custom column yet" in capsys.readouterr().out
    assert run(tmp_path, "books", "columns", "add", "Shelf Place", "--kind", "list",
               "--values", "Desk,Attic") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("Added the column “Shelf Place” (list), searched as #shelf_place.")
    assert run(tmp_path, "books", "columns", "add", "Weight", "--kind", "number") == 0
    assert run(tmp_path, "books", "edit", imported["Emma"], "--set", "#shelf_place=desk") == 0
    capsys.readouterr()

    assert run(tmp_path, "books", "columns") == 0
    assert capsys.readouterr().out.splitlines() == [
        "#shelf_place  Shelf Place  list (Desk, Attic)  1 book",
        "#weight  Weight  number  0 books",
        "2 custom columns.",
    ]
    assert run(tmp_path, "books", "columns", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["label"], c["kind"], c["choices"], c["books"]) for c in listed] == [
        ("shelf_place", "list", ["Desk", "Attic"], 1),
        ("weight", "number", [], 0),
    ]

    assert run(tmp_path, "books", "columns", "rename", "#shelf_place", "Where") == 0
    assert found(tmp_path, capsys, "#where:desk") == ["Emma"]
    assert run(tmp_path, "books", "columns", "delete", "where") == 0
    assert "values of 1 book" in capsys.readouterr().out
    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#where:=Desk") == ["Emma"]


def test_values_are_set_checked_searched_and_undone(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns", "add", "Weight", "--kind", "number") == 0
    assert run(tmp_path, "books", "columns", "add", "Lent", "--kind", "yes-no") == 0
    dune, emma = imported["Dune"], imported["Emma"]
    capsys.readouterr()
    assert (
        run(tmp_path, "books", "edit", dune, emma, "--set", "#weight=3", "--set", "lent=yes") == 0
    )
    assert f"Saved the Weight and Lent of 2 books: {dune}, {emma}." in capsys.readouterr().out
    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=12.5") == 0
    assert found(tmp_path, capsys, "#weight:>5") == ["Emma"]
    assert found(tmp_path, capsys, "#lent:true and #weight:<5") == ["Dune"]
    assert found(tmp_path, capsys, '#weight:""') == ["Ulysses"]

    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=heavy") == 2
    assert "Weight takes a number, not “heavy”." in capsys.readouterr().err
    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=1", "--title", "E") == 0
    assert "Saved the title and Weight of book" in capsys.readouterr().out
    assert found(tmp_path, capsys, "#weight:1") == ["E"]
    assert run(tmp_path, "undo") == 0  # the title and the value together
    assert found(tmp_path, capsys, "#weight:>5") == ["Emma"]

    assert run(tmp_path, "book", dune) == 0
    assert "  #lent: yes\n  #weight: 3\n" in capsys.readouterr().out
    assert run(tmp_path, "book", dune, "--json") == 0
    assert json.loads(capsys.readouterr().out)["custom"] == {"lent": True, "weight": 3}

    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#weight:>5") == []
    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#lent:true") == []


def test_a_built_in_fields_name_without_the_hash_is_refused(tmp_path, capsys, imported):
    """calibre's page-count column sits beside the library's own Pages: `--set pages=…` would
    leave the user's intent unsaid, so only `#pages` names the custom one."""
    assert run(tmp_path, "books", "columns", "add", "Pages", "--kind", "number") == 0
    dune = imported["Dune"]
    capsys.readouterr()
    assert run(tmp_path, "books", "edit", dune, "--set", "pages=999") == 2
    assert "“pages” is one of the library's own fields, not a custom column" in (
        capsys.readouterr().err
    )
    assert run(tmp_path, "books", "edit", dune, "--set", "#pages=999") == 0
    assert found(tmp_path, capsys, "#pages:999") == ["Dune"]
    assert found(tmp_path, capsys, "pages:999") == []  # the library's own stays unset


def test_a_wrong_kind_is_refused(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns", "add", "Colour", "--kind", "colour") == 2
    assert "There is no kind 'colour'. Use one of: text, long-text" in capsys.readouterr().err
