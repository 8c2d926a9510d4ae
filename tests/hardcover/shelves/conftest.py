"""The sync tests' world (a library and a fake Hardcover wired to a client) for the shelves."""

from __future__ import annotations

from tests.hardcover.sync.conftest import World, activities, world

__all__ = ["World", "activities", "world"]
