"""Serving book files, covers and thumbnails to the catalog's readers.

A book file is served exactly as it lies on disk (KOReader identifies it by an MD5 of sampled
bytes; any rewrite would break progress sync), with Range support from aiohttp's FileResponse.
The response names the file the way KOReader will ("Author - Title.ext"), and the md5 of every
name KOReader may give it is registered as a "filename" document alias of the book. A file gone
from disk is answered with a clear 404 and flagged missing in the library.

Only the file that was imported is ever served: a regular file of the imported size and
partial MD5, checked on the very file handle that is then sent (so a symlink or another file
swapped in at that path, even between the check and the send, is refused with "the file
changed, import it again"). Database work runs on the server's database threads.
"""

from __future__ import annotations

import asyncio
import enum
import io
import logging
import os
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web
from aiohttp.web_fileresponse import _FileResponseResult
from aiohttp.web_request import BaseRequest

from bookorbit_desktop.library.metadata.generated_cover import generated_covers
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5, partial_md5_of
from bookorbit_desktop.server import ServerContext
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
from bookorbit_desktop.server.opds.thumbnails import made_cover, thumbnail_for

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


class FileState(enum.Enum):
    SAME = "same"
    MISSING = "missing"
    CHANGED = "changed"


def handle_state(handle: io.BufferedReader, size: int, digest: str) -> FileState:
    """Whether the open file is still the imported one: regular, same size and partial MD5."""
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size != size:
        return FileState.CHANGED
    if digest and partial_md5_of(handle) != digest:
        return FileState.CHANGED
    handle.seek(0)
    return FileState.SAME


def file_state(path: Path, size: int, digest: str) -> FileState:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return FileState.CHANGED
        with path.open("rb") as handle:
            return handle_state(handle, size, digest)
    except FileNotFoundError:
        return FileState.MISSING
    except OSError:
        return FileState.CHANGED


class VerifiedFileResponse(IdentityFileResponse):
    """Sends the file only if the handle it opened is still the imported file (else 403)."""

    def __init__(self, path: Path, size: int, digest: str, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self._expected = (size, digest)

    def _make_response(self, request: BaseRequest, accept_encoding: str) -> Any:
        result, handle, info, encoding = super()._make_response(request, accept_encoding)
        if handle is not None and handle_state(handle, *self._expected) is not FileState.SAME:
            handle.close()
            return _FileResponseResult.NOT_ACCEPTABLE, None, info, None
        return result, handle, info, encoding


def make_download_handler(ctx: ServerContext) -> Handler:
    workers = ctx.workers

    async def download(request: web.Request) -> web.StreamResponse:
        file_id = int(request.match_info["file_id"])
        extension = request.match_info["ext"].lower()
        target = await workers.read(download_target, file_id)
        if target is None or target.format.lower() != extension:
            return not_found("There is no such book file in the library.")
        title = entry_title(target.title)
        path = Path(target.path)
        # A stat can block for long on a sleeping network drive: keep it off the event loop.
        state = await asyncio.to_thread(file_state, path, target.size, target.partial_md5)
        if state is FileState.MISSING:
            await workers.write(mark_missing, file_id)
            log.warning("Book %d: file %d is missing from disk", target.book_id, file_id)
            return not_found(
                f'The file of "{title}" is no longer where it was imported from. '
                "Put it back, or import the book again in BookOrbit Desktop."
            )
        if state is FileState.CHANGED:
            log.warning(
                "Book %d: file %d changed on disk since it was imported", target.book_id, file_id
            )
            return not_found(
                f'The file of "{title}" changed since it was imported. '
                "Import the book again in BookOrbit Desktop to offer the new file."
            )
        if target.missing:
            await workers.write(mark_missing, file_id, False)
        names = download_file_names(
            title, entry_authors(target.authors), koreader_extension(target.format)
        )
        if request.method == "GET":
            digests = [filename_md5(name) for name in names]
            await workers.write(
                register_filename_aliases, target.book_id, file_id, digests, ctx.clock()
            )
        headers = {
            "Content-Type": format_info(target.format).mime,
            "Content-Disposition": content_disposition(names[0]),
            "Cache-Control": "private, no-transform",
        }
        return VerifiedFileResponse(path, target.size, target.partial_md5, headers=headers)

    return download


def make_cover_handlers(ctx: ServerContext) -> tuple[Handler, Handler]:
    thumbnails_dir = ctx.paths.thumbnails_dir

    async def find_cover(request: web.Request) -> Path | None:
        """The book's own cover, else its generated one; None: no such book."""
        book_id = int(request.match_info["book_id"])
        found = await ctx.workers.read(cover_of, book_id)
        if found is not None:
            cover = await asyncio.to_thread(made_cover, ctx.paths, *found)
            if cover is not None:
                return cover
        generated = await ctx.workers.read(generated_covers, ctx.paths, [book_id])
        return generated.get(book_id)

    async def cover(request: web.Request) -> web.StreamResponse:
        path = await find_cover(request)
        if path is None:
            return not_found("There is no such book.")
        image_type = {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}
        headers = {
            "Content-Type": image_type.get(path.suffix.lower(), "image/jpeg"),
            "Cache-Control": "private, max-age=86400",
        }
        return IdentityFileResponse(path, headers=headers)

    async def thumbnail(request: web.Request) -> web.StreamResponse:
        path = await find_cover(request)
        if path is None:
            return not_found("There is no such book.")
        book_id = int(request.match_info["book_id"])
        thumb = await asyncio.to_thread(thumbnail_for, path, thumbnails_dir, book_id)
        if thumb is None:
            return not_found("This book's cover image cannot be read.")
        headers = {"Content-Type": "image/jpeg", "Cache-Control": "private, max-age=86400"}
        return IdentityFileResponse(thumb, headers=headers)

    return cover, thumbnail
