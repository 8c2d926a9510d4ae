"""What a catalog request asks for beyond its address: the page (our `cursor` token, else an
old `page` number) and how many books a page holds (the `opds.page_size` setting); a request
the catalog cannot answer is `BadRequest`, answered with 400 and its message."""

from __future__ import annotations

import re

from aiohttp import web

from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server.opds.paging import BadCursor, decode

MAX_PAGE_SIZE = 500
_PAGE = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and small enough for SQLite's OFFSET
BAD_CURSOR = "This page address is out of date or damaged. Start again from the first page."


class BadRequest(Exception):
    """A request the catalog answers with 400 and this message."""


def page_cursor(request: web.Request, order: Order) -> Cursor:
    """Where the asked page starts: the `cursor` token of our links, else the old `page`
    number (bookmarked addresses keep working), else the first page."""
    token = request.query.get("cursor")
    if token is not None:
        try:
            return decode(token.strip(), order)
        except BadCursor as error:
            raise BadRequest(BAD_CURSOR) from error
    raw = request.query.get("page", "1").strip()
    if not _PAGE.fullmatch(raw) or int(raw) < 1:
        raise BadRequest("The page number must be a whole number from 1 up.")
    return Cursor(number=int(raw))


def page_size() -> int:
    """The `opds.page_size` setting, or its default when the stored value is unusable."""
    value = get_setting("opds.page_size")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        return int(DEFAULT_SETTINGS["opds.page_size"])
    return value
