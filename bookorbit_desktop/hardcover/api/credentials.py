"""The Hardcover token, kept only in the operating system's keyring.

The token never goes into the database, settings, logs or the UI. The keyring backend is
injectable (tests pass their own); otherwise it is keyring's choice for this desktop, or the
one named by `PYTHON_KEYRING_BACKEND` (keyring's own switch). When no real keyring exists we
stop with an explanation of what to install instead of quietly writing the token to a file;
a person who accepts a plain-text file can say so explicitly through that same switch, and is
warned every time.
"""

from __future__ import annotations

import logging
import os

import keyring
import keyring.core
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from bookorbit_desktop.hardcover.api.errors import InvalidTokenFormatError, KeyringUnavailableError

log = logging.getLogger(__name__)

SERVICE = "bookorbit-desktop"
ACCOUNT = "hardcover-token"
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


def default_backend() -> KeyringBackend:
    """keyring's backend for this machine, honouring PYTHON_KEYRING_BACKEND."""
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


def is_usable(backend: KeyringBackend) -> bool:
    """False for keyring's "no backend" stand-ins."""
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def is_plaintext(backend: KeyringBackend) -> bool:
    kind = type(backend)
    return "plaintext" in kind.__name__.lower() or kind.__module__.startswith("keyrings.alt.file")


def backend_name(backend: KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


class TokenStore:
    """Reads, writes and forgets the Hardcover token in the keyring."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = default_backend()
        return self._backend

    def check(self) -> KeyringBackend:
        """The backend, or a KeyringUnavailableError explaining what to install."""
        backend = self.backend
        if not is_usable(backend):
            raise KeyringUnavailableError(HOW_TO_GET_A_KEYRING)
        return backend

    def insecure_warning(self) -> str | None:
        """A warning to show when the token sits in a plain file (explicit opt-in only)."""
        backend = self.backend
        if is_usable(backend) and is_plaintext(backend):
            return PLAINTEXT_WARNING.format(backend=backend_name(backend))
        return None

    def load(self) -> str | None:
        backend = self.check()
        try:
            value = backend.get_password(SERVICE, ACCOUNT)
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("read", error) from None
        return value or None

    def save(self, token: str) -> None:
        token = normalize_token(token)
        backend = self.check()
        try:
            backend.set_password(SERVICE, ACCOUNT, token)
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("save", error) from None
        warning = self.insecure_warning()
        if warning:
            log.warning(warning)

    def delete(self) -> bool:
        """Forget the token; False when none was stored."""
        backend = self.check()
        try:
            if backend.get_password(SERVICE, ACCOUNT) is None:
                return False
            backend.delete_password(SERVICE, ACCOUNT)
        except keyring.errors.PasswordDeleteError:
            return False
        except (keyring.errors.KeyringError, OSError) as error:
            raise self._failure("remove", error) from None
        return True

    def _failure(self, action: str, error: BaseException) -> KeyringUnavailableError:
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
