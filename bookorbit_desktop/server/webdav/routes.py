"""The /dav/ handlers: one entry point per request, dispatching on the method.

Every method needs the sync account (Basic auth, through the same throttle as kosync and the
catalog). Errors are short plain-text answers with WebDAV's status codes, never a redirect, and
what a client can cause is a 4xx: a bad name, a symbolic link, a body too slow
(`guards.bodies`), too large or malformed. The one 5xx left is 507 for a disk that is really
full. Refusals are logged within the server's shared budget of refusal lines per address a
minute, with every field from the request escaped (`log_text.for_log`).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import stat as stat_flags
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

from aiohttp import web

from bookorbit_desktop.guards.bodies import read_body, stream_body
from bookorbit_desktop.guards.log_budget import BudgetedLog
from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.opds.auth import Refusals, require_account
from bookorbit_desktop.server.webdav.folder import (
    MAX_FILE_BYTES,
    DavFolder,
    FolderError,
    etag_of,
)
from bookorbit_desktop.server.webdav.multistatus import (
    CONTENT_TYPE,
    Resource,
    http_date,
    multistatus,
)
from bookorbit_desktop.server.webdav.paths import PREFIX, BadPathError, child_href, inside_parts
from bookorbit_desktop.server.webdav.propfind import MAX_BODY_BYTES as PROPFIND_BYTES
from bookorbit_desktop.server.webdav.propfind import (
    TOO_LARGE,
    BadPropfind,
    PropfindTooLarge,
    check_body,
)
from bookorbit_desktop.server.webdav.uploads import STATISTICS_NAME, UploadImports

log = logging.getLogger(__name__)

ALLOW = "OPTIONS, PROPFIND, GET, HEAD, PUT, MKCOL, DELETE"
CHUNK = 256 * 1024
REFUSALS = Refusals(
    "WebDAV",
    "No sync account is set up yet. Create one in BookOrbit Desktop's settings, then enter it "
    "in KOReader's Cloud storage settings.",
    "This folder needs the user name and password of the BookOrbit sync account. Enter them "
    "in KOReader's Cloud storage settings.",
    "Wrong user name or password for this folder.",
)
FOLDER = web.AppKey("webdav_folder", DavFolder)
LOCK = web.AppKey("webdav_lock", asyncio.Lock)
IMPORTS = web.AppKey("webdav_imports", UploadImports)
REFUSAL_LINES = web.AppKey("webdav_refusal_lines", BudgetedLog)
# What the disk said, as the client's answer: only a full disk is the server's own trouble.
_ERRNO_STATUS = {
    errno.ENOSPC: 507,
    errno.EDQUOT: 507,
    errno.EFBIG: 413,
    errno.ENAMETOOLONG: 414,
    errno.ELOOP: 403,
    errno.EACCES: 403,
    errno.EPERM: 403,
}

Method = Callable[[web.Request, Path], Awaitable[web.StreamResponse]]


def _text(status: int, message: str, **headers: str) -> web.Response:
    return web.Response(status=status, text=message + "\n", headers=headers)


async def propfind(request: web.Request, target: Path) -> web.StreamResponse:
    depth = request.headers.get("Depth", "1").strip().lower()
    if depth not in ("0", "1"):
        return _text(403, "Only Depth 0 and 1 are answered here.")
    if (request.content_length or 0) > PROPFIND_BYTES:
        raise PropfindTooLarge(TOO_LARGE)
    try:
        check_body(await read_body(request.content))  # every property we have is sent anyway
    except web.HTTPRequestEntityTooLarge as error:
        raise PropfindTooLarge(TOO_LARGE) from error
    own_href = request.raw_path.partition("?")[0]
    resources = await asyncio.to_thread(_resources, request.app[FOLDER], target, own_href, depth)
    if resources is None:
        return _text(404, "Nothing with this name is in the folder.")
    return web.Response(
        status=207,
        text=multistatus(resources),
        content_type=None,
        headers={"Content-Type": CONTENT_TYPE},
    )


def _resources(folder: DavFolder, target: Path, own_href: str, depth: str) -> list[Resource] | None:
    try:
        info = target.lstat()  # `locate` refused every symbolic link on the way
    except (FileNotFoundError, NotADirectoryError):
        return None
    is_folder = stat_flags.S_ISDIR(info.st_mode)
    name = target.name if target != folder.root.resolve() else folder.root.name
    resources = [_resource(own_href, name, info, is_folder)]
    if is_folder and depth == "1":
        for child, child_info in folder.children(target):
            child_folder = stat_flags.S_ISDIR(child_info.st_mode)
            href = child_href(own_href, child, folder=child_folder)
            resources.append(_resource(href, child, child_info, child_folder))
    return resources


def _resource(href: str, name: str, info: os.stat_result, folder: bool) -> Resource:
    etag = None if folder else etag_of(info)
    return Resource(href, name, folder, info.st_size, info.st_mtime, etag)


async def get(request: web.Request, target: Path) -> web.StreamResponse:
    try:
        handle = await asyncio.to_thread(_open_no_link, target)
    except (FileNotFoundError, NotADirectoryError):
        return _text(404, "Nothing with this name is in the folder.")
    except IsADirectoryError:
        return _text(405, "This is a folder; list it with PROPFIND.", Allow=ALLOW)
    try:
        info = os.fstat(handle.fileno())
        etag = etag_of(info)
        headers = {"ETag": etag, "Last-Modified": http_date(info.st_mtime)}
        if request.headers.get("If-None-Match", "").strip() in (etag, "*"):
            return web.Response(status=304, headers=headers)
        response = web.StreamResponse(headers=headers)
        response.content_type = "application/octet-stream"
        response.content_length = info.st_size
        await response.prepare(request)
        if request.method != "HEAD":
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        handle.close()


def _open_no_link(target: Path) -> BinaryIO:
    return os.fdopen(os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")


async def put(request: web.Request, target: Path) -> web.StreamResponse:
    too_large = f"A file may be at most {MAX_FILE_BYTES // 2**20} MiB."
    if request.content_length is not None and request.content_length > MAX_FILE_BYTES:
        return _closing(_refused(request, 413, too_large))
    folder = request.app[FOLDER]
    partial, handle = folder.partial()  # on the loop: a cancelled upload cannot lose it
    try:
        size = 0
        try:
            async for chunk in stream_body(request.content, CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    return _closing(_refused(request, 413, too_large))
                await asyncio.to_thread(handle.write, chunk)
        except TimeoutError:
            message = "The file arrived too slowly; send it again."
            return _closing(_refused(request, 408, message))
        await asyncio.to_thread(_finish, handle)
        async with request.app[LOCK]:
            created = await asyncio.to_thread(
                folder.replace,
                partial,
                target,
                request.headers.get("If-Match"),
                request.headers.get("If-None-Match", "").strip() or None,
            )
            etag = etag_of(await asyncio.to_thread(target.stat))
    finally:
        handle.close()
        partial.unlink(missing_ok=True)
    log.info(
        "WebDAV: stored %s (%d bytes) from %s", for_log(target.name), size, for_log(request.remote)
    )
    if target.name == STATISTICS_NAME:
        request.app[IMPORTS].submit(target)
    return web.Response(status=201 if created else 204, headers={"ETag": etag})


def _finish(handle: object) -> None:
    handle.flush()  # type: ignore[attr-defined]
    os.fsync(handle.fileno())  # type: ignore[attr-defined]


async def mkcol(request: web.Request, target: Path) -> web.StreamResponse:
    if request.content_length or not request.content.is_eof():
        return _closing(_refused(request, 415, "MKCOL takes no body here."))
    await asyncio.to_thread(request.app[FOLDER].make_folder, target)
    return web.Response(status=201)


async def delete(request: web.Request, target: Path) -> web.StreamResponse:
    async with request.app[LOCK]:
        removed = await asyncio.to_thread(request.app[FOLDER].delete, target)
    if not removed:
        return _text(404, "Nothing with this name is in the folder.")
    return web.Response(status=204)


async def options(request: web.Request, target: Path) -> web.StreamResponse:
    return web.Response(status=200, headers={"DAV": "1", "Allow": ALLOW, "MS-Author-Via": "DAV"})


METHODS: dict[str, Method] = {
    "PROPFIND": propfind,
    "GET": get,
    "HEAD": get,
    "PUT": put,
    "MKCOL": mkcol,
    "DELETE": delete,
    "OPTIONS": options,
}


async def dav(request: web.Request) -> web.StreamResponse:
    method = METHODS.get(request.method)
    if method is None:
        return _text(405, f"{request.method} is not supported here.", Allow=ALLOW)
    try:
        parts = inside_parts(request.path)
        if parts is None:
            raise web.HTTPNotFound()
        target = await asyncio.to_thread(request.app[FOLDER].locate, parts)
        return await method(request, target)
    except (BadPathError, FolderError, BadPropfind) as error:
        return _closing(_refused(request, error.status, str(error)))
    except OSError as error:
        status = _ERRNO_STATUS.get(error.errno or 0, 409)
        if status == 507:
            return _closing(_refused(request, 507, "The computer's disk is full; free some space."))
        return _closing(_refused(request, status, f"This cannot be done here ({error.strerror})."))


def _refused(request: web.Request, status: int, message: str) -> web.Response:
    """The answer to a request refused with `status`, logged within the refusal budget."""
    address = request.remote or "unknown"
    request.app[REFUSAL_LINES].line(
        address,
        f"WebDAV: answered {request.method} {for_log(request.path)} from {for_log(address)} "
        f"with {status}: {message}",
    )
    return _text(status, message)


def _closing(response: web.Response) -> web.Response:
    """A refused request's unread body is never waited for: the connection ends."""
    response.force_close()
    return response


def setup_webdav(app: web.Application, ctx: ServerContext) -> None:
    """Mount /dav/ on `app`; stored files live in the data folder's `webdav` folder."""
    app[FOLDER] = DavFolder(ctx.paths.data_dir)
    app[LOCK] = asyncio.Lock()
    imports = UploadImports()
    app[IMPORTS] = imports
    app[REFUSAL_LINES] = ctx.refusals
    guarded = require_account(ctx, dav, REFUSALS)
    app.router.add_route("*", PREFIX, guarded)
    app.router.add_route("*", PREFIX + "/{tail:.*}", guarded)

    async def clean_partials(_app: web.Application) -> None:
        removed = await asyncio.to_thread(app[FOLDER].clean_partials)
        if removed:
            log.info("WebDAV: removed %d unfinished uploads", removed)

    async def finish_imports(_app: web.Application) -> None:
        await imports.close()

    app.on_startup.append(clean_partials)
    app.on_shutdown.append(finish_imports)
