"""The Hardcover token, kept only in the operating system's keyring.

The token never goes into the database, settings, logs or the UI. Each library has its own
keyring entry, named after the library's folder, so a second library (`--data-dir`) never
uses the token another one was connected with. The single entry earlier versions kept for
every library belongs to the default library: it moves to that library's entry the first
time the default library reads its token.

For headless use a token can instead come from `BOOKORBIT_HARDCOVER_TOKEN` or a file named
on the command line (`SuppliedToken`): read when needed, never saved, never logged.

The keyring backend is
injectable (tests pass their own); otherwise it is keyring's choice for this desktop, or the
one named by `PYTHON_KEYRING_BACKEND` (keyring's own switch). When no real keyring exists we
stop with an explanation of what to install instead of quietly writing the token to a file;
a person who accepts a plain-text file can say so explicitly through that same switch, and is
warned every time.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bookorbit_desktop.config import default_paths, resolve_paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.errors import (
    InvalidTokenFormatError,
    KeyringUnavailableError,
    NoKeyringError,
)
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.system_keyring import is_usable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "bookorbit-desktop"
LEGACY_ACCOUNT = "hardcover-token"  # one entry for every library, before entries per library
TOKEN_ENV = "BOOKORBIT_HARDCOVER_TOKEN"
BACKEND_ENV = "PYTHON_KEYRING_BACKEND"

HOW_TO_GET_A_KEYRING = (
    "BookOrbit keeps the Hardcover token only in the system's password storage, and none is "
    "available. Install and start one: GNOME Keyring (package gnome-keyring) or KWallet on "
    "Linux desktops, or any Secret Service provider such as KeePassXC with Secret Service "
    "enabled. On a Linux machine without a desktop session, run BookOrbit inside "
    "`dbus-run-session` after unlocking a keyring with "
    "`echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets`. "
    "If you accept keeping the token in a plain-text file instead, install the keyrings.alt "
    "package and set PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring."
)
PLAINTEXT_WARNING = (
    "The Hardcover token is stored by {backend}, which keeps it in a plain file that other "
    "programs running as you can read. Prefer the system keyring when one is available."
)


def normalize_token(raw: str) -> str:
    """The bare token from what a person pasted: no surrounding space, no "Bearer " prefix."""
    token = raw.strip()
    while token[:6].lower() == "bearer" and (len(token) == 6 or token[6].isspace()):
        token = token[6:].strip()
    if not token:
        raise InvalidTokenFormatError(
            "The token is empty. Copy the whole token from Hardcover's API page and paste it again."
        )
    if any(ch.isspace() for ch in token) or not token.isprintable():
        raise InvalidTokenFormatError(
            "The token contains spaces or line breaks, so it was probably not copied whole. "
            "Copy it again from Hardcover's API page."
        )
    return token


def library_account(data_dir: Path) -> str:
    """The keyring entry (its "username") of the library kept in `data_dir`."""
    return f"{LEGACY_ACCOUNT}:{Path(data_dir).expanduser().resolve()}"


def open_library_dir() -> Path:
    """The folder of the library this process has open (else the one it is set up for)."""
    opened = database.obj
    if opened is not None and opened.database not in ("", ":memory:"):
        return Path(opened.database).parent
    return resolve_paths().data_dir


@dataclass(frozen=True)
class SuppliedToken:
    """A token given for this run only (environment or file): never saved, never logged."""

    token: str
    source: str  # where it came from, for status output: never the token itself

    def __repr__(self) -> str:
        return f"SuppliedToken(source={self.source!r})"


def supplied_token(token_file: str | os.PathLike[str] | None = None) -> SuppliedToken | None:
    """The token from `token_file`, else from BOOKORBIT_HARDCOVER_TOKEN, else None."""
    if token_file is not None:
        path = Path(token_file).expanduser()
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidValueError(
                f"The token file {path} could not be read ({type(error).__name__}). Name a "
                "readable text file that holds only the Hardcover token."
            ) from None
        return SuppliedToken(normalize_token(raw), f"token file {path}")
    from_env = os.environ.get(TOKEN_ENV)
    if from_env is None or not from_env.strip():
        return None
    return SuppliedToken(normalize_token(from_env), TOKEN_ENV)


def default_backend() -> KeyringBackend:
    """keyring's backend for this machine, honouring PYTHON_KEYRING_BACKEND."""
    import keyring.core

    name = os.environ.get(BACKEND_ENV, "").strip()
    if name:
        try:
            return keyring.core.load_keyring(name)
        except Exception as error:  # keyring raises whatever the import or constructor raised
            raise KeyringUnavailableError(
                f"The password storage named in {BACKEND_ENV} ({name}) could not be loaded "
                f"({type(error).__name__}). Fix or unset {BACKEND_ENV}."
            ) from None
    return keyring.get_keyring()


def is_plaintext(backend: KeyringBackend) -> bool:
    kind = type(backend)
    return "plaintext" in kind.__name__.lower() or kind.__module__.startswith("keyrings.alt.file")


def backend_name(backend: KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


class TokenStore:
    """Reads, writes and forgets one library's Hardcover token in the keyring.

    `data_dir` names the library; by default it is the library this process has open.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, data_dir: Path | None = None):
        self._backend = backend
        self._data_dir = data_dir

    @property
    def data_dir(self) -> Path:
        return self._data_dir if self._data_dir is not None else open_library_dir()

    @property
    def account(self) -> str:
        return library_account(self.data_dir)

    def _is_default_library(self) -> bool:
        return self.data_dir.resolve() == default_paths().data_dir.resolve()

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = default_backend()
        return self._backend

    def check(self) -> KeyringBackend:
        """The backend, or a NoKeyringError (a KeyringUnavailableError) explaining what to
        install."""
        backend = self.backend
        if not is_usable(backend):
            raise NoKeyringError(HOW_TO_GET_A_KEYRING)
        return backend

    def insecure_warning(self) -> str | None:
        """A warning to show when the token sits in a plain file (explicit opt-in only)."""
        backend = self.backend
        if is_usable(backend) and is_plaintext(backend):
            return PLAINTEXT_WARNING.format(backend=backend_name(backend))
        return None

    def load(self) -> str | None:
        import keyring.errors

        backend = self.check()
        try:
            value = backend.get_password(SERVICE, self.account)
            if not value and self._is_default_library():
                value = self._adopt_legacy(backend)
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("read", error) from None
        return value or None

    def _adopt_legacy(self, backend: KeyringBackend) -> str | None:
        """Move the entry shared by every library (earlier versions) to the default
        library's own entry; other libraries never read it."""
        import keyring.errors

        value = backend.get_password(SERVICE, LEGACY_ACCOUNT)
        if value:
            backend.set_password(SERVICE, self.account, value)
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(SERVICE, LEGACY_ACCOUNT)  # gone meanwhile: fine
            log.info("The saved Hardcover token now belongs to the default library only")
        return value

    def save(self, token: str) -> None:
        import keyring.errors

        token = normalize_token(token)
        backend = self.check()
        try:
            backend.set_password(SERVICE, self.account, token)
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("save", error) from None
        warning = self.insecure_warning()
        if warning:
            log.warning(warning)

    def delete(self) -> bool:
        """Forget the token; False when none was stored."""
        import keyring.errors

        backend = self.check()
        accounts = [self.account]
        if self._is_default_library():
            accounts.append(LEGACY_ACCOUNT)  # not adopted yet: still this library's token
        removed = False
        try:
            for account in accounts:
                if backend.get_password(SERVICE, account) is not None:
                    backend.delete_password(SERVICE, account)
                    removed = True
        except keyring.errors.PasswordDeleteError:
            return removed
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("remove", error) from None
        return removed

    def _failure(self, action: str, error: BaseException) -> KeyringUnavailableError:
        import keyring.errors

        # The exception text can come from D-Bus and is safe to log; it never holds the token.
        log.warning("keyring %s failed: %s: %s", action, type(error).__name__, error)
        if isinstance(error, keyring.errors.KeyringLocked):
            return KeyringUnavailableError(
                f"The system keyring is locked, so BookOrbit could not {action} the Hardcover "
                "token. Unlock it (log in to the desktop session or open the keyring manager) "
                "and try again."
            )
        return KeyringUnavailableError(
            f"The system keyring refused to {action} the Hardcover token "
            f"({type(error).__name__}). {HOW_TO_GET_A_KEYRING}"
        )
