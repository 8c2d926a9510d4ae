"""Serving book files, covers and thumbnails to the catalog's readers.

A book file is served exactly as it lies on disk (KOReader identifies it by an MD5 of sampled
bytes; any rewrite would break progress sync), with Range support from aiohttp's FileResponse.
The response names the file the way KOReader will ("Author - Title.ext"), and the md5 of every
name KOReader may give it is registered as a "filename" document alias of the book. A file gone
from disk is answered with a clear 404 and flagged missing in the library.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bookorbit_desktop.library.metadata.koreader_hash import filename_md5
from bookorbit_desktop.server.opds.auth import Handler
from bookorbit_desktop.server.opds.formats import format_info, koreader_extension
from bookorbit_desktop.server.opds.koreader_names import download_file_names
from bookorbit_desktop.server.opds.queries import (
    cover_of,
    download_target,
    mark_missing,
    register_filename_aliases,
)
from bookorbit_desktop.server.opds.text import entry_authors, entry_title
from bookorbit_desktop.server.opds.thumbnails import cover_file, thumbnail_for

log = logging.getLogger(__name__)

# Kept readable in the plain `filename=` parameter; everything else is %-encoded UTF-8.
_READABLE = " !#$&'()*+,-.:;<=>?@[]^_`{|}~"
# RFC 5987 attr-char beyond letters, digits and "_.-~" (which quote() always keeps).
_ATTR_CHARS = "!#$&+^`|~"


class IdentityFileResponse(web.FileResponse):
    """A FileResponse that never substitutes a pre-compressed sibling (`book.epub.gz`)."""

    def _get_file_path_stat_encoding(
        self, accept_encoding: str
    ) -> tuple[Path | None, os.stat_result, str | None]:
        return super()._get_file_path_stat_encoding("")


def content_disposition(name: str) -> str:
    """An attachment header naming the file `name`.

    KOReader's "use server filenames" option reads only the quoted `filename=` value and
    %-decodes it, so that value carries the UTF-8 name %-encoded; other clients read the
    RFC 5987 `filename*=` form.
    """
    fallback = quote(name, safe=_READABLE.replace('"', ""))
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"


def not_found(message: str) -> web.Response:
    return web.Response(status=404, text=message + "\n", headers={"Cache-Control": "no-store"})


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def make_download_handler(clock: Callable[[], float]) -> Handler:
    async def download(request: web.Request) -> web.StreamResponse:
        file_id = int(request.match_info["file_id"])
        extension = request.match_info["ext"].lower()
        target = download_target(file_id)
        if target is None or target.format.lower() != extension:
            return not_found("There is no such book file in the library.")
        title = entry_title(target.title)
        path = Path(target.path)
        # A stat can block for long on a sleeping network drive: keep it off the event loop.
        if not await asyncio.to_thread(_is_regular_file, path):
            mark_missing(file_id)
            log.warning("Book %d: file %d is missing from disk", target.book_id, file_id)
            return not_found(
                f'The file of "{title}" is no longer where it was imported from. '
                "Put it back, or import the book again in BookOrbit Desktop."
            )
        if target.missing:
            mark_missing(file_id, missing=False)
        names = download_file_names(
            title, entry_authors(target.authors), koreader_extension(target.format)
        )
        if request.method == "GET":
            register_filename_aliases(
                target.book_id, file_id, [filename_md5(name) for name in names], clock()
            )
        headers = {
            "Content-Type": format_info(target.format).mime,
            "Content-Disposition": content_disposition(names[0]),
            "Cache-Control": "private, no-transform",
        }
        return IdentityFileResponse(path, headers=headers)

    return download


def make_cover_handlers(data_dir: Path, thumbnails_dir: Path) -> tuple[Handler, Handler]:
    async def find_cover(request: web.Request) -> Path | None:
        found = cover_of(int(request.match_info["book_id"]))
        if found is None:
            return None
        return await asyncio.to_thread(cover_file, data_dir, found[0])

    async def cover(request: web.Request) -> web.StreamResponse:
        path = await find_cover(request)
        if path is None:
            return not_found("This book has no cover.")
        image_type = {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}
        headers = {
            "Content-Type": image_type.get(path.suffix.lower(), "image/jpeg"),
            "Cache-Control": "private, max-age=86400",
        }
        return IdentityFileResponse(path, headers=headers)

    async def thumbnail(request: web.Request) -> web.StreamResponse:
        path = await find_cover(request)
        if path is None:
            return not_found("This book has no cover.")
        book_id = int(request.match_info["book_id"])
        thumb = await asyncio.to_thread(thumbnail_for, path, thumbnails_dir, book_id)
        if thumb is None:
            return not_found("This book's cover image cannot be read.")
        headers = {"Content-Type": "image/jpeg", "Cache-Control": "private, max-age=86400"}
        return IdentityFileResponse(thumb, headers=headers)

    return cover, thumbnail
