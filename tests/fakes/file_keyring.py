"""A keyring backend for tests: a JSON file, chosen with PYTHON_KEYRING_BACKEND.

`PYTHON_KEYRING_BACKEND=tests.fakes.file_keyring.FileKeyring` plus
`BOOKORBIT_TEST_KEYRING_FILE=/tmp/x.json` lets the CLI (in-process or a child process) keep
its token somewhere a test can inspect, without touching the real keyring.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

FILE_ENV = "BOOKORBIT_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self._path = path

    @property
    def path(self) -> Path:
        return self._path or Path(os.environ[FILE_ENV])

    def _read(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("not found")
        self.path.write_text(json.dumps(data))


class LockedKeyring(KeyringBackend):
    """A keyring whose collection stays locked (as when nobody logged in to the desktop)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("collection is locked")


class CountingKeyring(FileKeyring):
    """A FileKeyring that records each call with the thread it ran on.

    `hold_next()` makes the next read wait, after it has read the value, until `release()`:
    a keyring that answers late (a D-Bus reply, an unlock prompt the user has not answered).
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls: list[tuple[str, int]] = []
        self.waiting = threading.Event()  # set once a held read has read and waits
        self._released = threading.Event()
        self._hold_next = False
        self.locked = False  # refuse every call, as a locked collection does

    @property
    def threads(self) -> set[int]:
        return {thread for _name, thread in self.calls}

    def hold_next(self) -> None:
        self._hold_next = True

    def release(self) -> None:
        self._released.set()

    def _check_lock(self) -> None:
        if self.locked:
            raise KeyringLocked("collection is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", threading.get_ident()))
        self._check_lock()
        value = super().get_password(service, username)
        if self._hold_next:
            self._hold_next = False
            self.waiting.set()
            self._released.wait(timeout=10)
        return value

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", threading.get_ident()))
        self._check_lock()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", threading.get_ident()))
        self._check_lock()
        super().delete_password(service, username)
