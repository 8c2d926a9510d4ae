"""The operating system's keyring, as every secret the app keeps (the Hardcover token, the
wireless device password) is stored in it.

keyring finds its backends through the installed packages' entry points, which takes about
60 ms: it is loaded when a secret is first needed, never with the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


def is_usable(backend: KeyringBackend) -> bool:
    """False for keyring's "no backend" stand-ins (nothing would be kept)."""
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)
