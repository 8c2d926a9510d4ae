"""The Google Books key lives only in the keyring; a cover is applied only when it is an image
of at most 10 MB from an https address (or a configured source's own address), decoded whole."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.metadata_sources import covers, openlibrary, outside
from bookorbit_desktop.metadata_sources.covers import CoverError, download_cover
from bookorbit_desktop.metadata_sources.keys import GOOGLE_BOOKS_ACCOUNT, GoogleBooksKey
from tests.fakes.file_keyring import FileKeyring, LockedKeyring
from tests.fakes.hardcover_server import COVER_PNG
from tests.fakes.metadata_sources import FakeBookSources
from tests.library.books import jpeg


def test_the_key_is_kept_in_the_keyring_only(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    keys = GoogleBooksKey(backend)
    assert keys.load() is None
    keys.save("  AIzaSyExampleKey0123456789 \n")
    assert keys.load() == "AIzaSyExampleKey0123456789"
    assert backend.get_password("bookorbit-desktop", GOOGLE_BOOKS_ACCOUNT) == keys.load()
    assert keys.delete() is True and keys.load() is None and keys.delete() is False


def test_a_wrong_key_is_refused_and_a_locked_keyring_means_no_key(tmp_path):
    with pytest.raises(InvalidValueError, match="not a Google Books API key"):
        GoogleBooksKey(FileKeyring(tmp_path / "k.json")).save("two words")
    assert GoogleBooksKey(LockedKeyring()).load() is None


@pytest.fixture
async def served(monkeypatch):
    async with FakeBookSources() as fake, outside.open_session() as session:
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        yield fake, session


async def test_a_cover_is_downloaded_and_made_a_jpeg(served):
    fake, session = served
    prepared = await download_cover(session, f"{fake.base}/covers/b/id/42-L.jpg")
    assert prepared[:3] == b"\xff\xd8\xff"  # the stored cover is a JPEG


async def test_a_missing_cover_says_so(served):
    fake, session = served
    with pytest.raises(CoverError, match="HTTP 404"):
        await download_cover(session, f"{fake.base}/covers/b/id/not-a-cover")


@pytest.mark.parametrize(
    "url", ["http://covers.example.org/b/id/1-L.jpg", "ftp://127.0.0.1/x.jpg", "file:///etc/x"]
)
async def test_only_https_or_a_configured_source_address(url):
    async with aiohttp.ClientSession() as session:
        with pytest.raises(CoverError, match=r"not a secure|not a web address"):
            await download_cover(session, url)


async def test_not_an_image_and_too_large_are_refused(monkeypatch):
    url = "https://covers.example.org/b/id/1-L.jpg"
    async with aiohttp.ClientSession() as session:
        with aioresponses() as mock:
            mock.get(url, body=b"<html>not found</html>", content_type="text/html")
            with pytest.raises(CoverError, match="not an image"):
                await download_cover(session, url)
        monkeypatch.setattr(covers, "MAX_BYTES", len(COVER_PNG) - 1)
        with aioresponses() as mock:
            mock.get(url, body=COVER_PNG, content_type="image/png")
            with pytest.raises(CoverError, match="larger than"):
                await download_cover(session, url)
        with aioresponses() as mock:
            mock.get(url, exception=TimeoutError())
            with pytest.raises(CoverError, match="within 10 s"):
                await download_cover(session, url)


async def test_a_cover_cut_short_is_refused_with_the_reason():
    url = "https://covers.example.org/b/id/1-L.jpg"
    truncated = jpeg(300, 450)[:-2]  # no end marker
    async with aiohttp.ClientSession() as session:
        with aioresponses() as mock:
            mock.get(url, body=truncated, content_type="image/jpeg")
            with pytest.raises(CoverError, match="damaged or cut short"):
                await download_cover(session, url)
