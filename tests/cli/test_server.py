"""`bookorbit-desktop serve` and `kosync ...`, run through the real command line entry point."""

from __future__ import annotations

import io
import json
import signal
import socket
import sys
from datetime import datetime

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_MANUAL, DocumentAlias, ReadingState
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server import accounts
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.server.serve_process import start_serve


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    yield folder
    close_database()


def run(data_dir, *args: str, stdin: bytes | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    return main(["--data-dir", str(data_dir), *args])


def reopen(data_dir) -> None:
    open_database(resolve_paths(data_dir).db_file)


def test_set_user_reads_the_password_from_stdin(data_dir, capsys, monkeypatch):
    code = run(
        data_dir,
        "kosync",
        "set-user",
        " reader ",
        "--password-stdin",
        stdin="pässwörd 1\n".encode(),
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert "Sync account set: reader" in capsys.readouterr().out
    reopen(data_dir)
    account = accounts.load_account()
    assert accounts.verify(account, "reader", accounts.key_for_password("pässwörd 1"))


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        (b"\n", ("--password-stdin",), "The password is empty"),
        (b"\xff\xfe\n", ("--password-stdin",), "not UTF-8"),
        (b"secret\n", (), "--password-stdin"),
    ],
)
def test_set_user_errors_are_one_clear_line(data_dir, capsys, monkeypatch, stdin, args, message):
    assert (
        run(data_dir, "kosync", "set-user", "reader", *args, stdin=stdin, monkeypatch=monkeypatch)
        == 2
    )
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_set_user_refuses_a_colon(data_dir, capsys, monkeypatch):
    assert (
        run(
            data_dir,
            "kosync",
            "set-user",
            "a:b",
            "--password-stdin",
            stdin=b"pw\n",
            monkeypatch=monkeypatch,
        )
        == 2
    )
    assert "must not contain ':'" in capsys.readouterr().err


def test_allow_registration_on_and_off(data_dir, capsys):
    assert run(data_dir, "kosync", "allow-registration", "on") == 0
    assert "Registration is on" in capsys.readouterr().out
    reopen(data_dir)
    assert get_setting("kosync.allow_registration") is True
    close_database()
    assert run(data_dir, "kosync", "allow-registration", "off") == 0
    reopen(data_dir)
    assert get_setting("kosync.allow_registration") is False


def test_status_without_an_account_says_how_to_make_one(data_dir, capsys):
    assert run(data_dir, "kosync", "status") == 0
    out = capsys.readouterr().out
    assert "Sync account: none" in out and "kosync set-user" in out
    assert "Registration from a device: off" in out and "port 8765" in out


def test_status_json(data_dir, capsys):
    reopen(data_dir)
    accounts.set_account("reader", "k")
    when = int(datetime(2026, 5, 1, 12).timestamp())
    progress.record_push(progress.Push("doc", "/p", 0.25, "Kobo", "ID"), timestamp=when)
    close_database()
    assert run(data_dir, "kosync", "status", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"] == {"username": "reader"}
    assert (data["documents"], data["pushes"], data["unlinked_documents"]) == (1, 1, 1)
    assert data["last_push"] == {
        "document": "doc",
        "device": "Kobo",
        "percentage": 0.25,
        "timestamp": when,
    }
    assert all(url.endswith(":8765/kosync") for url in data["kosync_urls"])


def test_unlinked_and_link(data_dir, capsys):
    reopen(data_dir)
    book = add_book("Leaves of Grass", ["Walt Whitman"])
    meta = progress.DocumentMetadata(title="Leaves of Grass (annotated)", authors="W. Whitman")
    when = int(datetime(2026, 5, 1, 12).timestamp())
    progress.record_push(progress.Push("a" * 32, "/p", 0.4, "Kobo", None, meta), timestamp=when)
    close_database()

    assert run(data_dir, "kosync", "unlinked") == 0
    out = capsys.readouterr().out
    assert "a" * 32 in out and "Leaves of Grass (annotated) by W. Whitman" in out
    assert "40.0 % on Kobo" in out

    assert run(data_dir, "kosync", "unlinked", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["document"], row["percentage"], row["title"]) == (
        "a" * 32,
        0.4,
        "Leaves of Grass (annotated)",
    )

    assert run(data_dir, "kosync", "link", "a" * 32, str(book.id)) == 0
    out = capsys.readouterr().out
    assert f"to book {book.id} (Leaves of Grass); 1 earlier push moved" in out
    reopen(data_dir)
    assert DocumentAlias.get(DocumentAlias.document == "a" * 32).kind == ALIAS_MANUAL
    assert ReadingState.get_by_id(book.id).status == "reading"
    close_database()
    assert run(data_dir, "kosync", "unlinked") == 0
    assert "Every synced document belongs to a book." in capsys.readouterr().out


def test_link_to_a_missing_book(data_dir, capsys):
    assert run(data_dir, "kosync", "link", "doc", "404") == 2
    err = capsys.readouterr().err
    assert "There is no book with id 404" in err and "Traceback" not in err


def test_serve_on_a_busy_port_explains_what_to_do(data_dir, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run(data_dir, "serve", "--host", "127.0.0.1", "--port", str(port)) == 2
    err = capsys.readouterr().err
    assert f"Port {port} is already in use" in err and "Traceback" not in err


def test_serve_refuses_an_impossible_port(data_dir, capsys):
    assert run(data_dir, "serve", "--port", "70000") == 2
    assert "from 1 to 65535" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_serve_prints_the_urls_to_type_and_stops_cleanly_on_sigterm(tmp_path):
    process, port = start_serve(tmp_path / "data", opds=True)
    try:
        banner = [process.stdout.readline() for _ in range(9)]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    text = "".join(banner)
    assert f"  http://127.0.0.1:{port}/kosync\n" in text
    assert f"  http://127.0.0.1:{port}/opds\n" in text
    assert f"  http://127.0.0.1:{port}/opds/v2\n" in text
    assert "Only this computer can connect" in text and "No sync account yet" in text
    assert (process.returncode, out.strip(), err) == (0, "Stopped.", "")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_stops_serve_within_5_s_during_a_long_statistics_import(tmp_path):
    import base64
    import http.client
    import time

    from tests.library.history.hostile_files import many_rows

    data_dir = tmp_path / "data"
    reopen(data_dir)
    accounts.set_account("reader", accounts.key_for_password("secret"))
    close_database()
    # Without KOReader's index every book's rows are found by reading all of them: an import
    # that would take minutes (within the import's time budget).
    upload = many_rows(tmp_path / "statistics.sqlite3", 200_000, 4_000, indexed=False)
    process, port = start_serve(data_dir)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        auth = base64.b64encode(b"reader:secret").decode()
        connection.request(
            "PUT",
            "/dav/statistics.sqlite3",
            upload.read_bytes(),
            {"Authorization": f"Basic {auth}"},
        )
        assert connection.getresponse().status == 201
        time.sleep(1.0)  # the import is under way
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        process.wait(timeout=10)
        assert time.monotonic() - started < 5.0
    finally:
        process.kill()
        out, _err = process.communicate()
    assert (process.returncode, out.strip().splitlines()[-1]) == (0, "Stopped.")  # in order
    log = "".join(path.read_text() for path in (data_dir / "logs").glob("*.log*"))
    assert "Stopped importing the reading statistics in 'webdav/statistics.sqlite3'" in log
