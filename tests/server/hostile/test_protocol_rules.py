"""What a device may send: a percentage outside 0..1, a user name with NUL or a line break, and
registration tried with guessed names, against a real `serve` process (and the real CLI and
settings service for the names)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.services import settings as settings_service
from tests.server.hostile.support import (
    KEY,
    USER,
    exchange,
    http_request,
    prepare_library,
    serving,
)
from tests.server.hostile.test_data_folder import cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses a real serve process")

AUTH = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}


def send(port: int, method: str, path: str, body: object = None, headers=None):
    raw = http_request(
        method, path, headers or AUTH, b"" if body is None else json.dumps(body).encode()
    )
    status, answer, _seconds = asyncio.run(exchange(port, raw))
    return status, json.loads(answer) if answer else None


def test_a_percentage_outside_0_to_1_is_refused_and_changes_nothing(tmp_path):
    with serving(prepare_library(tmp_path / "data")) as served:
        ok = {"document": "doc", "percentage": 0.4, "progress": "p", "device": "kobo"}
        assert send(served.port, "PUT", "/kosync/syncs/progress", ok)[0] == 200
        for wrong in (5, -1, "1.5", 1.0000001):
            status, answer = send(
                served.port, "PUT", "/kosync/syncs/progress", {**ok, "percentage": wrong}
            )
            assert (status, answer) == (403, {"code": 2003, "message": "Invalid request"})
        status, pulled = send(served.port, "GET", "/kosync/syncs/progress/doc")
    assert status == 200 and pulled["percentage"] == 0.4  # nobody is handed 5 or -1


def test_once_an_account_exists_registration_answers_the_same_for_every_name(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    assert cli(data_dir, "kosync", "allow-registration", "on").returncode == 0
    with serving(data_dir) as served:
        answers = {
            name: send(
                served.port,
                "POST",
                "/kosync/users/create",
                {"username": name, "password": KEY},
                headers={"Content-Type": "application/json"},
            )
            for name in (USER, "someone", USER.upper())
        }
    assert len({json.dumps(answer) for answer in answers.values()}) == 1, answers
    assert answers[USER] == (402, {"code": 2005, "message": "User registration is disabled."})


@pytest.mark.parametrize("name", ["ali\x00ce", "ali\nce", "a\rb", "tab\there"])
def test_a_user_name_with_a_control_character_is_refused_everywhere(tmp_path, name):
    data_dir = prepare_library(tmp_path / "data", account=False)
    assert cli(data_dir, "kosync", "allow-registration", "on").returncode == 0
    with serving(data_dir) as served:
        status, answer = send(
            served.port,
            "POST",
            "/kosync/users/create",
            {"username": name, "password": KEY},
            headers={"Content-Type": "application/json"},
        )
    assert (status, answer) == (403, {"code": 2003, "message": "Invalid request"})
    if "\x00" not in name:  # a NUL cannot be passed on a command line at all
        result = cli(data_dir, "kosync", "set-user", name, "--password-stdin")
        assert result.returncode == 2
        assert "must not contain control characters such as NUL" in result.stderr
    paths = resolve_paths(data_dir)
    open_database(paths.db_file)  # the window saves through the settings service
    try:
        wanted = dataclasses.replace(settings_service.load_settings(), username=name)
        with pytest.raises(InvalidValueError, match="control characters such as NUL"):
            settings_service.save_settings(wanted, "a password")
        assert settings_service.load_settings().username is None
    finally:
        close_database()
