"""`bookorbit-desktop hardcover connect|disconnect|status|search` against the fake Hardcover."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.hardcover.api.credentials import library_account
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    catalog.add_book(
        "The Left Hand of Darkness",
        authors=["Ursula K. Le Guin"],
        release_year=1969,
        users_count=4321,
    )
    catalog.add_book("The Dispossessed", authors=["Ursula K. Le Guin"], users_count=3000)
    keyring_file = tmp_path / "keyring.json"
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as server:
        env = {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
            "BOOKORBIT_HARDCOVER_URL": server.url,
            "BOOKORBIT_DATA_DIR": str(tmp_path / "data"),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield {
            "server": server,
            "token": token,
            "keyring": keyring_file,
            "env": env,
            "data_dir": tmp_path / "data",
        }


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["hardcover", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_connect_status_search_disconnect(world, monkeypatch, capsys):
    token = world["token"]
    code, out, _ = run(monkeypatch, capsys, "connect", "--token-stdin", stdin=f"Bearer {token}\n")
    assert (code, out.strip()) == (0, "Connected to Hardcover as reader.")
    entry = f"bookorbit-desktop/{library_account(world['data_dir'])}"
    assert json.loads(world["keyring"].read_text()) == {entry: token}

    code, out, _ = run(monkeypatch, capsys, "search", "left", "hand")
    assert code == 0
    lines = out.splitlines()
    assert "The Left Hand of Darkness — Ursula K. Le Guin" in lines[1]
    assert "4,321" in lines[1] and "1969" in lines[1]

    code, out, _ = run(monkeypatch, capsys, "search", "le guin", "--json")
    candidates = json.loads(out)["candidates"]
    assert [c["title"] for c in candidates] == ["The Left Hand of Darkness", "The Dispossessed"]
    assert candidates[0]["readers"] == 4321 and candidates[0]["id"] > 0

    code, out, _ = run(monkeypatch, capsys, "status", "--json")
    status = json.loads(out)
    assert status["connected"] and status["username"] == "reader"
    assert status["token_problem"] is None  # status asked Hardcover (one more request)
    assert status["budget"]["daily_remaining"] == 4991  # connect also tried 5 scopes
    assert status["token"]["missing"] == ["read:journal"]  # the fake token's scopes
    assert status["sync"]["pending"] == 0

    code, out, _ = run(monkeypatch, capsys, "status")
    assert "connected as reader" in out and "4,990 of 5,000" in out

    code, out, _ = run(monkeypatch, capsys, "disconnect")
    assert code == 0 and "removed" in out
    assert json.loads(world["keyring"].read_text()) == {}
    code, out, _ = run(monkeypatch, capsys, "status")
    assert "not connected" in out and "account/api/keys/new" in out

    captured = "".join(r.query + json.dumps(r.variables) for r in world["server"].requests)
    assert token not in captured  # sent only in the Authorization header


def test_expires_enters_changes_and_clears_the_saved_tokens_expiry(world, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "expires", "2031-01-31")
    assert code == 2 and "No Hardcover token is saved" in err
    stdin = world["token"]
    run(monkeypatch, capsys, "connect", "--token-stdin", "--expires", "2031-01-15", stdin=stdin)
    _, out, _ = run(monkeypatch, capsys, "status", "--json")
    token = json.loads(out)["token"]
    assert token["expiry_source"] == "entered"
    assert dt.datetime.fromtimestamp(token["expires_at"]).date() == dt.date(2031, 1, 15)

    code, out, _ = run(monkeypatch, capsys, "expires", "2031-01-31")
    assert (code, out.strip()) == (
        0,
        "Token expires on 2031-01-31: you are warned from a week before.",
    )
    _, out, _ = run(monkeypatch, capsys, "status")
    assert "Token: personal access token, expires 2031-01-31" in out
    code, _, err = run(monkeypatch, capsys, "expires", "someday")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(monkeypatch, capsys, "expires")
    assert code == 2 and "--clear" in err

    code, out, _ = run(monkeypatch, capsys, "expires", "--clear")
    assert code == 0 and "cleared" in out
    _, out, _ = run(monkeypatch, capsys, "status")
    assert "Token: personal access token, expiry unknown: enter the date" in out


def test_revoked_token_fails_clearly_and_pauses_sync(world, monkeypatch, capsys):
    run(monkeypatch, capsys, "connect", "--token-stdin", stdin=world["token"])
    world["server"].catalog.revoke_token(world["token"])
    code, out, err = run(monkeypatch, capsys, "search", "darkness")
    assert code == 2
    assert "Hardcover token expired or revoked" in err
    assert "Traceback" not in err and world["token"] not in err
    _, out, _ = run(monkeypatch, capsys, "status")
    assert "Sync: paused" in out


def test_connect_with_a_bad_token_saves_nothing(world, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "connect", "--token-stdin", stdin="hc_pat_wrong")
    assert code == 2 and "did not accept this token" in err
    assert not world["keyring"].exists() or json.loads(world["keyring"].read_text()) == {}


def test_connect_no_validate_and_search_without_connecting(world, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "search", "anything")
    assert code == 2
    code, out, _ = run(
        monkeypatch, capsys, "connect", "--token-stdin", "--no-validate", stdin="hc_pat_x"
    )
    assert code == 0 and "without checking" in out
    assert world["server"].requests == []


@pytest.mark.parametrize("stdin", ["", "   \n", "two words"])
def test_connect_refuses_garbage_on_stdin(world, monkeypatch, capsys, stdin):
    code, _, err = run(monkeypatch, capsys, "connect", "--token-stdin", stdin=stdin)
    assert code == 2 and "token" in err.lower()


def test_connect_without_stdin_flag_explains(world, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "connect")
    assert code == 2 and "--token-stdin" in err


def test_the_installed_command_works_in_a_child_process(world):
    env = {**os.environ, **world["env"], "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "hardcover", "connect", "--token-stdin"],
        input=world["token"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Connected to Hardcover as reader." in done.stdout
    assert world["token"] not in done.stdout + done.stderr


def test_status_says_when_the_token_is_refused_and_never_shows_it(world, monkeypatch, capsys):
    catalog = world["server"].catalog
    plain = "PlainShapedToken0123456789abcdefXYZ"  # neither hc_ nor a JWT
    catalog.add_token(next(iter(catalog.tables["users"])), token=plain)
    assert run(monkeypatch, capsys, "connect", "--token-stdin", stdin=plain)[0] == 0
    echo = {"error": "invalid_token", "error_description": f"token {plain} was revoked"}
    world["server"].fail_next(401, body=echo)
    code, out, err = run(monkeypatch, capsys, "status")
    assert code == 2
    assert "Hardcover refuses the token" in err and "was revoked" in err
    assert "connected as" not in out and "Hardcover: not working" in out
    log = (world["data_dir"] / "logs" / "bookorbit-desktop.log").read_text()
    assert plain not in out + err + log


def test_status_says_when_hardcover_is_unreachable(world, monkeypatch, capsys):
    assert run(monkeypatch, capsys, "connect", "--token-stdin", stdin=world["token"])[0] == 0
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("BOOKORBIT_HARDCOVER_URL", f"http://127.0.0.1:{port}/v1/graphql")
    code, out, err = run(monkeypatch, capsys, "status")
    assert code == 2
    assert "Hardcover is unreachable" in err
    assert "connected as" not in out


def test_status_counts_the_days_to_the_expiry_in_whole_days(world, monkeypatch, capsys):
    ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    stdin = world["token"]
    run(monkeypatch, capsys, "connect", "--token-stdin", "--expires", ahead, stdin=stdin)
    code, out, _ = run(monkeypatch, capsys, "status")
    assert code == 0
    assert f"The Hardcover token expires on {ahead} (in 3 days)." in out  # never "in 4 days"
