"""Covers for the dialogs' previews: fetched through the one door for outside fetches (https to
public addresses, or a configured source's own address), made a cover by the one cover rule,
kept in the cache, and any failure is no cover rather than an error."""

from __future__ import annotations

import io

import pytest
from aioresponses import aioresponses
from PIL import Image

from bookorbit_desktop.hardcover.api.client import ENDPOINT_ENV
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import COVER_PNG, FakeHardcover
from tests.library.books import jpeg


@pytest.fixture
async def fake(monkeypatch):
    async with FakeHardcover(Catalog(), clock=SystemClock()) as served:
        monkeypatch.setenv(ENDPOINT_ENV, served.url)
        yield served


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_a_cover_is_fetched_once_then_read_from_the_cache(tmp_path, monkeypatch):
    covers = RemoteCovers(tmp_path / "covers")
    async with FakeHardcover(Catalog(), clock=SystemClock()) as fake:
        monkeypatch.setenv(ENDPOINT_ENV, fake.url)
        url = fake.cover_url("dune.png")
        cover = await covers.fetch(url)
    assert cover is not None
    assert decoded(cover).format == "JPEG"  # made a cover by the one rule, not kept as sent
    assert decoded(cover).size == decoded(COVER_PNG).size
    assert await covers.fetch(url) == cover  # the fake is gone: from the cache
    assert [p.suffix for p in (tmp_path / "covers").iterdir()] == [".jpg"]


async def test_missing_or_non_image_answers_give_no_cover(tmp_path, fake):
    covers = RemoteCovers(tmp_path / "covers")
    assert await covers.fetch(fake.cover_url("missing.png")) is None  # 404
    assert await covers.fetch(fake.cover_url("notes.txt")) is None  # 404 as well
    assert await covers.fetch(fake.url) is None  # the GraphQL endpoint: not an image
    assert not (tmp_path / "covers").exists()


async def test_nobody_listening_or_an_address_not_configured_gives_no_cover(tmp_path, fake):
    covers = RemoteCovers(tmp_path / "covers")
    port = int(fake.url.split(":")[2].split("/")[0])
    assert await covers.fetch(f"http://127.0.0.1:{port + 1}/covers/a.png") is None
    assert await covers.fetch("http://192.168.1.20/covers/a.png") is None
    assert await covers.fetch("file:///etc/passwd") is None
    assert not (tmp_path / "covers").exists()


async def test_an_image_cut_short_is_neither_shown_nor_kept(tmp_path):
    url = "https://assets.hardcover.app/edition/1/cover.jpg"
    covers = RemoteCovers(tmp_path / "covers")
    with aioresponses() as mock:
        mock.get(url, body=jpeg(300, 450)[:-2], content_type="image/jpeg")
        assert await covers.fetch(url) is None
    assert not (tmp_path / "covers").exists()


async def test_an_unwritable_cache_still_gives_the_cover(tmp_path, fake):
    blocked = tmp_path / "covers"
    blocked.write_text("a file where the folder should be")
    cover = await RemoteCovers(blocked).fetch(fake.cover_url("dune.png"))
    assert cover is not None and decoded(cover).format == "JPEG"
