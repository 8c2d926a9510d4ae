"""The wireless device password, kept only in the operating system's keyring.

KOReader proves it knows the password by hashing it with a challenge, so the desktop needs the
password itself; it is never written to the library, settings or logs. Each library has its own
entry (named after its folder). The backend is injectable for tests; otherwise keyring's choice,
which honours PYTHON_KEYRING_BACKEND.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bookorbit_desktop.errors import BookOrbitError, InvalidValueError
from bookorbit_desktop.system_keyring import is_usable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "bookorbit-desktop"
NO_KEYRING = (
    "BookOrbit keeps the device password only in the system's password storage, and none is "
    "available. Install and start one (GNOME Keyring, KWallet, or KeePassXC with Secret "
    "Service), then set the password again."
)


class DevicePasswordError(BookOrbitError):
    title = "Device password"


class DevicePasswordStore:
    """Reads and writes one library's device password."""

    def __init__(self, data_dir: Path, backend: KeyringBackend | None = None) -> None:
        self._account = f"device-password:{Path(data_dir).expanduser().resolve()}"
        self._backend = backend

    def _checked(self) -> KeyringBackend:
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        if not is_usable(self._backend):
            raise DevicePasswordError(NO_KEYRING)
        return self._backend

    def load(self) -> str | None:
        import keyring.errors

        try:
            return self._checked().get_password(SERVICE, self._account) or None
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("read", error) from None

    def save(self, password: str) -> None:
        if not password or not password.strip():
            raise InvalidValueError("The password is empty. Give the password KOReader will use.")
        import keyring.errors

        try:
            self._checked().set_password(SERVICE, self._account, password)
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("save", error) from None

    def _failure(self, action: str, error: BaseException) -> DevicePasswordError:
        log.warning("keyring %s failed: %s", action, type(error).__name__)
        return DevicePasswordError(
            f"The system keyring refused to {action} the device password "
            f"({type(error).__name__}). Unlock the keyring and try again. {NO_KEYRING}"
        )
