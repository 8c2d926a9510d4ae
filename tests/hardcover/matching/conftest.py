"""The sync tests' world (a library and the loopback Hardcover wired to a sync engine), for the
matching actions whose effect shows only after a sync (Remove Entry)."""

from tests.hardcover.sync.conftest import world  # noqa: F401  (a fixture)
