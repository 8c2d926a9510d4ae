"""The WebDAV folder KOReader's Cloud storage syncs its reading statistics with, at /dav/.

`routes` answers PROPFIND (Depth 0 and 1), GET/HEAD, PUT (with If-Match), MKCOL and DELETE
behind the sync account's Basic auth; `paths` maps a request path to a place inside the
folder (never outside it, never through a symbolic link); `folder` stores files as received
(atomic replace, size limit, strong ETags); `propfind` checks a PROPFIND body; `multistatus`
writes the PROPFIND answer in the exact shape KOReader's pattern reader expects; `uploads`
hands every `statistics.sqlite3` that arrives to the library's history import, one at a time,
off the event loop. Imports library and guards, never hardcover.
"""
