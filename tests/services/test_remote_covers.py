"""Hardcover covers for the Pick dialog: fetched from https (or loopback) only, kept in the
cache, and any failure is no cover rather than an error."""

from __future__ import annotations

import pytest

from bookorbit_desktop.services.remote_covers import RemoteCovers, may_fetch
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import COVER_PNG, FakeHardcover


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://assets.hardcover.app/edition/1/cover.jpg", True),
        ("http://assets.hardcover.app/edition/1/cover.jpg", False),  # never in clear
        ("http://127.0.0.1:8080/covers/a.png", True),
        ("http://localhost/covers/a.png", True),
        ("http://192.168.1.20/covers/a.png", False),
        ("file:///etc/passwd", False),
        ("https:///no-host", False),
        ("", False),
    ],
)
def test_which_addresses_are_fetched(url, allowed):
    assert may_fetch(url) is allowed


async def test_a_cover_is_fetched_once_then_read_from_the_cache(tmp_path):
    covers = RemoteCovers(tmp_path / "covers")
    async with FakeHardcover(Catalog(), clock=SystemClock()) as fake:
        url = fake.cover_url("dune.png")
        assert await covers.fetch(url) == COVER_PNG
    assert await covers.fetch(url) == COVER_PNG  # the fake is gone: from the cache
    assert [p.suffix for p in (tmp_path / "covers").iterdir()] == [".img"]


async def test_missing_or_non_image_answers_give_no_cover(tmp_path):
    covers = RemoteCovers(tmp_path / "covers")
    async with FakeHardcover(Catalog(), clock=SystemClock()) as fake:
        assert await covers.fetch(fake.cover_url("missing.png")) is None  # 404
        assert await covers.fetch(fake.cover_url("notes.txt")) is None  # 404 as well
        assert await covers.fetch(fake.url) is None  # the GraphQL endpoint: not an image
    assert await covers.fetch(fake.cover_url("gone.png")) is None  # nobody listening
    assert not (tmp_path / "covers").exists()


async def test_an_unwritable_cache_still_gives_the_cover(tmp_path):
    blocked = tmp_path / "covers"
    blocked.write_text("a file where the folder should be")
    async with FakeHardcover(Catalog(), clock=SystemClock()) as fake:
        assert await RemoteCovers(blocked).fetch(fake.cover_url("dune.png")) == COVER_PNG
