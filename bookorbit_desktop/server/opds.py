"""The OPDS 1.2 catalog KOReader browses and downloads books from."""

from __future__ import annotations

from aiohttp import web

from bookorbit_desktop.server import ServerContext


def setup_opds(app: web.Application, ctx: ServerContext) -> None:
    """Mount the catalog's routes on `app`."""
