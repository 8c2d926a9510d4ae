"""A forgiving aiohttp resource: the same routes with or without a prefix, extra slashes or a
trailing slash.

KOReader builds request paths by appending to whatever server URL the user typed and then
collapsing `//`; users type `http://ip:port`, `http://ip:port/` or `http://ip:port/kosync/`.
Redirecting to a canonical path is not an option (KOReader does not follow redirects on PUT),
so every spelling is answered in place. Matching happens on the path as aiohttp decoded it
except `%2F` and `%25`, so an encoded slash stays inside its segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.typedefs import Handler
from yarl import URL

_SLASHES = re.compile(r"/{2,}")


def normalise_path(path: str) -> str:
    """Collapse repeated slashes and drop a trailing one ("/" stays "/")."""
    if "//" in path:  # the usual path has none: no need for the pattern
        path = _SLASHES.sub("/", path)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path or "/"


class LenientResource(web.AbstractResource):
    """Fixed paths (`/users/auth`) and paths ending in one parameter segment
    (`/syncs/progress/{document}`), optionally below `prefix`."""

    def __init__(self, prefix: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._prefix = normalise_path(prefix)
        self._fixed: dict[str, dict[str, web.ResourceRoute]] = {}
        self._with_param: dict[str, tuple[str, dict[str, web.ResourceRoute]]] = {}

    def add_route(self, method: str, path: str, handler: Handler) -> web.ResourceRoute:
        """Add `handler` for `path`, which may end in one `{name}` segment."""
        route = web.ResourceRoute(method, handler, self)
        if path.endswith("}"):
            head, _, name = path.rpartition("/{")
            routes = self._with_param.setdefault(head + "/", (name[:-1], {}))[1]
        else:
            routes = self._fixed.setdefault(normalise_path(path), {})
        routes[route.method] = route
        return route

    def _strip_prefix(self, path: str) -> str:
        if path == self._prefix:
            return "/"
        if path.startswith(self._prefix + "/"):
            return path[len(self._prefix) :]
        return path

    def _lookup(self, path: str) -> tuple[dict[str, str], dict[str, web.ResourceRoute]] | None:
        path = self._strip_prefix(normalise_path(path))
        routes = self._fixed.get(path)
        if routes is not None:
            return {}, routes
        head, _, segment = path.rpartition("/")
        param = self._with_param.get(head + "/")
        if param is None or not segment:
            return None
        name, routes = param
        return {name: unquote(segment)}, routes

    async def resolve(
        self, request: web.Request
    ) -> tuple[web.UrlMappingMatchInfo | None, set[str]]:
        found = self._lookup(request.rel_url.path_safe)
        if found is None:
            return None, set()
        match_dict, routes = found
        route = routes.get(request.method)
        if route is None and request.method == "HEAD":
            route = routes.get("GET")
        if route is None:
            return None, set(routes)
        return web.UrlMappingMatchInfo(match_dict, route), set(routes)

    @property
    def canonical(self) -> str:
        # "/{...}" indexes the resource at "/": the router tries it after every exact path.
        return "/{lenient}"

    def url_for(self, **kwargs: str) -> URL:
        return URL.build(path=self._prefix)

    def add_prefix(self, prefix: str) -> None:
        raise NotImplementedError("LenientResource cannot be mounted in a sub-application")

    def get_info(self) -> dict[str, Any]:  # type: ignore[override]
        return {"prefix": self._prefix}

    def raw_match(self, path: str) -> bool:
        return self._lookup(path) is not None

    def __len__(self) -> int:
        return sum(len(routes) for routes in self._fixed.values()) + sum(
            len(routes) for _, routes in self._with_param.values()
        )

    def __iter__(self) -> Iterator[web.AbstractRoute]:
        for routes in self._fixed.values():
            yield from routes.values()
        for _, routes in self._with_param.values():
            yield from routes.values()
