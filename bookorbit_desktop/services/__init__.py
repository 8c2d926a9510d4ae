"""What the desktop window asks of the core, answered with plain data.

This is the seam that keeps `ui/` free of peewee and aiohttp: each module here calls the
library, server and Hardcover code and hands back dataclasses, dicts and lists. Domain errors
(`BookOrbitError`) pass through unchanged, so the window can show their title and message.
"""
