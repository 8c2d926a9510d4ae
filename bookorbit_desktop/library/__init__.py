"""The books on this computer: storage, metadata, import and reading state.

`store` is the SQLite database (models, migrations, queries, settings), `metadata` reads each
ebook format, `importer` turns files into books, `reading` holds the reading-state rules and
records device pushes. Imports no Qt and no aiohttp, and neither `server` nor `hardcover`.
"""
