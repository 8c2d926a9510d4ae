"""The optional Google Books API key, kept only in the OS keyring (like the Hardcover token):
never in the database, settings, files or logs. Without a key Google Books still answers,
from a smaller shared quota. The keyring backend is injectable for tests.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.credentials import SERVICE, default_backend
from bookorbit_desktop.hardcover.api.errors import KeyringUnavailableError
from bookorbit_desktop.logging_setup import mask_secret
from bookorbit_desktop.system_keyring import is_usable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

GOOGLE_BOOKS_ACCOUNT = "google-books-api-key"


class GoogleBooksKey:
    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        backend = self._backend or default_backend()
        if not is_usable(backend):
            raise KeyringUnavailableError(
                "No system password storage is available to keep the Google Books API key. "
                "Google Books works without a key; install a keyring to keep one."
            )
        return backend

    def load(self) -> str | None:
        """The saved key; None when there is none or the keyring cannot be read (Google Books
        then answers from its shared quota)."""
        try:
            key = self._keyring().get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT)
        except Exception as error:
            log.info("No Google Books API key from the keyring: %s", type(error).__name__)
            return None
        if key:
            mask_secret(key)
        return key or None

    def save(self, key: str) -> None:
        key = key.strip()
        if not key or any(ch.isspace() for ch in key):
            raise InvalidValueError(
                "That is not a Google Books API key. Copy the key from the Google Cloud "
                "console's Credentials page."
            )
        mask_secret(key)
        import keyring.errors

        try:
            self._keyring().set_password(SERVICE, GOOGLE_BOOKS_ACCOUNT, key)
        except keyring.errors.KeyringError as error:
            raise KeyringUnavailableError(
                f"The system password storage refused to keep the key ({type(error).__name__})."
                " Unlock the keyring, then try again."
            ) from None

    def delete(self) -> bool:
        import keyring.errors

        try:
            self._keyring().delete_password(SERVICE, GOOGLE_BOOKS_ACCOUNT)
        except keyring.errors.PasswordDeleteError:
            return False
        return True
