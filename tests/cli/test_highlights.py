"""`bookorbit-desktop highlights ...` through the real command line entry point."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book, make_epub
from tests.library.highlights.sidecars import current_table, legacy_table, write_sidecar
from tests.logging_support import restore_root_logger  # noqa: F401


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    open_database(resolve_paths(folder).db_file)
    yield folder
    close_database()


def run(data_dir, *args: str) -> int:
    close_database()
    try:
        return main(["--data-dir", str(data_dir), *args])
    finally:
        open_database(resolve_paths(data_dir).db_file)


def _local(text: str) -> str:
    moment = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").astimezone(dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def test_import_list_export_and_decide(data_dir, tmp_path, capsys):
    dune_file = make_epub(tmp_path / "lib" / "dune.epub", "Dune", ["Frank Herbert"])
    dune = add_book("Dune", ["Frank Herbert"], file=dune_file, status="reading")
    device = tmp_path / "reader"
    write_sidecar(device / "dune.epub", current_table(dune.files[0].partial_md5))
    write_sidecar(device / "emma.epub", legacy_table(None))
    assert run(data_dir, "highlights", "import", str(device)) == 0
    out = capsys.readouterr().out
    assert "Dune: 2 new, 0 updated, 0 unchanged (book 1)" in out
    assert "Emma: 2 new, 0 updated, 0 unchanged (waiting for you to pick its book)" in out
    assert "highlights proposals" in out

    assert run(data_dir, "highlights", str(dune.id), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "book_id": dune.id,
        "text": "Fear is the mind-killer.",
        "note": "",
        "chapter": "Book One",
        "page": "12",
        "created": _local("2024-03-01 20:15:00"),
        "updated": rows[0]["updated"],
    }
    assert rows[1]["updated"] == _local("2024-03-03 09:00:00")

    assert run(data_dir, "highlights", str(dune.id), "--markdown") == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Dune\n\n*Frank Herbert*\n\n## Book One\n\n> Fear is")
    assert "Not in the book, actually." in markdown

    assert run(data_dir, "highlights", "search", "spice") == 0
    assert "The spice must flow." in capsys.readouterr().out

    assert run(data_dir, "highlights", "waiting") == 0
    assert "1. Emma by Jane Austen: 2 highlights" in capsys.readouterr().out
    emma = add_book("Emma", ["Jane Austen"])
    assert run(data_dir, "highlights", "link", "1", str(emma.id)) == 0
    assert "2 highlights added" in capsys.readouterr().out

    assert run(data_dir, "highlights", "proposals") == 0
    out = capsys.readouterr().out
    assert "Dune: status read, rating 5" in out and "Review note: Loved it" in out
    assert ReadingState.get_by_id(dune.id).status == "reading"
    assert run(data_dir, "highlights", "apply", "1") == 2  # when was it finished?
    assert "--finished today" in capsys.readouterr().err
    assert ReadingState.get_by_id(dune.id).status == "reading"
    assert run(data_dir, "highlights", "apply", "1", "--finished", "2026-11-20") == 0
    state = ReadingState.get_by_id(dune.id)
    assert (state.status, state.finished, state.finished_source) == ("read", "2026-11-20", "user")


def test_bad_input_is_one_clear_line(data_dir, tmp_path, capsys):
    assert run(data_dir, "highlights", "import", str(tmp_path / "none")) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert run(data_dir, "highlights", "99", "--json") == 2
    assert "There is no book with id 99" in capsys.readouterr().err
    assert run(data_dir, "highlights", "link", "x", "1") == 2
    assert "N must be a number" in capsys.readouterr().err
    assert run(data_dir, "highlights", "--markdown") == 2
    assert run(data_dir, "highlights", "apply", "5") == 2
    assert "no proposal 5" in capsys.readouterr().err


def test_an_unreadable_sidecar_is_named_and_the_rest_imports(data_dir, tmp_path, capsys):
    add_book("Dune", ["Frank Herbert"])
    device = tmp_path / "reader"
    write_sidecar(device / "dune.epub", current_table(None))
    bad = device / "bad.sdr" / "metadata.epub.lua"
    bad.parent.mkdir()
    bad.write_text("return { ['x'] = ", encoding="utf-8")
    assert run(data_dir, "highlights", "import", str(device)) == 1
    out = capsys.readouterr().out
    assert "Skipped (unreadable):" in out and "bad.sdr" in out
    assert "Dune: 2 new" in out


def test_the_receiver_is_switched_on_and_off_with_its_port_and_secret(data_dir, capsys):
    from bookorbit_desktop.library.store.settings import get_setting

    assert get_setting("highlights.receiver") is False  # off until the user switches it on
    assert run(data_dir, "highlights", "receiver", "on") == 0
    assert "Highlights receiver: on, port 8080, no pairing secret." in capsys.readouterr().out
    assert run(data_dir, "highlights", "receiver", "port", "8081") == 0
    secret = "abc123def456ghi789jk"
    assert run(data_dir, "highlights", "receiver", "secret", secret) == 0
    assert "on, port 8081, with a pairing secret." in capsys.readouterr().out
    assert (get_setting("highlights.port"), get_setting("highlights.secret")) == (8081, secret)
    assert run(data_dir, "highlights", "receiver", "secret", "a:b") == 2
    assert run(data_dir, "highlights", "receiver", "secret", "abc123") == 2  # too short
    assert run(data_dir, "highlights", "receiver", "secret", "new") == 0
    made = get_setting("highlights.secret")
    assert len(made) == 24 and made in capsys.readouterr().out
    assert run(data_dir, "highlights", "receiver", "secret", "none") == 0
    assert "on, port 8081, no pairing secret." in capsys.readouterr().out
    assert get_setting("highlights.secret") is None
    assert run(data_dir, "highlights", "receiver", "port", "70000") == 2
    assert run(data_dir, "highlights", "receiver", "sideways") == 2
    assert run(data_dir, "highlights", "receiver", "off") == 0
    assert get_setting("highlights.receiver") is False


@pytest.mark.parametrize(
    ("port", "secret", "expected"),
    [
        (8080, None, ["192.168.1.20"]),
        (8081, None, ["192.168.1.20:8081/send#"]),
        (8080, "abc", ["192.168.1.20:8080/send?k=abc"]),
    ],
)
def test_what_to_type_into_koreader(port, secret, expected):
    from bookorbit_desktop.services.highlights.service import exporter_addresses

    assert exporter_addresses(["192.168.1.20"], port, secret) == expected
