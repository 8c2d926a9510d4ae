"""HTTP Basic authentication for the catalog, against the same account as KOReader sync.

KOReader's OPDS client speaks Basic only (no Digest) and sends the credentials with every
request, so every catalog address (feeds, covers, thumbnails, downloads) checks them, through
`login.check_login` like KOReader sync: verified logins are answered from memory, the throttle
decides before any password hash whether one runs, and the hash never runs on the event loop.
A request without credentials gets the 401 challenge at once; an address blocked for guessing
gets 429 with how long to wait (`Retry-After` and one sentence).
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password
from bookorbit_desktop.server.login import (
    Verdict,
    blocked_message,
    check_login,
    current_account,
)

log = logging.getLogger(__name__)

REALM = "BookOrbit Desktop"
CHALLENGE = f'Basic realm="{REALM}", charset="UTF-8"'

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic ...` header, or None if it is not one.

    Credentials are decoded as UTF-8 (what KOReader sends), falling back to Latin-1 (what some
    older clients send) so a malformed header is a failed login rather than an error.
    """
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return None
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    user, colon, password = text.partition(":")
    if not colon:
        return None
    return user, password


def unauthorized(message: str) -> web.Response:
    return web.Response(
        status=401,
        text=message + "\n",
        headers={"WWW-Authenticate": CHALLENGE, "Cache-Control": "no-store"},
    )


NO_CREDENTIALS = (
    "This catalog needs the user name and password of the BookOrbit sync account. "
    "Enter them in KOReader's catalog settings."
)
NO_ACCOUNT = (
    "No sync account is set up yet. Create one in BookOrbit Desktop's settings (or with "
    "`bookorbit-desktop kosync set-user NAME --password-stdin`), then enter it in KOReader's "
    "catalog settings."
)
WRONG_CREDENTIALS = "Wrong user name or password for this catalog."


BUSY = "Too many login attempts right now. Try again in a moment."


@dataclass(frozen=True)
class Refusals:
    """What a refused request is told, for one place that asks for the account (Basic auth)."""

    what: str  # how the log names the login ("catalog", "WebDAV")
    no_account: str
    no_credentials: str
    wrong_credentials: str


CATALOG = Refusals("catalog", NO_ACCOUNT, NO_CREDENTIALS, WRONG_CREDENTIALS)


def require_account(ctx: ServerContext, handler: Handler, refusals: Refusals = CATALOG) -> Handler:
    """`handler`, answered only for requests carrying the account's credentials."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        credentials = parse_basic(request.headers.get("Authorization"))
        if credentials is None:
            account = await current_account(ctx)
            return unauthorized(refusals.no_account if account is None else refusals.no_credentials)
        user, password = credentials
        address = request.remote or "unknown"
        key = key_for_password(password)
        verdict = await check_login(ctx, address, user, key, what=refusals.what)
        if verdict is Verdict.OK:
            return await handler(request)
        if verdict is Verdict.BLOCKED:
            wait = max(1, math.ceil(ctx.throttle.wait(address)))
            return web.Response(
                status=429,
                text=blocked_message(ctx, address) + "\n",
                headers={"Retry-After": str(wait), "Cache-Control": "no-store"},
            )
        if verdict is Verdict.BUSY:
            return web.Response(
                status=503,
                text=BUSY + "\n",
                headers={"Retry-After": "5", "Cache-Control": "no-store"},
            )
        account = await current_account(ctx)
        return unauthorized(refusals.no_account if account is None else refusals.wrong_credentials)

    return guarded
