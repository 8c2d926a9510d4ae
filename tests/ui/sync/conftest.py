"""The Hardcover page's fixtures: the fake Hardcover on 127.0.0.1 and a connected controller."""

from tests.ui.hardcover.conftest import fake, hc, keyring_backend, keyring_file  # noqa: F401
