"""What the desktop window asks of the core, answered with plain data.

This is the seam that keeps `ui/` free of peewee and aiohttp: each module here calls the
library, server and Hardcover code and hands back dataclasses, dicts and lists. Domain errors
(`BookOrbitError`) pass through unchanged, so the window can show their title and message.

One package per screen, named like its folder in `ui/`: `library`, `metadata`, `hardcover`
(with the Hardcover page's rows in `hardcover/dashboard`), `shelves`, `devices`, `statistics`
and `highlights`; each says in its `__init__` what it answers and what it may import. The
modules at this level are the ones every screen shares: the settings, the LAN server and its
reachability test, Undo and Redo, starting at login (`autostart`) and the library's lock
(`ownership`). What the window needs of the lower layers (their errors, constants and value
rules) it takes from here too: `ui/` imports `services/` and the base modules only.
"""
